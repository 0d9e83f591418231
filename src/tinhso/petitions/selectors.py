"""Reads of the feedback domain, always for an actor: staff queue, one petition (sender shown only to
the handling agency and each such read logged), the public list and counters, the sender's lookup,
and the figures behind the 766 indicators 19–23."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from tinhso.core.audit import audit_personal_data_read
from tinhso.core.errors import NotFound, RateLimited
from tinhso.core.ratelimit import rate_limit_hit
from tinhso.core.text import fold, sort_key
from tinhso.core.validators import normalize_phone
from tinhso.org.models import Agency
from tinhso.org.selectors import agencies_for
from tinhso.petitions.errors import PetitionError
from tinhso.petitions.models import Petition, PetitionTally
from tinhso.petitions.permissions import PetitionContext, SenderProof, petition_context
from tinhso.petitions.status import GROUPS, OPEN, Feedback, Group, Kind, Status, group_of

PAGE_SIZE = 20
# A search counts its matches up to this many ("hơn 1.000 kết quả"): counting every match of a common
# word among a million answers costs more than the page itself.
SEARCH_COUNT_CAP = 1000
SENDER_FIELDS = ("sender_name", "sender_phone", "sender_email", "sender_address")


def mask_name(value: str) -> str:
    """``Nguyễn Văn An`` → ``Nguyễn V. A.``: enough to tell two rows apart, not to identify."""
    words = (value or "").split()
    if not words:
        return ""
    return " ".join([words[0], *(w[0] + "." for w in words[1:])])


def mask_phone(value: str) -> str:
    if len(value or "") < 6:
        return "****" if value else ""
    return f"{value[:2]}****{value[-3:]}"


@dataclass
class Page:
    items: list
    count: int
    page: int
    page_size: int
    capped: bool = False  # ``count`` is a lower bound: the search matched more (SEARCH_COUNT_CAP)

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


def _page(qs: QuerySet, page: int, page_size: int, *, count: int | None = None, cap: int | None = None) -> Page:
    page_size = max(1, min(int(page_size or PAGE_SIZE), 100))
    page = max(1, int(page or 1))
    capped = False
    if count is None and cap is not None:
        count = qs.order_by()[:cap + 1].count()  # unordered: the scan stops at cap + 1 rows
        capped = count > cap
        count = min(count, cap)
    elif count is None:
        count = qs.count()
    return Page(items=list(qs[(page - 1) * page_size: page * page_size]), count=count, page=page, page_size=page_size,
                capped=capped)


# --- one petition ----------------------------------------------------------------------------------


@dataclass
class PetitionView:
    petition: Petition
    context: PetitionContext
    sender_visible: bool
    events: list
    attachments: list

    @property
    def actions(self):
        from tinhso.petitions.actions import registry

        return registry.available(self.context)


def _visible_to(context: PetitionContext) -> bool:
    """Staff of the handling agency and of every agency it passed through (the history stays readable),
    the sender, and the officer concerned only for the answer part (never the sender)."""
    if context.is_sender or context.staff_here or context.officer_concerned:
        return True
    if getattr(context.actor, "is_authenticated", False):
        return context.petition.events.filter(agency__in=agencies_for(user=context.actor)).exists()
    return False


def petition_detail(*, actor, code: str) -> PetitionView:
    petition = Petition.objects.select_related("agency", "commune", "sector", "procedure", "assignee").filter(
        code=(code or "").strip().upper()).first()
    if petition is None:
        raise NotFound("Không tìm thấy phản ánh.", code=PetitionError.NOT_FOUND)
    context = petition_context(actor, petition)
    if not _visible_to(context):
        raise NotFound("Không tìm thấy phản ánh.", code=PetitionError.NOT_FOUND)
    sender_visible = context.sees_sender
    if sender_visible and not context.is_sender:
        audit_personal_data_read(actor=actor, target=petition, fields=SENDER_FIELDS)
    events = list(petition.events.select_related("agency").all())
    if not (context.staff_here or getattr(actor, "is_authenticated", False) and not context.is_sender):
        events = [e for e in events if e.is_public]
    attachments = list(petition.attachments.select_related("file")) if sender_visible or context.staff_here else []
    return PetitionView(petition=petition, context=context, sender_visible=sender_visible, events=events,
                        attachments=attachments)


def petition_lookup(*, code: str, phone: str, client_ip: str) -> PetitionView:
    """The sender's own petition by code and phone (no account): rate-limited like dossier tracking,
    and the same answer for a wrong code and a wrong phone."""
    limit = int(getattr(settings, "TINHSO_PETITION_LOOKUP_PER_HOUR", 20))
    if rate_limit_hit(scope="petition_lookup", subject=client_ip or "unknown", limit=limit, window=3600) > limit:
        raise RateLimited(code=PetitionError.RATE_LIMITED)
    try:
        normalized = normalize_phone(phone)
    except Exception:
        normalized = ""
    petition = Petition.objects.filter(code=(code or "").strip().upper()).select_related("agency").first()
    if petition is None or not normalized or petition.sender_phone != normalized:
        raise NotFound("Mã phản ánh hoặc số điện thoại không đúng.", code=PetitionError.LOOKUP_FAILED)
    return petition_detail(actor=SenderProof(petition_id=petition.pk), code=petition.code)


def petitions_of_sender(*, actor, page: int = 1, page_size: int = PAGE_SIZE) -> Page:
    """The petitions a signed-in citizen or business sent, newest first (their own data: not masked)."""
    if not getattr(actor, "is_authenticated", False):
        return Page(items=[], count=0, page=1, page_size=page_size)
    qs = Petition.objects.filter(sender_user=actor).select_related("agency").order_by("-received_at", "-id")
    return _page(qs, page, page_size)


# --- staff queue -----------------------------------------------------------------------------------


def petition_queue(*, actor, agency: str | None = None, status: str | None = None, flag: str | None = None,
                   q: str | None = None, mine: bool = False, page: int = 1, page_size: int = PAGE_SIZE) -> Page:
    """Petitions of the actor's agencies (never one complaining about the actor's own conduct);
    the sender is masked in the list."""
    agencies = agencies_for(user=actor)
    qs = (Petition.objects.filter(agency__in=agencies).exclude(kind=Kind.CONDUCT, named_officer=actor)
          .select_related("agency", "assignee"))
    if agency:
        qs = qs.filter(agency__code=agency.strip().upper())
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=OPEN)
    now = timezone.now()
    if flag == "overdue":
        qs = qs.filter(status__in=OPEN, due_at__lt=now, paused_at__isnull=True)
    if mine:
        qs = qs.filter(assignee=actor)
    if q:
        qs = qs.filter(search_text__contains=fold(q))
    return _page(qs.order_by("due_at", "id"), page, page_size)


def flags(petition: Petition, *, now: datetime | None = None, thresholds: dict | None = None) -> dict:
    """Overdue / at risk, computed at read time from the due date (never stale). A list passes one
    ``thresholds`` dict for all its rows, so each agency's calendar is asked once, not once a row."""
    from tinhso.petitions.deadlines import at_risk_threshold

    now = now or timezone.now()
    running = petition.status in OPEN and petition.paused_at is None
    overdue = running and petition.due_at < now
    at_risk = False
    if running and not overdue:
        cache = thresholds if thresholds is not None else {}
        if petition.agency_id not in cache:
            cache[petition.agency_id] = at_risk_threshold(agency=petition.agency, now=now)
        at_risk = petition.due_at <= cache[petition.agency_id]
    return {"overdue": overdue, "at_risk": at_risk, "waiting_sender": petition.status == Status.INFO_REQUESTED}


# --- public ----------------------------------------------------------------------------------------


def search_patterns(q: str | None) -> list[str]:
    """The folded query as LIKE substrings, all required. Vietnamese syllables are short ("cu tru",
    "ho kinh doanh"): a word of one or two letters is kept with its neighbour as one phrase, which is
    what the reader meant and gives the trigram index something to look up (a pattern under three
    letters has no trigram and would scan the index)."""
    words = fold(q).split()[:8]
    patterns: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if len(word) < 3 and index + 1 < len(words):
            patterns.append(f"{word} {words[index + 1]}")
            index += 2
            continue
        if len(word) < 3 and patterns:
            patterns[-1] = f"{patterns[-1]} {word}"  # the last word, right after the previous pattern
        else:
            patterns.append(word)
        index += 1
    return patterns


def petition_public_list(*, q: str | None = None, agency: str | None = None, sector: str | None = None,
                         date_from=None, date_to=None, page: int = 1, page_size: int = PAGE_SIZE) -> Page:
    """Published answers: question and answer, never the sender (the list selects no sender column)."""
    qs = (Petition.objects.filter(status=Status.PUBLISHED)
          .only("code", "kind", "subject", "content", "answer", "published_at", "answered_at", "agency__name",
                "agency__code", "sector__name", "sector__code")
          .select_related("agency", "sector"))
    if agency:
        qs = qs.filter(agency__code=agency.strip().upper())
    if sector:
        qs = qs.filter(sector__code=sector.strip())
    if date_from:
        qs = qs.filter(published_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(published_at__date__lte=date_to)
    words = search_patterns(q)
    for word in words:
        qs = qs.filter(search_text__contains=word)
    qs = qs.order_by("-published_at", "-id")
    if not (words or sector or date_from or date_to):
        # The whole list or one agency's: its size is a tally, not a count of half the table.
        return _page(qs, page, page_size, count=published_count(agency=agency))
    return _page(qs, page, page_size, cap=SEARCH_COUNT_CAP if words else None)


def _agency_by_code(code: str) -> Agency:
    found = Agency.objects.filter(code=code.strip().upper()).first()
    if found is None:
        raise NotFound("Không tìm thấy cơ quan.", code=PetitionError.UNKNOWN_AGENCY)
    return found


def _grouped(rows) -> dict[str, int]:
    counts = {group: 0 for group in Group.values}
    for status, n in rows:
        counts[group_of(status)] += n
    return counts


def petition_counters(*, agency: str | None = None) -> dict[str, int]:
    """"Đã trả lời / đang xử lý / từ chối xử lý" for one agency (its code) or the whole province, from the
    tallies kept in the transaction of every status change (``PetitionTally``): always what the
    petitions table holds, without counting it."""
    tallies = PetitionTally.objects.all()
    if agency:
        tallies = tallies.filter(agency=_agency_by_code(agency))
    return _grouped(tallies.values_list("status").annotate(n=Sum("count")).values_list("status", "n").order_by())


def petition_counters_by_agency() -> list[dict]:
    """The three counters for every agency that has petitions (name order), from the tallies."""
    rows: dict[str, dict] = {}
    for code, name, status, n in PetitionTally.objects.filter(count__gt=0).values_list(
            "agency__code", "agency__name", "status", "count"):
        entry = rows.setdefault(code, {"code": code, "name": name, **{group: 0 for group in Group.values}})
        entry[group_of(status)] += n
    return sorted(rows.values(), key=lambda r: sort_key(r["name"]))


def public_list_agencies() -> QuerySet:
    """The agencies with published answers (the public list's agency filter), from the tallies."""
    with_answers = PetitionTally.objects.filter(status=Status.PUBLISHED, count__gt=0).values("agency_id")
    return Agency.objects.filter(is_active=True, pk__in=with_answers).order_by("name")


def published_count(*, agency: str | None = None) -> int:
    tallies = PetitionTally.objects.filter(status=Status.PUBLISHED)
    if agency:
        tallies = tallies.filter(agency__code=agency.strip().upper())
    return tallies.aggregate(n=Sum("count"))["n"] or 0


# --- 766 indicators 19–23 --------------------------------------------------------------------------


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 2) if denominator else None


def petition_indicators(*, actor=None, agency: Agency | None = None, start: datetime, end: datetime) -> dict:
    """Figures of the 766 indicators 19–22 for petitions received in ``[start, end)`` (vn-standards §6.2).

    * 19 / 20: share of petitions about regulations and procedures / about officers' conduct;
    * 21: (answered on time + in progress within the deadline at ``end``) / petitions handled here
      (refused ones are not under the agency's competence);
    * 22: (answered − rated unhappy − reopened − answered late) / answered.
    Indicator 23 needs the dossiers' ratings: ``ratings.selectors.indicator_23``.
    """
    qs = Petition.objects.filter(received_at__gte=start, received_at__lt=end)
    if agency is not None:
        qs = qs.filter(agency=agency)
    answered = qs.filter(status__in=GROUPS[Group.ANSWERED])
    from django.db.models import F

    figures = qs.aggregate(
        total=Count("id"),
        regulation=Count("id", filter=Q(kind=Kind.REGULATION)),
        conduct=Count("id", filter=Q(kind=Kind.CONDUCT)),
        competent=Count("id", filter=~Q(status=Status.REFUSED)),
        in_time_open=Count("id", filter=Q(status__in=OPEN, due_at__gte=end)),
    )
    on_time = answered.filter(answered_at__lte=F("due_at")).count()
    answered_count = answered.count()
    bad = answered.filter(Q(feedback=Feedback.UNSATISFIED) | Q(reopened_count__gt=0)
                          | Q(answered_at__gt=F("due_at"))).count()
    return {
        "total": figures["total"],
        "indicator_19": {"numerator": figures["regulation"], "denominator": figures["total"],
                         "ratio": _ratio(figures["regulation"], figures["total"])},
        "indicator_20": {"numerator": figures["conduct"], "denominator": figures["total"],
                         "ratio": _ratio(figures["conduct"], figures["total"])},
        "indicator_21": {"numerator": on_time + figures["in_time_open"], "denominator": figures["competent"],
                         "ratio": _ratio(on_time + figures["in_time_open"], figures["competent"])},
        "indicator_22": {"numerator": answered_count - bad, "denominator": answered_count,
                         "ratio": _ratio(answered_count - bad, answered_count)},
    }
