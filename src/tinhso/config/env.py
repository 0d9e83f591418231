"""Reading ``TINHSO_*`` environment variables, and turning a database URL into Django settings."""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, unquote, urlsplit

_TRUE = {"1", "true", "yes", "on"}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in _TRUE


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_database_url(url: str, *, pool: bool = False) -> dict:
    """``sqlite:///abs/path`` or ``postgresql://user:pass@host:port/name?opt=v`` → DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("//"):  # sqlite:////abs/path
            path = path[1:]
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path or ":memory:",
            # IMMEDIATE makes every transaction take the write lock at BEGIN, so two writers queue
            # instead of failing half-way with "database is locked" (gapless numbering relies on it).
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not ":memory:", for the test database: in-memory SQLite fails a second writer at
            # once ("table is locked") instead of waiting, so concurrency tests could not run. One file
            # per process, so two test runs on one machine never share it.
            "TEST": {"NAME": os.environ.get("TINHSO_TEST_SQLITE_NAME") or f"{path}.test-{os.getpid()}"},
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        options: dict = dict(parse_qsl(parts.query))
        if pool:
            options["pool"] = {"min_size": 1, "max_size": 8}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "tinhso",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 0 if pool else 60,
            "CONN_HEALTH_CHECKS": not pool,
            "OPTIONS": options,
        }
    raise ValueError(f"TINHSO_DATABASE_URL: unsupported scheme {parts.scheme!r}")
