"""Slowing down password and code guessing at the login (docs/accounts.md).

Every attempt is counted *before* the password hash is checked, so a burst of parallel requests
cannot all slip under the limit while the slow hash runs; an attempt that succeeds is taken back.
Two counts per fixed window: the account (by its name as the login form normalises it, so that
full-width or mixed-case variants of one name share one count) and the client address. Wrong
two-step codes count against the account too, so restarting the login does not buy new guesses.
"""

from __future__ import annotations

import math
import unicodedata

from django.conf import settings

from tinhso.core.ratelimit import rate_limit_hit, rate_limit_retry_after, rate_limit_undo, request_client_ip


def _account(username: str) -> str:
    # Django's UsernameField applies NFKC before authenticating; casefold on top, so that every
    # spelling the backend could accept for one account lands on the same counter.
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def _subjects(request, username: str) -> list[tuple[str, str, int]]:
    subjects = [("login-account", _account(username), settings.TINHSO_LOGIN_MAX_FAILURES)]
    if request is not None:
        subjects.append(("login-ip", request_client_ip(request), settings.TINHSO_LOGIN_MAX_FAILURES_PER_IP))
    return [(scope, subject, limit) for scope, subject, limit in subjects if limit > 0 and subject]


def login_attempt_begin(request, username: str) -> int:
    """Count one attempt; 0 when it may go ahead, else the minutes until the window ends."""
    window = settings.TINHSO_LOGIN_WINDOW_SECONDS
    refused = False
    for scope, subject, limit in _subjects(request, username):
        if rate_limit_hit(scope=scope, subject=subject, limit=limit, window=window) > limit:
            refused = True
    if not refused:
        return 0
    return max(1, math.ceil(rate_limit_retry_after(window=window) / 60))


def login_attempt_succeeded(request, username: str) -> None:
    """The password (or the code) was right: the attempt does not count as a failure."""
    window = settings.TINHSO_LOGIN_WINDOW_SECONDS
    for scope, subject, _limit in _subjects(request, username):
        rate_limit_undo(scope=scope, subject=subject, window=window)
