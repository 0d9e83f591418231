"""Stable error codes of the exchange (a public contract: never rename a value). The refusal codes of a
received message are also the reason recorded with its status 02."""

from __future__ import annotations

from enum import StrEnum


class ExchangeError(StrEnum):
    # transport and directory
    NOT_AUTHENTICATED = "exchange_not_authenticated"
    NO_ROUTE = "exchange_no_route"
    PEER_PATTERN_INVALID = "exchange_peer_pattern_invalid"
    PEER_ENDPOINT_INVALID = "exchange_peer_endpoint_invalid"
    PEER_NOT_FOUND = "exchange_peer_not_found"
    CERTIFICATE_INVALID = "exchange_certificate_invalid"
    AGENCY_CERTIFICATE_MISSING = "exchange_agency_certificate_missing"
    MESSAGE_NOT_FOUND = "exchange_message_not_found"
    # refusals of a received message (status 02)
    NOT_XML = "edxml_not_xml"
    TOO_LARGE = "edxml_too_large"
    INVALID = "edxml_invalid"
    SCHEMA = "edxml_schema"
    NO_MESSAGE_ID = "edxml_no_message_id"
    SIGNATURE_MISSING = "signature_missing"
    SIGNATURE_INVALID = "signature_invalid"
    TIMESTAMP_INVALID = "timestamp_invalid"
    CERTIFICATE_UNTRUSTED = "certificate_untrusted"
    CERTIFICATE_EXPIRED = "certificate_expired"
    SENDER_MISMATCH = "sender_certificate_mismatch"
    SENDER_UNKNOWN = "sender_unknown"
    RECIPIENT_UNKNOWN = "recipient_unknown"
    ATTACHMENT_CHANGED = "attachment_changed"
    # the clerk's side
    NOT_CLERK = "exchange_not_clerk"
    INVALID_STATE = "exchange_invalid_state"
    REASON_REQUIRED = "exchange_reason_required"
    NO_PDF = "exchange_no_pdf"
