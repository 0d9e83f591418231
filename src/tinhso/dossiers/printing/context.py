"""What a form template is given: the ``FormIssue`` snapshot turned into printable values
(vn-standards §4.2), or — for the handover log — the live ``Handover`` rows.

Wording stays in the templates (``dossiers/templates/dossiers/forms/<form set>/<kind>.html``); this
module only prepares values: times in words ("08 giờ 30 phút, ngày 05 tháng 01 năm 2026"), the
processing time ("05 ngày làm việc"), fees (``1.250.000 đ``), the tracking link of the QR code.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tinhso.core.errors import NotFound
from tinhso.core.money import format_vnd
from tinhso.core.text import date_words, fold
from tinhso.dossiers.agencies import solving_agency
from tinhso.dossiers.models import Dossier, FormIssue, Handover
from tinhso.dossiers.status import Channel, Verdict
from tinhso.dossiers.tracking import tracking_url
from tinhso.org.models import Agency
from tinhso.org.places import place_of

FORM_SETS = ("tt01_2018", "tt03_2025")
DEFAULT_FORM_SET = "tt03_2025"

# API slugs and FormIssue kinds are both accepted.
KIND_ALIASES = {"supplement-request": "supplement_request", "handover-log": "handover_log"}


def kind_clean(kind: str) -> str:
    """``FormIssue.Kind`` value of a kind or its API slug; ``NotFound`` (``form_not_found``) otherwise."""
    value = KIND_ALIASES.get(str(kind), str(kind))
    if value not in FormIssue.Kind.values:
        raise NotFound(f"Không có loại phiếu “{kind}”.", code="form_not_found")
    return value


def form_set_of(dossier: Dossier) -> str:
    """The dossier's form set (``Regulation.form_set``), or the one in force when it arrived."""
    if dossier.regulation_id and dossier.regulation.form_set:
        return dossier.regulation.form_set
    from tinhso.dossiers.regulations import regulation_in_force

    try:
        return regulation_in_force(dossier.received_at or dossier.submitted_at).form_set or DEFAULT_FORM_SET
    except NotFound:
        return DEFAULT_FORM_SET


def template_names(form_set: str, name: str) -> list[str]:
    """Templates to try for ``name`` in ``form_set``: the set's own, then — for a province's variant
    named after a standard set (``tt03_2025-phutho``) — the standard set's."""
    names = [f"dossiers/forms/{form_set}/{name}.html"]
    names += [f"dossiers/forms/{base}/{name}.html" for base in FORM_SETS if form_set != base and form_set.startswith(base)]
    return names


# --- values in words --------------------------------------------------------------------------------


def moment(value) -> datetime | None:
    """A snapshot time (ISO 8601 text) or a datetime as an aware datetime; ``None`` when empty."""
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    parsed = parse_datetime(str(value))
    if parsed is None:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def time_words(value) -> str:
    """``"08 giờ 30 phút, ngày 05 tháng 01 năm 2026"`` (Mẫu 01 items 4 and 5, Mẫu 05/06)."""
    at = moment(value)
    if at is None:
        return ""
    local = timezone.localtime(at)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, {date_words(local)}"


def day_words(value) -> str:
    at = moment(value)
    return date_words(at) if at is not None else ""


def duration_words(value, unit_label: str) -> str:
    """``Decimal("5.00"), "ngày làm việc"`` → ``"05 ngày làm việc"``; ``0.5`` → ``"0,5 ngày làm việc"``."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    if amount == amount.to_integral_value():
        number = f"{int(amount):02d}"
    else:
        number = f"{amount.normalize():f}".replace(".", ",")
    return f"{number} {unit_label}".strip()


# --- the issuing agency --------------------------------------------------------------------------------


def _agency_by_code(code: str | None) -> Agency | None:
    if not code:
        return None
    return Agency.objects.select_related("administrative_unit", "parent__administrative_unit").filter(code=code).first()


# Words that start the place part of a name ("Sở Tư pháp tỉnh Phú Thọ") and small words of a name:
# neither is part of the abbreviation.
_PLACE_WORDS = {"tỉnh", "thành", "phường", "xã", "huyện", "quận", "thị", "đặc"}
_SMALL_WORDS = {"và", "của"}


def notation_of(short_name: str) -> str:
    """The ký hiệu after a form's number ("Số: 01/STC", NĐ 30/2020 Điều 15, vn-standards §7.2): the
    issuing agency's abbreviation, in capitals and without spaces. ``Agency.short_name`` often holds a
    short name instead ("Sở Tài chính", "TTPVHCC phường Việt Trì"): acronyms in it are kept whole,
    other words give their initial (Đ stays Đ), and the place part ("tỉnh Phú Thọ") is left out."""
    words = (short_name or "").split()
    if len(words) <= 1:
        return short_name or ""
    letters = []
    for word in words:
        if word.lower() in _PLACE_WORDS:
            break
        if word.lower() in _SMALL_WORDS:
            continue
        letters.append(word if word.isupper() and len(word) > 1 else
                       ("Đ" if word[0] in "Đđ" else fold(word[0]).upper()))
    return "".join(letters) or short_name


def _agency_values(snapshot: dict) -> dict:
    """The snapshot's agency, completed from the live row with what the snapshot does not hold
    (place name, short name used as the notation of the form number)."""
    values = dict(snapshot or {})
    live = _agency_by_code(values.get("code"))
    values.setdefault("place", place_of(live))
    values.setdefault("short_name", live.short_name if live is not None else "")
    if not values.get("parent_name") and live is not None and live.parent_id:
        values["parent_name"] = live.parent.name
    return values


# --- issued forms ----------------------------------------------------------------------------------------


def _documents(dossier: Dossier, rows: list[dict]) -> list[dict]:
    """Thành phần hồ sơ of Mẫu 01: name, bản chính/bản sao and quantity. The snapshot holds the
    names and file counts; the copy kind and quantity come from the (immutable) procedure version."""
    catalogue = {doc.name: doc for doc in dossier.procedure_version.documents.all()}
    documents = []
    for row in rows or []:
        name = row.get("name", "")
        doc = catalogue.get(name)
        quantity = row.get("quantity")
        if quantity is None and doc is not None:
            quantity = doc.quantity or (doc.original_qty + doc.copy_qty) or None
        documents.append({
            "name": name,
            "copy": row.get("copy") or (doc.get_original_or_copy_display() if doc is not None else ""),
            "quantity": quantity or row.get("files") or 1,
        })
    return documents


def _fees(dossier: Dossier, snapshot_fees) -> list[dict]:
    """Phí, lệ phí (nếu có): the snapshot's, else the procedure version's fees for this channel."""
    if snapshot_fees is not None:
        rows = snapshot_fees
    else:
        fee_channels: dict[str, str] = {Channel.COUNTER: "counter", Channel.ONLINE: "online", Channel.POST: "post"}
        fee_channel = fee_channels[dossier.channel]
        rows = [{"name": fee.name or fee.get_kind_display(), "amount": fee.amount, "rule": fee.rule_text}
                for fee in dossier.procedure_version.fees.all() if fee.channel in ("all", fee_channel)]
    fees = []
    for row in rows:
        amount = row.get("amount")
        fees.append({"name": row.get("name", ""), "amount": format_vnd(Decimal(str(amount))) if amount not in (None, "")
                     else "", "rule": row.get("rule", "")})
    return fees


def issue_context(form: FormIssue) -> dict:
    """Template context of an issued form, from its snapshot (``FormIssue.data``)."""
    data = form.data or {}
    dossier = form.dossier
    agency = _agency_values(data.get("agency") or {})
    code = data.get("dossier_code") or dossier.code
    number = int(data.get("number") or form.number)
    context = {
        "form": form,
        "kind": form.kind,
        "data": data,
        "page": "a5",
        "code": code,
        "agency": agency,
        "agency_name": agency.get("name", ""),
        "parent_agency_name": agency.get("parent_name", ""),
        "place": agency.get("place", ""),
        "date": moment(data.get("issued_at")) or form.issued_at,
        "number": f"{number:02d}/{notation_of(agency['short_name'])}" if agency.get("short_name") else f"{number:02d}",
        "form_number": number,
        "form_year": data.get("year") or form.year,
        "issued_by": data.get("issued_by", ""),
        "applicant": data.get("applicant") or {},
        "procedure": data.get("procedure") or {},
        "channel": data.get("channel") or dossier.channel,
        "online": (data.get("channel") or dossier.channel) == Channel.ONLINE,
        "qr_url": tracking_url(code),
        "qr_caption": "Tra cứu hồ sơ",
    }
    builder = _KIND_CONTEXT.get(form.kind)
    if builder is not None:
        context.update(builder(dossier, data))
    return context


def _receipt(dossier: Dossier, data: dict) -> dict:
    processing = data.get("processing_time") or {}
    return {
        "documents": _documents(dossier, data.get("documents") or []),
        "sets": data.get("sets") or 1,
        "processing_time": (duration_words(processing.get("value"), processing.get("unit_label", ""))
                            if processing.get("value") not in (None, "") else processing.get("text", "")),
        "received_words": time_words(data.get("received_at")),
        "due_words": time_words(data.get("due_at")),
        "received_by": data.get("received_by") or data.get("issued_by", ""),
        "return_at": data.get("return_at", "counter"),
        "fees": _fees(dossier, data.get("fees")),
    }


def _supplement(dossier: Dossier, data: dict) -> dict:
    return {
        "items": data.get("items") or [],
        "reason": data.get("reason", ""),
        "stage": data.get("stage", ""),
        "requested_by": data.get("requested_by") or data.get("issued_by", ""),
        "contact_phone": data.get("contact_phone", ""),
        "requested_words": time_words(data.get("requested_at")),
    }


def _refusal(dossier: Dossier, data: dict) -> dict:
    return {"reason": data.get("reason", ""), "refused_by": data.get("refused_by") or data.get("issued_by", "")}


def _apology(dossier: Dossier, data: dict) -> dict:
    return {
        "reason": data.get("reason", ""),
        "received_day": day_words(data.get("received_at") or dossier.received_at),
        "old_due_words": time_words(data.get("old_due_at")),
        "new_due_words": time_words(data.get("new_due_at")),
        "signer": data.get("signer") or data.get("issued_by", ""),
        "receiving_agency_name": dossier.receiving_agency.name if dossier.receiving_agency_id else "",
    }


def _stop(dossier: Dossier, data: dict) -> dict:
    return {
        "reason": data.get("reason", ""),
        "received_day": day_words(data.get("received_at") or dossier.received_at),
        "stopped_words": time_words(data.get("stopped_at")),
        "stopped_by": data.get("stopped_by") or data.get("issued_by", ""),
    }


def _withdrawal(dossier: Dossier, data: dict) -> dict:
    return {
        "reason": data.get("reason", ""),
        "received_day": day_words(data.get("received_at") or dossier.received_at),
        "submitted_day": day_words(data.get("submitted_at")),
        "withdrawn_words": time_words(data.get("withdrawn_at")),
        "withdrawn_by": data.get("withdrawn_by", ""),
        # Empty when the applicant withdrew online: the agency's seal signs, no officer's name.
        "signer": data.get("signer", ""),
        # The form number it is printed as ("05" if the province reads Mẫu 05 of TT 03/2025 as
        # covering it; empty: a plain notice), frozen at issue (TINHSO_WITHDRAWAL_FORM_NUMBER).
        "form_label": data.get("form_label", ""),
    }


_KIND_CONTEXT: dict[str, Callable[..., dict]] = {
    FormIssue.Kind.RECEIPT: _receipt,
    FormIssue.Kind.SUPPLEMENT_REQUEST: _supplement,
    FormIssue.Kind.REFUSAL: _refusal,
    FormIssue.Kind.APOLOGY: _apology,
    FormIssue.Kind.STOP: _stop,
    FormIssue.Kind.WITHDRAWAL: _withdrawal,
}


# --- handover log (live) ---------------------------------------------------------------------------------


def _person(user) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or getattr(user, "full_name", "") or user.get_username()


def handover_context(dossier: Dossier) -> dict:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05 of 2018 / 06 of 2025), from the
    ``Handover`` rows as they are now: one table row per handover."""
    rows = list(
        Handover.objects.filter(dossier=dossier).select_related("from_agency", "to_agency", "given_by", "taken_by")
        .order_by("seq")
    )
    receiving = dossier.receiving_agency
    work = [row for row in rows if row.step_code != "reception"]
    competent = solving_agency(handovers=rows, receiving=receiving)
    coordinating = []
    for row in work:
        agency = row.to_agency
        if agency.pk not in (competent.pk, receiving.pk) and agency not in coordinating:
            coordinating.append(agency)
    verdicts = dict(Verdict.choices)
    lines = []
    for row in rows:
        if row.step_code == "reception":
            giver = "Người nộp hồ sơ"
        else:
            giver = row.from_agency.name if row.from_agency_id else receiving.name
        lines.append({
            "seq": row.seq,
            "step_name": row.step_name,
            "giver": giver,
            "taker": row.to_agency.name,
            "given_by": _person(row.given_by),
            "taken_by": _person(row.taken_by),
            "given_words": time_words(row.given_at),
            "planned_words": time_words(row.planned_due_at),
            "finished_words": time_words(row.finished_at),
            "verdict": row.verdict,
            "verdict_label": str(verdicts.get(row.verdict, "")),
            "note": row.note,
        })
    header = _agency_values({"code": receiving.code, "name": receiving.name,
                             "parent_name": receiving.parent.name if receiving.parent is not None else ""})
    return {
        "kind": FormIssue.Kind.HANDOVER_LOG,
        "page": "a5",
        "code": dossier.code,
        "agency": header,
        "agency_name": header["name"],
        "parent_agency_name": header.get("parent_name", ""),
        "place": header.get("place", ""),
        "applicant": {"name": dossier.applicant_name, "address": dossier.applicant_address},
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure_version.name},
        "competent_agency": competent.name,
        "coordinating_agencies": [a.name for a in coordinating],
        "received_words": time_words(dossier.received_at),
        # The appointment given at receipt, and beside it the new one of an apology (Mẫu 04), if any.
        "due_words": time_words(dossier.original_due_at or dossier.due_at) if dossier.due_at else "",
        "rescheduled_words": time_words(dossier.due_at)
        if dossier.original_due_at and dossier.due_at and dossier.due_at != dossier.original_due_at else "",
        "rows": lines,
        "printed_at": timezone.now(),
        "qr_url": tracking_url(dossier.code),
        "qr_caption": "Tra cứu hồ sơ",
    }

