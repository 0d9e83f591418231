"""Template helpers of the catalogue: the e-form renderer and small display filters."""

from __future__ import annotations

from decimal import Decimal

from django import template

from tinhso.catalog.choices import OnlineLevel, TimeUnit
from tinhso.catalog.eforms import eform_fields as _eform_fields
from tinhso.catalog.legal import legal_item_label

register = template.Library()


@register.inclusion_tag("catalog/eform/fields.html")
def eform_fields(schema, data=None, errors=None, disabled=False, readonly=frozenset()):
    """Render a checked e-form schema as accessible fields (labels, help, errors, required marks).

    ``{% eform_fields version.eform_schema request.POST errors %}`` inside the caller's
    ``<form>``; the dossier app validates the same POST with ``catalog.eforms.eform_validate``.
    ``readonly``: names of the identity fields locked to the applicant's account (``eforms.eform_prefill``).
    """
    return {"fields": _eform_fields(schema or {}, data, errors, readonly or frozenset()), "disabled": disabled}


@register.filter
def legal_label(item) -> str:
    """One legal basis as a citation (catalog.legal): "Luật số 60/2014/QH13"."""
    return legal_item_label(item)


@register.filter
def number(value) -> str:
    """``Decimal("0.50")`` → ``"0,5"``; ``Decimal("3")`` → ``"3"`` (Vietnamese decimal comma)."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", ",")


@register.simple_tag
def processing_time(version) -> str:
    """``"3 ngày làm việc"``, or the original text when no unit is known."""
    if version.processing_time_value is None or not version.processing_time_unit:
        return ""
    return f"{number(version.processing_time_value)} {TimeUnit(version.processing_time_unit).label}"


@register.filter
def online_badge_class(level: str) -> str:
    return {OnlineLevel.FULL: "ok", OnlineLevel.PARTIAL: "warn"}.get(level, "none")


@register.filter
def get_item(mapping, key):
    """``{{ labels|get_item:step.role }}``: a dict lookup by a variable key."""
    return mapping.get(key, key) if hasattr(mapping, "get") else key
