"""The QĐ 766 registry and each indicator on hand-made dossiers, petitions and ratings; the expected
figures are written from the formula (vn-standards §6.2), not from the code."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tinhso.accounts.models import User
from tinhso.catalog.models import ProcedureVersion, RequiredDocument
from tinhso.core.errors import PermissionDenied
from tinhso.dossiers.models import DossierDocument
from tinhso.dossiers.status import Channel, Status
from tinhso.petitions.models import Petition
from tinhso.reports.periods import period_make
from tinhso.reports.qd766.base import (
    GROUPS,
    REGISTRY,
    TOTAL_MAX,
    FigureStatus,
    Target,
    indicators,
    points_for,
)
from tinhso.reports.selectors import indicator_by_agency, indicator_losing, score_766
from tinhso.reports.tests.conftest import at

Q1 = period_make(kind="quarter", year=2026, quarter=1)
D = Decimal
ROLE = DossierDocument.Role


def test_registry_has_the_24_indicators_of_the_sheet_and_100_points():
    numbers = [i.number for i in indicators()]
    assert numbers == list(range(1, 25))
    assert TOTAL_MAX == 100
    for group in GROUPS:
        assert sum(i.max_points for i in indicators() if i.group == group.key) == group.max_points
    assert [g.max_points for g in GROUPS] == [18, 20, 12, 22, 18, 10]
    assert len({i.code for i in indicators()}) == 24
    for i in indicators():
        assert i.name and i.source, i.number
    # no points of their own: 7, 8, 9, 10, 18 (and 19, 20 monitor only)
    assert {i.number for i in indicators() if not i.scored} == {7, 8, 9, 10, 18, 19, 20}
    # commune exceptions
    assert {i.number for i in indicators() if not i.commune_applies} == {6, 8, 9, 16, 17}


@pytest.mark.parametrize("ratio, max_points, full_at, expected", [
    ("100", "20", None, "20.00"),
    ("50", "20", None, "10.00"),
    ("66.67", "12", None, "8.00"),
    ("80", "4", "80", "4.00"),  # the threshold itself earns full points
    ("79.99", "4", "80", "4.00"),  # 79.99 × 4 / 80 = 3.9995 → 4.00 (rounded half up)
    ("40", "4", "80", "2.00"),
    ("0", "6", "90", "0.00"),
    ("45", "6", "90", "3.00"),
    ("95", "6", "90", "6.00"),
])
def test_points_follow_the_threshold_rule(ratio, max_points, full_at, expected):
    assert points_for(D(ratio), D(max_points), D(full_at) if full_at else None) == D(expected)


def figure(actor, number, agency=None, period=Q1):
    return score_766(actor=actor, period=period, agency=agency).figure(number)


def test_5_on_time_counts_finished_and_running_dossiers_of_the_period(province, dossier):
    due = at(2026, 2, 20, 17)
    dossier(resolved=at(2026, 2, 10, 9), due=due, verdict="early")  # passes
    late = dossier(resolved=at(2026, 2, 25, 9), due=due, verdict="late")  # late
    twice = dossier(resolved=at(2026, 2, 10, 9), due=due, verdict="on_time", supplements=2)  # > 1 supplement: late
    dossier(due=at(2026, 4, 10, 17))  # running at the end, within the deadline: passes
    running_late = dossier(due=at(2026, 3, 20, 17))  # running at the end, past it: late
    dossier(received=at(2025, 11, 3, 9), resolved=at(2025, 12, 1, 9), due=at(2025, 12, 5, 17),
            verdict="on_time")  # finished before the period: not counted
    dossier(received=at(2026, 4, 2, 9), due=at(2026, 4, 20, 17))  # received after: not counted
    dossier(status=Status.STOPPED, closed=at(2026, 2, 12, 9), due=due)  # stopped before the due date: passes
    dossier(status=Status.SUPPLEMENT_REQUESTED, paused_since=at(2026, 2, 15, 9), due=due)  # waits for the applicant
    after = dossier(resolved=at(2026, 4, 3, 9), due=at(2026, 3, 25, 17), verdict="late")  # overdue at the end
    f5 = figure(province.governor, 5)
    assert (f5.numerator, f5.denominator) == (4, 8)
    assert f5.ratio == D("50.00") and f5.score == D("10.00") and f5.status == FigureStatus.OK
    page = indicator_losing(actor=province.governor, period=Q1, number=5)
    assert page.count == 4
    reasons = {row.dossier_code: row.reason for row in page.items}
    assert set(reasons) == {late.code, twice.code, running_late.code, after.code}
    assert "2 lần" in reasons[twice.code]
    assert reasons[late.code] == "Giải quyết xong sau ngày hẹn trả"
    assert reasons[running_late.code].startswith("Đến cuối kỳ vẫn đang giải quyết")


def test_6_full_online_share_and_the_commune_exception(province, dossier):
    for channel in (Channel.ONLINE, Channel.ONLINE, Channel.COUNTER):
        dossier(version=province.full, channel=channel, agency=province.department)
    dossier(version=province.partial, channel=Channel.COUNTER, agency=province.department)  # not eligible
    f6 = figure(province.governor, 6, agency="H44.10")
    assert (f6.numerator, f6.denominator, f6.ratio, f6.score) == (2, 3, D("66.67"), D("8.00"))
    commune = figure(province.governor, 6, agency="H44.20")
    assert commune.status == FigureStatus.NOT_APPLICABLE and commune.score == D(12)
    losing = indicator_losing(actor=province.governor, period=Q1, number=6, agency="H44.10")
    assert losing.count == 1 and "trực tiếp" in losing.items[0].reason


def test_commune_exception_can_score_nothing(province, dossier, settings):
    settings.TINHSO_766_COMMUNE_FULL_POINTS = False
    commune = figure(province.governor, 16, agency="H44.20")
    assert commune.status == FigureStatus.NOT_APPLICABLE and commune.score is None


def test_7_and_10_are_monitored_without_points(province, dossier):
    dossier(channel=Channel.ONLINE)
    dossier(channel=Channel.POST)
    dossier(channel=Channel.COUNTER)
    dossier(channel=Channel.ONLINE, received=at(2026, 5, 4, 9))  # other period
    f10 = figure(province.governor, 10)
    assert (f10.numerator, f10.denominator, f10.ratio, f10.score, f10.status) == (1, 3, D("33.33"), None,
                                                                                  FigureStatus.MONITOR)
    f7 = figure(province.governor, 7)  # one of the two procedures offers full online service
    assert (f7.numerator, f7.denominator, f7.ratio) == (1, 2, D("50.00"))


def test_11_and_12_electronic_results_and_digitised_components(province, dossier):
    resolved = at(2026, 2, 6, 9)
    dossier(resolved=resolved, verdict="on_time", files=[ROLE.SUBMITTED, ROLE.RESULT])  # both
    dossier(resolved=resolved, verdict="on_time", files=[ROLE.RESULT])  # e-result, nothing digitised
    dossier(resolved=resolved, verdict="on_time", files=[ROLE.SCAN])  # scanned, paper result
    dossier(files=[ROLE.SUBMITTED])  # not resolved yet
    f11 = figure(province.governor, 11)
    assert (f11.numerator, f11.denominator, f11.ratio, f11.score) == (2, 3, D("66.67"), D("4.00"))
    f12 = figure(province.governor, 12)
    # 1 of 4 received: 25 % × 4 / 80 % = 1.25
    assert (f12.numerator, f12.denominator, f12.ratio, f12.score) == (1, 4, D("25.00"), D("1.25"))
    assert indicator_losing(actor=province.governor, period=Q1, number=11).count == 1


def test_14_reuse_through_the_e_form_and_16_17_citizen_data(province, dossier):
    RequiredDocument.objects.filter(version=province.full, code="to-khai").update(replaced_by_eform=True)
    vneid = User.objects.create(username="vneid-an", kind="citizen", identity_provider="vneid",
                                external_subject="abc")
    dossier(version=province.full, form_data={"ho_ten": "An"}, owner=vneid, agency=province.department)
    dossier(version=province.full, agency=province.department)  # e-form procedure, but no answers
    dossier(version=province.partial, form_data={"ho_ten": "Bình"}, agency=province.department)  # no e-form part
    dossier(version=province.partial, agency=province.department)
    f14 = figure(province.governor, 14)
    assert (f14.numerator, f14.denominator, f14.ratio, f14.score) == (1, 4, D("25.00"), D("0.63"))
    f16 = figure(province.governor, 16)
    assert (f16.numerator, f16.denominator, f16.score) == (1, 4, D("0.50"))
    f17 = figure(province.governor, 17)  # both procedures are for citizens; one had a VNeID dossier
    assert (f17.numerator, f17.denominator, f17.score) == (1, 2, D("1.00"))
    rows = indicator_losing(actor=province.governor, period=Q1, number=17).items
    assert [r.code for r in rows] == ["1.000002"]


def test_3_procedures_missing_a_component(province):
    ProcedureVersion.objects.filter(pk=province.partial.pk).update(steps_text="", applicant_types=[])
    f3 = figure(province.governor, 3)
    assert (f3.numerator, f3.denominator, f3.score) == (1, 2, D("1.00"))
    rows = indicator_losing(actor=province.governor, period=Q1, number=3).items
    assert len(rows) == 1 and rows[0].reason == "Thiếu: trình tự thực hiện, đối tượng thực hiện"


def petition(province, n, **fields):
    received = at(2026, 3, 2, 9)
    base = {"kind": "regulation", "channel": "portal", "subject": "S", "content": "C", "sender_name": "A",
            "agency": province.commune, "received_at": received, "clock_started_at": received,
            "refuse_due_at": received, "info_due_at": received, "due_at": at(2026, 3, 20, 9), "status": "accepted"}
    base.update(fields)
    return Petition.objects.create(code=f"PAKN-R-{n:04d}", **base)


def test_19_to_22_come_from_the_petitions_selector(province):
    petition(province, 1, status="published", answered_at=at(2026, 3, 10, 9), feedback="satisfied")
    petition(province, 2, status="answered", answered_at=at(2026, 3, 25, 9), kind="conduct")  # late
    petition(province, 3, status="accepted", due_at=at(2026, 4, 20, 9))  # open within time
    petition(province, 4, status="accepted", agency=province.other_commune)
    card = score_766(actor=province.governor, period=Q1, agency="H44.20")
    assert (card.figure(19).numerator, card.figure(19).denominator, card.figure(19).status) == (2, 3,
                                                                                                FigureStatus.MONITOR)
    assert (card.figure(20).numerator, card.figure(20).denominator) == (1, 3)
    f21 = card.figure(21)
    assert (f21.numerator, f21.denominator, f21.ratio, f21.score) == (2, 3, D("66.67"), D("4.00"))
    f22 = card.figure(22)  # answered 2, one late
    assert (f22.numerator, f22.denominator, f22.score) == (1, 2, D("3.00"))
    # the province counts the other commune's petition as well
    assert score_766(actor=province.governor, period=Q1).figure(21).denominator == 4


def test_23_from_the_ratings_selector_and_the_no_petition_transfer(province, dossier):
    from tinhso.ratings.selectors import indicator_23

    for verdict in ("on_time", "early", "late"):
        dossier(resolved=at(2026, 2, 6, 9), returned=at(2026, 2, 6, 15), verdict=verdict)
    card = score_766(actor=province.governor, period=Q1, agency="H44.20")
    f23 = card.figure(23)
    # 100 % − 33.33 % late = 66.67 %; below 90 %: 66.67 × 6 / 90 = 4.44
    assert (f23.numerator, f23.denominator, f23.ratio, f23.score) == (2, 3, D("66.67"), D("4.44"))
    theirs = indicator_23(actor=province.governor, agency=province.commune, start=Q1.first, end=Q1.last)
    assert theirs.points == f23.score
    # no petitions in the period: 21 and 22 take 23's rate
    for number in (21, 22):
        assert card.figure(number).status == FigureStatus.TRANSFERRED
        assert card.figure(number).score == D("4.44")
    assert indicator_losing(actor=province.governor, period=Q1, number=23, agency="H44.20").count == 1


def test_no_petition_transfer_can_be_switched_off(province, dossier, settings):
    settings.TINHSO_766_NO_PETITION_TRANSFER = False
    dossier(resolved=at(2026, 2, 6, 9), returned=at(2026, 2, 6, 15), verdict="on_time")
    card = score_766(actor=province.governor, period=Q1, agency="H44.20")
    assert card.figure(21).status == FigureStatus.EMPTY and card.figure(21).score is None


def test_indicators_without_data_say_why(province):
    card = score_766(actor=province.governor, period=Q1)
    for number in (1, 2, 4, 8, 9, 13, 15, 18, 24):
        f = card.figure(number)
        assert f.status == FigureStatus.NO_DATA and f.score is None and f.note, number
    # nothing received: the dossier indicators are N/A, not 0
    assert card.figure(5).status == FigureStatus.EMPTY and card.figure(5).ratio is None


def test_totals_add_the_figures_per_group_and_say_what_could_be_computed(province, dossier):
    # One commune, Q1: 2 dossiers, both returned with an e-result and a digitised component, one late.
    dossier(resolved=at(2026, 2, 6, 9), returned=at(2026, 2, 6, 15), verdict="on_time",
            files=[ROLE.SUBMITTED, ROLE.RESULT])
    dossier(resolved=at(2026, 2, 16, 9), returned=at(2026, 2, 16, 15), verdict="late",
            files=[ROLE.SUBMITTED, ROLE.RESULT])
    card = score_766(actor=province.commune_leader, period=Q1, agency="H44.20")
    scores = {f.indicator.number: f.score for f in card.figures if f.score is not None}
    assert scores == {
        3: D("2.00"),  # both procedures complete
        5: D("10.00"),  # 1 of 2 on time
        6: D(12),  # commune exception
        11: D("6.00"), 12: D("4.00"),  # 100 %
        14: D("0.00"),
        16: D(2), 17: D(2),  # commune exception
        21: D("3.33"), 22: D("3.33"), 23: D("3.33"),  # 50 % × 6 / 90 = 3.33; no petitions
    }
    group = {g.group.number: g for g in card.groups}
    assert group[1].score == D("2.00") and group[1].computed_max == D(2)
    assert group[4].score == D("14.00") and group[4].computed_max == D(6 + 4 + 2 + 2 + 2)  # 13, 15: no data
    assert group[5].score == D("9.99") and group[5].computed_max == D(18)
    assert card.score == sum(scores.values()) == D("47.99")
    assert card.max_points == 100
    assert card.computed_max == D(2 + 20 + 12 + 16 + 18)  # 1, 2, 4, 13, 15, 24: no data


def test_scope_leader_sees_his_agency_and_the_province_sees_all(province, dossier):
    dossier(agency=province.commune)
    dossier(agency=province.other_commune)
    assert figure(province.governor, 10).denominator == 2
    assert figure(province.commune_leader, 10).denominator == 1  # his commune only
    with pytest.raises(PermissionDenied) as refused:
        score_766(actor=province.commune_leader, period=Q1, agency="H44.21")
    assert refused.value.code == "report_agency_outside_scope"
    for outsider in (province.clerk, province.citizen):
        with pytest.raises(PermissionDenied) as refused:
            score_766(actor=outsider, period=Q1)
        assert refused.value.code == "report_forbidden"


def test_per_agency_rows_equal_the_agency_figures(province, dossier):
    dossier(agency=province.commune, channel=Channel.ONLINE)
    dossier(agency=province.commune)
    dossier(agency=province.other_commune, channel=Channel.ONLINE)
    rows = {r.agency.code: r.figure for r in indicator_by_agency(actor=province.governor, period=Q1, number=10)}
    assert set(rows) == {"H44.20", "H44.21"}
    for code, f in rows.items():
        mine = figure(province.governor, 10, agency=code)
        assert (f.numerator, f.denominator, f.ratio) == (mine.numerator, mine.denominator, mine.ratio)
    # a commune exception on a per-agency row
    dossier(agency=province.commune, version=province.full)
    rows = {r.agency.code: r.figure for r in indicator_by_agency(actor=province.governor, period=Q1, number=6)}
    assert rows["H44.20"].status == FigureStatus.NOT_APPLICABLE


def test_target_for_agency_counts_only_that_agency(province):
    target = Target(actor=province.governor, period=Q1)
    assert target.counted_ids is None
    assert target.for_agency(province.commune).counted_ids == frozenset({province.commune.pk})
    assert REGISTRY[5].formula == "2.1"


def test_score_query_count_does_not_grow_with_dossiers_or_agencies(province, dossier):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tinhso.org.models import Agency

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            score_766(actor=province.governor, period=Q1)
        return len(ctx.captured_queries)

    dossier(resolved=at(2026, 2, 6, 9), verdict="on_time", files=[ROLE.SUBMITTED, ROLE.RESULT])
    small = queries()
    for i in range(6):
        agency = Agency.objects.create(code=f"H44.{40 + i}", name=f"Ủy ban nhân dân xã {i}", level="commune",
                                       parent=province.committee)
        for day in (3, 4, 5):
            dossier(agency=agency, received=at(2026, 2, day, 9), resolved=at(2026, 2, day + 2, 9), verdict="late",
                    channel=Channel.ONLINE, files=[ROLE.RESULT])
    assert queries() == small
