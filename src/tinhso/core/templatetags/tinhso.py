"""Template filters for Vietnamese forms: ``{% load tinhso %}``.

``{{ amount|vnd }}`` → 1.250.000 đ · ``{{ amount|vnd_words }}`` → Một triệu … đồng ·
``{{ d|date_words }}`` → ngày 05 tháng 01 năm 2026 · ``{% place_date_line "Phú Thọ" d %}`` ·
``{{ url|qr_data_uri }}`` → SVG QR code for an ``<img src>``.
"""

from __future__ import annotations

from django import template

from tinhso.core import money, text

register = template.Library()


@register.filter
def vnd(amount) -> str:
    return "" if amount in (None, "") else money.format_vnd(amount)


@register.filter
def vnd_words(amount) -> str:
    return "" if amount in (None, "") else money.vnd_in_words(int(amount))


@register.filter
def date_words(value) -> str:
    return "" if not value else text.date_words(value)


@register.simple_tag
def place_date_line(place, value) -> str:
    if not place:
        words = text.date_words(value)
        return words[0].upper() + words[1:]
    return text.place_date_line(place, value)


@register.filter
def qr_data_uri(url) -> str:
    # Imported here: Django loads every tag library at start-up and WeasyPrint is slow to import.
    from tinhso.core.pdf import qr_data_uri as make

    return make(str(url)) if url else ""
