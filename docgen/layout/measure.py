"""How wide a line of text is, and what follows from it: header columns, name lines, rules.

Word and LibreOffice lay text out with Times New Roman or its metric twin Liberation Serif
(same advance widths, glyph for glyph), so the width of a line is the sum of its characters'
advances. The table below holds them in thousandths of an em for the characters of
Vietnamese text: printable ASCII, the horned letters (ơ ư Ơ Ư are wider than o u O U),
dashes and quotes. Any other letter is measured as its base letter (a precomposed "ệ" is
exactly as wide as "e"); anything else as "n". The numbers were read from Liberation Serif
2.x; tests/test_pdf_layout.py compares them with the installed font whenever PyMuPDF is there.

Nothing here looks at a document: documents/ asks these functions how to size the header
of the document it is making, and passes the answer to the template as plain numbers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

__all__ = [
    "HEADER_INDENT_CM",
    "LANDSCAPE_TEXT_CM",
    "PORTRAIT_TEXT_CM",
    "HeaderColumns",
    "header_columns",
    "header_context",
    "keep_phrases",
    "split_line",
    "text_cm",
]

#: Characters measured directly, in the order of the width rows below.
_CHARS: Final = "".join(chr(c) for c in range(0x20, 0x7F)) + "ơƠưƯ–—‘’“”…"
_ROWS: Final = {
    (False, False): "250 333 408 500 500 833 778 180 333 333 500 564 250 333 250 278 500 500 "
    "500 500 500 500 500 500 500 500 278 278 564 564 564 444 921 722 667 667 722 611 556 722 "
    "722 333 389 722 611 889 722 722 556 722 667 556 611 722 722 944 722 722 611 333 278 333 "
    "469 500 333 444 500 444 500 444 333 500 500 278 278 500 278 778 500 500 500 500 333 389 "
    "278 500 500 722 500 500 444 480 200 480 541 529 722 542 776 500 1000 333 333 444 444 1000",
    (True, False): "250 333 555 500 500 1000 833 278 333 333 500 570 250 333 250 278 500 500 "
    "500 500 500 500 500 500 500 500 333 333 570 570 570 500 930 722 667 722 722 667 611 778 "
    "778 389 500 778 667 944 722 778 611 778 722 556 667 722 722 1000 722 722 667 333 278 333 "
    "581 500 333 500 556 444 556 444 333 500 556 278 333 556 278 833 556 500 556 556 444 389 "
    "333 556 500 722 500 500 444 394 220 394 520 554 778 600 796 500 1000 333 333 500 500 1000",
    (False, True): "250 333 420 500 500 833 778 214 333 333 500 675 250 333 250 278 500 500 "
    "500 500 500 500 500 500 500 500 333 333 675 675 675 500 920 611 611 667 722 611 611 722 "
    "722 333 444 667 556 833 667 722 611 722 611 500 556 722 611 833 611 556 556 389 278 389 "
    "422 500 333 500 500 444 500 444 278 500 500 278 278 444 278 722 500 500 500 500 389 389 "
    "278 500 444 667 444 444 389 400 275 400 541 534 722 545 754 500 889 333 333 556 556 889",
    (True, True): "250 389 555 500 500 833 778 278 333 333 500 570 250 333 250 278 500 500 "
    "500 500 500 500 500 500 500 500 333 333 570 570 570 500 832 667 667 667 722 667 667 722 "
    "778 389 500 667 611 889 722 722 611 722 667 556 611 722 667 889 667 611 611 333 278 333 "
    "570 500 333 500 500 444 500 444 333 500 556 278 278 500 278 778 556 500 500 500 389 389 "
    "278 556 444 667 500 444 389 348 220 348 570 537 722 599 775 500 1000 333 333 500 500 1000",
}
_WIDTHS: Final = {
    style: dict(zip(_CHARS, map(int, row.split()), strict=True)) for style, row in _ROWS.items()
}
_BASE: Final = {"đ": "d", "Đ": "D", "\u00a0": " "}
_PT_PER_CM: Final = 72 / 2.54


def widths(*, bold: bool = False, italic: bool = False) -> dict[str, int]:
    """The advance widths (thousandths of an em) measured directly for one style."""
    return dict(_WIDTHS[bold, italic])


def _advance(ch: str, table: dict[str, int]) -> int:
    if ch in table:
        return table[ch]
    base = _BASE.get(ch) or unicodedata.normalize("NFD", ch)[:1]
    return table.get(base, table["n"])


def text_cm(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """Width of `text` set on one line at `size` points, in centimetres."""
    table = _WIDTHS[bold, italic]
    return sum(_advance(ch, table) for ch in text) * size / 1000 / _PT_PER_CM


# ------------------------------------------------------------------------ breaking lines

#: Words a line of a body's name should not end with: a break goes before them.
_JOINERS: Final = frozenset({"VÀ", "-", "–", "CỦA", "THUỘC"})


def split_line(text: str, max_cm: float, size: float, *, bold: bool = False) -> list[str]:
    """`text` as the fewest lines no wider than `max_cm`, broken where the name's parts meet.

    A break never leaves "VÀ", "CỦA" or a dash at the end of a line (it goes before "VÀ",
    after a dash), and among the breaks into that many lines the most even is chosen, so
    "PHÒNG VĂN HÓA VÀ THÔNG TIN" becomes "PHÒNG VĂN HÓA" / "VÀ THÔNG TIN". A single word
    wider than `max_cm` stays whole (it wraps; there is nothing better to do).
    """
    words = text.split()
    if len(words) < 2 or text_cm(text, size, bold=bold) <= max_cm:
        return [text]
    best: tuple[float, list[str]] | None = None
    for parts in range(2, min(len(words), 4) + 1):
        for cuts in _cuts(len(words), parts):
            bounds = zip((0, *cuts), (*cuts, len(words)), strict=True)
            lines = [" ".join(words[a:b]) for a, b in bounds]
            lengths = [text_cm(line, size, bold=bold) for line in lines]
            if max(lengths) > max_cm:
                continue
            penalty = max(lengths) - min(lengths)
            for line in lines[:-1]:
                if line.split()[-1].upper() in _JOINERS - {"-", "–"}:
                    penalty += max_cm  # "… VÀ" / "THÔNG TIN": move the joiner down
            for line in lines[1:]:
                if line.split()[0] in {"-", "–"}:
                    penalty += max_cm  # a dash stays at the end of the line before
            if best is None or penalty < best[0]:
                best = (penalty, lines)
        if best is not None:
            return best[1]
    return _greedy(words, max_cm, size, bold)


def _greedy(words: list[str], max_cm: float, size: float, bold: bool) -> list[str]:
    """Fill each line as far as it goes (names of five lines and more)."""
    lines: list[str] = []
    for word in words:
        if lines and text_cm(f"{lines[-1]} {word}", size, bold=bold) <= max_cm:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _cuts(n: int, parts: int) -> list[tuple[int, ...]]:
    """Every way to cut n words into `parts` non-empty lines (positions of the cuts)."""
    if parts == 1:
        return [()]
    out = []
    for first in range(1, n - parts + 2):
        out += [(first, *(first + c for c in rest)) for rest in _cuts(n - first, parts - 1)]
    return out


_NBSP: Final = "\u00a0"
#: Phrases of every title: a period, a year, a number or a date is never split.
_UNSPLIT: Final = (
    re.compile(r"giai đoạn \d{4} ?- ?\d{4}"),
    re.compile(r"\b(?:năm|số|ngày) [\d/.]+[\w/.-]*"),
    re.compile(r"\bngày \d{1,2} tháng \d{1,2} năm \d{4}"),
)


def keep_phrases(text: str, phrases: Sequence[str]) -> str:
    """`text` with non-breaking spaces inside each phrase and between its last two words.

    For centred titles and trích yếu lines: a line then never starts with the tail of
    "thành phố Cao Bằng" or "chuyển đổi số", and the last line is never a lone word. Phrases
    are matched case-sensitively, longest first, and may overlap (each keeps whole);
    periods ("giai đoạn 2021-2025"), years, numbers and dates are always kept whole.
    """
    out = text
    for phrase in sorted({p for p in phrases if " " in p.strip()}, key=len, reverse=True):
        glued = _NBSP.join(phrase.split())
        out = re.sub(r"\s+".join(map(re.escape, phrase.split())), glued, out)
    for pattern in _UNSPLIT:
        out = pattern.sub(lambda m: m.group(0).replace(" ", _NBSP), out)
    # a period "2021-2025" never breaks at its hyphen ("2021-" / "2025)"): U+2011
    out = re.sub(r"(?<=\d)-(?=\d)", "\u2011", out)
    head, sep, last = out.rpartition(" ")
    if sep and _NBSP not in last and len(last) < 12:
        out = head + _NBSP + last
    return out


# ------------------------------------------------------------------------ the header

#: Text width of the page set-up in primitives.new_document: A4 less the margins.
PORTRAIT_TEXT_CM: Final = 16.5
LANDSCAPE_TEXT_CM: Final = 25.7
#: The header table reaches this far into the left margin (the official Phụ lục III file
#: uses −0.35 to −0.6 cm), which gives the issuing body's name the room it needs.
HEADER_INDENT_CM: Final = -0.4
#: Narrowest left column: the usual 6.2 cm portrait; on a landscape page the blocks keep
#: apart as in the official landscape samples.
LEAST_LEFT_CM: Final = {False: 6.2, True: 9.0}

#: Cell padding left + right of the header table's cells (primitives.CELL_MARGIN_CM × 2).
_PADDING_CM: Final = 0.2
#: Room kept free in a column beyond the measured text: rounding and the renderers' own
#: kerning differ by a fraction of a millimetre.
_SLACK_CM: Final = 0.15
QUOC_HIEU: Final = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU: Final = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class HeaderColumns:
    """The header table's two column widths (cm) and the issuing body's lines that fit."""

    left_cm: float
    right_cm: float
    parent: list[str]
    lines: list[str]

    @property
    def left_twips(self) -> int:
        return round(self.left_cm * 1440 / 2.54)

    @property
    def right_twips(self) -> int:
        return round(self.right_cm * 1440 / 2.54)

    def rule_indent(self, fraction: float = 0.4) -> int:
        """Indent (twips, each side) of the rule under the issuing body, `fraction` of the
        longest line long (Nghị định 30: 1/3 to 1/2 of the line above it)."""
        inner = self.left_cm - _PADDING_CM
        longest = max((text_cm(x, BODY_SIZE, bold=True) for x in self.lines), default=4.0)
        length = min(max(longest * fraction, 1.5), inner)
        return max(0, round((inner - length) / 2 * 1440 / 2.54))

    def motto_rule_indent(self) -> int:
        """Indent (twips, each side) of the rule under Tiêu ngữ, exactly as long as it."""
        inner = self.right_cm - _PADDING_CM
        length = text_cm(TIEU_NGU, 14, bold=True)
        return max(0, round((inner - length) / 2 * 1440 / 2.54))


#: Sizes the header template uses: parent body 12 regular, issuing body 13 bold, Số 13,
#: Quốc hiệu 13 bold, Tiêu ngữ 14 bold, place and date 14 italic.
PARENT_SIZE: Final = 12.0
BODY_SIZE: Final = 13.0
DATE_SIZE: Final = 14.0


def header_columns(
    parent: Sequence[str],
    lines: Sequence[str],
    *,
    number: str = "",
    place_date: str = "",
    total_cm: float,
    least_left_cm: float,
    split: tuple[bool, bool] = (True, True),
) -> HeaderColumns:
    """Share `total_cm` between the issuing body (left) and Quốc hiệu, date (right).

    The right column gets what Quốc hiệu, Tiêu ngữ and the date line need; the left one
    the rest, but no more than its own lines need when that is over `least_left_cm` (so
    the two blocks keep their usual places on a wide page). A name line still too long for
    the left column is broken into lines by :func:`split_line` where `split` (for the
    parent's lines, the body's lines) allows it (the data gave no lines of its own),
    otherwise left as given.
    """
    right_need = max(
        text_cm(QUOC_HIEU, 13, bold=True),
        text_cm(TIEU_NGU, 14, bold=True),
        text_cm(place_date, DATE_SIZE, italic=True),
    )
    right_min = right_need + _PADDING_CM + _SLACK_CM
    left_max = total_cm - right_min
    room = left_max - _PADDING_CM - _SLACK_CM
    out_parent = [p for line in parent for p in _fit(line, room, PARENT_SIZE, False, split[0])]
    out_lines = [p for line in lines for p in _fit(line, room, BODY_SIZE, True, split[1])]
    need = max(
        [text_cm(x, PARENT_SIZE) for x in out_parent]
        + [text_cm(x, BODY_SIZE, bold=True) for x in out_lines]
        + [text_cm(number, BODY_SIZE)]
    )
    left = min(left_max, max(least_left_cm, need + _PADDING_CM + _SLACK_CM))
    left = round(left, 2)
    return HeaderColumns(left, round(total_cm - left, 2), out_parent, out_lines)


def _fit(line: str, room: float, size: float, bold: bool, split: bool) -> list[str]:
    return split_line(line, room, size, bold=bold) if split else [line]


def header_context(
    parent: Sequence[str],
    lines: Sequence[str],
    *,
    number: str = "",
    place_date: str = "",
    split: tuple[bool, bool] = (True, True),
) -> dict[str, object]:
    """The sizes the header template reads, for a portrait page and a landscape one.

    Lines are fitted to the portrait page (the narrower one), so the same lines serve a
    landscape annex of the same document; `wide_*` are that annex's column widths.
    """
    narrow = header_columns(
        parent,
        lines,
        number=number,
        place_date=place_date,
        total_cm=PORTRAIT_TEXT_CM - HEADER_INDENT_CM,
        least_left_cm=LEAST_LEFT_CM[False],
        split=split,
    )
    wide = header_columns(
        narrow.parent,
        narrow.lines,
        number=number,
        place_date=place_date,
        total_cm=LANDSCAPE_TEXT_CM - HEADER_INDENT_CM,
        least_left_cm=LEAST_LEFT_CM[True],
        split=(False, False),
    )
    return {
        "parent": narrow.parent,
        "lines": narrow.lines,
        "left_twips": narrow.left_twips,
        "right_twips": narrow.right_twips,
        "rule_indent": narrow.rule_indent(),
        "motto_rule_indent": narrow.motto_rule_indent(),
        "wide_left_twips": wide.left_twips,
        "wide_right_twips": wide.right_twips,
        "wide_rule_indent": wide.rule_indent(),
        "wide_motto_rule_indent": wide.motto_rule_indent(),
    }
