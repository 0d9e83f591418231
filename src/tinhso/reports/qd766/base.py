"""What an indicator is, what it answers, and the national scoring rules (vn-standards §6.2).

An ``Indicator`` knows its number (1–24, the order of the national METRICS sheet), formula id, metric
code, group, maximum points, Vietnamese name and the source of its rule; ``compute(target)`` returns a
``Figure``: numerator, denominator, ratio (percent, 2 decimals), score and a status saying why a figure
has no score (no data on the platform, zero denominator, not applicable to a commune, monitoring only).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, ClassVar

from django.conf import settings

from tinhso.org.models import Agency
from tinhso.reports.periods import Period

TWO = Decimal("0.01")
HUNDRED = Decimal(100)


def round2(value: Decimal) -> Decimal:
    """Rounding of the national sheet: 2 decimals, half up."""
    return value.quantize(TWO, ROUND_HALF_UP)


def ratio_of(numerator: int, denominator: int) -> Decimal | None:
    return round2(HUNDRED * numerator / denominator) if denominator else None


def points_for(ratio: Decimal, max_points: Decimal, full_at: Decimal | None) -> Decimal:
    """Full points from ``full_at`` percent up, else ratio × max / full_at; without a threshold the
    points are proportional (ratio × max / 100). Computed on the rounded ratio, as the portal shows it."""
    if full_at is not None:
        value = max_points if ratio >= full_at else ratio * max_points / full_at
    else:
        value = ratio * max_points / HUNDRED
    return round2(max(Decimal(0), min(value, max_points)))


class FigureStatus(StrEnum):
    OK = "ok"
    EMPTY = "empty"  # denominator 0: "0 hoặc N/A" — shown as N/A, no score
    NO_DATA = "no_data"  # the platform does not hold what the formula counts (yet)
    NOT_APPLICABLE = "not_applicable"  # commune exception: scored at the maximum (configurable)
    MONITOR = "monitor"  # no points of its own in the sheet
    TRANSFERRED = "transferred"  # no petitions: takes the rate of indicator 23


STATUS_LABELS = {
    FigureStatus.OK: "Đã tính",
    FigureStatus.EMPTY: "Không có hồ sơ trong kỳ (N/A)",
    FigureStatus.NO_DATA: "Chưa có dữ liệu",
    FigureStatus.NOT_APPLICABLE: "Không áp dụng cho cấp xã",
    FigureStatus.MONITOR: "Chỉ theo dõi, không tính điểm",
    FigureStatus.TRANSFERRED: "Không có phản ánh: tính theo chỉ số 23",
}


@dataclass(frozen=True)
class Group:
    number: int
    key: str  # the national reporting API's group (vn-standards §6.2)
    name: str
    max_points: Decimal


GROUPS: tuple[Group, ...] = (
    Group(1, "transparency", "Công khai, minh bạch", Decimal(18)),
    Group(2, "dvc-progress-tree", "Tiến độ, kết quả giải quyết", Decimal(20)),
    Group(3, "provide-online-tree", "Cung cấp dịch vụ công trực tuyến", Decimal(12)),
    Group(4, "dossier-digitized", "Số hóa hồ sơ", Decimal(22)),
    Group(5, "handling-satisfaction", "Mức độ hài lòng", Decimal(18)),
    Group(6, "formality-online-payment-tree", "Thanh toán trực tuyến", Decimal(10)),
)
GROUP_BY_KEY = {g.key: g for g in GROUPS}
TOTAL_MAX = sum((g.max_points for g in GROUPS), Decimal(0))


@dataclass(frozen=True)
class Target:
    """What is scored: a period, for one agency or for every agency the reader may see."""

    actor: Any
    period: Period
    agency: Agency | None = None
    agency_ids: frozenset[int] | None = None  # None: the whole province
    # Figures several indicators share (the petition counts of 19–22), computed once per target.
    memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def is_commune(self) -> bool:
        return self.agency is not None and self.agency.level == Agency.Level.COMMUNE

    @property
    def counted_ids(self) -> frozenset[int] | None:
        """The receiving agencies counted (None: all)."""
        if self.agency is not None:
            return frozenset({self.agency.pk})
        return self.agency_ids

    def for_agency(self, agency: Agency) -> Target:
        return replace(self, agency=agency, memo={})


@dataclass
class Figure:
    indicator: Indicator
    status: FigureStatus
    numerator: int | None = None
    denominator: int | None = None
    ratio: Decimal | None = None
    score: Decimal | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def max_points(self) -> Decimal:
        return self.indicator.max_points

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def loses(self) -> Decimal | None:
        return self.max_points - self.score if self.score is not None else None


class NoData(Exception):
    """Raised by ``measure`` when the platform has nothing to count; the message is the reason."""


class Indicator:
    number: ClassVar[int]
    formula: ClassVar[str] = ""  # the formula id of the national document ("2.1"), "" when it has none
    code: ClassVar[str]  # the API metric code; a local code where the sheet has none (docs/reports.md)
    group: ClassVar[str]  # Group.key
    max_points: ClassVar[Decimal] = Decimal(0)
    name: ClassVar[str]
    source: ClassVar[str]  # legal/source note shown with the figure
    full_at: ClassVar[Decimal | None] = None  # threshold (percent) for the full points
    commune_applies: ClassVar[bool] = True
    drills_to: ClassVar[str] = ""  # "dossiers", "procedures" or "" (no list behind the figure)

    @property
    def scored(self) -> bool:
        return self.max_points > 0

    @property
    def group_obj(self) -> Group:
        return GROUP_BY_KEY[self.group]

    def measure(self, target: Target) -> tuple[int, int]:
        """(numerator, denominator); raise ``NoData`` when the platform cannot count it."""
        raise NoData("Tỉnh Số chưa có dữ liệu cho chỉ số này.")

    def compute(self, target: Target) -> Figure:
        if target.is_commune and not self.commune_applies:
            full = settings.TINHSO_766_COMMUNE_FULL_POINTS
            return Figure(self, FigureStatus.NOT_APPLICABLE, score=self.max_points if (full and self.scored) else None,
                          note="Chỉ số không áp dụng cho cấp xã; " + (
                              "cấp xã được tính điểm tối đa (TINHSO_766_COMMUNE_FULL_POINTS)." if full
                              else "không tính điểm."))
        try:
            numerator, denominator = self.measure(target)
        except NoData as exc:
            return Figure(self, FigureStatus.NO_DATA, note=str(exc))
        return self.figure_from(numerator, denominator)

    def figure_from(self, numerator: int, denominator: int) -> Figure:
        """The figure of counted values: ratio, then points by the threshold rule."""
        ratio = ratio_of(numerator, denominator)
        if not self.scored:
            return Figure(self, FigureStatus.MONITOR, numerator, denominator, ratio)
        if ratio is None:
            return Figure(self, FigureStatus.EMPTY, numerator, denominator)
        return Figure(self, FigureStatus.OK, numerator, denominator, ratio,
                      points_for(ratio, self.max_points, self.full_at))

    # The drill-down: what stands behind the figure and loses points (docs/reports.md).
    def losing(self, target: Target):
        return None


REGISTRY: dict[int, Indicator] = {}


def register(cls: type[Indicator]) -> type[Indicator]:
    if cls.number in REGISTRY:
        raise RuntimeError(f"QĐ 766 indicator {cls.number} registered twice")
    REGISTRY[cls.number] = cls()
    return cls


def indicators() -> list[Indicator]:
    from tinhso.reports.qd766 import indicators as _  # noqa: F401  (registers the classes)

    return [REGISTRY[n] for n in sorted(REGISTRY)]
