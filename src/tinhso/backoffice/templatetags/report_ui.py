"""Numbers of the statistics pages the Vietnamese way, in both languages: ``12.345``, ``93,10 %``,
``8,5 / 20`` (DESIGN §5.13, like dates and money), and the width of a bar."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


def _vn(text: str) -> str:
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


@register.filter
def vn_int(value) -> str:
    if value in (None, ""):
        return "—"
    return _vn(f"{int(value):,}")


@register.filter
def vn_dec(value, places: int = 2) -> str:
    if value in (None, ""):
        return "—"
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-int(places)), ROUND_HALF_UP)  # as the 766 sheet rounds
    return _vn(f"{rounded:,.{int(places)}f}")


@register.filter
def vn_pct(value) -> str:
    return "—" if value in (None, "") else f"{vn_dec(value)} %"


@register.filter
def bar_width(value, maximum=100) -> str:
    """Percent width (0–100, dot decimal for CSS) of ``value`` out of ``maximum``."""
    try:
        share = Decimal(value) / Decimal(maximum) * 100 if maximum else Decimal(0)
    except (TypeError, ValueError, ArithmeticError):
        return "0"
    return f"{max(Decimal(0), min(share, Decimal(100))):.1f}"


CELLS = ("received", "online", "resolved", "early", "on_time", "late", "overdue")


@register.filter
def row_cells(row) -> list[tuple[str, int]]:
    """(measure, value) of a figures row, in the columns' order: each cell links to its dossiers."""
    return [(name, getattr(row, name)) for name in CELLS]
