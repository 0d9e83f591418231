"""Writes of the one-stop shop (docs/dossiers.md). Each service is one transaction: lock, permission,
state, new state, handover, timeline, audit entry, events."""

from tinhso.dossiers.services.actions import (
    ACTION_NAMES,
    ActionSpec,
    FieldSpec,
    dossier_action_perform,
    dossier_available_actions,
    dossier_request_supplement,
)
from tinhso.dossiers.services.lifecycle import dossier_issue_apology, dossier_stop, dossier_withdraw
from tinhso.dossiers.services.processing import (
    bulk_assign,
    dossier_approve,
    dossier_assign,
    dossier_consult,
    dossier_consultation_answer,
    dossier_deny,
    dossier_forward,
    dossier_issue_result,
    dossier_payment_confirm,
    dossier_payment_waive,
    dossier_request_payment,
    dossier_result_attach,
    dossier_return_result,
    dossier_send_back,
    dossier_sign,
)
from tinhso.dossiers.services.reception import dossier_receive, dossier_refuse, dossier_submit_supplement
from tinhso.dossiers.services.submission import (
    dossier_create,
    dossier_draft_delete,
    dossier_draft_save,
    dossier_intake,
    dossier_submit,
)
from tinhso.dossiers.services.sweep import dossiers_sweep

__all__ = [
    "ACTION_NAMES",
    "ActionSpec",
    "FieldSpec",
    "bulk_assign",
    "dossier_action_perform",
    "dossier_approve",
    "dossier_assign",
    "dossier_available_actions",
    "dossier_consult",
    "dossier_consultation_answer",
    "dossier_create",
    "dossier_deny",
    "dossier_draft_delete",
    "dossier_draft_save",
    "dossier_forward",
    "dossier_intake",
    "dossier_issue_apology",
    "dossier_issue_result",
    "dossier_payment_confirm",
    "dossier_payment_waive",
    "dossier_receive",
    "dossier_refuse",
    "dossier_request_payment",
    "dossier_request_supplement",
    "dossier_result_attach",
    "dossier_return_result",
    "dossier_send_back",
    "dossier_sign",
    "dossier_stop",
    "dossier_submit",
    "dossier_submit_supplement",
    "dossier_withdraw",
    "dossiers_sweep",
]
