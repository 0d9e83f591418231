"""Building blocks of the dossier tests: a published procedure with a process, people with roles, files."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from tinhso.accounts.models import User
from tinhso.catalog.choices import AgencyRole, StepAction, StepScope, VersionStatus
from tinhso.catalog.models import (
    Fee,
    Procedure,
    ProcedureAgency,
    ProcedureVersion,
    ProcessDefinition,
    RequiredDocument,
    Sector,
    Step,
    Transition,
)
from tinhso.core.files import bytes_upload, file_store
from tinhso.org.models import Agency, Membership

CITIZEN_ID = "001099012345"
CITIZEN_PHONE = "0912345678"
OTHER_CITIZEN_ID = "034200001234"
BUSINESS_TAX = "0100109106"


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes(color: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(user, name: str = "giay-to.pdf", content: bytes | None = None):
    return file_store(uploaded_by=user, upload=bytes_upload(content if content is not None else pdf_bytes(), name))


def user(username: str, *, kind: str = User.Kind.STAFF, **fields) -> User:
    person = User.objects.create(username=username, kind=kind, full_name=fields.pop("full_name", username.title()),
                                 **fields)
    person.set_password("mat-khau-thu-nghiem-2026")
    person.save()
    return person


def grant(person: User, agency: Agency, *roles: str, department=None) -> User:
    for role in roles:
        Membership.objects.create(user=person, agency=agency, role=role, department=department)
    return person


# The default process: assign (unit head) → appraise (specialist) → approve (leader) → issue (clerk).
DEFAULT_STEPS = [
    {"code": "phan-cong", "name": "Phân công thụ lý", "role": "unit_head", "days": "0.5"},
    {"code": "tham-dinh", "name": "Thẩm định hồ sơ", "role": "specialist", "days": "2"},
    {"code": "phe-duyet", "name": "Phê duyệt", "role": "leader", "days": "1"},
    {"code": "ban-hanh", "name": "Ban hành kết quả", "role": "clerk", "days": "0.5"},
]
DEFAULT_TRANSITIONS = [
    ("phan-cong", StepAction.ASSIGN, "tham-dinh"),
    ("tham-dinh", StepAction.FORWARD, "phe-duyet"),
    ("tham-dinh", StepAction.REQUEST_SUPPLEMENT, "tham-dinh"),
    ("tham-dinh", StepAction.REQUEST_PAYMENT, "tham-dinh"),
    ("tham-dinh", StepAction.CONSULT, "tham-dinh"),
    ("phe-duyet", StepAction.APPROVE, "ban-hanh"),
    ("phe-duyet", StepAction.SEND_BACK, "tham-dinh"),
    ("phe-duyet", StepAction.DENY, None),
    ("ban-hanh", StepAction.ISSUE_RESULT, None),
]


@dataclass
class ProcedureSetup:
    version: ProcedureVersion
    documents: list[RequiredDocument]

    @property
    def code(self) -> str:
        return self.version.procedure.code


def procedure(
    *, code: str = "1.000001", receiving: list[Agency], name: str = "Cấp bản sao trích lục hộ tịch",
    time_value: str = "5", time_unit: str = "working_days", channels=("direct", "online", "post"),
    documents=None, eform: dict | None = None, steps=None, transitions=None, fees=(), complete: bool = True,
    competent: Agency | None = None,
) -> ProcedureSetup:
    """A published, complete procedure version with documents, agencies and a process."""
    sector, _ = Sector.objects.get_or_create(code="ho-tich", defaults={"name": "Hộ tịch"})
    proc = Procedure.objects.create(code=code)
    version = ProcedureVersion.objects.create(
        procedure=proc, number=1, status=VersionStatus.DRAFT, name=name, sector=sector, level="commune",
        applicant_types=["Công dân Việt Nam"], processing_time_value=Decimal(time_value),
        processing_time_unit=time_unit, submission_channels=list(channels), eform_schema=eform,
        steps_text="Nộp hồ sơ; tiếp nhận; giải quyết; trả kết quả.", result_text="Bản sao trích lục",
        legal_basis=[{"number": "123/2015/NĐ-CP"}],
    )
    specs = documents if documents is not None else [
        {"code": "to-khai", "name": "Tờ khai cấp bản sao trích lục", "accepts": ["pdf"]},
        {"code": "cccd", "name": "Căn cước công dân", "accepts": []},
        {"code": "uy-quyen", "name": "Văn bản ủy quyền (nếu có)", "required": False},
    ]
    docs = [
        RequiredDocument.objects.create(version=version, code=d["code"], name=d["name"], order=i,
                                        case_name=d.get("case", ""), is_required=d.get("required", True),
                                        accepts=d.get("accepts", []), channels=d.get("channels", []),
                                        replaced_by_eform=d.get("replaced_by_eform", False))
        for i, d in enumerate(specs)
    ]
    for agency in receiving:
        ProcedureAgency.objects.create(version=version, agency=agency, role=AgencyRole.RECEIVING)
    if competent is not None:
        ProcedureAgency.objects.create(version=version, agency=competent, role=AgencyRole.COMPETENT)
    for order, fee in enumerate(fees):
        Fee.objects.create(version=version, order=order, name=fee["name"], amount=Decimal(fee["amount"]),
                           channel=fee.get("channel", "all"))
    definition = ProcessDefinition.objects.create(version=version)
    by_code = {}
    for order, spec in enumerate(steps or DEFAULT_STEPS, start=1):
        by_code[spec["code"]] = Step.objects.create(
            definition=definition, code=spec["code"], name=spec["name"], order=order, role=spec["role"],
            agency_scope=spec.get("scope", StepScope.RECEIVING), agency=spec.get("agency"),
            department_code=spec.get("department", ""), duration_value=Decimal(spec.get("days", "0")),
            duration_unit=spec.get("unit", "working_days"),
        )
    for source, action, target in transitions or DEFAULT_TRANSITIONS:
        Transition.objects.create(definition=definition, from_step=by_code[source], action=action,
                                  to_step=by_code[target] if target else None)
    ProcedureVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.PUBLISHED, effective_from=date(2018, 1, 1), published_at=timezone.now(),
        is_complete=complete,
    )
    version.refresh_from_db()
    Procedure.objects.filter(pk=proc.pk).update(current_version=version)
    return ProcedureSetup(version=version, documents=docs)


def applicant(**overrides) -> dict:
    data = {"kind": "citizen", "full_name": "Nguyễn Văn An", "id_number": CITIZEN_ID, "phone": CITIZEN_PHONE,
            "email": "an@example.vn", "address": "Phường Việt Trì, tỉnh Phú Thọ"}
    data.update(overrides)
    return data
