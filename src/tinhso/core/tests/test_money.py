from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinhso.core.money import MAX_AMOUNT_IN_WORDS, amount_in_words, format_vnd, vnd_in_words


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "0 đ"),
        (5, "5 đ"),
        (1_000, "1.000 đ"),
        (1_250_000, "1.250.000 đ"),
        (-1_250_000, "-1.250.000 đ"),
        (Decimal("1250000"), "1.250.000 đ"),
        (Decimal("1250000.50"), "1.250.001 đ"),  # no minor unit: rounded half up
        (Decimal("999.49"), "999 đ"),
        (10**12, "1.000.000.000.000 đ"),
    ],
)
def test_format_vnd(amount, text):
    assert format_vnd(amount) == text


WORDS = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (55, "năm mươi lăm"),
    (100, "một trăm"),
    (101, "một trăm lẻ một"),
    (104, "một trăm lẻ bốn"),
    (105, "một trăm lẻ năm"),
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (1_000, "một nghìn"),
    (1_005, "một nghìn không trăm lẻ năm"),
    (1_015, "một nghìn không trăm mười lăm"),
    (1_021, "một nghìn không trăm hai mươi mốt"),
    (1_100, "một nghìn một trăm"),
    (10_000, "mười nghìn"),
    (15_000, "mười lăm nghìn"),
    (105_000, "một trăm lẻ năm nghìn"),
    (1_000_000, "một triệu"),
    (1_250_000, "một triệu hai trăm năm mươi nghìn"),
    (2_000_001, "hai triệu không trăm lẻ một"),
    (2_001_000, "hai triệu không trăm lẻ một nghìn"),
    (1_000_000_000, "một tỷ"),
    (1_000_000_001, "một tỷ không trăm lẻ một"),
    (1_001_000_000, "một tỷ không trăm lẻ một triệu"),
    (25_000_000_000, "hai mươi lăm tỷ"),
    (100_000_000_005, "một trăm tỷ không trăm lẻ năm"),
    (10**12, "một nghìn tỷ"),
]


@pytest.mark.parametrize(("n", "text"), WORDS)
def test_amount_in_words(n, text):
    assert amount_in_words(n) == text


def test_linh_instead_of_le():
    assert amount_in_words(105, odd_word="linh") == "một trăm linh năm"
    assert amount_in_words(2_000_001, odd_word="linh") == "hai triệu không trăm linh một"
    with pytest.raises(ValueError):
        amount_in_words(105, odd_word="lẽ")


def test_vnd_in_words_is_capitalised_and_ends_with_dong():
    assert vnd_in_words(1_250_000) == "Một triệu hai trăm năm mươi nghìn đồng"
    assert vnd_in_words(0) == "Không đồng"
    assert vnd_in_words(1_015) == "Một nghìn không trăm mười lăm đồng"


@pytest.mark.parametrize("bad", [-1, MAX_AMOUNT_IN_WORDS + 1])
def test_out_of_range(bad):
    with pytest.raises(ValueError):
        amount_in_words(bad)


def test_non_integers_are_refused():
    with pytest.raises(TypeError):
        amount_in_words(1.5)


# --- Properties ----------------------------------------------------------------------------------

VOCABULARY = {
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
    "mười", "mươi", "mốt", "tư", "lăm", "lẻ", "linh", "trăm", "nghìn", "triệu", "tỷ",
}
_DIGIT = {w: i for i, w in enumerate(["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"])}
_DIGIT |= {"mốt": 1, "tư": 4, "lăm": 5}


def parse_words(text: str) -> int:
    """Independent reading of Vietnamese number words back into an int (test oracle)."""
    total = 0        # finished part above the current "tỷ"
    below = 0        # part below a billion, finished groups
    group = 0        # current group of three digits
    digit = None
    for word in text.split():
        if word in _DIGIT:
            digit = _DIGIT[word]
        elif word == "trăm":
            group += digit * 100
            digit = None
        elif word == "mười":
            group += 10
        elif word == "mươi":
            group += digit * 10
            digit = None
        elif word in ("lẻ", "linh"):
            pass
        elif word in ("nghìn", "triệu"):
            group += digit or 0
            digit = None
            below += group * (1000 if word == "nghìn" else 1_000_000)
            group = 0
        elif word == "tỷ":
            group += digit or 0
            digit = None
            total = (total + below + group) * 1_000_000_000
            below = group = 0
        else:
            raise ValueError(word)
    return total + below + group + (digit or 0)


amounts = st.one_of(
    st.integers(min_value=0, max_value=MAX_AMOUNT_IN_WORDS),
    st.integers(min_value=0, max_value=10_000),
    st.sampled_from([10**k + d for k in range(13) for d in (-1, 0, 1, 5, 15, 21) if 0 <= 10**k + d <= 10**12]),
)


@settings(max_examples=400, deadline=None)
@given(amounts)
def test_words_read_back_to_the_same_number(n):
    text = amount_in_words(n)
    assert text and text == text.strip() and "  " not in text
    assert set(text.split()) <= VOCABULARY
    assert parse_words(text) == n


@settings(max_examples=100, deadline=None)
@given(st.sets(amounts, min_size=2, max_size=30))
def test_different_numbers_give_different_words(numbers):
    texts = {amount_in_words(n) for n in numbers}
    assert len(texts) == len(numbers)


@settings(max_examples=200, deadline=None)
@given(amounts)
def test_linh_variant_differs_only_in_that_word(n):
    assert amount_in_words(n, odd_word="linh") == amount_in_words(n).replace("lẻ", "linh")


def test_parser_oracle_agrees_with_the_table():
    for n, text in WORDS:
        assert parse_words(text) == n
