"""What every dossier service does the same way: lock, check, record (timeline, audit, event),
handovers and numbered forms. One transition = one call of ``transition_record``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Max
from django.utils import timezone

from tinhso.core.actions import in_transaction
from tinhso.core.audit import audit_record
from tinhso.core.errors import Conflict, NotFound
from tinhso.core.events import event_payload, event_publish
from tinhso.core.sequences import sequence_next
from tinhso.core.text import fold
from tinhso.dossiers.deadlines import verdict_for
from tinhso.dossiers.models import Dossier, DossierAccess, DossierEvent, FormIssue, Handover
from tinhso.dossiers.status import national_channel, national_status, status_label
from tinhso.org.places import place_of

LOCK_RELATED = (
    "procedure", "procedure_version", "regulation", "receiving_agency", "current_agency", "current_step",
    "owner",
)


def dossier_search_text(dossier: Dossier) -> str:
    """The folded search key: both the code and the provisional reference find the dossier."""
    parts = [dossier.code or "", dossier.reference if dossier.reference != dossier.code else "",
             dossier.applicant_name, dossier.procedure_version.name, dossier.procedure.code,
             dossier.applicant_id_number, dossier.applicant_tax_code, dossier.applicant_phone]
    return fold(" ".join(p for p in parts if p))


def dossier_lock(dossier: Dossier | int) -> Dossier:
    """The dossier re-read under a row lock (``SELECT … FOR UPDATE``); callers are in ``atomic()``.

    Everything a service decides is decided on this fresh copy, never on the caller's object, so a
    concurrent action that committed first is seen.

    Runs in the caller's transaction (asserted).
    """
    in_transaction("locking a dossier")
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    try:
        return Dossier.objects.select_for_update(of=("self",)).select_related(*LOCK_RELATED).get(pk=pk)
    except Dossier.DoesNotExist:
        raise NotFound("Không tìm thấy hồ sơ.", code="dossier_not_found") from None


def dossier_stale(dossier: Dossier) -> Conflict:
    """The refusal for a caller who saw an older state of the dossier (409 ``dossier_state_changed``)."""
    return Conflict(
        "Hồ sơ vừa được người khác cập nhật (trạng thái hiện tại: "
        f"“{status_label(dossier.status)}”). Vui lòng tải lại hồ sơ rồi thực hiện lại.",
        code="dossier_state_changed",
    )


def version_check(dossier: Dossier, expected_version: int | None) -> None:
    """``Conflict`` (``dossier_state_changed``) when the caller saw an older state of the dossier."""
    if expected_version is not None and int(expected_version) != dossier.version:
        raise dossier_stale(dossier)


def action_perform(name: str, *, actor, dossier, data: dict, expected_version: int | None = None):
    """The entry services (``dossier_receive``, ``dossier_forward`` …) are the registry's actions
    called by name, so a direct call and ``POST …/actions/{name}`` run the same check and execute.

    Imported here, not at the top: the registry's modules import the service modules they execute.
    """
    from tinhso.dossiers.actions import dossier_action_perform

    return dossier_action_perform(actor=actor, dossier=dossier, action=name, data=data,
                                  expected_version=expected_version)


def state_require(dossier: Dossier, allowed, *, what: str) -> None:
    if dossier.status not in allowed:
        raise Conflict(
            f"Hồ sơ đang ở trạng thái “{status_label(dossier.status)}” nên không thể {what}.", code="invalid_state"
        )


def actor_label(actor) -> str:
    if actor is None:
        return "Hệ thống"
    return getattr(actor, "display_name", "") or getattr(actor, "username", "")


def payload_base(dossier: Dossier) -> dict[str, Any]:
    """The part every ``dossier.*`` event carries (docs/dossiers.md "Sự kiện"). No personal data:
    handlers load the dossier by ``dossier_id`` when they need the applicant's contacts."""
    return {
        "dossier_id": dossier.pk,
        "dossier_code": dossier.code,
        "status": dossier.status,
        "national_status_code": national_status(dossier.status),
        "channel": dossier.channel,
        "national_channel_code": national_channel(dossier.channel),
        "procedure_code": dossier.procedure.code,
        "receiving_agency": dossier.receiving_agency.code if dossier.receiving_agency_id else None,
        "current_agency": dossier.current_agency.code if dossier.current_agency_id else None,
        "owner_id": dossier.owner_id,
        "version": dossier.version,
    }


def transition_record(
    dossier: Dossier, *, actor, action: str, label: str, status_from: str, at: datetime,
    note: str = "", public: bool = True, agency=None, data: dict | None = None,
    event: str | None = None, payload: dict | None = None,
) -> DossierEvent:
    """Save the dossier (version + 1) and write its timeline row, audit entry and event.

    ``label`` is the public wording of the timeline ("Được tiếp nhận"); ``note`` stays internal
    unless ``public`` (then it must hold no personal data). ``data`` goes to the audit entry and
    the timeline; ``payload`` extends the event's base payload.

    Runs in the caller's transaction (asserted).
    """
    in_transaction("recording a dossier transition")
    dossier.version += 1
    dossier.save()
    row = DossierEvent.objects.create(
        dossier=dossier, at=at, action=action, label=label, actor=actor if _is_user(actor) else None,
        actor_label=actor_label(actor), agency=agency, status_from=status_from, status_to=dossier.status,
        note=note, is_public=public, data=event_payload(data or {}),
    )
    audit_record(
        actor=actor if _is_user(actor) else None, action=f"dossier.{action}", target=dossier,
        data={"code": dossier.code, "status_from": status_from, "status_to": dossier.status,
              "version": dossier.version, **(data or {})},
    )
    if event:
        event_publish(
            name=event, payload=event_payload({**payload_base(dossier), "at": at, "action": action, **(payload or {})}),
            aggregate_type="dossier", aggregate_id=dossier.code or str(dossier.pk),
        )
    return row


def event_also(dossier: Dossier, *, name: str, at: datetime, payload: dict | None = None) -> None:
    """A second event for the same transition (e.g. ``dossier.result_issued`` next to ``dossier.resolved``).
    Runs in the caller's transaction (asserted)."""
    in_transaction("publishing a dossier event")
    event_publish(
        name=name, payload=event_payload({**payload_base(dossier), "at": at, **(payload or {})}),
        aggregate_type="dossier", aggregate_id=dossier.code or str(dossier.pk),
    )


def _is_user(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def access_grant(dossier: Dossier, agency) -> None:
    """Let ``agency``'s staff read the dossier from now on (``DossierAccess``; idempotent).
    Runs in the caller's transaction (asserted)."""
    in_transaction("granting an agency access to a dossier")
    if agency is not None:
        DossierAccess.objects.bulk_create(
            [DossierAccess(dossier=dossier, agency=agency, dossier_created_at=dossier.created_at)],
            ignore_conflicts=True,
        )


# --- handovers (Mẫu 05/06) ----------------------------------------------------------------------------


def handover_open(
    dossier: Dossier, *, step_code: str, step_name: str, to_agency, at: datetime, step=None, role: str = "",
    from_agency=None, given_by=None, taken_by=None, planned_due_at: datetime | None = None, note: str = "",
) -> Handover:
    """The dossier's next handover row (``seq`` numbered per dossier). Runs in the caller's transaction
    (asserted)."""
    in_transaction("opening a handover")
    last = dossier.handovers.aggregate(top=Max("seq"))["top"] or 0
    return Handover.objects.create(
        dossier=dossier, seq=last + 1, step=step, step_code=step_code, step_name=step_name, role=role,
        from_agency=from_agency, to_agency=to_agency, given_by=given_by if _is_user(given_by) else None,
        given_at=at, taken_by=taken_by if _is_user(taken_by) else None, planned_due_at=planned_due_at, note=note,
    )


def handover_current(dossier: Dossier) -> Handover | None:
    return dossier.handovers.filter(finished_at__isnull=True).order_by("-seq").first()


def handover_close(dossier: Dossier, *, at: datetime, action: str, by=None, note: str = "") -> Handover | None:
    """Close the open row (if any) with its verdict against its planned deadline.
    Runs in the caller's transaction (asserted)."""
    in_transaction("closing a handover")
    row = handover_current(dossier)
    if row is None:
        return None
    row.finished_at = at
    row.finished_action = action
    if row.taken_by_id is None and _is_user(by):
        row.taken_by = by
    row.verdict = verdict_for(finished_at=at, due=row.planned_due_at) if row.planned_due_at else ""
    if note:
        row.note = f"{row.note}\n{note}".strip()
    row.save()
    return row


# --- numbered forms -----------------------------------------------------------------------------------


def form_issue(dossier: Dossier, *, kind: str, agency, actor, at: datetime, data: dict) -> FormIssue:
    """A numbered form (gapless per agency, kind and year) with the snapshot it is printed from.
    Runs in the caller's transaction (asserted)."""
    in_transaction("issuing a numbered form")
    year = timezone.localdate(at).year
    number = sequence_next(scope=f"form:{kind}:{agency.code}", period=str(year))
    snapshot = {**form_base_data(dossier, agency=agency), "number": number, "year": year,
                "issued_at": at, "issued_by": actor_label(actor), **data}
    return FormIssue.objects.create(
        dossier=dossier, kind=kind, agency=agency, year=year, number=number, issued_at=at,
        issued_by=actor if _is_user(actor) else None, data=event_payload(snapshot),
    )


def form_base_data(dossier: Dossier, *, agency) -> dict:
    """What every form shows (vn-standards §4.2): issuing agency, dossier, applicant, procedure."""
    version = dossier.procedure_version
    return {
        "dossier_code": dossier.code,
        "regulation": dossier.regulation.code if dossier.regulation_id else None,
        "form_set": dossier.regulation.form_set if dossier.regulation_id else None,
        "agency": {"code": agency.code, "name": agency.name, "short_name": agency.short_name,
                   "address": agency.address, "phone": agency.phone,
                   "parent_name": agency.parent.name if agency.parent_id else "",
                   # "<Địa danh>, ngày … tháng … năm …" (vn-standards §7.3 d): frozen with the form.
                   "place": place_of(agency)},
        "applicant": {"kind": dossier.applicant_kind, "name": dossier.applicant_name,
                      "address": dossier.applicant_address, "phone": dossier.applicant_phone,
                      "email": dossier.applicant_email},
        "procedure": {"code": dossier.procedure.code, "name": version.name},
        "channel": dossier.channel,
    }
