"""What a caller hands to the submission services, and its validation.

The API, the portal wizard and the counter screen all build these plain objects and pass them to
``dossier_create`` / ``dossier_draft_save`` / ``dossier_intake``; every rule (identifiers, which
documents are required, which files may be attached) is checked in the services, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from tinhso.core.errors import ValidationFailed
from tinhso.core.text import clean_text
from tinhso.core.validators import normalize_phone, validate_id_number, validate_tax_code
from tinhso.dossiers.models import ApplicantKind


@dataclass
class ApplicantInput:
    """Chủ hồ sơ as declared: a citizen (``id_number``) or a business (``tax_code``)."""

    kind: str = ApplicantKind.CITIZEN
    full_name: str = ""
    id_number: str = ""
    tax_code: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    birth_date: date | None = None

    @classmethod
    def from_mapping(cls, data: Mapping | None) -> ApplicantInput:
        data = data or {}
        birth = data.get("birth_date")
        if isinstance(birth, str) and birth:
            try:
                birth = date.fromisoformat(birth)
            except ValueError:
                raise ValidationFailed("Ngày sinh phải có dạng YYYY-MM-DD.", code="invalid_birth_date") from None
        return cls(
            kind=str(data.get("kind") or ApplicantKind.CITIZEN),
            full_name=str(data.get("full_name") or ""),
            id_number=str(data.get("id_number") or ""),
            tax_code=str(data.get("tax_code") or ""),
            phone=str(data.get("phone") or ""),
            email=str(data.get("email") or ""),
            address=str(data.get("address") or ""),
            birth_date=birth or None,
        )

    @classmethod
    def from_account(cls, user) -> ApplicantInput:
        """The applicant a citizen or business account stands for (the wizard's default)."""
        kind = ApplicantKind.BUSINESS if user.kind == "business" else ApplicantKind.CITIZEN
        return cls(kind=kind, full_name=user.full_name or "", id_number=user.id_number or "",
                   tax_code=user.tax_code or "", phone=user.phone or "", email=user.email or "",
                   address=user.address or "", birth_date=user.birth_date)


@dataclass(frozen=True)
class CleanApplicant:
    kind: str
    full_name: str
    id_number: str
    tax_code: str
    phone: str
    email: str
    address: str
    birth_date: date | None

    def as_fields(self) -> dict:
        return {
            "applicant_kind": self.kind, "applicant_name": self.full_name,
            "applicant_id_number": self.id_number, "applicant_tax_code": self.tax_code,
            "applicant_phone": self.phone, "applicant_email": self.email,
            "applicant_address": self.address, "applicant_birth_date": self.birth_date,
        }


def applicant_clean(applicant: ApplicantInput) -> CleanApplicant:
    """Validate and normalise; every problem is reported at once (``errors``), the first one's code wins."""
    problems: list[ValidationFailed] = []
    fields: list[dict] = []

    def fail(field_name: str, exc: ValidationFailed) -> None:
        problems.append(exc)
        fields.append({"field": f"applicant.{field_name}", "message": exc.detail, "code": exc.code})

    if applicant.kind not in ApplicantKind.values:
        fail("kind", ValidationFailed("Loại chủ hồ sơ phải là citizen (công dân) hoặc business (tổ chức).",
                                      code="invalid_applicant_kind"))
    name = clean_text(applicant.full_name)
    if not name:
        fail("full_name", ValidationFailed("Vui lòng nhập họ tên chủ hồ sơ.", code="applicant_name_required"))
    id_number = tax_code = phone = email = ""
    if applicant.kind == ApplicantKind.CITIZEN or applicant.id_number:
        if not applicant.id_number and applicant.kind == ApplicantKind.CITIZEN:
            fail("id_number", ValidationFailed("Vui lòng nhập số định danh cá nhân (12 chữ số) của chủ hồ sơ.",
                                               code="invalid_id_number"))
        else:
            try:
                id_number = validate_id_number(applicant.id_number, birth_date=applicant.birth_date)
            except ValidationFailed as exc:
                fail("id_number", exc)
    if applicant.kind == ApplicantKind.BUSINESS or applicant.tax_code:
        if not applicant.tax_code and applicant.kind == ApplicantKind.BUSINESS:
            fail("tax_code", ValidationFailed("Vui lòng nhập mã số thuế của tổ chức.", code="invalid_tax_code"))
        else:
            try:
                tax_code = validate_tax_code(applicant.tax_code)
            except ValidationFailed as exc:
                fail("tax_code", exc)
    if not applicant.phone.strip():
        fail("phone", ValidationFailed("Vui lòng nhập số điện thoại di động để nhận thông báo và tra cứu hồ sơ.",
                                       code="invalid_phone"))
    else:
        try:
            phone = normalize_phone(applicant.phone)
        except ValidationFailed as exc:
            fail("phone", exc)
    if applicant.email.strip():
        email = applicant.email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            fail("email", ValidationFailed(f"Địa chỉ thư điện tử “{email}” không hợp lệ.", code="invalid_email"))
    if problems:
        first = problems[0]
        raise ValidationFailed(first.detail, code=first.code, errors=fields)
    return CleanApplicant(kind=applicant.kind, full_name=name, id_number=id_number, tax_code=tax_code,
                          phone=phone, email=email, address=clean_text(applicant.address),
                          birth_date=applicant.birth_date)


@dataclass
class DocumentInput:
    """Files for one component: ``required_document`` is the component's code or id in the
    procedure version (empty for an extra paper the applicant adds), ``file_ids`` the ids returned
    by ``POST /api/v1/files`` (uploaded by the same caller)."""

    required_document: str = ""
    file_ids: list[str] = field(default_factory=list)
    name: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping) -> DocumentInput:
        ids = data.get("file_ids")
        if ids is None and data.get("file_id"):
            ids = [data["file_id"]]
        return cls(required_document=str(data.get("required_document") or ""),
                   file_ids=[str(i) for i in (ids or [])], name=str(data.get("name") or ""))

    @classmethod
    def list_from(cls, items: Iterable[Mapping] | None) -> list[DocumentInput]:
        return [item if isinstance(item, DocumentInput) else cls.from_mapping(item) for item in (items or [])]
