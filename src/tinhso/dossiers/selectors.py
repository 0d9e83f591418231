"""Reads of the one-stop shop, always scoped to the acting user (DESIGN §5.10; docs/dossiers.md).

* An applicant (citizen, business) sees only the dossiers of their own account, drafts included.
* Staff and integrators see the dossiers of their agencies: received there, held there now,
  handed there by a step, or sent there for an opinion. Never a draft.
* The admin or monitor role in the province's own agency reads every dossier of the province.

A dossier outside the scope is "not found" (404 ``dossier_not_found``), never "forbidden", so codes
cannot be probed. Lists mask identification numbers and phones for staff; reading a full record as
staff writes a personal-data-read audit entry (personal data protection law 2025).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from tinhso.catalog.models import ProcedureVersion
from tinhso.core.audit import audit_personal_data_read
from tinhso.core.errors import NotFound, PermissionDenied, ValidationFailed
from tinhso.core.text import fold
from tinhso.dossiers.agencies import solving_agency
from tinhso.dossiers.deadlines import at_risk_threshold, deadline_flags
from tinhso.dossiers.models import (
    Dossier,
    DossierAccess,
    DossierDocument,
    DossierEvent,
    FormIssue,
    Handover,
)
from tinhso.dossiers.permissions import ActorContext, actor_context, is_head
from tinhso.dossiers.regulations import regulation_in_force
from tinhso.dossiers.services.actions import ActionSpec, dossier_available_actions
from tinhso.dossiers.status import FINAL, Status, Verdict
from tinhso.org.models import Agency
from tinhso.org.roles import Role

__all__ = [
    "DossierDetail",
    "DossierPage",
    "QueueItem",
    "QueuePage",
    "RegisterRow",
    "dossier_agency_results",
    "dossier_detail",
    "dossier_document_for",
    "dossier_draft_get",
    "dossier_form_for",
    "dossier_get_for",
    "dossier_handovers",
    "dossier_list_for",
    "dossier_register",
    "dossier_result_for",
    "applicant_may_see_document",
    "mask_tax_code",
    "mask_id_number",
    "mask_phone",
    "regulation_in_force",
    "visible_dossiers",
    "work_queue",
]

PAGE_SIZE = 20
MAX_PAGE_SIZE = 200
QUEUE_PAGE_SIZE = 50
LIST_RELATED = ("procedure", "procedure_version", "receiving_agency", "current_agency", "current_step", "assignee")
LIST_RELATED_SMALL = ("procedure", "receiving_agency", "current_agency", "current_step", "assignee")
PERSONAL_FIELDS = ("applicant_name", "applicant_id_number", "applicant_tax_code", "applicant_phone",
                   "applicant_email", "applicant_address", "applicant_birth_date")


# --- masking -------------------------------------------------------------------------------------------


def mask_id_number(value: str) -> str:
    """``001099012345`` → ``0010****2345``; a business tax code (10 or 13 characters) is public data."""
    if len(value or "") == 12 and value.isdigit():
        return f"{value[:4]}****{value[-4:]}"
    return value or ""


def mask_tax_code(value: str) -> str:
    """``8012345678`` → ``8012****78``: an individual's tax code is a personal number (and since
    2025 often the 12-digit identification number itself), so staff lists mask every tax code."""
    value = value or ""
    if len(value) == 12 and value.isdigit():
        return mask_id_number(value)
    if len(value) < 8:
        return "****" if value else ""
    head, _, branch = value.partition("-")
    return f"{head[:4]}****{head[-2:]}" + (f"-{branch}" if branch else "")


def mask_phone(value: str) -> str:
    """``0912345678`` → ``09****678``."""
    if len(value or "") < 6:
        return "****" if value else ""
    return f"{value[:2]}****{value[-3:]}"


# --- scope ---------------------------------------------------------------------------------------------


def _staff_scope(context: ActorContext) -> Exists:
    return Exists(DossierAccess.objects.filter(dossier=OuterRef("pk"), agency_id__in=context.agency_ids))


def visible_dossiers(*, actor, context: ActorContext | None = None) -> QuerySet[Dossier]:
    """Every dossier ``actor`` may read (see the module docstring)."""
    if not getattr(actor, "is_authenticated", False):
        return Dossier.objects.none()
    context = context or actor_context(actor)
    if context.is_applicant:
        return Dossier.objects.filter(owner=actor)
    staff = Dossier.objects.exclude(status=Status.DRAFT)
    if context.province_wide:
        return staff
    if not context.agency_ids:
        return Dossier.objects.none()
    # Received there, held there, handed there by a step, consulted: each left a DossierAccess row.
    return staff.filter(_staff_scope(context))


def _not_found() -> NotFound:
    return NotFound("Không tìm thấy hồ sơ (hoặc bạn không có quyền xem hồ sơ này).", code="dossier_not_found")


def dossier_get_for(*, actor, code: str, context: ActorContext | None = None) -> Dossier:
    """The dossier with ``code`` — its code, or the provisional reference it was given at submission —
    if ``actor`` may read it, else ``NotFound`` (``dossier_not_found``)."""
    code = (code or "").strip()
    dossier = (
        visible_dossiers(actor=actor, context=context).filter(Q(code=code) | Q(reference=code))
        .select_related(*LIST_RELATED, "regulation", "owner", "received_by").first()
    )
    if dossier is None:
        raise _not_found()
    return dossier


def dossier_draft_get(*, actor, draft_id: int) -> Dossier:
    """The actor's own draft (the wizard addresses drafts by id: they have no code yet)."""
    dossier = Dossier.objects.filter(pk=draft_id, owner=actor, status=Status.DRAFT).select_related(
        "procedure", "procedure_version", "receiving_agency").first() if getattr(actor, "is_authenticated", False) \
        else None
    if dossier is None:
        raise NotFound("Không tìm thấy bản nháp hồ sơ.", code="dossier_not_found")
    return dossier


# --- what the applicant may see of their own dossier ----------------------------------------------------

#: A result reaches the applicant once it is issued: resolved (ready to collect) or returned.
RESULT_ISSUED = frozenset({Status.RESOLVED, Status.RETURNED})


def applicant_may_see_document(dossier: Dossier, document: DossierDocument) -> bool:
    """The one rule for the applicant's papers: what they filed, always; a result (its name, file,
    hash) only once issued — a draft or unsigned result in processing is the agency's business."""
    return document.role != DossierDocument.Role.RESULT or dossier.status in RESULT_ISSUED


def _applicant_cut(*, dossier: Dossier, documents: list, timeline: list) -> tuple[list, list]:
    """The applicant's view of a dossier's documents and timeline (API, portal pages, downloads)."""
    return ([d for d in documents if applicant_may_see_document(dossier, d)],
            [event for event in timeline if event.is_public])


@dataclass
class DossierDetail:
    dossier: Dossier
    documents: list[DossierDocument]
    timeline: list[DossierEvent]
    forms: list[FormIssue]
    supplement_requests: list
    payments: list
    consultations: list
    actions: list[ActionSpec]
    staff_view: bool

    @property
    def results(self) -> list[DossierDocument]:
        return [d for d in self.documents if d.role == DossierDocument.Role.RESULT]

    @property
    def submitted_documents(self) -> list[DossierDocument]:
        return [d for d in self.documents if d.role != DossierDocument.Role.RESULT]


def dossier_detail(*, actor, code: str) -> DossierDetail:
    """The full record for its page or ``GET /api/v1/dossiers/{code}``, in a fixed number of queries.

    Staff reading it writes ``personal_data.read`` to the audit log; the applicant reading their
    own dossier does not.
    """
    context = actor_context(actor)
    dossier = dossier_get_for(actor=actor, code=code, context=context)
    staff_view = not context.is_applicant
    if staff_view:
        audit_personal_data_read(actor=actor, target=dossier, fields=PERSONAL_FIELDS)
    documents = list(dossier.documents.select_related("file", "required_document").order_by("uploaded_at", "id"))
    timeline = list(dossier.events.select_related("agency").order_by("at", "id"))
    if not staff_view:
        documents, timeline = _applicant_cut(dossier=dossier, documents=documents, timeline=timeline)
    return DossierDetail(
        dossier=dossier,
        documents=documents,
        timeline=timeline,
        forms=list(dossier.forms.order_by("issued_at", "id")),
        supplement_requests=list(dossier.supplement_requests.order_by("requested_at", "id")),
        payments=list(dossier.payments.order_by("requested_at", "id")),
        consultations=list(dossier.consultations.select_related("from_agency", "to_agency").order_by("requested_at"))
        if staff_view else [],
        actions=dossier_available_actions(actor=actor, dossier=dossier),
        staff_view=staff_view,
    )


@dataclass
class DossierPage:
    items: list[Dossier]
    count: int
    page: int
    page_size: int
    masked: bool

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))


def _page_args(page, page_size, default: int) -> tuple[int, int]:
    try:
        page = max(1, int(page or 1))
        page_size = min(MAX_PAGE_SIZE, max(1, int(page_size or default)))
    except (TypeError, ValueError):
        raise ValidationFailed("page và page_size phải là số nguyên dương.", code="invalid_input") from None
    return page, page_size


def _page_rows(ordered: QuerySet[Dossier], *, start: int, size: int) -> list[Dossier]:
    """One page in two narrow steps: the ids in order (sorting only the dossier table, on its
    indexes), then those rows with their related objects. Sorting the joined rows instead makes
    PostgreSQL sort tens of thousands of wide tuples for a queue of 50."""
    return _rows_in_order(list(ordered.values_list("pk", flat=True)[start:start + size]))


def _rows_in_order(ids: list[int]) -> list[Dossier]:
    by_id = list_rows().in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


# The long texts of a procedure version (steps, conditions, legal basis, e-form…) are not list material:
# a page of 50 dossiers would carry them 50 times. Reading one of them on a list row costs a query.
VERSION_LIST_DEFER = ("steps_text", "conditions_text", "result_text", "results", "legal_basis", "fees_text",
                      "document_notes", "agencies_text", "competent_text", "coordinating_text", "receiving_address",
                      "keywords", "notes", "eform_schema", "source", "change_note", "processing_time_text")


def list_rows() -> QuerySet[Dossier]:
    """Dossiers with what a list row shows, in a fixed number of queries (one per related table;
    each procedure version is loaded once, however many rows share it)."""
    return Dossier.objects.select_related(*LIST_RELATED_SMALL).prefetch_related(
        Prefetch("procedure_version", queryset=ProcedureVersion.objects.defer(*VERSION_LIST_DEFER)))


def _search(queryset: QuerySet[Dossier], q: str | None) -> QuerySet[Dossier]:
    for word in fold(q or "").split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def dossier_list_for(
    *, actor, status: str | None = None, q: str | None = None, agency: str | None = None,
    procedure: str | None = None, page: int = 1, page_size: int = PAGE_SIZE,
) -> DossierPage:
    """The dossiers ``actor`` may read, newest first, one page (two queries plus the scope's).

    ``q`` matches code, applicant name, procedure name, identification number and phone with or
    without diacritics; ``status`` an internal status; ``agency`` the receiving agency's code.
    Staff pages are ``masked`` (the API shows ``0010****2345`` and ``09****678``).
    """
    context = actor_context(actor)
    page, page_size = _page_args(page, page_size, PAGE_SIZE)
    if status and status not in Status.values:
        raise ValidationFailed(f"Trạng thái “{status}” không hợp lệ.", code="invalid_filter")
    start = (page - 1) * page_size
    staff_path = getattr(actor, "is_authenticated", False) and not context.is_applicant \
        and not context.province_wide and context.agency_ids
    if staff_path:
        # Driven by the access rows of the actor's agencies, newest first: one index range.
        access = DossierAccess.objects.filter(agency_id__in=context.agency_ids)
        prefix = "dossier__"
        if status:
            access = access.filter(dossier__status=status)
        if agency:
            access = access.filter(dossier__receiving_agency__code=agency.strip().upper())
        if procedure:
            access = access.filter(dossier__procedure__code=procedure.strip())
        for word in fold(q or "").split():
            access = access.filter(**{f"{prefix}search_text__contains": word})
        ordered = access.order_by("-dossier_created_at", "-dossier_id")
        if len(context.agency_ids) == 1:  # one row per dossier and agency: no duplicates to remove
            count = access.count()
            ids = list(ordered.values_list("dossier_id", flat=True)[start:start + page_size])
        else:
            count = access.values("dossier_id").distinct().count()
            pairs = ordered.values_list("dossier_created_at", "dossier_id").distinct()[start:start + page_size]
            ids = [dossier_id for _created, dossier_id in pairs]
        return DossierPage(items=_rows_in_order(ids), count=count, page=page, page_size=page_size, masked=True)
    dossiers = visible_dossiers(actor=actor, context=context)
    if status:
        dossiers = dossiers.filter(status=status)
    if agency:
        dossiers = dossiers.filter(receiving_agency__code=agency.strip().upper())
    if procedure:
        dossiers = dossiers.filter(procedure__code=procedure.strip())
    dossiers = _search(dossiers, q)
    count = dossiers.count()
    items = _page_rows(dossiers.order_by("-created_at", "-pk"), start=start, size=page_size)
    return DossierPage(items=items, count=count, page=page, page_size=page_size, masked=not context.is_applicant)


# --- files of a dossier -------------------------------------------------------------------------------


def dossier_document_for(*, actor, code: str, document_id: int) -> DossierDocument:
    """A document of a dossier the actor may read. Result files reach the applicant only once the
    result is issued (status resolved or returned)."""
    context = actor_context(actor)
    dossier = dossier_get_for(actor=actor, code=code, context=context)
    document = dossier.documents.select_related("file").filter(pk=document_id).first()
    if document is None:
        raise NotFound("Không tìm thấy giấy tờ của hồ sơ.", code="document_not_found")
    if context.is_applicant and not applicant_may_see_document(dossier, document):
        raise NotFound("Không tìm thấy giấy tờ của hồ sơ.", code="document_not_found")
    return document


def dossier_result_for(*, actor, code: str) -> DossierDocument:
    """The latest result document (``GET /api/v1/dossiers/{code}/result``), for the applicant once the
    result is issued, for staff who may read the dossier at any time."""
    context = actor_context(actor)
    dossier = dossier_get_for(actor=actor, code=code, context=context)
    if context.is_applicant and dossier.status not in RESULT_ISSUED:
        raise NotFound("Hồ sơ chưa có kết quả giải quyết.", code="result_not_available")
    document = dossier.documents.select_related("file").filter(role=DossierDocument.Role.RESULT) \
        .order_by("-uploaded_at", "-id").first()
    if document is None:
        raise NotFound("Hồ sơ chưa có kết quả giải quyết.", code="result_not_available")
    return document


FORM_KINDS_BY_SLUG = {
    "receipt": FormIssue.Kind.RECEIPT,
    "supplement-request": FormIssue.Kind.SUPPLEMENT_REQUEST,
    "refusal": FormIssue.Kind.REFUSAL,
    "apology": FormIssue.Kind.APOLOGY,
    "stop": FormIssue.Kind.STOP,
    "withdrawal": FormIssue.Kind.WITHDRAWAL,
    "handover-log": FormIssue.Kind.HANDOVER_LOG,
}


def dossier_form_for(*, actor, code: str, kind: str) -> tuple[Dossier, FormIssue | None]:
    """The dossier and its latest issued form of ``kind`` (a slug of the API path or a ``FormIssue.Kind``).

    ``handover-log`` is rendered live from the handovers (no ``FormIssue``): it needs a received
    dossier. Other kinds need the form to have been issued: ``NotFound`` ``form_not_issued``.
    """
    kind = FORM_KINDS_BY_SLUG.get(kind, kind)
    if kind not in FormIssue.Kind.values:
        raise NotFound(f"Không có loại phiếu “{kind}”.", code="form_not_found")
    dossier = dossier_get_for(actor=actor, code=code)
    if kind == FormIssue.Kind.HANDOVER_LOG:
        if dossier.received_at is None:
            raise NotFound("Hồ sơ chưa được tiếp nhận nên chưa có phiếu kiểm soát.", code="form_not_issued")
        return dossier, None
    form = dossier.forms.filter(kind=kind).order_by("-issued_at", "-id").first()
    if form is None:
        raise NotFound("Phiếu này chưa được ban hành cho hồ sơ.", code="form_not_issued")
    return dossier, form


# --- handovers and per-agency results ------------------------------------------------------------------


def dossier_handovers(*, actor, dossier: Dossier | str) -> list[Handover]:
    """The handover log (Mẫu 05/06) of a dossier the actor may read, in order."""
    if not isinstance(dossier, Dossier):
        dossier = dossier_get_for(actor=actor, code=dossier)
    elif not visible_dossiers(actor=actor).filter(pk=dossier.pk).exists():
        raise _not_found()
    return list(
        dossier.handovers.select_related("from_agency", "to_agency", "given_by", "taken_by", "step").order_by("seq")
    )


@dataclass(frozen=True)
class AgencyResult:
    agency: Agency
    verdict: str  # early | on_time | late; for unfinished work: on time so far or already late
    finished: bool


def dossier_agency_results(*, handovers: list[Handover], now: datetime | None = None) -> list[AgencyResult]:
    """Per-agency early / on time / late over a dossier's handovers (liên thông: each agency is
    judged on its own steps). An unfinished step past its deadline already counts as late."""
    now = now or timezone.now()
    by_agency: dict[int, list[Handover]] = {}
    for row in handovers:
        if row.step_code == "reception":
            continue
        by_agency.setdefault(row.to_agency_id, []).append(row)
    results = []
    for rows in by_agency.values():
        verdicts = []
        for row in rows:
            if row.finished_at is not None:
                verdicts.append(row.verdict or Verdict.ON_TIME)
            elif row.planned_due_at is not None and now > row.planned_due_at:
                verdicts.append(Verdict.LATE)
            else:
                verdicts.append(Verdict.ON_TIME)
        if Verdict.LATE in verdicts:
            verdict = Verdict.LATE
        elif verdicts and all(v == Verdict.EARLY for v in verdicts):
            verdict = Verdict.EARLY
        else:
            verdict = Verdict.ON_TIME
        results.append(AgencyResult(agency=rows[0].to_agency, verdict=verdict,
                                    finished=all(r.finished_at is not None for r in rows)))
    return results


# --- work queue ----------------------------------------------------------------------------------------


@dataclass
class QueueItem:
    dossier: Dossier
    overdue: bool
    at_risk: bool
    step_overdue: bool
    waiting_applicant: bool


@dataclass
class QueuePage:
    items: list[QueueItem]
    count: int
    page: int
    page_size: int
    now: datetime = field(default_factory=timezone.now)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))


def _queue_scope(context: ActorContext, agency_ids) -> Q:
    user_id = context.user.pk
    scope = Q(pk__in=[])
    for agency_id in agency_ids:
        if is_head(context, agency_id):  # heads oversee everything their agency holds
            scope |= Q(current_agency_id=agency_id) & ~Q(acting_role="")
            continue
        for role, departments in context.roles.get(agency_id, {}).items():
            part = Q(current_agency_id=agency_id, acting_role=role)
            if "" not in departments:
                part &= Q(current_step__department_code__in=[*departments, ""]) | Q(current_step__isnull=True)
            scope |= part & (Q(assignee__isnull=True) | Q(assignee_id=user_id))
    return scope


def _overdue_q(now: datetime) -> Q:
    """The SQL twin of ``deadlines.deadline_flags``: a resolved dossier is late by its resolution."""
    running = Q(resolved_at__isnull=True) & (
        Q(paused_since__isnull=True, due_at__lt=now) | Q(paused_since__isnull=False, due_at__lt=F("paused_since")))
    return running | Q(resolved_at__isnull=False, due_at__lt=F("resolved_at"))


def _queue_base(context, agency: str | None):
    """The actor's agencies (with their calendars) and the dossiers waiting for them there."""
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=context.agency_ids).select_related(
        "work_calendar", "parent__work_calendar", "parent__parent__work_calendar")}
    if agency:
        agencies = {pk: a for pk, a in agencies.items() if a.code == agency.strip().upper()}
    # acting_role is empty exactly when nobody has to act (engine invariant): the queue is the
    # partial index ``dossier_queue``, without a status test that would need the table rows.
    return agencies, Dossier.objects.exclude(acting_role="").filter(_queue_scope(context, agencies))


def work_queue_steps(*, actor, agency: str | None = None) -> list[dict]:
    """The process steps the actor's queue holds dossiers at, for the queue's step filter:
    ``[{"code", "name", "count"}]`` by code (one code may carry different names in different
    procedures: the most frequent one is shown), most dossiers first."""
    _agencies, dossiers = _queue_base(actor_context(actor), agency)
    rows = (dossiers.filter(current_step__isnull=False)
            .values("current_step__code", "current_step__name").annotate(n=Count("pk")))
    steps: dict[str, dict] = {}
    best: dict[str, int] = {}
    for row in rows:
        code = row["current_step__code"]
        entry = steps.setdefault(code, {"code": code, "name": "", "count": 0})
        entry["count"] += row["n"]
        if row["n"] > best.get(code, 0):
            entry["name"], best[code] = row["current_step__name"], row["n"]
    return sorted(steps.values(), key=lambda e: (-e["count"], e["code"]))


def work_queue(
    *, actor, agency: str | None = None, status: str | None = None, flag: str | None = None, mine: bool = False,
    q: str | None = None, procedure: str | None = None, step: str | None = None, page: int = 1,
    page_size: int = QUEUE_PAGE_SIZE, now: datetime | None = None,
) -> QueuePage:
    """Dossiers waiting for ``actor``: in an agency where they hold the role the dossier's current
    step needs (reception for new dossiers and results to return), assigned to nobody or to them —
    unit heads and leaders see their agency's whole queue. Most urgent first.

    Flags are computed, never stored: ``overdue`` (past ``due_at``; for a paused dossier, past it
    when the clock stopped), ``at_risk`` (less than one working day left on the agency's calendar,
    ``TINHSO_DOSSIER_AT_RISK_WORKING_HOURS``), ``step_overdue`` (the current step's own deadline
    passed), ``waiting_applicant`` (clock stopped for a supplement or a payment).
    Filters: ``agency`` code, ``status``, ``flag`` (``overdue`` | ``at_risk``), ``mine`` (assigned
    to me), ``q`` (search), ``procedure`` code, ``step`` (the current step's code, e.g. ``tham-dinh``;
    ``work_queue_steps`` lists those present). A constant number of queries, whatever the page.
    """
    now = now or timezone.now()
    context = actor_context(actor)
    page, page_size = _page_args(page, page_size, QUEUE_PAGE_SIZE)
    agencies, dossiers = _queue_base(context, agency)
    thresholds = {pk: at_risk_threshold(agency=a, now=now) for pk, a in agencies.items()}
    if status:
        if status not in Status.values:
            raise ValidationFailed(f"Trạng thái “{status}” không hợp lệ.", code="invalid_filter")
        dossiers = dossiers.filter(status=status)
    if flag == "overdue":
        dossiers = dossiers.filter(_overdue_q(now))
    elif flag == "at_risk":
        risk = Q(pk__in=[])
        for pk, threshold in thresholds.items():
            risk |= Q(current_agency_id=pk, paused_since__isnull=True, resolved_at__isnull=True, due_at__gte=now,
                      due_at__lte=threshold)
        dossiers = dossiers.filter(risk)
    elif flag:
        raise ValidationFailed("flag phải là overdue hoặc at_risk.", code="invalid_filter")
    if mine:
        dossiers = dossiers.filter(assignee=actor)
    if procedure:
        dossiers = dossiers.filter(procedure__code=procedure.strip())
    if step:
        dossiers = dossiers.filter(current_step__code=step.strip())
    dossiers = _search(dossiers, q)
    count = dossiers.count()
    start = (page - 1) * page_size
    rows = _page_rows(dossiers.order_by(F("due_at").asc(nulls_last=True), "pk"),
                      start=start, size=page_size)
    items = []
    for dossier in rows:
        clock = dossier.paused_since or now
        overdue, at_risk = deadline_flags(dossier, now=now, threshold=thresholds.get(dossier.current_agency_id))
        step_overdue = dossier.step_due_at is not None and dossier.step_due_at < clock
        items.append(QueueItem(dossier=dossier, overdue=overdue, at_risk=at_risk, step_overdue=step_overdue,
                               waiting_applicant=dossier.status in (Status.SUPPLEMENT_REQUESTED,
                                                                    Status.PAYMENT_REQUESTED)))
    return QueuePage(items=items, count=count, page=page, page_size=page_size, now=now)


# --- register (Sổ theo dõi hồ sơ, Mẫu 06 of 2018 / 07 of 2025) -------------------------------------------

REGISTER_ROLES = (Role.RECEPTION, Role.LEADER, Role.UNIT_HEAD, Role.CLERK, Role.MONITOR, Role.ADMIN)


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register, columns of vn-standards §4.2 "Mẫu 06 (2018) / 07 (2025)"."""

    number: int
    code: str
    procedure_name: str
    sets: int
    applicant_name: str
    applicant_address: str
    applicant_phone: str
    competent_agency: str
    received_at: datetime | None
    due_at: datetime | None  # the appointment given at receipt (moved only by pauses)
    rescheduled_due_at: datetime | None  # the new appointment of an apology (Mẫu 04), printed beside it
    transferred_to: str
    transferred_at: datetime | None
    resolved_at: datetime | None
    returned_at: datetime | None
    status_label: str
    note: str


def dossier_register(*, actor, agency: Agency | str, period: tuple[date, date]) -> list[RegisterRow]:
    """The register rows of the dossiers ``agency`` received in ``period`` (first and last day, both
    inclusive), in order of receipt. For the reception desk, heads, clerks and monitors of that
    agency; the read of personal data is logged once per call."""
    context = actor_context(actor)
    found = agency if isinstance(agency, Agency) else Agency.objects.filter(code=str(agency).strip().upper()).first()
    if found is None:
        raise NotFound("Không tìm thấy cơ quan.", code="agency_not_found")
    agency = found
    if not context.has_role(agency.pk, REGISTER_ROLES) and not context.province_wide:
        raise PermissionDenied("Bạn không có quyền xem sổ theo dõi hồ sơ của cơ quan này.", code="forbidden")
    first, last = period
    if first > last:
        raise ValidationFailed("Ngày bắt đầu phải trước ngày kết thúc.", code="invalid_period")
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    transfers = Handover.objects.exclude(step_code="reception").select_related("to_agency").order_by("seq")
    dossiers = list(
        Dossier.objects.filter(receiving_agency=agency, received_at__gte=start, received_at__lt=end)
        .select_related("procedure_version", "current_agency")
        .prefetch_related(Prefetch("handovers", queryset=transfers, to_attr="transfers"))
        .order_by("received_at", "pk")
    )
    audit_personal_data_read(actor=actor, target=agency, fields=["register", *PERSONAL_FIELDS])
    rows = []
    for number, dossier in enumerate(dossiers, start=1):
        first_transfer = dossier.transfers[0] if dossier.transfers else None
        competent = solving_agency(handovers=dossier.transfers, receiving=agency).name
        note = ""
        if dossier.status in FINAL and dossier.status != Status.RETURNED:
            note = Status(dossier.status).label
        rows.append(RegisterRow(
            number=number, code=dossier.code, procedure_name=dossier.procedure_version.name, sets=1,
            applicant_name=dossier.applicant_name, applicant_address=dossier.applicant_address,
            applicant_phone=dossier.applicant_phone, competent_agency=competent,
            received_at=dossier.received_at, due_at=dossier.original_due_at or dossier.due_at,
            # An apology moves due_at and never original_due_at (pauses move both alike).
            rescheduled_due_at=dossier.due_at if dossier.original_due_at and dossier.due_at != dossier.original_due_at
            else None,
            transferred_to=first_transfer.to_agency.name if first_transfer else "",
            transferred_at=first_transfer.given_at if first_transfer else None,
            resolved_at=dossier.resolved_at, returned_at=dossier.returned_at,
            status_label=Status(dossier.status).label, note=note,
        ))
    return rows
