"""Template helpers shared by the citizen pages and the staff pages: ``{% load portal_ui %}``.

``{% form_field form.phone %}`` renders one labelled input whose help text and error are wired to it
with ``aria-describedby`` (WCAG 1.3.1, 3.3.1); ``{% radio_field form.gender %}`` does the same for a
group of radio buttons inside a ``fieldset``/``legend``; ``{{ dossier.status|status_label }}`` gives
the Vietnamese status of ``dossiers.status`` (the one mapping).
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import filesizeformat

from tinhso.dossiers.status import Status, Verdict

register = template.Library()


def _described_by(bound) -> tuple[str, str]:
    help_id = f"{bound.auto_id}-help" if bound.help_text else ""
    error_id = f"{bound.auto_id}-error" if bound.errors else ""
    return help_id, error_id


@register.inclusion_tag("portal/_form_field.html")
def form_field(bound, hint: str = ""):
    """One field: label (with the required mark), help text, error, then the widget."""
    help_id, error_id = _described_by(bound)
    attrs = {}
    described = " ".join(part for part in (help_id, error_id) if part)
    if described:
        attrs["aria-describedby"] = described
    if bound.errors:
        attrs["aria-invalid"] = "true"
    if bound.field.required:
        attrs["aria-required"] = "true"
    return {"f": bound, "widget": bound.as_widget(attrs=attrs), "help_id": help_id, "error_id": error_id,
            "hint": hint}


@register.inclusion_tag("portal/_radio_field.html")
def radio_field(bound):
    """A group of radio buttons in a fieldset whose legend is the field's label."""
    help_id, error_id = _described_by(bound)
    return {"f": bound, "help_id": help_id, "error_id": error_id,
            "described": " ".join(part for part in (help_id, error_id) if part)}


@register.filter
def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value or ""


@register.filter
def status_class(value: str) -> str:
    """A colour class for a status badge; the text always says the status too (not colour alone)."""
    return {
        Status.RECEIVED: "ok", Status.RESOLVED: "ok", Status.RETURNED: "ok",
        Status.SUPPLEMENT_REQUESTED: "warn", Status.PAYMENT_REQUESTED: "warn", Status.DRAFT: "none",
        Status.REFUSED: "late", Status.STOPPED: "late", Status.WITHDRAWN: "none",
    }.get(value, "info")


@register.filter
def verdict_class(value: str) -> str:
    return {Verdict.EARLY: "ok", Verdict.ON_TIME: "ok", Verdict.LATE: "late"}.get(value, "none")


@register.filter
def verdict_label(value: str) -> str:
    try:
        return str(Verdict(value).label)
    except ValueError:
        return ""


@register.filter
def file_size(value) -> str:
    """``1234567`` → ``1,2 MB`` (Django's filesizeformat with the Vietnamese decimal comma)."""
    return filesizeformat(value or 0)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.inclusion_tag("portal/_submit_online.html")
def online_submission_button(version):
    """"Nộp hồ sơ trực tuyến" on a procedure page, when the procedure takes dossiers online now."""
    from tinhso.portal.display import online_submission_open

    return {"version": version, "open": online_submission_open(version)}


@register.filter
def mask_id(value: str) -> str:
    """Staff lists show ``0010****2345`` (DESIGN §5.10); the full number is on the logged detail page."""
    from tinhso.dossiers.selectors import mask_id_number

    return mask_id_number(value or "")


@register.filter
def mask_phone(value: str) -> str:
    from tinhso.dossiers.selectors import mask_phone as mask

    return mask(value or "")
