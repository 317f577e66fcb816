"""Cells of the data workbook: where a problem is (a key path → its sheet and cell) and what
a cell's value means (Excel's numbers, dates, texts → the values a YAML file would give)."""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from docgen.errors import Problem
from docgen.i18n import N_, _, ngettext
from docgen.workspace.workbook_tables import (
    NOMINATIONS,
)
from docgen.workspace.yamlio import _XML_FORBIDDEN, KeyPath, Source, escape_problem, format_path

# ---------------------------------------------------------------------------------------------
# Locations: a cell per key path


@dataclass
class SheetSource(Source):
    """Where each value of a workbook came from: sheet, row and column per key path.

    Problems read like the YAML ones with the cell instead of the line:
    ``data/du-lieu.xlsx [Đơn vị!C5] [units[3].kind]: …``. `lines` holds the row of each
    record, so "(đã có ở dòng 4)" in a duplicate-id message names the sheet's row.
    """

    cells: dict[KeyPath, str] = field(default_factory=dict)
    headers: dict[KeyPath, list[str]] = field(default_factory=dict)
    prefix: str = ""  # shown before the key path: "rounds[2022]."

    def cell(self, path: KeyPath) -> str:
        while True:
            if path in self.cells:
                return self.cells[path]
            if not path:
                return ""
            path = path[:-1]

    def problem(self, path: KeyPath, message: str, hint: str = "") -> Problem:
        def column(match: re.Match[str]) -> str:
            names = self.headers.get((*path, match[2]))
            if not names:
                return match[0]
            if not match[1]:
                return _quoted(names)
            return ngettext("cột {columns}", "cột {columns}", len(names)).format(
                columns=_quoted(names)
            )

        message = _key_pattern(_(_KEY_WORD)).sub(column, message)
        for yaml_hint, cell_hint in _HINTS.items():
            if hint == _(yaml_hint):
                hint = _(cell_hint)
        return self._at(path, message, hint)

    def missing(self, path: KeyPath, key: str, description: str) -> Problem:
        """A required column left empty: named by its header, at its cell."""
        names = self.headers.get((*path, key))
        if not names:
            return super().missing(path, key, description)
        message = (
            ngettext(
                "thiếu giá trị ở cột {columns} ({description})",
                "thiếu giá trị ở cột {columns} ({description})",
                len(names),
            )
            if description
            else ngettext(
                "thiếu giá trị ở cột {columns}", "thiếu giá trị ở cột {columns}", len(names)
            )
        ).format(columns=_quoted(names), description=description)
        return self._at((*path, key), message)

    def _at(self, where: KeyPath, message: str, hint: str = "") -> Problem:
        shown = self.prefix + format_path(where) if where else self.prefix.rstrip(".")
        return Problem(self.file, None, shown, message, hint, self.cell(where))


#: The word before a key named in a rule's message ("khóa 'collective'"): "key" in English.
_KEY_WORD = N_("khóa")
#: YAML advice (a msgid of docgen/schema.py) → what it means for a cell.
_HINTS = {
    "bỏ dấu '|' hoặc '>' của YAML và nối các dòng": N_(
        "xóa chỗ xuống dòng trong ô (Alt+Enter trong Excel, Ctrl+Enter trong LibreOffice)"
    ),
}


@functools.cache
def _key_pattern(word: str) -> re.Pattern[str]:
    """A field named in a rule's message ("khóa 'collective'", "hoặc 'person'") → its column."""
    return re.compile(rf"({re.escape(word)} )?'(\w+)'")


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


@dataclass
class RoundSource(Source):
    """A round file whose submissions' nominations may come from workbook rows."""

    grafts: dict[KeyPath, SheetSource] = field(default_factory=dict)
    book: str = ""  # the workbook, named where a submission has no nominations

    def problem(self, path: KeyPath, message: str, hint: str = "") -> Problem:
        sheet = self.grafts.get(path[:3])
        if sheet is not None:
            return sheet.problem(path, message, hint)
        return super().problem(path, message, hint)

    def missing(self, path: KeyPath, key: str, description: str) -> Problem:
        sheet = self.grafts.get(path[:3])
        if sheet is not None:
            return sheet.missing(path, key, description)
        found = super().missing(path, key, description)
        if key != "nominations":
            return found
        hint = _("hoặc các dòng của hồ sơ này trong trang '{sheet}' của {book}").format(
            sheet=NOMINATIONS.name, book=self.book
        )
        return dataclasses.replace(found, hint=hint)


# ---------------------------------------------------------------------------------------------
# Cell values → the values a YAML file would give


def _text_of(value: object) -> str:
    """A cell's value as the text the user sees (a number typed in a text column)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return f"{value.day:02d}/{value.month:02d}/{value.year}"
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    return str(value)


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NUMBER_TEXT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%?\s*$")


def _clean(text: str) -> tuple[str, str, str]:
    """NFC text with one kind of line break; a message and hint if Word cannot hold it.

    Excel stores control characters as "_x000B_" escapes, which openpyxl leaves as text.
    """
    text = _OOXML_ESCAPE.sub(lambda m: chr(int(m[1], 16)) if int(m[1], 16) < 0x20 else m[0], text)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    bad = _XML_FORBIDDEN.search(text)
    if bad:
        return (
            text,
            _(
                "ký tự điều khiển {code} ở vị trí {position} không được phép trong văn bản Word"
            ).format(code=f"U+{ord(bad.group()):04X}", position=bad.start() + 1),
            _("thường do sao chép từ nơi khác vào ô; hãy xóa ký tự này"),
        )
    escaped = escape_problem(text)
    if escaped:
        return text, *escaped
    return text, "", ""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _value(value: object, number_format: str, tp: Any, lines: bool) -> Any:
    """What the YAML loader would have produced for the cell; None when the cell is empty.

    Respects the cell's type: a score typed as a number or as text ("91,25", "91.25"), a
    percentage cell (0.9125 shown as 91,25%), a year or a vote count typed as text.
    """
    if _blank(value):
        return None
    if lines:
        if not isinstance(value, str):
            return [_text_of(value)]
        return [line.strip() for line in value.split("\n") if line.strip()]
    if tp is Decimal:
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = Decimal(repr(float(value)))
            if "%" in number_format:
                number *= 100
            return format(number, "f").replace(".", ",")
        if isinstance(value, str):
            match = _NUMBER_TEXT.match(value)
            return match[1].replace(".", ",") if match else value.strip()
        return value
    if tp is int:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().isdecimal():
            return int(value.strip())
        return value.strip() if isinstance(value, str) else value
    if tp is date:
        if isinstance(value, datetime):
            return value.date()
        return value.strip() if isinstance(value, str) else value
    if tp is time:
        if isinstance(value, time | datetime):
            return f"{value.hour:02d}:{value.minute:02d}"
        return value.strip() if isinstance(value, str) else value
    if tp is bool:
        return value.strip() if isinstance(value, str) else value
    # text, ids, Literal choices (codes or ratings' full names)
    return value.strip() if isinstance(value, str) else _text_of(value)


def _year(value: object) -> int | None:
    """A year header or cell: 2022, 2022.0, "2022" or "Năm 2022"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        match = re.fullmatch(
            r"\s*(?:năm\s*)?(\d{4})\s*", unicodedata.normalize("NFC", value), re.IGNORECASE
        )
        if match:
            return int(match[1])
    return None


def _norm(header: object) -> str:
    """Headers compare without case and extra spaces: 'chức vụ  thủ trưởng' matches."""
    text = unicodedata.normalize("NFC", _text_of(header)) if header is not None else ""
    return " ".join(text.split()).casefold()
