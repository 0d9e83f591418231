import io
import unicodedata
from datetime import date
from pathlib import Path

import pypdf
import pytest
from fontTools.ttLib import TTFont

from tinhso.core.pdf import FONT_DIR, LocalOnlyFetcher, qr_data_uri, render_pdf

TEMPLATES = Path(__file__).parent / "templates"
NAME = "Nguyễn Thị Ánh Tuyết"


@pytest.fixture(autouse=True)
def test_templates(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]}]


def receipt(**extra) -> bytes:
    context = {
        "page": "a5",
        "parent_agency_name": "UBND tỉnh Phú Thọ",
        "agency_name": "Trung tâm Phục vụ hành chính công",
        "number": "01/GTN",
        "place": "Phú Thọ",
        "date": date(2026, 1, 5),
        "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "applicant": unicodedata.normalize("NFD", NAME),  # decomposed input must print correctly
        "fee": 1_250_000,
        "due": date(2026, 1, 19),
        "qr_url": "https://dichvucong.phutho.gov.vn/tra-cuu/H44.12-260105-0001",
        **extra,
    }
    return render_pdf(template_name="core_tests/receipt.html", context=context)


def text_of(pdf: bytes) -> str:
    """Extracted text, NFC, with line breaks and justification spaces collapsed to one space."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def embedded_fonts(pdf: bytes) -> dict[str, str]:
    """BaseFont name → family name read from the embedded font program itself."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = descriptor.get_object()["/FontFile2"].get_object().get_data()
            found[str(font["/BaseFont"]).split("+", 1)[-1]] = TTFont(io.BytesIO(program))["name"].getDebugName(1)
    return found


def test_vietnamese_text_comes_back_exactly():
    text = text_of(receipt())
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH PHÚ THỌ",  # agency names are set in upper case by the stylesheet
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "Số: 01/GTN",
        "Phú Thọ, ngày 05 tháng 01 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        NAME,
        "1.250.000 đ (Một triệu hai trăm năm mươi nghìn đồng)",
        "ngày 19 tháng 01 năm 2026",
    ]:
        assert expected in text, expected


def test_page_size_follows_the_page_variable():
    a5 = pypdf.PdfReader(io.BytesIO(receipt())).pages[0].mediabox
    a4 = pypdf.PdfReader(io.BytesIO(receipt(page="a4"))).pages[0].mediabox
    assert (round(float(a5.width)), round(float(a5.height))) == (420, 595)  # 148 × 210 mm
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)  # 210 × 297 mm


@pytest.mark.filterwarnings("ignore:No fonts configured in FontConfig")
def test_bundled_fonts_are_used_even_without_system_fonts(monkeypatch, tmp_path):
    # A fontconfig without any font directory: only the @font-face files of core/fonts exist.
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}</cachedir></fontconfig>')
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    pdf = receipt()
    fonts = embedded_fonts(pdf)
    assert set(fonts.values()) == {"Liberation Serif", "Noto Sans"}
    assert any(name.startswith("Times-New-Roman") for name in fonts)  # our @font-face family
    assert NAME in text_of(pdf)


def test_bundled_font_files_and_licences_are_shipped():
    names = {path.name for path in FONT_DIR.iterdir()}
    assert {
        "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
        "LiberationSerif-BoldItalic.ttf", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf",
        "LICENSE-LiberationSerif.txt", "LICENSE-NotoSans.txt",
    } <= names
    assert "SIL Open Font License" in (FONT_DIR / "LICENSE-NotoSans.txt").read_text()


def test_qr_code_is_an_svg_data_uri_drawn_on_the_form():
    uri = qr_data_uri("https://dichvucong.phutho.gov.vn/tra-cuu/H44.12-260105-0001")
    assert uri.startswith("data:image/svg+xml")

    def line_segments(pdf: bytes) -> int:
        # WeasyPrint draws the SVG's modules as vector strokes ("x y l") in the page content.
        return pypdf.PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().count(b" l\n")

    with_qr, without_qr = receipt(), receipt(qr_url="")
    assert line_segments(with_qr) - line_segments(without_qr) > 100
    assert "Quét để tra cứu" in text_of(with_qr) and "Quét để tra cứu" not in text_of(without_qr)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "http://127.0.0.1:9/logo.png", "https://example.com/x.png", "ftp://x/y"]
)
def test_fetcher_refuses_anything_outside_the_package(url):
    with pytest.raises(ValueError):
        LocalOnlyFetcher().fetch(url)


def test_fetcher_reads_bundled_files_and_data_uris():
    response = LocalOnlyFetcher().fetch((FONT_DIR / "NotoSans-Regular.ttf").as_uri())
    try:
        assert response.read(4) == b"\x00\x01\x00\x00"  # TrueType header
    finally:
        response.close()
    assert LocalOnlyFetcher().fetch("data:text/plain,abc").read() == b"abc"
