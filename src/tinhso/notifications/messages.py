"""Message texts from Django templates: ``notifications/<name>/subject.txt``, ``body.txt``, ``sms.txt``.

The wording lives in templates so that a province edits it without touching code (a template of the
same name in a directory listed earlier in ``TEMPLATES["DIRS"]`` wins). Rendered without HTML
escaping: these are plain-text messages, never HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.template import Context, Engine, TemplateDoesNotExist

from tinhso.core.text import nfc
from tinhso.notifications.sms import sms_fit

_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    sms: str


@cache
def _engine() -> Engine:
    configured = settings.TEMPLATES[0]
    return Engine(dirs=[str(d) for d in configured.get("DIRS", [])], app_dirs=True, autoescape=False,
                  libraries={"tinhso": "tinhso.core.templatetags.tinhso"})


def _render(name: str, context: dict) -> str:
    try:
        template = _engine().get_template(name)
    except TemplateDoesNotExist:
        return ""
    return nfc(template.render(Context(context)))


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", " ".join(text.split())).strip()


def _paragraphs(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.strip().splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def sms_render(*, template: str, context: dict, fallbacks: Sequence[dict] = ()) -> str:
    """``sms.txt`` of ``template`` in one line, short enough for one SMS if the wording allows.

    Rendered with ``context``, then with each of ``fallbacks`` merged into it (shorter variants: a
    shorter link, ``brief`` for the templates' ``{% if brief %}``), and the first that goes out as one
    segment is kept (``sms.sms_fit``): details such as a reason stay in the SMS when they fit.
    """
    name = f"notifications/{template}/sms.txt"
    return sms_fit(_one_line(_render(name, {**context, **extra})) for extra in ({}, *fallbacks))


def message_render(*, template: str, context: dict) -> Message:
    """Render the three parts of message ``template``; a missing part is ``""``.

    ``subject.txt`` and ``sms.txt`` are folded to one line; ``body.txt`` keeps its paragraphs.
    """
    base = f"notifications/{template}/"
    return Message(
        subject=_one_line(_render(base + "subject.txt", context)),
        body=_paragraphs(_render(base + "body.txt", context)),
        sms=_one_line(_render(base + "sms.txt", context)),
    )
