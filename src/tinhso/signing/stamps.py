"""Visible signature stamps per NĐ 30/2020 Phụ lục I (vn-standards §7.5), and the demo images.

* The person's stamp: a blue signature image on a transparent background, the signer's name below.
* The agency's stamp: the red seal at its real size, placed over about one third of the person's
  signature on the left, with the info text (agency name, signing time in Vietnam time) in blue
  italic 10 pt.

§7.5 asks for Times New Roman. pyHanko 0.38 spaces glyphs wrongly with fonts whose unitsPerEm is not
1000 (stack-notes §5, pitfall 1) and TNR/Liberation Serif use 2048, so the stamps use Noto Sans
(unitsPerEm 1000, full Vietnamese coverage), bundled in ``core/fonts``. Every font is checked when loaded.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import random
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle

from tinhso.signing.pki import nfc

BUNDLED_FONT_DIR = Path(__file__).resolve().parent.parent / "core" / "fonts"
MM = 72 / 25.4  # PDF points per millimetre

# Colours of §7.5: blue ink for the signature and the info text, red for the seal.
SIGNATURE_BLUE = (16, 48, 160)
SEAL_RED = (218, 30, 40)
INFO_TEXT_RGB = (0.0, 0.19, 0.63)
INFO_FONT_SIZE = 10  # pt, §7.5
NAME_FONT_SIZE = 11
# Round seals of state agencies are 32–40 mm; 36 mm is a common size [B] — configurable per agency.
SEAL_DIAMETER_MM = 36.0


class FontProblem(RuntimeError):
    pass


@dataclass(frozen=True)
class StampFonts:
    """Paths of the fonts the stamps use; each must have unitsPerEm = 1000 (see the module doc)."""

    regular: str
    bold: str
    italic: str

    @classmethod
    def noto_sans(cls, directory: str | Path = BUNDLED_FONT_DIR) -> StampFonts:
        base = Path(directory)
        return cls(
            regular=str(base / "NotoSans-Regular.ttf"),
            bold=str(base / "NotoSans-Bold.ttf"),
            italic=str(base / "NotoSans-Italic.ttf"),
        )

    def checked(self) -> StampFonts:
        """The same fonts, verified and reduced to the Vietnamese repertoire (see :func:`font_prepare`)."""
        return StampFonts(
            regular=font_prepare(self.regular), bold=font_prepare(self.bold), italic=font_prepare(self.italic)
        )


BUNDLED_FONTS = StampFonts.noto_sans()


@lru_cache(maxsize=16)
def font_check(path: str) -> str:
    if not Path(path).is_file():
        raise FontProblem(f"Stamp font {path} is missing (it ships in tinhso/core/fonts)")
    units = TTFont(path, lazy=True)["head"].unitsPerEm
    if units != 1000:
        raise FontProblem(f"Stamp font {path} has unitsPerEm={units}; pyHanko stamps need 1000")
    return path


# Latin with every Vietnamese letter (Latin-1, Extended-A/B for ơ ư, Extended Additional for ạ…ỹ),
# combining marks for NFD input, punctuation, ₫ and №.
VIETNAMESE_REPERTOIRE = (
    [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00),
     *range(0x2000, 0x2070), 0x20AB, 0x2116]
)


@lru_cache(maxsize=16)
def font_prepare(path: str, cache_dir: str = "") -> str:
    """A copy of the font reduced to :data:`VIETNAMESE_REPERTOIRE`, written once to a cache directory.

    pyHanko subsets the stamp font on every signature; on the full Noto font that takes about 0.8 s
    (fontTools decompiling the large layout tables), on the reduced copy a few milliseconds.
    """
    font_check(path)
    source = Path(path)
    stat = source.stat()
    key = hashlib.sha256(f"v2:{source.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    directory = Path(cache_dir or tempfile.gettempdir()) / "tinhso-stamp-fonts"
    target = directory / f"{source.stem}-vi-{key}.ttf"
    if target.is_file():
        return str(target)
    directory.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    # No OpenType layout at all: stamp text is NFC, and every Vietnamese letter has a precomposed
    # glyph, so marks never need positioning; the layout tables were most of the subsetting time.
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=VIETNAMESE_REPERTOIRE)
    subsetter.subset(font)
    # Write then rename, so that a concurrent worker never reads a half-written font.
    with tempfile.NamedTemporaryFile(dir=directory, suffix=".tmp", delete=False) as handle:
        font.save(handle)
    os.chmod(handle.name, 0o644)  # noqa: S103 - a public font, readable by other workers
    os.replace(handle.name, target)
    return str(target)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(nfc(text).encode("utf-8")).digest()[:8], "big")


# --- Demo images --------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def signature_image_generate(*, name: str, width: int = 640, height: int = 260) -> bytes:
    """A handwriting-like blue stroke on a transparent background, the same for the same name.

    Real signature images are scanned from paper and uploaded; this one stands in for the demo and
    the tests. The stroke is a looping curve (a drifting trochoid) with a pen width that follows the
    speed of the pen, ending in an underline flourish.
    """
    rng = random.Random(_seed(name))  # noqa: S311 - a drawing, not a secret
    scale = 3  # draw large, then downsample: smooth edges without an anti-aliasing library
    big = Image.new("RGBA", (width * scale, height * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    w, h = width * scale, height * scale

    loops = rng.randint(3, 5)
    radius = h * rng.uniform(0.14, 0.2)
    drift_phase = rng.uniform(0, 3)
    slant = rng.uniform(0.15, 0.35)
    points: list[tuple[float, float]] = []
    steps = 900
    for i in range(steps):
        t = i / (steps - 1)
        x = w * (0.08 + 0.62 * t) + radius * 0.9 * math.cos(2 * math.pi * loops * t + 1.2)
        y = h * 0.45 + radius * math.sin(2 * math.pi * loops * t + 1.2) * (1.2 - 0.5 * t)
        y += h * 0.06 * math.sin(2 * math.pi * t * 1.3 + drift_phase)
        points.append((x - (y - h * 0.45) * slant, y))
    # underline flourish from the end of the name back under it
    x_end, y_end = points[-1]
    for i in range(1, 260):
        t = i / 259
        x = x_end + (w * 0.92 - x_end) * t - (w * 0.75) * t * t
        y = y_end + h * 0.25 * math.sin(math.pi * t * 0.9) + h * 0.08 * t
        points.append((x, y))

    colour = (*SIGNATURE_BLUE, 255)
    # Pen width follows the (smoothed) speed: thin where the pen moves fast, as with real ink.
    speeds = [math.hypot(x1 - x0, y1 - y0) for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False)]
    window = 15
    smooth = [sum(speeds[max(0, i - window):i + window]) / len(speeds[max(0, i - window):i + window])
              for i in range(len(speeds))]
    fastest = max(smooth) or 1.0
    for ((x0, y0), (x1, y1)), speed in zip(zip(points, points[1:], strict=False), smooth, strict=True):
        pen = scale * (1.4 + 2.6 * (1 - speed / fastest))
        pieces = max(1, int(math.hypot(x1 - x0, y1 - y0) / (pen / 2)))
        for k in range(pieces + 1):
            x = x0 + (x1 - x0) * k / pieces
            y = y0 + (y1 - y0) * k / pieces
            draw.ellipse((x - pen, y - pen, x + pen, y + pen), fill=colour)
    return _png(big.resize((width, height), Image.Resampling.LANCZOS))


@lru_cache(maxsize=64)
def seal_image_generate(*, agency_name: str, center_text: str = "★", size: int = 720, font_path: str = "") -> bytes:
    """A red round seal with the agency name around the ring, transparent outside the ink.

    Demo only: the real seal image is scanned at its actual size and uploaded for each agency.
    """
    font_path = font_path or str(BUNDLED_FONT_DIR / "NotoSans-Bold.ttf")
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ink = (*SEAL_RED, 235)
    c = size / 2
    outer = size * 0.48
    draw.ellipse((c - outer, c - outer, c + outer, c + outer), outline=ink, width=int(size * 0.03))
    inner = size * 0.33
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), outline=ink, width=int(size * 0.012))

    text = nfc(agency_name).upper()
    font = ImageFont.truetype(font_path, int(size * 0.085))
    ring = (outer + inner) / 2 - size * 0.02
    widths = [font.getlength(ch) for ch in text]
    spacing = size * 0.006
    total_angle = (sum(widths) + spacing * len(text)) / ring
    total_angle = min(total_angle, math.radians(330))
    squeeze = total_angle / ((sum(widths) + spacing * len(text)) / ring)
    angle = -math.pi / 2 - total_angle / 2  # centred on the top of the ring, running clockwise
    for ch, ch_width in zip(text, widths, strict=True):
        step = (ch_width + spacing) / ring * squeeze
        mid = angle + step / 2
        glyph = Image.new("RGBA", (int(size * 0.2), int(size * 0.2)), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=font, fill=ink, anchor="mm")
        glyph = glyph.rotate(-math.degrees(mid) - 90, resample=Image.Resampling.BICUBIC)
        gx = c + ring * math.cos(mid) - glyph.width / 2
        gy = c + ring * math.sin(mid) - glyph.height / 2
        image.alpha_composite(glyph, (int(gx), int(gy)))
        angle += step

    if center_text == "★":
        _star(draw, c, c, size * 0.16, ink)
    else:
        centre_font = ImageFont.truetype(font_path, int(size * 0.07))
        draw.multiline_text((c, c), nfc(center_text).upper(), font=centre_font, fill=ink, anchor="mm", align="center")
    return _png(image)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill) -> None:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.4
        a = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(a), cy + radius * math.sin(a)))
    draw.polygon(points, fill=fill)


# --- pyHanko stamp styles -----------------------------------------------------------------------


def _text_style(font_path: str, size: int, colour: tuple[float, float, float] | None) -> TextBoxStyle:
    # The same size on the glyph accumulator and the text box (stack-notes §5, pitfall 2).
    return TextBoxStyle(
        font=GlyphAccumulatorFactory(font_check(font_path), font_size=size), font_size=size,
        leading=int(size * 1.25), text_color=colour,
    )


def _image(png: bytes, *, width_pt: float, height_pt: float | None = None) -> PdfImage:
    img = Image.open(io.BytesIO(png))
    img.load()
    if img.mode not in ("RGBA", "LA"):
        img = img.convert("RGBA")
    if height_pt is None:
        height_pt = width_pt * img.height / img.width
    return PdfImage(img, box=layout.BoxConstraints(width_pt, height_pt))


def personal_stamp_style(*, signature_png: bytes | None, fonts: StampFonts, image_width_pt: float) -> TextStampStyle:
    """Signature image centred in the upper part of the box, the signer's name at the bottom.

    Stamp text parameter: ``signer_name``.
    """
    name_band = int(NAME_FONT_SIZE * 1.6)
    return TextStampStyle(
        stamp_text="%(signer_name)s",
        text_box_style=_text_style(fonts.bold, NAME_FONT_SIZE, (0.0, 0.0, 0.0)),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MIN,
        ),
        background=_image(signature_png, width_pt=image_width_pt) if signature_png else None,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(bottom=name_band),
        ),
        border_width=0,
    )


def agency_stamp_style(*, seal_png: bytes | None, fonts: StampFonts, seal_diameter_pt: float,
                       seal_offset_pt: float = 0) -> TextStampStyle:
    """The seal at its real size in the top-left corner of the box, the info text along the bottom.

    Stamp text parameters: ``agency_name`` and ``signed_at`` (already in Vietnam time: pyHanko's own
    ``%(ts)s`` is UTC, stack-notes §5 pitfall 3).
    """
    return TextStampStyle(
        stamp_text="%(agency_name)s\nThời gian ký: %(signed_at)s",
        text_box_style=_text_style(fonts.italic, INFO_FONT_SIZE, INFO_TEXT_RGB),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MIN,
        ),
        background=(
            _image(seal_png, width_pt=seal_diameter_pt, height_pt=seal_diameter_pt) if seal_png else None
        ),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(left=int(round(seal_offset_pt))),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
        border_width=0,
    )


# --- Geometry -----------------------------------------------------------------------------------

Box = tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points, origin bottom-left


@lru_cache(maxsize=8)
def _measure_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size * 10)


def text_width_pt(text: str, *, font_path: str, size: int) -> float:
    """Width of one line of text at ``size`` pt, measured with the same font file."""
    return max((_measure_font(font_path, size).getlength(line) / 10 for line in text.splitlines()), default=0.0)


def personal_box_default(*, page_width: float, page_height: float) -> Box:
    """Right column near the bottom, where NĐ 30/2020 puts the signature block (ô 7)."""
    width, height = 62 * MM, 32 * MM
    x2 = page_width - 20 * MM
    y1 = 45 * MM
    return (x2 - width, y1, x2, y1 + height)


def info_height_pt(lines: int = 2) -> float:
    """Height of the agency stamp's info text (agency name and signing time) of ``lines`` lines."""
    return INFO_FONT_SIZE * 1.25 * lines + 4


def agency_box_over(personal: Box, *, seal_diameter_pt: float, info_width_pt: float) -> Box:
    """The seal centred on the left third of the person's signature, the info text below the name.

    §7.5: the seal overlaps about one third of the person's signature, on the left. The info text goes
    under both the signature block and the seal, never across the seal.
    """
    x1, y1, x2, y2 = personal
    name_band = NAME_FONT_SIZE * 1.6
    seal_cx = x1 + (x2 - x1) / 6
    seal_cy = (y1 + name_band + y2) / 2
    left = seal_cx - seal_diameter_pt / 2
    top = seal_cy + seal_diameter_pt / 2
    bottom = min(y1, seal_cy - seal_diameter_pt / 2) - info_height_pt()
    right = max(seal_cx + seal_diameter_pt / 2, left + info_width_pt + 4)
    return (left, bottom, right, top)


def agency_box_form(cell: Box, *, seal_diameter_pt: float, info_width_pt: float,
                    page_right: float) -> tuple[Box, float]:
    """The seal over a form's officer cell, and how far right of the box's left edge the seal sits.

    A form (A5) has another cell left of the officer's (the applicant's signature on the receipt,
    "Nơi nhận" on a letter) and little room below. So the seal's top and left edges are the cell's:
    it covers the officer's title and the left of the name, as a paper seal covers the left third of
    the signature. The two lines of info text go right under the names and end at ``page_right``;
    when the agency name is wider than the cell, the text starts further left, under the applicant's
    name, while the seal stays in the officer's cell. Returns ``(box, seal_offset)``.
    """
    x1, y1, _x2, y2 = cell
    text_left = min(x1, page_right - info_width_pt - 4)
    bottom = min(y1 - info_height_pt(), y2 - seal_diameter_pt)
    right = max(x1 + seal_diameter_pt, text_left + info_width_pt + 4)
    return (text_left, bottom, right, y2), x1 - text_left


def agency_box_default(*, page_width: float, page_height: float, seal_diameter_pt: float, info_width_pt: float) -> Box:
    """Without a person's signature to overlap: the seal with the info text under it, right column."""
    info_height = info_height_pt()
    width = max(seal_diameter_pt, info_width_pt + 4)
    x2 = page_width - 20 * MM
    y1 = 40 * MM
    return (x2 - width, y1, x2, y1 + seal_diameter_pt + info_height)
