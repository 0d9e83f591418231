"""HTTP between exchange peers (docs/exchange.md "Transport"): the package goes as the request body,
``application/xml``; the caller names itself with ``Authorization: Bearer <credential>``; hops of a
relay travel in ``X-Edxml-Trace`` (the signed package itself is never changed)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

USER_AGENT = "TinhSo-Exchange/1.0"


class TransportError(RuntimeError):
    """The peer could not be reached or answered with a server error: retry later."""


@dataclass(frozen=True)
class PeerAnswer:
    http_status: int
    body: dict

    @property
    def refused(self) -> bool:
        return self.body.get("status") == "refused"


def post_message(*, url: str, credential: str, data: bytes, trace: list | None = None) -> PeerAnswer:
    headers = {"Content-Type": "application/xml; charset=utf-8", "User-Agent": USER_AGENT,
               "Accept": "application/json"}
    if credential:
        headers["Authorization"] = f"Bearer {credential}"
    if trace:
        headers["X-Edxml-Trace"] = json.dumps(trace, ensure_ascii=True)
    request = urllib.request.Request(f"{url}/messages", data=data, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=settings.TINHSO_EXCHANGE_TIMEOUT_SECONDS) as response:  # noqa: S310
            return PeerAnswer(response.status, _json(response.read()))
    except urllib.error.HTTPError as exc:
        body = _json(exc.read())
        if exc.code >= 500 or exc.code in (401, 403, 404, 408, 429) or "status" not in body:
            raise TransportError(f"HTTP {exc.code} từ {url}: {body.get('detail') or body or exc.reason}") from None
        return PeerAnswer(exc.code, body)
    except (urllib.error.URLError, OSError) as exc:
        raise TransportError(f"Không kết nối được {url}: {getattr(exc, 'reason', exc)}") from None


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
