"""Writes on units, agencies, departments and memberships.

The ``*_ensure`` services are idempotent ("make it so"): they create what is missing, change only
fields that differ, and write an audit entry only when something changed. The demo loader and
data imports rely on that to be re-runnable.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from tinhso.core.audit import audit_record
from tinhso.core.errors import ValidationFailed
from tinhso.core.text import clean_text, fold
from tinhso.core.validators import validate_agency_code, validate_agency_identifier
from tinhso.org.models import AdministrativeUnit, Agency, Department, LegacyUnitMapping, Membership
from tinhso.org.roles import Role

DATA_DIR = Path(__file__).resolve().parent / "data"
REFORM_DATE = dt.date(2025, 7, 1)  # two-tier local government (vn-standards §0)


def _audit(*, actor, action: str, target=None, data: dict[str, Any] | None = None) -> None:
    audit_record(actor=actor, action=action, target=target, data=data)


def _apply(instance, values: dict[str, Any]) -> dict[str, Any]:
    """Set the attributes that differ; return ``{field: new value}`` of what changed."""
    changed = {}
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed[name] = value
    return changed


# --- administrative units ------------------------------------------------------------------------


@dataclass
class UnitsLoadResult:
    created: int = 0
    updated: int = 0
    mappings_created: int = 0
    provinces: list[str] = field(default_factory=list)


def _read(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


_PROVINCE_KINDS = {"tỉnh": AdministrativeUnit.Kind.PROVINCE, "thành phố": AdministrativeUnit.Kind.CITY}
_PREFIX = {
    AdministrativeUnit.Kind.PROVINCE: "Tỉnh",
    AdministrativeUnit.Kind.CITY: "Thành phố",
}


def _short_name(name: str) -> str:
    for prefix in ("Phường ", "Xã ", "Đặc khu "):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


@transaction.atomic
def administrative_units_load(*, ward_provinces: Iterable[str] | None = None) -> UnitsLoadResult:
    """Load the shipped unit lists into ``AdministrativeUnit`` (idempotent, no audit: reference data).

    * the 34 provinces and centrally-run cities from 01/07/2025 (``data/provinces-2025.json``);
    * the 63 provinces before the merger, ending 30/06/2025, each mapped to its 2025 province
      (``data/provinces-legacy.json``), so codes on old records keep their meaning;
    * the communes, wards and special zones of ``ward_provinces`` (GSO codes like ``"25"`` or DVC
      codes like ``"H44"``; ``None`` = all 3,321) from ``data/wards-2025.json``.
    """
    result = UnitsLoadResult()
    provinces = _read("provinces-2025.json")["provinces"]
    dvc_to_gso = {p["dvc_code"]: p["admin_code"] for p in provinces}

    existing = {
        (unit.code, unit.valid_to): unit for unit in AdministrativeUnit.objects.filter(parent__isnull=True)
    }

    def upsert(key: tuple[str, dt.date | None], values: dict[str, Any]) -> AdministrativeUnit:
        unit = existing.get(key)
        if unit is None:
            unit = AdministrativeUnit(code=key[0], valid_to=key[1], **values)
            unit.save()
            existing[key] = unit
            result.created += 1
        elif _apply(unit, values):
            unit.save()
            result.updated += 1
        return unit

    current: dict[str, AdministrativeUnit] = {}
    for p in provinces:
        kind = _PROVINCE_KINDS[p["unit_type"]]
        current[p["admin_code"]] = upsert(
            (p["admin_code"], None),
            {
                "name": f"{_PREFIX[kind]} {p['name']}",
                "short_name": p["name"],
                "kind": kind,
                "valid_from": REFORM_DATE,
                "dvc_code": p["dvc_code"],
            },
        )

    legacy = _read("provinces-legacy.json")
    legacy_end = dt.date.fromisoformat(legacy["valid_to"])
    links = set(LegacyUnitMapping.objects.values_list("old_unit_id", "new_unit_id"))
    for p in legacy["provinces"]:
        kind = AdministrativeUnit.Kind(p["kind"])
        old = upsert(
            (p["code"], legacy_end),
            {"name": f"{_PREFIX[kind]} {p['name']}", "short_name": p["name"], "kind": kind, "valid_from": None},
        )
        new = current[p["merged_into"]]
        if (old.pk, new.pk) not in links:
            LegacyUnitMapping.objects.create(old_unit=old, new_unit=new, note="Nghị quyết 202/2025/QH15")
            result.mappings_created += 1

    wanted = None if ward_provinces is None else {dvc_to_gso.get(code, code) for code in ward_provinces}
    wards = _read("wards-2025.json")
    ward_from = dt.date.fromisoformat(wards["valid_from"])
    rows = [row for row in wards["units"] if wanted is None or row["province"] in wanted]
    known = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(valid_to__isnull=True, code__in=[row["code"] for row in rows])
    }
    to_create = []
    for row in rows:
        kind = AdministrativeUnit.Kind(row["kind"])
        values = {
            "name": row["name"],
            "short_name": _short_name(row["name"]),
            "kind": kind,
            "parent_id": current[row["province"]].pk,
            "valid_from": ward_from,
        }
        unit = known.get(row["code"])
        if unit is None:
            unit = AdministrativeUnit(code=row["code"], **values)
            unit.search_text = ""  # filled below; bulk_create skips save()
            to_create.append(unit)
        elif _apply(unit, values):
            unit.save()
            result.updated += 1
    if to_create:
        for unit in to_create:
            unit.search_text = fold(f"{unit.name} {unit.short_name} {unit.code}")
        AdministrativeUnit.objects.bulk_create(to_create, batch_size=500)
        result.created += len(to_create)
    result.provinces = sorted({row["province"] for row in rows})
    return result


# --- agencies ------------------------------------------------------------------------------------


def _check_parent(*, agency: Agency, parent: Agency | None) -> None:
    node = parent
    while node is not None:
        if agency.pk is not None and node.pk == agency.pk:
            raise ValidationFailed("Cơ quan cấp trên không được là chính nó hoặc cơ quan cấp dưới của nó.",
                                   code="agency_parent_cycle")
        node = node.parent


@transaction.atomic
def agency_ensure(
    *,
    actor,
    code: str,
    name: str,
    level: str,
    kind: str = Agency.Kind.OTHER,
    parent: Agency | None = None,
    administrative_unit: AdministrativeUnit | None = None,
    short_name: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    work_calendar=None,
    is_active: bool = True,
    identifier: str | None = None,
) -> tuple[Agency, bool]:
    """Create the agency with ``code`` or bring its fields to these values. Returns ``(agency, changed)``.

    ``identifier``: the 13-character QCVN 102 form (``000.00.00.H44``); ``None`` leaves it as it is."""
    code = validate_agency_code(code)
    if level not in Agency.Level.values:
        raise ValidationFailed(f"Cấp cơ quan không hợp lệ: {level}.", code="invalid_agency_level")
    if kind not in Agency.Kind.values:
        raise ValidationFailed(f"Loại cơ quan không hợp lệ: {kind}.", code="invalid_agency_kind")
    values = {
        "name": clean_text(name),
        "short_name": clean_text(short_name),
        "level": level,
        "kind": kind,
        # Compared by id, so checking an unchanged agency costs no query per relation.
        "parent_id": parent.pk if parent else None,
        "administrative_unit_id": administrative_unit.pk if administrative_unit else None,
        "address": clean_text(address),
        # Agencies publish landlines (02xx…) as often as mobiles: kept as written, not normalised.
        "phone": clean_text(phone),
        "email": (email or "").strip().lower(),
        "work_calendar_id": work_calendar.pk if work_calendar else None,
        "is_active": is_active,
    }
    if identifier is not None:
        values["identifier"] = validate_agency_identifier(identifier) if identifier.strip() else None
    agency = Agency.objects.select_for_update().filter(code=code).first()
    if agency is None:
        agency = Agency(code=code, **values)
        agency.save()
        _audit(actor=actor, action="org.agency_create", target=agency, data={"code": code, **values})
        return agency, True
    _check_parent(agency=agency, parent=parent)
    changed = _apply(agency, values)
    if changed:
        agency.save()
        _audit(actor=actor, action="org.agency_update", target=agency, data=changed)
    return agency, bool(changed)


@transaction.atomic
def department_ensure(*, actor, agency: Agency, code: str, name: str) -> tuple[Department, bool]:
    """Create the department ``code`` of ``agency`` or rename it. Returns ``(department, changed)``."""
    code = code.strip().upper()
    if not code:
        raise ValidationFailed("Mã phòng, bộ phận không được để trống.", code="invalid_department_code")
    department, created = Department.objects.get_or_create(agency=agency, code=code, defaults={"name": name})
    changed = created or bool(_apply(department, {"name": name, "is_active": True}))
    if changed:
        if not created:
            department.save()
        _audit(
            actor=actor,
            action="org.department_create" if created else "org.department_update",
            target=department,
            data={"agency": agency.code, "code": code, "name": department.name},
        )
    return department, changed


# --- memberships ---------------------------------------------------------------------------------


@transaction.atomic
def membership_grant(
    *,
    actor,
    user,
    agency: Agency,
    role: str,
    department: Department | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> tuple[Membership, bool]:
    """Give ``user`` the ``role`` in ``agency`` (re-activating a revoked one). Returns ``(membership, changed)``."""
    if role not in Role.values:
        raise ValidationFailed(f"Vai trò không hợp lệ: {role}.", code="invalid_role")
    if department is not None and department.agency_id != agency.pk:
        raise ValidationFailed("Phòng, bộ phận không thuộc cơ quan đã chọn.", code="department_not_in_agency")
    if valid_from and valid_to and valid_from > valid_to:
        raise ValidationFailed("Ngày bắt đầu phải trước ngày kết thúc.", code="invalid_date_range")
    membership = (
        Membership.objects.select_for_update()
        .filter(user=user, agency=agency, role=role, department=department)
        .first()
    )
    values = {"is_active": True, "valid_from": valid_from, "valid_to": valid_to}
    if membership is None:
        membership = Membership.objects.create(user=user, agency=agency, role=role, department=department, **values)
        changed = values
    else:
        changed = _apply(membership, values)
        if changed:
            membership.save()
    if changed:
        _audit(
            actor=actor,
            action="org.membership_grant",
            target=membership,
            data={
                "user": user.username,
                "agency": agency.code,
                "department": department.code if department else None,
                "role": role,
                "valid_from": valid_from.isoformat() if valid_from else None,
                "valid_to": valid_to.isoformat() if valid_to else None,
            },
        )
    return membership, bool(changed)


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> Membership:
    """End a membership now (kept for history: who held which role when)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        _audit(
            actor=actor,
            action="org.membership_revoke",
            target=membership,
            data={"user": membership.user.username, "agency": membership.agency.code, "role": membership.role},
        )
    return membership
