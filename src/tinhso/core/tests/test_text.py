import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinhso.core.text import clean_text, date_words, fold, nfc, place_date_line, sort_key


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_nfc_composes_decomposed_input_and_maps_none_to_empty():
    assert nfc(nfd("Nguyễn Thị Ánh Tuyết")) == "Nguyễn Thị Ánh Tuyết"
    assert nfc(nfd("Nguyễn")) != nfd("Nguyễn")
    assert nfc(None) == ""


def test_clean_text_trims_and_collapses_whitespace():
    assert clean_text("  Đăng ký\t khai\n\nsinh\u00a0 ") == "Đăng ký khai sinh"
    assert clean_text(nfd("Hồ sơ")) == "Hồ sơ"
    assert clean_text(None) == ""


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ   KHAI SINH", "dang ky khai sinh"),
        ("Cấp lại Giấy chứng nhận quyền sử dụng đất", "cap lai giay chung nhan quyen su dung dat"),
        ("Dƣơng Văn Ƣớc", "duong van uoc"),  # legacy-font "ƣ" (U+01A3) where "ư" was meant
        ("Thừa Thiên Huế", "thua thien hue"),
        (None, ""),
    ],
)
def test_fold_gives_the_search_key(text, key):
    assert fold(text) == key


def test_fold_is_the_same_for_nfc_and_nfd_input():
    assert fold(nfd("Quyết định số 05/QĐ-UBND")) == fold("Quyết định số 05/QĐ-UBND") == "quyet dinh so 05/qd-ubnd"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐĂÂÊÔƠƯ -")))
def test_fold_output_is_plain_ascii_and_idempotent(text):
    key = fold(text)
    assert key.isascii()
    assert fold(key) == key
    assert "  " not in key and key == key.strip()


def test_sort_key_orders_like_icu_vi():
    names = ["Nguyễn", "An", "Đặng", "Ấn", "Ân", "Ă", "Bùi", "Dũng", "Dương", "Đỗ", "Z"]
    assert sorted(names, key=sort_key) == ["An", "Ă", "Ân", "Ấn", "Bùi", "Dũng", "Dương", "Đặng", "Đỗ", "Nguyễn", "Z"]


def test_python_default_sort_would_be_wrong():
    # The reason sort_key exists (stack-notes §9).
    names = ["Nguyễn", "An", "Đặng", "Ấn", "Ân", "Ă", "Bùi", "Dũng", "Dương", "Đỗ", "Z"]
    assert sorted(names) != sorted(names, key=sort_key)


def test_tones_are_ordered_ngang_huyen_hoi_nga_sac_nang():
    words = ["má", "mạ", "mà", "ma", "mã", "mả"]
    assert sorted(words, key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_letters_weigh_more_than_tones():
    # "ă" is a letter after every "a", whatever the tone of the "a".
    assert sorted(["ăn", "ạn", "án", "an"], key=sort_key) == ["an", "án", "ạn", "ăn"]
    assert sorted(["ơi", "ôi", "ối", "oi"], key=sort_key) == ["oi", "ôi", "ối", "ơi"]
    assert sorted(["dư", "đa", "du", "dứ"], key=sort_key) == ["du", "dư", "dứ", "đa"]


def test_later_letters_decide_before_earlier_tones():
    # Tones are a secondary level: compared only when all letters of both strings are equal.
    assert sorted(["Ha Nội", "Hà Nam"], key=sort_key) == ["Hà Nam", "Ha Nội"]
    assert sorted(["Hà Nam", "Ha Nam"], key=sort_key) == ["Ha Nam", "Hà Nam"]


def test_lower_case_before_upper_case_when_otherwise_equal():
    assert sorted(["An", "an"], key=sort_key) == ["an", "An"]


def test_shorter_prefix_first_and_space_before_letters():
    assert sorted(["Nguyễn Văn Anh", "Nguyễn Văn An", "Nguyễn Vănh"], key=sort_key) == [
        "Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Vănh",
    ]


def test_digits_before_letters_and_foreign_letters_in_latin_order():
    assert sorted(["b", "2", "a", "f", "z", "w", "j"], key=sort_key) == ["2", "a", "b", "f", "j", "w", "z"]


def test_sort_key_ignores_normalisation_form_and_extra_spaces():
    assert sort_key(nfd("Nguyễn  Thị")) == sort_key("Nguyễn Thị")


def test_legacy_oi_letter_sorts_as_u_horn():
    assert sort_key("Dƣơng") == sort_key("Dương")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("aăâdđeêoôơuưàạấẫờựAĂĐƯ 1"), max_size=6), max_size=8))
def test_sort_key_is_a_total_order_consistent_with_equality(words):
    ordered = sorted(words, key=sort_key)
    assert sorted(ordered, key=sort_key) == ordered
    for left, right in zip(ordered, ordered[1:], strict=False):
        assert sort_key(left) <= sort_key(right)
        if sort_key(left) == sort_key(right):
            assert clean_text(left) == clean_text(right)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_sort_key_and_fold_accept_any_text(text):
    assert isinstance(sort_key(text), tuple)
    assert isinstance(fold(text), str)


@pytest.mark.parametrize(
    ("d", "words"),
    [
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2026, 3, 15), "ngày 15 tháng 3 năm 2026"),  # only months 1 and 2 take a zero
        (date(2026, 12, 9), "ngày 09 tháng 12 năm 2026"),
    ],
)
def test_date_words_follow_nd30(d, words):
    assert date_words(d) == words


def test_date_words_uses_vietnam_date_of_an_aware_datetime():
    late_evening_utc = datetime(2026, 1, 4, 18, 30, tzinfo=ZoneInfo("UTC"))  # 01:30 on the 5th in Hà Nội
    assert date_words(late_evening_utc) == "ngày 05 tháng 01 năm 2026"


def test_place_date_line():
    assert place_date_line("Phú Thọ", date(2026, 1, 5)) == "Phú Thọ, ngày 05 tháng 01 năm 2026"
    assert place_date_line(nfd(" Đắk Lắk "), date(2026, 4, 30)) == "Đắk Lắk, ngày 30 tháng 4 năm 2026"


@pytest.mark.django_db
def test_sort_key_agrees_with_icu_in_postgresql():
    """PostgreSQL's ICU collation "vi-VN-x-icu" is the oracle: same order for 400 generated names."""
    import random

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the ICU oracle is PostgreSQL's vi-VN-x-icu collation")
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
              "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Ông", "Âu", "Ân", "Ấn", "An", "Ă"]
    middle = ["Văn", "Thị", "Hữu", "Đức", "Ngọc", "Thanh", "Minh", "Xuân", "Thu", "Ánh", "Mạnh", "Quốc"]
    given = ["An", "Anh", "Ánh", "Ân", "Bình", "Cường", "Dũng", "Dung", "Đạt", "Hà", "Hạ", "Hả", "Hã", "Há",
             "Hải", "Hưng", "Hương", "Khánh", "Linh", "Lĩnh", "Mai", "Mãi", "Nam", "Nga", "Ngà", "Oanh",
             "Ơn", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Tuyết", "Uyên", "Ưng", "Vy", "Yến", "Z"]
    rng = random.Random(20260105)
    names = {" ".join([rng.choice(family), rng.choice(middle), rng.choice(given)]) for _ in range(400)}
    names |= {name.lower() for name in list(names)[:40]} | {name.upper() for name in list(names)[:40]}
    with connection.cursor() as cursor:
        cursor.execute('SELECT n FROM unnest(%s::text[]) AS n ORDER BY n COLLATE "vi-VN-x-icu"', [sorted(names)])
        icu_order = [row[0] for row in cursor.fetchall()]
    assert sorted(names, key=sort_key) == icu_order
