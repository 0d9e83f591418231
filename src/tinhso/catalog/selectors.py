"""Reads on the procedure catalogue. The catalogue is public data: no selector needs an actor.

``procedure_current_version`` is the one the dossier app calls when it receives a dossier: the
version in force on a given day, which the dossier then keeps for good.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from tinhso.catalog.choices import Level, OnlineLevel, VersionStatus
from tinhso.catalog.models import (
    Procedure,
    ProcedureAgency,
    ProcedureVersion,
    ProcessDefinition,
    RequiredDocument,
    Sector,
    Step,
    Transition,
)
from tinhso.catalog.search import collation_key, query_parse, rank_readings, vocabulary_current
from tinhso.core.errors import NotFound, ValidationFailed

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# What a result row shows; the long texts and JSON of a version stay in the database.
LIST_FIELDS = (
    "code", "popularity", "current_version__name", "current_version__level", "current_version__online_level",
    "current_version__processing_time_value", "current_version__processing_time_unit",
    "current_version__processing_time_text", "current_version__is_complete", "current_version__procedure_id",
    "current_version__sector__code", "current_version__sector__name",
)


def procedure_current_version(*, procedure: Procedure, at: date | datetime | None = None) -> ProcedureVersion | None:
    """The published version in force on ``at`` (default today): the latest ``effective_from`` on or
    before that day, the latest published among equals. ``None`` if nothing is in force yet."""
    if isinstance(at, datetime):
        at = timezone.localtime(at).date() if timezone.is_aware(at) else at.date()
    day = at or timezone.localdate()
    return (
        ProcedureVersion.objects.filter(procedure=procedure, status=VersionStatus.PUBLISHED, effective_from__lte=day)
        .select_related("procedure", "sector")
        .order_by("-effective_from", "-published_at", "-number")
        .first()
    )


def _not_found(code: str) -> NotFound:
    return NotFound(f"Không tìm thấy thủ tục hành chính mã “{code}”.", code="procedure_not_found")


def procedure_get(*, code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=(code or "").strip()).first()
    if procedure is None:
        raise _not_found(code)
    return procedure


def version_detail_queryset() -> QuerySet[ProcedureVersion]:
    """A version with everything its page or API answer shows, in a fixed number of queries."""
    return ProcedureVersion.objects.select_related("procedure", "sector").prefetch_related(
        Prefetch("documents", queryset=RequiredDocument.objects.order_by("order", "id")),
        "fees",
        Prefetch("agency_links", queryset=ProcedureAgency.objects.select_related("agency").order_by("role", "agency__code")),
        Prefetch(
            "process__steps",
            queryset=Step.objects.select_related("agency").order_by("order", "id"),
        ),
        Prefetch(
            "process__transitions",
            queryset=Transition.objects.select_related("from_step", "to_step").order_by("from_step__order", "id"),
        ),
    )


def procedure_detail(*, code: str, at: date | None = None) -> ProcedureVersion:
    """The current version of procedure ``code`` with its children; ``NotFound`` (``procedure_not_found``)."""
    procedure = procedure_get(code=code)
    current = procedure_current_version(procedure=procedure, at=at)
    if current is None:
        raise _not_found(code)
    return version_detail_queryset().get(pk=current.pk)


def required_document_template(*, code: str, document_id: int) -> RequiredDocument:
    """The form template file (mẫu đơn, tờ khai) of a document of a published version of procedure
    ``code``: public data. Drafts and documents without a file are ``NotFound`` (``template_not_found``)."""
    document = (
        RequiredDocument.objects.filter(
            pk=document_id, version__procedure__code=(code or "").strip(), version__status=VersionStatus.PUBLISHED
        )
        .exclude(template_file="")
        .first()
    )
    if document is None:
        raise NotFound("Không tìm thấy mẫu đơn, tờ khai này.", code="template_not_found")
    return document


def version_process(version: ProcedureVersion) -> ProcessDefinition | None:
    try:
        return version.process
    except ProcessDefinition.DoesNotExist:
        return None


def version_documents_asked(version: ProcedureVersion, *, channel: str | None) -> list[RequiredDocument]:
    """The papers a dossier filed by ``channel`` (catalogue spelling: direct, online, post) is asked
    for (``RequiredDocument.is_asked``); every paper when ``channel`` is None (the public page)."""
    documents = list(version.documents.all())
    if channel is None:
        return documents
    has_eform = bool(version.eform_schema)
    return [d for d in documents if d.is_asked(channel=channel, has_eform=has_eform)]


def version_documents_by_case(version: ProcedureVersion, *, channel: str | None = None,
                              ) -> list[tuple[str, list[RequiredDocument]]]:
    """Documents grouped by case, in order of first appearance; only those asked by ``channel``."""
    groups: dict[str, list[RequiredDocument]] = {}
    for document in version_documents_asked(version, channel=channel):
        groups.setdefault(document.case_name, []).append(document)
    return list(groups.items())


@dataclass
class ProcedurePage:
    items: list[Procedure]
    count: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.page_size + 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _filtered(*, sector: str | None, level: str | None, agency: str | None, online_level: str | None) -> QuerySet:
    procedures = Procedure.objects.filter(current_version__isnull=False)
    if sector:
        procedures = procedures.filter(current_version__sector__code=sector)
    if level:
        if level not in Level.values:
            raise ValidationFailed(
                f"Cấp thực hiện “{level}” không hợp lệ; dùng: {', '.join(Level.values)}.", code="invalid_filter"
            )
        # A procedure of both levels is found under either.
        procedures = procedures.filter(current_version__level__in=[level] if level == Level.BOTH else [level, Level.BOTH])
    if online_level:
        if online_level not in OnlineLevel.values:
            raise ValidationFailed(
                f"Mức độ trực tuyến “{online_level}” không hợp lệ; dùng: {', '.join(OnlineLevel.values)}.",
                code="invalid_filter",
            )
        procedures = procedures.filter(current_version__online_level=online_level)
    if agency:
        links = ProcedureAgency.objects.filter(version_id=OuterRef("current_version_id"), agency__code=agency.upper())
        procedures = procedures.filter(Exists(links))
    return procedures


def _retrieval(query) -> Q:
    """The SQL side of a search (catalog.search, step 3): groups of LIKEs, enough of them AND-ed,
    OR-ed over the readings of glued words."""
    condition = Q()
    for reading in query.readings:
        condition |= _reading_retrieval(reading)
    return condition


def _reading_retrieval(query) -> Q:
    groups = []
    for patterns in query.groups:
        group = Q()
        for pattern in patterns:
            group |= Q(search_text__contains=pattern)
        groups.append(group)
    if query.required >= len(groups):
        combos = [groups]
    else:  # every word but one: OR over the ways to leave one out
        combos = [groups[:i] + groups[i + 1 :] for i in range(len(groups))]
    condition = Q()
    for combo in combos:
        both = Q()
        for group in combo:
            both &= group
        condition |= both
    return condition


def _ranked(procedures: QuerySet, query) -> list[tuple[tuple, int]]:
    scored = []
    rows = procedures.filter(_retrieval(query)).values_list("id", "code", "search_text", "popularity", "name_rank")
    for pk, code, text, popularity, name_rank in rows:
        key = rank_readings(query, code=code, search_text=text, popularity=popularity, name_rank=name_rank)
        if key is not None:
            scored.append((key, pk))
    scored.sort()
    return scored


def procedure_search(
    *,
    q: str | None = None,
    sector: str | None = None,
    level: str | None = None,
    agency: str | None = None,
    online_level: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> ProcedurePage:
    """Current procedures matching ``q`` and the filters, ranked (``catalog.search``), one page.

    Without ``q``: most used first, then by name in Vietnamese order. Three queries, whatever
    the page (vocabulary stamp, candidates, the page's rows), plus one or two candidate queries
    when the strict try finds nothing (``catalog.search``).
    """
    page = max(1, int(page or 1))
    page_size = min(MAX_PAGE_SIZE, max(1, int(page_size or PAGE_SIZE)))
    procedures = _filtered(sector=sector, level=level, agency=agency, online_level=online_level)
    start = (page - 1) * page_size

    query = query_parse(q, vocabulary_current()) if (q or "").strip() else None
    if query is None or query.is_empty:
        count = procedures.count()
        ids = list(procedures.order_by("-popularity", "name_rank", "code").values_list("id", flat=True)[start : start + page_size])
    else:
        scored = _ranked(procedures, query)
        if not scored and not query.expanded_all:
            # Nothing matched as typed: maybe a typo made another real word ("ket hong").
            query = query_parse(q, vocabulary_current(), expand_all=True)
            scored = _ranked(procedures, query)
        if not scored and any(len(reading.words) >= 3 for reading in query.readings):
            # Still nothing: one word may be wrong or extra ("dang ky khai sinh con").
            scored = _ranked(procedures, query_parse(q, vocabulary_current(), expand_all=True, allow_missing=True))
        count = len(scored)
        ids = [pk for _key, pk in scored[start : start + page_size]]

    rows = Procedure.objects.filter(id__in=ids).select_related("current_version", "current_version__sector").only(
        *LIST_FIELDS
    )
    by_id = {p.id: p for p in rows}
    return ProcedurePage(items=[by_id[i] for i in ids if i in by_id], count=count, page=page, page_size=page_size)


def procedure_popular_list(*, limit: int = 8) -> list[Procedure]:
    """The most used procedures (``popularity``), for the portal's home page."""
    return list(
        Procedure.objects.filter(current_version__isnull=False, popularity__gt=0)
        .select_related("current_version", "current_version__sector")
        .only(*LIST_FIELDS)
        .order_by("-popularity", "name_rank", "code")[:limit]
    )


def sector_list() -> list[Sector]:
    """Sectors with at least one current procedure, in Vietnamese order, with ``procedure_count``."""
    counts = dict(
        Procedure.objects.filter(current_version__isnull=False)
        .values("current_version__sector_id")
        .annotate(n=Count("id"))
        .values_list("current_version__sector_id", "n")
    )
    sectors = list(Sector.objects.filter(id__in=counts))
    for sector in sectors:
        sector.procedure_count = counts[sector.id]
    return sorted(sectors, key=lambda s: collation_key(s.name))
