"""The score of a period: every indicator's figure, the points per group and in total (vn-standards §6.2).

Points are added only where a figure has a score; the card says how many of the 100 points could be
computed (``computed_max``), so "62,5 / 100" is never read as a 62,5 % performance where half the
indicators have no data. When an agency has no petitions, indicators 21 and 22 take the rate of
indicator 23 (the sheet: "the points are split between #21/#22 and #23", [P]; ``TINHSO_766_NO_PETITION_TRANSFER``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from tinhso.reports.qd766.base import (
    GROUPS,
    TOTAL_MAX,
    Figure,
    FigureStatus,
    Group,
    Target,
    indicators,
    points_for,
)


@dataclass
class GroupScore:
    group: Group
    figures: list[Figure] = field(default_factory=list)

    @property
    def score(self) -> Decimal:
        return sum((f.score for f in self.figures if f.score is not None), Decimal(0))

    @property
    def max_points(self) -> Decimal:
        return self.group.max_points

    @property
    def computed_max(self) -> Decimal:
        return sum((f.max_points for f in self.figures if f.score is not None), Decimal(0))


@dataclass
class ScoreCard:
    target: Target
    groups: list[GroupScore]

    @property
    def figures(self) -> list[Figure]:
        return [f for g in self.groups for f in g.figures]

    def figure(self, number: int) -> Figure:
        return next(f for f in self.figures if f.indicator.number == number)

    @property
    def score(self) -> Decimal:
        return sum((g.score for g in self.groups), Decimal(0))

    @property
    def max_points(self) -> Decimal:
        return TOTAL_MAX

    @property
    def computed_max(self) -> Decimal:
        return sum((g.computed_max for g in self.groups), Decimal(0))


def _transfer_to_23(by_number: dict[int, Figure]) -> None:
    """No petitions in the period: 21 and 22 get the share of their maximum that 23 earned."""
    if not settings.TINHSO_766_NO_PETITION_TRANSFER:
        return
    rated = by_number.get(23)
    if rated is None or rated.status != FigureStatus.OK or rated.ratio is None:
        return
    for number in (21, 22):
        figure = by_number.get(number)
        if figure is not None and figure.status == FigureStatus.EMPTY:
            indicator = figure.indicator
            figure.status = FigureStatus.TRANSFERRED
            figure.score = points_for(rated.ratio, indicator.max_points, rated.indicator.full_at)
            figure.note = ("Không có phản ánh, kiến nghị trong kỳ: điểm theo tỷ lệ của chỉ số 23 "
                           "(TINHSO_766_NO_PETITION_TRANSFER).")


def scorecard(target: Target) -> ScoreCard:
    by_number = {i.number: i.compute(target) for i in indicators()}
    _transfer_to_23(by_number)
    groups = [GroupScore(g, [f for n, f in sorted(by_number.items()) if f.indicator.group == g.key]) for g in GROUPS]
    return ScoreCard(target=target, groups=groups)
