"""Writes of the satisfaction ratings: the invitation on return, the rating (once per dossier, editable
within ``TINHSO_RATING_EDIT_MINUTES`` by whoever gave it), and the kiosk desks' current dossier."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tinhso.core.actions import in_transaction
from tinhso.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tinhso.core.markup import markup_refuse
from tinhso.core.text import nfc
from tinhso.dossiers.models import Dossier, Handover
from tinhso.dossiers.status import Status
from tinhso.ratings.errors import RatingError
from tinhso.ratings.models import (
    LEVEL_SHARE,
    Answer,
    Channel,
    Criterion,
    Invitation,
    KioskDesk,
    Level,
    Questionnaire,
    Rating,
)

SCALE_POINTS = Decimal(18)


@dataclass(frozen=True)
class KioskProof:
    """The caller is the tablet of ``desk`` (it presented the desk's token)."""

    desk: KioskDesk


def questionnaire_active() -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(active=True).first()
    if questionnaire is None:
        raise Conflict("Chưa có bộ câu hỏi đánh giá đang áp dụng.", code=RatingError.NO_QUESTIONNAIRE)
    return questionnaire


def invitation_create(*, dossier_id: int) -> Invitation | None:
    """On ``dossier.returned``: the dossier may now be rated (idempotent: one invitation per dossier)."""
    if not Dossier.objects.filter(pk=dossier_id, status=Status.RETURNED).exists():
        return None
    invitation, _ = Invitation.objects.get_or_create(dossier_id=dossier_id)
    return invitation


def kiosk_desk_create(*, agency, name: str, officer=None) -> KioskDesk:
    return KioskDesk.objects.create(agency=agency, name=nfc(name).strip(), officer=officer,
                                    token=secrets.token_urlsafe(32))


def kiosk_offer_returned(*, dossier_id: int, officer_id: int | None) -> KioskDesk | None:
    """A dossier returned at the counter by a desk's officer is offered on that desk's tablet."""
    if officer_id is None:
        return None
    desk = KioskDesk.objects.filter(officer_id=officer_id).order_by("pk").first()
    if desk is None:
        return None
    desk.current_dossier_id = dossier_id
    desk.current_since = timezone.now()
    desk.save(update_fields=["current_dossier", "current_since"])
    return desk


def kiosk_dossier(desk: KioskDesk) -> Dossier | None:
    """The dossier the desk's tablet offers now, if still recent and not rated yet."""
    if desk.current_dossier_id is None or desk.current_since is None:
        return None
    if timezone.now() - desk.current_since > timedelta(minutes=settings.TINHSO_RATING_KIOSK_MINUTES):
        return None
    if Rating.objects.filter(dossier_id=desk.current_dossier_id).exists():
        return None
    return desk.current_dossier


def _answers_check(questionnaire: Questionnaire, answers: dict[str, str]) -> list[tuple[Criterion, str]]:
    criteria = list(questionnaire.criteria.all())
    unknown = set(answers) - {c.code for c in criteria}
    missing = [c for c in criteria if c.code not in answers]
    if unknown or missing:
        raise ValidationFailed("Vui lòng chọn một mức cho từng tiêu chí.", code=RatingError.INCOMPLETE,
                               errors=[{"field": c.code, "message": "Bắt buộc.", "type": RatingError.INCOMPLETE}
                                       for c in missing]
                               + [{"field": code, "message": "Không có tiêu chí này.", "type": RatingError.INCOMPLETE}
                                  for code in sorted(unknown)])
    bad = [c for c in criteria if answers[c.code] not in Level.values]
    if bad:
        raise ValidationFailed("Mức đánh giá phải là Rất hài lòng, Hài lòng hoặc Không hài lòng.",
                               code=RatingError.INVALID_LEVEL,
                               errors=[{"field": c.code, "message": "Mức không hợp lệ.", "type": RatingError.INVALID_LEVEL}
                                       for c in bad])
    return [(c, answers[c.code]) for c in criteria]


def _comment_clean(comment: str | None) -> str:
    text = nfc(comment or "").strip()
    markup_refuse(text, field="comment", label="Góp ý", code=RatingError.MARKUP)
    if len(text) > settings.TINHSO_RATING_COMMENT_MAX:
        raise ValidationFailed(f"Góp ý dài quá {settings.TINHSO_RATING_COMMENT_MAX} ký tự.",
                               code=RatingError.TOO_LONG,
                               errors=[{"field": "comment", "message": "Quá dài.", "type": RatingError.TOO_LONG}])
    return text


def _score(pairs: list[tuple[Criterion, str]]) -> Decimal:
    total = sum((c.max_points for c, _ in pairs), Decimal(0))
    if not total:
        return Decimal(0)
    earned = sum((c.max_points * LEVEL_SHARE[Level(level)] for c, level in pairs), Decimal(0))
    return (earned * SCALE_POINTS / total).quantize(Decimal("0.01"))


def _officers(dossier: Dossier) -> set[int]:
    ids = set()
    for given, taken in Handover.objects.filter(dossier=dossier).values_list("given_by_id", "taken_by_id"):
        ids.update(x for x in (given, taken) if x)
    if dossier.received_by_id:
        ids.add(dossier.received_by_id)
    ids.discard(dossier.owner_id)
    return ids


def _may_rate(actor, dossier: Dossier) -> None:
    if isinstance(actor, KioskProof):
        if kiosk_dossier(actor.desk) is None or actor.desk.current_dossier_id != dossier.pk:
            raise PermissionDenied("Quầy này không có hồ sơ nào đang chờ đánh giá.", code=RatingError.KIOSK_IDLE)
        return
    if not getattr(actor, "is_authenticated", False) or dossier.owner_id is None or dossier.owner_id != actor.pk:
        raise PermissionDenied("Chỉ người nộp hồ sơ mới được đánh giá hồ sơ này.", code=RatingError.NOT_OWNER)


def _write(rating: Rating, pairs, comment: str, at) -> Rating:
    in_transaction("ratings._write")
    rating.comment = comment
    rating.score = _score(pairs)
    rating.unsatisfied = any(level == Level.UNSATISFIED for _, level in pairs)
    rating.updated_at = at
    rating.save()
    rating.answers.all().delete()
    Answer.objects.bulk_create([Answer(rating=rating, criterion=c, level=level) for c, level in pairs])
    return rating


def rating_submit(*, actor, dossier_id: int, answers: dict[str, str], comment: str = "") -> Rating:
    """Rate a returned dossier, once. ``actor``: the dossier's owner (online) or a ``KioskProof``."""
    comment = _comment_clean(comment)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().filter(pk=dossier_id).first()
        if dossier is None:
            raise NotFound("Không tìm thấy hồ sơ.", code=RatingError.NOT_FOUND)
        _may_rate(actor, dossier)
        if dossier.status != Status.RETURNED:
            raise Conflict("Hồ sơ chưa được trả kết quả nên chưa thể đánh giá.", code=RatingError.NOT_RETURNED)
        if Rating.objects.filter(dossier=dossier).exists():
            raise Conflict("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ được đánh giá một lần.",
                           code=RatingError.ALREADY_RATED)
        questionnaire = questionnaire_active()
        pairs = _answers_check(questionnaire, answers)
        at = timezone.now()
        kiosk = isinstance(actor, KioskProof)
        rating = Rating(dossier=dossier, questionnaire=questionnaire,
                        agency_id=dossier.receiving_agency_id or dossier.current_agency_id,
                        procedure_id=dossier.procedure_id, channel=Channel.KIOSK if kiosk else Channel.ONLINE,
                        rated_by=None if kiosk else actor, created_at=at)
        _write(rating, pairs, comment, at)
        rating.officers.set(_officers(dossier))
        if kiosk:
            KioskDesk.objects.filter(pk=actor.desk.pk).update(current_dossier=None, current_since=None)
        return rating


def rating_editable(rating: Rating, actor) -> bool:
    if isinstance(actor, KioskProof) or rating.rated_by_id is None:
        return False
    if rating.rated_by_id != getattr(actor, "pk", None):
        return False
    return timezone.now() - rating.created_at <= timedelta(minutes=settings.TINHSO_RATING_EDIT_MINUTES)


def rating_update(*, actor, dossier_id: int, answers: dict[str, str], comment: str = "") -> Rating:
    """Change one's own rating within the edit window (a kiosk rating cannot be changed)."""
    comment = _comment_clean(comment)
    with transaction.atomic():
        rating = Rating.objects.select_for_update().filter(dossier_id=dossier_id).first()
        if rating is None:
            raise NotFound("Hồ sơ này chưa được đánh giá.", code=RatingError.NOT_FOUND)
        if rating.rated_by_id is None or rating.rated_by_id != getattr(actor, "pk", None):
            raise PermissionDenied("Chỉ người đã đánh giá mới được sửa đánh giá.", code=RatingError.NOT_OWNER)
        if not rating_editable(rating, actor):
            raise Conflict(f"Đã quá {settings.TINHSO_RATING_EDIT_MINUTES} phút, không thể sửa đánh giá.",
                           code=RatingError.EDIT_CLOSED)
        pairs = _answers_check(rating.questionnaire, answers)
        return _write(rating, pairs, comment, timezone.now())
