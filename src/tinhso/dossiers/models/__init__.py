"""Models of the one-stop shop (docs/dossiers.md)."""

from tinhso.dossiers.models.dossier import ApplicantKind, Dossier, DossierDocument
from tinhso.dossiers.models.records import (
    Consultation,
    DossierAccess,
    DossierAlert,
    DossierEvent,
    DossierPayment,
    FormIssue,
    Handover,
    SupplementRequest,
)
from tinhso.dossiers.models.regulation import Regulation

__all__ = [
    "ApplicantKind",
    "Consultation",
    "Dossier",
    "DossierAccess",
    "DossierAlert",
    "DossierDocument",
    "DossierEvent",
    "DossierPayment",
    "FormIssue",
    "Handover",
    "Regulation",
    "SupplementRequest",
]
