"""Writes of the feedback domain: intake (portal, staff), the one-time code for anonymous senders, the
transition record shared by every action, and the deadline sweep. Each runs in one transaction.

Handling actions (accept, transfer, …) are ``Action`` classes in ``petitions.actions``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from tinhso.core.actions import in_transaction
from tinhso.core.audit import audit_record
from tinhso.core.errors import NotAuthenticated, PermissionDenied, RateLimited, ValidationFailed
from tinhso.core.events import event_payload, event_publish
from tinhso.core.files import file_store
from tinhso.core.markup import markup_refuse
from tinhso.core.ratelimit import rate_limit_hit
from tinhso.core.sequences import sequence_next
from tinhso.core.text import clean_text, nfc
from tinhso.core.validators import normalize_phone
from tinhso.notifications.otp import otp_issue, otp_verify
from tinhso.org.models import AdministrativeUnit, Agency
from tinhso.org.selectors import memberships_active
from tinhso.petitions import deadlines
from tinhso.petitions.errors import PetitionError
from tinhso.petitions.models import Petition, PetitionAlert, PetitionAttachment, PetitionEvent, PetitionTally
from tinhso.petitions.routing import route_for
from tinhso.petitions.status import OPEN, STAFF_CHANNELS, Channel, Kind

OTP_PURPOSE = "petition"
SUBJECT_MAX = 200
CONTENT_MAX = 10_000


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# --- text ------------------------------------------------------------------------------------------


def text_clean(value: str | None, *, field: str, label: str, max_length: int, required: bool = True,
               one_line: bool = False) -> str:
    """NFC, trimmed, no markup, within ``max_length``; a coded ``ValidationFailed`` otherwise."""
    text = clean_text(value) if one_line else nfc(value or "").strip()
    markup_refuse(text, field=field, label=label, code=PetitionError.MARKUP)
    if required and not text:
        raise ValidationFailed(f"Vui lòng nhập {label.lower()}.", code=PetitionError.EMPTY,
                               errors=[{"field": field, "message": "Bắt buộc.", "type": PetitionError.EMPTY}])
    if len(text) > max_length:
        raise ValidationFailed(f"{label} dài tối đa {max_length} ký tự.", code=PetitionError.TOO_LONG,
                               errors=[{"field": field, "message": f"Tối đa {max_length} ký tự.",
                                        "type": PetitionError.TOO_LONG}])
    return text


# --- transitions -----------------------------------------------------------------------------------


def actor_label(actor) -> str:
    if getattr(actor, "is_authenticated", False):
        return getattr(actor, "display_name", "") or actor.get_username()
    return "Người gửi"


def payload_base(petition: Petition) -> dict:
    """No personal data: handlers read the sender's contacts from the petition."""
    return {"petition_id": petition.pk, "code": petition.code, "status": petition.status, "kind": petition.kind,
            "agency": petition.agency.code, "version": petition.version}


_UNKNOWN = object()


def tally_move(petition: Petition) -> None:
    """Move ``petition`` from the (agency, status) count it was loaded with to its current one.
    Runs in the caller's transaction, before the row is saved (``from_db`` remembered the old pair)."""
    in_transaction("moving a petition between tallies")
    before = getattr(petition, "_tallied", _UNKNOWN)
    if before is _UNKNOWN:
        before = Petition.objects.filter(pk=petition.pk).values_list("agency_id", "status").first()
    after = (petition.agency_id, petition.status)
    if before == after:
        return
    for (agency_id, status), delta in ((before, -1), (after, 1)) if before else ((after, 1),):
        PetitionTally.objects.bulk_create([PetitionTally(agency_id=agency_id, status=status)], ignore_conflicts=True)
        PetitionTally.objects.filter(agency_id=agency_id, status=status).update(count=F("count") + delta)
    petition._tallied = after


@transaction.atomic
def petition_tallies_rebuild() -> int:
    """Recount every (agency, status) from the petitions (``tinhso petitions recount``); returns the rows."""
    PetitionTally.objects.all().delete()
    rows = [PetitionTally(agency_id=row["agency_id"], status=row["status"], count=row["n"])
            for row in Petition.objects.values("agency_id", "status").annotate(n=Count("id")).order_by()]
    PetitionTally.objects.bulk_create(rows)
    return len(rows)


def transition_record(petition: Petition, *, actor, action: str, label: str, status_from: str, at: datetime,
                      note: str = "", public: bool = True, data: dict | None = None, notify: bool = True,
                      agency: Agency | None = None) -> None:
    """Bump the version, move the tallies, save, write the history line (by ``agency``, default the
    handling one), the audit entry and ``petition.<action>``."""
    in_transaction("recording a petition transition")
    petition.version += 1
    tally_move(petition)
    petition.save()
    user = actor if getattr(actor, "is_authenticated", False) else None
    PetitionEvent.objects.create(
        petition=petition, at=at, action=action, label=label, actor=user, actor_label=actor_label(actor),
        agency=agency or petition.agency, status_from=status_from, status_to=petition.status, note=note,
        is_public=public,
        data=event_payload(data or {}))
    audit_record(actor=user, action=f"petition.{action}", target=petition,
                 data={"code": petition.code, "status_from": status_from, "status_to": petition.status,
                       **(data or {})})
    event_publish(name=f"petition.{action}",
                  payload=event_payload({**payload_base(petition), "at": at, "action": action, "label": label,
                                         "notify": notify and public, **(data or {})}),
                  aggregate_type="petition", aggregate_id=petition.code)


def petition_lock(petition: Petition) -> Petition:
    in_transaction("locking a petition")
    return Petition.objects.select_for_update().select_related("agency").get(pk=petition.pk)


def clock_apply(petition: Petition, *, agency: Agency, at: datetime) -> None:
    """Start the deadlines of ``agency`` from ``at`` (receipt, transfer, reopening)."""
    clock = deadlines.clock_start(agency=agency, at=at)
    petition.agency = agency
    petition.clock_started_at = clock.started_at
    petition.refuse_due_at = clock.refuse_due_at
    petition.info_due_at = clock.info_due_at
    petition.due_at = clock.due_at
    petition.paused_at = None
    petition.paused_minutes = 0


# --- intake ----------------------------------------------------------------------------------------


@dataclass
class PetitionDraft:
    """What a sender (or the officer who took the call) says; validated by ``_validated``."""

    kind: str
    subject: str
    content: str
    sender_name: str = ""
    sender_phone: str = ""
    sender_email: str = ""
    sender_address: str = ""
    commune_code: str = ""
    sector_code: str = ""
    procedure_code: str = ""
    dossier_code: str = ""
    named_officer: str = ""  # username of the officer a conduct complaint is about
    publish_consent: bool = True


def _lookup(model_label: str, code: str, error: str, what: str):
    from django.apps import apps

    if not code:
        return None
    model = apps.get_model(model_label)
    row = model.objects.filter(code=code.strip()).first()
    if row is None:
        raise ValidationFailed(f"Không tìm thấy {what} “{code}”.", code=error)
    return row


def _validated(draft: PetitionDraft) -> dict:
    if draft.kind not in Kind.values:
        raise ValidationFailed("Phân loại phản ánh phải là regulation, conduct hoặc other.",
                               code=PetitionError.INVALID_KIND)
    fields = {
        "kind": draft.kind,
        "subject": text_clean(draft.subject, field="subject", label="Tiêu đề", max_length=SUBJECT_MAX, one_line=True),
        "content": text_clean(draft.content, field="content", label="Nội dung", max_length=CONTENT_MAX),
        "sender_name": text_clean(draft.sender_name, field="sender_name", label="Họ tên", max_length=200,
                                  one_line=True),
        "sender_address": text_clean(draft.sender_address, field="sender_address", label="Địa chỉ",
                                     max_length=300, required=False, one_line=True),
        "sender_email": clean_text(draft.sender_email),
        "publish_consent": bool(draft.publish_consent),
    }
    if draft.commune_code:
        commune = AdministrativeUnit.objects.filter(code=draft.commune_code.strip(), valid_to__isnull=True).first()
        if commune is None:
            raise ValidationFailed(f"Không tìm thấy xã, phường mã “{draft.commune_code}”.",
                                   code=PetitionError.UNKNOWN_COMMUNE)
        fields["commune"] = commune
    fields["sector"] = _lookup("catalog.Sector", draft.sector_code, PetitionError.UNKNOWN_SECTOR, "lĩnh vực")
    fields["procedure"] = _lookup("catalog.Procedure", draft.procedure_code, PetitionError.UNKNOWN_PROCEDURE,
                                  "thủ tục")
    fields["dossier"] = _lookup("dossiers.Dossier", draft.dossier_code, PetitionError.UNKNOWN_DOSSIER, "hồ sơ")
    if draft.named_officer and draft.kind == Kind.CONDUCT:
        from django.contrib.auth import get_user_model

        officer = get_user_model().objects.filter(username=draft.named_officer.strip()).first()
        if officer is None:
            raise ValidationFailed("Không tìm thấy cán bộ được nêu trong phản ánh.",
                                   code=PetitionError.UNKNOWN_ASSIGNEE)
        fields["named_officer"] = officer
    return fields


def _phone(value: str, *, required: bool) -> str:
    if not value:
        if required:
            raise ValidationFailed("Vui lòng nhập số điện thoại để nhận kết quả xử lý.",
                                   code=PetitionError.PHONE_REQUIRED)
        return ""
    return normalize_phone(value)


def _create(*, fields: dict, channel: str, user, intake_by, phone: str, verified: bool, uploads: Iterable,
            at: datetime) -> Petition:
    uploads = list(uploads or [])
    if len(uploads) > _setting("TINHSO_PETITION_MAX_FILES", 5):
        raise ValidationFailed(f"Mỗi phản ánh đính kèm tối đa {_setting('TINHSO_PETITION_MAX_FILES', 5)} tệp.",
                               code=PetitionError.TOO_MANY_FILES)
    with transaction.atomic():
        # Files first: a file that is not what it claims stops everything before a number is taken.
        stored = [file_store(uploaded_by=user if getattr(user, "is_authenticated", False) else None, upload=u)
                  for u in uploads]
        agency = route_for(kind=fields["kind"], sector=fields.get("sector"), commune=fields.get("commune"))
        period = timezone.localtime(at).strftime("%y%m%d")
        code = f"PAKN-{period}-{sequence_next(scope='petition', period=period):04d}"
        petition = Petition(code=code, channel=channel, sender_user=user, intake_by=intake_by, sender_phone=phone,
                            phone_verified=verified, received_at=at, created_at=at, **fields)
        clock_apply(petition, agency=agency, at=at)
        petition.save()
        petition._tallied = None  # new: counted by the "received" transition below
        PetitionAttachment.objects.bulk_create(PetitionAttachment(petition=petition, file=f, added_at=at)
                                               for f in stored)
        transition_record(petition, actor=intake_by or user, action="received", label="Đã tiếp nhận phản ánh",
                          status_from="", at=at, data={"channel": channel, "routed_to": agency.code,
                                                       "files": len(stored)})
    return petition


def _throttle(actor, client_ip: str) -> None:
    """At most ``TINHSO_PETITION_SUBMIT_PER_HOUR`` petitions an hour per account, or per client
    address for anonymous senders."""
    limit = _setting("TINHSO_PETITION_SUBMIT_PER_HOUR", 10)
    subject = f"user:{actor.pk}" if getattr(actor, "is_authenticated", False) else f"ip:{client_ip or 'unknown'}"
    if rate_limit_hit(scope="petition_submit", subject=subject, limit=limit, window=3600) > limit:
        raise RateLimited("Đã gửi quá nhiều phản ánh trong một giờ. Vui lòng thử lại sau.",
                          code=PetitionError.RATE_LIMITED)


def petition_otp_request(*, phone: str, client_ip: str) -> None:
    """Send an anonymous sender a one-time code to the phone they gave (throttled per address too)."""
    limit = _setting("TINHSO_PETITION_OTP_PER_HOUR", 10)
    if rate_limit_hit(scope="petition_otp", subject=client_ip or "unknown", limit=limit, window=3600) > limit:
        raise RateLimited(code=PetitionError.RATE_LIMITED)
    otp_issue(purpose=OTP_PURPOSE, destination=_phone(phone, required=True), channel="sms")


def petition_submit(*, actor, draft: PetitionDraft, uploads: Iterable = (), otp_code: str = "",
                    client_ip: str = "") -> Petition:
    """Send feedback from the portal: signed in, or anonymous with a phone confirmed by ``otp_code``.

    Everything is validated before the code is used up, and the code is checked before anything is
    written: a wrong or replayed code (``otp_invalid``/``otp_expired``) stores nothing.
    """
    _throttle(actor, client_ip)
    signed_in = getattr(actor, "is_authenticated", False)
    if signed_in:
        draft.sender_name = draft.sender_name or getattr(actor, "full_name", "") or actor.get_username()
        draft.sender_email = draft.sender_email or getattr(actor, "email", "")
        draft.sender_phone = draft.sender_phone or getattr(actor, "phone", "")
    fields = _validated(draft)
    phone = _phone(draft.sender_phone, required=not signed_in)
    if not signed_in:
        if not (otp_code or "").strip():
            raise ValidationFailed("Vui lòng nhập mã xác thực đã gửi tới điện thoại của Ông/Bà.",
                                   code=PetitionError.OTP_REQUIRED)
        otp_verify(purpose=OTP_PURPOSE, destination=phone, code=otp_code)
    return _create(fields=fields, channel=Channel.PORTAL, user=actor if signed_in else None, intake_by=None,
                   phone=phone, verified=not signed_in or bool(phone), uploads=uploads, at=timezone.now())


def petition_intake(*, actor, channel: str, draft: PetitionDraft, uploads: Iterable = ()) -> Petition:
    """Staff enter feedback received by the hotline, by post or in person (with its channel)."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not memberships_active(user=actor).exists():
        raise PermissionDenied("Chỉ cán bộ mới được nhập phản ánh nhận qua đường dây nóng, bưu chính hoặc trực tiếp.",
                               code=PetitionError.NOT_STAFF)
    if channel not in STAFF_CHANNELS:
        raise ValidationFailed("Kênh tiếp nhận phải là hotline, post hoặc in_person.",
                               code=PetitionError.INVALID_CHANNEL)
    fields = _validated(draft)
    phone = _phone(draft.sender_phone, required=False)
    return _create(fields=fields, channel=channel, user=None, intake_by=actor, phone=phone, verified=False,
                   uploads=uploads, at=timezone.now())


# --- sweep -----------------------------------------------------------------------------------------


def petitions_sweep(*, now: datetime | None = None) -> int:
    """Announce ``petition.at_risk`` / ``petition.overdue`` once per petition and due date, selected by
    due time (never by "recently changed": an untouched old petition is still found)."""
    now = now or timezone.now()
    announced = 0
    running = Petition.objects.filter(status__in=OPEN, paused_at__isnull=True).select_related("agency")
    for agency_id in running.order_by().values_list("agency_id", flat=True).distinct():
        agency = Agency.objects.get(pk=agency_id)
        threshold = deadlines.at_risk_threshold(agency=agency, now=now)
        for petition in running.filter(agency_id=agency_id, due_at__lte=threshold).order_by("due_at"):
            kind = PetitionAlert.Kind.OVERDUE if petition.due_at <= now else PetitionAlert.Kind.AT_RISK
            with transaction.atomic():
                _, created = PetitionAlert.objects.get_or_create(petition=petition, kind=kind, due_at=petition.due_at,
                                                                 defaults={"created_at": now})
                if created:
                    event_publish(name=f"petition.{kind}",
                                  payload=event_payload({**payload_base(petition), "due_at": petition.due_at,
                                                         "assignee_id": petition.assignee_id}),
                                  aggregate_type="petition", aggregate_id=petition.code)
                    announced += 1
    return announced
