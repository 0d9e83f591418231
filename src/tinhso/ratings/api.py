"""``/api/v1/ratings/``: the questionnaire, the applicant's rating of a returned dossier (once, editable
within the window), the reception desk's kiosk tablet (no login: the desk token), and the summary the
statistics read (issue #13; docs/ratings.md).

POSTs honour ``Idempotency-Key`` for a signed-in caller; errors are problem+json with the codes of
``ratings/errors.py``.
"""

from __future__ import annotations

from datetime import date

from django.http import JsonResponse
from ninja import Query, Router, Schema
from pydantic import Field

from tinhso.core.auth import require_user
from tinhso.core.errors import NotFound
from tinhso.core.idempotency import HEADER, idempotency_run, request_fingerprint
from tinhso.core.serialization import json_ready
from tinhso.dossiers.models import Dossier
from tinhso.ratings import selectors
from tinhso.ratings.errors import RatingError
from tinhso.ratings.models import Level, Rating
from tinhso.ratings.services import KioskProof, kiosk_dossier, rating_submit, rating_update

router = Router(tags=["Đánh giá sự hài lòng"])


def _json(body: dict, status: int = 200, headers: dict | None = None) -> JsonResponse:
    response = JsonResponse(json_ready(body), status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _idempotent(request, user, run) -> JsonResponse:
    key = request.headers.get(HEADER)
    answer = idempotency_run(user=user, key=key, method=request.method, path=request.path,
                             fingerprint=request_fingerprint(request) if key else "", run=run)
    return _json(answer.body, answer.status, {"Idempotent-Replayed": "true"} if answer.replayed else None)


class RatingIn(Schema):
    answers: dict[str, str] = Field(title="Mã tiêu chí → mức: very_satisfied, satisfied, unsatisfied")
    comment: str = Field("", title="Góp ý (không bắt buộc)")


class KioskRatingIn(RatingIn):
    dossier: str = Field(title="Mã hồ sơ quầy đang mời đánh giá")


class SummaryFilters(Schema):
    agency: str | None = None
    officer: str | None = Field(None, title="Tên đăng nhập cán bộ")
    procedure: str | None = Field(None, title="Mã thủ tục")
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")


def questionnaire_shape() -> dict:
    questionnaire = selectors.questionnaire_current()
    if questionnaire is None:
        return {"code": None, "name": None, "criteria": [], "levels": []}
    return {"code": questionnaire.code, "name": questionnaire.name,
            "criteria": [{"code": c.code, "text": c.text, "max_points": c.max_points}
                         for c in questionnaire.criteria.all()],
            "levels": [{"value": level.value, "label": level.label} for level in Level]}


def rating_shape(rating: Rating | None) -> dict | None:
    if rating is None:
        return None
    return {"channel": rating.channel, "score": rating.score, "max_score": 18, "unsatisfied": rating.unsatisfied,
            "comment": rating.comment, "questionnaire": rating.questionnaire.code,
            "answers": {a.criterion.code: a.level for a in rating.answers.all()},
            "created_at": rating.created_at, "updated_at": rating.updated_at}


def _dossier_ref(dossier: Dossier) -> dict:
    return {"code": dossier.code, "procedure": {"code": dossier.procedure.code, "name": dossier.procedure_version.name},
            "agency": ({"code": dossier.receiving_agency.code, "name": dossier.receiving_agency.name}
                       if dossier.receiving_agency_id else None),
            "status": dossier.status, "returned_at": dossier.returned_at}


def _state_shape(state: selectors.RatingState) -> dict:
    return {"dossier": _dossier_ref(state.dossier), "can_rate": state.can_rate, "editable": state.editable,
            "rating": rating_shape(state.rating)}


def _dossier_id(code: str) -> int:
    """The id behind a code; the rating service then decides whether this caller may rate it."""
    pk = Dossier.objects.filter(code=(code or "").strip()).values_list("pk", flat=True).first()
    if pk is None:
        raise NotFound("Không tìm thấy hồ sơ.", code=RatingError.NOT_FOUND)
    return pk


@router.get("/ratings/questionnaire", auth=None, summary="Bộ câu hỏi đánh giá đang áp dụng",
            url_name="rating_questionnaire")
def questionnaire_endpoint(request):
    """Mặc định chín tiêu chí (mỗi tiêu chí 2 điểm, tổng 18) trên thang ba mức."""
    return _json(questionnaire_shape())


@router.get("/ratings/dossiers/{code}", summary="Đánh giá của người nộp cho hồ sơ của mình",
            url_name="rating_dossier")
def rating_get_endpoint(request, code: str):
    user = require_user(request)
    return _json(_state_shape(selectors.rating_state(actor=user, code=code)))


@router.post("/ratings/dossiers/{code}", response={201: dict}, summary="Đánh giá hồ sơ đã trả kết quả (một lần)",
             url_name="rating_submit")
def rating_submit_endpoint(request, code: str, body: RatingIn):
    """Chỉ người nộp (tài khoản chủ hồ sơ), sau khi hồ sơ đã trả kết quả, một lần cho mỗi hồ sơ.
    Hỗ trợ ``Idempotency-Key``."""
    user = require_user(request)

    def run():
        rating_submit(actor=user, dossier_id=_dossier_id(code), answers=body.answers, comment=body.comment)
        return 201, _state_shape(selectors.rating_state(actor=user, code=code))

    return _idempotent(request, user, run)


@router.put("/ratings/dossiers/{code}", summary="Sửa đánh giá của mình trong thời hạn cho phép",
            url_name="rating_update")
def rating_update_endpoint(request, code: str, body: RatingIn):
    user = require_user(request)
    rating_update(actor=user, dossier_id=_dossier_id(code), answers=body.answers, comment=body.comment)
    return _json(_state_shape(selectors.rating_state(actor=user, code=code)))


def _kiosk_shape(desk) -> dict:
    dossier = kiosk_dossier(desk)
    return {"desk": {"name": desk.name, "agency": {"code": desk.agency.code, "name": desk.agency.name}},
            "dossier": ({"code": dossier.code, "procedure": dossier.procedure_version.name,
                         "returned_at": dossier.returned_at} if dossier is not None else None)}


@router.get("/ratings/kiosk/{token}", auth=None, summary="Máy tính bảng tại quầy: hồ sơ đang mời đánh giá",
            url_name="rating_kiosk")
def kiosk_endpoint(request, token: str):
    """Không đăng nhập; ``token`` là mã bí mật của quầy. Không có thông tin cá nhân của người nộp."""
    return _json(_kiosk_shape(selectors.kiosk_desk_get(token=token)))


@router.post("/ratings/kiosk/{token}", auth=None, response={201: dict},
             summary="Máy tính bảng tại quầy: đánh giá hồ sơ vừa trả", url_name="rating_kiosk_submit")
def kiosk_submit_endpoint(request, token: str, body: KioskRatingIn):
    desk = selectors.kiosk_desk_get(token=token)
    rating = rating_submit(actor=KioskProof(desk), dossier_id=_dossier_id(body.dossier), answers=body.answers,
                           comment=body.comment)
    return _json({"dossier": body.dossier, "score": rating.score, "max_score": 18,
                  "detail": "Cảm ơn Ông/Bà đã đánh giá."}, 201)


@router.get("/ratings/summary", summary="Tổng hợp đánh giá theo cơ quan, cán bộ, thủ tục, kỳ",
            url_name="rating_summary")
def summary_endpoint(request, filters: Query[SummaryFilters]):
    """Số lượt đánh giá, số và tỷ lệ từng mức, điểm trung bình (thang 18), số lượt có “Không hài lòng”.
    Cán bộ chỉ xem cơ quan mình; cán bộ cấp tỉnh xem mọi cơ quan."""
    from django.contrib.auth import get_user_model

    from tinhso.catalog.models import Procedure
    from tinhso.org.models import Agency

    user = require_user(request)
    agency = officer = procedure = None
    if filters.agency:
        agency = Agency.objects.filter(code=filters.agency.strip().upper()).first()
        if agency is None:
            raise NotFound("Không tìm thấy cơ quan.", code="agency_not_found")
    if filters.officer:
        officer = get_user_model().objects.filter(username=filters.officer.strip()).first()
        if officer is None:
            raise NotFound("Không tìm thấy cán bộ.", code="user_not_found")
    if filters.procedure:
        procedure = Procedure.objects.filter(code=filters.procedure.strip()).first()
        if procedure is None:
            raise NotFound("Không tìm thấy thủ tục.", code="procedure_not_found")
    summary = selectors.rating_summary(actor=user, agency=agency, officer=officer, procedure=procedure,
                                       start=filters.date_from, end=filters.date_to)
    return _json({"count": summary.count, "answers": summary.answers, "level_counts": summary.level_counts,
                  "level_shares": summary.level_shares, "score": summary.score, "max_score": 18,
                  "unsatisfied_count": summary.unsatisfied_count})
