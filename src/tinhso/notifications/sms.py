"""SMS providers: one small interface, chosen by ``TINHSO_SMS_PROVIDER`` (docs/notifications.md).

A real gateway (a carrier's brandname API, an LGSP SMS service) is a subclass of ``SmsProvider``
whose ``deliver`` calls it. ``TINHSO_SMS_OPTIONS`` (a dict) is passed to the constructor, e.g.
``{"ascii_only": True, "api_key": "…"}``.

Vietnamese text with diacritics needs UCS-2 encoding: 70 characters per SMS (67 per part when
concatenated) instead of 160 (153) for plain GSM-7 text. Many provinces strip the marks to halve
the cost; that is the ``ascii_only`` option. Marks are kept by default because unmarked Vietnamese
is ambiguous ("Ho so da duoc tiep nhan" could be read several ways).
"""

from __future__ import annotations

import logging
import unicodedata
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# GSM 03.38 basic character set (without the escape-table characters, which count double).
_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€\f")


def ascii_fold(text: str) -> str:
    """Vietnamese without diacritics, case kept: ``"Hồ sơ Đã tiếp nhận"`` → ``"Ho so Da tiep nhan"``."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def sms_segments(text: str) -> int:
    """How many SMS a text costs: GSM-7 160/153 characters, otherwise UCS-2 70/67 (UTF-16 units)."""
    if all(ch in _GSM7 or ch in _GSM7_EXTENDED for ch in text):
        units, single, part = sum(2 if ch in _GSM7_EXTENDED else 1 for ch in text), 160, 153
    else:
        units, single, part = len(text.encode("utf-16-le")) // 2, 70, 67
    if units <= single:
        return 1
    return -(-units // part)


@dataclass(frozen=True)
class SentSms:
    phone: str
    text: str
    at: datetime
    message_id: str


class SmsProvider:
    """Send one text to one Vietnamese mobile number (``0xxxxxxxxx``).

    Subclasses implement ``deliver`` and return the provider's message id; they raise on failure
    (the notification is then retried with back-off).
    """

    def __init__(self, *, ascii_only: bool = False, **options):
        self.ascii_only = ascii_only
        self.options = options

    def prepare(self, text: str) -> str:
        return ascii_fold(text) if self.ascii_only else unicodedata.normalize("NFC", text)

    def send(self, phone: str, text: str) -> str:
        return self.deliver(phone, self.prepare(text))

    def deliver(self, phone: str, text: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class LoggingSmsProvider(SmsProvider):
    """Development and test provider: logs the text and keeps the last 1000 in ``LoggingSmsProvider.sent``."""

    sent: deque[SentSms] = deque(maxlen=1000)
    _counter = 0

    def deliver(self, phone: str, text: str) -> str:
        LoggingSmsProvider._counter += 1
        message_id = f"log-{LoggingSmsProvider._counter}"
        self.sent.append(SentSms(phone=phone, text=text, at=timezone.now(), message_id=message_id))
        logger.info("SMS to %s (%s segment(s)): %s", phone, sms_segments(text), text)
        return message_id


def sms_provider() -> SmsProvider:
    """The configured provider (``TINHSO_SMS_PROVIDER`` with ``TINHSO_SMS_OPTIONS``)."""
    path = getattr(settings, "TINHSO_SMS_PROVIDER", "tinhso.notifications.sms.LoggingSmsProvider")
    options = dict(getattr(settings, "TINHSO_SMS_OPTIONS", {}) or {})
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, SmsProvider)):
        raise TypeError(f"TINHSO_SMS_PROVIDER {path!r} is not an SmsProvider subclass")
    return cls(**options)


__all__ = ["LoggingSmsProvider", "SentSms", "SmsProvider", "ascii_fold", "sms_provider", "sms_segments"]
