"""Which agency solved a dossier (cơ quan chủ trì giải quyết), read from its handovers.

The handover log (Mẫu 05/06) and the register (Mẫu 06/07) both name it. It is not the agency that holds
the dossier last: after the result is issued the dossier goes back to the receiving one-stop shop for
the return step, which solved nothing. So it is the last agency, other than the receiving one, that a
processing step handed the dossier to; the receiving agency itself when it did all the work.
"""

from __future__ import annotations

from collections.abc import Iterable


def solving_agency(*, handovers: Iterable, receiving):
    """``handovers`` in order (``Handover`` rows with ``to_agency`` loaded, reception row included)."""
    solver = receiving
    for row in handovers:
        if row.step_code != "reception" and row.to_agency_id != receiving.pk:
            solver = row.to_agency
    return solver
