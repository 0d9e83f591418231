"""Event handlers of the one-stop shop, registered on import (``CoreConfig.ready`` imports every app's
``handlers`` module; docs/events.md). The applicant's notifications live in ``dossiers.notify``; the
forms' automatic seal registers its purposes with ``signing.policy`` here, at start-up; a received
dossier raises its procedure's popularity."""

from tinhso.catalog.services import procedure_popularity_bump
from tinhso.core.events import event_handler
from tinhso.dossiers import notify  # noqa: F401  (registers "dossiers.notify_applicant")
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.printing import sealing  # noqa: F401  (registers the automatic-seal purposes)


@event_handler("dossier.received", name="dossiers.procedure_popularity")
def procedure_popularity(event) -> None:
    """A received dossier is one more use of its procedure (the portal's "most used" list). The outbox
    runs a handler in the transaction that marks its delivery done, so each event counts once."""
    dossier_id = (event.payload or {}).get("dossier_id")
    if dossier_id is None:
        return
    procedure_id = Dossier.objects.filter(pk=dossier_id).values_list("procedure_id", flat=True).first()
    if procedure_id is not None:
        procedure_popularity_bump(procedure_id=procedure_id)
