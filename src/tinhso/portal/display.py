"""Display-only reads for the citizen pages: the wizard's steps and its receiving agencies (the button
and the e-form's answers, which staff pages show too, are in ``web.display``). No rule decided here is
enforced here: the dossier services check everything again when the citizen saves or submits
(docs/portal.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tinhso.catalog.choices import AgencyRole


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
