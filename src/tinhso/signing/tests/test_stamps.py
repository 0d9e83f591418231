"""Demo stamp images and the checks on uploaded ones (vn-standards §7.5: transparent PNG, blue / red)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tinhso.core.errors import ValidationFailed
from tinhso.signing.services.certificates import image_png_check
from tinhso.signing.stamps import seal_image_generate, signature_image_generate


def _ink(png: bytes) -> list[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.mode == "RGBA"
    raw = image.tobytes()
    return [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 4) if raw[i + 3] > 200]


def test_signature_is_blue_ink_on_transparent_background():
    png = signature_image_generate(name="Phạm Quang Huy")
    image = Image.open(io.BytesIO(png))
    ink = _ink(png)
    assert 0.02 < len(ink) / (image.width * image.height) < 0.4  # a stroke, not a filled box
    assert all(b > r and b > g for r, g, b in ink)
    assert image.getpixel((0, 0))[3] == 0  # transparent corner


def test_each_person_gets_their_own_signature_always_the_same():
    assert signature_image_generate(name="Phạm Quang Huy") == signature_image_generate(name="Phạm Quang Huy")
    assert signature_image_generate(name="Phạm Quang Huy") != signature_image_generate(name="Trương Minh Đức")


def test_seal_is_red_and_round():
    png = seal_image_generate(agency_name="Sở Tư pháp tỉnh Phú Thọ")
    image = Image.open(io.BytesIO(png))
    assert all(r > g and r > b for r, g, b in _ink(png))
    assert image.getpixel((0, 0))[3] == 0 and image.getpixel((image.width - 1, image.height - 1))[3] == 0
    assert image.getpixel((image.width // 2, image.height // 2))[3] > 200  # the star in the centre


def test_uploaded_images_must_be_transparent_png():
    assert image_png_check(data=signature_image_generate(name="A")) is not None
    opaque = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(opaque, format="PNG")
    jpeg = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(jpeg, format="JPEG")
    for data, code in ((opaque.getvalue(), "image_not_transparent"), (jpeg.getvalue(), "image_not_png"),
                       (b"not an image", "image_invalid")):
        with pytest.raises(ValidationFailed) as exc:
            image_png_check(data=data)
        assert exc.value.code == code
