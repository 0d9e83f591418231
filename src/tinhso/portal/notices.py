"""The applicant's in-app notifications (``notifications.selectors.notifications_for``), optionally
those about one dossier (its code appears in the notification's subject or text)."""

from __future__ import annotations

from tinhso.notifications.selectors import notifications_for


def notifications_list(*, user, dossier=None, limit: int = 20) -> list:
    items = list(notifications_for(user=user, limit=200 if dossier is not None else limit))
    if dossier is not None and dossier.code:
        items = [n for n in items if dossier.code in f"{n.subject} {n.body}"]
    return items[:limit]
