"""Turning Python values into plain JSON values, and the canonical JSON that hashes are taken over."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise


def json_ready(value: Any) -> Any:
    """A copy of ``value`` made only of dict, list, str, int, float, bool and None.

    Aware datetimes become ISO 8601 in Vietnam time (``2026-01-05T08:30:00+07:00``), dates
    ``2026-01-05``, Decimals and UUIDs strings, model instances their primary key as a string,
    enums their value, sets and tuples lists. Anything else raises ``TypeError``.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return json_ready(value.value)
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID | Promise):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dict):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [json_ready(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    raise TypeError(f"{type(value).__name__} cannot be turned into JSON: {value!r}")


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 text kept as is. For hashing only."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
