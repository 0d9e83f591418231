"""Drafting and publishing procedure versions.

A published version is never edited: an administrator drafts a new version (a full copy of the
current one, with its documents, fees, agencies and process), edits the draft, and publishes it.
Publishing checks the minimum content of NĐ 63/2010 Điều 8.2 (vn-standards §3.2), the e-form
and the process definition, then writes the audit entry and the ``catalog.procedure_published``
event in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tinhso.catalog.choices import AgencyRole, Level, SourceRank, VersionStatus
from tinhso.catalog.eforms import eform_schema_check
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
from tinhso.catalog.process import process_check, process_spec_from_definition
from tinhso.catalog.records import CODE
from tinhso.catalog.services.permissions import catalog_admin_require
from tinhso.catalog.services.search_index import procedure_current_refresh, procedure_ranks_refresh
from tinhso.core.actions import in_transaction
from tinhso.core.audit import audit_record
from tinhso.core.errors import Conflict, ValidationFailed
from tinhso.core.events import event_publish
from tinhso.core.text import clean_text
from tinhso.org.models import Agency

# Everything a decision can change, copied from one version to the next draft.
CONTENT_FIELDS = [
    "name", "kind", "sector", "level", "level_text", "is_vertical", "applicant_types",
    "processing_time_value", "processing_time_unit", "processing_time_text", "online_level",
    "legacy_online_level", "submission_channels", "steps_text", "conditions_text", "result_text", "results",
    "legal_basis", "fees_text", "document_notes", "agencies_text", "competent_text", "coordinating_text",
    "receiving_address", "keywords", "notes", "eform_schema", "decision_ref",
]
DOCUMENT_FIELDS = [
    "code", "order", "case_name", "name", "original_or_copy", "original_qty", "copy_qty", "quantity",
    "is_required", "template_name", "template_file", "accepts", "electronic_form", "note", "channels",
    "replaced_by_eform",
]
FEE_FIELDS = ["order", "kind", "name", "amount", "rule_text", "collected_when", "channel", "description"]
STEP_FIELDS = [
    "code", "name", "order", "role", "agency_scope", "agency", "department_code", "duration_value",
    "duration_unit", "description",
]


def _next_number(procedure: Procedure) -> int:
    return (procedure.versions.aggregate(top=Max("number"))["top"] or 0) + 1


def version_children_copy(*, source: ProcedureVersion, target: ProcedureVersion) -> None:
    """Copy documents, fees, agency links and the process definition (bulk: no per-row guard,
    the caller owns ``target`` and writes it in its own transaction). Runs in the caller's transaction (asserted)."""
    in_transaction("copying a procedure version's rows")
    RequiredDocument.objects.bulk_create(
        RequiredDocument(version=target, **{f: getattr(d, f) for f in DOCUMENT_FIELDS}) for d in source.documents.all()
    )
    Fee.objects.bulk_create(Fee(version=target, **{f: getattr(x, f) for f in FEE_FIELDS}) for x in source.fees.all())
    ProcedureAgency.objects.bulk_create(
        ProcedureAgency(version=target, agency_id=link.agency_id, role=link.role) for link in source.agency_links.all()
    )
    old = ProcessDefinition.objects.filter(version=source).first()
    if old is None:
        return
    [definition] = ProcessDefinition.objects.bulk_create([ProcessDefinition(version=target, note=old.note)])
    old_steps = list(old.steps.all())
    new_steps = Step.objects.bulk_create(
        Step(definition=definition, **{f: getattr(s, f) for f in STEP_FIELDS}) for s in old_steps
    )
    step_map = {o.id: n for o, n in zip(old_steps, new_steps, strict=True)}
    Transition.objects.bulk_create(
        Transition(
            definition=definition, from_step=step_map[t.from_step_id], action=t.action,
            to_step=step_map[t.to_step_id] if t.to_step_id else None, label=t.label,
        )
        for t in old.transitions.all()
    )


@transaction.atomic
def procedure_create(
    *, actor, code: str, name: str, sector: Sector, level: str = Level.COMMUNE
) -> ProcedureVersion:
    """A new procedure (national or local code) with an empty draft version 1."""
    catalog_admin_require(actor)
    code = (code or "").strip()
    if not CODE.fullmatch(code):
        raise ValidationFailed(f"Mã thủ tục “{code}” không đúng dạng d.dddddd (ví dụ 1.001193).", code="invalid_procedure_code")
    if Procedure.objects.filter(code=code).exists():
        raise Conflict(f"Đã có thủ tục mã {code}.", code="procedure_exists")
    if level not in Level.values:
        raise ValidationFailed(f"Cấp thực hiện “{level}” không hợp lệ.", code="invalid_level")
    procedure = Procedure.objects.create(code=code)
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, name=clean_text(name), sector=sector, level=level,
        created_by=actor, source_rank=SourceRank.LOCAL,
    )
    audit_record(actor=actor, action="catalog.procedure_created", target=version, data={"code": code})
    return version


@transaction.atomic
def procedure_version_draft(
    *, actor, procedure: Procedure, from_version: ProcedureVersion | None = None
) -> ProcedureVersion:
    """Copy ``from_version`` (default: the current version, else the latest) into a new draft."""
    catalog_admin_require(actor)
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if procedure.versions.filter(status=VersionStatus.DRAFT).exists():
        raise Conflict(
            f"Thủ tục {procedure.code} đang có một bản nháp; hãy sửa hoặc công bố bản nháp đó.", code="draft_exists"
        )
    if from_version is None:
        from tinhso.catalog.selectors import procedure_current_version

        from_version = procedure_current_version(procedure=procedure) or procedure.versions.order_by("-number").first()
    if from_version is None or from_version.procedure_id != procedure.pk:
        raise ValidationFailed("Không có phiên bản nào của thủ tục này để sao chép.", code="no_version_to_copy")

    draft = ProcedureVersion(
        procedure=procedure,
        number=_next_number(procedure),
        status=VersionStatus.DRAFT,
        created_by=actor,
        source_rank=SourceRank.LOCAL,  # edited by the province: an import must not overwrite it
        source={"copied_from_version": from_version.number},
        **{f: getattr(from_version, f) for f in CONTENT_FIELDS},
    )
    draft.change_note = ""
    draft.save()
    version_children_copy(source=from_version, target=draft)
    audit_record(
        actor=actor, action="catalog.version_drafted", target=draft,
        data={"code": procedure.code, "number": draft.number, "from": from_version.number},
    )
    return draft


@dataclass(frozen=True)
class VersionFacts:
    """Counts ``version_missing`` needs; the importer knows them without asking the database."""

    documents: int
    agency_roles: frozenset[str]
    has_process: bool


def version_facts(version: ProcedureVersion) -> VersionFacts:
    return VersionFacts(
        documents=version.documents.count(),
        agency_roles=frozenset(version.agency_links.values_list("role", flat=True)),
        has_process=ProcessDefinition.objects.filter(version=version).exists(),
    )


def version_missing(version: ProcedureVersion, facts: VersionFacts | None = None) -> list[dict]:
    """What NĐ 63/2010 Điều 8.2 (vn-standards §3.2) and the dossier engine require but is missing."""
    facts = facts or version_facts(version)
    missing: list[dict] = []

    def need(field: str, message: str) -> None:
        missing.append({"field": field, "message": message})

    if not version.name.strip():
        need("name", "Thiếu tên thủ tục.")
    if not version.steps_text.strip():
        need("steps_text", "Thiếu trình tự thực hiện.")
    if not version.submission_channels:
        need("submission_channels", "Thiếu cách thức thực hiện (nộp trực tiếp, trực tuyến, bưu chính).")
    if not facts.documents:
        need("documents", "Thiếu thành phần, số lượng hồ sơ.")
    if version.processing_time_value is None or not version.processing_time_unit:
        need("processing_time_value", "Thiếu thời hạn giải quyết (số và đơn vị).")
    if not version.applicant_types:
        need("applicant_types", "Thiếu đối tượng thực hiện.")
    if AgencyRole.RECEIVING not in facts.agency_roles:
        need("agency_links", "Chưa chỉ định cơ quan tiếp nhận hồ sơ.")
    if AgencyRole.COMPETENT not in facts.agency_roles and not version.agencies_text and not version.competent_text:
        need("agency_links", "Thiếu cơ quan thực hiện.")
    if not version.result_text.strip():
        need("result_text", "Thiếu kết quả thực hiện.")
    if not version.legal_basis:
        need("legal_basis", "Thiếu căn cứ pháp lý.")
    if not facts.has_process:
        need("process", "Chưa có quy trình nội bộ.")
    return missing


def procedure_version_check(*, version: ProcedureVersion) -> list[str]:
    """Every publishing check; returns warnings, raises ``ValidationFailed`` listing all errors."""
    errors = version_missing(version)
    warnings: list[str] = []
    if version.eform_schema is not None:
        try:
            eform_schema_check(version.eform_schema)
        except ValidationFailed as exc:
            errors += exc.errors
    definition = ProcessDefinition.objects.filter(version=version).first()
    if definition is not None:
        try:
            warnings = process_check(
                process_spec_from_definition(definition),
                processing_time_value=version.processing_time_value,
                processing_time_unit=version.processing_time_unit,
                agency_codes=set(Agency.objects.values_list("code", flat=True)),
            )
        except ValidationFailed as exc:
            errors += exc.errors
    if errors:
        raise ValidationFailed(
            "Phiên bản chưa đủ điều kiện công bố; xem danh sách lỗi.", code="version_not_publishable", errors=errors
        )
    return warnings


def version_publish(
    version: ProcedureVersion, *, actor, effective_from: date, complete: bool, via: str
) -> ProcedureVersion:
    """Mark a checked draft published, then announce it (``version_published_announce``).
    Runs in the caller's transaction (asserted)."""
    in_transaction("publishing a procedure version")
    if version.eform_schema is not None:
        version.eform_schema = eform_schema_check(version.eform_schema)
    version.status = VersionStatus.PUBLISHED
    version.effective_from = effective_from
    version.published_at = timezone.now()
    version.published_by = actor
    version.is_complete = complete
    version.save()
    version_published_announce(version, actor=actor, via=via)
    return version


def version_published_announce(version: ProcedureVersion, *, actor, via: str, add_words: bool = True) -> str:
    """Refresh the procedure's derived fields, write the audit entry and the event.

    Shared by ``procedure_version_publish`` and the importer, which writes national records
    published from the start (flagged ``is_complete`` or not). Returns the new search text.

    Runs in the caller's transaction (asserted).
    """
    in_transaction("announcing a published version")
    text = procedure_current_refresh(procedure=version.procedure, add_words=add_words)
    audit_record(
        actor=actor, action="catalog.version_published", target=version,
        data={"code": version.procedure.code, "number": version.number,
              "effective_from": version.effective_from, "via": via},
    )
    event_publish(
        name="catalog.procedure_published",
        payload={
            "code": version.procedure.code,
            "version": version.number,
            "version_id": version.pk,
            "name": version.name,
            "effective_from": version.effective_from.isoformat(),
            "is_complete": version.is_complete,
        },
        aggregate_type="procedure",
        aggregate_id=version.procedure.code,
    )
    return text


@transaction.atomic
def procedure_version_publish(
    *, actor, version: ProcedureVersion, effective_from: date | None = None
) -> ProcedureVersion:
    """Publish a draft after every check (``procedure_version_check``); it is immutable afterwards.

    It applies from ``effective_from``, else from the date written on the draft (the decision's
    date of effect, entered in the admin), else from today.
    """
    catalog_admin_require(actor)
    version = ProcedureVersion.objects.select_for_update().select_related("procedure").get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise Conflict("Phiên bản này đã được công bố.", code="version_published")
    today = timezone.localdate()
    effective_from = effective_from or version.effective_from or today
    if effective_from < today:
        raise ValidationFailed(
            "Ngày áp dụng không được trước ngày công bố; hồ sơ đã tiếp nhận vẫn giữ phiên bản cũ.",
            code="invalid_effective_from",
        )
    procedure_version_check(version=version)
    version_publish(version, actor=actor, effective_from=effective_from, complete=True, via="admin")
    procedure_ranks_refresh()
    return version


@transaction.atomic
def procedure_version_discard(*, actor, version: ProcedureVersion) -> None:
    """Delete a draft that will not be published."""
    catalog_admin_require(actor)
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise Conflict("Phiên bản đã công bố thì không được xóa.", code="version_published")
    audit_record(actor=actor, action="catalog.version_discarded", target=version,
                 data={"code": version.procedure.code, "number": version.number})
    version.delete()
