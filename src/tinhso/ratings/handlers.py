"""Event handlers of the ratings (registered on import by ``CoreConfig.ready``): a returned dossier
gets its rating invitation, and one returned at the counter is offered on the desk's kiosk tablet."""

from tinhso.core.events import event_handler
from tinhso.dossiers.models import DossierEvent
from tinhso.ratings.services import invitation_create, kiosk_offer_returned


@event_handler("dossier.returned", name="ratings.invite")
def invite(event) -> None:
    payload = event.payload or {}
    dossier_id = payload.get("dossier_id")
    if dossier_id is None:
        return
    if invitation_create(dossier_id=dossier_id) is None:
        return
    if payload.get("method") == "counter":
        officer_id = (DossierEvent.objects.filter(dossier_id=dossier_id, action="return_result")
                      .order_by("-at", "-id").values_list("actor_id", flat=True).first())
        kiosk_offer_returned(dossier_id=dossier_id, officer_id=officer_id)
