"""One procedure as read from an import file, normalised to the catalogue's vocabulary.

Sources (docs/catalog.md, "Nhập, xuất"):

* full national records (``procedures.jsonl``, the DVCQG detail schema of ``shared/data``);
* index records (``procedures-index.jsonl``: code, name, level, kind, sector, agencies);
* either of them with a ``tinhso`` object: what the province adds (processing time in a unit,
  online level, e-form, process definition, agency links, popularity, notes…);
* rows of the Excel layout (``catalog.excel``).

``record_from_json`` raises ``RowRejected`` with the column and a Vietnamese reason; the importer
reports it and moves on to the next row.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from tinhso.catalog.choices import (
    PROCEDURE_CODE_PATTERN,
    AgencyRole,
    Channel,
    CollectedWhen,
    DocumentCopy,
    FeeChannel,
    FeeKind,
    Level,
    OnlineLevel,
    ProcedureKind,
    SourceRank,
    TimeUnit,
)
from tinhso.catalog.conditions import document_condition
from tinhso.catalog.legal import legal_item_parse
from tinhso.catalog.process import ProcessSpec, process_spec_from_json
from tinhso.core.errors import ValidationFailed
from tinhso.core.text import clean_text, nfc

CODE = re.compile(PROCEDURE_CODE_PATTERN)
# Data converted from legacy 8-bit fonts writes "ư" as U+01A3 (shared/data README); fixed on import.
_LEGACY_LETTERS = str.maketrans({"\u01a3": "ư", "\u01a2": "Ư"})

UNIT_WORDS = {
    "ngày làm việc": TimeUnit.WORKING_DAYS,
    "giờ làm việc": TimeUnit.WORKING_HOURS,
    "ngày": TimeUnit.DAYS,
    "ngày lịch": TimeUnit.DAYS,
    "giờ": TimeUnit.HOURS,
    "tháng": TimeUnit.MONTHS,
}
CHANNEL_WORDS = {"trực tiếp": Channel.DIRECT, "trực tuyến": Channel.ONLINE, "bưu chính": Channel.POST}
FEE_CHANNEL = {Channel.DIRECT: FeeChannel.COUNTER, Channel.ONLINE: FeeChannel.ONLINE, Channel.POST: FeeChannel.POST}
COPY_WORDS = {
    "bản chính": DocumentCopy.ORIGINAL,
    "bản sao": DocumentCopy.COPY,
    "bản chính và bản sao": DocumentCopy.ORIGINAL_AND_COPY,
    "bản chính hoặc bản sao": DocumentCopy.ORIGINAL_OR_COPY,
}


class RowRejected(Exception):
    """A row that cannot be imported: ``column`` names the field, ``reason`` says why (Vietnamese)."""

    def __init__(self, column: str, reason: str):
        super().__init__(f"{column}: {reason}")
        self.column = column
        self.reason = reason


@dataclass
class DocumentRecord:
    code: str
    name: str
    case_name: str = ""
    original_or_copy: str = DocumentCopy.ORIGINAL
    original_qty: int = 0
    copy_qty: int = 0
    quantity: int | None = None
    is_required: bool = True
    template_name: str = ""
    electronic_form: bool = False
    accepts: list[str] = field(default_factory=list)
    note: str = ""
    channels: list[str] = field(default_factory=list)
    replaced_by_eform: bool = False


@dataclass
class FeeRecord:
    kind: str
    amount: Decimal | None
    name: str = ""
    rule_text: str = ""
    collected_when: str = CollectedWhen.ON_SUBMISSION
    channel: str = FeeChannel.ALL
    description: str = ""


@dataclass
class ProcedureRecord:
    code: str
    name: str
    sector_name: str
    level: str
    level_text: str = ""
    sector_national_code: str = ""
    kind: str = ProcedureKind.STANDARD
    is_vertical: bool = False
    applicant_types: list[str] = field(default_factory=list)
    processing_time_value: Decimal | None = None
    processing_time_unit: str = ""
    processing_time_text: str = ""
    online_level: str = OnlineLevel.NONE
    legacy_online_level: int | None = None
    submission_channels: list[str] = field(default_factory=list)
    steps_text: str = ""
    conditions_text: str = ""
    result_text: str = ""
    results: list[dict] = field(default_factory=list)
    legal_basis: list[dict] = field(default_factory=list)
    fees_text: str = ""
    fees: list[FeeRecord] = field(default_factory=list)
    documents: list[DocumentRecord] = field(default_factory=list)
    document_notes: list[dict] = field(default_factory=list)
    agencies_text: list[str] = field(default_factory=list)
    competent_text: list[str] = field(default_factory=list)
    coordinating_text: list[str] = field(default_factory=list)
    receiving_address: str = ""
    keywords: str = ""
    notes: str = ""
    decision_ref: str = ""
    local_code: str = ""
    eform_schema: dict | None = None
    process: ProcessSpec | None = None
    agency_links: list[tuple[str, str]] = field(default_factory=list)  # (agency code, AgencyRole)
    popularity: int | None = None
    effective_from: date | None = None
    source_rank: int = SourceRank.MANUAL
    source: dict = field(default_factory=dict)

    def content_hash(self) -> str:
        """Hash of what a version would hold: equal hashes mean re-importing changes nothing."""
        content = asdict(self)
        for key in ("source", "source_rank", "popularity", "effective_from"):
            content.pop(key)
        content["process"] = self.process.as_json() if self.process else None
        text = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


# --- helpers ------------------------------------------------------------------------------------


def text(value) -> str:
    """One-line text: NFC, whitespace collapsed, legacy letters fixed."""
    return clean_text(value).translate(_LEGACY_LETTERS) if value is not None else ""


def long_text(value) -> str:
    """Multi-line text: NFC, lines trimmed, blank runs collapsed."""
    if value is None:
        return ""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in nfc(str(value)).splitlines()]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return out.translate(_LEGACY_LETTERS)


def text_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise TypeError
    return [t for t in (text(v).strip(", ").strip() for v in value) if t]


def level_parse(value) -> tuple[str, str]:
    """(Level, original text). Procedures of ministries or other bodies only are out of scope."""
    raw = text(value)
    lowered = raw.lower()
    province, commune = "cấp tỉnh" in lowered, "cấp xã" in lowered
    if not raw:
        raise RowRejected("level", "Thiếu cấp thực hiện.")
    if province and commune:
        return Level.BOTH, raw
    if province:
        return Level.PROVINCE, raw
    if commune:
        return Level.COMMUNE, raw
    if raw in Level.values:
        return raw, raw
    raise RowRejected(
        "level",
        f"Cấp thực hiện “{raw}” không có cấp tỉnh hoặc cấp xã: thủ tục không thuộc thẩm quyền giải quyết "
        "của tỉnh và các xã, phường nên không nhập vào danh mục.",
    )


def unit_parse(value, *, column: str) -> str:
    raw = text(value).lower()
    if not raw:
        return ""
    if raw in TimeUnit.values:
        return raw
    if raw in UNIT_WORDS:
        return UNIT_WORDS[raw]
    raise RowRejected(column, f"Đơn vị thời gian “{value}” không hợp lệ; dùng: {', '.join(TimeUnit.values)} "
                              "hoặc ngày làm việc / giờ làm việc / ngày / giờ / tháng.")


def decimal_parse(value, *, column: str, allow_none: bool = True) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise RowRejected(column, "Thiếu giá trị.")
    try:
        number = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation:
        raise RowRejected(column, f"“{value}” không phải là một số.") from None
    if not number.is_finite() or number < 0:
        raise RowRejected(column, f"“{value}” phải là số không âm.")
    return number


def channels_parse(value, *, column: str = "submission_channels") -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else value
    out: list[str] = []
    for item in items:
        raw = text(item).lower()
        if not raw:
            continue
        channel = raw if raw in Channel.values else CHANNEL_WORDS.get(raw)
        if channel is None:
            raise RowRejected(column, f"Cách thức nộp “{item}” không hợp lệ; dùng: trực tiếp, trực tuyến, bưu chính.")
        if channel not in out:
            out.append(channel)
    return out


def online_level_parse(value, *, column: str = "online_level") -> str:
    raw = text(value)
    if not raw:
        return ""
    upper = raw.upper()
    if upper in OnlineLevel.values:
        return upper
    words = {"toàn trình": OnlineLevel.FULL, "một phần": OnlineLevel.PARTIAL, "không": OnlineLevel.NONE}
    if raw.lower() in words:
        return words[raw.lower()]
    raise RowRejected(column, f"Mức độ dịch vụ công trực tuyến “{raw}” không hợp lệ; dùng FULL, PARTIAL hoặc NONE.")


def _legal_basis(raw: dict) -> list[dict]:
    details = raw.get("legal_basis_details")
    if isinstance(details, list) and details:
        return [
            {k: text(d.get(k)) for k in ("number", "title", "issuer", "issued", "effective", "url") if d.get(k)}
            for d in details if isinstance(d, dict)
        ]
    out = []
    for item in raw.get("legal_basis") or []:
        if isinstance(item, dict):
            out.append({k: text(v) for k, v in item.items() if v})
            continue
        number, sep, title = text(item).partition(" — ")
        out.append(legal_item_parse(number, title) if sep else legal_item_parse("", number))
    return out


def _fee_kind(*parts: str) -> str:
    joined = " ".join(p for p in parts if p).lower()
    if "lệ phí" in joined:
        return FeeKind.CHARGE
    if re.search(r"\bphí\b", joined):
        return FeeKind.FEE
    return FeeKind.CHARGE


def _fee_line(fees_text: str, channel_word: str, currency_hint: str) -> str:
    """The line of ``fees_text`` for a channel and currency (to keep the rule in words)."""
    for line in fees_text.splitlines():
        head, _, rest = line.partition(":")
        if channel_word.lower() in head.lower() and currency_hint.lower() in rest.lower():
            return text(rest)
    return ""


def fees_from_national(raw: dict, fees_text: str, channels: list[str]) -> list[FeeRecord]:
    """Fee lines of a DVCQG record, merged across channels when they are the same."""
    groups: dict[tuple, list[str]] = {}
    order: list[tuple] = []
    for entry in raw.get("fees") or []:
        if not isinstance(entry, dict):
            continue
        key = (entry.get("type"), entry.get("amount"), entry.get("currency"), text(entry.get("description")),
               entry.get("kind"), entry.get("collected_when"), text(entry.get("rule_text")), text(entry.get("name")))
        if key not in groups:
            groups[key] = []
            order.append(key)
        channel = CHANNEL_WORDS.get(text(entry.get("channel")).lower(), text(entry.get("channel")).lower())
        groups[key].append(channel)

    fees: list[FeeRecord] = []
    for key in order:
        _source_type, amount, currency, description, kind, collected_when, rule_text, name = key
        if amount is None and not description and not rule_text:
            continue  # "Không ghi phí, lệ phí"
        channel_list = groups[key]
        if set(channel_list) >= set(channels) or not channels:
            channel = FeeChannel.ALL
        elif len(channel_list) == 1 and channel_list[0] in FEE_CHANNEL:
            channel = FEE_CHANNEL[channel_list[0]]
        else:
            channel = FeeChannel.ALL
        value: Decimal | None = None
        currency_text = text(currency).lower()
        if amount is not None and (not currency_text or "đồng" in currency_text or "vnđ" in currency_text):
            value = Decimal(str(amount))
        elif amount is None and description:
            match = re.search(r"(\d[\d.]*)\s*(?:VNĐ|đồng)", description)
            value = Decimal(match.group(1).replace(".", "")) if match else None
        if value is not None and description.startswith("/"):
            # "2.000 đồng /trang": a unit price, so the amount is a rule, not a fixed sum.
            rule_text = rule_text or _fee_line(fees_text, _channel_word(channel_list[0]), "đồng") \
                or f"{value:,} đồng{description}".replace(",", ".")
            value = None
        elif amount is not None and value is None:
            rule_text = rule_text or _fee_line(fees_text, _channel_word(channel_list[0]), currency_text[:3]) \
                or f"{amount} {currency}{description}"
        fees.append(
            FeeRecord(
                kind=kind if kind in FeeKind.values else _fee_kind(description, rule_text, fees_text),
                amount=value,
                name=name,
                rule_text=rule_text,
                collected_when=collected_when if collected_when in CollectedWhen.values else CollectedWhen.ON_SUBMISSION,
                channel=channel,
                description="" if description.startswith("/") else description,
            )
        )
    return fees


def _fees_custom(entries: list) -> list[FeeRecord]:
    """Fee lines already in the catalogue's vocabulary (``tinhso.fees``, Excel rows)."""
    fees = []
    for index, entry in enumerate(entries, start=1):
        where = f"tinhso.fees[{index}]"
        if not isinstance(entry, dict):
            raise RowRejected(where, "Mỗi khoản phí phải là một đối tượng JSON.")
        for key, choices in (("kind", FeeKind), ("collected_when", CollectedWhen), ("channel", FeeChannel)):
            if entry.get(key) and entry[key] not in choices.values:
                raise RowRejected(f"{where}.{key}", f"Giá trị “{entry[key]}” không hợp lệ; dùng: {', '.join(choices.values)}.")
        fees.append(
            FeeRecord(
                kind=entry.get("kind") or FeeKind.CHARGE,
                amount=decimal_parse(entry.get("amount"), column=f"{where}.amount"),
                name=text(entry.get("name")),
                rule_text=long_text(entry.get("rule_text")),
                collected_when=entry.get("collected_when") or CollectedWhen.ON_SUBMISSION,
                channel=entry.get("channel") or FeeChannel.ALL,
                description=long_text(entry.get("description")),
            )
        )
    return fees


def _channel_word(channel: str) -> str:
    return {v: k for k, v in CHANNEL_WORDS.items()}.get(channel, channel)


def _channels(value, *, index: int) -> list[str]:
    if not isinstance(value, list) or any(c not in Channel.values for c in value):
        raise RowRejected("documents", f"Thành phần hồ sơ thứ {index}: “channels” chỉ nhận danh sách "
                                       f"{', '.join(Channel.values)}.")
    return [c for c in Channel.values if c in value]


def documents_from_national(raw: dict) -> list[DocumentRecord]:
    documents: list[DocumentRecord] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw.get("documents") or [], start=1):
        if not isinstance(entry, dict):
            raise RowRejected("documents", f"Thành phần hồ sơ thứ {index} không đúng định dạng.")
        name = text(entry.get("name"))
        name = re.sub(r"^[-+•]\s*", "", name)
        if not name:
            raise RowRejected("documents", f"Thành phần hồ sơ thứ {index} thiếu tên giấy tờ.")
        code = text(entry.get("component_code") or entry.get("code")) or f"TP{index:02d}"
        base, n = code, 2
        while code in seen:
            code, n = f"{base}-{n}", n + 1
        seen.add(code)
        copy_word = text(entry.get("original_or_copy")).lower()
        case = text(entry.get("group")).lstrip("* ").rstrip(":").strip()
        condition = document_condition(name)
        documents.append(
            DocumentRecord(
                code=code,
                name=name,
                case_name=case,
                original_or_copy=copy_word if copy_word in DocumentCopy.values else COPY_WORDS.get(copy_word, DocumentCopy.ORIGINAL),
                original_qty=int(entry.get("original_qty") or 0),
                copy_qty=int(entry.get("copy_qty") or 0),
                quantity=int(entry["quantity"]) if entry.get("quantity") is not None else None,
                is_required=bool(entry["is_required"]) if "is_required" in entry else not condition.conditional,
                template_name=text(entry.get("form_template_name") or entry.get("template_name")),
                electronic_form=bool(entry.get("electronic_form")),
                accepts=[str(a) for a in entry.get("accepts") or []],
                note=text(entry.get("note")),
                channels=_channels(entry["channels"], index=index) if "channels" in entry else condition.channels,
                replaced_by_eform=bool(entry.get("replaced_by_eform", condition.replaced_by_eform)),
            )
        )
    return documents


def _processing_time(raw: dict, extra: dict) -> tuple[Decimal | None, str, str]:
    time_text = long_text(raw.get("processing_time_text"))
    custom = extra.get("processing_time")
    if isinstance(custom, dict):
        value = decimal_parse(custom.get("value"), column="tinhso.processing_time.value")
        unit = unit_parse(custom.get("unit"), column="tinhso.processing_time.unit")
        return value, unit, long_text(custom.get("text")) or time_text
    value = decimal_parse(raw.get("processing_days"), column="processing_days")
    unit = unit_parse(raw.get("processing_unit"), column="processing_unit") if raw.get("processing_unit") else ""
    if value is not None and not unit:
        value = None  # a number without a unit cannot be counted (1.000894: "1 ngày làm việc" vs "1 ngày")
    return value, unit, time_text


def record_from_json(raw, *, line: int = 0) -> ProcedureRecord:
    """Normalise one JSON record (national full, index, or either with a ``tinhso`` object)."""
    if not isinstance(raw, dict):
        raise RowRejected("", "Dòng không phải là một đối tượng JSON.")
    extra = raw.get("tinhso") or {}
    if not isinstance(extra, dict):
        raise RowRejected("tinhso", "Phần bổ sung “tinhso” phải là một đối tượng JSON.")

    code = text(raw.get("code"))
    if not code:
        raise RowRejected("code", "Thiếu mã thủ tục.")
    if not CODE.fullmatch(code):
        raise RowRejected("code", f"Mã thủ tục “{code}” không đúng dạng d.dddddd (ví dụ 1.001193).")
    name = text(raw.get("name"))
    if not name:
        raise RowRejected("name", "Thiếu tên thủ tục.")
    level, level_text = level_parse(raw.get("level"))
    is_index = "field" not in raw and "documents" not in raw
    sector = text(raw.get("sector") if is_index else raw.get("field"))
    if not sector:
        raise RowRejected("sector" if is_index else "field", "Thiếu lĩnh vực.")

    try:
        agencies = text_list(raw.get("agencies"))
        competent = text_list(raw.get("competent_authority"))
        applicants = text_list(raw.get("applicant_types"))
    except TypeError:
        raise RowRejected("agencies", "Danh sách cơ quan hoặc đối tượng không đúng định dạng.") from None
    channels = channels_parse(raw.get("submission_channels"))
    value, unit, time_text = _processing_time(raw, extra)

    online = online_level_parse(extra.get("online_level"), column="tinhso.online_level")
    if not online:
        # The sources carry only "toàn trình" or not (shared/data README); a procedure that can be
        # submitted online without being toàn trình is "một phần" (NĐ 42/2022 Điều 11, vn-standards §5.2).
        if raw.get("is_full_process") is True:
            online = OnlineLevel.FULL
        elif Channel.ONLINE in channels:
            online = OnlineLevel.PARTIAL
        else:
            online = OnlineLevel.NONE
    legacy = extra.get("legacy_online_level")
    if legacy is not None and legacy not in (1, 2, 3, 4):
        raise RowRejected("tinhso.legacy_online_level", "Mức độ cũ (NĐ 43/2011) chỉ nhận 1, 2, 3 hoặc 4.")

    fees_text = long_text(raw.get("fees_text"))
    record = ProcedureRecord(
        code=code,
        name=name,
        sector_name=sector,
        sector_national_code=text(raw.get("field_code")),
        level=level,
        level_text=level_text,
        kind=ProcedureKind.SPECIFIC if "đặc thù" in text(raw.get("kind")).lower() else ProcedureKind.STANDARD,
        is_vertical=bool(raw.get("is_vertical")),
        applicant_types=applicants,
        processing_time_value=value,
        processing_time_unit=unit,
        processing_time_text=time_text,
        online_level=online,
        legacy_online_level=legacy,
        submission_channels=channels,
        steps_text=long_text(raw.get("steps_text")),
        conditions_text=long_text(raw.get("requirements_text")),
        result_text=long_text(raw.get("result")),
        results=[{"name": text(r.get("name")), "code": text(r.get("code"))} for r in raw.get("results") or []
                 if isinstance(r, dict)],
        legal_basis=_legal_basis(raw),
        fees_text=fees_text,
        fees=_fees_custom(extra["fees"]) if isinstance(extra.get("fees"), list) else fees_from_national(raw, fees_text, channels),
        documents=documents_from_national(raw),
        document_notes=[{"group": text(n.get("group")).lstrip("* ").rstrip(":"), "text": long_text(n.get("text"))}
                        for n in raw.get("document_notes") or [] if isinstance(n, dict)],
        agencies_text=agencies,
        competent_text=competent,
        coordinating_text=text_list(raw.get("coordinating_agencies")),
        receiving_address=long_text(raw.get("receiving_address")),
        keywords=text(extra.get("keywords")),
        notes=long_text(extra.get("notes")),
        decision_ref=text(raw.get("decision_ref")),
        local_code=text(extra.get("local_code")),
        source_rank=SourceRank.LOCAL if extra else (SourceRank.INDEX if is_index else SourceRank.NATIONAL),
        source={k: raw[k] for k in ("source", "dvcqg_id", "dvcqg_url", "data_updated_at", "data_published_at")
                if raw.get(k)},
    )
    if "popularity" in extra:
        try:
            record.popularity = max(0, int(extra["popularity"]))
        except (TypeError, ValueError):
            raise RowRejected("tinhso.popularity", "Số lượt sử dụng phải là số nguyên.") from None
    if extra.get("effective_from"):
        try:
            record.effective_from = date.fromisoformat(str(extra["effective_from"]))
        except ValueError:
            raise RowRejected("tinhso.effective_from", "Ngày áp dụng phải có dạng YYYY-MM-DD.") from None
    if extra.get("eform") is not None:
        record.eform_schema = extra["eform"]
    if extra.get("process") is not None:
        try:
            record.process = process_spec_from_json(extra["process"])
        except ValidationFailed as exc:
            raise RowRejected("tinhso.process", _first_error(exc)) from None
    for link in extra.get("agency_links") or []:
        if not isinstance(link, dict) or link.get("role") not in AgencyRole.values or not link.get("agency"):
            raise RowRejected("tinhso.agency_links", "Mỗi liên kết cơ quan cần “agency” (mã) và “role” "
                                                     f"({', '.join(AgencyRole.values)}).")
        pair = (str(link["agency"]).strip().upper(), link["role"])
        if pair not in record.agency_links:
            record.agency_links.append(pair)
    _check_lengths(record)
    return record


# Column sizes of the models: checked here so SQLite (which ignores them) and PostgreSQL (which
# refuses the row) reject the same rows with the same reason.
_LIMITS = {"sector_name": ("field", 300), "level_text": ("level", 200), "decision_ref": ("decision_ref", 300),
           "local_code": ("tinhso.local_code", 60), "sector_national_code": ("field_code", 40)}


def _check_lengths(record: ProcedureRecord) -> None:
    for attr, (column, limit) in _LIMITS.items():
        if len(getattr(record, attr)) > limit:
            raise RowRejected(column, f"Dài quá {limit} ký tự.")
    for document in record.documents:
        if len(document.code) > 60:
            raise RowRejected("documents", f"Mã thành phần hồ sơ “{document.code[:30]}…” dài quá 60 ký tự.")
        if len(document.template_name) > 500:
            raise RowRejected("documents", "Tên mẫu đơn, tờ khai dài quá 500 ký tự.")
    for fee in record.fees:
        if len(fee.name) > 300:
            raise RowRejected("fees", "Tên khoản phí dài quá 300 ký tự.")
        if fee.amount is not None and fee.amount >= Decimal(10) ** 14:
            raise RowRejected("fees", "Mức thu quá lớn.")
    if record.processing_time_value is not None and record.processing_time_value >= Decimal(10) ** 6:
        raise RowRejected("processing_time", "Thời hạn giải quyết quá lớn.")


def _first_error(exc: ValidationFailed) -> str:
    if exc.errors:
        first = exc.errors[0]
        return f"{exc.detail} {first.get('message', '')}".strip()
    return exc.detail
