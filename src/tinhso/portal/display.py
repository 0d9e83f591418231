"""Display-only reads for the citizen pages: which button to show, the wizard's steps, the e-form's
answers as label/value pairs. No rule decided here is enforced here: the dossier services check
everything again when the citizen saves or submits (docs/portal.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from tinhso.catalog.choices import AgencyRole, OnlineLevel
from tinhso.catalog.choices import Channel as CatalogChannel
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


def receiving_agencies(version) -> list:
    return [link.agency for link in version.agency_links.all() if link.role == AgencyRole.RECEIVING]


@dataclass(frozen=True)
class WizardStep:
    slug: str
    title: str


INFO = WizardStep("thong-tin", _("Cơ quan tiếp nhận và người nộp"))
EFORM = WizardStep("to-khai", _("Tờ khai điện tử"))
DOCUMENTS = WizardStep("giay-to", _("Thành phần hồ sơ"))
REVIEW = WizardStep("xac-nhan", _("Kiểm tra và nộp hồ sơ"))


def wizard_steps(version) -> list[WizardStep]:
    """Four steps, or three when the procedure has no e-form."""
    return [INFO, EFORM, DOCUMENTS, REVIEW] if version.eform_schema else [INFO, DOCUMENTS, REVIEW]


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
