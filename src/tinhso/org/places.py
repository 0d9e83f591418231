"""Địa danh: the place name an agency writes before the date of its documents and forms (NĐ 30/2020
Phụ lục I, vn-standards §7.3). Here, with the agencies, because every paper any app prints needs it."""

from __future__ import annotations

from tinhso.org.models import Agency


def place_of(agency: Agency | None) -> str:
    """Địa danh (NĐ 30/2020 Phụ lục I, vn-standards §7.3): the administrative unit where the agency
    sits, from the agency or its nearest parent; ``""`` when none is recorded."""
    seen = 0
    while agency is not None and seen < 5:
        unit = agency.administrative_unit
        if unit is not None:
            return unit.short_name or unit.name
        agency = agency.parent
        seen += 1
    return ""
