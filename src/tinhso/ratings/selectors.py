"""Reads of the ratings: the questionnaire, a dossier's rating, and the aggregates the statistics use
(per agency, officer, procedure and period: count, share per level, the mean 18-point score) and the
766 indicator 23. Aggregates take the actor: province-level staff and superusers see every agency,
other staff only the agencies they hold a role in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet

from tinhso.core.errors import NotFound, PermissionDenied
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.status import Status, Verdict
from tinhso.org.models import Agency
from tinhso.org.selectors import agencies_for
from tinhso.ratings.errors import RatingError
from tinhso.ratings.models import Answer, KioskDesk, Level, Questionnaire, Rating
from tinhso.ratings.services import rating_editable

_TWO = Decimal("0.01")


def questionnaire_current() -> Questionnaire | None:
    return Questionnaire.objects.filter(active=True).prefetch_related("criteria").first()


def rating_for_dossier(*, dossier_id: int) -> Rating | None:
    return (Rating.objects.filter(dossier_id=dossier_id).select_related("questionnaire")
            .prefetch_related("answers__criterion").first())


def rated_dossier_ids(*, dossier_ids) -> set[int]:
    return set(Rating.objects.filter(dossier_id__in=list(dossier_ids)).values_list("dossier_id", flat=True))


def _scope(actor) -> set[int] | None:
    """None: every agency; otherwise the ids the actor may see."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("Vui lòng đăng nhập bằng tài khoản cán bộ.", code="forbidden")
    if actor.is_superuser:
        return None
    agencies = agencies_for(user=actor)
    if agencies.filter(code=settings.TINHSO_PROVINCE_CODE).exists():
        return None
    ids = set(agencies.values_list("pk", flat=True))
    if not ids:
        raise PermissionDenied("Chỉ cán bộ của cơ quan mới xem được kết quả đánh giá.", code="forbidden")
    return ids


def _agency_allowed(scope: set[int] | None, agency: Agency | None) -> None:
    if agency is not None and scope is not None and agency.pk not in scope:
        raise PermissionDenied("Bạn không xem được kết quả đánh giá của cơ quan này.", code="forbidden")


def _in_period(qs: QuerySet, field_name: str, start: dt.date | None, end: dt.date | None) -> QuerySet:
    if start:
        qs = qs.filter(**{f"{field_name}__date__gte": start})
    if end:
        qs = qs.filter(**{f"{field_name}__date__lte": end})
    return qs


@dataclass
class RatingSummary:
    count: int
    answers: int
    level_counts: dict[str, int] = field(default_factory=dict)
    level_shares: dict[str, Decimal] = field(default_factory=dict)  # percent of answers, 2 decimals
    score: Decimal | None = None  # mean of the ratings' 18-point scores
    unsatisfied_count: int = 0  # ratings with at least one "Không hài lòng"


def rating_summary(*, actor, agency: Agency | None = None, officer=None, procedure=None,
                   start: dt.date | None = None, end: dt.date | None = None) -> RatingSummary:
    """Ratings given in [start, end] (Vietnam dates), narrowed by agency, officer and procedure."""
    scope = _scope(actor)
    _agency_allowed(scope, agency)
    ratings = Rating.objects.all()
    if scope is not None:
        ratings = ratings.filter(agency_id__in=scope)
    if agency is not None:
        ratings = ratings.filter(agency=agency)
    if officer is not None:
        ratings = ratings.filter(officers=officer)
    if procedure is not None:
        ratings = ratings.filter(procedure=procedure)
    ratings = _in_period(ratings, "created_at", start, end)
    head = ratings.aggregate(count=Count("pk", distinct=True), score=Avg("score"),
                             unsatisfied=Count("pk", filter=Q(unsatisfied=True), distinct=True))
    per_level = dict(Answer.objects.filter(rating__in=ratings.values("pk")).values_list("level")
                     .annotate(n=Count("pk")).values_list("level", "n"))
    counts = {level: per_level.get(level, 0) for level in Level.values}
    total = sum(counts.values())
    shares = {level: (Decimal(100 * n) / total).quantize(_TWO, ROUND_HALF_UP) if total else Decimal(0)
              for level, n in counts.items()}
    score = Decimal(head["score"]).quantize(_TWO, ROUND_HALF_UP) if head["score"] is not None else None
    return RatingSummary(count=head["count"], answers=total, level_counts=counts, level_shares=shares,
                         score=score, unsatisfied_count=head["unsatisfied"])


@dataclass
class Indicator23:
    """QĐ 766 #23 (DOSSIER_RECEIVING_SATISFACTION, max 6): 100 % − (% dossiers late + % dossiers with a
    PAKN or a "dislike"); ≥ 90 % earns the full points, else pct × max / 90 % (vn-standards §6.2)."""

    dossiers: int
    late: int
    complained: int  # dossiers with a petition about them or a rating with a "Không hài lòng"
    percent: Decimal | None
    points: Decimal | None
    max_points: Decimal = Decimal(6)


def indicator_23(*, actor, agency: Agency | None = None, start: dt.date | None = None,
                 end: dt.date | None = None) -> Indicator23:
    """Over the dossiers returned in [start, end] by ``agency`` (its receiving agency), or all in scope."""
    from tinhso.petitions.models import Petition

    scope = _scope(actor)
    _agency_allowed(scope, agency)
    dossiers = Dossier.objects.filter(status=Status.RETURNED)
    if scope is not None:
        dossiers = dossiers.filter(receiving_agency_id__in=scope)
    if agency is not None:
        dossiers = dossiers.filter(receiving_agency=agency)
    dossiers = _in_period(dossiers, "returned_at", start, end)
    petitioned = Petition.objects.filter(dossier_id__isnull=False).values("dossier_id")
    disliked = Rating.objects.filter(unsatisfied=True).values("dossier_id")
    head = dossiers.aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(verdict=Verdict.LATE)),
        complained=Count("pk", filter=Q(pk__in=petitioned) | Q(pk__in=disliked)),
    )
    if not head["n"]:
        return Indicator23(dossiers=0, late=0, complained=0, percent=None, points=None)
    percent = Decimal(100) - Decimal(100 * (head["late"] + head["complained"])) / head["n"]
    percent = max(percent, Decimal(0))
    max_points = Decimal(6)
    points = max_points if percent >= 90 else percent * max_points / Decimal(90)
    return Indicator23(dossiers=head["n"], late=head["late"], complained=head["complained"],
                       percent=percent.quantize(_TWO, ROUND_HALF_UP), points=points.quantize(_TWO, ROUND_HALF_UP))


# --- one dossier, for its applicant; the kiosk desk ------------------------------------------------------


@dataclass
class RatingState:
    """What the applicant's rating page (and ``GET /ratings/dossiers/{code}``) shows for one dossier."""

    dossier: Dossier
    rating: Rating | None
    can_rate: bool  # returned, not rated yet
    editable: bool  # rated by this person, still inside the edit window


def rating_state(*, actor, code: str) -> RatingState:
    """The actor's own dossier (any other reader gets ``rating_dossier_not_found``: somebody else's
    dossiers are invisible, not forbidden)."""

    dossier = None
    if getattr(actor, "is_authenticated", False):
        dossier = (Dossier.objects.select_related("procedure", "procedure_version", "receiving_agency")
                   .filter(code=(code or "").strip(), owner=actor).first())
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.", code=RatingError.NOT_FOUND)
    rating = rating_for_dossier(dossier_id=dossier.pk)
    return RatingState(dossier=dossier, rating=rating, can_rate=rating is None and dossier.status == Status.RETURNED,
                       editable=rating is not None and rating_editable(rating, actor))


def kiosk_desk_get(*, token: str):
    """The desk whose tablet presents ``token`` (the secret in the kiosk page's address)."""

    desk = (KioskDesk.objects.select_related("agency", "current_dossier__procedure_version")
            .filter(token=(token or "").strip()).first() if token else None)
    if desk is None:
        raise NotFound("Không tìm thấy quầy đánh giá.", code=RatingError.KIOSK_UNKNOWN)
    return desk
