"""Markup in plain-text input: detect HTML tags so services can refuse them, or strip them for display.

Citizens' text (feedback, comments of ratings) is shown on public pages and sent by e-mail; it is
plain text. ``has_markup`` finds real tags (``<b>``, ``<script …>``, ``<!-- -->``) with the standard
HTML parser, so a harmless "a < b" or "<3" is not taken for markup.
"""

from __future__ import annotations

from html.parser import HTMLParser

from tinhso.core.errors import ValidationFailed

__all__ = ["has_markup", "markup_refuse", "strip_markup"]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = 0
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags += 1
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        self.tags += 1
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_startendtag(self, tag, attrs):
        self.tags += 1

    def handle_comment(self, data):
        self.tags += 1

    def handle_decl(self, decl):
        self.tags += 1

    def handle_pi(self, data):
        self.tags += 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _parse(text: str) -> _Collector:
    parser = _Collector()
    parser.feed(text or "")
    parser.close()
    return parser


def has_markup(text: str | None) -> bool:
    """True when ``text`` holds at least one HTML tag, comment or declaration."""
    if not text:
        return False
    return "<" in text and _parse(text).tags > 0


def strip_markup(text: str | None) -> str:
    """The text without tags (and without the content of ``script``/``style``)."""
    if not text or "<" not in text:
        return text or ""
    return "".join(_parse(text).parts)


def markup_refuse(text: str | None, *, field: str, label: str, code: str = "text_markup_not_allowed") -> str:
    """Return ``text`` unchanged, or raise ``ValidationFailed`` (``code``) naming the field."""
    if has_markup(text):
        raise ValidationFailed(
            f"{label} không được chứa mã HTML (thẻ <…>). Vui lòng nhập văn bản thường.", code=code,
            errors=[{"field": field, "message": "Không được chứa mã HTML.", "type": code}])
    return text or ""
