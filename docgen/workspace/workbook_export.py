"""The data workbook written by `docgen export-xlsx`: the workspace's units, scores, people,
ratings and nominations under the same column tables the reader uses
(docgen.workspace.workbook), so a round trip YAML → workbook → workspace loses nothing.

`python -m docgen.workspace.workbook_export` regenerates the example workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from docgen.errors import OutputError
from docgen.i18n import _
from docgen.render.sheets import (
    BOLD,
    HEADER_FILL,
    TOP_WRAP,
    fit_rows,
    print_setup,
    put,
    put_header_row,
    save_workbook,
)
from docgen.workspace.config import RATING_NAMES
from docgen.workspace.model import Workspace
from docgen.workspace.workbook_tables import (
    ACHIEVEMENT_COLUMNS,
    GUIDE,
    NOMINATIONS,
    PEOPLE,
    RATINGS,
    SCORES,
    UNIT_ACHIEVEMENTS,
    UNITS,
    Sheet,
    YearSheet,
    _doc,
    _required,
)


def _field_value(record: object, path: tuple[str, ...]) -> object:
    value: object = record
    for name in path:
        if value is None:
            return None
        value = getattr(value, name)
    return value


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
    put_header_row(ws, [c.header for c in columns], [c.width for c in columns])
    for r, (keys, record) in enumerate(rows, start=2):
        for c, value in enumerate(keys, start=1):
            put(ws, r, c, value)
        for c, column in enumerate(sheet.columns, start=len(sheet.keys) + 1):
            put(ws, r, c, _field_value(record, column.field), wrap=column.lines)
    return ws


def _year_sheet(
    wb: Workbook, sheet: YearSheet, owners: Sequence[tuple[str, dict[int, Any]]]
) -> Worksheet:
    ws: Worksheet = wb.create_sheet(sheet.name)
    years = sorted({y for _, values in owners for y in values})
    put_header_row(ws, [sheet.key, *years], [sheet.key_width, *[10] * len(years)])
    for r, (ident, values) in enumerate(owners, start=2):
        put(ws, r, 1, ident)
        for c, year in enumerate(years, start=2):
            put(ws, r, c, values.get(year))
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
    put_header_row(
        sheet, [c.header for c in ACHIEVEMENT_COLUMNS], [c.width for c in ACHIEVEMENT_COLUMNS]
    )
    r = 2
    for unit in units:
        for year, texts in unit.achievements.items():
            put(sheet, r, 1, unit.id)
            put(sheet, r, 2, year)
            put(sheet, r, 3, list(texts), wrap=True)
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
        fit_rows(sheet)
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
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for row in rows:
        r += 1
        for c, text in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=text).alignment = TOP_WRAP
    print_setup(sheet, landscape=True, title_rows=f"{header_row}:{header_row}")


def export_workbook(ws: Workspace, path: Path, nominations: bool = True) -> None:
    """Write the workspace's units, scores, people, ratings and (unless `nominations` is
    False) every round's nominations to a workbook that `load_data` reads back unchanged.

    Rounds' meetings and proposals stay in their YAML files. The file is replaced whole or
    not at all.
    """
    save_workbook(build_workbook(ws, nominations), path)


#: The example workbook shipped beside the example data. Not named du-lieu.xlsx: the loader
#: would then see units and people twice (units.yaml and the workbook).
EXAMPLE_WORKBOOK = Path("data") / "du-lieu-mau.xlsx"


def main() -> None:
    """`python -m docgen.xlsx`: regenerate the example workbook from the example data."""
    from docgen.workspace.config import load_config
    from docgen.workspace.data import load_data

    root = Path(__file__).resolve().parent.parent.parent
    ws = load_data(load_config(root / "config.yaml"), root / "data")
    export_workbook(ws, root / EXAMPLE_WORKBOOK)
    print(root / EXAMPLE_WORKBOOK)


if __name__ == "__main__":
    main()
