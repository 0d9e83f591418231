"""What a person can do with a dossier: one ``Action`` class per action (name, Vietnamese label,
typed ``Input``, ``check`` with the coded refusal, ``execute``) in the registry ``dossier_actions``.

The offered list (``dossier_available_actions``: the API's ``available_actions``, the staff and
citizen pages), ``POST /api/v1/dossiers/{code}/actions/{name}`` (``dossier_action_perform``), the
entry services (``dossier_receive`` …, which perform their action by name) and the OpenAPI
description of the action bodies all come from it; nothing else decides what is allowed.
"""

from __future__ import annotations

from tinhso.core.actions import ActionSpec
from tinhso.core.errors import NotAuthenticated, ValidationFailed
from tinhso.dossiers.actions.base import DossierContext
from tinhso.dossiers.actions.registry import dossier_actions, dossier_context
from tinhso.dossiers.models import Dossier

EXPECTED = "expected_version"


def dossier_available_actions(*, actor, dossier: Dossier) -> list[ActionSpec]:
    """What ``actor`` may do with ``dossier`` now, in display order. Two or three queries."""
    if not getattr(actor, "is_authenticated", False):
        return []
    return dossier_actions.available(dossier_context(actor, dossier))


def _version(data: dict) -> int | None:
    value = data.get(EXPECTED)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationFailed("expected_version phải là số nguyên.", code="invalid_input") from None


def dossier_action_perform(*, actor, dossier: Dossier | int, action: str, data: dict | None = None,
                           expected_version: int | None = None):
    """Perform ``action`` (a name from ``dossier_available_actions``) with the body ``data``.

    ``expected_version`` (or ``data["expected_version"]``) makes a stale call fail with 409
    ``dossier_state_changed`` instead of acting on a state the caller did not see. Returns what
    the action returned (the dossier, or the supplement request, payment, form, consultation).
    """
    data = dict(data or {})
    version = expected_version if expected_version is not None else _version(data)
    dossier_actions.get(action)  # 404 action_not_found before anything else
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    return dossier_actions.perform(actor=actor, target=dossier, name=action, data=data, expected_version=version)


ACTION_NAMES = dossier_actions.names

__all__ = [
    "ACTION_NAMES",
    "DossierContext",
    "dossier_action_perform",
    "dossier_actions",
    "dossier_available_actions",
]
