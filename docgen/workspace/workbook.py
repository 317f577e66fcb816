"""The data workbook as a source of the workspace: data entered in Excel or LibreOffice Calc.

The people who keep the data live in Excel. A workbook ``du-lieu.xlsx`` in the data folder
may hold the units, their yearly scores, the people, their ratings and the nominations of
each round's submissions, one record per row under Vietnamese column headers. The rows are
turned into exactly the values a YAML file would give and go through the same `Converter`
and the same cross-checks, so every rule applies unchanged; problems name the file, the
sheet, the cell and the data key path. One table per sheet (`UNITS`, `PEOPLE`, …) maps
columns to fields, for reading and for `export_workbook` alike, so a round trip
YAML → workbook → workspace loses nothing.

Written workbooks live elsewhere: the data workbook in docgen.workspace.workbook_export, the
print-ready lists in docgen.render.sheets.
"""

from __future__ import annotations

import dataclasses
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, get_args

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from docgen.errors import Problem, ValidationError
from docgen.i18n import N_, _, ngettext
from docgen.workspace.model import (
    PEOPLE_FILE,
    UNITS_FILE,
    WORKBOOK_FILE,
    Nomination,
)
from docgen.workspace.schema import Converter, suggest
from docgen.workspace.workbook_cells import (
    RoundSource,
    SheetSource,
    _blank,
    _clean,
    _norm,
    _text_of,
    _value,
    _year,
)
from docgen.workspace.workbook_tables import (
    ACHIEVEMENT_COLUMNS,
    GUIDE,
    KNOWN_SHEETS,
    NOMINATIONS,
    PEOPLE,
    RATINGS,
    SCORES,
    UNIT_ACHIEVEMENTS,
    UNITS,
    Column,
    Sheet,
    YearSheet,
    _doc,
    _hint,
    _required,
)
from docgen.workspace.yamlio import KeyPath, Source, not_a_regular_file

__all__ = [
    "Book",
    "open_book",
    "read_table",
]

T = TypeVar("T")

#: Refuse workbooks larger than this (a docgen workbook is a few dozen KB) …
MAX_BYTES = 20 * 1024 * 1024
#: … or that unpack to more than this (a zip bomb would otherwise fill the memory).
MAX_UNPACKED = 200 * 1024 * 1024
#: Rows read per sheet; more is a mistake (a formatted column down to row 1,048,576).
MAX_ROWS = 20_000


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


def _open(path: Path) -> tuple[Any, tuple[str, str] | None]:
    """The workbook read-only, or None and why it cannot be read (size, format)."""
    unreadable = _check_file(path)
    if unreadable is not None:
        return None, unreadable
    try:
        return load_workbook(path, read_only=True, data_only=True), None
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
        zlib.error,
        EOFError,
    ) as exc:
        return None, (
            _("không đọc được bảng tính ({error})").format(error=f"{type(exc).__name__}: {exc}"),
            _("tệp phải là bảng tính Excel .xlsx (lưu lại từ Excel hoặc LibreOffice Calc)"),
        )


def _damaged(exc: Exception) -> tuple[str, str]:
    return (
        _("bảng tính bị hỏng, không đọc được ({error})").format(
            error=f"{type(exc).__name__}: {exc}"
        ),
        _("mở tệp bằng Excel hoặc LibreOffice Calc và lưu lại"),
    )


def _read(book: Book, data_dir: Path, display: Callable[[Path], str]) -> None:
    wb, unreadable = _open(book.path)
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
        book.fail(*_damaged(exc))
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
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return not_a_regular_file(info.st_mode), ""
        size = info.st_size
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
            if unpacked > MAX_UNPACKED:
                return _("tệp giải nén quá lớn (có thể là tệp độc hại)"), ""
            damaged = zf.testzip()  # every part's checksum, before a parser half-reads one
    except zipfile.BadZipFile:
        return _not_a_zip(path)
    except (zlib.error, EOFError, NotImplementedError) as exc:
        return _damaged(exc)
    except OSError as exc:
        return _("không đọc được tệp: {reason}").format(reason=exc.strerror), ""
    if damaged is not None:
        return _damaged(zipfile.BadZipFile(f"Bad CRC-32 for file {damaged!r}"))
    return None


#: The start of an OLE compound file: an .xls, or an .xlsx that Excel encrypted.
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def _not_a_zip(path: Path) -> tuple[str, str]:
    """Why an .xlsx is not a zip: a password (Excel encrypts into an OLE file), an .xls, or
    something else renamed."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES)
    except OSError:
        data = b""
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_STREAM in data:
        return (
            _("bảng tính được đặt mật khẩu nên không đọc được"),
            _(
                "mở bằng Excel, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng "
                "mật khẩu: xóa mật khẩu) rồi lưu lại"
            ),
        )
    return (
        _("tệp không phải bảng tính .xlsx"),
        _("có thể tệp là .xls cũ hoặc .ods đổi tên; hãy mở và lưu lại dưới dạng Excel .xlsx"),
    )


def sheet_names(path: Path) -> list[str] | None:
    """The workbook's sheet names, read within the same limits as the data (None: the file
    is too large or unreadable, which the loader reports in full)."""
    if _check_file(path) is not None:
        return None
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


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
        cells = [
            _Cell(
                c.value,
                str(getattr(c, "number_format", None) or "General"),
                f"{ws.title}!{get_column_letter(i)}{r}",
            )
            for i, c in enumerate(row, start=1)
        ]
        for c, cell in zip(row, cells, strict=True):
            if getattr(c, "data_type", None) == "e":  # #DIV/0!, #N/A, #REF!: never a name
                book.fail(
                    _("ô có giá trị lỗi của Excel {error}").format(error=cell.value),
                    _("công thức trong ô bị lỗi; hãy sửa công thức hoặc gõ giá trị"),
                    cell.ref,
                )
        yield r, cells


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


def read_table(
    path: Path,
    display: str,
    sheet: Sheet,
    model: type[T],
    check: Callable[[T, Source], list[Problem]] | None = None,
) -> T:
    """One sheet of a workbook other than the data workbook (a register's past awards) as
    `model`, a file model whose first field is the list of the sheet's rows; `check` adds the
    rules a type cannot express (locate them with the source: `source.problem(path, …)`).
    Every bad cell, header or sheet is reported at once by sheet and cell, and nothing is
    returned unless everything is valid (ValidationError)."""
    book = Book(path, display)
    wb, unreadable = _open(path)
    if unreadable is not None:
        raise ValidationError([Problem(display, None, "", *unreadable)])
    key = next(f.name for f in dataclasses.fields(model))  # type: ignore[arg-type]
    try:
        by_name = {_norm(n): n for n in wb.sheetnames}
        found = by_name.get(_norm(sheet.name))
        ws = wb[found] if found is not None else None
        if not isinstance(ws, ReadOnlyWorksheet):
            raise ValidationError(
                [
                    Problem(
                        display,
                        None,
                        "",
                        _("không có trang '{sheet}'").format(sheet=sheet.name),
                        _("các trang: {sheets}").format(sheets=", ".join(wb.sheetnames)),
                    )
                ]
            )
        part = _read_records(book, ws, sheet, key)
    except (SyntaxError, zipfile.BadZipFile, EOFError, zlib.error) as exc:  # a damaged part
        raise ValidationError([Problem(display, None, "", *_damaged(exc))]) from exc
    finally:
        wb.close()
    assert part is not None
    problems = list(book.problems) + list(part.found)
    value = part.value or {key: []}
    converter = Converter(part.source)
    loaded = converter.dataclass(value, model, ())
    problems += converter.problems
    if check is not None:
        problems += check(loaded, part.source)
    if problems:
        raise ValidationError(problems)
    return loaded
