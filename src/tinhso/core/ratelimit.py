"""Fixed-window counters in Django's cache: "at most N attempts per window" for public doors.

Used by public tracking (code + phone) and by the password step of the login. ``incr`` is atomic in
the local-memory and Redis caches. With the default local-memory cache every server process counts
on its own; set ``TINHSO_REDIS_URL`` so all workers share one count (docs/deployment.md).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches


def _cache():
    return caches[getattr(settings, "TINHSO_RATE_LIMIT_CACHE", "default")]


def _key(scope: str, subject: str, window: int) -> str:
    return f"tinhso:rl:{scope}:{subject}:{int(time.time() // window)}"


def rate_limit_hit(*, scope: str, subject: str, limit: int, window: int) -> int:
    """Count one attempt and return the count in the current window (``limit`` ≤ 0 disables: 0)."""
    if limit <= 0:
        return 0
    key = _key(scope, subject, window)
    cache = _cache()
    cache.add(key, 0, timeout=window + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return 1


def rate_limit_undo(*, scope: str, subject: str, window: int) -> None:
    """Take back one attempt counted in the current window (an attempt that turned out allowed)."""
    key = _key(scope, subject, window)
    cache = _cache()
    try:
        if (cache.get(key) or 0) > 0:
            cache.decr(key)
    except ValueError:  # expired meanwhile: nothing to take back
        pass


def rate_limit_retry_after(*, window: int) -> int:
    """Seconds until the current fixed window ends and the counts start again."""
    return window - int(time.time()) % window


def rate_limit_count(*, scope: str, subject: str, window: int) -> int:
    """Attempts counted so far in the current window, without counting one more."""
    return int(_cache().get(_key(scope, subject, window)) or 0)


def request_client_ip(request) -> str:
    """The client's IP: ``REMOTE_ADDR``, or — behind ``TINHSO_TRUSTED_PROXY_COUNT`` proxies — the
    address those proxies appended to ``X-Forwarded-For`` (counted from the right, so a client
    cannot forge it)."""
    proxies = int(getattr(settings, "TINHSO_TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
