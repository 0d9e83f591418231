"""The issued PDF: Điều 8 elements in the Phụ lục I order (read back with pdftotext), the leader's and
the agency's signatures valid for our verifier and for poppler's pdfsig, one changed byte detected."""

import shutil
import subprocess

import pytest
from django.utils import timezone

from tinhso.core.files import file_read
from tinhso.core.text import date_words
from tinhso.documents.rendering import document_render

pytestmark = pytest.mark.django_db


def pdftotext(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext missing (apt install poppler-utils)")
    done = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def flip_byte(pdf: bytes, offset: int = 12) -> bytes:
    """One changed byte inside the signed range (just after the header)."""
    data = bytearray(pdf)
    data[offset] ^= 0x01
    return bytes(data)


def in_order(text: str, parts: list[str]) -> None:
    position = -1
    for part in parts:
        found = text.find(part, position + 1)
        assert found > position, f"{part!r} missing or out of order in: {text[:600]}"
        position = found


def test_issued_cong_van_has_two_valid_signatures_and_the_elements_in_order(world, flow, pki):
    from tinhso.signing.models import TrustAnchor
    from tinhso.signing.services import pdf_verify
    from tinhso.signing.testing import pdfsig_check

    doc = flow("issued", urgency="khan")
    pdf = file_read(stored_file=doc.signed_file)
    report = pdf_verify(pdf=pdf)
    assert [s.verdict for s in report.signatures] == ["valid", "valid"]
    assert [s.signer_common_name for s in report.signatures] == ["Nguyễn Văn Chủ", "Ủy ban nhân dân xã Lâm Thao"]
    root = TrustAnchor.objects.values_list("certificate_pem", flat=True).get()
    checked = pdfsig_check(pdf, trusted_roots_pem=[root])
    assert checked.output.count("Signature #") == 2 and checked.all_valid_and_trusted, checked.output

    text = pdftotext(pdf)
    today = timezone.localdate()
    # Phụ lục I: the left column (ô 2, 3, 5b, 10b) and the right one (ô 1, 4) are read column by column.
    in_order(text, ["ỦY BAN NHÂN DÂN XÃ LÂM THAO", "Số: 01/UBND-VP", "V/v Đề nghị hướng dẫn chứng thực", "KHẨN"])
    in_order(text, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", f"Lâm Thao, {date_words(today)}",
                    "Kính gửi: Sở Tư pháp tỉnh Phú Thọ", "đề nghị Sở Tư pháp hướng dẫn", "Nơi nhận:",
                    "- Lưu: VT, VP."])
    in_order(text, ["Trân trọng", "CHỦ TỊCH", "Nguyễn Văn Chủ"])

    tampered = flip_byte(pdf)
    assert pdf_verify(pdf=tampered).verdict == "modified"
    assert "Digest Mismatch" in pdfsig_check(tampered, trusted_roots_pem=[root]).output


@pytest.mark.parametrize("doc_type,subject,title", [
    ("QĐ", "Về việc thành lập Tổ công tác chuyển đổi số", "QUYẾT ĐỊNH"),
    ("TB", "Lịch tiếp công dân tháng 3", "THÔNG BÁO"),
    ("TTr", "Đề nghị phê duyệt kế hoạch", "TỜ TRÌNH"),
    ("BC", "Kết quả cải cách hành chính quý I", "BÁO CÁO"),
    ("KH", "Triển khai chữ ký số năm 2026", "KẾ HOẠCH"),
    ("GM", "Dự hội nghị tổng kết", "GIẤY MỜI"),
])
def test_each_template_prints_type_and_subject(world, draft, doc_type, subject, title):
    doc = draft(doc_type=doc_type, subject=subject, body="QUYẾT ĐỊNH:\nĐiều 1. Nội dung.\nĐiều 2. Hiệu lực.")
    text = pdftotext(document_render(doc, number=5))
    notation = f"Số: 05/{doc_type}-UBND"
    in_order(text, [notation, title, subject, "Điều 1. Nội dung.", "Nơi nhận:", "CHỦ TỊCH"])


def test_pages_are_numbered_from_the_second(world, draft):
    body = "\n".join(f"Đoạn thứ {i}: nội dung dài để văn bản sang trang thứ hai, thứ ba." for i in range(70))
    pdf = document_render(draft(body=body), number=3)
    pdftotext(pdf)  # skips without poppler
    done = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True)
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", "-", "-"], input=pdf, capture_output=True,
                           check=True)
    assert done.stdout.decode().split()[0] == "2"
    assert first.stdout.decode().split()[0] != "1"
