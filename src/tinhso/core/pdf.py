"""PDF from Django templates with WeasyPrint, using the fonts bundled in ``core/fonts``.

Legal forms (Mẫu 01–07, registers, NĐ 30/2020 documents) are HTML templates extending
``pdf/form_base.html``. The fonts travel with the package, so a server without
``fonts-liberation2`` still prints Times New Roman metrics (Liberation Serif) and never falls back
to a font without Vietnamese marks. WeasyPrint needs the system Pango and fontconfig libraries.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from tinhso.core.text import nfc

# WeasyPrint logs every rendering step at INFO; with the root logger at INFO that is seven lines per PDF.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/tinhso
FONT_DIR = Path(__file__).resolve().parent / "fonts"

# (CSS family, file, weight, style). "Times New Roman" is what NĐ 30/2020 prescribes; Liberation
# Serif has its metrics, so line breaks match documents typed in Word.
FONT_FACES: tuple[tuple[str, str, str, str], ...] = (
    ("Times New Roman", "LiberationSerif-Regular.ttf", "normal", "normal"),
    ("Times New Roman", "LiberationSerif-Bold.ttf", "bold", "normal"),
    ("Times New Roman", "LiberationSerif-Italic.ttf", "normal", "italic"),
    ("Times New Roman", "LiberationSerif-BoldItalic.ttf", "bold", "italic"),
    ("Noto Sans", "NotoSans-Regular.ttf", "normal", "normal"),
    ("Noto Sans", "NotoSans-Bold.ttf", "bold", "normal"),
    ("Noto Sans", "NotoSans-Italic.ttf", "normal", "italic"),
)


def font_face_css() -> str:
    """``@font-face`` rules pointing at the bundled font files."""
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(FONT_DIR / filename).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for family, filename, weight, style in FONT_FACES
    )


class LocalOnlyFetcher(URLFetcher):
    """Fetch ``data:`` URIs and files inside the Tỉnh Số package; refuse everything else.

    Templates render text that applicants typed: an ``<img src="http://…">`` smuggled into it
    must not make the server fetch URLs (SSRF) or read files such as ``/etc/passwd``.
    """

    def __init__(self, *, roots: tuple[Path, ...] = (PACKAGE_DIR,)):
        super().__init__(allowed_protocols={"data", "file"}, timeout=5)
        self._roots = tuple(root.resolve() for root in roots)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self._roots):
                raise ValueError(f"PDF rendering may not read {path}")
        return super().fetch(url, headers)


def render_pdf(*, template_name: str, context: dict, request=None, paged_context: bool = False) -> bytes:
    """Render a Django template to PDF bytes.

    Relative URLs in the template resolve inside ``src/tinhso`` (e.g. ``static/img/logo.png``);
    images from elsewhere are passed as ``data:`` URIs (see ``qr_data_uri``).

    With ``paged_context``, a layout of more than one page is redone with ``paged=True`` in the
    context: CSS cannot ask how many pages there will be, and a one-page A5 form must not say
    "Trang 1/1" while a longer one must number its pages (dossiers/forms/base.html). The page
    numbers sit in the margin, so the second layout breaks the pages at the same places.
    """
    fetcher = LocalOnlyFetcher()
    font_config = FontConfiguration()
    fonts = CSS(string=font_face_css(), font_config=font_config, url_fetcher=fetcher)

    def layout(values: dict):
        html = nfc(render_to_string(template_name, values, request=request))
        document = HTML(string=html, base_url=PACKAGE_DIR.as_uri() + "/", url_fetcher=fetcher)
        return document.render(stylesheets=[fonts], font_config=font_config)

    rendered = layout(context)
    if paged_context and len(rendered.pages) > 1:
        rendered = layout({**context, "paged": True})
    return rendered.write_pdf()


def qr_data_uri(url: str, *, scale: int = 4) -> str:
    """An SVG QR code as a ``data:`` URI, for the tracking link printed on forms."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=scale, border=2)
