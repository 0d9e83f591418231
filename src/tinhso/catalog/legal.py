"""Legal basis (căn cứ pháp lý) of a procedure as clean items: number, kind, title, date.

The national records write each basis as "<số hiệu> — <trích yếu>", and the trích yếu often repeats
the kind and number ("Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định …") or is
only them ("60/2014/QH13 — Luật 60/2014/QH13"). Joined naively the letter printed "Luật 60/2014/QH13
số 60/2014/QH13". ``legal_item_parse`` splits the text into its parts once, at import;
``legal_item_label`` writes one item the way NĐ 30/2020 cites a document: "Luật số 60/2014/QH13",
"Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định …".
"""

from __future__ import annotations

import re
from datetime import date

NUMBER = re.compile(r"\d+(?:\.\d+)?/\d{4}/[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*")
# The kind of a document from its number's notation (NĐ 30/2020 Phụ lục III; vn-standards §7.1).
_KIND_BY_NOTATION = [
    (re.compile(r"/QH\d+$"), "Luật"), (re.compile(r"/NQ-"), "Nghị quyết"), (re.compile(r"/NĐ-"), "Nghị định"),
    (re.compile(r"/TTLT-"), "Thông tư liên tịch"), (re.compile(r"/TT-"), "Thông tư"),
    (re.compile(r"/QĐ-"), "Quyết định"), (re.compile(r"/CT-"), "Chỉ thị"),
]
KINDS = ("Thông tư liên tịch", "Bộ luật", "Luật", "Nghị quyết", "Nghị định", "Thông tư", "Quyết định", "Chỉ thị")
_DATE = re.compile(r"^ngày (\d{1,2})[/-](\d{1,2})[/-](\d{4})\b|^ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})\b")


def kind_of(number: str) -> str:
    for pattern, kind in _KIND_BY_NOTATION:
        if pattern.search(number):
            return kind
    return ""


def _strip(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:.-—")


def legal_item_parse(number: str, title: str) -> dict:
    """``{"number", "kind", "title", "issued"}`` (issued ISO yyyy-mm-dd when the text gives it)."""
    number, title = _strip(number), re.sub(r"\s+", " ", title or "").strip()
    found = NUMBER.search(number) or NUMBER.search(title)
    if found and (not number or NUMBER.search(number)):
        number = found.group(0)
    kind = ""
    rest = title
    for word in KINDS:
        if rest.lower().startswith(word.lower()):
            kind, rest = word, rest[len(word):].lstrip()
            break
    kind = kind or kind_of(number)
    if number:
        rest = re.sub(rf"^(?:số\s+)?{re.escape(number)}\s*", "", rest, flags=re.IGNORECASE)
    issued = ""
    match = _DATE.match(rest)
    if match:
        d, m, y = [int(g) for g in (match.groups()[:3] if match.group(1) else match.groups()[3:])]
        try:
            issued = date(y, m, d).isoformat()
        except ValueError:
            issued = ""
        if issued:
            rest = rest[match.end():]
    rest = _strip(rest)
    out = {"number": number, "kind": kind, "title": rest}
    if issued:
        out["issued"] = issued
    return out


def legal_item_label(item) -> str:
    """One basis as a citation: "<Kind> số <number> ngày dd/mm/yyyy <trích yếu>"."""
    if not isinstance(item, dict):
        return str(item or "").strip()
    number = str(item.get("number") or "").strip()
    kind = str(item.get("kind") or "").strip() or kind_of(number)
    title = str(item.get("title") or "").strip()
    if not kind and not number:
        return title
    if not item.get("kind") and number:
        # Items stored before the parser (or typed in the admin): parse them the same way.
        parsed = legal_item_parse(number, title)
        kind, title = parsed["kind"], parsed["title"]
        item = {**item, **{k: v for k, v in parsed.items() if k == "issued" and not item.get("issued")}}
    if kind in ("Luật", "Bộ luật") and title and not title.startswith(("của", "sửa")):
        # A law is cited by its name before its number: "Luật Hộ tịch số 60/2014/QH13".
        kind, title = f"{kind} {title}", ""
    head = f"{kind} số {number}" if kind and number else (number or kind)
    issued = str(item.get("issued") or "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", issued):
        y, m, d = issued.split("-")
        head += f" ngày {d}/{m}/{y}"
    if title:
        # "Thông tư Hướng dẫn …" → "… Hướng dẫn …" reads as a sentence in lower case.
        head += " " + (title[0].lower() + title[1:] if title[:1].isupper() and title.split(" ")[0] in _LOWER else title)
    return head


# First words of a trích yếu that read in lower case after "<Kind> số …".
_LOWER = {"Hướng", "Sửa", "Quy", "Về", "Ban", "Bãi", "Phân", "Cắt", "Thông"}
