"""A province with its calendar, a commune people's committee and a department, with a person for
every step of the document office; ``draft`` makes an outgoing draft, ``flow`` walks it forward."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings as dj_settings

from tinhso.accounts.models import User
from tinhso.documents.models import DocumentProfile
from tinhso.org.models import Agency, Department, Membership
from tinhso.signing.testing import fast_keys  # noqa: F401 - fixture re-exported


def person(username: str, full_name: str, agency: Agency, *roles: str, department=None) -> User:
    user = User.objects.create(username=username, kind=User.Kind.STAFF, full_name=full_name)
    user.set_password("mat-khau-thu-nghiem-2026")
    user.save()
    for role in roles:
        Membership.objects.create(user=user, agency=agency, role=role, department=department)
    return user


@dataclass
class World:
    province: Agency
    commune: Agency
    department: Agency
    commune_office: Department
    dept_office: Department
    dept_legal: Department
    drafter: User  # commune specialist
    unit_head: User  # head of the commune's office
    chairman: User  # commune chairman (leader)
    clerk: User  # commune văn thư
    dept_clerk: User
    director: User  # department director (leader)
    dept_head: User  # head of the department's legal unit
    dept_specialist: User
    outsider: User  # a specialist of another agency


@pytest.fixture
def world(db) -> World:
    from tinhso.workdays.services import work_calendar_create, workdays_seed

    calendar = work_calendar_create(code="PT", name="Lịch làm việc tỉnh")
    workdays_seed(calendar=calendar, years=[2025, 2026, 2027])
    province = Agency.objects.create(code=dj_settings.TINHSO_PROVINCE_CODE, name="Ủy ban nhân dân tỉnh Phú Thọ",
                                     level="province", kind="people_committee", work_calendar=calendar)
    commune = Agency.objects.create(code="H44.12", name="Ủy ban nhân dân xã Lâm Thao", level="commune",
                                    kind="people_committee", parent=province)
    department = Agency.objects.create(code="H44.02", name="Sở Tư pháp tỉnh Phú Thọ", level="province",
                                       kind="department", parent=province)
    DocumentProfile.objects.create(agency=commune, notation="UBND", place="Lâm Thao",
                                   governing_body="")
    DocumentProfile.objects.create(agency=department, notation="STP", place="Phú Thọ",
                                   governing_body="Ủy ban nhân dân tỉnh Phú Thọ")
    office = Department.objects.create(agency=commune, code="VP", name="Văn phòng HĐND và UBND")
    dept_office = Department.objects.create(agency=department, code="VP", name="Văn phòng Sở")
    legal = Department.objects.create(agency=department, code="XDKT", name="Phòng Xây dựng và kiểm tra văn bản")
    other = Agency.objects.create(code="H44.13", name="Ủy ban nhân dân xã Hạ Hòa", level="commune",
                                  kind="people_committee", parent=province)
    return World(
        province=province, commune=commune, department=department, commune_office=office, dept_office=dept_office,
        dept_legal=legal,
        drafter=person("cv-lamthao", "Phạm Thị Soạn", commune, "specialist", department=office),
        unit_head=person("cvp-lamthao", "Lê Văn Duyệt", commune, "unit_head", department=office),
        chairman=person("ct-lamthao", "Nguyễn Văn Chủ", commune, "leader"),
        clerk=person("vt-lamthao", "Vũ Thị Văn", commune, "clerk"),
        dept_clerk=person("vt-stp", "Đỗ Thị Thư", department, "clerk"),
        director=person("gd-stp", "Trần Văn Giám", department, "leader"),
        dept_head=person("tp-stp", "Hoàng Thị Phòng", department, "unit_head", department=legal),
        dept_specialist=person("cv-stp", "Bùi Văn Chuyên", department, "specialist", department=legal),
        outsider=person("cv-hahoa", "Kiều Văn Ngoài", other, "specialist", "leader", "clerk"),
    )


@pytest.fixture
def unsigned(settings):
    """Signing not required: for tests of numbering and access that do not need certificates."""
    settings.TINHSO_DOCUMENT_SIGNING_REQUIRED = False


@pytest.fixture
def pki(world, fast_keys):  # noqa: F811
    from tinhso.signing.testing import signing_setup

    setup = signing_setup(agency=world.commune, leader=world.chairman)
    return setup


@pytest.fixture
def draft(world):
    from tinhso.documents.services import outgoing_create

    def make(**overrides):
        values = dict(actor=world.drafter, agency=world.commune, doc_type="CV",
                      subject="Đề nghị hướng dẫn chứng thực hợp đồng chuyển nhượng đất",
                      body="Ủy ban nhân dân xã Lâm Thao đề nghị Sở Tư pháp hướng dẫn.\nTrân trọng./.",
                      signer=world.chairman, signer_title="Chủ tịch", authority="", recipients=[{"code": "H44.02"}])
        values.update(overrides)
        return outgoing_create(**values)

    return make


@pytest.fixture
def act():
    from tinhso.documents.actions import incoming_perform, outgoing_perform
    from tinhso.documents.models import IncomingDocument

    def run(actor, document, name, expected_version=None, **data):
        perform = incoming_perform if isinstance(document, IncomingDocument) else outgoing_perform
        return perform(actor=actor, document=document, name=name, data=data, expected_version=expected_version)

    return run


@pytest.fixture
def flow(world, draft, act):
    """Walk a new draft to ``until`` (in_review, awaiting_signature, signed, issued)."""

    def run(until: str = "issued", **overrides):
        doc = draft(**overrides)
        steps = [("in_review", world.drafter, "submit", {"reviewer": world.unit_head.username}),
                 ("awaiting_signature", world.unit_head, "pass_on", {}),
                 ("signed", overrides.get("signer", world.chairman), "sign", {}),
                 ("issued", world.clerk, "issue", {})]
        for state, actor, name, data in steps:
            doc = act(actor, doc, name, **data)
            if state == until:
                break
        return doc

    return run
