"""Random dossier histories (hypothesis): the on-time, online, e-result and digitisation figures equal
a count written straight from the dossiers and the formula (vn-standards §4.4, §6.2), for the province
and for each agency, and the per-agency rows add up to the province."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinhso.dossiers.models import Dossier, DossierDocument
from tinhso.dossiers.status import Channel, Status
from tinhso.reports.periods import period_make
from tinhso.reports.qd766.base import ratio_of
from tinhso.reports.selectors import indicator_by_agency, score_766
from tinhso.reports.tests.conftest import DossierMaker, at

PERIOD = period_make(kind="month", year=2026, month=3)
START, END = PERIOD.bounds()
ROLE = DossierDocument.Role

dossier_spec = st.fixed_dictionaries({
    "agency": st.sampled_from(["commune", "other_commune", "department"]),
    "channel": st.sampled_from(list(Channel.values)),
    "received_day": st.integers(0, 100),  # days after 2026-01-15
    "due_days": st.integers(0, 40),
    "outcome": st.sampled_from(["running", "resolved", "stopped", "paused"]),
    "done_days": st.integers(0, 50),
    "supplements": st.integers(0, 2),
    "files": st.sampled_from([(), (ROLE.SUBMITTED,), (ROLE.RESULT,), (ROLE.SCAN, ROLE.RESULT)]),
})


def make_all(province, specs):
    make = DossierMaker(province)
    base = at(2026, 1, 15, 9)
    for spec in specs:
        received = base + timedelta(days=spec["received_day"])
        due = received + timedelta(days=spec["due_days"])
        done = received + timedelta(days=spec["done_days"], hours=3)
        fields = {"agency": getattr(province, spec["agency"]), "channel": spec["channel"], "received": received,
                  "due": due, "supplements": spec["supplements"], "files": spec["files"]}
        if spec["outcome"] == "resolved":
            fields.update(resolved=done, verdict="late" if done > due else "on_time")
        elif spec["outcome"] == "stopped":
            fields.update(status=Status.STOPPED, closed=done)
        elif spec["outcome"] == "paused":
            fields.update(status=Status.SUPPLEMENT_REQUESTED, paused_since=done)
        make(**fields)


def oracle(agency_ids=None) -> dict[int, tuple[int, int]]:
    """Indicator → (numerator, denominator) counted in Python from the dossiers."""
    counts = {5: [0, 0], 10: [0, 0], 11: [0, 0], 12: [0, 0]}
    for d in Dossier.objects.prefetch_related("documents"):
        if agency_ids is not None and d.receiving_agency_id not in agency_ids:
            continue
        roles = {doc.role for doc in d.documents.all()}
        received_in = START <= d.received_at < END
        if received_in:
            counts[10][1] += 1
            counts[10][0] += d.channel == Channel.ONLINE
            counts[12][1] += 1
            counts[12][0] += bool(roles & {ROLE.SUBMITTED, ROLE.SCAN, ROLE.SUPPLEMENT}) and ROLE.RESULT in roles
        if d.resolved_at is not None and START <= d.resolved_at < END:
            counts[11][1] += 1
            counts[11][0] += ROLE.RESULT in roles
        end = d.resolved_at or (d.closed_at if d.status == Status.STOPPED else None)
        if d.received_at >= END or (end is not None and end < START):
            continue
        counts[5][1] += 1
        if d.supplement_count > 1:
            continue
        if end is not None and end < END:
            ok = d.verdict in ("early", "on_time") if d.resolved_at else end <= d.due_at
        elif d.status == Status.SUPPLEMENT_REQUESTED and d.paused_since is not None:
            ok = (d.paused_since < END and d.paused_since <= d.due_at) or d.due_at >= END
        else:
            ok = d.due_at >= END
        counts[5][0] += ok
    return {k: (v[0], v[1]) for k, v in counts.items()}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(dossier_spec, min_size=1, max_size=14))
def test_dossier_indicators_equal_a_direct_count(province, specs):
    with transaction.atomic():
        make_all(province, specs)
        card = score_766(actor=province.governor, period=PERIOD)
        expected = oracle()
        for number, (numerator, denominator) in expected.items():
            f = card.figure(number)
            assert (f.numerator, f.denominator) == (numerator, denominator), number
            assert f.ratio == ratio_of(numerator, denominator)
        for number in expected:
            rows = indicator_by_agency(actor=province.governor, period=PERIOD, number=number)
            assert sum(r.figure.denominator for r in rows) == expected[number][1]
            for row in rows:
                mine = oracle({row.agency.pk})[number]
                assert (row.figure.numerator, row.figure.denominator) == mine, (number, row.agency.code)
        transaction.set_rollback(True)
