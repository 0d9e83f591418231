"""Kept for imports of the API layer: the messages live in ``core.validation`` (actions use them too)."""

from tinhso.core.validation import GENERIC, MESSAGES, validation_errors, validation_message

__all__ = ["GENERIC", "MESSAGES", "validation_errors", "validation_message"]
