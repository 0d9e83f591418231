"""Gapless numbering (DESIGN §5.5): dossier codes, document numbers, incoming numbers, receipts.

A number is taken inside the caller's transaction and the counter row stays locked until that
transaction ends, so two requests never get the same number and a rolled-back request gives its
number back. The price is that numbering in one scope is serial: take the number late in the
transaction, after the slow work.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F

from tinhso.core.models import Sequence


def sequence_next(*, scope: str, period: str = "") -> int:
    """The next number of the counter (scope, period), starting at 1. Must run inside ``atomic()``.

    ``scope`` names the series (``"dossier:H44.12"``, ``"document:<register id>"``); ``period``
    restarts it (``"2026"`` for yearly numbers, ``"260105"`` for daily dossier codes).

    PostgreSQL: the row is locked with ``SELECT … FOR UPDATE``; the first call of a new counter
    inserts it with ``ON CONFLICT DO NOTHING``, so two first callers do not fail on the unique key.
    SQLite: transactions begin ``IMMEDIATE`` (see config/env.py), which serialises writers.
    """
    if not scope:
        raise ValueError("sequence_next needs a scope")
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "sequence_next() must be called inside transaction.atomic(): the number is only "
            "gapless if it is taken and used in the same transaction."
        )
    locked = Sequence.objects.select_for_update().filter(scope=scope, period=period)
    row = locked.only("pk", "value").first()
    if row is None:
        Sequence.objects.bulk_create([Sequence(scope=scope, period=period, value=0)], ignore_conflicts=True)
        row = locked.only("pk", "value").get()
    Sequence.objects.filter(pk=row.pk).update(value=F("value") + 1)
    return row.value + 1


def sequence_current(*, scope: str, period: str = "") -> int:
    """The last number handed out (0 if none): for display and checks, never to derive the next one."""
    value = Sequence.objects.filter(scope=scope, period=period).values_list("value", flat=True).first()
    return value or 0
