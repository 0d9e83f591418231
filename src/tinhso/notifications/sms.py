"""SMS providers: one small interface, chosen by ``TINHSO_SMS_PROVIDER`` (docs/notifications.md).

A real gateway (a carrier's brandname API, an LGSP SMS service) is a subclass of ``SmsProvider``
whose ``deliver`` calls it. ``TINHSO_SMS_OPTIONS`` (a dict) is passed to the constructor, e.g.
``{"ascii_only": True, "api_key": "…"}``.

Vietnamese text with diacritics needs UCS-2 encoding: 70 characters per SMS (67 per part when
concatenated) instead of 160 (153) for plain GSM-7 text. Brandname gateways of the carriers bill (or
only accept) unaccented text, so the marks are stripped by default (``TINHSO_SMS_ASCII``, or the
provider's ``ascii_only`` option, which wins); a gateway that takes Unicode at no extra cost may keep
them. Each dossier text is sent in the most detailed form that stays within the segment budget
(:func:`sms_fit`, :func:`sms_max_segments`: one segment unaccented, three with diacritics) and points
to the tracking page for details; the e-mail carries the full text.
"""

from __future__ import annotations

import logging
import unicodedata
from collections import deque
from collections.abc import Iterable
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


# Punctuation that word processors and phone keyboards put into reasons and agency names. Any one of
# them left in a text makes the whole SMS UCS-2 (70 characters instead of 160), so they get their
# plain equivalents; ``ascii_fold`` applies this after the diacritics are gone.
_TYPOGRAPHIC = str.maketrans({
    **dict.fromkeys("“”„‟«»″〝〞＂", '"'),
    **dict.fromkeys("‘’‚‛‹›′`´", "'"),
    **dict.fromkeys("‐‑‒–—―−﹣－", "-"),
    "…": "...", "•": "-", "·": "-", "×": "x", "≤": "<=", "≥": ">=", "€": "EUR", "№": "No", "⁄": "/",
    # No-break, narrow, thin, figure, ideographic spaces and the like; tabs too.
    **dict.fromkeys("\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                    "\u202f\u205f\u3000", " "),
    # Invisible: zero-width space/joiners, word joiner, byte-order mark, soft hyphen.
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad"),
})


def _ascii_char(ch: str) -> str:
    """A character left outside plain ASCII after folding: its compatibility form when that is ASCII
    (full-width letters, ligatures, superscripts), else ``?``, so the loss shows instead of hiding."""
    if ch in "\n\r":
        return ch
    if unicodedata.category(ch) in ("Cc", "Cf"):
        return ""  # control and format characters print nothing on a phone
    compat = unicodedata.normalize("NFKD", ch)
    compat = "".join(c for c in compat if not unicodedata.combining(c)).translate(_TYPOGRAPHIC)
    return compat if compat and compat.isascii() and compat.isprintable() else "?"


def ascii_fold(text: str) -> str:
    """Vietnamese without diacritics, case kept: ``"Hồ sơ Đã tiếp nhận"`` → ``"Ho so Da tiep nhan"``.

    The result is plain printable ASCII (and line breaks), hence always GSM-7: typographic quotes,
    dashes, ellipsis and unusual spaces become their ASCII forms, anything else without one ``?``.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_TYPOGRAPHIC)
    if folded.isascii() and folded.isprintable():
        return folded
    return "".join(ch if " " <= ch <= "~" else _ascii_char(ch) for ch in folded)


def sms_segments(text: str) -> int:
    """How many SMS a text costs: GSM-7 160/153 characters, otherwise UCS-2 70/67 (UTF-16 units)."""
    if all(ch in _GSM7 or ch in _GSM7_EXTENDED for ch in text):
        units, single, part = sum(2 if ch in _GSM7_EXTENDED else 1 for ch in text), 160, 153
    else:
        units, single, part = len(text.encode("utf-16-le")) // 2, 70, 67
    if units <= single:
        return 1
    return -(-units // part)


def sms_ascii_only() -> bool:
    """Whether texts go out without diacritics: ``TINHSO_SMS_OPTIONS["ascii_only"]`` if given, else
    ``TINHSO_SMS_ASCII`` (default on: brandname gateways bill or refuse Unicode)."""
    options = getattr(settings, "TINHSO_SMS_OPTIONS", {}) or {}
    if "ascii_only" in options:
        return bool(options["ascii_only"])
    return bool(getattr(settings, "TINHSO_SMS_ASCII", True))


def sms_as_sent(text: str) -> str:
    """``text`` as the configured provider will send it (folded or NFC)."""
    return ascii_fold(text) if sms_ascii_only() else unicodedata.normalize("NFC", text)


def sms_max_segments() -> int:
    """How many segments one text may cost: ``TINHSO_SMS_MAX_SEGMENTS`` when set (0 or unset: automatic),
    else 1 unaccented and 3 with diacritics. One UCS-2 segment (70 characters) holds no dossier text
    with its code and link, so a limit of 1 would always send the briefest form; 3 (201 characters)
    keeps about the detail one unaccented segment carries."""
    configured = int(getattr(settings, "TINHSO_SMS_MAX_SEGMENTS", 0) or 0)
    if configured > 0:
        return configured
    return 1 if sms_ascii_only() else 3


def sms_fit(candidates: Iterable[str]) -> str:
    """The first of ``candidates`` (most detailed first) that goes out within :func:`sms_max_segments`;
    when none does, the one costing the fewest segments, and a warning: the shortest form of every
    dossier text fits, so a province's own wording is too long."""
    texts = [text for text in candidates if text]
    if not texts:
        return ""
    limit = sms_max_segments()
    for text in texts:
        if sms_segments(sms_as_sent(text)) <= limit:
            return text
    best = min(texts, key=lambda text: (sms_segments(sms_as_sent(text)), len(text)))
    logger.warning("SMS text needs %s segments even in its shortest form (at most %s wanted): %s",
                   sms_segments(sms_as_sent(best)), limit, best)
    return best


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
    options["ascii_only"] = sms_ascii_only()
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, SmsProvider)):
        raise TypeError(f"TINHSO_SMS_PROVIDER {path!r} is not an SmsProvider subclass")
    return cls(**options)


__all__ = [
    "LoggingSmsProvider", "SentSms", "SmsProvider", "ascii_fold", "sms_as_sent", "sms_ascii_only", "sms_fit",
    "sms_max_segments", "sms_provider", "sms_segments",
]
