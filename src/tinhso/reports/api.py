"""``/api/v1/reports/``: the QĐ 766 score of a period and the leader's numbers, for the agencies the
caller may see (issue #14; docs/reports.md). The metric objects mirror the national reporting API
(``code, name, numerator, denominator, ratio, score, maxScore``, vn-standards §6.2) so that a province
can put the two side by side; everything else is snake_case. Errors are problem+json
(``invalid_period``, ``report_forbidden``, ``report_agency_outside_scope``, ``agency_not_found``).
"""

from __future__ import annotations

from datetime import date

from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from tinhso.core.auth import require_user
from tinhso.reports import selectors
from tinhso.reports.periods import Period, period_make
from tinhso.reports.qd766.base import Figure

router = Router(tags=["Thống kê, Bộ chỉ số 766"])


class PeriodQuery(Schema):
    period: str = Field("quarter", title="month, quarter, year hoặc custom")
    year: int | None = Field(None, title="Năm (kỳ tháng, quý, năm)")
    quarter: int | None = Field(None, title="Quý 1–4 (kỳ quý)")
    month: int | None = Field(None, title="Tháng 1–12 (kỳ tháng)")
    date_from: date | None = Field(None, alias="from", title="Ngày đầu (kỳ custom), yyyy-mm-dd")
    date_to: date | None = Field(None, alias="to", title="Ngày cuối (kỳ custom), yyyy-mm-dd")
    agency: str | None = Field(None, title="Mã cơ quan; bỏ trống: mọi cơ quan được xem")

    def to_period(self) -> Period:
        return period_make(kind=self.period, year=self.year, quarter=self.quarter, month=self.month,
                           first=self.date_from, last=self.date_to)


class PeriodOut(Schema):
    kind: str
    label: str
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")


class MetricOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    number: int
    formula: str
    code: str
    name: str
    numerator: int | None
    denominator: int | None
    ratio: float | None = Field(title="Phần trăm, 2 chữ số thập phân")
    score: float | None
    max_score: float = Field(serialization_alias="maxScore")
    status: str = Field(title="ok, empty, no_data, not_applicable, monitor, transferred")
    note: str


class GroupOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    code: str
    name: str
    score: float
    max_score: float = Field(serialization_alias="maxScore")
    computed_max: float = Field(title="Số điểm tối đa của các chỉ số tính được")
    metrics: list[MetricOut]


class ScoreOut(Schema):
    period: PeriodOut
    agency: str | None
    agency_name: str | None
    score: float
    max_score: float
    computed_max: float
    groups: list[GroupOut]


def _num(value) -> float | None:
    return float(value) if value is not None else None


def _period(period: Period) -> dict:
    return {"kind": period.kind, "label": period.label, "date_from": period.first, "date_to": period.last}


def _metric(f: Figure) -> dict:
    i = f.indicator
    return {"number": i.number, "formula": i.formula, "code": i.code, "name": i.name, "numerator": f.numerator,
            "denominator": f.denominator, "ratio": _num(f.ratio), "score": _num(f.score),
            "max_score": float(i.max_points), "status": str(f.status), "note": f.note}


@router.get("/reports/766", response={200: ScoreOut}, by_alias=True, summary="Điểm Bộ chỉ số 766 của một kỳ",
            url_name="report_766")
def score_endpoint(request, query: Query[PeriodQuery]):
    """Điểm theo nhóm và từng chỉ số (tử số, mẫu số, tỷ lệ, điểm, điểm tối đa, tình trạng) của một cơ quan
    hoặc của mọi cơ quan người gọi được xem (toàn tỉnh với lãnh đạo tỉnh)."""
    user = require_user(request)
    card = selectors.score_766(actor=user, period=query.to_period(), agency=query.agency)
    agency = card.target.agency
    return {
        "period": _period(card.target.period), "agency": agency.code if agency else None,
        "agency_name": agency.name if agency else None, "score": float(card.score),
        "max_score": float(card.max_points), "computed_max": float(card.computed_max),
        "groups": [{"code": g.group.key, "name": g.group.name, "score": float(g.score),
                    "max_score": float(g.max_points), "computed_max": float(g.computed_max),
                    "metrics": [_metric(f) for f in g.figures]} for g in card.groups],
    }


class FigureRowOut(Schema):
    key: str
    label: str
    received: int
    online: int
    resolved: int
    early: int
    on_time: int
    late: int
    overdue: int
    on_time_rate: float | None
    online_ratio: float | None
    average_days: float | None


class FiguresOut(Schema):
    period: PeriodOut
    agency: str | None
    total: FigureRowOut
    by_agency: list[FigureRowOut]
    by_sector: list[FigureRowOut]


def _row(row) -> dict:
    return {**{name: getattr(row, name) for name in ("key", "label", "received", "online", "resolved", "early",
                                                     "on_time", "late", "overdue")},
            "on_time_rate": _num(row.on_time_rate), "online_ratio": _num(row.online_ratio),
            "average_days": _num(row.average_days)}


@router.get("/reports/dossiers", response={200: FiguresOut}, by_alias=True,
            summary="Tình hình tiếp nhận, giải quyết hồ sơ của một kỳ", url_name="report_dossiers")
def figures_endpoint(request, query: Query[PeriodQuery]):
    """Tiếp nhận, trực tuyến, giải quyết (trước hạn, đúng hạn, quá hạn), đang quá hạn, tỷ lệ đúng hạn, tỷ lệ
    trực tuyến và số ngày giải quyết trung bình: tổng, theo cơ quan, theo lĩnh vực."""
    user = require_user(request)
    figures = selectors.dossier_figures(actor=user, period=query.to_period(), agency=query.agency)
    return {"period": _period(figures.period), "agency": figures.agency.code if figures.agency else None,
            "total": _row(figures.total), "by_agency": [_row(r) for r in figures.by_agency],
            "by_sector": [_row(r) for r in figures.by_sector]}
