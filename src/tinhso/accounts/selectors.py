"""Reads on accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from tinhso.accounts.models import ApiKey


def apikey_list(*, include_revoked: bool = True) -> QuerySet[ApiKey]:
    """API keys with their agency and service user's memberships (for the CLI and the admin)."""
    keys = ApiKey.objects.select_related("agency", "user").prefetch_related("user__memberships")
    if not include_revoked:
        keys = keys.filter(revoked_at__isnull=True)
    return keys.order_by("-created_at")
