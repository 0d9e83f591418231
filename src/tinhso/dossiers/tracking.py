"""Public tracking (tra cứu hồ sơ): dossier code + the applicant's phone number → status and timeline.

No personal data leaves: the answer holds the procedure, agencies, status, dates and the public
timeline — no name, no identifier, no phone, no officer. An unknown code and a wrong phone give
the same 404 (``dossier_not_found``), so codes and phones cannot be probed one against the other.
Lookups are rate-limited per client IP through Django's cache (``TINHSO_TRACKING_RATE_LIMIT``
lookups per ``TINHSO_TRACKING_RATE_WINDOW`` seconds, default 10 per 60 s). With the default local-
memory cache each server process counts on its own; set ``TINHSO_REDIS_URL`` to share the count
(docs/dossiers.md "Tra cứu").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q

from tinhso.core.errors import NotFound, RateLimited
from tinhso.core.ratelimit import rate_limit_hit
from tinhso.core.validators import normalize_phone
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.status import Channel, Outcome, Status, national_status


def tracking_url(code: str) -> str:
    """The address of the public tracking page of a dossier, printed as the QR code of every form."""
    return f"{settings.PUBLIC_URL}/tra-cuu/?{urlencode({'ma': code})}"


@dataclass(frozen=True)
class TrackingEvent:
    at: datetime
    label: str
    status: str
    status_label: str
    national_status_code: int | None
    agency_name: str


@dataclass(frozen=True)
class TrackingResult:
    code: str
    procedure_code: str
    procedure_name: str
    receiving_agency_name: str
    current_agency_name: str
    channel: str
    channel_label: str
    status: str
    status_label: str
    national_status_code: int | None
    outcome_label: str
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None
    resolved_at: datetime | None
    returned_at: datetime | None
    timeline: list[TrackingEvent]
    reference: str = ""  # the provisional reference given at online submission


def _rate_limit() -> tuple[int, int]:
    return (int(getattr(settings, "TINHSO_TRACKING_RATE_LIMIT", 10)),
            int(getattr(settings, "TINHSO_TRACKING_RATE_WINDOW", 60)))


def tracking_throttle(*, client_ip: str) -> None:
    """Count one lookup for ``client_ip``; ``RateLimited`` (429 ``rate_limited``) past the limit."""
    limit, window = _rate_limit()
    if rate_limit_hit(scope="tracking", subject=client_ip, limit=limit, window=window) > limit:
        raise RateLimited(f"Bạn đã tra cứu quá {limit} lần trong {window} giây. Vui lòng thử lại sau ít phút.")


def _not_found() -> NotFound:
    return NotFound("Không tìm thấy hồ sơ với mã hồ sơ và số điện thoại đã nhập. Vui lòng kiểm tra lại.",
                    code="dossier_not_found")


def tracking_lookup(*, code: str, phone: str, client_ip: str | None = None) -> TrackingResult:
    """Look up a dossier for the public (API ``GET /api/v1/tracking/{code}?phone=``, portal page).

    ``client_ip`` given: the lookup counts against the rate limit first. A malformed phone is
    422 ``invalid_phone``; no match — unknown code or other phone — is 404 ``dossier_not_found``.
    """
    if client_ip is not None:
        tracking_throttle(client_ip=client_ip)
    normalized = normalize_phone(phone or "")
    dossier = (
        Dossier.objects.exclude(status=Status.DRAFT)
        # The citizen may hold the provisional reference of an online submission or the code of receipt.
        .filter(Q(code=(code or "").strip()) | Q(reference=(code or "").strip()), applicant_phone=normalized)
        .select_related("procedure", "procedure_version", "receiving_agency", "current_agency")
        .first()
    )
    if dossier is None:
        raise _not_found()
    events = dossier.events.filter(is_public=True).select_related("agency").order_by("at", "id")
    timeline = [
        TrackingEvent(at=e.at, label=e.label, status=e.status_to, status_label=Status(e.status_to).label,
                      national_status_code=national_status(e.status_to), agency_name=e.agency.name if e.agency else "")
        for e in events
    ]
    return TrackingResult(
        code=dossier.code, reference=dossier.reference or "", procedure_code=dossier.procedure.code, procedure_name=dossier.procedure_version.name,
        receiving_agency_name=dossier.receiving_agency.name,
        current_agency_name=dossier.current_agency.name if dossier.current_agency_id else "",
        channel=dossier.channel, channel_label=Channel(dossier.channel).label, status=dossier.status,
        status_label=Status(dossier.status).label, national_status_code=national_status(dossier.status),
        outcome_label=Outcome(dossier.outcome).label if dossier.outcome else "",
        submitted_at=dossier.submitted_at, received_at=dossier.received_at, due_at=dossier.due_at,
        resolved_at=dossier.resolved_at, returned_at=dossier.returned_at, timeline=timeline,
    )
