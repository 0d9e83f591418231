"""Staff pages. The dashboard shows where the officer may act (agencies, departments, roles) and how
much waits for them: online dossiers to receive, their queue, at risk, overdue."""

from __future__ import annotations

from itertools import groupby

from django.shortcuts import render

from tinhso.backoffice.access import staff_required
from tinhso.core.errors import DomainError
from tinhso.dossiers.selectors import work_queue
from tinhso.dossiers.status import Status
from tinhso.org.selectors import memberships_active

__all__ = ["dashboard", "staff_required"]


def _counts(user) -> tuple[dict[str, int] | None, str]:
    """Four numbers, each one ``work_queue`` count (page size 1: only the count is wanted), or the
    reason they cannot be counted (an agency without a working calendar)."""
    def count(**filters) -> int:
        return work_queue(actor=user, page_size=1, **filters).count

    try:
        return {"reception": count(status=Status.SUBMITTED), "queue": count(), "at_risk": count(flag="at_risk"),
                "overdue": count(flag="overdue")}, ""
    except DomainError as exc:
        return None, exc.detail


@staff_required
def dashboard(request):
    memberships = list(memberships_active(user=request.user))
    agencies = [
        {"agency": agency, "memberships": list(rows)}
        for agency, rows in groupby(memberships, key=lambda m: m.agency)
    ]
    counts, problem = _counts(request.user) if memberships else (None, "")
    is_reception = any(m.role == "reception" for m in memberships)
    return render(request, "backoffice/dashboard.html",
                  {"agencies": agencies, "counts": counts, "counts_problem": problem, "is_reception": is_reception})
