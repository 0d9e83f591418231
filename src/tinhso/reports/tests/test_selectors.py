"""The leader's numbers (``dossier_figures``) per agency and sector for a period, the dossiers behind
each number, the actor's scope, and a query budget that does not grow with agencies or dossiers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tinhso.catalog.models import ProcedureVersion, Sector
from tinhso.core.errors import PermissionDenied, ValidationFailed
from tinhso.dossiers.models import DossierAlert
from tinhso.dossiers.status import Channel
from tinhso.org.models import Agency
from tinhso.reports.periods import period_from_query, period_make
from tinhso.reports.selectors import MEASURES, dossier_figures, figure_dossiers
from tinhso.reports.services import fact_refresh
from tinhso.reports.tests.conftest import at

Q1 = period_make(kind="quarter", year=2026, quarter=1)
D = Decimal


@pytest.fixture
def history(province, dossier):
    sector = Sector.objects.create(code="chung-thuc", name="Chứng thực")
    ProcedureVersion.objects.filter(pk=province.partial.pk).update(sector=sector)
    p = province
    dossier(agency=p.commune, version=p.full, channel=Channel.ONLINE, received=at(2026, 1, 5, 9),
            resolved=at(2026, 1, 7, 9), verdict="early")  # 2 days
    dossier(agency=p.commune, version=p.partial, received=at(2026, 1, 6, 9), resolved=at(2026, 1, 10, 9),
            verdict="late")  # 4 days
    dossier(agency=p.commune, version=p.partial, channel=Channel.POST, received=at(2026, 3, 30, 9))
    late = dossier(agency=p.other_commune, version=p.full, channel=Channel.ONLINE, received=at(2026, 2, 2, 9),
                   due=at(2026, 2, 9, 17))
    DossierAlert.objects.create(dossier=late, kind="overdue", due_at=late.due_at, created_at=late.due_at)
    fact_refresh(dossier_id=late.pk)
    dossier(agency=p.department, version=p.partial, received=at(2026, 2, 3, 9), resolved=at(2026, 2, 6, 9),
            verdict="on_time")  # 3 days
    dossier(agency=p.department, version=p.partial, received=at(2025, 12, 29, 9),
            resolved=at(2026, 1, 2, 9), verdict="on_time")  # received in the previous quarter, resolved in this
    dossier(agency=p.department, version=p.partial, received=at(2026, 4, 1, 9))  # next quarter
    return p


def test_totals_per_agency_and_per_sector(history):
    figures = dossier_figures(actor=history.governor, period=Q1)
    t = figures.total
    assert (t.received, t.online, t.resolved, t.early, t.on_time, t.late, t.overdue) == (5, 2, 4, 1, 2, 1, 1)
    assert t.on_time_rate == D("75.00") and t.online_ratio == D("40.00")
    assert t.average_days == D("3.3")  # (2 + 4 + 3 + 4) / 4 = 3.25 → 3.3 (calendar days)
    rows = {r.key: r for r in figures.by_agency}
    assert list(rows) == ["H44.10", "H44.20", "H44.21"]
    assert (rows["H44.20"].received, rows["H44.20"].resolved, rows["H44.20"].on_time_rate) == (3, 2, D("50.00"))
    assert (rows["H44.10"].received, rows["H44.10"].resolved) == (1, 2)
    assert rows["H44.21"].overdue == 1 and rows["H44.21"].on_time_rate is None
    sectors = {r.key: r for r in figures.by_sector}
    assert (sectors["chung-thuc"].received, sectors["ho-tich"].received) == (3, 2)
    assert sectors["ho-tich"].label == "Hộ tịch"


def test_every_number_links_to_exactly_its_dossiers(history):
    figures = dossier_figures(actor=history.governor, period=Q1)
    for row in [figures.total, *figures.by_agency]:
        for measure in MEASURES:
            page = figure_dossiers(actor=history.governor, period=Q1, measure=measure, agency=row.key or None)
            assert page.count == getattr(row, measure), (row.key, measure)
    for row in figures.by_sector:
        page = figure_dossiers(actor=history.governor, period=Q1, measure="received", sector=row.key)
        assert page.count == row.received
    with pytest.raises(ValidationFailed):
        figure_dossiers(actor=history.governor, period=Q1, measure="everything")


def test_a_leader_sees_his_agency_only(history):
    figures = dossier_figures(actor=history.commune_leader, period=Q1)
    assert [r.key for r in figures.by_agency] == ["H44.20"] and figures.total.received == 3
    monitor = dossier_figures(actor=history.department_monitor, period=Q1)
    assert monitor.total.resolved == 2
    with pytest.raises(PermissionDenied) as refused:
        dossier_figures(actor=history.commune_leader, period=Q1, agency="H44.21")
    assert refused.value.code == "report_agency_outside_scope"
    with pytest.raises(PermissionDenied):
        figure_dossiers(actor=history.clerk, period=Q1, measure="received")


def count_queries(run) -> int:
    with CaptureQueriesContext(connection) as ctx:
        run()
    return len(ctx.captured_queries)


def test_query_budget_does_not_grow_with_agencies_and_dossiers(province, dossier):
    def run():
        return dossier_figures(actor=province.governor, period=Q1)

    dossier()
    small = count_queries(run)
    for i in range(8):
        agency = Agency.objects.create(code=f"H44.{30 + i}", name=f"Ủy ban nhân dân xã {i}", level="commune",
                                       parent=province.committee)
        for day in range(1, 4):
            dossier(agency=agency, received=at(2026, 1, day + 5, 9), resolved=at(2026, 1, day + 8, 9),
                    verdict="on_time")
    large = count_queries(run)
    assert large == small <= 7
    assert len(run().by_agency) == 9


@pytest.mark.parametrize("params, label, first, last", [
    ({"period": "month", "year": "2026", "month": "2"}, "Tháng 02/2026", (2026, 2, 1), (2026, 2, 28)),
    ({"period": "quarter", "year": "2026", "quarter": "3"}, "Quý 3/2026", (2026, 7, 1), (2026, 9, 30)),
    ({"period": "year", "year": "2025"}, "Năm 2025", (2025, 1, 1), (2025, 12, 31)),
    ({"period": "custom", "from": "05/01/2026", "to": "2026-01-20"}, "Từ 05/01/2026 đến 20/01/2026",
     (2026, 1, 5), (2026, 1, 20)),
    ({}, "Quý 4/2026", (2026, 10, 1), (2026, 12, 31)),  # default: the current quarter
])
def test_periods(params, label, first, last):
    from datetime import date

    period = period_from_query(params, today=date(2026, 12, 7))
    assert (period.label, period.first, period.last) == (label, date(*first), date(*last))


@pytest.mark.parametrize("params", [
    {"period": "week"}, {"period": "quarter", "quarter": "5"}, {"period": "month", "month": "13"},
    {"period": "custom", "from": "20/01/2026", "to": "05/01/2026"}, {"period": "custom", "from": "hôm qua"},
    {"period": "year", "year": "abc"},
])
def test_invalid_periods_are_refused(params):
    with pytest.raises(ValidationFailed) as refused:
        period_from_query(params)
    assert refused.value.code == "invalid_period"
