"""Template helpers shared by the citizen pages and the staff pages: ``{% load web_ui %}``.

``{% form_field form.phone %}`` renders one labelled input whose help text and error are wired to it
with ``aria-describedby`` (WCAG 1.3.1, 3.3.1); ``{% radio_field form.gender %}`` does the same for a
group of radio buttons inside a ``fieldset``/``legend``; ``{{ dossier.status|status_label }}`` gives
the status of ``dossiers.status`` (the one mapping) in the page's language; ``{{ x.get_kind_display|choice_label }}``
translates any other choice label (``web.labels``).
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext

from tinhso.catalog.templatetags.catalog_tags import number as _number
from tinhso.dossiers.cases import document_case_is_alternative
from tinhso.dossiers.status import Status, Verdict
from tinhso.web.labels import OUTCOME_CONTEXT, STATUS_CONTEXT
from tinhso.web.labels import choice_label as _choice_label
from tinhso.workdays.calculator import VIETNAM
from tinhso.workdays.choices import TimeUnit

register = template.Library()


def _described_by(bound) -> tuple[str, str]:
    help_id = f"{bound.auto_id}-help" if bound.help_text else ""
    error_id = f"{bound.auto_id}-error" if bound.errors else ""
    return help_id, error_id


@register.inclusion_tag("web/_form_field.html")
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


@register.inclusion_tag("web/_radio_field.html")
def radio_field(bound):
    """A group of radio buttons in a fieldset whose legend is the field's label."""
    help_id, error_id = _described_by(bound)
    return {"f": bound, "help_id": help_id, "error_id": error_id,
            "described": " ".join(part for part in (help_id, error_id) if part)}


@register.filter
def status_label(value: str) -> str:
    try:
        return _choice_label(Status(value).label, STATUS_CONTEXT)
    except ValueError:
        return value or ""


@register.filter
def choice_label(value, context: str = "") -> str:
    """A Vietnamese choice label (``get_level_display``, ``status_label`` of a selector…) in the page's
    language; the enums themselves stay Vietnamese for the forms and the API (``web.labels``).
    ``|choice_label:"status"`` and ``|choice_label:"outcome"`` pick the wording of a status or outcome."""
    return _choice_label(value, _CONTEXTS.get(context, context))


_CONTEXTS = {"status": STATUS_CONTEXT, "outcome": OUTCOME_CONTEXT}


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
        return _choice_label(Verdict(value).label)
    except ValueError:
        return ""


@register.filter
def file_size(value) -> str:
    """``1234567`` → ``1,2 MB`` (Django's filesizeformat with the Vietnamese decimal comma)."""
    return filesizeformat(value or 0)


# One message per unit so that English gets its plural ("1 working day", "3 working days").
_DURATIONS = {
    TimeUnit.WORKING_DAYS: lambda n: ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", n),
    TimeUnit.WORKING_HOURS: lambda n: ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", n),
    TimeUnit.DAYS: lambda n: ngettext("%(n)s ngày", "%(n)s ngày", n),
    TimeUnit.HOURS: lambda n: ngettext("%(n)s giờ", "%(n)s giờ", n),
    TimeUnit.MONTHS: lambda n: ngettext("%(n)s tháng", "%(n)s tháng", n),
}


@register.simple_tag
def duration(value, unit) -> str:
    """``{% duration version.processing_time_value version.processing_time_unit %}`` → "3 ngày làm việc"
    (English "3 working days", "1 working day", "0,5 working days"); "" when the value or unit is unknown."""
    if value is None or value == "" or unit not in _DURATIONS:
        return ""
    shown = _number(value)  # the decimal comma in both languages, like dates and money
    return _DURATIONS[unit](1 if shown == "1" else 2) % {"n": shown}


@register.filter
def appointment(value) -> str:
    """``{{ dossier.due_at|appointment }}`` → "16:30 ngày 05/03/2026" (English "16:30 on 05/03/2026"), Vietnam
    time, in a ``<time>`` element; "" without a date. The hour matters as much as the day (a dossier due
    at 16:30 is not ready in the morning), and the receipt Mẫu 01 states it in this order ("16 giờ 30
    phút, ngày 05 tháng 3 năm 2026"), so the page and the paper the applicant holds agree."""
    if not value:
        return ""
    local = value.astimezone(VIETNAM)
    text = gettext("%(time)s ngày %(date)s") % {"time": f"{local:%H:%M}", "date": f"{local:%d/%m/%Y}"}
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), text)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.inclusion_tag("web/_submit_online.html")
def online_submission_button(version):
    """"Nộp hồ sơ trực tuyến" on a procedure page, when the procedure takes dossiers online now."""
    from tinhso.web.display import online_submission_open

    return {"version": version, "open": online_submission_open(version)}


@register.filter
def mask_id(value: str) -> str:
    """Staff lists show ``0010****2345`` (DESIGN §5.10); the full number is on the logged detail page."""
    from tinhso.dossiers.selectors import mask_id_number

    return mask_id_number(value or "")


@register.filter
def mask_tax(value: str) -> str:
    """Tax codes too: an individual's is a personal number (``dossiers.selectors.mask_tax_code``)."""
    from tinhso.dossiers.selectors import mask_tax_code

    return mask_tax_code(value or "")


@register.filter
def mask_phone(value: str) -> str:
    from tinhso.dossiers.selectors import mask_phone as mask

    return mask(value or "")


@register.filter
def alternative_case(case_name: str) -> bool:
    """``{% if case|alternative_case %}``: a group of papers the applicant chooses among (a "trường
    hợp"), not a heading such as "Giấy tờ phải nộp" that everybody files (``dossiers.cases``)."""
    return document_case_is_alternative(case_name)


@register.filter
def iso_time(value) -> str:
    """An ISO 8601 timestamp as the API shapes give it (``2026-12-08T03:57:12+07:00``), shown the
    Vietnamese way in Vietnam time: ``03:57 08/12/2026``. Empty or unreadable values show as ``—``."""
    from datetime import datetime

    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return "—"
    if moment.tzinfo is not None:
        moment = moment.astimezone(VIETNAM)
    return moment.strftime("%H:%M %d/%m/%Y")
