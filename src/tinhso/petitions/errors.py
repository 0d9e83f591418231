"""Stable error codes of the feedback (PAKN) domain: part of the public API contract, never renamed."""

from __future__ import annotations

from enum import StrEnum


class PetitionError(StrEnum):
    NOT_FOUND = "petition_not_found"
    STATE_CHANGED = "petition_state_changed"
    INVALID_STATE = "petition_invalid_state"
    NOT_STAFF = "petition_not_handling_staff"
    OFFICER_CONCERNED = "petition_officer_concerned"
    NOT_SENDER = "petition_not_sender"
    INFO_ALREADY_REQUESTED = "petition_info_already_requested"
    SAME_AGENCY = "petition_transfer_same_agency"
    UNKNOWN_AGENCY = "petition_unknown_agency"
    UNKNOWN_ASSIGNEE = "petition_unknown_assignee"
    NO_ROUTE = "petition_no_route"
    NOT_PUBLISHABLE = "petition_not_publishable"
    ALREADY_RATED = "petition_already_rated"
    OBJECTION_USED = "petition_objection_used"
    OBJECTION_CLOSED = "petition_objection_period_over"
    OBJECTION_NEEDS_UNHAPPY = "petition_objection_needs_unhappy"
    PHONE_REQUIRED = "petition_phone_required"
    OTP_REQUIRED = "petition_otp_required"
    RATE_LIMITED = "petition_rate_limited"
    MARKUP = "text_markup_not_allowed"
    TOO_LONG = "petition_text_too_long"
    EMPTY = "petition_text_required"
    INVALID_CHANNEL = "petition_invalid_channel"
    INVALID_KIND = "petition_invalid_kind"
    TOO_MANY_FILES = "petition_too_many_files"
    UNKNOWN_COMMUNE = "petition_unknown_commune"
    UNKNOWN_SECTOR = "petition_unknown_sector"
    UNKNOWN_PROCEDURE = "petition_unknown_procedure"
    UNKNOWN_DOSSIER = "petition_unknown_dossier"
    LOOKUP_FAILED = "petition_lookup_failed"
