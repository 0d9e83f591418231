"""The statistics follow every dossier event (docs/reports.md, docs/events.md)."""

from tinhso.core.events import event_handler
from tinhso.reports.services import fact_refresh

DOSSIER_EVENTS = (
    "dossier.received", "dossier.refused", "dossier.step_changed", "dossier.supplement_requested",
    "dossier.supplement_submitted", "dossier.payment_requested", "dossier.payment_settled",
    "dossier.resolved", "dossier.result_issued", "dossier.returned", "dossier.apology_issued", "dossier.stopped", "dossier.withdrawn",
    "dossier.overdue",
)


@event_handler(*DOSSIER_EVENTS, name="reports.rollup")
def rollup(event) -> None:
    """Refresh the dossier's contribution; it depends on the dossier's state only, so each delivery
    (and any redelivery) leaves the same rows."""
    dossier_id = (event.payload or {}).get("dossier_id")
    if dossier_id is not None:
        fact_refresh(dossier_id=int(dossier_id))
