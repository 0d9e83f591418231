"""Event handlers of the one-stop shop, registered on import (``CoreConfig.ready`` imports every app's
``handlers`` module; docs/events.md). The applicant's notifications live in ``dossiers.notify``; the
forms' automatic seal registers its purposes with ``signing.policy`` here, at start-up; a received
dossier raises its procedure's popularity; a form issued by an event is rendered, sealed (online
dossiers) and stored by its outbox delivery, so downloads only read it (docs/forms.md "Rendering")."""

from tinhso.catalog.services import procedure_popularity_bump
from tinhso.core.events import event_handler
from tinhso.dossiers import notify  # noqa: F401  (registers "dossiers.notify_applicant")
from tinhso.dossiers.models import Dossier, FormIssue
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


FORM_EVENTS = tuple(name for name, (_template, kind) in notify.EVENTS.items() if kind is not None)


@event_handler(*FORM_EVENTS, name="dossiers.form_store")
def form_store(event) -> None:
    """The form the event issued (``form_issue_id``) is rendered, sealed for an online dossier and stored
    as ``FormIssue.pdf`` when it is issued, not on its first download. Idempotent: a stored form is kept."""
    from tinhso.dossiers.printing import form_issue_pdf_file

    form_id = (event.payload or {}).get("form_issue_id")
    if form_id is None:
        return
    form = FormIssue.objects.select_related("dossier", "pdf", "agency").filter(pk=form_id).first()
    if form is not None and form.pdf_id is None:
        form_issue_pdf_file(form=form)
