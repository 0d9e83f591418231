"""Who is calling: the one check every layer may use (API handlers, pages), so no domain app has to
import the API package (``tinhso.api.auth`` decides how a request is authenticated, this only asks
whether it was)."""

from __future__ import annotations

from tinhso.core.errors import NotAuthenticated


def require_user(request):
    """The authenticated user of this request (``request.auth``, set by the API's authenticators), or a
    401 problem."""
    user = request.auth
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    return user
