"""Running Tỉnh Số instances for the end-to-end exchange tests: each its own database, data directory,
secret key, PKI and port, started as real processes (web server and task worker), as a province would
run them. The setup and the people's steps run inside an instance through ``tinhso shell``.

Used by ``test_two_instances.py``; the functions at the bottom run *inside* an instance.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = "tinhso.exchange.tests.instances"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    def __init__(self, name: str, root: Path, template_db: Path, extra_env: dict | None = None):
        self.name = name
        self.dir = root / name
        self.dir.mkdir(parents=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        shutil.copy(template_db, self.dir / "db.sqlite3")
        self.env = {**clean_env(), "TINHSO_DATA_DIR": str(self.dir), "TINHSO_DATABASE_URL": f"sqlite:///{self.dir}/db.sqlite3",
                    "TINHSO_SECRET_KEY": f"secret-of-{name}-for-the-exchange-test", "TINHSO_PUBLIC_URL": self.url,
                    "TINHSO_OUTBOX_RETRY_BASE_SECONDS": "1", "TINHSO_OUTBOX_MAX_ATTEMPTS": "30",
                    "TINHSO_EXCHANGE_MAX_ATTEMPTS": "30",
                    **(extra_env or {})}
        self.processes: dict[str, subprocess.Popen] = {}

    def tinhso(self, *args: str, check: bool = True, timeout: int = 120) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "tinhso", *args], env=self.env, capture_output=True,  # noqa: S603
                                text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"[{self.name}] tinhso {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def call(self, function: str, **kwargs):
        """Run ``function(**kwargs)`` of this module inside the instance; return its JSON answer."""
        code = f"import json; from {HERE} import {function} as f; print('@@' + json.dumps(f(**json.loads({json.dumps(json.dumps(kwargs))}))))"
        out = self.tinhso("shell", "-c", code).stdout
        line = next(line for line in out.splitlines() if line.startswith("@@"))
        return json.loads(line[2:])

    def start(self) -> None:
        log = open(self.dir / "server.log", "a")  # noqa: SIM115 - closed with the process
        self.processes["web"] = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tinhso", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.processes["worker"] = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tinhso", "db_worker", "--interval", "0.2"], env=self.env, stdout=log,
            stderr=subprocess.STDOUT)
        for name, command in (("outbox", "outbox"), ("exchange", "exchange")):  # the periodic sweeps
            self.processes[name] = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "tinhso", command, "deliver", "--loop", "--interval", "1"], env=self.env,
                stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=2)  # noqa: S310
                return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"[{self.name}] did not start:\n{(self.dir / 'server.log').read_text()[-3000:]}")

    def kill(self, *, hard: bool = True) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
        for proc in self.processes.values():
            proc.wait(timeout=20)
        self.processes.clear()

    def log_tail(self) -> str:
        path = self.dir / "server.log"
        return path.read_text()[-4000:] if path.exists() else ""


def clean_env() -> dict:
    """The test runner's environment without what points at its own database or settings."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("TINHSO_", "DJANGO_", "PYTEST_")) or k in ("TINHSO_CHROMIUM",)}


def wait_for(instance: Instance, function: str, predicate, *, timeout: float = 90, **kwargs):
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = instance.call(function, **kwargs)
        if predicate(value):
            return value
        time.sleep(0.5)
    raise AssertionError(f"[{instance.name}] {function}({kwargs}) never matched; last: {value}\n{instance.log_tail()}")


# --- run inside an instance ---------------------------------------------------------------------

PASSWORD = "mat-khau-thu-nghiem-2026"


def setup_commune() -> dict:
    """Instance A: Phú Thọ province and the commune of Lâm Thao, with its document office."""
    return _setup(province=("H44", "Ủy ban nhân dân tỉnh Phú Thọ"),
                  agency=("H44.12", "Ủy ban nhân dân xã Lâm Thao", "commune", "people_committee", "UBND", "Lâm Thao"),
                  people=[("cv-a", "Phạm Thị Soạn", "specialist"), ("tp-a", "Lê Văn Duyệt", "unit_head"),
                          ("ld-a", "Nguyễn Văn Chủ", "leader"), ("vt-a", "Vũ Thị Văn", "clerk")])


def setup_department() -> dict:
    """Instance B: Thái Bình's Department of Home Affairs."""
    return _setup(province=("H36", "Ủy ban nhân dân tỉnh Thái Bình"),
                  agency=("H36.05", "Sở Nội vụ tỉnh Thái Bình", "province", "department", "SNV", "Thái Bình"),
                  people=[("cv-b", "Bùi Văn Chuyên", "specialist"), ("tp-b", "Hoàng Thị Phòng", "unit_head"),
                          ("ld-b", "Trần Văn Giám", "leader"), ("vt-b", "Đỗ Thị Thư", "clerk")])


def _setup(*, province, agency, people) -> dict:
    from tinhso.accounts.models import User
    from tinhso.documents.models import DocumentProfile
    from tinhso.org.models import Agency, Department, Membership
    from tinhso.signing.models import Authority
    from tinhso.signing.services.demo import pki_demo_init
    from tinhso.workdays.services import work_calendar_create, workdays_seed

    calendar = work_calendar_create(code=province[0], name="Lịch làm việc")
    workdays_seed(calendar=calendar, years=[2026, 2027])
    top = Agency.objects.create(code=province[0], name=province[1], level="province", kind="people_committee",
                                work_calendar=calendar)
    code, name, level, kind, notation, place = agency
    unit = Agency.objects.create(code=code, name=name, level=level, kind=kind, parent=top)
    DocumentProfile.objects.create(agency=unit, notation=notation, place=place)
    office = Department.objects.create(agency=unit, code="VP", name="Văn phòng")
    for username, full_name, role in people:
        user = User.objects.create(username=username, kind=User.Kind.STAFF, full_name=full_name)
        user.set_password(PASSWORD)
        user.save()
        Membership.objects.create(user=user, agency=unit, role=role,
                                  department=office if role in ("specialist", "unit_head") else None)
    pki_demo_init(actor=None)
    ca = Authority.objects.get(purpose=Authority.Purpose.ROOT_CA)
    return {"ca_pem": ca.certificate_pem}


def setup_hub() -> dict:
    from tinhso.signing.services.demo import pki_demo_init  # the hub signs nothing, but has a TSA like any

    pki_demo_init(actor=None)
    return {}


def issue_document(*, subject: str, to: str, to_name: str) -> dict:
    """The commune's specialist drafts, the head of office passes it on, the chairman signs, the clerk
    issues it (the same actions the staff pages perform)."""
    from tinhso.accounts.models import User
    from tinhso.documents.actions import outgoing_perform
    from tinhso.documents.services import outgoing_create
    from tinhso.org.models import Agency

    u = {x.username: x for x in User.objects.all()}
    agency = Agency.objects.get(code="H44.12")
    doc = outgoing_create(actor=u["cv-a"], agency=agency, doc_type="CV", subject=subject,
                          body="Ủy ban nhân dân xã Lâm Thao đề nghị Quý Sở hướng dẫn.\nTrân trọng./.",
                          signer=u["ld-a"], signer_title="Chủ tịch", recipients=[{"code": to, "name": to_name}])
    doc = outgoing_perform(actor=u["cv-a"], document=doc, name="submit", data={"reviewer": "tp-a"})
    doc = outgoing_perform(actor=u["tp-a"], document=doc, name="pass_on", data={})
    doc = outgoing_perform(actor=u["ld-a"], document=doc, name="sign", data={})
    doc = outgoing_perform(actor=u["vt-a"], document=doc, name="issue", data={})
    return {"id": doc.pk, "notation": doc.notation}


def inbound_list() -> list[dict]:
    from tinhso.exchange.models import Message

    return [{"pk": str(m.pk), "message_id": m.message_id, "state": m.state, "subject": m.subject,
             "from": m.from_code, "answers": m.outgoing_id, "incoming": m.incoming_id, "signer": m.signer}
            for m in Message.objects.filter(direction="in", kind="document").order_by("created_at")]


def statuses_of(*, document_id: int) -> list[str]:
    from tinhso.documents.models import OutgoingDocument
    from tinhso.exchange.selectors import recipient_progress

    rows = recipient_progress(document=OutgoingDocument.objects.get(pk=document_id))
    return [s.code for row in rows for s in row.statuses]


def delivery_states(*, document_id: int) -> list[str]:
    from tinhso.documents.models import OutgoingDocument
    from tinhso.exchange.selectors import recipient_progress

    return [row.delivery for row in recipient_progress(document=OutgoingDocument.objects.get(pk=document_id))]


def clerk_registers(*, message_pk: str, clerk: str) -> dict:
    from tinhso.accounts.models import User
    from tinhso.exchange.handling import inbound_perform
    from tinhso.exchange.models import Message

    incoming = inbound_perform(actor=User.objects.get(username=clerk), message=Message.objects.get(pk=message_pk),
                               name="register", data={})
    return {"incoming": incoming.pk, "arrival_number": incoming.arrival_number,
            "signature": incoming.signature_summary.get("verdict"), "source": incoming.source}


def handle_and_reply(*, incoming_id: int) -> dict:
    """B's director assigns the specialist, who notes progress, drafts the reply; it is signed and
    issued to the commune, which closes the incoming document (06)."""
    from tinhso.accounts.models import User
    from tinhso.documents.actions import incoming_perform, outgoing_perform
    from tinhso.documents.models import IncomingDocument
    from tinhso.documents.services import outgoing_create

    u = {x.username: x for x in User.objects.all()}
    incoming = IncomingDocument.objects.get(pk=incoming_id)
    incoming = incoming_perform(actor=u["ld-b"], document=incoming, name="assign",
                                data={"lead": "cv-b", "deadline_days": 5, "instruction": "Nghiên cứu, trả lời."})
    incoming = incoming_perform(actor=u["cv-b"], document=incoming, name="progress",
                                data={"text": "Đang tổng hợp ý kiến các phòng."})
    reply = outgoing_create(actor=u["cv-b"], agency=incoming.agency, doc_type="CV",
                            subject="Về việc hướng dẫn chứng thực (trả lời)",
                            body="Sở Nội vụ hướng dẫn như sau.\nTrân trọng./.", signer=u["ld-b"],
                            signer_title="Giám đốc", recipients=[{"code": "H44.12", "name": "UBND xã Lâm Thao"}],
                            reply_to=incoming)
    reply = outgoing_perform(actor=u["cv-b"], document=reply, name="submit", data={"reviewer": "tp-b"})
    reply = outgoing_perform(actor=u["tp-b"], document=reply, name="pass_on", data={})
    reply = outgoing_perform(actor=u["ld-b"], document=reply, name="sign", data={})
    reply = outgoing_perform(actor=u["vt-b"], document=reply, name="issue", data={})
    incoming.refresh_from_db()
    return {"reply": reply.pk, "notation": reply.notation, "incoming_status": incoming.status}


def incoming_documents() -> list[dict]:
    from tinhso.documents.models import IncomingDocument

    return [{"id": d.pk, "source": d.source, "their_notation": d.their_notation, "status": d.status}
            for d in IncomingDocument.objects.order_by("id")]


def raw_message(*, message_id: str, direction: str) -> dict:
    import base64

    from tinhso.exchange.models import Message

    m = Message.objects.filter(message_id=message_id, direction=direction).first()
    return {"raw": base64.b64encode(bytes(m.raw)).decode()} if m else {}


def corrupt_archive(*, message_id: str) -> dict:
    """What an intruder with database access would do: change one byte of a stored message."""
    from tinhso.exchange.models import Message

    m = Message.objects.filter(message_id=message_id).first()
    raw = bytearray(bytes(m.raw))
    index = raw.find("Lâm Thao".encode())
    raw[index] = ord("X")
    Message.objects.filter(pk=m.pk).update(raw=bytes(raw))
    return {"pk": str(m.pk)}


def forged_package(*, kind: str) -> dict:
    """A package claiming to come from A's commune, signed by a certificate of an authority nobody
    trusts (``unknown_certificate``) or by a trusted certificate of another agency (``sender_mismatch``)."""
    import base64
    from datetime import date

    from django.utils import timezone

    from tinhso.exchange import edxml, xmlsig
    from tinhso.org.models import Agency
    from tinhso.signing import pki
    from tinhso.signing.selectors import certificate_current, certificate_material
    from tinhso.signing.services.authorities import timestamper_get

    pkg = edxml.DocumentPackage(
        sender=edxml.Organization("H44.12", "Ủy ban nhân dân xã Lâm Thao"),
        recipients=[edxml.Organization("H36.05", "Sở Nội vụ tỉnh Thái Bình")], code_number="99",
        code_notation="UBND-VP", place="Lâm Thao", promulgation_date=date(2026, 12, 7), type_name="Công văn",
        type_code="CV", subject="Văn bản giả mạo", attachments=[])
    if kind == "unknown_certificate":
        ca = pki.ca_create(subject=pki.name_build(common_name="CA không ai tin"))
        material = pki.certificate_issue(issuer=ca, subject=pki.name_build(common_name="Ủy ban nhân dân xã Lâm Thao"))
    else:
        material = certificate_material(certificate_current(agency=Agency.objects.get(code="H36.05")))
    data = xmlsig.sign(edxml.document_build(pkg, now=timezone.localtime()), material=material,
                       timestamper=timestamper_get())
    return {"raw": base64.b64encode(data).decode()}


def issue_many(*, count: int, to: str, attachment_mb: int = 1) -> dict:
    """For the benchmark: ``count`` documents issued one after another, each with a PDF attachment of
    about ``attachment_mb`` MB (a scan-like image), as a commune sending a batch of reports."""
    import io
    import os

    from PIL import Image
    from weasyprint import HTML

    from tinhso.accounts.models import User
    from tinhso.core.files import bytes_upload, file_store
    from tinhso.core.pdf import font_face_css
    from tinhso.documents.actions import outgoing_perform
    from tinhso.documents.services import outgoing_create
    from tinhso.org.models import Agency

    side = int((attachment_mb * 1_000_000 / 3) ** 0.5)
    png = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(png, format="PNG")
    import base64

    uri = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
    pdf = HTML(string=f"<style>{font_face_css()}</style><p>Bản quét</p><img src='{uri}' style='width:16cm'>").write_pdf()
    u = {x.username: x for x in User.objects.all()}
    agency = Agency.objects.get(code="H44.12")
    for i in range(count):
        scan = file_store(uploaded_by=u["cv-a"], upload=bytes_upload(pdf, f"phu-luc-{i + 1}.pdf"))
        doc = outgoing_create(actor=u["cv-a"], agency=agency, doc_type="CV", subject=f"Báo cáo định kỳ số {i + 1}",
                              body="Kính gửi Quý Sở báo cáo kèm theo.", signer=u["ld-a"], signer_title="Chủ tịch",
                              recipients=[{"code": to, "name": "Sở Nội vụ tỉnh Thái Bình"}],
                              attachment_ids=[str(scan.pk)])
        for actor, name, data in (("cv-a", "submit", {"reviewer": "tp-a"}), ("tp-a", "pass_on", {}),
                                  ("ld-a", "sign", {}), ("vt-a", "issue", {})):
            doc = outgoing_perform(actor=u[actor], document=doc, name=name, data=data)
    return {"count": count, "pdf_bytes": len(pdf)}
