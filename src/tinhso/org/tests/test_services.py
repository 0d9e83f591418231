import datetime as dt

import pytest

from tinhso.core.errors import ValidationFailed
from tinhso.core.models import AuditEntry
from tinhso.org.models import AdministrativeUnit, LegacyUnitMapping
from tinhso.org.selectors import administrative_unit_get, administrative_unit_successors
from tinhso.org.services import (
    administrative_units_load,
    agency_ensure,
    department_ensure,
    membership_grant,
    membership_revoke,
)
from tinhso.org.tests.factories import AgencyFactory, DepartmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_units_load_builds_2025_and_legacy_provinces_and_the_wards_asked_for():
    result = administrative_units_load(ward_provinces=["H44"])

    current = AdministrativeUnit.objects.filter(valid_to__isnull=True)
    assert current.filter(kind__in=["province", "city"]).count() == 34
    assert current.filter(kind="city").count() == 6
    assert current.filter(parent__code="25").count() == 148  # 15 phường + 133 xã of Phú Thọ
    assert not current.filter(parent__code="01").exists()  # Hà Nội's wards were not asked for
    assert AdministrativeUnit.objects.filter(valid_to=dt.date(2025, 6, 30)).count() == 63
    assert result.provinces == ["25"]

    phu_tho = administrative_unit_get(code="25")
    assert (phu_tho.name, phu_tho.dvc_code, phu_tho.valid_from) == ("Tỉnh Phú Thọ", "H44", dt.date(2025, 7, 1))
    viet_tri = administrative_unit_get(code="07900")
    assert (viet_tri.name, viet_tri.short_name, viet_tri.kind, viet_tri.parent) == (
        "Phường Việt Trì", "Việt Trì", "ward", phu_tho
    )


def test_old_provinces_map_to_the_province_that_absorbed_them():
    administrative_units_load(ward_provinces=[])
    old_vinh_phuc = administrative_unit_get(code="26", on=dt.date(2024, 12, 31))
    assert old_vinh_phuc.name == "Tỉnh Vĩnh Phúc"
    assert [u.name for u in administrative_unit_successors(unit=old_vinh_phuc)] == ["Tỉnh Phú Thọ"]
    # Code 25 meant old Phú Thọ in 2024 and means the merged province today.
    assert administrative_unit_get(code="25", on=dt.date(2024, 1, 1)).valid_to == dt.date(2025, 6, 30)
    assert administrative_unit_get(code="25").valid_to is None
    assert LegacyUnitMapping.objects.filter(new_unit__code="25").count() == 3


def test_units_load_is_idempotent():
    administrative_units_load(ward_provinces=["H44"])
    before = AdministrativeUnit.objects.count(), LegacyUnitMapping.objects.count()
    again = administrative_units_load(ward_provinces=["25"])
    assert (again.created, again.updated, again.mappings_created) == (0, 0, 0)
    assert (AdministrativeUnit.objects.count(), LegacyUnitMapping.objects.count()) == before


def test_agency_ensure_changes_and_audits_only_what_differs():
    agency, changed = agency_ensure(actor=None, code="H44.02", name="Sở Tư pháp", level="province", kind="department")
    assert changed
    audits = AuditEntry.objects.count()
    _, changed = agency_ensure(actor=None, code="H44.02", name="Sở  Tư pháp ", level="province", kind="department")
    assert not changed and AuditEntry.objects.count() == audits
    agency, changed = agency_ensure(actor=None, code="H44.02", name="Sở Tư pháp tỉnh", level="province",
                                    kind="department")
    assert changed and agency.name == "Sở Tư pháp tỉnh"
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "org.agency_update" and entry.data == {"name": "Sở Tư pháp tỉnh"}


def test_agency_cannot_become_its_own_ancestor():
    parent = AgencyFactory(code="H98")
    child = AgencyFactory(code="H98.01", parent=parent)
    with pytest.raises(ValidationFailed) as info:
        agency_ensure(actor=None, code="H98", name=parent.name, level="province", parent=child)
    assert info.value.code == "agency_parent_cycle"


def test_department_ensure_is_idempotent():
    agency = AgencyFactory()
    first, created = department_ensure(actor=None, agency=agency, code="hctp", name="Phòng Hành chính tư pháp")
    again, changed = department_ensure(actor=None, agency=agency, code="HCTP", name="Phòng Hành chính tư pháp")
    assert created and not changed and first.pk == again.pk and again.code == "HCTP"


def test_membership_grant_refuses_a_department_of_another_agency():
    agency = AgencyFactory()
    other_department = DepartmentFactory()
    membership = MembershipFactory.build(agency=agency)
    membership.user.save()
    with pytest.raises(ValidationFailed) as info:
        membership_grant(actor=None, user=membership.user, agency=agency, role="specialist",
                         department=other_department)
    assert info.value.code == "department_not_in_agency"


def test_membership_grant_rejects_unknown_role_and_revoke_keeps_history():
    membership = MembershipFactory()
    with pytest.raises(ValidationFailed) as info:
        membership_grant(actor=None, user=membership.user, agency=membership.agency, role="director")
    assert info.value.code == "invalid_role"
    membership_revoke(actor=None, membership=membership)
    membership.refresh_from_db()
    assert membership.is_active is False
    regranted, changed = membership_grant(actor=None, user=membership.user, agency=membership.agency,
                                          role=membership.role)
    assert changed and regranted.pk == membership.pk and regranted.is_active
