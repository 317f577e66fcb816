"""Workbooks as output: the styled-sheet primitives and the print-ready lists.

`write_nominee_list` (the Danh sách of a dossier) and `write_check_report` (`docgen check` as a
table) take plain contexts and rows, like the .docx renderer; the data workbook written by
`docgen export-xlsx` (docgen.workspace.workbook_export) uses the same primitives. Every file is
written whole or not at all, with the same bytes for the same content.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from docgen.errors import OutputError
from docgen.i18n import _
from docgen.layout.primitives import stable_zip
from docgen.render.output import write_file

#: Two decimals, shown the Vietnamese way ("91,25", "1.234,50") whatever the reader's locale:
#: [$-42A] is the Vietnamese language tag, which LibreOffice applies to the separators.
NUMBER_FORMAT = "[$-42A]#,##0.00"

EPOCH = datetime(2020, 1, 1)


class Reason(Protocol):
    """One reason of a verdict, as the check report shows it."""

    @property
    def ok(self) -> bool: ...
    @property
    def text(self) -> str: ...


class CheckedNomination(Protocol):
    """What the check report needs of a verdict (docgen.rules gives one per nomination)."""

    @property
    def round_id(self) -> str: ...
    @property
    def submission_unit(self) -> str: ...
    @property
    def nominee_id(self) -> str: ...
    @property
    def nominee(self) -> str: ...
    @property
    def collective(self) -> bool: ...
    @property
    def award(self) -> str: ...
    @property
    def average(self) -> Decimal | None: ...
    @property
    def eligible(self) -> bool: ...
    @property
    def reasons(self) -> Sequence[Reason]: ...


BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP_WRAP = Alignment(vertical="top", wrap_text=True)
TOP = Alignment(vertical="top")


#: Excel's limit for one cell; longer text is cut by Excel and LibreOffice when they open it.
MAX_CELL_CHARS = 32_767


def cell_at(ws: Worksheet, row: int, col: int, value: object = None) -> Cell:
    """A writable cell (never the hidden part of a merged range), with `value` if given."""
    cell = ws.cell(row=row, column=col)
    assert isinstance(cell, Cell)
    if value is not None:
        set_value(cell, value)
    return cell


def set_value(cell: Cell, value: object) -> None:
    """Every value docgen writes into a spreadsheet goes here: text is always text (a name or
    an achievement starting with "=" never becomes a live formula), and never longer than a
    cell holds (refused, not cut)."""
    cell.value = value  # type: ignore[assignment]
    if isinstance(value, str):
        if len(value) > MAX_CELL_CHARS:
            start = value[:40].replace("\n", " ")
            raise OutputError(
                _(
                    "ô {cell} của trang '{sheet}' cần {n} ký tự, quá giới hạn {limit} ký tự "
                    "một ô của Excel (văn bản bắt đầu: '{start}…'); hãy rút gọn hoặc chia "
                    "thành nhiều mục — docgen không cắt bớt"
                ).format(
                    cell=cell.coordinate,
                    sheet=cell.parent.title,
                    n=f"{len(value):,}".replace(",", "."),
                    limit=f"{MAX_CELL_CHARS:,}".replace(",", "."),
                    start=start,
                )
            )
        if value.startswith("="):
            cell.data_type = "s"  # text, not a formula


def put(ws: Worksheet, row: int, col: int, value: object, wrap: bool = False) -> Cell:
    """Write one value the way the reader reads it back: lists one per line, numbers as
    numbers (Vietnamese format), text never taken for a formula."""
    cell = cell_at(ws, row, col)
    if value is None or value == [] or value == "":
        cell.value = None
    elif isinstance(value, list):
        set_value(cell, "\n".join(str(v) for v in value))
    elif isinstance(value, Decimal):
        put_decimal(cell, value)
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, int):
        cell.value = value
        cell.number_format = "0"
    else:
        set_value(cell, str(value))
    cell.alignment = (
        TOP_WRAP if wrap or (isinstance(cell.value, str) and "\n" in cell.value) else TOP
    )
    return cell


def put_decimal(cell: Cell, value: Decimal) -> None:
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


def put_header_row(ws: Worksheet, headers: Sequence[object], widths: Sequence[float]) -> None:
    """Bold, filled, frozen header row with column widths and a filter."""
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = cell_at(ws, 1, col, text)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"
    print_setup(ws, landscape=True, title_rows="1:1")


def fit_rows(
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


def print_setup(ws: Worksheet, landscape: bool, title_rows: str) -> None:
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


def save_workbook(wb: Workbook, path: Path, force: bool = True) -> None:
    """Same content, same bytes (fixed properties and zip order), never half a workbook
    (output.write_file)."""
    wb.properties.creator = "docgen"
    wb.properties.lastModifiedBy = "docgen"
    wb.properties.created = EPOCH
    wb.properties.modified = EPOCH
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not save_workbook(): it stamps the current time
    write_file(path, stable_zip(buffer.getvalue()), force)


FONT = "Times New Roman"
FAIL_FILL = PatternFill("solid", fgColor="F8CBAD", bgColor="F8CBAD")


def text_font(size: float = 12, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic)


def merged(
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
    cell = cell_at(ws, row, first, value)
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
            merged(ws, r + 1, 1, 3, left[r][0], text_font(13, bold=left[r][1]))
        if r < len(right):
            merged(ws, r + 1, 5, last, right[r][0], text_font(13, bold=right[r][1]))
    r = max(len(left), len(right)) + 2
    merged(ws, r, 1, last, "DANH SÁCH", text_font(14, bold=True))
    merged(ws, r + 1, 1, last, str(context["summary"]), text_font(13, bold=True))
    ws.row_dimensions[r + 1].height = 36
    merged(ws, r + 2, 1, last, str(context["attached"]), text_font(13, italic=True))
    header_row = r + 4
    for col, (text, _width) in enumerate(LIST_COLUMNS, start=1):
        cell = cell_at(ws, header_row, col, text)
        cell.font = text_font(12, bold=True)
        cell.border = GRID
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
        merged(ws, r, 1, last, str(label), text_font(12, bold=True), horizontal="left")
        for col in range(1, last + 1):
            ws.cell(row=r, column=col).border = GRID  # the merged cells' borders too
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
                cell = cell_at(ws, r, col, value)
                cell.font = text_font(12)
                cell.border = GRID
                centered = col in (1, 3, 4, 5)
                cell.alignment = Alignment(
                    horizontal="center" if centered else "left",
                    vertical="center",
                    wrap_text=True,
                )
                if isinstance(value, int):
                    cell.number_format = "0"
    r += 2
    merged(ws, r, 1, last, str(context["total_text"]), text_font(12, bold=True), horizontal="left")
    signer = context["signer"]
    r += 2
    lines = [(signer["authority"], True), (signer["title"], True)]
    for text, bold in [(t, b) for t, b in lines if t]:
        merged(ws, r, 5, last, str(text), text_font(13, bold=bold))
        r += 1
    r += 3  # room for the signature and the seal
    merged(ws, r, 5, last, str(signer["name"]), text_font(13, bold=True))
    fit_rows(ws, header_row, line_height=16.5, chars_per_unit=1.25)
    print_setup(ws, landscape=True, title_rows=f"{header_row}:{header_row}")
    ws.print_area = f"A1:{get_column_letter(last)}{r}"
    save_workbook(wb, path)


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


def write_check_report(
    verdicts: Sequence[CheckedNomination], path: Path, force: bool = False
) -> None:
    """`docgen check` as a print-ready table: one row per nomination, each reason on its own
    line, failures filled (conditional formatting: still right after sorting or editing)."""
    wb = Workbook()
    ws: Worksheet = wb.active  # type: ignore[assignment]
    ws.title = "Kết quả xét"
    last = len(REPORT_COLUMNS)
    merged(ws, 1, 1, last, "KẾT QUẢ XÉT TIÊU CHUẨN KHEN THƯỞNG", text_font(14, bold=True))
    bad = sum(1 for v in verdicts if not v.eligible)
    total = f"Tổng số: {len(verdicts)} đề nghị, {len(verdicts) - bad} đạt, {bad} không đạt."
    merged(ws, 2, 1, last, total, text_font(12, italic=True))
    header_row = 4
    for col, (text, width) in enumerate(REPORT_COLUMNS, start=1):
        cell = cell_at(ws, header_row, col, text)
        cell.font = text_font(12, bold=True)
        cell.fill = HEADER_FILL
        cell.border = GRID
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
            cell = cell_at(ws, r, col, float(value) if isinstance(value, Decimal) else value)
            if isinstance(value, Decimal):
                cell.number_format = NUMBER_FORMAT + "#"  # 91,82 / 89,998: never "90,00"
            cell.font = text_font(12, bold=col == 9)
            cell.border = GRID
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
                formula=[f'${result}{header_row + 1}="KHÔNG ĐẠT"'], fill=FAIL_FILL
            ),
        )
    fit_rows(ws, header_row, line_height=16.5, chars_per_unit=1.25)
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last_letter}{max(r, header_row)}"
    print_setup(ws, landscape=True, title_rows=f"{header_row}:{header_row}")
    save_workbook(wb, path, force)
