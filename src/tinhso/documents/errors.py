"""Stable error codes of the documents domain (a public contract: never rename a value)."""

from __future__ import annotations

from enum import StrEnum


class DocumentError(StrEnum):
    NUMBER_TYPED = "document_number_typed"
    TYPE_WITHOUT_ABBREVIATION = "document_type_without_abbreviation"
    UNKNOWN_TYPE = "document_type_unknown"
    UNIT_ABBREVIATION_REQUIRED = "document_unit_abbreviation_required"
    RECIPIENT_REQUIRED = "document_recipient_required"
    RECIPIENT_CODE_INVALID = "document_recipient_code_invalid"
    RECIPIENT_AGENCY_UNKNOWN = "document_recipient_agency_unknown"
    SIGNER_WITHOUT_AUTHORITY = "document_signer_without_authority"
    NOT_THE_SIGNER = "document_not_the_signer"
    FILE_NOT_PDF = "document_file_not_pdf"
    FILE_NOT_FOUND = "document_file_not_found"
    METADATA_ONLY_HAS_FILE = "document_metadata_only_has_file"
    NOT_DRAFTER = "document_not_drafter"
    NOT_REVIEWER = "document_not_reviewer"
    NOT_CLERK = "document_not_clerk"
    NOT_LEADER = "document_not_leader"
    NOT_ASSIGNEE = "document_not_assignee"
    WRONG_AGENCY = "document_wrong_agency"
    INVALID_STATE = "document_invalid_state"
    STALE_VERSION = "document_stale_version"
    NOT_FOUND = "document_not_found"
    CERTIFICATE_REQUIRED = "document_certificate_required"
    REASON_REQUIRED = "document_reason_required"
    ASSIGNEE_INVALID = "document_assignee_invalid"
    DEADLINE_INVALID = "document_deadline_invalid"
    REPLY_INVALID = "document_reply_invalid"
    SUBJECT_REQUIRED = "document_subject_required"
    NOT_ALLOWED = "document_forbidden"
    INVALID_PERIOD = "invalid_period"  # shared with the other reports of a period
