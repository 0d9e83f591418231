"""Official swaps of working days (hoán đổi ngày làm việc) for civil servants, as a small data table.

The ``holidays`` package knows the day off of each swap ("Ngày nghỉ (thay cho ngày …)") but not the
Saturday worked in exchange, so seeding takes both sides from here (vn-standards §11.1–11.2). Add a
row when the Government announces a new swap; until a release carries it, a province can enter the
two days in the admin. ``tests/test_seeding.py`` checks that every swap the package knows is listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Swap:
    day_off: date
    worked: date
    reference: str


OFFICIAL_SWAPS: tuple[Swap, ...] = (
    Swap(
        date(2018, 12, 31),
        date(2019, 1, 5),
        "Công văn 6519/VPCP-KGVX năm 2018 về lịch nghỉ Tết và Quốc khánh",
    ),
    Swap(date(2019, 4, 29), date(2019, 5, 4), "Công văn 6519/VPCP-KGVX năm 2018 về lịch nghỉ năm 2019"),
    Swap(
        date(2024, 4, 29),
        date(2024, 5, 4),
        "Công văn 2450/VPCP-KGVX năm 2024 về hoán đổi ngày làm việc dịp 30/4",
    ),
    Swap(date(2025, 5, 2), date(2025, 4, 26), "Thông báo 6150/TB-BLĐTBXH năm 2024 về lịch nghỉ năm 2025"),
    Swap(
        date(2026, 8, 31),
        date(2026, 8, 22),
        "Lịch nghỉ Quốc khánh 2026 của cán bộ, công chức (hoán đổi với thứ Bảy 22/08/2026)",
    ),
)
