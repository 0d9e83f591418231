"""The process engine's moves (DESIGN §5.2): which agency a step runs in, entering a step, the clock
pausing and resuming. Used by reception (entering the first step) and by every processing action."""

from __future__ import annotations

from datetime import datetime

from tinhso.catalog.choices import AgencyRole, StepScope
from tinhso.catalog.models import Step, Transition
from tinhso.catalog.selectors import version_process
from tinhso.core.actions import in_transaction
from tinhso.dossiers.deadlines import paused_working_minutes, shift, step_due_at
from tinhso.dossiers.models import Dossier, Handover
from tinhso.dossiers.services.common import access_grant, handover_current, handover_open
from tinhso.org.roles import Role


def step_agency(dossier: Dossier, step: Step):
    """The agency that acts in ``step`` for this dossier (catalog ``StepScope``)."""
    receiving = dossier.receiving_agency
    if step.agency_scope == StepScope.FIXED and step.agency_id:
        return step.agency
    if step.agency_scope == StepScope.PARENT:
        return receiving.parent if receiving.parent_id else receiving
    if step.agency_scope == StepScope.COMPETENT:
        competent = sorted(
            (link.agency for link in dossier.procedure_version.agency_links.all() if link.role == AgencyRole.COMPETENT),
            key=lambda agency: agency.code,
        )
        return competent[0] if competent else receiving
    return receiving


def first_step(dossier: Dossier) -> Step | None:
    definition = version_process(dossier.procedure_version)
    return definition.first_step() if definition is not None else None


def step_transitions(step: Step | None) -> list[Transition]:
    if step is None:
        return []
    return list(Transition.objects.filter(from_step=step).select_related("to_step", "to_step__agency").order_by("id"))


def step_enter(dossier: Dossier, *, step: Step, at: datetime, given_by, assignee=None, note: str = "") -> Handover:
    """Hand the dossier to ``step``: a new handover row from the agency that held it to the step's
    agency, with the step's own deadline on that agency's calendar. Runs in the caller's transaction (asserted)."""
    in_transaction("entering a process step")
    from_agency = dossier.current_agency or dossier.receiving_agency
    agency = step_agency(dossier, step)
    planned = step_due_at(agency=agency, step=step, start=at)
    row = handover_open(
        dossier, step=step, step_code=step.code, step_name=step.name, role=step.role, from_agency=from_agency,
        to_agency=agency, at=at, given_by=given_by, taken_by=assignee, planned_due_at=planned, note=note,
    )
    access_grant(dossier, agency)
    dossier.current_step = step
    dossier.current_agency = agency
    dossier.acting_role = step.role
    dossier.step_due_at = planned
    dossier.assignee = assignee
    return row


def reception_enter(dossier: Dossier) -> None:
    """The dossier waits for the receiving agency's reception desk (new, or a result to return)."""
    dossier.current_step = None
    dossier.current_agency = dossier.receiving_agency
    dossier.acting_role = Role.RECEPTION
    dossier.step_due_at = None
    dossier.assignee = None


def queue_leave(dossier: Dossier) -> None:
    """Nobody has to act any more (refused, withdrawn, stopped, returned)."""
    dossier.current_step = None
    dossier.acting_role = ""
    dossier.step_due_at = None
    dossier.assignee = None


def clock_pause(dossier: Dossier, *, at: datetime) -> None:
    if dossier.paused_since is None:
        dossier.paused_since = at


def clock_resume(dossier: Dossier, *, at: datetime) -> int:
    """Restart the clock: the working time spent waiting moves the appointment, the legal deadline,
    the step deadline and the open handover's deadline forward. Returns the working minutes. Runs in the caller's transaction (asserted)."""
    in_transaction("resuming a dossier's clock")
    if dossier.paused_since is None:
        return 0
    agency = dossier.receiving_agency
    minutes = paused_working_minutes(agency=agency, since=dossier.paused_since, until=at)
    dossier.paused_since = None
    if minutes <= 0:
        return 0
    dossier.paused_minutes += minutes
    dossier.due_at = shift(agency=agency, moment=dossier.due_at, minutes=minutes)
    dossier.original_due_at = shift(agency=agency, moment=dossier.original_due_at, minutes=minutes)
    step_agency_now = dossier.current_agency or agency
    dossier.step_due_at = shift(agency=step_agency_now, moment=dossier.step_due_at, minutes=minutes)
    row = handover_current(dossier)
    if row is not None and row.planned_due_at is not None:
        row.planned_due_at = shift(agency=row.to_agency, moment=row.planned_due_at, minutes=minutes)
        row.save(update_fields=["planned_due_at"])
    return minutes
