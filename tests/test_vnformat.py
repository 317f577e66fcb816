"""Tests for docgen.vnformat: exact strings from the domain notes (sections 1.3, 4, 5, 6.1)."""

from __future__ import annotations

import dataclasses
import random
import subprocess
import sys
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.vnformat import (
    WordStyle,
    capitalize_first,
    format_date,
    format_date_short,
    format_money,
    format_number,
    format_percent,
    format_time,
    money_in_words,
    name_sort_key,
    number_to_words,
    pad2,
    place_date,
    register_filters,
    roman,
    vietnamese_sort_key,
)

LINH = WordStyle()
LE = WordStyle(zero_tens="lẻ")
STYLES = [pytest.param(LINH, id="linh"), pytest.param(LE, id="le")]
ALL_STYLES = [
    WordStyle(zero_tens=z, thousand=t, four=f)
    for z in ("linh", "lẻ")
    for t in ("nghìn", "ngàn")
    for f in ("bốn", "tư")
]


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# ---------------------------------------------------------------------------
# Numbers in words.  "{z}" stands for linh / lẻ, so each vector runs in both styles.
# ---------------------------------------------------------------------------

WORD_VECTORS: list[tuple[int, str]] = [
    # domain notes 5.1 (lẻ style there)
    (21, "hai mươi mốt"),
    (105, "một trăm {z} năm"),
    (1_015, "một nghìn không trăm mười lăm"),
    (2_340_000, "hai triệu ba trăm bốn mươi nghìn"),
    (14_040_000, "mười bốn triệu không trăm bốn mươi nghìn"),
    (1_000_000_000, "một tỷ"),
    (702_000, "bảy trăm {z} hai nghìn"),
    (1_000_001_000, "một tỷ không trăm {z} một nghìn"),
    (2_000_005, "hai triệu không trăm {z} năm"),
    (3_005_000, "ba triệu không trăm {z} năm nghìn"),
    (1_000_500, "một triệu năm trăm"),
    (1_080_000, "một triệu không trăm tám mươi nghìn"),
    (2_500_000_000_000, "hai nghìn năm trăm tỷ"),
    (10**15, "một triệu tỷ"),
    (10**18, "một tỷ tỷ"),
    # the cross-check page in 5.1
    (1_005, "một nghìn không trăm {z} năm"),
    (1_025, "một nghìn không trăm hai mươi lăm"),
    (5_025_110, "năm triệu không trăm hai mươi lăm nghìn một trăm mười"),
    (505, "năm trăm {z} năm"),
    # num2words failures listed in 5.2
    (1_050, "một nghìn không trăm năm mươi"),
    (1_404_000, "một triệu bốn trăm {z} bốn nghìn"),
    # small numbers: mười/mươi, mốt, lăm, bốn
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (24, "hai mươi bốn"),
    (25, "hai mươi lăm"),
    (50, "năm mươi"),
    (55, "năm mươi lăm"),
    (91, "chín mươi mốt"),
    (99, "chín mươi chín"),
    (100, "một trăm"),
    (101, "một trăm {z} một"),
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (1_000, "một nghìn"),
    (1_001, "một nghìn không trăm {z} một"),
    (10_000, "mười nghìn"),
    (100_000, "một trăm nghìn"),
    (1_000_000, "một triệu"),
    (1_000_000_005, "một tỷ không trăm {z} năm"),
    (1_005_000_000, "một tỷ không trăm {z} năm triệu"),
    (10**12, "một nghìn tỷ"),
    (10**15 + 10**12, "một triệu không trăm {z} một nghìn tỷ"),
    (
        123_456_789_012,
        "một trăm hai mươi ba tỷ bốn trăm năm mươi sáu triệu "
        "bảy trăm tám mươi chín nghìn không trăm mười hai",
    ),
    # reward amounts of section 4.3
    (450_000, "bốn trăm năm mươi nghìn"),
    (900_000, "chín trăm nghìn"),
    (1_410_000, "một triệu bốn trăm mười nghìn"),
    (710_000, "bảy trăm mười nghìn"),
    (1_490_000, "một triệu bốn trăm chín mươi nghìn"),
    (2_980_000, "hai triệu chín trăm tám mươi nghìn"),
    (540_000, "năm trăm bốn mươi nghìn"),
    (1_800_000, "một triệu tám trăm nghìn"),
    (3_600_000, "ba triệu sáu trăm nghìn"),
    (4_680_000, "bốn triệu sáu trăm tám mươi nghìn"),
    (760_000, "bảy trăm sáu mươi nghìn"),
    (1_520_000, "một triệu năm trăm hai mươi nghìn"),
    (2_530_000, "hai triệu năm trăm ba mươi nghìn"),
    (5_060_000, "năm triệu không trăm sáu mươi nghìn"),
    (1_300_000, "một triệu ba trăm nghìn"),
    (1_390_000, "một triệu ba trăm chín mươi nghìn"),
]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(("n", "words"), WORD_VECTORS)
def test_number_to_words_vectors(n: int, words: str, style: WordStyle) -> None:
    assert number_to_words(n, style) == words.format(z=style.zero_tens)


def test_default_style_is_linh() -> None:
    assert number_to_words(105) == "một trăm linh năm"
    assert number_to_words(105, LE) == "một trăm lẻ năm"


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (24, "hai mươi tư"),
        (44, "bốn mươi tư"),
        (94, "chín mươi tư"),
        (14, "mười bốn"),
        (4, "bốn"),
        (104, "một trăm linh bốn"),
        (1_024_000, "một triệu không trăm hai mươi tư nghìn"),
        (4_000_000, "bốn triệu"),
        (444, "bốn trăm bốn mươi tư"),
    ],
)
def test_four_tu(n: int, words: str) -> None:
    assert number_to_words(n, WordStyle(four="tư")) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (2_340_000, "hai triệu ba trăm bốn mươi ngàn"),
        (1_015, "một ngàn không trăm mười lăm"),
        (2_500_000_000_000, "hai ngàn năm trăm tỷ"),
        (1_000_001_000, "một tỷ không trăm linh một ngàn"),
    ],
)
def test_thousand_ngan(n: int, words: str) -> None:
    assert number_to_words(n, WordStyle(thousand="ngàn")) == words


def test_combined_southern_style() -> None:
    style = WordStyle(zero_tens="lẻ", thousand="ngàn", four="tư")
    assert number_to_words(1_024_104, style) == (
        "một triệu không trăm hai mươi tư ngàn một trăm lẻ bốn"
    )


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (-1, "âm một"),
        (-21, "âm hai mươi mốt"),
        (-1_015, "âm một nghìn không trăm mười lăm"),
    ],
)
def test_negative(n: int, words: str) -> None:
    assert number_to_words(n) == words


@pytest.mark.parametrize("bad", [1.0, Decimal(5), True, False, "5", None])
def test_number_to_words_rejects_non_int(bad: object) -> None:
    with pytest.raises(TypeError):
        number_to_words(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        money_in_words(bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Money in words
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "style", "text"),
    [
        (2_340_000, LINH, "Hai triệu ba trăm bốn mươi nghìn đồng"),
        (0, LINH, "Không đồng"),
        (702_000, LINH, "Bảy trăm linh hai nghìn đồng"),
        (702_000, LE, "Bảy trăm lẻ hai nghìn đồng"),
        (1_410_000, LINH, "Một triệu bốn trăm mười nghìn đồng"),
        (5_060_000, LINH, "Năm triệu không trăm sáu mươi nghìn đồng"),
        (1_800_000, WordStyle(even_suffix=True), "Một triệu tám trăm nghìn đồng chẵn"),
        (0, WordStyle(even_suffix=True), "Không đồng chẵn"),
        (4_680_000, WordStyle(thousand="ngàn"), "Bốn triệu sáu trăm tám mươi ngàn đồng"),
        (-450_000, LINH, "Âm bốn trăm năm mươi nghìn đồng"),
    ],
)
def test_money_in_words(n: int, style: WordStyle, text: str) -> None:
    assert money_in_words(n, style) == text


def test_money_in_words_default_style() -> None:
    assert money_in_words(2_340_000) == "Hai triệu ba trăm bốn mươi nghìn đồng"


# ---------------------------------------------------------------------------
# Properties of number_to_words
# ---------------------------------------------------------------------------

_DIGIT_VALUES = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}
_SCALES = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6}


def parse_words(words: str) -> int:
    """Independent oracle: read Vietnamese number words back into an int."""
    tokens = words.split(" ")
    sign = 1
    if tokens[0] == "âm":
        sign, tokens = -1, tokens[1:]
    parts: list[int] = []  # completed scaled chunks, largest first
    current = pending = 0
    for token in tokens:
        if token in _DIGIT_VALUES:
            pending = _DIGIT_VALUES[token]
        elif token == "mười":
            current += 10
        elif token == "mươi":
            current, pending = current + pending * 10, 0
        elif token == "trăm":
            current, pending = current + pending * 100, 0
        elif token in ("linh", "lẻ"):
            pass
        elif token in _SCALES:
            scale = _SCALES[token]
            chunk = current + pending + sum(p for p in parts if p < scale)
            parts = [p for p in parts if p >= scale] + [chunk * scale]
            current = pending = 0
        elif token == "tỷ":
            parts = [(sum(parts) + current + pending) * 10**9]
            current = pending = 0
        else:
            raise AssertionError(f"unexpected token {token!r} in {words!r}")
    return sign * (sum(parts) + current + pending)


def check_grammar(words: str) -> None:
    """Local rules of section 5.1 that any correct reading must obey."""
    tokens = words.split(" ")
    scale_words = {"nghìn", "ngàn", "triệu", "tỷ"}
    for i, token in enumerate(tokens):
        prev = tokens[i - 1] if i else ""
        if token == "mốt":
            assert prev == "mươi", words
        if token == "lăm":
            assert prev in ("mười", "mươi"), words
        if token == "tư":
            assert prev == "mươi", words
        if token in ("linh", "lẻ"):
            assert prev == "trăm", words
        if token == "mươi":
            assert prev in _DIGIT_VALUES and _DIGIT_VALUES[prev] >= 2, words
        if token == "mười":
            assert prev not in _DIGIT_VALUES, words
        # every group after a scale word is read in full ("không trăm ..."), or is another scale
        if prev in scale_words:
            assert token in scale_words or tokens[i + 1] == "trăm", words


def test_parser_agrees_with_vectors() -> None:
    for n, words in WORD_VECTORS:
        assert parse_words(words.format(z="linh")) == n


@given(st.integers(min_value=-(10**21), max_value=10**21), st.sampled_from(ALL_STYLES))
def test_words_round_trip_and_grammar(n: int, style: WordStyle) -> None:
    words = number_to_words(n, style)
    assert parse_words(words) == n
    check_grammar(words.removeprefix("âm "))


@given(st.integers(min_value=0, max_value=10**21), st.sampled_from(ALL_STYLES))
def test_words_are_clean_nfc(n: int, style: WordStyle) -> None:
    words = number_to_words(n, style)
    assert "  " not in words
    assert words == words.strip()
    assert words == words.lower()
    assert unicodedata.is_normalized("NFC", words)
    money = money_in_words(n, style)
    assert unicodedata.is_normalized("NFC", money)
    assert money[0].isupper()
    assert money.endswith("đồng")


@given(
    st.integers(min_value=0, max_value=10**7),
    st.integers(min_value=0, max_value=10**7),
    st.sampled_from(ALL_STYLES),
)
def test_words_injective(a: int, b: int, style: WordStyle) -> None:
    if a != b:
        assert number_to_words(a, style) != number_to_words(b, style)


def test_words_injective_exhaustive_small() -> None:
    for style in (LINH, LE):
        seen = {number_to_words(n, style) for n in range(100_000)}
        assert len(seen) == 100_000


# ---------------------------------------------------------------------------
# WordStyle
# ---------------------------------------------------------------------------


def test_word_style_is_frozen_and_validated() -> None:
    style = WordStyle()
    with pytest.raises(dataclasses.FrozenInstanceError):
        style.zero_tens = "lẻ"  # type: ignore[misc]
    with pytest.raises(ValueError):
        WordStyle(zero_tens="le")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        WordStyle(thousand="ngan")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        WordStyle(four="4")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        WordStyle(even_suffix="yes")  # type: ignore[arg-type]


def test_word_style_accepts_nfd_and_stores_nfc() -> None:
    style = WordStyle(zero_tens=nfd("lẻ"))  # type: ignore[arg-type]
    assert style.zero_tens == "lẻ"
    assert style == LE
    assert unicodedata.is_normalized("NFC", number_to_words(105, style))


# ---------------------------------------------------------------------------
# Dates and times (section 1.3)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "long", "short"),
    [
        (date(2022, 5, 5), "ngày 05 tháng 5 năm 2022", "05/5/2022"),
        (date(2020, 1, 5), "ngày 05 tháng 01 năm 2020", "05/01/2020"),
        (date(2023, 1, 5), "ngày 05 tháng 01 năm 2023", "05/01/2023"),
        (date(2019, 6, 29), "ngày 29 tháng 6 năm 2019", "29/6/2019"),
        (date(2023, 2, 28), "ngày 28 tháng 02 năm 2023", "28/02/2023"),
        (date(2023, 12, 31), "ngày 31 tháng 12 năm 2023", "31/12/2023"),
        (date(2023, 3, 15), "ngày 15 tháng 3 năm 2023", "15/3/2023"),
        (date(2024, 7, 1), "ngày 01 tháng 7 năm 2024", "01/7/2024"),
        (date(2025, 10, 9), "ngày 09 tháng 10 năm 2025", "09/10/2025"),
        (date(2025, 11, 10), "ngày 10 tháng 11 năm 2025", "10/11/2025"),
    ],
)
def test_dates(d: date, long: str, short: str) -> None:
    assert format_date(d) == long
    assert format_date_short(d) == short


def test_dates_accept_datetime() -> None:
    dt = datetime(2020, 3, 5, 14, 30)
    assert format_date(dt) == "ngày 05 tháng 3 năm 2020"
    assert format_date_short(dt) == "05/3/2020"


@pytest.mark.parametrize(
    ("place", "d", "text"),
    [
        ("Cao Bằng", date(2022, 5, 5), "Cao Bằng, ngày 05 tháng 5 năm 2022"),
        ("Hà Nội", date(2020, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2020"),
        (
            "Thành phố Hồ Chí Minh",
            date(2019, 6, 29),
            "Thành phố Hồ Chí Minh, ngày 29 tháng 6 năm 2019",
        ),
        (nfd(" Cao Bằng "), date(2022, 5, 5), "Cao Bằng, ngày 05 tháng 5 năm 2022"),
    ],
)
def test_place_date(place: str, d: date, text: str) -> None:
    result = place_date(place, d)
    assert result == text
    assert unicodedata.is_normalized("NFC", result)


@pytest.mark.parametrize(
    ("t", "text"),
    [
        (time(14, 0), "14 giờ 00 phút"),
        (time(8, 30), "08 giờ 30 phút"),
        (time(0, 5), "00 giờ 05 phút"),
        (time(16, 45, 59), "16 giờ 45 phút"),
    ],
)
def test_format_time(t: time, text: str) -> None:
    assert format_time(t) == text


# ---------------------------------------------------------------------------
# Numbers, percentages, money (section 4, 5.3)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "places", "text"),
    [
        (2_340_000, None, "2.340.000"),
        (14_040_000, None, "14.040.000"),
        (0, None, "0"),
        (999, None, "999"),
        (1_000, None, "1.000"),
        (-1_234, None, "-1.234"),
        (10**15, None, "1.000.000.000.000.000"),
        (10**30 + 7, None, "1.000.000.000.000.000.000.000.000.000.007"),
        (Decimal("91.25"), None, "91,25"),
        (Decimal("90.00"), None, "90"),
        (Decimal("90.00"), 2, "90,00"),
        (Decimal("90.10"), None, "90,1"),
        (Decimal("0.05"), None, "0,05"),
        (Decimal("1234.5"), None, "1.234,5"),
        (Decimal("9E+3"), None, "9.000"),
        (Decimal("0.1234567"), None, "0,1234567"),
        (
            Decimal("12345678901234567890.123456789"),
            None,
            "12.345.678.901.234.567.890,123456789",
        ),
        (Decimal("12345678901234567890.125"), 2, "12.345.678.901.234.567.890,13"),
        (Decimal("2.345"), 2, "2,35"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("-0.001"), 2, "0,00"),
        (2_340_000, 2, "2.340.000,00"),
        (Decimal("91.25"), 1, "91,3"),
    ],
)
def test_format_number(n: int | Decimal, places: int | None, text: str) -> None:
    assert format_number(n, places) == text


@pytest.mark.parametrize("bad", [1.5, True, "5", None])
def test_format_number_rejects_non_number(bad: object) -> None:
    with pytest.raises(TypeError):
        format_number(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_percent(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_format_number_rejects_non_finite(bad: Decimal) -> None:
    with pytest.raises(ValueError):
        format_number(bad)
    with pytest.raises(ValueError):
        format_percent(bad)


def test_format_number_rejects_bad_places() -> None:
    with pytest.raises(ValueError):
        format_number(5, -1)
    with pytest.raises(ValueError):
        format_percent(5, -1)


@pytest.mark.parametrize(
    ("x", "places", "text"),
    [
        (Decimal("91.25"), 2, "91,25%"),
        (90, 2, "90%"),
        (Decimal("90.00"), 2, "90%"),
        (Decimal("90.10"), 2, "90,1%"),
        (Decimal("85.714"), 2, "85,71%"),
        (Decimal("85.715"), 2, "85,72%"),
        (100, 2, "100%"),
        (0, 2, "0%"),
        (Decimal("66.6666"), 1, "66,7%"),
        (Decimal("12.5"), 0, "13%"),
        (Decimal("99.995"), 2, "100%"),
        (Decimal("-0.001"), 2, "0%"),
        (Decimal("-5.5"), 2, "-5,5%"),
        (Decimal("1234.5"), 2, "1.234,5%"),
    ],
)
def test_format_percent(x: int | Decimal, places: int, text: str) -> None:
    assert format_percent(x, places) == text


def test_format_percent_default_places() -> None:
    assert format_percent(Decimal("85.714")) == "85,71%"


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (2_340_000, "2.340.000 đồng"),
        (710_000, "710.000 đồng"),
        (0, "0 đồng"),
        (10**15, "1.000.000.000.000.000 đồng"),
    ],
)
def test_format_money(n: int, text: str) -> None:
    assert format_money(n) == text


@pytest.mark.parametrize("bad", [Decimal("2340000"), 1.0, True])
def test_format_money_rejects_non_int(bad: object) -> None:
    with pytest.raises(TypeError):
        format_money(bad)  # type: ignore[arg-type]


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4))
def test_format_number_is_exact(x: Decimal) -> None:
    text = format_number(x)
    back = Decimal(text.replace(".", "").replace(",", "."))
    assert back == x


# ---------------------------------------------------------------------------
# capitalize_first, roman, pad2
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("s", "text"),
    [
        ("đồng", "Đồng"),
        ("hai triệu ba trăm", "Hai triệu ba trăm"),
        ("ấn định", "Ấn định"),
        (nfd("ấn định"), "Ấn định"),
        ("uBND thành phố", "UBND thành phố"),
        ("ủy ban Nhân dân", "Ủy ban Nhân dân"),
        ("(bằng chữ)", "(Bằng chữ)"),
        ("", ""),
        ("123", "123"),
        ("Đã có", "Đã có"),
    ],
)
def test_capitalize_first(s: str, text: str) -> None:
    result = capitalize_first(s)
    assert result == text
    assert unicodedata.is_normalized("NFC", result)


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "I"),
        (2, "II"),
        (3, "III"),
        (4, "IV"),
        (5, "V"),
        (9, "IX"),
        (12, "XII"),
        (14, "XIV"),
        (40, "XL"),
        (90, "XC"),
        (400, "CD"),
        (1994, "MCMXCIV"),
        (2024, "MMXXIV"),
        (3999, "MMMCMXCIX"),
    ],
)
def test_roman(n: int, text: str) -> None:
    assert roman(n) == text


@pytest.mark.parametrize("n", [0, -1, 4000])
def test_roman_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        roman(n)


def test_roman_type_and_uniqueness() -> None:
    with pytest.raises(TypeError):
        roman(True)
    with pytest.raises(TypeError):
        roman(1.0)  # type: ignore[arg-type]
    assert len({roman(n) for n in range(1, 4000)}) == 3999


@pytest.mark.parametrize(("n", "text"), [(0, "00"), (3, "03"), (9, "09"), (12, "12"), (100, "100")])
def test_pad2(n: int, text: str) -> None:
    assert pad2(n) == text


def test_pad2_rejects() -> None:
    with pytest.raises(ValueError):
        pad2(-1)
    with pytest.raises(TypeError):
        pad2(True)
    with pytest.raises(TypeError):
        pad2("3")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Vietnamese collation (section 6.1)
# ---------------------------------------------------------------------------

SORTED_NAMES = [
    "Lê Văn Anh",
    "Đặng Thị Ánh",
    "Nông Thị Ăn",
    "Hoàng Văn Ân",
    "Trần Thị Dung",
    "Nguyễn Văn Đức",
    "Bế Văn Hà",
    "Hoàng Thị Hà",
    "Nguyễn Thị Hà",
    "Lục Thị Hạ",
    "La Văn Hai",
    "Đàm Văn Hải",
]


@pytest.mark.parametrize("seed", range(8))
def test_name_sort_domain_example(seed: int) -> None:
    names = SORTED_NAMES.copy()
    random.Random(seed).shuffle(names)
    assert sorted(names, key=name_sort_key) == SORTED_NAMES


def test_name_sort_reversed_nfd_and_case() -> None:
    assert sorted(reversed(SORTED_NAMES), key=name_sort_key) == SORTED_NAMES
    decomposed = [nfd(n) for n in reversed(SORTED_NAMES)]
    assert [unicodedata.normalize("NFC", n) for n in sorted(decomposed, key=name_sort_key)] == (
        SORTED_NAMES
    )
    upper = [n.upper() for n in reversed(SORTED_NAMES)]
    assert sorted(upper, key=name_sort_key) == [n.upper() for n in SORTED_NAMES]


def test_name_sort_key_edge_cases() -> None:
    assert name_sort_key("") == ((), ())
    assert name_sort_key("  Hà  ") == (vietnamese_sort_key("Hà"), ())
    assert name_sort_key("Nguyễn  Thị\tHà") == name_sort_key("Nguyễn Thị Hà")


def test_letter_order() -> None:
    letters = list("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
    shuffled = letters.copy()
    random.Random(1).shuffle(shuffled)
    assert sorted(shuffled, key=vietnamese_sort_key) == letters


def test_tone_order() -> None:
    expected = list("aàảãáạăằẳẵắặâầẩẫấậ")
    shuffled = list(reversed(expected))
    assert sorted(shuffled, key=vietnamese_sort_key) == expected
    for vowel in ("e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"):
        toned = [unicodedata.normalize("NFC", vowel + m) for m in "\u0300\u0309\u0303\u0301\u0323"]
        row = [vowel, *toned]
        assert sorted(reversed(row), key=vietnamese_sort_key) == row


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [
        ("cha", "chan"),  # shorter prefix first
        ("Hà", "Hai"),  # letters before tones
        ("Hạ", "Hai"),
        ("Hai", "Hải"),
        ("Dung", "Đức"),  # đ after d
        ("Dzũng", "Đa"),
        ("Ân", "Bà"),
        ("Uyên", "Ưng"),
        ("Ơn", "Phúc"),
        ("Ô", "Ơ"),
        ("Hồ Chí", "Hồ Chí Minh"),
        ("ba bà", "bà ba"),  # syllable by syllable
        ("2", "a"),  # digits before letters
    ],
)
def test_vietnamese_sort_key_pairs(smaller: str, larger: str) -> None:
    assert vietnamese_sort_key(smaller) < vietnamese_sort_key(larger)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hà", "hà"),
        ("HÀ", "hà"),
        ("Đặng", "đặng"),
        ("Hoà", "Hòa"),  # old/new tone placement
        ("Thuý", "Thúy"),
        ("Ðức", "Đức"),  # Icelandic eth typed for Đ
        ("Nguyễn Thị", "Nguyễn  Thị"),
    ],
)
def test_vietnamese_sort_key_equal(a: str, b: str) -> None:
    assert vietnamese_sort_key(a) == vietnamese_sort_key(b)
    assert vietnamese_sort_key(nfd(a)) == vietnamese_sort_key(b)


# ---------------------------------------------------------------------------
# Jinja filters
# ---------------------------------------------------------------------------


def make_env(style: WordStyle) -> jinja2.Environment:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    register_filters(env, style)
    return env


@pytest.mark.parametrize(
    ("template", "context", "text"),
    [
        ("{{ d|vn_date }}", {"d": date(2022, 5, 5)}, "ngày 05 tháng 5 năm 2022"),
        ("{{ d|vn_date }}", {"d": "2020-01-05"}, "ngày 05 tháng 01 năm 2020"),
        ("{{ d|vn_date_short }}", {"d": date(2023, 2, 28)}, "28/02/2023"),
        ("{{ t|vn_time }}", {"t": time(14, 0)}, "14 giờ 00 phút"),
        ("{{ t|vn_time }}", {"t": datetime(2023, 3, 1, 8, 30)}, "08 giờ 30 phút"),
        ("{{ n|number }}", {"n": 2_340_000}, "2.340.000"),
        ("{{ n|number(2) }}", {"n": Decimal("90")}, "90,00"),
        ("{{ n|number }}", {"n": 91.25}, "91,25"),
        ("{{ p|percent }}", {"p": 91.25}, "91,25%"),
        ("{{ p|percent }}", {"p": Decimal("85.714")}, "85,71%"),
        ("{{ p|percent(0) }}", {"p": 90}, "90%"),
        ("{{ m|money }}", {"m": 710_000}, "710.000 đồng"),
        ("{{ m|money }}", {"m": Decimal("710000.0")}, "710.000 đồng"),
        ("{{ m|number_words }}", {"m": 702_000}, "bảy trăm lẻ hai nghìn"),
        ("{{ m|money_words }}", {"m": 2_340_000}, "Hai triệu ba trăm bốn mươi nghìn đồng"),
        ("{{ n|roman }}", {"n": 12}, "XII"),
        ("{{ n|pad2 }}", {"n": 3}, "03"),
        ("{{ s|capfirst }}", {"s": "đồng"}, "Đồng"),
        (
            "Số tiền: {{ m|money }} (Bằng chữ: {{ m|money_words }})",
            {"m": 1_410_000},
            "Số tiền: 1.410.000 đồng (Bằng chữ: Một triệu bốn trăm mười nghìn đồng)",
        ),
    ],
)
def test_jinja_filters(template: str, context: dict[str, object], text: str) -> None:
    assert make_env(LE).from_string(template).render(**context) == text


def test_jinja_filters_use_style() -> None:
    env = make_env(WordStyle(thousand="ngàn", four="tư", even_suffix=True))
    assert env.from_string("{{ 24|number_words }}").render() == "hai mươi tư"
    assert env.from_string("{{ 1800000|money_words }}").render() == (
        "Một triệu tám trăm ngàn đồng chẵn"
    )
    assert make_env(LINH).from_string("{{ 105|number_words }}").render() == "một trăm linh năm"


def test_jinja_filters_registered() -> None:
    env = make_env(LINH)
    for name in (
        "vn_date",
        "vn_date_short",
        "vn_time",
        "number",
        "percent",
        "money",
        "number_words",
        "money_words",
        "roman",
        "pad2",
        "capfirst",
    ):
        assert name in env.filters


def test_jinja_money_rejects_fraction() -> None:
    with pytest.raises(ValueError):
        make_env(LINH).from_string("{{ 702000.5|money }}").render()


# ---------------------------------------------------------------------------
# Start-up cost
# ---------------------------------------------------------------------------


def test_import_does_not_load_babel() -> None:
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", "import sys, docgen.vnformat; print('babel' in sys.modules)"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"
