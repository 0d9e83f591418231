"""Fixtures shared by the portal and backoffice page tests (imported by both conftests): a commune
service centre with its staff, a province department for liên thông, citizens, and a published
procedure with an e-form, required documents and the default process of the dossier tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings as dj_settings

from tinhso.accounts.models import User
from tinhso.dossiers.inputs import ApplicantInput
from tinhso.dossiers.tests import factories as f
from tinhso.org.models import Agency
from tinhso.signing.testing import fast_keys  # noqa: F401 - used by site_pki, re-exported by the conftests

EFORM = {
    "type": "object",
    "title": "Tờ khai cấp bản sao trích lục",
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ, chữ đệm và tên người được cấp", "maxLength": 100},
        "ngay_dang_ky": {"type": "string", "format": "date", "title": "Ngày đăng ký",
                         "formatMaximum": "today"},
        "so_ban": {"type": "integer", "title": "Số bản sao", "minimum": 1, "maximum": 10},
        "cam_doan": {"type": "boolean", "const": True, "title": "Tôi cam đoan nội dung khai là đúng sự thật"},
    },
    "required": ["ho_ten", "so_ban", "cam_doan"],
    "x-order": ["ho_ten", "ngay_dang_ky", "so_ban", "cam_doan"],
}


@dataclass
class Site:
    province: Agency
    centre: Agency
    other: Agency
    department: Agency
    reception: User
    unit_head: User
    specialist: User
    leader: User
    clerk: User
    other_reception: User
    dept_specialist: User
    citizen: User
    other_citizen: User
    proc: f.ProcedureSetup

    def documents(self, owner=None):
        owner = owner or self.citizen
        return [
            {"required_document": "to-khai", "file_ids": [str(f.upload(owner, "to-khai.pdf").pk)]},
            {"required_document": "cccd", "file_ids": [str(f.upload(owner, "cccd.png", f.png_bytes()).pk)]},
        ]

    def submit(self, *, actor=None, **overrides):
        from tinhso.dossiers.services import dossier_create

        actor = actor or self.citizen
        applicant = f.applicant()
        if actor == self.other_citizen:
            applicant = f.applicant(full_name="Bùi Thị Bình", id_number=f.OTHER_CITIZEN_ID, phone="0987654321")
        kwargs = {"procedure_code": self.proc.code, "channel": "online",
                  "applicant": ApplicantInput.from_mapping(applicant), "documents": self.documents(actor),
                  "form_data": {"ho_ten": "Nguyễn Văn An", "so_ban": 1, "cam_doan": True}}
        kwargs.update(overrides)
        return dossier_create(actor=actor, **kwargs)

    def received(self, **overrides):
        from tinhso.dossiers.services import dossier_receive

        return dossier_receive(actor=self.reception, dossier=self.submit(**overrides))


@pytest.fixture
def site(db) -> Site:
    from tinhso.workdays.services import work_calendar_create, workdays_seed

    calendar = work_calendar_create(code="PT", name="Lịch làm việc tỉnh")
    workdays_seed(calendar=calendar, years=[2025, 2026, 2027])
    province = Agency.objects.create(code=dj_settings.TINHSO_PROVINCE_CODE, name="Ủy ban nhân dân tỉnh Phú Thọ",
                                     level="province", kind="people_committee", work_calendar=calendar)
    centre = Agency.objects.create(code="H44.12", name="Trung tâm Phục vụ hành chính công phường Việt Trì",
                                   level="commune", kind="service_center", parent=province, phone="02103846000")
    other = Agency.objects.create(code="H44.13", name="Trung tâm Phục vụ hành chính công xã Lâm Thao",
                                  level="commune", kind="service_center", parent=province)
    department = Agency.objects.create(code="H44.02", name="Sở Tư pháp tỉnh Phú Thọ", level="province",
                                       kind="department", parent=province)
    return Site(
        province=province, centre=centre, other=other, department=department,
        reception=f.grant(f.user("tiepnhan", full_name="Trần Thị Tiếp Nhận"), centre, "reception"),
        unit_head=f.grant(f.user("truongphong", full_name="Lê Văn Trưởng"), centre, "unit_head"),
        specialist=f.grant(f.user("chuyenvien", full_name="Phạm Thị Chuyên"), centre, "specialist"),
        leader=f.grant(f.user("lanhdao", full_name="Hoàng Văn Lãnh"), centre, "leader"),
        clerk=f.grant(f.user("vanthu", full_name="Vũ Thị Văn"), centre, "clerk"),
        other_reception=f.grant(f.user("tiepnhan-khac", full_name="Cán Bộ Khác"), other, "reception"),
        dept_specialist=f.grant(f.user("chuyenvien-so", full_name="Chuyên Viên Sở"), department, "specialist"),
        citizen=f.user(f.CITIZEN_ID, kind=User.Kind.CITIZEN, full_name="Nguyễn Văn An", id_number=f.CITIZEN_ID,
                       phone=f.CITIZEN_PHONE, email="an@example.vn", birth_date=None),
        other_citizen=f.user(f.OTHER_CITIZEN_ID, kind=User.Kind.CITIZEN, full_name="Bùi Thị Bình",
                             id_number=f.OTHER_CITIZEN_ID, phone="0987654321"),
        proc=_procedure(receiving=[centre]),
    )


def _procedure(**kwargs):
    from tinhso.catalog.models import ProcedureVersion

    setup = f.procedure(eform=EFORM, **kwargs)
    ProcedureVersion.objects.filter(pk=setup.version.pk).update(online_level="FULL")
    setup.version.refresh_from_db()
    return setup


@pytest.fixture
def site_pki(site, fast_keys):  # noqa: F811 - the fixture imported above
    """The demo CA and TSA, the leader's certificate and the centre's: the leader's approval signs the
    result and the clerk's issue seals it (``TINHSO_RESULT_SIGNING_REQUIRED``, docs/dossiers.md)."""
    from tinhso.signing.testing import signing_setup

    return signing_setup(agency=site.centre, leader=site.leader, clerk=site.clerk)
