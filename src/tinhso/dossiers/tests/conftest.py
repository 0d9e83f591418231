"""Fixtures of the dossier tests: a province with its 2026 calendar, two communes' service centres,
a department, the people who work there, a citizen, and one published procedure."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings as dj_settings

from tinhso.accounts.models import User
from tinhso.core.testing import captured_events
from tinhso.dossiers.inputs import ApplicantInput
from tinhso.dossiers.tests import factories as f
from tinhso.org.models import Agency
from tinhso.signing.testing import fast_keys  # noqa: F401 - fixture re-exported


@dataclass
class World:
    province: Agency
    centre: Agency  # receives dossiers (TTPVHCC of a commune)
    other: Agency  # another commune's centre
    department: Agency  # a province department (liên thông)
    reception: User
    unit_head: User
    specialist: User
    specialist2: User
    leader: User
    clerk: User
    other_reception: User
    dept_specialist: User
    citizen: User
    other_citizen: User
    proc: f.ProcedureSetup

    def files(self, owner=None, *names):
        owner = owner or self.citizen
        return [str(f.upload(owner, name).pk) for name in (names or ("to-khai.pdf",))]

    def documents(self, owner=None):
        owner = owner or self.citizen
        return [
            {"required_document": "to-khai", "file_ids": [str(f.upload(owner, "to-khai.pdf").pk)]},
            {"required_document": "cccd", "file_ids": [str(f.upload(owner, "cccd.png", f.png_bytes()).pk)]},
        ]


def regulations_ensure() -> None:
    """The data migration's rows; a transactional test's flush removes them, so put them back."""
    import importlib

    from django.apps import apps

    importlib.import_module("tinhso.dossiers.migrations.0002_seed_regulations").seed(apps, None)
    importlib.import_module("tinhso.dossiers.migrations.0005_regulation_tt03_from_15_09_2025").seed(apps, None)


@pytest.fixture
def world(db) -> World:
    from tinhso.workdays.services import work_calendar_create, workdays_seed

    regulations_ensure()
    calendar = work_calendar_create(code="PT", name="Lịch làm việc tỉnh")
    workdays_seed(calendar=calendar, years=[2025, 2026])
    province = Agency.objects.create(code=dj_settings.TINHSO_PROVINCE_CODE, name="Ủy ban nhân dân tỉnh Phú Thọ",
                                     level="province", kind="people_committee", work_calendar=calendar)
    centre = Agency.objects.create(code="H44.12", name="Trung tâm Phục vụ hành chính công phường Việt Trì",
                                   level="commune", kind="service_center", parent=province, phone="02103846000")
    other = Agency.objects.create(code="H44.13", name="Trung tâm Phục vụ hành chính công xã Lâm Thao",
                                  level="commune", kind="service_center", parent=province)
    department = Agency.objects.create(code="H44.02", name="Sở Tư pháp tỉnh Phú Thọ", level="province",
                                       kind="department", parent=province)
    reception = f.grant(f.user("tiepnhan", full_name="Trần Thị Tiếp Nhận"), centre, "reception")
    unit_head = f.grant(f.user("truongphong", full_name="Lê Văn Trưởng"), centre, "unit_head")
    specialist = f.grant(f.user("chuyenvien", full_name="Phạm Thị Chuyên"), centre, "specialist")
    specialist2 = f.grant(f.user("chuyenvien2", full_name="Đỗ Văn Hai"), centre, "specialist")
    leader = f.grant(f.user("lanhdao", full_name="Hoàng Văn Lãnh"), centre, "leader")
    clerk = f.grant(f.user("vanthu", full_name="Vũ Thị Văn"), centre, "clerk")
    other_reception = f.grant(f.user("tiepnhan-khac"), other, "reception")
    dept_specialist = f.grant(f.user("chuyenvien-so"), department, "specialist")
    citizen = f.user(f.CITIZEN_ID, kind=User.Kind.CITIZEN, full_name="Nguyễn Văn An", id_number=f.CITIZEN_ID,
                     phone=f.CITIZEN_PHONE, email="an@example.vn")
    other_citizen = f.user(f.OTHER_CITIZEN_ID, kind=User.Kind.CITIZEN, full_name="Bùi Thị Bình",
                           id_number=f.OTHER_CITIZEN_ID, phone="0987654321")
    proc = f.procedure(receiving=[centre])
    return World(province=province, centre=centre, other=other, department=department, reception=reception,
                 unit_head=unit_head, specialist=specialist, specialist2=specialist2, leader=leader, clerk=clerk,
                 other_reception=other_reception, dept_specialist=dept_specialist, citizen=citizen,
                 other_citizen=other_citizen, proc=proc)


@pytest.fixture
def pki(world, fast_keys):  # noqa: F811 - the fixture above
    """The demo CA and TSA, the leader's personal certificate and the centre's agency certificate:
    what ``sign``/``approve`` and ``issue_result`` need (``TINHSO_RESULT_SIGNING_REQUIRED``)."""
    from tinhso.signing.testing import signing_setup

    return signing_setup(agency=world.centre, leader=world.leader, clerk=world.clerk)


@pytest.fixture
def signing_not_required(settings):
    """Results pass unsigned (``TINHSO_RESULT_SIGNING_REQUIRED=false``): for tests of other rules whose
    ``clock`` runs in early 2026, before any test certificate is valid."""
    settings.TINHSO_RESULT_SIGNING_REQUIRED = False


@pytest.fixture
def submit(world):
    """Submit an online dossier as the citizen: ``submit(**overrides)`` → Dossier."""
    from tinhso.dossiers.services import dossier_create

    def run(actor=None, **overrides):
        actor = actor or world.citizen
        kwargs = {"procedure_code": world.proc.code, "channel": "online",
                  "applicant": ApplicantInput.from_mapping(f.applicant()),
                  "documents": world.documents(actor), "form_data": {}}
        kwargs.update(overrides)
        return dossier_create(actor=actor, **kwargs)

    return run


@pytest.fixture
def received(world, submit):
    """A submitted and received online dossier, at its first step (phan-cong)."""
    from tinhso.dossiers.services import dossier_receive

    def run(**overrides):
        dossier = submit(**overrides)
        return dossier_receive(actor=world.reception, dossier=dossier)

    return run


@pytest.fixture
def events():
    with captured_events(deliver=False) as captured:
        yield captured


class Clock:
    """``timezone.now()`` under the test's control: ``clock.set(2026, 2, 12, 10)`` (Vietnam time)."""

    def __init__(self):
        self.now = None

    def set(self, *parts):
        from datetime import datetime

        from django.utils import timezone

        self.now = timezone.make_aware(datetime(*parts))
        return self.now

    def advance(self, **delta):
        from datetime import timedelta

        self.now = self.now + timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    from django.utils import timezone

    real_now = timezone.now
    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now if clock.now is not None else real_now())
    return clock
