"""Errors of the signing app that are not the caller's fault (configuration, an unreachable TSA)."""

from __future__ import annotations

from tinhso.core.errors import DomainError


class SigningUnavailable(DomainError):
    """Signing cannot run right now: no timestamp authority, a key that cannot be decrypted…"""

    status = 503
    code = "signing_unavailable"
    title = "Chức năng ký số tạm thời không sẵn sàng"
