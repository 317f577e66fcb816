"""The yearly statistics an office sends up with its summary: awards of the decisions signed
in a year, per unit and per award, collectives and persons, money, with a bar chart per unit.

Every figure is an SQL sum over the register, so the report's totals are the register's.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from docgen.render.sheets import BOLD, cell_at, print_setup, put, put_header_row, save_workbook


@dataclass(frozen=True)
class Line:
    """One row of the report: awards counted by collectives and persons, and their money."""

    label: str
    collectives: int
    persons: int
    money: int

    @property
    def total(self) -> int:
        return self.collectives + self.persons


@dataclass(frozen=True)
class Report:
    year: int
    decisions: int
    by_unit: list[Line]
    by_award: list[Line]
    total: Line


_COUNTS = (
    "sum(a.kind = 'collective'), sum(a.kind = 'person'), coalesce(sum(a.money), 0) "
    "FROM awardees a JOIN decisions d ON d.id = a.decision_id WHERE d.year = ?"
)
#: a collective is counted under itself, a person under the unit they worked in
_UNIT = "CASE WHEN a.kind = 'collective' OR a.unit_name = '' THEN a.name ELSE a.unit_name END"


def _lines(conn: sqlite3.Connection, label: str, year: int) -> list[Line]:
    sql = f"SELECT {label}, {_COUNTS} GROUP BY 1 ORDER BY 4 DESC, 1"
    return [Line(str(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in conn.execute(sql, (year,))]


def year_report(conn: sqlite3.Connection, year: int) -> Report:
    """Awards of the decisions signed in `year` (the year the số sổ vàng runs in)."""
    row = conn.execute(f"SELECT 'total', {_COUNTS}", (year,)).fetchone()
    total = Line("", int(row[1] or 0), int(row[2] or 0), int(row[3]))
    (decisions,) = conn.execute("SELECT count(*) FROM decisions WHERE year = ?", (year,)).fetchone()
    return Report(
        year,
        int(decisions),
        _lines(conn, _UNIT, year),
        _lines(conn, "a.award_name", year),
        total,
    )


#: thousands grouped the Vietnamese way (1.800.000) whatever the reader's locale
MONEY_FORMAT = "[$-42A]#,##0"

_HEADERS = ["Tập thể", "Cá nhân", "Tổng số", "Tiền thưởng (đồng)"]


def _table(ws: Worksheet, title: str, first: str, lines: list[Line], total: Line) -> int:
    """A titled table with a total row; returns the row of the last line."""
    put_header_row(ws, [first, *_HEADERS], [44, 12, 12, 12, 20])
    ws.insert_rows(1)
    cell_at(ws, 1, 1, title).font = BOLD
    ws.freeze_panes = "B3"
    ws.auto_filter.ref = None
    for r, line in enumerate(lines, start=3):
        for c, value in enumerate(
            [line.label, line.collectives, line.persons, line.total, line.money], start=1
        ):
            put(ws, r, c, value)
        cell_at(ws, r, 5).number_format = MONEY_FORMAT
    last = 2 + len(lines)
    r = last + 1
    for c, value in enumerate(
        ["Tổng cộng", total.collectives, total.persons, total.total, total.money], start=1
    ):
        put(ws, r, c, value).font = BOLD
    cell_at(ws, r, 5).number_format = MONEY_FORMAT
    print_setup(ws, landscape=False, title_rows="2:2")
    return last


def write_report(report: Report, path: Path) -> None:
    """The report as a workbook: per unit (with a bar chart), per award."""
    wb = Workbook()
    active = wb.active
    assert isinstance(active, Worksheet)
    ws: Worksheet = active
    ws.title = "Theo đơn vị"
    title = f"Khen thưởng năm {report.year}: {report.decisions} quyết định"
    last = _table(ws, title, "Đơn vị", report.by_unit, report.total)
    if report.by_unit:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = f"Số tập thể, cá nhân được khen thưởng năm {report.year}, theo đơn vị"
        chart.y_axis.title = "Số lượng"
        data = Reference(ws, min_col=2, max_col=3, min_row=2, max_row=last)
        labels = Reference(ws, min_col=1, min_row=3, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(labels)
        chart.height = max(7.5, 0.8 * len(report.by_unit) + 3)
        chart.width = 24
        ws.add_chart(chart, f"A{last + 4}")
    by_award = wb.create_sheet("Theo hình thức")
    _table(by_award, title, "Hình thức khen thưởng", report.by_award, report.total)
    save_workbook(wb, path)
