"""Excel workbooks in and out: data entered in Excel or LibreOffice Calc, print-ready lists.

The people who keep the data live in Excel. A workbook ``du-lieu.xlsx`` in the data folder
may hold the units, their yearly scores, the people, their ratings and the nominations of
each round's submissions, one record per row under Vietnamese column headers. The rows are
turned into exactly the values a YAML file would give and go through the same `Converter`
and the same cross-checks, so every rule applies unchanged; problems name the file, the
sheet, the cell and the data key path. One table per sheet (`UNITS`, `PEOPLE`, …) maps
columns to fields, for reading and for `export_workbook` alike, so a round trip
YAML → workbook → workspace loses nothing.

Excel out: `write_nominee_list` (the Danh sách of a dossier) and `write_check_report`
(`docgen check` as a table), formatted for printing on A4.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import re
import types
import typing
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .config import RATING_NAMES
from .data import (
    PEOPLE_FILE,
    UNITS_FILE,
    WORKBOOK_FILE,
    Nomination,
    Person,
    Unit,
    Workspace,
)
from .errors import OutputError, Problem, ValidationError
from .i18n import N_, _, ngettext
from .output import write_file
from .rules import Verdict
from .schema import suggest
from .yamlio import _XML_FORBIDDEN, KeyPath, Source, escape_problem, format_path

__all__ = [
    "NUMBER_FORMAT",
    "Book",
    "export_workbook",
    "open_book",
    "write_check_report",
    "write_nominee_list",
]

#: Two decimals, shown the Vietnamese way ("91,25", "1.234,50") whatever the reader's locale:
#: [$-42A] is the Vietnamese language tag, which LibreOffice applies to the separators.
NUMBER_FORMAT = "[$-42A]#,##0.00"
#: Refuse workbooks larger than this (a docgen workbook is a few dozen KB) …
MAX_BYTES = 20 * 1024 * 1024
#: … or that unpack to more than this (a zip bomb would otherwise fill the memory).
MAX_UNPACKED = 200 * 1024 * 1024
#: Rows read per sheet; more is a mistake (a formatted column down to row 1,048,576).
MAX_ROWS = 20_000
#: Core properties written into every workbook: same data, same bytes.
_EPOCH = datetime(2020, 1, 1)


# ---------------------------------------------------------------------------------------------
# The column ↔ field tables, used by the reader and by export_workbook


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header and the field of the record it fills."""

    header: str
    field: tuple[str, ...]  # key path inside one record: ("head", "name")
    width: float
    lines: bool = False  # a list of texts: one item per line of the cell
    required: bool = False  # for columns that place a record rather than fill a field


@dataclass(frozen=True)
class Sheet:
    """A sheet with one record per row (a unit, a person, a nomination)."""

    name: str
    model: type
    columns: tuple[Column, ...]
    keys: tuple[Column, ...] = ()  # columns before the fields: where the record belongs

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return (*self.keys, *self.columns)


@dataclass(frozen=True)
class YearSheet:
    """A sheet with one row per owner record and one column per year (scores, ratings)."""

    name: str
    key: str  # header of the owner's id column
    field: str  # dict[int, …] field of the owner filled from the year columns
    key_width: float = 30


UNITS = Sheet(
    "Đơn vị",
    Unit,
    (
        Column("Mã", ("id",), 30),
        Column("Tên đơn vị", ("name",), 40),
        Column("Loại", ("kind",), 14),
        Column("Ký hiệu", ("symbol",), 10),
        Column("Thủ trưởng", ("head", "name"), 24),
        Column("Chức vụ thủ trưởng", ("head", "title"), 22),
        Column("Địa danh", ("place",), 14),
        Column("Hội đồng", ("council",), 44),
        Column("Các dòng tiêu đề", ("header",), 32, lines=True),
        Column("Người ký", ("signer", "name"), 22),
        Column("Chức vụ người ký", ("signer", "title"), 20),
        Column("Quyền hạn ký", ("signer", "authority"), 24),
    ),
)
SCORES = YearSheet("Chỉ số CCHC", "Mã đơn vị", "par_index")
#: Units' other achievements by year (Unit.achievements): one row per unit and year.
UNIT_ACHIEVEMENTS = "Thành tích đơn vị"
ACHIEVEMENT_COLUMNS = (
    Column("Mã đơn vị", (), 30, required=True),
    Column("Năm", (), 8, required=True),
    Column("Thành tích", ("achievements",), 90, lines=True, required=True),
)
PEOPLE = Sheet(
    "Cá nhân",
    Person,
    (
        Column("Mã", ("id",), 24),
        Column("Họ và tên", ("name",), 24),
        Column("Giới tính", ("gender",), 10),
        Column("Năm sinh", ("birth_year",), 10),
        Column("Dân tộc", ("ethnicity",), 10),
        Column("Chức vụ", ("position",), 40),
        Column("Mã đơn vị", ("unit",), 30),
    ),
)
RATINGS = YearSheet("Xếp loại", "Mã cá nhân", "ratings", key_width=24)
NOMINATIONS = Sheet(
    "Đề nghị",
    Nomination,
    (
        Column("Tập thể", ("collective",), 26),
        Column("Cá nhân", ("person",), 22),
        Column("Hình thức", ("award",), 16),
        Column("Số phiếu", ("votes",), 9),
        Column("Thành tích", ("achievements",), 90, lines=True),
        Column("Sáng kiến", ("initiatives",), 40, lines=True),
    ),
    keys=(
        Column("Mã đợt", (), 11, required=True),
        Column("Đơn vị trình", (), 26, required=True),
    ),
)
GUIDE = "Hướng dẫn"
#: Sheets in the order they are written; the guide is written, never read.
SHEETS = (UNITS.name, SCORES.name, UNIT_ACHIEVEMENTS, PEOPLE.name, RATINGS.name)
KNOWN_SHEETS = (*SHEETS, NOMINATIONS.name, GUIDE)


def _hint(model: type, path: tuple[str, ...]) -> Any:
    """The type of a field reached through nested dataclasses, without its `| None`."""
    tp: Any = model
    for name in path:
        tp = _unoptional(get_type_hints(tp)[name])
    return tp


def _unoptional(tp: Any) -> Any:
    if get_origin(tp) in (typing.Union, types.UnionType):
        return next(a for a in get_args(tp) if a is not type(None))
    return tp


def _field_of(model: type, path: tuple[str, ...]) -> dataclasses.Field[Any]:
    tp: Any = model
    fld: dataclasses.Field[Any] | None = None
    for name in path:
        fld = {f.name: f for f in dataclasses.fields(tp)}[name]
        tp = _unoptional(get_type_hints(tp)[name])
    assert fld is not None
    return fld


def _required(sheet: Sheet, column: Column) -> bool:
    """A column every row must fill: each field on its path is required."""
    if not column.field:
        return column.required
    tp: Any = sheet.model
    for name in column.field:
        fld = {f.name: f for f in dataclasses.fields(tp)}[name]
        if fld.default is not dataclasses.MISSING or fld.default_factory is not dataclasses.MISSING:
            return False
        tp = _unoptional(get_type_hints(tp)[name])
    return True


def _doc(sheet: Sheet, column: Column) -> str:
    return str(_field_of(sheet.model, column.field).metadata.get("doc", "")) if column.field else ""


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
        if isinstance(value, str) and value.strip().isdigit():
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


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass
class Part:
    """What one group of sheets supplies, ready for the Converter (like a loaded YAML file)."""

    value: dict[str, Any] | None
    source: SheetSource
    found: list[Problem]

    def parts(self) -> tuple[dict[str, Any] | None, SheetSource, list[Problem]]:
        return self.value, self.source, self.found


@dataclass
class _Row:
    """One nomination row of the 'Đề nghị' sheet."""

    row: int
    value: dict[str, Any]
    cells: dict[tuple[Any, ...], str]  # field path inside the nomination → cell
    #: characters Word cannot hold: (field path, message, hint), reported once placed
    problems: list[tuple[KeyPath, str, str]] = field(default_factory=list)


@dataclass
class _Group:
    """The rows of one submission (round, nominating unit), in sheet order."""

    round_id: str
    unit: str
    first: str  # cell of the first row's round id
    unit_cell: str  # and of its nominating unit
    rows: list[_Row] = field(default_factory=list)
    used: bool = False


class Book:
    """A data workbook: its parts for the converter and its sheet-level problems."""

    def __init__(self, path: Path, display: str) -> None:
        self.path = path
        self.file = display
        self.units: Part | None = None
        self.people: Part | None = None
        self.problems: list[Problem] = []  # headers, unknown sheets, references between sheets
        self.found: list[Problem] = []  # cell problems of the nominations
        self.groups: dict[tuple[str, str], _Group] = {}
        self.rounds: dict[str, list[str]] = {}  # grafted rounds' submissions, for hints
        self.complete = True  # every round file could be read

    def fail(self, message: str, hint: str = "", cell: str = "") -> None:
        self.problems.append(Problem(self.file, None, "", message, hint, cell))

    # -- rounds ----------------------------------------------------------------------------

    def graft(self, value: Any, source: Source) -> Source:
        """Put the workbook's nominations into a round file's submissions before conversion.

        Returns the source to convert with: paths under a grafted submission's nominations
        are reported at their cells.
        """
        mixed = RoundSource(source.file, source.lines, source.raw, book=self.file)
        if not isinstance(value, dict) or not isinstance(value.get("submissions"), list):
            self.complete = False
            return mixed
        round_id = _text_of(value.get("id"))
        units: list[str] = []
        self.rounds[round_id] = units
        for s, sub in enumerate(value["submissions"]):
            if not isinstance(sub, dict):
                continue
            unit = _text_of(sub.get("unit"))
            units.append(unit)
            group = self.groups.get((round_id, unit))
            if group is None or group.used:
                continue
            group.used = True
            if "nominations" in sub:
                line = source.line(("submissions", s, "nominations"))
                self.fail(
                    _(
                        "hồ sơ của đơn vị '{unit}' trong đợt '{round}' đã có danh sách đề nghị "
                        "trong {file} (dòng {line}); mỗi hồ sơ chỉ ghi đề nghị ở một nơi"
                    ).format(unit=unit, round=round_id, file=source.file, line=line),
                    _(
                        "xóa các dòng của hồ sơ này trong trang '{sheet}' hoặc xóa khóa "
                        "'nominations' trong {file}"
                    ).format(sheet=NOMINATIONS.name, file=source.file),
                    group.first,
                )
                continue
            sub["nominations"] = [r.value for r in group.rows]
            base: KeyPath = ("submissions", s, "nominations")
            sheet = SheetSource(self.file, prefix=f"rounds[{round_id}].")
            sheet.cells[base] = group.first
            for n, row in enumerate(group.rows):
                for path, cell in row.cells.items():
                    sheet.cells[(*base, n, *path)] = cell
                    sheet.lines[(*base, n, *path)] = row.row
                for column in NOMINATIONS.columns:
                    sheet.headers[(*base, n, *column.field)] = [column.header]
                for path, message, hint in row.problems:
                    self.found.append(sheet.problem((*base, n, *path), message, hint))
            mixed.grafts[base] = sheet
        return mixed

    def finish(self) -> list[Problem]:
        """Sheet-level problems, with nomination rows no round file took."""
        out = list(self.problems) + list(self.found)
        for group in self.groups.values():
            if group.used:
                continue
            for row in group.rows:  # still worth fixing, wherever the rows end up
                for path, message, hint in row.problems:
                    cell = row.cells.get(path[:1], group.first)
                    out.append(Problem(self.file, None, "", message, hint, cell))
            if group.round_id not in self.rounds:
                if self.complete:
                    hint = suggest(group.round_id, list(self.rounds)) or _(
                        "các đợt: {rounds}"
                    ).format(rounds=", ".join(sorted(self.rounds)))
                    out.append(
                        Problem(
                            self.file,
                            None,
                            "",
                            _(
                                "không có đợt khen thưởng mã '{round}' (tệp đợt trong rounds/)"
                            ).format(round=group.round_id),
                            hint,
                            group.first,
                        )
                    )
                continue
            units = self.rounds[group.round_id]
            out.append(
                Problem(
                    self.file,
                    None,
                    "",
                    _(
                        "đợt '{round}' không có hồ sơ của đơn vị '{unit}' "
                        "(các hồ sơ và cuộc họp xét ghi trong tệp đợt)"
                    ).format(round=group.round_id, unit=group.unit),
                    suggest(group.unit, units)
                    or _("các đơn vị có hồ sơ: {units}").format(units=", ".join(units)),
                    group.unit_cell,
                )
            )
        return out


def open_book(data_dir: Path, display: Callable[[Path], str]) -> Book | None:
    """The data folder's workbook, read, or None; a second source of the same data is an error.

    A workbook named like the data workbook but saved in another format is reported rather
    than silently ignored.
    """
    path = data_dir / WORKBOOK_FILE
    stem = Path(WORKBOOK_FILE).stem
    misnamed = [
        p
        for p in sorted(data_dir.glob(stem + ".*"))
        if p.name != WORKBOOK_FILE and p.suffix.lower() in (".xls", ".xlsm", ".ods", ".xlsx")
    ]
    if not path.exists() and not misnamed:
        return None
    book = Book(path, display(path))
    for other in misnamed:
        book.problems.append(
            Problem(
                display(other),
                None,
                "",
                _(
                    "tệp không được đọc: bảng tính dữ liệu phải là tệp Excel .xlsx tên '{name}'"
                ).format(name=WORKBOOK_FILE),
                _("mở tệp và lưu lại dưới dạng Excel 2007-365 (.xlsx) với tên '{name}'").format(
                    name=WORKBOOK_FILE
                ),
            )
        )
    if path.exists():
        _read(book, data_dir, display)
    return book


def _read(book: Book, data_dir: Path, display: Callable[[Path], str]) -> None:
    unreadable = _check_file(book.path)
    if unreadable is None:
        try:
            wb = load_workbook(book.path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            unreadable = (
                _("không đọc được bảng tính ({error})").format(
                    error=f"{type(exc).__name__}: {exc}"
                ),
                _("tệp phải là bảng tính Excel .xlsx (lưu lại từ Excel hoặc LibreOffice Calc)"),
            )
    if unreadable is not None:
        book.fail(*unreadable)
        _give_up(book, data_dir)
        return
    try:
        names = list(wb.sheetnames)
        by_name = {_norm(n): n for n in names}
        for name in names:
            if _norm(name) not in {_norm(k) for k in KNOWN_SHEETS}:
                hint = suggest(name, list(KNOWN_SHEETS)) or _("các trang: {sheets}").format(
                    sheets=", ".join(KNOWN_SHEETS)
                )
                book.fail(_("trang '{sheet}' không được hỗ trợ").format(sheet=name), hint)

        def sheet(name: str) -> ReadOnlyWorksheet | None:
            found = by_name.get(_norm(name))
            ws = wb[found] if found is not None else None
            return ws if isinstance(ws, ReadOnlyWorksheet) else None

        conflicts = []
        for main, yaml_name, twice in (
            (
                UNITS.name,
                UNITS_FILE,
                N_(
                    "dữ liệu đơn vị có ở cả hai nơi: {book} (trang '{sheet}') và {file}; "
                    "docgen không biết dùng nơi nào"
                ),
            ),
            (
                PEOPLE.name,
                PEOPLE_FILE,
                N_(
                    "dữ liệu cá nhân có ở cả hai nơi: {book} (trang '{sheet}') và {file}; "
                    "docgen không biết dùng nơi nào"
                ),
            ),
        ):
            if sheet(main) is not None and (data_dir / yaml_name).exists():
                other = display(data_dir / yaml_name)
                conflicts.append(
                    Problem(
                        book.file,
                        None,
                        "",
                        _(twice).format(book=book.file, sheet=main, file=other),
                        _(
                            "giữ một nơi: xóa (hoặc đổi tên) {file}, hoặc xóa trang '{sheet}' "
                            "khỏi bảng tính"
                        ).format(file=other, sheet=main),
                    )
                )
        if conflicts:
            raise ValidationError(conflicts)
        book.units = _read_records(book, sheet(UNITS.name), UNITS, "units")
        for extra in (SCORES.name, UNIT_ACHIEVEMENTS):
            if sheet(extra) is not None and sheet(UNITS.name) is None:
                book.fail(
                    _("trang '{sheet}' cần trang '{main}' trong cùng bảng tính").format(
                        sheet=extra, main=UNITS.name
                    ),
                    _("hoặc ghi dữ liệu này trong {file}").format(file=UNITS_FILE),
                )
        if book.units is not None:
            _read_years(book, sheet(SCORES.name), SCORES, UNITS, book.units)
            _read_unit_achievements(book, sheet(UNIT_ACHIEVEMENTS), book.units)
        book.people = _read_records(book, sheet(PEOPLE.name), PEOPLE, "people")
        if sheet(RATINGS.name) is not None and sheet(PEOPLE.name) is None:
            book.fail(
                _("trang '{sheet}' cần trang '{main}' trong cùng bảng tính").format(
                    sheet=RATINGS.name, main=PEOPLE.name
                ),
                _("hoặc ghi xếp loại trong {file}").format(file=PEOPLE_FILE),
            )
        if book.people is not None:
            _read_years(book, sheet(RATINGS.name), RATINGS, PEOPLE, book.people)
        _read_nominations(book, sheet(NOMINATIONS.name))
    except (SyntaxError, zipfile.BadZipFile, EOFError, zlib.error) as exc:  # a damaged part
        book.fail(
            _("bảng tính bị hỏng, không đọc được ({error})").format(
                error=f"{type(exc).__name__}: {exc}"
            ),
            _("mở tệp bằng Excel hoặc LibreOffice Calc và lưu lại"),
        )
        _give_up(book, data_dir)
    finally:
        wb.close()


def _give_up(book: Book, data_dir: Path) -> None:
    """An unreadable workbook: what the YAML files do not hold was in it, and "units.yaml:
    không tìm thấy tệp" would send the user the wrong way."""
    book.groups.clear()
    if not (data_dir / UNITS_FILE).exists():
        book.units = Part(None, SheetSource(book.file), [])
    if not (data_dir / PEOPLE_FILE).exists():
        book.people = Part(None, SheetSource(book.file), [])


def _check_file(path: Path) -> tuple[str, str] | None:
    """Size limits before parsing (the file, and what it unpacks to)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            mb = f"{size / 1_048_576:.1f}".replace(".", ",")
            return (
                _("tệp quá lớn ({size} MB, tối đa {limit} MB)").format(
                    size=mb, limit=MAX_BYTES // 1_048_576
                ),
                _("bảng tính dữ liệu docgen chỉ cần vài chục KB; hãy xóa ảnh và trang thừa"),
            )
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
    except zipfile.BadZipFile:
        return (
            _("tệp không phải bảng tính .xlsx"),
            _("có thể tệp là .xls cũ hoặc .ods đổi tên; hãy mở và lưu lại dưới dạng Excel .xlsx"),
        )
    except OSError as exc:
        return _("không đọc được tệp: {reason}").format(reason=exc.strerror), ""
    if unpacked > MAX_UNPACKED:
        return _("tệp giải nén quá lớn (có thể là tệp độc hại)"), ""
    return None


@dataclass
class _Cell:
    value: object
    number_format: str
    ref: str  # "Đơn vị!C5"


Rows = list[tuple[int, list[_Cell]]]


def _table(book: Book, ws: ReadOnlyWorksheet) -> tuple[list[_Cell], Rows]:
    """The header row's cells, and (row number, cells) of every row below it."""
    rows = list(_rows(book, ws))
    return (rows[0][1] if rows else []), rows[1:]


def _rows(book: Book, ws: ReadOnlyWorksheet) -> Iterator[tuple[int, list[_Cell]]]:
    """(row number, cells) of every row, the header row included; stops at MAX_ROWS."""
    ws.reset_dimensions()  # trust the cells, not the sheet's <dimension>
    sheet: Any = ws  # the stubs type iter_rows for Worksheet only
    for r, row in enumerate(sheet.iter_rows(), start=1):
        if r > MAX_ROWS:
            book.fail(
                ngettext(
                    "trang '{sheet}' có hơn {limit} dòng",
                    "trang '{sheet}' có hơn {limit} dòng",
                    MAX_ROWS,
                ).format(sheet=ws.title, limit=MAX_ROWS),
                _("xóa các dòng thừa ở cuối trang (kể cả dòng chỉ có định dạng)"),
                f"{ws.title}!A{r}",
            )
            return
        yield (
            r,
            [
                _Cell(
                    c.value,
                    str(getattr(c, "number_format", None) or "General"),
                    f"{ws.title}!{get_column_letter(i)}{r}",
                )
                for i, c in enumerate(row, start=1)
            ],
        )


def _header_map(
    book: Book,
    ws: ReadOnlyWorksheet,
    header: list[_Cell],
    body: Rows,
    columns: Sequence[Column],
    sheet: Sheet | None = None,
) -> dict[int, Column] | None:
    """Column index → Column; unknown, repeated and missing headers are reported.

    None when a required column is missing: rows without it cannot be read meaningfully.
    An empty sheet has no columns and no records.
    """
    if all(_blank(c.value) for c in header):
        if any(not _blank(c.value) for _, cells in body for c in cells):
            book.fail(
                _("dòng 1 của trang phải là dòng tiêu đề cột: {columns}").format(
                    columns=", ".join(c.header for c in columns)
                ),
                _("chèn dòng tiêu đề (xem trang '{sheet}' của bảng tính mẫu)").format(sheet=GUIDE),
                f"{ws.title}!1:1",
            )
            return None
        return {}
    wanted = {_norm(c.header): c for c in columns}
    found: dict[int, Column] = {}
    seen: dict[str, str] = {}
    unknown: list[str] = []
    for i, cell in enumerate(header):
        if _blank(cell.value):
            continue
        text = " ".join(_text_of(cell.value).split())
        column = wanted.get(_norm(text))
        if column is None:
            hint = suggest(text, [c.header for c in columns])
            unknown.append(hint)
            book.fail(
                _("cột '{column}' không được hỗ trợ ở trang này").format(column=text),
                hint
                or _("các cột: {columns}").format(columns=", ".join(c.header for c in columns)),
                cell.ref,
            )
        elif column.header in seen:
            book.fail(
                _("cột '{column}' bị lặp lại (đã có ở ô {cell})").format(
                    column=column.header, cell=seen[column.header]
                ),
                cell=cell.ref,
            )
        else:
            found[i] = column
            seen[column.header] = cell.ref.split("!")[-1]
    usable = True
    present = set(found.values())
    for column in columns:
        required = _required(sheet, column) if sheet else column.required
        if required and column not in present:
            usable = False
            if suggest(column.header, [column.header]) in unknown:
                continue  # the misspelt header is reported already
            doc = _doc(sheet, column) if sheet else ""
            book.fail(
                (
                    _("thiếu cột bắt buộc '{column}' ({description})")
                    if doc
                    else _("thiếu cột bắt buộc '{column}'")
                ).format(column=column.header, description=doc),
                _("dòng đầu tiên của trang là dòng tiêu đề cột"),
                f"{ws.title}!1:1",
            )
    return found if usable else None


def _stray(book: Book, cells: list[_Cell], header: list[_Cell], reported: set[int]) -> None:
    """A value in a column without a header would be silently lost: say so, once per column."""
    for i, cell in enumerate(cells):
        headed = i < len(header) and not _blank(header[i].value)
        if not headed and i not in reported and not _blank(cell.value):
            reported.add(i)
            book.fail(
                _("ô có dữ liệu nhưng cột không có tiêu đề ở dòng 1 nên không được đọc"),
                _("thêm tiêu đề cột hoặc xóa dữ liệu"),
                cell.ref,
            )


def _read_records(book: Book, ws: ReadOnlyWorksheet | None, sheet: Sheet, key: str) -> Part | None:
    """A sheet with one record per row into {key: [record, …]}; None without the sheet."""
    if ws is None:
        return None
    source = SheetSource(book.file)
    part = Part(None, source, [])
    header, rows = _table(book, ws)
    columns = _header_map(book, ws, header, rows, sheet.all_columns, sheet)
    if columns is None:
        return part
    records: list[dict[str, Any]] = []
    reported: set[int] = set()
    for r, cells in rows:
        _stray(book, cells, header, reported)
        if all(_blank(cells[i].value) for i in columns if i < len(cells)):
            continue
        path: KeyPath = (key, len(records))
        record: dict[str, Any] = {}
        source.cells[path] = f"{ws.title}!A{r}"
        source.lines[path] = r
        for i, column in columns.items():
            cell = cells[i] if i < len(cells) else _Cell(None, "General", "")
            ref = f"{ws.title}!{get_column_letter(i + 1)}{r}"
            where = (*path, *column.field)
            for k in range(1, len(column.field) + 1):
                source.cells.setdefault((*path, *column.field[:k]), ref)
            source.lines[where] = r
            value = _value(
                cell.value, cell.number_format, _hint(sheet.model, column.field), column.lines
            )
            if value is None:
                continue
            value = _checked(value, where, source, part.found)
            target = record
            for name in column.field[:-1]:
                target = target.setdefault(name, {})
            target[column.field[-1]] = value
        for column in sheet.columns:
            for k in range(1, len(column.field) + 1):
                group = [c.header for c in sheet.columns if c.field[:k] == column.field[:k]]
                source.headers[(*path, *column.field[:k])] = group
        records.append(record)
    part.value = {key: records}
    return part


def _checked(value: Any, path: KeyPath, source: Source, found: list[Problem]) -> Any:
    """Text cells cleaned as the YAML loader cleans text; a character Word cannot hold is
    reported at the cell."""
    later: list[tuple[KeyPath, str, str]] = []
    value = _cleaned(value, path, later)
    found.extend(source.problem(*p) for p in later)
    return value


def _cleaned(value: Any, path: KeyPath, problems: list[tuple[KeyPath, str, str]]) -> Any:
    if isinstance(value, str):
        text, message, hint = _clean(value)
        if message:
            problems.append((path, message, hint))
        return text
    if isinstance(value, list):
        return [_cleaned(v, (*path, i), problems) for i, v in enumerate(value)]
    return value


def _owner_index(part: Part, key: str) -> dict[str, int]:
    """Record ids (as typed) → index, first occurrence; duplicates are reported elsewhere."""
    out: dict[str, int] = {}
    records = part.value[key] if part.value else []
    for i, record in enumerate(records):
        out.setdefault(str(record.get("id", "")), i)
    return out


def _read_years(
    book: Book, ws: ReadOnlyWorksheet | None, sheet: YearSheet, owner: Sheet, part: Part
) -> None:
    """Scores or ratings: one row per unit or person, one column per year."""
    if ws is None or part.value is None:
        return
    key = next(iter(part.value))
    owners = _owner_index(part, key)
    header, rows = _table(book, ws)
    if not any(not _blank(c.value) for _, cells in [(1, header), *rows] for c in cells):
        return  # an empty sheet: no scores
    key_col: int | None = None
    years: dict[int, int] = {}
    where: dict[int, str] = {}
    for i, cell in enumerate(header):
        if _blank(cell.value):
            continue
        if _norm(cell.value) == _norm(sheet.key):
            key_col = i
            continue
        year = _year(cell.value)
        if year is None:
            text = _text_of(cell.value)
            book.fail(
                _("cột '{column}' không hợp lệ: cần cột '{key}' hoặc một năm (ví dụ 2022)").format(
                    column=text, key=sheet.key
                ),
                suggest(text, [sheet.key]),
                cell.ref,
            )
        elif year in years.values():
            book.fail(
                _("năm {year} bị lặp lại (đã có ở ô {cell})").format(year=year, cell=where[year]),
                cell=cell.ref,
            )
        else:
            years[i] = year
            where[year] = cell.ref.split("!")[-1]
    if key_col is None:
        book.fail(
            _("thiếu cột bắt buộc '{column}'").format(column=sheet.key), "", f"{ws.title}!1:1"
        )
        return
    seen: dict[str, int] = {}
    reported: set[int] = set()
    for r, cells in rows:
        _stray(book, cells, header, reported)
        if all(_blank(cells[i].value) for i in (key_col, *years) if i < len(cells)):
            continue
        id_cell = cells[key_col] if key_col < len(cells) else _Cell(None, "", "")
        ref = f"{ws.title}!{get_column_letter(key_col + 1)}{r}"
        if _blank(id_cell.value):
            book.fail(_("thiếu '{column}' của dòng này").format(column=sheet.key), cell=ref)
            continue
        ident = _text_of(id_cell.value).strip()
        if ident not in owners:
            book.fail(
                _("không có mã '{id}' trong trang '{sheet}'").format(id=ident, sheet=owner.name),
                suggest(ident, list(owners)),
                ref,
            )
            continue
        if ident in seen:
            book.fail(
                _("mã '{id}' đã có ở dòng {row} của trang này").format(id=ident, row=seen[ident]),
                cell=ref,
            )
            continue
        seen[ident] = r
        index = owners[ident]
        assert part.value is not None
        record = part.value[key][index]
        tp = get_args(_hint(owner.model, (sheet.field,)))[1]
        for i, year in years.items():
            if i >= len(cells):
                continue
            path: KeyPath = (key, index, sheet.field, year)
            part.source.cells[path] = cells[i].ref
            part.source.lines[path] = r
            value = _value(cells[i].value, cells[i].number_format, tp, lines=False)
            if value is not None:
                record.setdefault(sheet.field, {})[year] = _checked(
                    value, path, part.source, part.found
                )


def _read_unit_achievements(book: Book, ws: ReadOnlyWorksheet | None, part: Part) -> None:
    """Units' other achievements: one row per unit and year, one paragraph per line."""
    if ws is None or part.value is None:
        return
    owners = _owner_index(part, "units")
    header, rows = _table(book, ws)
    columns = _header_map(book, ws, header, rows, ACHIEVEMENT_COLUMNS)
    if not columns:
        return
    index = {c.header: i for i, c in columns.items()}
    unit_col, year_col, text_col = (index[c.header] for c in ACHIEVEMENT_COLUMNS)
    seen: dict[tuple[str, int], int] = {}
    reported: set[int] = set()
    empty = _Cell(None, "General", "")
    for r, cells in rows:
        _stray(book, cells, header, reported)
        unit, year, text = (
            cells[i] if i < len(cells) else empty for i in (unit_col, year_col, text_col)
        )
        if all(_blank(c.value) for c in (unit, year, text)):
            continue

        def ref(i: int, r: int = r) -> str:
            return f"{ws.title}!{get_column_letter(i + 1)}{r}"

        ident = _text_of(unit.value).strip() if not _blank(unit.value) else ""
        if ident not in owners:
            book.fail(
                _("không có mã '{id}' trong trang '{sheet}'").format(id=ident, sheet=UNITS.name)
                if ident
                else _("thiếu '{column}' của dòng này").format(
                    column=ACHIEVEMENT_COLUMNS[0].header
                ),
                suggest(ident, list(owners)) if ident else "",
                ref(unit_col),
            )
            continue
        number = _year(year.value)
        if number is None:
            book.fail(
                _("cần một năm (ví dụ 2022), nhận được '{got}'").format(got=_text_of(year.value))
                if not _blank(year.value)
                else _("thiếu năm của thành tích"),
                cell=ref(year_col),
            )
            continue
        if (ident, number) in seen:
            book.fail(
                _(
                    "thành tích năm {year} của '{unit}' đã có ở dòng {row}; "
                    "ghi mọi thành tích của một năm trong một ô, mỗi ý một dòng"
                ).format(year=number, unit=ident, row=seen[(ident, number)]),
                cell=ref(year_col),
            )
            continue
        seen[(ident, number)] = r
        i = owners[ident]
        path: KeyPath = ("units", i, "achievements", number)
        part.source.cells[path] = ref(text_col)
        part.source.lines[path] = r
        value = _value(text.value, text.number_format, str, lines=True)
        assert part.value is not None
        part.value["units"][i].setdefault("achievements", {})[number] = (
            _checked(value, path, part.source, part.found) if value is not None else []
        )


def _read_nominations(book: Book, ws: ReadOnlyWorksheet | None) -> None:
    """Rows of 'Đề nghị', grouped by (round, nominating unit) in sheet order."""
    if ws is None:
        return
    header, rows = _table(book, ws)
    columns = _header_map(book, ws, header, rows, NOMINATIONS.all_columns, NOMINATIONS)
    if not columns:
        return
    round_col, unit_col = (next(i for i, c in columns.items() if c is k) for k in NOMINATIONS.keys)
    reported: set[int] = set()
    for r, cells in rows:
        _stray(book, cells, header, reported)
        if all(_blank(cells[i].value) for i in columns if i < len(cells)):
            continue

        def cell(i: int, r: int = r, cells: list[_Cell] = cells) -> _Cell:
            ref = f"{ws.title}!{get_column_letter(i + 1)}{r}"
            return cells[i] if i < len(cells) else _Cell(None, "General", ref)

        keys = []
        for i in (round_col, unit_col):
            if _blank(cell(i).value):
                book.fail(
                    _("thiếu '{column}' của đề nghị").format(column=columns[i].header),
                    cell=cell(i).ref,
                )
                keys.append("")
            else:
                keys.append(_text_of(cell(i).value).strip())
        if not all(keys):
            continue
        group = book.groups.setdefault(
            (keys[0], keys[1]),
            _Group(keys[0], keys[1], cell(round_col).ref, cell(unit_col).ref),
        )
        row = _Row(r, {}, {(): cell(round_col).ref})
        for i, column in columns.items():
            if not column.field:
                continue
            row.cells[column.field] = cell(i).ref
            got = _value(
                cell(i).value,
                cell(i).number_format,
                _hint(Nomination, column.field),
                column.lines,
            )
            if got is not None:
                row.value[column.field[-1]] = _cleaned(got, column.field, row.problems)
        group.rows.append(row)


# ---------------------------------------------------------------------------------------------
# Writing the data workbook

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="000000")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP_WRAP = Alignment(vertical="top", wrap_text=True)
_TOP = Alignment(vertical="top")


def _cell(ws: Worksheet, row: int, col: int, value: object = None) -> Cell:
    """A writable cell (never the hidden part of a merged range), with `value` if given."""
    cell = ws.cell(row=row, column=col)
    assert isinstance(cell, Cell)
    if value is not None:
        cell.value = value  # type: ignore[assignment]
    return cell


def _field_value(record: object, path: tuple[str, ...]) -> object:
    value: object = record
    for name in path:
        if value is None:
            return None
        value = getattr(value, name)
    return value


def _put(ws: Worksheet, row: int, col: int, value: object, wrap: bool = False) -> Cell:
    """Write one value the way the reader reads it back: lists one per line, numbers as
    numbers (Vietnamese format), text never taken for a formula."""
    cell = _cell(ws, row, col)
    if value is None or value == [] or value == "":
        cell.value = None
    elif isinstance(value, list):
        cell.value = "\n".join(str(v) for v in value)
    elif isinstance(value, Decimal):
        _put_decimal(cell, value)
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, int):
        cell.value = value
        cell.number_format = "0"
    else:
        cell.value = str(value)
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"  # an achievement starting with "=" is text, not a formula
    cell.alignment = (
        _TOP_WRAP if wrap or (isinstance(cell.value, str) and "\n" in cell.value) else _TOP
    )
    return cell


def _put_decimal(cell: Cell, value: Decimal) -> None:
    """A number shown with at least two decimals, more if the value has them; a value a
    float cannot hold exactly is kept as text ("91,123456789012345678") so nothing is lost."""
    as_float = float(value)
    if Decimal(repr(as_float)) != value:
        cell.value = format(value, "f").replace(".", ",")
        return
    cell.value = as_float
    exponent = value.as_tuple().exponent
    places = max(2, -exponent if isinstance(exponent, int) else 2)
    cell.number_format = NUMBER_FORMAT if places == 2 else NUMBER_FORMAT + "0" * (places - 2)


def _header_row(ws: Worksheet, headers: Sequence[object], widths: Sequence[float]) -> None:
    """Bold, filled, frozen header row with column widths and a filter."""
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _cell(ws, 1, col, text)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"
    _print_setup(ws, landscape=True, title_rows="1:1")


def _fit_rows(
    ws: Worksheet, first: int = 2, line_height: float = 15.0, chars_per_unit: float = 1.0
) -> None:
    """Row heights for wrapped text: neither Excel nor Calc grows the rows of a written file,
    so a long achievement would print cut off. Estimated from the column widths (a merged
    cell spans the widths of its columns)."""

    def width(col: int) -> float:
        return ws.column_dimensions[get_column_letter(col)].width or 8.43

    spans = {
        (m.min_row, m.min_col): sum(width(c) for c in range(m.min_col, m.max_col + 1))
        for m in ws.merged_cells.ranges
    }
    for r, row in enumerate(ws.iter_rows(min_row=first), start=first):
        lines = 1
        for cell in row:
            if not isinstance(cell, Cell) or not isinstance(cell.value, str):
                continue
            if not cell.alignment.wrap_text:
                continue
            units = spans.get((r, cell.column), width(cell.column))
            per_line = max(1, int(units * chars_per_unit))
            count = sum(-(-max(len(part), 1) // per_line) for part in cell.value.split("\n"))
            lines = max(lines, count)
        if lines > 1:
            ws.row_dimensions[r].height = lines * line_height


def _print_setup(ws: Worksheet, landscape: bool, title_rows: str) -> None:
    """A4, fit to the page width, header rows repeated on every printed page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    footer = ws.oddFooter
    assert footer is not None
    footer.center.text = "Trang &P/&N"


def _dropdown(
    ws: Worksheet, sheet: Sheet, field: str, choices: Sequence[str], last_row: int
) -> None:
    """A list to pick from in Excel and Calc; other input is still accepted (docgen checks)."""
    col = 1 + next(i for i, c in enumerate(sheet.all_columns) if c.field == (field,))
    formula = '"' + ",".join(choices) + '"'
    if len(formula) > 255:  # Excel's limit for an inline list
        return
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.showErrorMessage = False
    letter = get_column_letter(col)
    validation.add(f"{letter}2:{letter}{max(last_row, 2) + 200}")
    ws.add_data_validation(validation)


def _record_sheet(
    wb: Workbook, sheet: Sheet, rows: Sequence[tuple[Sequence[object], object]]
) -> Worksheet:
    ws: Worksheet = wb.create_sheet(sheet.name)
    columns = sheet.all_columns
    _header_row(ws, [c.header for c in columns], [c.width for c in columns])
    for r, (keys, record) in enumerate(rows, start=2):
        for c, value in enumerate(keys, start=1):
            _put(ws, r, c, value)
        for c, column in enumerate(sheet.columns, start=len(sheet.keys) + 1):
            _put(ws, r, c, _field_value(record, column.field), wrap=column.lines)
    return ws


def _year_sheet(
    wb: Workbook, sheet: YearSheet, owners: Sequence[tuple[str, dict[int, Any]]]
) -> Worksheet:
    ws: Worksheet = wb.create_sheet(sheet.name)
    years = sorted({y for _, values in owners for y in values})
    _header_row(ws, [sheet.key, *years], [sheet.key_width, *[10] * len(years)])
    for r, (ident, values) in enumerate(owners, start=2):
        _put(ws, r, 1, ident)
        for c, year in enumerate(years, start=2):
            _put(ws, r, c, values.get(year))
    return ws


def _lines_check(ws: Workspace) -> None:
    """A paragraph with a line break inside would come back as two: refuse, say where."""
    problems = []
    for unit in ws.units.values():
        for year, texts in unit.achievements.items():
            if any("\n" in t for t in texts):
                problems.append(
                    _("đơn vị '{unit}', thành tích năm {year}").format(unit=unit.id, year=year)
                )
    for rnd in ws.rounds.values():
        for sub in rnd.submissions:
            for nom in sub.nominations:
                if any("\n" in t for t in [*nom.achievements, *nom.initiatives]):
                    who = nom.collective or nom.person
                    problems.append(
                        _("đợt '{round}', hồ sơ '{unit}', đề nghị '{nominee}'").format(
                            round=rnd.id, unit=sub.unit, nominee=who
                        )
                    )
    if problems:
        raise OutputError(
            _(
                "không ghi được vào bảng tính: một đoạn thành tích có chỗ xuống dòng bên trong "
                "(trong ô, mỗi dòng là một đoạn) ở {places}. Hãy nối các dòng "
                "của đoạn đó hoặc tách thành nhiều mục."
            ).format(places="; ".join(problems))
        )


def build_workbook(ws: Workspace, nominations: bool = True) -> Workbook:
    """The data workbook of `ws` (see `export_workbook`)."""
    _lines_check(ws)
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    units = list(ws.units.values())
    people = list(ws.people.values())
    sheet = _record_sheet(wb, UNITS, [((), u) for u in units])
    _dropdown(sheet, UNITS, "kind", list(ws.config.unit_kinds), len(units) + 1)
    _year_sheet(wb, SCORES, [(u.id, dict(u.par_index)) for u in units])
    sheet = wb.create_sheet(UNIT_ACHIEVEMENTS)
    _header_row(
        sheet, [c.header for c in ACHIEVEMENT_COLUMNS], [c.width for c in ACHIEVEMENT_COLUMNS]
    )
    r = 2
    for unit in units:
        for year, texts in unit.achievements.items():
            _put(sheet, r, 1, unit.id)
            _put(sheet, r, 2, year)
            _put(sheet, r, 3, list(texts), wrap=True)
            r += 1
    sheet = _record_sheet(wb, PEOPLE, [((), p) for p in people])
    _dropdown(sheet, PEOPLE, "gender", ["nam", "nữ"], len(people) + 1)
    sheet = _year_sheet(wb, RATINGS, [(p.id, dict(p.ratings)) for p in people])
    if nominations:
        rows = [
            ((rnd.id, sub.unit), nom)
            for rnd in ws.rounds.values()
            for sub in rnd.submissions
            for nom in sub.nominations
        ]
        sheet = _record_sheet(wb, NOMINATIONS, rows)
        _dropdown(sheet, NOMINATIONS, "award", list(ws.config.awards), len(rows) + 1)
    _guide(wb, ws, nominations)
    for sheet in wb.worksheets:
        _fit_rows(sheet)
    return wb


def _guide(wb: Workbook, ws: Workspace, nominations: bool) -> None:
    """What each sheet and column holds, for whoever fills the workbook by hand."""
    sheet: Worksheet = wb.create_sheet(GUIDE)

    def columns(table: Sheet) -> list[tuple[str, str, str, str]]:
        out = []
        for column in table.all_columns:
            doc = _doc(table, column) or {
                "Mã đợt": "mã đợt khen thưởng (tên tệp đợt trong rounds/): '2022', '2021-2025'",
                "Đơn vị trình": "mã đơn vị trình hồ sơ (hồ sơ ghi trong tệp đợt)",
            }.get(column.header, "")
            if column.lines:
                doc += " — mỗi mục một dòng trong ô"
            out.append((table.name, column.header, "có" if _required(table, column) else "", doc))
        return out

    ratings = ", ".join(f"{k} ({v})" for k, v in RATING_NAMES.items())
    rows = [
        *columns(UNITS),
        (SCORES.name, SCORES.key, "có", f"mã đơn vị trong trang '{UNITS.name}'"),
        (SCORES.name, "2021, 2022, …", "", "Chỉ số cải cách hành chính (%) của năm: 91,25"),
        (UNIT_ACHIEVEMENTS, "Mã đơn vị", "có", f"mã đơn vị trong trang '{UNITS.name}'"),
        (UNIT_ACHIEVEMENTS, "Năm", "có", "năm của thành tích"),
        (UNIT_ACHIEVEMENTS, "Thành tích", "có", "thành tích khác của năm, mỗi ý một dòng trong ô"),
        *columns(PEOPLE),
        (RATINGS.name, RATINGS.key, "có", f"mã cá nhân trong trang '{PEOPLE.name}'"),
        (RATINGS.name, "2021, 2022, …", "", f"xếp loại của năm: {ratings}"),
        *(columns(NOMINATIONS) if nominations else []),
    ]
    notes = [
        "Bảng tính dữ liệu của docgen: đặt vào thư mục dữ liệu với tên 'du-lieu.xlsx' thay cho "
        "units.yaml và people.yaml; các tệp đợt (rounds/*.yaml) vẫn ghi tờ trình và cuộc họp xét.",
        "Dòng 1 của mỗi trang là tiêu đề cột; mỗi dòng sau là một bản ghi; dòng trống được bỏ qua.",
        "Số thập phân: 91,25 hoặc 91.25 (dạng số hoặc chữ đều được). Xuống dòng trong ô: "
        "Alt+Enter (Excel), Ctrl+Enter (LibreOffice Calc).",
        "Loại đơn vị: "
        + ", ".join(f"{k} ({v.label})" for k, v in ws.config.unit_kinds.items())
        + ". Giới tính: nam, nữ.",
        "Hình thức khen thưởng: "
        + "; ".join(f"{k} ({a.name})" for k, a in ws.config.awards.items())
        + ".",
    ]
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 10
    sheet.column_dimensions["D"].width = 100
    r = 1
    for note in notes:
        sheet.cell(row=r, column=1, value=note)
        r += 1
    r += 1
    header_row = r
    for c, text in enumerate(("Trang", "Cột", "Bắt buộc", "Nội dung"), start=1):
        cell = sheet.cell(row=r, column=c, value=text)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for row in rows:
        r += 1
        for c, text in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=text).alignment = _TOP_WRAP
    _print_setup(sheet, landscape=True, title_rows=f"{header_row}:{header_row}")


def export_workbook(ws: Workspace, path: Path, nominations: bool = True) -> None:
    """Write the workspace's units, scores, people, ratings and (unless `nominations` is
    False) every round's nominations to a workbook that `load_data` reads back unchanged.

    Rounds' meetings and proposals stay in their YAML files. The file is replaced whole or
    not at all.
    """
    _save(build_workbook(ws, nominations), path)


def _save(wb: Workbook, path: Path) -> None:
    """Same content, same bytes (fixed properties and zip order), never half a workbook
    (output.write_file)."""
    from .docxlayout import stable_zip

    wb.properties.creator = "docgen"
    wb.properties.lastModifiedBy = "docgen"
    wb.properties.created = _EPOCH
    wb.properties.modified = _EPOCH
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not save_workbook(): it stamps the current time
    write_file(path, stable_zip(buffer.getvalue()))


# ---------------------------------------------------------------------------------------------
# Print-ready lists

_FONT = "Times New Roman"
_FAIL_FILL = PatternFill("solid", fgColor="F8CBAD", bgColor="F8CBAD")


def _font(size: float = 12, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=_FONT, size=size, bold=bold, italic=italic)


def _merged(
    ws: Worksheet,
    row: int,
    first: int,
    last: int,
    value: str,
    font: Font,
    horizontal: str = "center",
) -> Cell:
    """A text across columns first..last (a title, a section, a signature line)."""
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = _cell(ws, row, first, value)
    cell.font = font
    cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
    return cell


#: Danh sách columns: one table for collectives and individuals, so one header row can
#: repeat on every printed page; a collective leaves the personal columns empty.
LIST_COLUMNS = (
    ("TT", 5),
    ("Tên tập thể, cá nhân", 30),
    ("Năm sinh", 8),
    ("Giới tính", 8),
    ("Dân tộc", 8),
    ("Chức vụ, đơn vị công tác", 36),
    ("Hình thức khen thưởng", 32),
    ("Ghi chú", 14),
)


def write_nominee_list(context: dict[str, Any], path: Path) -> None:
    """The Danh sách of a dossier as a print-ready sheet, from the same context as
    templates/danh-sach.docx (`DossierBuilder.nominee_list()`)."""
    wb = Workbook()
    ws: Worksheet = wb.active  # type: ignore[assignment]
    ws.title = "Danh sách"
    last = len(LIST_COLUMNS)
    for col, (_title, width) in enumerate(LIST_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    header = context["header"]
    left = [(line, False) for line in header["parent"]] + [(line, True) for line in header["lines"]]
    right = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True)]
    for r in range(max(len(left), len(right))):
        if r < len(left):
            _merged(ws, r + 1, 1, 3, left[r][0], _font(13, bold=left[r][1]))
        if r < len(right):
            _merged(ws, r + 1, 5, last, right[r][0], _font(13, bold=right[r][1]))
    r = max(len(left), len(right)) + 2
    _merged(ws, r, 1, last, "DANH SÁCH", _font(14, bold=True))
    _merged(ws, r + 1, 1, last, str(context["summary"]), _font(13, bold=True))
    ws.row_dimensions[r + 1].height = 36
    _merged(ws, r + 2, 1, last, str(context["attached"]), _font(13, italic=True))
    header_row = r + 4
    for col, (text, _width) in enumerate(LIST_COLUMNS, start=1):
        cell = _cell(ws, header_row, col, text)
        cell.font = _font(12, bold=True)
        cell.border = _GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    r = header_row
    sections = [
        (context["collectives_label"], context["collectives"]),
        (context["individuals_label"], context["individuals"]),
    ]
    for label, entries in sections:
        if not entries:
            continue
        r += 1
        _merged(ws, r, 1, last, str(label), _font(12, bold=True), horizontal="left")
        for col in range(1, last + 1):
            ws.cell(row=r, column=col).border = _GRID  # the merged cells' borders too
        for entry in entries:
            r += 1
            collective = entry["collective"]
            values: list[object] = [
                entry["index"],
                entry["name"],
                None if collective else entry["birth_year"],
                None if collective else entry["gender"],
                None if collective else (entry["ethnicity"] or None),
                None if collective else entry["position_unit"],
                entry["award"]["short_name"],
                None,
            ]
            for col, value in enumerate(values, start=1):
                cell = _cell(ws, r, col, value)
                cell.font = _font(12)
                cell.border = _GRID
                centered = col in (1, 3, 4, 5)
                cell.alignment = Alignment(
                    horizontal="center" if centered else "left",
                    vertical="center",
                    wrap_text=True,
                )
                if isinstance(value, int):
                    cell.number_format = "0"
    r += 2
    _merged(ws, r, 1, last, str(context["total_text"]), _font(12, bold=True), horizontal="left")
    signer = context["signer"]
    r += 2
    lines = [(signer["authority"], True), (signer["title"], True)]
    for text, bold in [(t, b) for t, b in lines if t]:
        _merged(ws, r, 5, last, str(text), _font(13, bold=bold))
        r += 1
    r += 3  # room for the signature and the seal
    _merged(ws, r, 5, last, str(signer["name"]), _font(13, bold=True))
    _fit_rows(ws, header_row, line_height=16.5, chars_per_unit=1.25)
    _print_setup(ws, landscape=True, title_rows=f"{header_row}:{header_row}")
    ws.print_area = f"A1:{get_column_letter(last)}{r}"
    _save(wb, path)


REPORT_COLUMNS = (
    ("TT", 5),
    ("Đợt", 11),
    ("Hồ sơ", 26),
    ("Mã đối tượng", 24),
    ("Đối tượng", 34),
    ("Loại", 9),
    ("Hình thức", 34),
    ("Chỉ số CCHC (%)", 11),
    ("Kết quả", 13),
    ("Lý do", 70),
)


def write_check_report(verdicts: Sequence[Verdict], path: Path) -> None:
    """`docgen check` as a print-ready table: one row per nomination, each reason on its own
    line, failures filled (conditional formatting: still right after sorting or editing)."""
    wb = Workbook()
    ws: Worksheet = wb.active  # type: ignore[assignment]
    ws.title = "Kết quả xét"
    last = len(REPORT_COLUMNS)
    _merged(ws, 1, 1, last, "KẾT QUẢ XÉT TIÊU CHUẨN KHEN THƯỞNG", _font(14, bold=True))
    bad = sum(1 for v in verdicts if not v.eligible)
    total = f"Tổng số: {len(verdicts)} đề nghị, {len(verdicts) - bad} đạt, {bad} không đạt."
    _merged(ws, 2, 1, last, total, _font(12, italic=True))
    header_row = 4
    for col, (text, width) in enumerate(REPORT_COLUMNS, start=1):
        cell = _cell(ws, header_row, col, text)
        cell.font = _font(12, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    r = header_row
    for i, v in enumerate(verdicts, start=1):
        r += 1
        reasons = "\n".join(f"{'✓' if x.ok else '✗'} {x.text}" for x in v.reasons)
        values: list[object] = [
            i,
            v.round_id,
            v.submission_unit,
            v.nominee_id,
            v.nominee,
            "Tập thể" if v.collective else "Cá nhân",
            v.award,
            v.average,
            "ĐẠT" if v.eligible else "KHÔNG ĐẠT",
            reasons,
        ]
        for col, value in enumerate(values, start=1):
            cell = _cell(ws, r, col, float(value) if isinstance(value, Decimal) else value)
            if isinstance(value, Decimal):
                cell.number_format = NUMBER_FORMAT + "#"  # 91,82 / 89,998: never "90,00"
            cell.font = _font(12, bold=col == 9)
            cell.border = _GRID
            cell.alignment = Alignment(
                horizontal="center" if col in (1, 2, 6, 9) else None,
                vertical="top",
                wrap_text=True,
            )
    last_letter = get_column_letter(last)
    if r > header_row:
        result = get_column_letter(9)
        ws.conditional_formatting.add(
            f"A{header_row + 1}:{last_letter}{r}",
            FormulaRule(  # type: ignore[no-untyped-call]
                formula=[f'${result}{header_row + 1}="KHÔNG ĐẠT"'], fill=_FAIL_FILL
            ),
        )
    _fit_rows(ws, header_row, line_height=16.5, chars_per_unit=1.25)
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last_letter}{max(r, header_row)}"
    _print_setup(ws, landscape=True, title_rows=f"{header_row}:{header_row}")
    _save(wb, path)


#: The example workbook shipped beside the example data. Not named du-lieu.xlsx: the loader
#: would then see units and people twice (units.yaml and the workbook).
EXAMPLE_WORKBOOK = Path("data") / "du-lieu-mau.xlsx"


def main() -> None:
    """`python -m docgen.xlsx`: regenerate the example workbook from the example data."""
    from .main import load_workspace

    root = Path(__file__).resolve().parent.parent
    export_workbook(load_workspace(root / "config.yaml", root / "data"), root / EXAMPLE_WORKBOOK)
    print(root / EXAMPLE_WORKBOOK)


if __name__ == "__main__":
    main()
