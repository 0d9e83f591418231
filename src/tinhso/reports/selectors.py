"""Reads of the statistics, always for an actor (``access.report_scope``): the leader's numbers per
agency and sector for a period (from ``DailyStat``), the dossiers behind each number (from
``DossierFact``), and the QĐ 766 score with its drill-down group → indicator → agency → dossiers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum

from tinhso.catalog.models import Sector
from tinhso.core.errors import NotFound, ValidationFailed
from tinhso.org.models import Agency
from tinhso.reports.access import agencies_in_scope, report_scope, scoped_agency
from tinhso.reports.errors import ReportError
from tinhso.reports.models import DailyStat, DossierFact
from tinhso.reports.periods import Period
from tinhso.reports.qd766.base import REGISTRY, Figure, Indicator, Target, indicators, ratio_of
from tinhso.reports.qd766.indicators import FactIndicator
from tinhso.reports.qd766.score import ScoreCard, scorecard

PAGE_SIZE = 50


@dataclass
class Page:
    items: list
    count: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


def _page(items, count: int, page: int, page_size: int) -> Page:
    return Page(items=items, count=count, page=page, page_size=page_size)


def _bounds(page: int, page_size: int) -> tuple[int, int, int, int]:
    page_size = max(1, min(int(page_size or PAGE_SIZE), 200))
    page = max(1, int(page or 1))
    return page, page_size, (page - 1) * page_size, page * page_size


# --- the leader's numbers ---------------------------------------------------------------------------


@dataclass
class FigureRow:
    """One line of the leader's table: an agency, a sector, or the total."""

    key: str
    label: str
    received: int = 0
    online: int = 0
    resolved: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    processing_minutes: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        """Resolved early or on time / resolved, percent with 2 decimals."""
        return ratio_of(self.early + self.on_time, self.resolved)

    @property
    def online_ratio(self) -> Decimal | None:
        return ratio_of(self.online, self.received)

    @property
    def average_days(self) -> Decimal | None:
        """Mean calendar days from receipt to resolution."""
        if not self.resolved:
            return None
        return (Decimal(self.processing_minutes) / self.resolved / 1440).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Figures:
    period: Period
    agency: Agency | None
    total: FigureRow
    by_agency: list[FigureRow] = field(default_factory=list)
    by_sector: list[FigureRow] = field(default_factory=list)


SECTOR = "procedure__current_version__sector"
# The counters of the leader's table (the others of DailyStat feed the 766 indicators).
FIGURES = ("received", "online", "resolved", "early", "on_time", "late", "overdue", "processing_minutes")


def _daily(scope_ids, period: Period, agency: Agency | None) -> QuerySet[DailyStat]:
    qs = DailyStat.objects.filter(day__range=(period.first, period.last))
    if agency is not None:
        qs = qs.filter(agency=agency)
    elif scope_ids is not None:
        qs = qs.filter(agency_id__in=scope_ids)
    return qs


def _sums(qs, *group) -> list[dict]:
    return list(qs.order_by().values(*group).annotate(**{n: Sum(n) for n in FIGURES}))


def _row(key: str, label: str, sums: dict) -> FigureRow:
    return FigureRow(key=key, label=label, **{n: sums.get(n) or 0 for n in FIGURES})


def dossier_figures(*, actor, period: Period, agency: str | None = None) -> Figures:
    """Received, online, resolved (early / on time / late), overdue and the mean processing time, for the
    period, per agency and per sector, over the agencies the actor may see (or one of them).

    Three grouped queries on ``DailyStat`` and one each for the agency and sector names, whatever the
    number of agencies and days."""
    scope = report_scope(actor)
    chosen = scoped_agency(scope, agency)
    qs = _daily(scope.agency_ids, period, chosen)
    total = qs.aggregate(**{n: Sum(n) for n in FIGURES})
    per_agency = _sums(qs, "agency_id")
    per_sector = _sums(qs, f"{SECTOR}_id")
    agencies = dict(Agency.objects.filter(pk__in=[r["agency_id"] for r in per_agency]).values_list("pk", "code"))
    names = dict(Agency.objects.filter(pk__in=agencies).values_list("pk", "name"))
    sectors = {s.pk: s for s in Sector.objects.filter(pk__in=[r[f"{SECTOR}_id"] for r in per_sector])}
    by_agency = sorted((_row(agencies[r["agency_id"]], names[r["agency_id"]], r) for r in per_agency),
                       key=lambda row: row.key)
    by_sector = []
    for r in per_sector:
        sector = sectors.get(r[f"{SECTOR}_id"])
        by_sector.append(_row(sector.code if sector else "", sector.name if sector else "Chưa xác định lĩnh vực", r))
    by_sector.sort(key=lambda row: (-row.received, row.label))
    return Figures(period=period, agency=chosen, total=_row("", "Tổng cộng", total), by_agency=by_agency,
                   by_sector=by_sector)


MEASURES = {
    "received": "Hồ sơ tiếp nhận",
    "online": "Hồ sơ tiếp nhận trực tuyến",
    "resolved": "Hồ sơ giải quyết xong",
    "early": "Giải quyết trước hạn",
    "on_time": "Giải quyết đúng hạn",
    "late": "Giải quyết quá hạn",
    "overdue": "Đang giải quyết, quá hạn",
}


def _measure_filter(measure: str, period: Period) -> Q:
    """The facts a ``DailyStat`` counter counts in the period (``reports.services.contributions``)."""
    span = (period.first, period.last)
    if measure == "received":
        return Q(received_on__range=span)
    if measure == "online":
        return Q(received_on__range=span, channel="online")
    if measure == "resolved":
        return Q(resolved_on__range=span)
    if measure in ("early", "on_time", "late"):
        return Q(resolved_on__range=span, verdict=measure)
    if measure == "overdue":
        return Q(overdue_on__range=span)
    raise ValidationFailed("Chỉ tiêu không hợp lệ.", code=ReportError.UNKNOWN_MEASURE)


def figure_dossiers(*, actor, period: Period, measure: str, agency: str | None = None, sector: str | None = None,
                    page: int = 1, page_size: int = PAGE_SIZE) -> Page:
    """Exactly the dossiers a number of ``dossier_figures`` counts (so its count equals the number)."""
    scope = report_scope(actor)
    chosen = scoped_agency(scope, agency)
    qs = DossierFact.objects.filter(_measure_filter(measure, period))
    if chosen is not None:
        qs = qs.filter(agency=chosen)
    elif scope.agency_ids is not None:
        qs = qs.filter(agency_id__in=scope.agency_ids)
    if sector:
        qs = qs.filter(**{f"{SECTOR}__code": sector})
    page, page_size, low, high = _bounds(page, page_size)
    count = qs.count()
    items = list(qs.select_related("dossier", "agency", "dossier__procedure_version")
                 .order_by("received_on", "dossier_id")[low:high])
    return _page(items, count, page, page_size)


# --- QĐ 766 -----------------------------------------------------------------------------------------


def _target(actor, period: Period, agency: str | None) -> Target:
    scope = report_scope(actor)
    chosen = scoped_agency(scope, agency)
    return Target(actor=actor, period=period, agency=chosen, agency_ids=scope.agency_ids)


def indicator_get(number: int | str) -> Indicator:
    indicators()
    try:
        return REGISTRY[int(number)]
    except (KeyError, TypeError, ValueError):
        raise NotFound(f"Không có chỉ số số {number} trong Bộ chỉ số 766.", code=ReportError.UNKNOWN_INDICATOR) from None


def score_766(*, actor, period: Period, agency: str | None = None) -> ScoreCard:
    """The score for the period: of one agency, or of every agency the actor may see (the province for
    its leaders)."""
    return scorecard(_target(actor, period, agency))


@dataclass
class AgencyFigure:
    agency: Agency
    figure: Figure


def indicator_by_agency(*, actor, period: Period, number: int) -> list[AgencyFigure]:
    """One indicator for each agency in scope that has something to count (dossier indicators: one
    grouped query; the others one computation per agency)."""
    indicator = indicator_get(number)
    target = _target(actor, period, None)
    agencies = list(agencies_in_scope(report_scope(actor)))
    if isinstance(indicator, FactIndicator):
        counts = indicator.measure_by_agency(target)
        out = []
        for agency in agencies:
            if agency.pk not in counts:
                continue
            one = target.for_agency(agency)
            if one.is_commune and not indicator.commune_applies:
                out.append(AgencyFigure(agency, indicator.compute(one)))
                continue
            numerator, denominator = counts[agency.pk]
            out.append(AgencyFigure(agency, indicator.figure_from(numerator, denominator)))
        return out
    figures = [AgencyFigure(a, indicator.compute(target.for_agency(a))) for a in agencies]
    return [row for row in figures if row.figure.denominator or row.figure.score is not None]


@dataclass
class LosingRow:
    code: str
    label: str
    reason: str
    agency: str = ""
    dossier_code: str = ""  # set when the row is a dossier (links to its page)


def indicator_losing(*, actor, period: Period, number: int, agency: str | None = None, page: int = 1,
                     page_size: int = PAGE_SIZE) -> Page:
    """What loses points on one indicator: the dossiers (late, not online, no e-result …) or the
    procedures (missing components), each with the reason."""
    indicator = indicator_get(number)
    target = _target(actor, period, agency)
    page, page_size, low, high = _bounds(page, page_size)
    losing = indicator.losing(target)
    if losing is None:
        return _page([], 0, page, page_size)
    if isinstance(losing, list):  # procedures
        rows = [LosingRow(code=v.procedure.code, label=v.name, reason=reason) for v, reason in losing]
        return _page(rows[low:high], len(rows), page, page_size)
    count = losing.count()
    facts = losing.select_related("dossier", "dossier__procedure_version", "agency").order_by(
        "received_on", "dossier_id")[low:high]
    rows = [LosingRow(code=f.dossier.code, label=f.dossier.procedure_version.name, agency=f.agency.name if f.agency else "",
                      reason=indicator.reason(f, target), dossier_code=f.dossier.code) for f in facts]
    return _page(rows, count, page, page_size)
