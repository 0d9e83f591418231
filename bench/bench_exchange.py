"""Benchmark of the edXML exchange (issue #12).

    .venv/bin/python bench/bench_exchange.py [--messages 20] [--seconds 5] [--no-write]

(a) In-process, on a package carrying a 1 MB PDF: building and signing one message (XML-DSig,
    exclusive c14n, RFC 3161 timestamp from an in-process authority), and checking one (schema,
    signature, timestamp, chain); baseline: a bare SHA-256 + RSA-2048 signature of the same bytes.
(b) Two running instances (web server, task worker, outbox sweeper; their own SQLite databases), A
    the sender and B the receiver, as in the end-to-end test: B receiving distinct signed packages
    posted one after another, as messages per second, next to B's health endpoint requests per second
    in the same run; and A issuing documents with a 1 MB PDF attached, timed from the first issue until
    B has the last one (issue, seal, package, sign, deliver, check, archive, answer 01 included).
Results go to ``docs/benchmarks.md`` (section "Liên thông edXML").
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT, django_setup, no_write_argument, report, run_header

SECTION = "## Liên thông edXML"


def big_pdf() -> bytes:
    """A PDF of about 1 MB: one page of text and an incompressible image (a scan-like attachment)."""
    import base64

    from PIL import Image
    from weasyprint import HTML

    from tinhso.core.pdf import font_face_css

    image = Image.frombytes("RGB", (580, 580), os.urandom(580 * 580 * 3))
    png = io.BytesIO()
    image.save(png, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
    html = (f"<style>{font_face_css()} body{{font-family:'Tinos'}}</style><p>Phụ lục kèm công văn: bản quét.</p>"
            f"<img src='{uri}' style='width:16cm'>")
    return HTML(string=html).write_pdf()


def cpu_ms(operation, *, seconds: float, min_runs: int = 3) -> tuple[float, int]:
    samples = []
    deadline = time.monotonic() + seconds
    while len(samples) < min_runs or time.monotonic() < deadline:
        start = time.process_time()
        operation()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples), len(samples)


def in_process(pdf: bytes, seconds: float):
    from datetime import date, datetime

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    from tinhso.exchange import edxml, schema, xmlsig
    from tinhso.signing import pki
    from tinhso.signing.tsa import LocalTimeStamper, TimestampAuthority

    ca = pki.ca_create(subject=pki.name_build(common_name="CA đo hiệu năng"))
    tsa = pki.certificate_issue(issuer=ca, subject=pki.name_build(common_name="TSA đo hiệu năng"), purpose="tsa")
    leaf = pki.certificate_issue(issuer=ca, subject=pki.name_build(common_name="Ủy ban nhân dân xã Lâm Thao"))
    stamper = LocalTimeStamper(TimestampAuthority(material=tsa))
    trust = pki.TrustStore(roots=(ca.certificate,))

    def package(subject="Về việc gửi hồ sơ"):
        return edxml.DocumentPackage(
            sender=edxml.Organization("H44.12", "Ủy ban nhân dân xã Lâm Thao"),
            recipients=[edxml.Organization("H36.05", "Sở Nội vụ tỉnh Thái Bình")], code_number="15",
            code_notation="UBND-VP", place="Lâm Thao", promulgation_date=date(2026, 12, 7), type_name="Công văn",
            type_code="CV", subject=subject, attachments=[edxml.Attachment("phu-luc.pdf", "application/pdf", pdf)])

    def sign_one():
        return xmlsig.sign(edxml.document_build(package(), now=datetime.now()), material=leaf, timestamper=stamper)

    data = sign_one()

    def verify_one():
        schema.validate_received(edxml.parse_xml(data))
        assert xmlsig.verify(data, trust=trust).ok

    sign = cpu_ms(sign_one, seconds=seconds)
    verify = cpu_ms(verify_one, seconds=seconds)
    baseline = cpu_ms(lambda: leaf.private_key.sign(data, padding.PKCS1v15(), hashes.SHA256()), seconds=seconds)
    return {"ca": ca, "leaf": leaf, "stamper": stamper, "package": package, "size": len(data),
            "sign": sign, "verify": verify, "baseline": baseline}


def instances(work: Path, material: dict, messages: int, pdf: bytes) -> dict:
    import subprocess

    sys.path.insert(0, str(ROOT / "src"))
    from datetime import datetime

    from tinhso.exchange import edxml, xmlsig
    from tinhso.exchange.tests.instances import Instance, clean_env, wait_for
    from tinhso.signing.pki import certificates_to_pem

    work.mkdir(parents=True, exist_ok=True)
    template = work / "template.sqlite3"
    env = {**clean_env(), "TINHSO_DATA_DIR": str(work / "template"), "TINHSO_DATABASE_URL": f"sqlite:///{template}"}
    subprocess.run([sys.executable, "-m", "tinhso", "migrate", "--no-input", "-v0"], env=env, check=True)  # noqa: S603
    b = Instance("b", work, template, {"TINHSO_PROVINCE_CODE": "H36"})
    a = Instance("a", work, template)
    ca_b = b.call("setup_department")["ca_pem"]
    ca_a = a.call("setup_commune")["ca_pem"]
    (work / "ca-a.pem").write_text(ca_a)
    (work / "ca-b.pem").write_text(ca_b)
    (work / "bench-ca.pem").write_text(certificates_to_pem([material["ca"].certificate]))
    for pem in ("ca-a.pem", "bench-ca.pem"):
        b.tinhso("pki", "trust-add", str(work / pem))
    b.tinhso("exchange", "peer", "add", "H44.*", "--name", "Phú Thọ", "--url", f"{a.url}/exchange/v1",
             "--certificate", str(work / "ca-a.pem"), "--accept-credential", "a-to-b", "--send-credential", "b-to-a")
    b.tinhso("exchange", "peer", "add", "H44.99", "--name", "Máy đo", "--certificate", str(work / "bench-ca.pem"),
             "--accept-credential", "bench-to-b")
    a.tinhso("pki", "trust-add", str(work / "ca-b.pem"))
    a.tinhso("exchange", "peer", "add", "H36.*", "--name", "Thái Bình", "--url", f"{b.url}/exchange/v1",
             "--certificate", str(work / "ca-b.pem"), "--accept-credential", "b-to-a", "--send-credential", "a-to-b")
    b.start()
    a.start()
    try:
        def get(url):
            with urllib.request.urlopen(url, timeout=30) as r:  # noqa: S310
                return r.read()

        health_runs = max(50, messages * 5)
        start = time.perf_counter()
        for _ in range(health_runs):
            get(f"{b.url}/api/v1/health")
        health_per_s = health_runs / (time.perf_counter() - start)

        packages = []
        for i in range(messages):
            pkg = material["package"](subject=f"Gói đo số {i + 1}")
            pkg = edxml.DocumentPackage(**{**pkg.__dict__, "sender": edxml.Organization("H44.99", "Máy đo")})
            packages.append(xmlsig.sign(edxml.document_build(pkg, now=datetime.now()), material=material["leaf"],
                                        timestamper=material["stamper"]))
        start = time.perf_counter()
        for data in packages:
            request = urllib.request.Request(f"{b.url}/exchange/v1/messages", data=data, method="POST",  # noqa: S310
                                             headers={"Content-Type": "application/xml",
                                                      "Authorization": "Bearer bench-to-b"})
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                assert response.status == 200, response.read()
        receive_per_s = messages / (time.perf_counter() - start)

        before = len(b.call("inbound_list"))
        e2e = max(3, messages // 4)
        start = time.perf_counter()
        a.call("issue_many", count=e2e, to="H36.05", attachment_mb=1)
        issued_s = time.perf_counter() - start
        wait_for(b, "inbound_list", lambda rows: len(rows) >= before + e2e, timeout=600)
        e2e_s = time.perf_counter() - start
        return {"health_per_s": health_per_s, "receive_per_s": receive_per_s, "messages": messages,
                "e2e": e2e, "e2e_s": e2e_s, "issued_s": issued_s}
    finally:
        a.kill(hard=False)
        b.kill(hard=False)


def section(local: dict, remote: dict) -> str:
    base = local["baseline"][0]
    rows = [("xây dựng và ký một gói tin (XML-DSig + dấu thời gian)", local["sign"]),
            ("kiểm tra một gói tin (lược đồ, chữ ký, dấu thời gian, chuỗi chứng thư)", local["verify"]),
            ("baseline: chữ ký RSA-2048 trần trên cùng số byte", local["baseline"])]
    lines = [SECTION, "", run_header("bench_exchange.py"), "",
             f"Gói tin mang một tệp PDF khoảng 1 MB (gói {local['size'] / 1e6:.2f} MB, base64).", "",
             "| thao tác | số lần | CPU trung vị | × baseline |", "|---|---:|---:|---:|"]
    for label, (ms, runs) in rows:
        lines.append(f"| {label} | {runs} | {ms:.1f} ms | {ms / base:.1f} |")
    lines += ["", "Hai hệ thống đang chạy (máy chủ web phát triển, tiến trình nền, SQLite), trên cùng máy:", "",
              "| đo | kết quả | so với /api/v1/health |", "|---|---:|---:|",
              f"| /api/v1/health của B, tuần tự | {remote['health_per_s']:.0f} yêu cầu/s | 1 |",
              f"| B nhận {remote['messages']} gói tin khác nhau (1 MB), tuần tự | {remote['receive_per_s']:.2f} gói/s | "
              f"{remote['health_per_s'] / remote['receive_per_s']:.0f}× chậm hơn |",
              f"| A phát hành {remote['e2e']} văn bản kèm PDF 1 MB → B có đủ | {remote['e2e_s']:.1f} s "
              f"({remote['e2e'] / remote['e2e_s']:.2f} văn bản/s; riêng phát hành ở A {remote['issued_s']:.1f} s) | — |",
              "", "Nhận một gói gồm: kiểm tra lược đồ, chữ ký và dấu thời gian, lưu nguyên gói, ghi nhật ký băm chuỗi, "
              "tự trả trạng thái 01 (ký một gói trạng thái) qua hàng đợi. Đầu-cuối gồm cả soạn, ký số PDF, đóng dấu, "
              "đóng gói, ký gói, gửi, kiểm tra, lưu ở B. Máy chủ web ở đây là `runserver` một tiến trình, không phải "
              "gunicorn nhiều worker như triển khai thật."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0)
    no_write_argument(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tinhso-bench-exchange-") as tmp:
        work = Path(tmp)
        django_setup(database_url=f"sqlite:///{work / 'bench.sqlite3'}", data_dir=str(work / "data"))
        pdf = big_pdf()
        local = in_process(pdf, args.seconds)
        remote = instances(work / "instances", local, args.messages, pdf)
    report(SECTION, section(local, remote), no_write=args.no_write)


if __name__ == "__main__":
    main()
