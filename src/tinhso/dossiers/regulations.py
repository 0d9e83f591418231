"""Which rule set applies at a moment, and the dossier code it prescribes (DESIGN §5.1, vn-standards §1)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from tinhso.core.errors import NotFound
from tinhso.core.sequences import sequence_next
from tinhso.dossiers.models import Regulation
from tinhso.dossiers.models.regulation import dossier_code_format_apply


def regulation_in_force(at: datetime | None = None) -> Regulation:
    """The ``Regulation`` whose period contains the (Vietnam-time) day of ``at`` (default now).

    ``NotFound`` (``regulation_not_configured``) when none covers the day: a dossier must never
    be numbered or given forms under a guessed rule set.
    """
    day = timezone.localdate(at) if at is not None else timezone.localdate()
    regulation = (
        Regulation.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )
    if regulation is None:
        raise NotFound(f"Chưa có quy định áp dụng cho ngày {day:%d/%m/%Y}.", code="regulation_not_configured")
    return regulation


def dossier_code_next(*, regulation: Regulation, agency_code: str, at: datetime) -> str:
    """The next dossier code of ``agency_code`` for the day of ``at`` — inside the caller's transaction.

    The counter is ``sequence_next(scope="dossier:<agency>", period="<yyyymmdd>")``: gapless and
    consecutive per agency and day, whichever format prints it (DESIGN §5.5).
    """
    day = timezone.localdate(at)
    seq = sequence_next(scope=f"dossier:{agency_code}", period=day.strftime("%Y%m%d"))
    return dossier_code_format_apply(regulation.dossier_code_format, agency=agency_code, day=day, seq=seq)
