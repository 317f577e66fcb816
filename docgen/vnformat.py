"""Vietnamese formatting for administrative documents (NĐ 30/2020/NĐ-CP conventions).

Dates, times, numbers, money, numbers in words ("Bằng chữ: … đồng"), Roman numerals and
Vietnamese collation for name lists.  Everything returns NFC text.

Babel is imported lazily inside the functions that need it, and Jinja only for type
checking, so that ``import docgen.vnformat`` stays cheap for the CLI start-up.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import jinja2

__all__ = [
    "LetterKey",
    "SortKey",
    "SyllableKey",
    "WordStyle",
    "capitalize_first",
    "format_date",
    "format_date_short",
    "format_money",
    "format_number",
    "format_percent",
    "format_time",
    "money_in_words",
    "name_sort_key",
    "number_to_words",
    "pad2",
    "place_date",
    "register_filters",
    "roman",
    "vietnamese_sort_key",
]


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# ---------------------------------------------------------------------------
# Style options
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WordStyle:
    """Regional/house variants for numbers in words; defaults follow northern official usage.

    ``linh``/``nghìn``/``bốn`` are what Cao Bằng administrative writing uses; the southern
    ``lẻ``/``ngàn``/``tư`` are grammatical too, so they are options rather than errors.
    """

    zero_tens: Literal["linh", "lẻ"] = "linh"  # 105 -> một trăm linh năm
    thousand: Literal["nghìn", "ngàn"] = "nghìn"
    four: Literal["bốn", "tư"] = "bốn"  # units 4 after tens >= 2; 14 is always mười bốn
    even_suffix: bool = False  # money_in_words adds " chẵn" after "đồng"

    def __post_init__(self) -> None:
        # Literal types are not enforced at run time; styles may come from YAML.
        for field, value, allowed in (
            ("zero_tens", self.zero_tens, ("linh", "lẻ")),
            ("thousand", self.thousand, ("nghìn", "ngàn")),
            ("four", self.four, ("bốn", "tư")),
        ):
            if _nfc(str(value)) not in allowed:
                raise ValueError(f"WordStyle.{field} must be one of {allowed}, got {value!r}")
            # Accept NFD input from YAML but store NFC, so the output stays NFC.
            object.__setattr__(self, field, _nfc(str(value)))
        if not isinstance(self.even_suffix, bool):
            raise TypeError("WordStyle.even_suffix must be a bool")


# ---------------------------------------------------------------------------
# Dates and times
# ---------------------------------------------------------------------------


def _month(m: int) -> str:
    # NĐ 30/2020 Phụ lục I: months 1 and 2 get a leading zero (so "01" cannot be
    # extended into "11"/"12" by hand); months 3-12 are written plainly.
    return f"{m:02d}" if m < 3 else str(m)


def format_date(d: date) -> str:
    """Return the ND30 full date, e.g. ``ngày 05 tháng 01 năm 2023``.

    Day < 10 and months 1-2 are zero-padded, as the decree requires, to prevent tampering.
    """
    return f"ngày {d.day:02d} tháng {_month(d.month)} năm {d.year}"


def format_date_short(d: date) -> str:
    """Return ``05/01/2023`` / ``15/3/2023``: the numeric form used in citations, same padding."""
    return f"{d.day:02d}/{_month(d.month)}/{d.year}"


def place_date(place: str, d: date) -> str:
    """Return the header line ``Cao Bằng, ngày 05 tháng 5 năm 2022`` (place, comma, date)."""
    return _nfc(f"{place.strip()}, {format_date(d)}")


def format_time(t: time) -> str:
    """Return ``14 giờ 00 phút``; minutes are always spelled out in minutes of meetings."""
    return f"{t.hour:02d} giờ {t.minute:02d} phút"


# ---------------------------------------------------------------------------
# Numbers, percentages, money
# ---------------------------------------------------------------------------


def _to_decimal(n: object, func: str) -> Decimal:
    # bool is an int subclass and float would silently lose exactness: refuse both.
    if isinstance(n, bool) or not isinstance(n, int | Decimal):
        raise TypeError(f"{func}() needs an int or Decimal, got {type(n).__name__}")
    value = Decimal(n)
    if not value.is_finite():
        raise ValueError(f"{func}() cannot format {n!r}")
    return value


def _frac_digits(value: Decimal) -> int:
    """Count the significant decimals of ``value`` (trailing zeros stripped), context-free."""
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite values only
    if exponent >= 0 or value.is_zero():
        return 0
    count = -exponent
    for digit in reversed(digits):
        if count == 0 or digit != 0:
            break
        count -= 1
    return count


def _format_decimal(value: Decimal, places: int) -> str:
    """Round half-up to ``places`` and group with Babel's ``vi`` symbols (``.`` and ``,``).

    Rounding is done here (Babel would round half-even) in a context wide enough that
    neither our quantize nor Babel's ever loses digits of a big value.
    """
    from babel.numbers import format_decimal

    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + places + 10)
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if rounded.is_zero():
            rounded = rounded.copy_abs()  # never print "-0"
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return _nfc(format_decimal(rounded, format=pattern, locale="vi"))


def format_number(n: int | Decimal, places: int | None = None) -> str:
    """Format with Vietnamese separators: ``2.340.000``, ``91,25``.

    ``places=None`` keeps every significant decimal (``Decimal("90.00")`` -> ``90``) so the
    figures of a report are not silently rounded; an int ``places`` fixes the decimals
    (half-up rounding, zero padding).  Exact for Decimal and arbitrarily large ints.
    """
    value = _to_decimal(n, "format_number")
    if places is None:
        places = _frac_digits(value)
    elif isinstance(places, bool) or not isinstance(places, int) or places < 0:
        raise ValueError(f"places must be None or a non-negative int, got {places!r}")
    return _format_decimal(value, places)


def format_percent(x: int | Decimal, places: int = 2) -> str:
    """Format a percentage ``91,25%``: half-up to ``places`` decimals, trailing zeros dropped.

    ``x`` is already a percentage (91.25 means 91,25 %), as rates appear in reports.
    """
    value = _to_decimal(x, "format_percent")
    if isinstance(places, bool) or not isinstance(places, int) or places < 0:
        raise ValueError(f"places must be a non-negative int, got {places!r}")
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + places + 10)
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return _format_decimal(rounded, _frac_digits(rounded)) + "%"


def format_money(n: int) -> str:
    """Format an amount as documents print it: ``2.340.000 đồng`` (never the ``₫`` sign)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"format_money() needs an int, got {type(n).__name__}")
    return f"{format_number(n)} đồng"


# ---------------------------------------------------------------------------
# Numbers in words
# ---------------------------------------------------------------------------

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 10**9


def _tens_and_units(tens: int, units: int, after_hundreds: bool, style: WordStyle) -> list[str]:
    """Read the last two digits of a group with the mười/mươi, mốt, lăm, tư, linh rules."""
    if tens == 0:
        if units == 0:
            return []
        # "linh"/"lẻ" marks the empty tens place only when a hundreds word precedes it.
        prefix = [style.zero_tens] if after_hundreds else []
        return [*prefix, _DIGITS[units]]
    words = ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens >= 2 else "một")
    elif units == 4:
        words.append(style.four if tens >= 2 else "bốn")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def _group(n: int, full: bool, style: WordStyle) -> list[str]:
    """Read a group 1..999; ``full`` groups (all but the leading one) say "không trăm"."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    if hundreds or full:
        return [_DIGITS[hundreds], "trăm", *_tens_and_units(tens, units, True, style)]
    return _tens_and_units(tens, units, False, style)


def _below_billion(n: int, leading: bool, style: WordStyle) -> list[str]:
    words: list[str] = []
    for scale, size in (("triệu", 10**6), (style.thousand, 10**3), ("", 1)):
        group, n = divmod(n, size)
        if group == 0:
            continue  # all-zero groups are skipped: 1.000.500 = một triệu năm trăm
        words += _group(group, full=not leading, style=style)
        if scale:
            words.append(scale)
        leading = False
    return words


def _words(n: int, leading: bool, style: WordStyle) -> list[str]:
    # Recursing on "tỷ" (rather than listing nghìn tỷ, triệu tỷ as flat scales) gives
    # 2.500.000.000.000 = "hai nghìn năm trăm tỷ", not num2words' "hai nghìn tỷ năm trăm tỷ",
    # and extends naturally: 10**18 = "một tỷ tỷ".
    if n < _BILLION:
        return _below_billion(n, leading, style)
    high, low = divmod(n, _BILLION)
    return [*_words(high, leading, style), "tỷ", *_below_billion(low, False, style)]


def number_to_words(n: int, style: WordStyle = WordStyle()) -> str:
    """Spell an integer in lower-case Vietnamese, e.g. 1015 -> "một nghìn không trăm mười lăm".

    Own implementation because num2words ``lang="vi"`` drops "không trăm" and mis-reads
    scales above a billion (see the domain notes, section 5.2).
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"number_to_words() needs an int, got {type(n).__name__}")
    if n < 0:
        return "âm " + number_to_words(-n, style)
    if n == 0:
        return "không"
    return " ".join(_words(n, True, style))


def money_in_words(n: int, style: WordStyle = WordStyle()) -> str:
    """Return the "Bằng chữ" text: "Hai triệu ba trăm bốn mươi nghìn đồng" (optionally "chẵn")."""
    text = capitalize_first(number_to_words(n, style)) + " đồng"
    return text + " chẵn" if style.even_suffix else text


def capitalize_first(s: str) -> str:
    """Upper-case only the first letter: ``str.capitalize`` would lower-case proper names."""
    s = _nfc(s)
    for i, ch in enumerate(s):
        if ch.isalpha():
            return _nfc(s[:i] + ch.upper() + s[i + 1 :])
    return s


# ---------------------------------------------------------------------------
# Small counters
# ---------------------------------------------------------------------------

_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman(n: int) -> str:
    """Return the Roman numeral used for document parts ("Phần I", "II. KẾT QUẢ")."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"roman() needs an int, got {type(n).__name__}")
    if not 1 <= n <= 3999:
        raise ValueError(f"roman() supports 1..3999, got {n}")
    out: list[str] = []
    for value, symbol in _ROMAN:
        count, n = divmod(n, value)
        out.append(symbol * count)
    return "".join(out)


def pad2(n: int) -> str:
    """Zero-pad to two digits ("03 tập thể"): documents write small counts that way."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"pad2() needs an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"pad2() needs a non-negative int, got {n}")
    return f"{n:02d}"


# ---------------------------------------------------------------------------
# Vietnamese collation
# ---------------------------------------------------------------------------

LetterKey = tuple[int, int]
SyllableKey = tuple[tuple[LetterKey, ...], tuple[int, ...]]
SortKey = tuple[SyllableKey, ...]

_ALPHABET = {ch: i for i, ch in enumerate("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")}
# NFD tone marks, ranked: (no tone) < huyền < hỏi < ngã < sắc < nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Icelandic eth is a common stand-in for Đ in legacy or OCR'd data.
_LOOKALIKES = str.maketrans({"ð": "đ"})


def _letter_key(letter: str) -> LetterKey:
    # Digits/punctuation sort before letters, unknown (foreign) letters after them.
    if letter in _ALPHABET:
        return (1, _ALPHABET[letter])
    if letter[0].isalpha():
        return (2, ord(letter[0]))
    return (0, ord(letter[0]))


def _syllable_key(syllable: str) -> SyllableKey:
    letters: list[str] = []
    tones: list[int] = []
    for ch in syllable:
        if ch in _TONES:
            tones.append(_TONES[ch])
        elif unicodedata.combining(ch) and letters:
            letters[-1] += ch  # breve, circumflex, horn: part of the letter (ă, â, ơ, ...)
        else:
            letters.append(ch)
    return (tuple(_letter_key(_nfc(x)) for x in letters), tuple(tones))


def vietnamese_sort_key(s: str) -> SortKey:
    """Collation key for Vietnamese text (Python has no vi locale to rely on).

    Syllable by syllable: toneless letters first, in the order a ă â b c d đ e ê … (so
    "Hà" < "Hai"), then the tone (none < huyền < hỏi < ngã < sắc < nặng).  Case-insensitive
    and the same for NFC and NFD input, because tones are split off the NFD form.
    """
    folded = _nfc(s).casefold().translate(_LOOKALIKES)
    decomposed = unicodedata.normalize("NFD", folded)
    return tuple(_syllable_key(syllable) for syllable in decomposed.split())


def name_sort_key(full_name: str) -> tuple[SortKey, SortKey]:
    """Key for person lists: by given name (last syllable), then family and middle names."""
    parts = full_name.split()
    if not parts:
        return ((), ())
    return (vietnamese_sort_key(parts[-1]), vietnamese_sort_key(" ".join(parts[:-1])))


# ---------------------------------------------------------------------------
# Jinja filters
# ---------------------------------------------------------------------------


def _filter_decimal(value: int | Decimal | float | str) -> int | Decimal:
    """Templates get numbers straight from YAML, where 91.25 is a float: read it by its repr."""
    if isinstance(value, float | str) and not isinstance(value, bool):
        return Decimal(repr(value) if isinstance(value, float) else value.strip())
    return value


def _filter_int(value: int | Decimal | float | str) -> int:
    """Accept integral Decimals/floats (e.g. from reward arithmetic) where an int is needed."""
    number = _filter_decimal(value)
    if isinstance(number, Decimal):
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(f"expected a whole number, got {value!r}")
        return int(number)
    return number


def _filter_date(value: date | str) -> date:
    return date.fromisoformat(value.strip()) if isinstance(value, str) else value


def _filter_time(value: time | datetime | str) -> time:
    if isinstance(value, str):
        return time.fromisoformat(value.strip())
    return value.time() if isinstance(value, datetime) else value


def register_filters(env: jinja2.Environment, style: WordStyle) -> None:
    """Register the Vietnamese formatting filters on ``env``.

    Filters are a little more lenient than the functions (ISO date strings, floats and
    integral Decimals from YAML) because template data is not type-checked.
    """

    def number(value: int | Decimal | float | str, places: int | None = None) -> str:
        return format_number(_filter_decimal(value), places)

    def percent(value: int | Decimal | float | str, places: int = 2) -> str:
        return format_percent(_filter_decimal(value), places)

    filters: dict[str, Callable[..., str]] = {
        "vn_date": lambda v: format_date(_filter_date(v)),
        "vn_date_short": lambda v: format_date_short(_filter_date(v)),
        "vn_time": lambda v: format_time(_filter_time(v)),
        "number": number,
        "percent": percent,
        "money": lambda v: format_money(_filter_int(v)),
        "number_words": lambda v: number_to_words(_filter_int(v), style),
        "money_words": lambda v: money_in_words(_filter_int(v), style),
        "roman": lambda v: roman(_filter_int(v)),
        "pad2": lambda v: pad2(_filter_int(v)),
        "capfirst": lambda v: capitalize_first(str(v)),
    }
    env.filters.update(filters)
