"""Writes on accounts. (API-key lookup lives here because the API auth calls it on every request.)"""

from __future__ import annotations


def apikey_authenticate(*, raw_key: str):
    """The service user behind an API key, or None. Implemented with the ApiKey model."""
    return None
