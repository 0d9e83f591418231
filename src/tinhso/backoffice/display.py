"""Display-only reads of the staff pages (DESIGN §5.10: selectors take the actor). Anything that
decides what an officer may *do* stays in ``dossiers`` (``dossier_available_actions``, the services)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext

from tinhso.catalog.choices import AgencyRole
from tinhso.dossiers.deadlines import at_risk_threshold, deadline_flags
from tinhso.dossiers.status import IN_PROGRESS, Status
from tinhso.org.models import Agency, Membership
from tinhso.org.roles import Role
from tinhso.org.selectors import agencies_for

HEAD_ROLES = (Role.UNIT_HEAD, Role.LEADER)


def deadline_state(dossier, *, now: datetime | None = None) -> str:
    """``overdue``, ``at_risk`` or "" for a dossier whose clock runs (the work queue's flags, for one)."""
    if dossier.status not in (*IN_PROGRESS, Status.RESOLVED) or dossier.due_at is None:
        return ""
    now = now or timezone.now()
    agency = dossier.current_agency or dossier.receiving_agency
    threshold = at_risk_threshold(agency=agency, now=now) if agency is not None and dossier.resolved_at is None \
        else None
    overdue, at_risk = deadline_flags(dossier, now=now, threshold=threshold)
    return "overdue" if overdue else "at_risk" if at_risk else ""


def reception_agencies(*, actor, version=None) -> list[Agency]:
    """The agencies where ``actor`` works at the reception desk (and that receive ``version``)."""
    agencies = list(agencies_for(user=actor, role=Role.RECEPTION))
    if version is None:
        return agencies
    receiving = {link.agency_id for link in version.agency_links.all() if link.role == AgencyRole.RECEIVING}
    return [a for a in agencies if a.pk in receiving]


def headed_agencies(*, actor) -> list[Agency]:
    return list(agencies_for(user=actor, role=HEAD_ROLES))


def assignable_people(*, actor) -> list[tuple[str, str]]:
    """(username, "Name — role, agency") of the active staff in the agencies ``actor`` heads."""
    agencies = [a.pk for a in headed_agencies(actor=actor)]
    if not agencies:
        return []
    rows = (Membership.objects.filter(agency_id__in=agencies, is_active=True, user__is_active=True)
            .exclude(role__in=[Role.ADMIN, Role.MONITOR])
            .select_related("user", "agency").order_by("agency__code", "user__full_name", "role"))
    people: dict[str, str] = {}
    for m in rows:
        label = f"{m.user.display_name} — {gettext(m.get_role_display())}, {m.agency.short_name or m.agency.name}"
        people.setdefault(m.user.username, label)
    return list(people.items())
