"""System checks that stop a misconfigured deployment at start-up instead of in citizens' messages."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "testserver", "[::1]", "::1"})


def served_to_others() -> bool:
    """A deployment whose ``ALLOWED_HOSTS`` names a host besides this machine's serves other people."""
    return any(host.strip().lower() not in LOCAL_HOSTS for host in settings.ALLOWED_HOSTS)


@register()
def public_url_check(app_configs=None, **kwargs):
    """Links in SMS, e-mails and QR codes must reach the site: without ``TINHSO_PUBLIC_URL`` a
    production server would send citizens to ``http://localhost``."""
    if not getattr(settings, "PUBLIC_URL_SET", True):
        if served_to_others():
            return [Error("TINHSO_PUBLIC_URL chưa được đặt: liên kết trong tin nhắn, thư và mã QR sẽ trỏ sai "
                          "địa chỉ.", hint="Đặt TINHSO_PUBLIC_URL=https://<tên miền của cổng> (docs/configuration.md).",
                          id="tinhso.E001")]
        # A laptop: `make run` sets it for the server it starts; `migrate` before it stays quiet.
        return []
    parts = urlsplit(settings.PUBLIC_URL)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return [Error(f"TINHSO_PUBLIC_URL không phải địa chỉ http(s) đầy đủ: {settings.PUBLIC_URL!r}.",
                      hint="Ví dụ https://dichvucong.phutho.gov.vn", id="tinhso.E002")]
    return []


def refuse_misconfigured_start() -> None:
    """gunicorn and uvicorn do not run system checks: the WSGI/ASGI entry points call this so a
    production server without its public address does not start at all."""
    from django.core.exceptions import ImproperlyConfigured

    errors = [m for m in public_url_check() if m.is_serious()]
    if errors:
        raise ImproperlyConfigured("; ".join(f"{e.id}: {e.msg} {e.hint}" for e in errors))
