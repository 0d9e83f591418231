"""The one-stop shop's action registry: every action a person can take on a dossier, in the order
the pages show them. ``perform`` = lock (``SELECT … FOR UPDATE``) → ``expected_version`` → check →
execute, in one transaction (``core.actions``)."""

from __future__ import annotations

from tinhso.core.actions import ActionRegistry
from tinhso.dossiers.actions import lifecycle, processing, reception, results
from tinhso.dossiers.actions.base import DossierContext
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.permissions import actor_context
from tinhso.dossiers.services.common import dossier_lock, dossier_stale


def dossier_context(actor, dossier: Dossier) -> DossierContext:
    return DossierContext(actor=actor, roles=actor_context(actor), dossier=dossier)


dossier_actions: ActionRegistry[Dossier, DossierContext] = ActionRegistry(
    domain="dossiers", context=dossier_context, lock=dossier_lock, version_of=lambda dossier: dossier.version,
    stale=dossier_stale,
)

# Display order of the buttons (the API's ``available_actions`` keeps it too).
for _action in (
    reception.Receive, reception.RequestSupplement, reception.Refuse, reception.SubmitSupplement,
    processing.Forward, processing.Assign, processing.SendBack, processing.RequestPayment, processing.Consult,
    processing.Approve, processing.Sign, processing.Deny,
    results.GenerateResult, results.AttachResult, results.IssueResult,
    processing.PaymentConfirm, processing.PaymentWaive, processing.AnswerConsultation,
    results.ReturnResult,
    lifecycle.IssueApology, lifecycle.Stop, lifecycle.Withdraw,
):
    dossier_actions.register(_action)
