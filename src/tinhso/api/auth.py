"""How API callers are identified.

Integrators send ``Authorization: Bearer <key>`` (an API key scoped to one agency, see
``tinhso apikey create``); the web UI uses its session cookie (with CSRF checks on writes); anybody
else is anonymous. Handlers always receive a user in ``request.auth`` and permissions are decided
by services and selectors, never by the transport.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from ninja.security import HttpBearer, SessionAuth

from tinhso.core.auth import require_user
from tinhso.core.errors import NotAuthenticated

__all__ = ["DEFAULT_AUTH", "ApiKeyAuth", "SessionCookieAuth", "anonymous", "require_user"]


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request, token):
        from tinhso.accounts.services import apikey_authenticate

        user = apikey_authenticate(raw_key=token)
        if user is None:
            # A wrong key must not silently fall back to anonymous access.
            raise NotAuthenticated("Khóa API không hợp lệ hoặc đã bị thu hồi.", code="invalid_api_key")
        request.user = user
        return user


class SessionCookieAuth(SessionAuth):
    """The web UI's session, CSRF-checked on writes. Without a session cookie there is no session to
    forge, so the caller is simply anonymous: a POST without credentials gets 401 from the service
    ("please sign in"), not a CSRF refusal."""

    def _get_key(self, request):
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)


def anonymous(request):
    return AnonymousUser()


DEFAULT_AUTH = [ApiKeyAuth(), SessionCookieAuth(csrf=True), anonymous]
