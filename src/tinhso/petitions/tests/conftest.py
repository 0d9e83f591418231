"""Fixtures of the feedback tests: the province and its 2026 calendar, a commune (ward) with its
People's Committee, a province department, the people who work there, and two citizens."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings as dj_settings

from tinhso.accounts.models import User
from tinhso.core.files import bytes_upload
from tinhso.core.testing import captured_events
from tinhso.dossiers.tests import factories as f
from tinhso.dossiers.tests.conftest import Clock
from tinhso.org.models import AdministrativeUnit, Agency
from tinhso.petitions.models import RoutingRule
from tinhso.petitions.services import PetitionDraft


@dataclass
class World:
    province: Agency
    commune_agency: Agency
    department: Agency
    ward: AdministrativeUnit
    reception: User
    specialist: User
    officer: User  # the officer a conduct complaint names
    leader: User
    dept_reception: User
    dept_specialist: User
    dept_leader: User
    outsider: User  # staff of another agency
    citizen: User
    other_citizen: User


@pytest.fixture
def world(db) -> World:
    from tinhso.workdays.services import work_calendar_create, workdays_seed

    calendar = work_calendar_create(code="PT", name="Lịch làm việc tỉnh")
    workdays_seed(calendar=calendar, years=[2025, 2026, 2027])
    province_unit = AdministrativeUnit.objects.create(code="25", name="Tỉnh Phú Thọ", kind="province")
    ward = AdministrativeUnit.objects.create(code="07900", name="Phường Việt Trì", kind="ward", parent=province_unit)
    province = Agency.objects.create(code=dj_settings.TINHSO_PROVINCE_CODE, name="Ủy ban nhân dân tỉnh Phú Thọ",
                                     level="province", kind="people_committee", work_calendar=calendar)
    commune_agency = Agency.objects.create(code="H44.12", name="Ủy ban nhân dân phường Việt Trì", level="commune",
                                           kind="people_committee", parent=province, administrative_unit=ward)
    department = Agency.objects.create(code="H44.02", name="Sở Tư pháp tỉnh Phú Thọ", level="province",
                                       kind="department", parent=province)
    other = Agency.objects.create(code="H44.13", name="Ủy ban nhân dân xã Lâm Thao", level="commune",
                                  kind="people_committee", parent=province)
    RoutingRule.objects.create(position=10, commune=ward, agency=commune_agency)
    world = World(
        province=province, commune_agency=commune_agency, department=department, ward=ward,
        reception=f.grant(f.user("tiepnhan", full_name="Trần Thị Tiếp Nhận"), commune_agency, "reception"),
        specialist=f.grant(f.user("chuyenvien", full_name="Phạm Thị Chuyên"), commune_agency, "specialist"),
        officer=f.grant(f.user("canbo-bi-phan-anh", full_name="Đỗ Văn Bị"), commune_agency, "specialist"),
        leader=f.grant(f.user("lanhdao", full_name="Hoàng Văn Lãnh"), commune_agency, "leader"),
        dept_reception=f.grant(f.user("tiepnhan-so"), department, "reception"),
        dept_specialist=f.grant(f.user("chuyenvien-so", full_name="Lý Thị Sở"), department, "specialist"),
        dept_leader=f.grant(f.user("lanhdao-so"), department, "leader"),
        outsider=f.grant(f.user("canbo-xa-khac"), other, "reception"),
        citizen=f.user(f.CITIZEN_ID, kind=User.Kind.CITIZEN, full_name="Nguyễn Văn An", id_number=f.CITIZEN_ID,
                       phone=f.CITIZEN_PHONE, email="an@example.vn"),
        other_citizen=f.user(f.OTHER_CITIZEN_ID, kind=User.Kind.CITIZEN, full_name="Bùi Thị Bình",
                             id_number=f.OTHER_CITIZEN_ID, phone="0987654321"),
    )
    return world


def draft(**overrides) -> PetitionDraft:
    values = {"kind": "regulation", "subject": "Thủ tục đăng ký khai sinh yêu cầu giấy tờ không có trong quy định",
              "content": "Khi nộp hồ sơ, tôi được yêu cầu nộp thêm giấy xác nhận cư trú.", "commune_code": "07900"}
    values.update(overrides)
    return PetitionDraft(**values)


def photo(name="anh.png"):
    return bytes_upload(f.png_bytes(), name)


@pytest.fixture
def send(world):
    """A petition sent by the signed-in citizen: ``send(**draft overrides)``."""
    from tinhso.petitions.services import petition_submit

    def run(actor=None, uploads=(), **overrides):
        return petition_submit(actor=actor or world.citizen, draft=draft(**overrides), uploads=uploads,
                               client_ip="10.0.0.1")

    return run


@pytest.fixture
def act(world):
    """``act(actor, petition, "accept", reason=...)`` through the registry; returns the fresh petition."""
    from tinhso.petitions.actions import petition_action_perform

    def run(actor, petition, name, **data):
        petition_action_perform(actor=actor, petition=petition, name=name, data=data)
        petition.refresh_from_db()
        return petition

    return run


@pytest.fixture
def events():
    with captured_events(deliver=False) as captured:
        yield captured


@pytest.fixture
def clock(monkeypatch):
    from django.utils import timezone

    real_now = timezone.now
    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now if clock.now is not None else real_now())
    return clock
