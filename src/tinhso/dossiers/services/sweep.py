"""Time-driven lateness notices: ``dossier.at_risk`` and ``dossier.overdue``, once per dossier and due date.

Work is selected by due time only — never by "recently modified" — so a dossier nobody touched for
months is still announced the first time the sweep runs after its deadline (peers.md: OpenCPS's
timer only scanned dossiers modified in the last two days, and timeouts silently never fired).
Idempotent: a ``DossierAlert`` row (unique per dossier, kind and due date) is written in the same
transaction as the event, so running the sweep twice, or two sweeps at once, announces nothing twice.
When the due date moves (a pause, an apology), the new date may be announced again.

The flags themselves are never stored: lists compute "at risk" and "overdue" from ``due_at`` at
read time (``selectors.work_queue``); this sweep only feeds notifications.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from tinhso.core.events import event_payload, event_publish
from tinhso.dossiers.deadlines import at_risk_threshold
from tinhso.dossiers.models import Dossier, DossierAlert
from tinhso.dossiers.services.common import payload_base
from tinhso.dossiers.status import Status
from tinhso.org.models import Agency

RUNNING = (Status.RECEIVED, Status.PROCESSING)
# A working day never spans more than this much calendar time (Tết is the longest break).
AT_RISK_HORIZON = timedelta(days=21)


@dataclass(frozen=True)
class SweepResult:
    overdue: int
    at_risk: int


def _announce(dossier: Dossier, *, kind: str, now: datetime) -> bool:
    if dossier.due_at is None:  # selected by due time, so never; the alert is keyed by the due date
        return False
    with transaction.atomic():
        _alert, created = DossierAlert.objects.get_or_create(
            dossier=dossier, kind=kind, due_at=dossier.due_at, defaults={"created_at": now}
        )
        if created:
            event_publish(
                name=f"dossier.{kind}",
                payload=event_payload({**payload_base(dossier), "at": now, "due_at": dossier.due_at,
                                       "step": dossier.current_step.code if dossier.current_step_id else None,
                                       "assignee_id": dossier.assignee_id}),
                aggregate_type="dossier", aggregate_id=dossier.code,
            )
    return created


def _candidates(kind: str):
    announced = DossierAlert.objects.filter(dossier=OuterRef("pk"), kind=kind, due_at=OuterRef("due_at"))
    return (
        Dossier.objects.filter(status__in=RUNNING, paused_since__isnull=True, due_at__isnull=False)
        .exclude(Exists(announced))
        .select_related("procedure", "receiving_agency", "current_agency", "current_step")
        .order_by("due_at", "pk")
    )


def dossiers_sweep(*, now: datetime | None = None) -> SweepResult:
    """Announce every running dossier past its due date (``dossier.overdue``) or within the at-risk
    window of its receiving agency's calendar (``dossier.at_risk``), once per due date."""
    now = now or timezone.now()
    overdue = sum(_announce(d, kind=DossierAlert.Kind.OVERDUE, now=now)
                  for d in _candidates(DossierAlert.Kind.OVERDUE).filter(due_at__lt=now).iterator(chunk_size=500))
    soon = _candidates(DossierAlert.Kind.AT_RISK).filter(due_at__gte=now, due_at__lt=now + AT_RISK_HORIZON)
    at_risk = 0
    for agency in Agency.objects.filter(pk__in=soon.values("receiving_agency_id")):
        threshold = at_risk_threshold(agency=agency, now=now)
        for dossier in soon.filter(receiving_agency=agency, due_at__lte=threshold).iterator(chunk_size=500):
            at_risk += _announce(dossier, kind=DossierAlert.Kind.AT_RISK, now=now)
    return SweepResult(overdue=overdue, at_risk=at_risk)
