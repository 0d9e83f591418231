"""When a required paper (thành phần hồ sơ) is asked, read from the words of the national text.

The national records write the conditions into the name of the paper: "… trong trường hợp ủy quyền",
"… khi làm thủ tục trực tiếp tại cơ quan đăng ký hộ tịch", "Tờ khai … (nếu người có yêu cầu lựa chọn
nộp hồ sơ theo hình thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính)", "Mẫu hộ tịch điện tử
tương tác … (nếu … nộp hồ sơ theo hình thức trực tuyến)". Read literally, every applicant would upload
all of them. ``document_condition`` turns those words into data (``RequiredDocument.channels``,
``replaced_by_eform``, ``is_required``) that the wizard, the submission checks and the API honour;
the officer can correct any row in the admin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tinhso.catalog.choices import Channel
from tinhso.core.text import fold

# Folded phrases, matched on the folded name (so spelling with or without tone marks agrees).
_CHANNEL_CLAUSE = re.compile(
    r"\b(?:khi|neu|truong hop)\b[^.;()]*?(?:lam thu tuc|nop ho so|thuc hien|lua chon)[^.;()]*?"
    r"(?:hinh thuc |)(truc tiep|truc tuyen)(?:[^.;()]*?(?:buu chinh))?"
)
_WORDS = {"truc tiep": Channel.DIRECT, "truc tuyen": Channel.ONLINE, "buu chinh": Channel.POST}
# A sentence that starts with, or contains, a case ("trong trường hợp …", "(nếu có)") makes the paper
# one that only some applicants file. "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì …" is
# not such a case: it names the fallback of a paper everybody files.
_CASE = re.compile(r"^(?:\+ )?truong hop\b|\btrong truong hop\b|\(neu co\)")
# The declaration itself: what the procedure's e-form replaces online.
_DECLARATION = re.compile(r"^(?:to khai|don de nghi|don\b|phieu yeu cau)|\bmau [^.;]*dien tu tuong tac\b")


@dataclass(frozen=True)
class DocumentCondition:
    channels: list[str] = field(default_factory=list)  # empty: every channel
    replaced_by_eform: bool = False
    conditional: bool = False


def document_condition(name: str) -> DocumentCondition:
    folded = fold(name or "").lower().lstrip("-+• ")
    channels: list[str] = []
    match = _CHANNEL_CLAUSE.search(folded)
    if match:
        clause = folded[match.start(): folded.find(")", match.end()) if ")" in folded[match.end():] else None]
        for words, channel in _WORDS.items():
            if words in clause and channel not in channels:
                channels.append(channel)
    return DocumentCondition(
        channels=[c for c in Channel.values if c in channels],
        replaced_by_eform=bool(_DECLARATION.search(folded)),
        conditional=bool(_CASE.search(folded)),
    )
