"""How much a procedure is used: the count behind "thủ tục được sử dụng nhiều" on the portal."""

from __future__ import annotations

from django.db.models import F

from tinhso.catalog.models import Procedure


def procedure_popularity_bump(*, procedure_id: int, by: int = 1) -> None:
    """Count ``by`` more uses of a procedure (the one-stop shop: a dossier received).

    ``F()``: concurrent receipts never lose a count, and nothing is read first. Called from an event
    handler, which the outbox runs in the transaction that marks its delivery done — one bump per event.
    """
    Procedure.objects.filter(pk=procedure_id).update(popularity=F("popularity") + by)
