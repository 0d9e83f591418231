"""Turning form errors and service errors into what the pages show: messages next to the fields and
an error summary at the top whose links move the focus to each field (WCAG 3.3.1)."""

from __future__ import annotations

from django import forms

from tinhso.core.errors import DomainError


def summary_of(form: forms.Form | None, *extra: dict) -> list[dict]:
    """[{id, message}] for every error of ``form`` (non-field errors without a link), then ``extra``."""
    items: list[dict] = []
    if form is not None and form.is_bound:
        for message in form.non_field_errors():
            items.append({"id": "", "message": message})
        for name, errors in form.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                continue
            bound = form[name]
            for message in errors:
                items.append({"id": bound.auto_id, "message": message})
    items.extend(extra)
    return items


def attach(form: forms.Form, exc: DomainError, fields_by_code: dict[str, str]) -> None:
    """Put a service error on the field it is about: the ``errors`` list of the exception names
    fields (``applicant.phone``), else its ``code`` is looked up in ``fields_by_code``; what cannot
    be placed becomes a form-wide error."""
    placed = False
    for item in exc.errors or []:
        name = str(item.get("field", "")).rsplit(".", 1)[-1]
        if name in form.fields:
            form.add_error(name, item.get("message") or exc.detail)
            placed = True
    if placed:
        return
    name = fields_by_code.get(exc.code)
    if name and name in form.fields:
        form.add_error(name, exc.detail)
    else:
        form.add_error(None, exc.detail)
