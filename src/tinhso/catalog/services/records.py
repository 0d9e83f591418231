"""Write one imported procedure record as a published version — all of it, or nothing.

Rules (docs/catalog.md, "Nhập, xuất"):

* same content as the current version (``source_hash``) → nothing changes ("unchanged");
* a layout that carries only part of a version (Excel: no result codes, document notes, details of
  the legal basis, vertical flag, original level text, source) passes ``layout``: a row equal to the
  current version *as that layout carries it* is unchanged, and a changed row keeps those parts of
  the current version, so exporting, editing one row and importing back changes that row only;
* the current version comes from a richer source (``SourceRank``: the province's own edits beat
  the national record, which beats an index entry) → skipped, so re-importing the national files
  never wipes out the province's work;
* otherwise a new version is published, effective today (or ``tinhso.effective_from``).

National records are published as they come — the Government has already published them — with
``is_complete`` saying whether they carry what receiving a dossier needs (``version_missing``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from tinhso.catalog.choices import StepScope, VersionStatus
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
from tinhso.catalog.process import process_check
from tinhso.catalog.records import ProcedureRecord, RowRejected
from tinhso.catalog.services.versions import VersionFacts, version_missing, version_published_announce
from tinhso.core.errors import ValidationFailed
from tinhso.core.text import fold
from tinhso.org.models import Agency


@dataclass
class ImportCache:
    """Lookups shared by the rows of one import run."""

    sectors: dict[str, Sector] = field(default_factory=dict)
    search_texts: list[str] = field(default_factory=list)  # vocabulary added once at the end


@dataclass
class RecordOutcome:
    status: str  # created, updated, unchanged, skipped
    procedure: Procedure
    version: ProcedureVersion | None
    message: str = ""


def sector_ensure(*, name: str, national_code: str = "") -> Sector:
    """The sector with this name, created with a slug code when new."""
    sector = Sector.objects.filter(name=name).first()
    if sector is not None:
        if national_code and not sector.national_code:
            sector.national_code = national_code
            sector.save(update_fields=["national_code"])
        return sector
    base = slugify(fold(name))[:70] or "linh-vuc"
    code, n = base, 2
    while Sector.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return Sector.objects.create(code=code, name=name, national_code=national_code)


def _explain(exc: ValidationFailed, column: str) -> RowRejected:
    first = exc.errors[0] if exc.errors else {}
    detail = f"{exc.detail} {first.get('field', '')}: {first.get('message', '')}".strip(" :")
    return RowRejected(column, detail)


def _check(record: ProcedureRecord, agencies: dict[str, Agency]) -> dict | None:
    """Validate what the database cannot: e-form, process, agency codes. Returns the e-form."""
    missing = sorted({code for code, _ in record.agency_links} - set(agencies))
    if missing:
        raise RowRejected("tinhso.agency_links", f"Không có cơ quan mã {', '.join(missing)}.")
    eform = None
    if record.eform_schema is not None:
        try:
            eform = eform_schema_check(record.eform_schema)
        except ValidationFailed as exc:
            raise _explain(exc, "tinhso.eform") from None
    if record.process is not None:
        fixed = {s.agency_code for s in record.process.steps if s.agency_scope == StepScope.FIXED and s.agency_code}
        known = set(agencies) | set(Agency.objects.filter(code__in=fixed).values_list("code", flat=True))
        try:
            process_check(
                record.process,
                processing_time_value=record.processing_time_value,
                processing_time_unit=record.processing_time_unit,
                agency_codes=known,
            )
        except ValidationFailed as exc:
            raise _explain(exc, "tinhso.process") from None
    return eform


def _write_children(version: ProcedureVersion, record: ProcedureRecord, agencies: dict[str, Agency]) -> None:
    # bulk_create: the version is written whole in this transaction; there is no partial state.
    RequiredDocument.objects.bulk_create(
        RequiredDocument(
            version=version, code=d.code, order=i, case_name=d.case_name, name=d.name,
            original_or_copy=d.original_or_copy, original_qty=d.original_qty, copy_qty=d.copy_qty,
            quantity=d.quantity, is_required=d.is_required, template_name=d.template_name,
            electronic_form=d.electronic_form, accepts=d.accepts, note=d.note, channels=d.channels,
            replaced_by_eform=d.replaced_by_eform,
        )
        for i, d in enumerate(record.documents, start=1)
    )
    Fee.objects.bulk_create(
        Fee(
            version=version, order=i, kind=f.kind, name=f.name, amount=f.amount, rule_text=f.rule_text,
            collected_when=f.collected_when, channel=f.channel, description=f.description,
        )
        for i, f in enumerate(record.fees, start=1)
    )
    ProcedureAgency.objects.bulk_create(
        ProcedureAgency(version=version, agency=agencies[code], role=role) for code, role in record.agency_links
    )
    if record.process is None:
        return
    [definition] = ProcessDefinition.objects.bulk_create([ProcessDefinition(version=version, note=record.process.note)])
    fixed = {s.agency_code for s in record.process.steps if s.agency_code}
    step_agencies = {a.code: a for a in Agency.objects.filter(code__in=fixed)}
    steps = Step.objects.bulk_create(
        Step(
            definition=definition, code=s.code, name=s.name, order=s.order, role=s.role,
            agency_scope=s.agency_scope, agency=step_agencies.get(s.agency_code), department_code=s.department_code,
            duration_value=s.duration_value, duration_unit=s.duration_unit, description=s.description,
        )
        for s in record.process.steps
    )
    by_code = {s.code: s for s in steps}
    Transition.objects.bulk_create(
        Transition(
            definition=definition, from_step=by_code[t.from_code], action=t.action,
            to_step=by_code[t.to_code] if t.to_code else None, label=t.label,
        )
        for t in record.process.transitions
    )


# What a partial layout (``layout`` below) reads as, for a version.
Layout = Callable[[ProcedureVersion], ProcedureRecord]


def _unchanged_in_layout(record: ProcedureRecord, current: ProcedureVersion, layout: Layout) -> bool:
    from tinhso.catalog.selectors import version_detail_queryset

    try:
        return layout(version_detail_queryset().get(pk=current.pk)).content_hash() == record.content_hash()
    except RowRejected:  # the current version does not fit the layout: the row cannot be "the same"
        return False


def _carry_over(record: ProcedureRecord, current: ProcedureVersion) -> None:
    """Give ``record`` the parts of ``current`` that a partial layout does not carry."""
    record.results = list(current.results)
    record.document_notes = list(current.document_notes)
    record.is_vertical = current.is_vertical
    if record.level == current.level and current.level_text:
        record.level_text = current.level_text
    # The sheet holds "số hiệu — trích yếu" only: an item with a known number keeps its details
    # (issuer, date, link), whichever way its trích yếu was written (catalog.legal).
    details = {b.get("number") or b.get("title", ""): b for b in current.legal_basis}
    record.legal_basis = [details.get(b.get("number") or b.get("title", ""), b) for b in record.legal_basis]
    record.source = {**current.source, **record.source}


@transaction.atomic
def procedure_record_save(
    *, actor, record: ProcedureRecord, via: str = "import", cache: ImportCache | None = None,
    layout: Layout | None = None,
) -> RecordOutcome:
    """Import one record atomically (see the module docstring). Raises ``RowRejected``.

    With a ``cache`` the vocabulary is not updated here: the caller adds ``cache.search_texts``
    (``search_words_add``) once at the end of its run. ``layout`` marks a record read from a layout
    that does not carry every field (``excel.version_record``).
    """
    from tinhso.catalog.selectors import procedure_current_version

    procedure, created = Procedure.objects.get_or_create(code=record.code)
    current = None
    if not created:
        procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
        current = procedure_current_version(procedure=procedure)

    def popularity() -> None:
        # A seed, never lowered: a re-import must not erase the uses counted since.
        if record.popularity is not None and procedure.popularity < record.popularity:
            Procedure.objects.filter(pk=procedure.pk).update(popularity=record.popularity)

    if current is not None and layout is not None:
        if _unchanged_in_layout(record, current, layout):
            popularity()
            return RecordOutcome("unchanged", procedure, current)
        _carry_over(record, current)
    digest = record.content_hash()
    if current is not None and current.source_hash == digest:
        popularity()
        return RecordOutcome("unchanged", procedure, current)
    if current is not None and current.source_rank > record.source_rank:
        return RecordOutcome(
            "skipped", procedure, current,
            f"Phiên bản hiện hành (v{current.number}) đầy đủ hơn dữ liệu nhập; giữ nguyên.",
        )

    agency_codes = {c for c, _ in record.agency_links}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=agency_codes)} if agency_codes else {}
    eform = _check(record, agencies)
    sector = (cache.sectors.get(record.sector_name) if cache else None) or sector_ensure(
        name=record.sector_name, national_code=record.sector_national_code
    )
    if cache is not None:
        cache.sectors[record.sector_name] = sector
    number = 1 if created else (procedure.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    # Written published from the start, so an administrator's open draft is never in the way;
    # the children are bulk-created below in the same transaction, so nobody sees a partial version.
    version = ProcedureVersion(
        procedure=procedure, number=number, status=VersionStatus.PUBLISHED,
        effective_from=record.effective_from or timezone.localdate(), published_at=timezone.now(),
        name=record.name, kind=record.kind, sector=sector, level=record.level, level_text=record.level_text,
        is_vertical=record.is_vertical, applicant_types=record.applicant_types,
        processing_time_value=record.processing_time_value, processing_time_unit=record.processing_time_unit,
        processing_time_text=record.processing_time_text, online_level=record.online_level,
        legacy_online_level=record.legacy_online_level, submission_channels=record.submission_channels,
        steps_text=record.steps_text, conditions_text=record.conditions_text, result_text=record.result_text,
        results=record.results, legal_basis=record.legal_basis, fees_text=record.fees_text,
        document_notes=record.document_notes, agencies_text=record.agencies_text,
        competent_text=record.competent_text, coordinating_text=record.coordinating_text,
        receiving_address=record.receiving_address, keywords=record.keywords, notes=record.notes,
        decision_ref=record.decision_ref, eform_schema=eform, created_by=actor,
        source_rank=record.source_rank, source=record.source, source_hash=digest,
    )
    facts = VersionFacts(
        documents=len(record.documents),
        agency_roles=frozenset(role for _, role in record.agency_links),
        has_process=record.process is not None,
    )
    version.is_complete = not version_missing(version, facts)
    version.save()
    _write_children(version, record, agencies)
    text = version_published_announce(version, actor=actor, via=via, add_words=cache is None)
    if cache is not None:
        cache.search_texts.append(text)
    if record.local_code and procedure.local_code != record.local_code:
        Procedure.objects.filter(pk=procedure.pk).update(local_code=record.local_code)
    popularity()
    return RecordOutcome("created" if current is None else "updated", procedure, version)
