"""The rating link's token: the dossier's id signed with the site's key (no table to leak, nothing to
guess). It only opens the questionnaire of that dossier; the once-per-dossier rule still applies."""

from __future__ import annotations

from django.core import signing

from tinhso.core.errors import NotFound
from tinhso.ratings.errors import RatingError

_SALT = "tinhso.ratings.invitation"


def rating_token(dossier_id: int) -> str:
    return signing.dumps(int(dossier_id), salt=_SALT, compress=False)


def rating_token_dossier_id(token: str) -> int:
    try:
        return int(signing.loads(token or "", salt=_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        raise NotFound("Liên kết đánh giá không hợp lệ.", code=RatingError.INVALID_TOKEN) from None
