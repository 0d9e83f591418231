"""Decisions outside the process graph: the applicant withdraws (status 7), the agency stops handling
(status 8, stop notice), and the apology-and-extension letter before a dossier goes late (Mẫu 04)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from tinhso.core.actions import in_transaction
from tinhso.core.errors import Conflict, PermissionDenied, ValidationFailed
from tinhso.core.text import clean_text
from tinhso.dossiers.deadlines import apology_latest_at, apology_new_due_limit
from tinhso.dossiers.models import Dossier, FormIssue
from tinhso.dossiers.permissions import (
    ActorContext,
    acts_for_applicant,
    is_head,
    is_owner,
    is_reception,
    signs_apology,
)
from tinhso.dossiers.services.common import (
    action_perform,
    actor_label,
    form_issue,
    handover_close,
    state_require,
    transition_record,
)
from tinhso.dossiers.services.engine import queue_leave
from tinhso.dossiers.status import IN_PROGRESS, Status
from tinhso.org.roles import Role

WITHDRAWABLE = frozenset({Status.SUBMITTED, *IN_PROGRESS})


def _reason(text: str, *, what: str) -> str:
    cleaned = clean_text(text)
    if not cleaned:
        raise ValidationFailed(f"Vui lòng ghi rõ lý do {what}.", code="reason_required")
    return cleaned


def _close(dossier: Dossier, *, status: str, at: datetime, actor, action: str, note: str) -> str:
    status_from = dossier.status
    dossier.status = status
    dossier.closed_at = at
    dossier.paused_since = None  # the clock ended; what was paused no longer counts
    handover_close(dossier, at=at, action=action, by=actor, note=note)
    queue_leave(dossier)
    return status_from


def withdraw_allowed(context, dossier: Dossier) -> bool:
    """The owner; for a dossier without an online account behind it, reception of the receiving
    agency on the applicant's written request."""
    return is_owner(context, dossier) or (is_reception(context, dossier) and acts_for_applicant(dossier))


def withdraw_require(roles: ActorContext, dossier: Dossier) -> None:
    if not withdraw_allowed(roles, dossier):
        raise PermissionDenied("Chỉ người nộp hồ sơ (hoặc Bộ phận Một cửa theo đề nghị của người nộp) mới được rút "
                               "hồ sơ.", code="forbidden")
    state_require(dossier, WITHDRAWABLE, what="rút")


def withdraw_apply(dossier: Dossier, *, actor, reason: str) -> Dossier:
    in_transaction("withdraw_apply")
    reason = _reason(reason, what="rút hồ sơ")
    at = timezone.now()
    status_from = _close(dossier, status=Status.WITHDRAWN, at=at, actor=actor, action="withdraw", note=reason)
    # The receiving agency confirms the withdrawal in writing (docs/forms.md "Withdrawal notice"): the
    # applicant's own request online is signed by the agency's seal, a request at the desk by the officer.
    by_applicant = dossier.owner_id is not None and getattr(actor, "pk", None) == dossier.owner_id
    form = form_issue(dossier, kind=FormIssue.Kind.WITHDRAWAL, agency=dossier.receiving_agency, actor=actor, at=at,
                      data={"reason": reason, "withdrawn_at": at, "received_at": dossier.received_at,
                            "submitted_at": dossier.submitted_at,
                            "withdrawn_by": dossier.applicant_name if by_applicant else actor_label(actor),
                            "signer": "" if by_applicant else actor_label(actor),
                            "form_label": settings.TINHSO_WITHDRAWAL_FORM_NUMBER})
    transition_record(
        dossier, actor=actor, action="withdraw", label="Công dân yêu cầu rút hồ sơ", status_from=status_from, at=at,
        note=reason, agency=dossier.receiving_agency, data={"reason": reason, "form": form.number},
        event="dossier.withdrawn", payload={"reason": reason, "closed_at": at, "form_issue_id": form.pk},
    )
    return dossier


def dossier_withdraw(*, actor, dossier: Dossier, reason: str, expected_version: int | None = None) -> Dossier:
    """Công dân yêu cầu rút hồ sơ (status 7) — before it is resolved. Event ``dossier.withdrawn``.
    The action ``withdraw``."""
    return action_perform("withdraw", actor=actor, dossier=dossier, data={"reason": reason},
                          expected_version=expected_version)


def stop_allowed(context, dossier: Dossier) -> bool:
    """A unit head or leader of the agency holding the dossier, or a leader of the receiving agency."""
    return is_head(context, dossier.current_agency_id) or context.has_role(dossier.receiving_agency_id, Role.LEADER)


def stop_require(roles: ActorContext, dossier: Dossier) -> None:
    if not stop_allowed(roles, dossier):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan, đơn vị đang giải quyết hồ sơ mới được dừng xử lý.",
                               code="forbidden")
    state_require(dossier, IN_PROGRESS, what="dừng xử lý")


def stop_apply(dossier: Dossier, *, actor, reason: str) -> Dossier:
    """Dừng xử lý on the locked, checked dossier, with the stop notice (Mẫu 05 of TT 03/2025)."""
    in_transaction("stop_apply")
    reason = _reason(reason, what="dừng xử lý")
    at = timezone.now()
    agency = dossier.current_agency or dossier.receiving_agency
    status_from = _close(dossier, status=Status.STOPPED, at=at, actor=actor, action="stop", note=reason)
    form = form_issue(dossier, kind=FormIssue.Kind.STOP, agency=agency, actor=actor, at=at,
                      data={"reason": reason, "stopped_at": at, "stopped_by": actor_label(actor),
                            "received_at": dossier.received_at})
    transition_record(
        dossier, actor=actor, action="stop", label="Dừng xử lý", status_from=status_from, at=at, note=reason,
        agency=agency, data={"reason": reason, "form": form.number}, event="dossier.stopped",
        payload={"reason": reason, "closed_at": at, "form_issue_id": form.pk},
    )
    return dossier


def dossier_stop(*, actor, dossier: Dossier, reason: str, expected_version: int | None = None) -> Dossier:
    """Dừng xử lý (status 8) with the stop notice (Mẫu 05 of TT 03/2025). Event ``dossier.stopped``.
    The action ``stop``."""
    return action_perform("stop", actor=actor, dossier=dossier, data={"reason": reason},
                          expected_version=expected_version)


def apology_allowed(context, dossier: Dossier) -> bool:
    """The head of the agency responsible for the delay (the one holding the dossier), or whoever
    that agency designated (``Membership.signs_apology``)."""
    return signs_apology(context, dossier.current_agency_id)


def apology_in_time(dossier: Dossier, *, now: datetime) -> bool:
    """At least one working day before the appointment, on the receiving agency's calendar (the one
    the appointment was counted on)."""
    if dossier.due_at is None:
        return False
    return apology_latest_at(agency=dossier.receiving_agency, now=now) <= dossier.due_at


def apology_new_due_require(dossier: Dossier, new_due_at) -> None:
    """A later date, and not further than ``apology_new_due_limit`` (422 ``invalid_new_due_at``,
    ``apology_extension_too_long``). The caller checked that the dossier has an appointment."""
    old_due = dossier.due_at
    assert old_due is not None  # noqa: S101 - apology_in_time refused a dossier without one
    if not isinstance(new_due_at, datetime) or timezone.is_naive(new_due_at) or new_due_at <= old_due:
        raise ValidationFailed("Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại.", code="invalid_new_due_at")
    limit = apology_new_due_limit(agency=dossier.receiving_agency, version=dossier.procedure_version,
                                  old_due=old_due)
    if limit is not None and new_due_at > limit:
        raise ValidationFailed(
            f"Ngày hẹn trả mới không được muộn hơn {timezone.localtime(limit):%H:%M %d/%m/%Y} "
            "(gia hạn tối đa theo quy định).", code="apology_extension_too_long",
            errors=[{"field": "new_due_at", "message": "Gia hạn quá thời gian tối đa."}],
        )


def apology_require(roles: ActorContext, dossier: Dossier) -> None:
    """Who (``apology_allowed``), in which state, once per dossier (409 ``apology_already_issued``)
    and at least one working day before the appointment (409 ``apology_too_late``, ``apology_in_time``)."""
    if not apology_allowed(roles, dossier):
        raise PermissionDenied("Chỉ thủ trưởng cơ quan đang giải quyết hồ sơ (hoặc người được cơ quan giao) mới được "
                               "ký văn bản xin lỗi, hẹn lại ngày trả kết quả.", code="forbidden")
    state_require(dossier, IN_PROGRESS, what="ban hành văn bản xin lỗi, hẹn lại")
    if dossier.forms.filter(kind=FormIssue.Kind.APOLOGY).exists():
        raise Conflict("Hồ sơ đã có văn bản xin lỗi và hẹn lại ngày trả kết quả; chỉ được hẹn lại một lần.",
                       code="apology_already_issued")
    if not apology_in_time(dossier, now=timezone.now()):
        raise Conflict("Văn bản xin lỗi, hẹn lại phải được ban hành chậm nhất 01 ngày làm việc trước ngày hẹn trả "
                       "kết quả.", code="apology_too_late")


def apology_apply(dossier: Dossier, *, actor, reason: str, new_due_at: datetime | None) -> FormIssue:
    """The apology-and-new-appointment letter (Mẫu 04) on the locked, checked dossier."""
    in_transaction("apology_apply")
    at = timezone.now()
    reason = _reason(reason, what="chậm trả kết quả")
    apology_new_due_require(dossier, new_due_at)
    old_due = dossier.due_at
    dossier.due_at = new_due_at
    form = form_issue(dossier, kind=FormIssue.Kind.APOLOGY, agency=dossier.current_agency, actor=actor, at=at, data={
        "reason": reason, "received_at": dossier.received_at, "old_due_at": old_due, "new_due_at": new_due_at,
        "signer": actor_label(actor),
    })
    transition_record(
        dossier, actor=actor, action="issue_apology", label="Xin lỗi và hẹn lại ngày trả kết quả",
        status_from=dossier.status, at=at, note=reason, agency=dossier.current_agency,
        data={"reason": reason, "old_due_at": old_due, "new_due_at": new_due_at, "form": form.number},
        event="dossier.apology_issued",
        payload={"reason": reason, "old_due_at": old_due, "new_due_at": new_due_at, "form_issue_id": form.pk},
    )
    return form


def dossier_issue_apology(*, actor, dossier: Dossier, reason: str, new_due_at: datetime,
                          expected_version: int | None = None) -> FormIssue:
    """Văn bản xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04): once per dossier, **at least one working
    day before** the current appointment, by the head of the agency holding the dossier or whoever it
    designated, with the reason and a later date within the maximum extension. The appointment shown
    to the applicant moves; the on-time verdict still counts against the legal deadline
    (``original_due_at``). Sent to the applicant by e-mail/SMS for online dossiers
    (``dossier.apology_issued`` → notifications).

    403 ``forbidden``, 409 ``apology_already_issued``, 409 ``apology_too_late`` (less than one
    working day left), 422 ``invalid_new_due_at``, 422 ``apology_extension_too_long``. The action
    ``issue_apology``.
    """
    return action_perform("issue_apology", actor=actor, dossier=dossier,
                          data={"reason": reason, "new_due_at": new_due_at}, expected_version=expected_version)
