"""Public API of the procedure catalogue: search, one procedure's current version, sectors.

Agencies are served by the org app (``GET /api/v1/agencies``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from tinhso.catalog import selectors
from tinhso.catalog.choices import (
    AgencyRole,
    Channel,
    CollectedWhen,
    DocumentCopy,
    FeeChannel,
    FeeKind,
    Level,
    OnlineLevel,
    TimeUnit,
)
from tinhso.catalog.models import Procedure, ProcedureVersion
from tinhso.core.money import format_vnd

router = Router(tags=["Thủ tục hành chính"])

Number = int | float


def _number(value: Decimal | None) -> Number | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, "")) if value else ""


class SectorRef(Schema):
    code: str
    name: str


class ProcessingTime(Schema):
    value: Number | None = Field(None, description="Số đơn vị; trống nếu nguồn không nêu rõ")
    unit: str = Field("", description="working_days, working_hours, days, hours hoặc months")
    unit_display: str = ""
    text: str = Field("", description="Thời hạn giải quyết như văn bản công bố")


def _processing_time(version: ProcedureVersion) -> dict:
    return {
        "value": _number(version.processing_time_value),
        "unit": version.processing_time_unit,
        "unit_display": _label(TimeUnit, version.processing_time_unit),
        "text": version.processing_time_text,
    }


class ProcedureItem(Schema):
    code: str
    name: str
    sector: SectorRef
    level: Literal["province", "commune", "both"]
    level_display: str
    online_level: Literal["FULL", "PARTIAL", "NONE"]
    online_level_display: str
    processing_time: ProcessingTime
    is_complete: bool = Field(..., description="Có đủ thông tin và quy trình để tiếp nhận hồ sơ")


def _item(procedure: Procedure) -> dict:
    version = procedure.current_version
    return {
        "code": procedure.code,
        "name": version.name,
        "sector": {"code": version.sector.code, "name": version.sector.name},
        "level": version.level,
        "level_display": _label(Level, version.level),
        "online_level": version.online_level,
        "online_level_display": _label(OnlineLevel, version.online_level),
        "processing_time": _processing_time(version),
        "is_complete": version.is_complete,
    }


class ProcedurePageOut(Schema):
    items: list[ProcedureItem]
    count: int = Field(..., description="Tổng số thủ tục khớp")
    page: int
    pages: int


class ProcedureFilter(Schema):
    q: str | None = Field(None, description="Từ khóa, có hoặc không dấu; chịu được một lỗi gõ hoặc thiếu từ")
    sector: str | None = Field(None, description="Mã lĩnh vực (GET /api/v1/sectors)")
    level: Literal["province", "commune", "both"] | None = Field(None, description="Cấp thực hiện")
    agency: str | None = Field(None, description="Mã cơ quan tiếp nhận hoặc giải quyết, ví dụ H44.101")
    online_level: Literal["FULL", "PARTIAL", "NONE"] | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(selectors.PAGE_SIZE, ge=1, le=selectors.MAX_PAGE_SIZE)


@router.get("/procedures", response=ProcedurePageOut, auth=None, summary="Tìm kiếm thủ tục hành chính")
def procedure_list(request, filters: Query[ProcedureFilter]):
    result = selectors.procedure_search(
        q=filters.q, sector=filters.sector, level=filters.level, agency=filters.agency,
        online_level=filters.online_level, page=filters.page, page_size=filters.page_size,
    )
    return {"items": [_item(p) for p in result.items], "count": result.count, "page": result.page, "pages": result.pages}


class SectorOut(Schema):
    code: str
    name: str
    national_code: str
    procedure_count: int


@router.get("/sectors", response=list[SectorOut], auth=None, summary="Danh sách lĩnh vực")
def sector_list(request):
    return selectors.sector_list()


class AgencyRef(Schema):
    code: str
    name: str


class AgenciesOut(Schema):
    competent: list[AgencyRef]
    receiving: list[AgencyRef]
    coordinating: list[AgencyRef]
    implementing_text: list[str] = Field(..., description="Cơ quan thực hiện, nguyên văn như công bố")
    competent_text: list[str]
    coordinating_text: list[str]


class DocumentOut(Schema):
    id: int
    code: str
    name: str
    original_or_copy: str
    original_or_copy_display: str
    original_qty: int
    copy_qty: int
    quantity: int | None
    is_required: bool
    template_name: str
    template_url: str | None
    accepts: list[str]
    electronic_form: bool
    note: str
    channels: list[Literal["direct", "online", "post"]] = Field(
        description="Cách thức nộp mà giấy tờ được yêu cầu; rỗng: mọi cách thức.")
    replaced_by_eform: bool = Field(description="Tờ khai được thay bằng biểu mẫu điện tử khi nộp trực tuyến.")
    asked_online: bool = Field(description="Có phải tải lên khi nộp trực tuyến hay không.")


class DocumentGroupOut(Schema):
    case_name: str
    documents: list[DocumentOut]


class FeeOut(Schema):
    kind: Literal["fee", "charge"]
    kind_display: str
    name: str
    amount: int | None = Field(None, description="Đồng; trống khi tính theo cách tính")
    amount_display: str = Field("", description="Ví dụ 1.250.000 đ")
    rule_text: str
    collected_when: str
    collected_when_display: str
    channel: str
    channel_display: str
    description: str


class DurationOut(Schema):
    value: Number
    unit: str


class StepOut(Schema):
    code: str
    name: str
    order: int
    role: str
    agency_scope: str
    agency: str | None = Field(None, description="Mã cơ quan khi agency_scope = fixed")
    department_code: str
    duration: DurationOut


class TransitionOut(Schema):
    from_step: str = Field(..., alias="from")
    action: str
    to_step: str | None = Field(None, alias="to", description="Trống: kết thúc quy trình")
    label: str


class ProcessOut(Schema):
    steps: list[StepOut]
    transitions: list[TransitionOut]


class VersionInfo(Schema):
    number: int
    effective_from: date
    published_at: datetime
    decision_ref: str


class ProcedureDetailOut(ProcedureItem):
    local_code: str
    kind: str
    version: VersionInfo
    is_vertical: bool
    applicant_types: list[str]
    submission_channels: list[str]
    submission_channels_display: list[str]
    legacy_online_level: int | None
    steps_text: str
    conditions_text: str
    result_text: str
    results: list[dict]
    legal_basis: list[dict]
    fees: list[FeeOut]
    fees_text: str
    documents: list[DocumentGroupOut]
    document_notes: list[dict]
    agencies: AgenciesOut
    receiving_address: str
    eform_schema: dict | None
    process: ProcessOut | None
    notes: str
    popularity: int
    dvcqg_url: str


def _fee(fee) -> dict:
    return {
        "kind": fee.kind, "kind_display": _label(FeeKind, fee.kind), "name": fee.name,
        "amount": int(fee.amount) if fee.amount is not None else None,
        "amount_display": format_vnd(fee.amount) if fee.amount is not None else "",
        "rule_text": fee.rule_text, "collected_when": fee.collected_when,
        "collected_when_display": _label(CollectedWhen, fee.collected_when), "channel": fee.channel,
        "channel_display": _label(FeeChannel, fee.channel), "description": fee.description,
    }


def _document(document) -> dict:
    return {
        "id": document.id, "code": document.code, "name": document.name,
        "original_or_copy": document.original_or_copy,
        "original_or_copy_display": _label(DocumentCopy, document.original_or_copy),
        "original_qty": document.original_qty, "copy_qty": document.copy_qty, "quantity": document.quantity,
        "is_required": document.is_required, "template_name": document.template_name,
        "template_url": reverse("catalog:template", args=[document.version.procedure.code, document.id])
        if document.template_file else None,
        "accepts": document.accepts, "electronic_form": document.electronic_form, "note": document.note,
        "channels": document.channels, "replaced_by_eform": document.replaced_by_eform,
        "asked_online": document.is_asked(channel="online", has_eform=bool(document.version.eform_schema)),
    }


def _process(version: ProcedureVersion) -> dict | None:
    definition = selectors.version_process(version)
    if definition is None:
        return None
    return {
        "steps": [
            {"code": s.code, "name": s.name, "order": s.order, "role": s.role, "agency_scope": s.agency_scope,
             "agency": s.agency.code if s.agency_id else None, "department_code": s.department_code,
             "duration": {"value": _number(s.duration_value), "unit": s.duration_unit}}
            for s in definition.steps.all()
        ],
        "transitions": [
            {"from": t.from_step.code, "action": t.action, "to": t.to_step.code if t.to_step_id else None,
             "label": t.label}
            for t in definition.transitions.all()
        ],
    }


def procedure_detail_data(version: ProcedureVersion) -> dict:
    """The full answer for one version (shared with the portal's JSON needs)."""
    procedure = version.procedure
    links = {role: [] for role in AgencyRole.values}
    for link in version.agency_links.all():
        links[link.role].append({"code": link.agency.code, "name": link.agency.name})
    procedure.current_version = version
    return {
        **_item(procedure),
        "local_code": procedure.local_code,
        "kind": version.kind,
        "version": {
            "number": version.number, "effective_from": version.effective_from,
            "published_at": timezone.localtime(version.published_at), "decision_ref": version.decision_ref,
        },
        "is_vertical": version.is_vertical,
        "applicant_types": version.applicant_types,
        "submission_channels": version.submission_channels,
        "submission_channels_display": [_label(Channel, c) for c in version.submission_channels],
        "legacy_online_level": version.legacy_online_level,
        "steps_text": version.steps_text,
        "conditions_text": version.conditions_text,
        "result_text": version.result_text,
        "results": version.results,
        "legal_basis": version.legal_basis,
        "fees": [_fee(f) for f in version.fees.all()],
        "fees_text": version.fees_text,
        "documents": [
            {"case_name": case, "documents": [_document(d) for d in docs]}
            for case, docs in selectors.version_documents_by_case(version)
        ],
        "document_notes": version.document_notes,
        "agencies": {
            "competent": links[AgencyRole.COMPETENT],
            "receiving": links[AgencyRole.RECEIVING],
            "coordinating": links[AgencyRole.COORDINATING],
            "implementing_text": version.agencies_text,
            "competent_text": version.competent_text,
            "coordinating_text": version.coordinating_text,
        },
        "receiving_address": version.receiving_address,
        "eform_schema": version.eform_schema,
        "process": _process(version),
        "notes": version.notes,
        "popularity": procedure.popularity,
        "dvcqg_url": str(version.source.get("dvcqg_url") or ""),
    }


@router.get(
    "/procedures/{code}", response=ProcedureDetailOut, auth=None, by_alias=True,
    summary="Một thủ tục: toàn bộ phiên bản đang áp dụng",
)
def procedure_detail(request, code: str):
    return procedure_detail_data(selectors.procedure_detail(code=code))
