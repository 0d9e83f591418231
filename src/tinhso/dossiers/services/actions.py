"""Kept for the callers of ``tinhso.dossiers.services``: the actions live in ``tinhso.dossiers.actions``
(one class per action in one registry); these are its two entry points and the supplement request
that picks the stage from the dossier's state."""

from __future__ import annotations

from tinhso.core.actions import ActionSpec, FieldSpec
from tinhso.dossiers.actions import ACTION_NAMES, dossier_action_perform, dossier_available_actions
from tinhso.dossiers.models import Dossier, SupplementRequest


def dossier_request_supplement(*, actor, dossier: Dossier, items, reason: str, to_step: str | None = None,
                               expected_version: int | None = None) -> SupplementRequest:
    """Request a supplement: at reception (once, Mẫu 02) while the dossier is new, during processing
    (clock stops) once it is at a process step — the action ``request_supplement``."""
    return dossier_action_perform(actor=actor, dossier=dossier, action="request_supplement",
                                  data={"items": items, "reason": reason, "to_step": to_step},
                                  expected_version=expected_version)


__all__ = [
    "ACTION_NAMES",
    "ActionSpec",
    "FieldSpec",
    "dossier_action_perform",
    "dossier_available_actions",
    "dossier_request_supplement",
]
