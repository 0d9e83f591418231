"""Display-only reads that citizen and staff pages share: whether a procedure takes dossiers online now
(the button on its page) and the e-form's answers as label/value pairs. No rule decided here is
enforced here: the dossier services check everything again when a dossier is saved or submitted."""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from tinhso.catalog.choices import Channel as CatalogChannel
from tinhso.catalog.choices import OnlineLevel
from tinhso.catalog.eforms import eform_fields


def online_submission_open(version) -> bool:
    """Show "Nộp hồ sơ trực tuyến" when the version is complete, offered online (full or partial) and
    not restricted to other channels — the same facts ``dossier_draft_save`` checks."""
    if version is None or not version.is_complete:
        return False
    if version.online_level not in (OnlineLevel.FULL, OnlineLevel.PARTIAL):
        return False
    channels = version.submission_channels or []
    return not channels or CatalogChannel.ONLINE in channels



class EformAnswer(NamedTuple):
    question: str
    answer: str
    translated: bool  # "Có"/"Không" of a tick box, in the page's language; the rest is Vietnamese data


def eform_answers(schema: dict | None, data: dict | None) -> list[EformAnswer]:
    """The e-form's answers in form order, choices shown by their label."""
    if not schema:
        return []
    answers = []
    for field in eform_fields(schema, data or {}):
        value = field.value
        if field.widget == "checkbox":
            shown = str(_("Có")) if value in (True, "on", "true") else str(_("Không"))
        elif field.choices:
            shown = next((label for key, label in field.choices if key == value), value or "")
        elif field.widget == "date" and isinstance(value, str) and len(value) == 10 and value[4] == "-":
            shown = f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
        else:
            shown = "" if value is None else str(value)
        answers.append(EformAnswer(field.title, shown, field.widget == "checkbox"))
    return answers
