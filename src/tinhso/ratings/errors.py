"""Stable error codes of the satisfaction ratings: part of the public API contract, never renamed."""

from __future__ import annotations

from enum import StrEnum


class RatingError(StrEnum):
    NOT_FOUND = "rating_dossier_not_found"
    NOT_RETURNED = "rating_dossier_not_returned"
    NOT_OWNER = "rating_not_dossier_owner"
    ALREADY_RATED = "rating_already_rated"
    EDIT_CLOSED = "rating_edit_window_closed"
    INVALID_TOKEN = "rating_invalid_token"  # noqa: S105 - an error code
    NO_QUESTIONNAIRE = "rating_no_questionnaire"
    INCOMPLETE = "rating_answers_incomplete"
    INVALID_LEVEL = "rating_invalid_level"
    KIOSK_IDLE = "rating_kiosk_no_dossier"
    KIOSK_UNKNOWN = "rating_kiosk_unknown_desk"
    MARKUP = "text_markup_not_allowed"
    TOO_LONG = "rating_comment_too_long"
