"""The session side of two-factor login, shared by the login views and the middleware.

After the password step a staff member with 2FA is *not* logged in: the session only holds a
"pending" marker naming the account. ``django.contrib.auth.login`` runs after the code is checked,
and stamps the session as verified; the middleware logs out any session of a 2FA account that lacks
the stamp, so no other login path (the admin's, a test client, a future one) can skip the code.
"""

from __future__ import annotations

import time

from django.conf import settings

PENDING_KEY = "tinhso_2fa_pending"
VERIFIED_KEY = "tinhso_2fa_verified_at"
PENDING_TTL_SECONDS = 300
MAX_ATTEMPTS = 5


def session_mark_pending(request, *, user, next_url: str) -> None:
    # A fresh session key, so a session id fixed by an attacker before the password step is useless.
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "next": next_url,
        "attempts": 0,
        "started": int(time.time()),
    }


def session_pending(request) -> dict | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("started", 0) > PENDING_TTL_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return pending


def session_mark_verified(request) -> None:
    request.session[VERIFIED_KEY] = int(time.time())


def session_is_verified(request) -> bool:
    return bool(request.session.get(VERIFIED_KEY))


def needs_second_factor(user) -> bool:
    """Accounts for which the province may require 2FA: staff and Django administrators."""
    return user.kind == user.Kind.STAFF or user.is_staff or user.is_superuser
