"""The data workbook's sheets: which column fills which field of which record, for the
reader (docgen.workspace.workbook) and the writer (docgen.workspace.workbook_export) alike,
so a round trip YAML → workbook → workspace loses nothing."""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from typing import Any, get_args, get_origin, get_type_hints

from docgen.workspace.model import (
    Nomination,
    Person,
    Unit,
)

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
        Column("Khen thưởng đã nhận", ("earlier_awards",), 40, lines=True),
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
