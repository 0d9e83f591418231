"""Verification with no network, today or years later (``tinhso exchange verify``), and the
self-contained export of one message that verifies on another machine.

A message is sound when its stored bytes still have the digest the exchange log recorded, the log's
chain is unbroken, and — for a message that was accepted or sent — its XML signature, its timestamp
and the signer's chain at the timestamp's time still check against the trust roots. Refused messages
are kept as evidence; their signature is not expected to check.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization

from tinhso.exchange import xmlsig
from tinhso.exchange.log import log_verify
from tinhso.exchange.models import LogEntry, Message
from tinhso.signing.pki import TrustStore, certificates_from_pem


@dataclass
class Report:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _signature_problem(message: Message, trust: TrustStore) -> str | None:
    if message.state == Message.State.REFUSED:
        return None
    check = xmlsig.verify(bytes(message.raw), trust=trust)
    if check.ok:
        return None
    return f"Gói tin {message.message_id} ({message.get_direction_display()}): {check.reason} [{check.code}]"


def messages_verify(*, message_id: str | None = None, trust: TrustStore | None = None) -> Report:
    from tinhso.signing.selectors import trust_store_get

    trust = trust or trust_store_get()
    report = Report()
    chain = log_verify(message_id=message_id)
    report.problems.extend(chain.problems)
    messages = Message.objects.all() if message_id is None else Message.objects.filter(message_id=message_id)
    if message_id is not None and not messages.exists():
        report.problems.append(f"Không có gói tin {message_id} trong kho lưu trữ.")
    for message in messages.order_by("created_at").iterator():
        report.checked += 1
        problem = _signature_problem(message, trust)
        if problem:
            report.problems.append(problem)
    return report


# --- export -------------------------------------------------------------------------------------

README = """Gói tin liên thông xuất từ Tỉnh Số (edXML, QCVN 102:2016).

message.edxml  gói tin nguyên gốc, đúng từng byte như khi gửi hoặc nhận (chữ ký XML và dấu thời gian bên trong)
roots.pem      chứng thư gốc tin cậy của hệ thống xuất, dùng để kiểm tra
log.json       các mục nhật ký liên thông về gói tin này (chuỗi băm SHA-256)
meta.json      mã gói tin, chiều gửi/nhận, SHA-256 của message.edxml

Kiểm tra trên máy khác: tinhso exchange verify --file <tệp này>
(hoặc bất kỳ công cụ XML-DSig nào, với roots.pem là nguồn tin cậy).
"""


def message_export(*, message: Message) -> bytes:
    from tinhso.signing.selectors import trust_store_get

    trust = trust_store_get()
    roots = "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in trust.roots)
    entries = [{"seq": e.seq, "at": e.at.isoformat(), "event": e.event, "message_sha256": e.message_sha256,
                "detail": e.detail, "prev_hash": e.prev_hash, "hash": e.hash}
               for e in LogEntry.objects.filter(message_id=message.message_id).order_by("seq")]
    meta = {"message_id": message.message_id, "direction": message.direction, "kind": message.kind,
            "from": message.from_code, "to": message.to_codes, "document_id": message.document_id,
            "sha256": message.sha256, "state": message.state}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("message.edxml", bytes(message.raw))
        archive.writestr("roots.pem", roots)
        archive.writestr("log.json", json.dumps(entries, ensure_ascii=False, indent=1))
        archive.writestr("meta.json", json.dumps(meta, ensure_ascii=False, indent=1))
        archive.writestr("README.txt", README)
    return buffer.getvalue()


def bundle_verify(*, data: bytes, roots_pem: str | None = None) -> Report:
    """Check an exported file with nothing but what it carries (or the roots given instead)."""
    report = Report(checked=1)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            raw = archive.read("message.edxml")
            meta = json.loads(archive.read("meta.json"))
            entries = json.loads(archive.read("log.json"))
            bundled_roots = archive.read("roots.pem").decode()
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        return Report(checked=1, problems=[f"Tệp xuất không đọc được: {exc}"])
    digest = hashlib.sha256(raw).hexdigest()
    if digest != meta.get("sha256"):
        report.problems.append("message.edxml không khớp mã băm SHA-256 ghi trong meta.json.")
    if entries and any(e.get("message_sha256") != digest for e in entries):
        report.problems.append("message.edxml không khớp mã băm ghi trong nhật ký liên thông.")
    if meta.get("state") != Message.State.REFUSED:
        trust = TrustStore(roots=tuple(certificates_from_pem(roots_pem or bundled_roots)))
        check = xmlsig.verify(raw, trust=trust)
        if not check.ok:
            report.problems.append(f"{check.reason} [{check.code}]")
    return report
