"""Models of the procedure catalogue (DESIGN §2: Procedure, ProcedureVersion, RequiredDocument, …)."""

from tinhso.catalog.models.procedures import (
    Fee,
    Procedure,
    ProcedureAgency,
    ProcedureVersion,
    RequiredDocument,
    SearchWord,
    Sector,
)
from tinhso.catalog.models.process import ProcessDefinition, Step, Transition

__all__ = [
    "Fee",
    "Procedure",
    "ProcedureAgency",
    "ProcedureVersion",
    "ProcessDefinition",
    "RequiredDocument",
    "SearchWord",
    "Sector",
    "Step",
    "Transition",
]
