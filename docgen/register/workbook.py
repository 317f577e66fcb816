"""Past awards in a workbook: the sheet `docgen register import` reads and
`docgen register export` writes (the same columns, so an export imports again).

One row per awardee; rows with the same decision (authority, number, date) make one decision.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from docgen.errors import Problem
from docgen.i18n import N_, _
from docgen.render.sheets import cell_at, fit_rows, print_setup, put, put_header_row, save_workbook
from docgen.workspace.config import Config
from docgen.workspace.schema import LITERAL_ALIASES, SINGLE_LINE, doc
from docgen.workspace.workbook import read_table
from docgen.workspace.workbook_tables import Column, Sheet
from docgen.workspace.yamlio import Source

from .records import (
    AwardKind,
    AwardRecord,
    DecisionRecord,
    Kind,
    all_awards,
    conflicts,
    name_key,
)

#: The sheet's own words (never aliases of config's literals: those are shared by type).
KindText = Literal["tập thể", "cá nhân"]
AwardKindText = Literal["chuyên đề", "công trạng"]
KINDS: dict[str, Kind] = {"tập thể": "collective", "cá nhân": "person"}
AWARD_KINDS: dict[str, AwardKind] = {"chuyên đề": "campaign", "công trạng": "merit"}
# any case ("Tập thể"), and the config's English codes
LITERAL_ALIASES[KindText] = {"tập thể": "tập thể", "cá nhân": "cá nhân"} | {
    code: word for word, code in KINDS.items()
}
LITERAL_ALIASES[AwardKindText] = {"chuyên đề": "chuyên đề", "công trạng": "công trạng"} | {
    code: word for word, code in AWARD_KINDS.items()
}


@dataclass(frozen=True)
class PastAward:
    """One awardee of a past decision (a row of the 'Khen thưởng' sheet)."""

    decision_number: str = doc(N_("số, ký hiệu quyết định: '1205/QĐ-UBND'"))
    decision_date: date = doc(N_("ngày ký quyết định"))
    authority: str = doc(N_("cơ quan quyết định: 'Ủy ban nhân dân thành phố Cao Bằng'"))
    kind: KindText = doc(N_("tập thể hoặc cá nhân"))
    name: str = doc(N_("tên tập thể hoặc họ tên cá nhân"))
    award: str = doc(N_("hình thức khen thưởng: mã trong config.yaml hoặc tên đầy đủ"))
    period: str = doc(N_("năm hoặc giai đoạn được khen: '2022', '2021-2025'"))
    awardee_id: str | None = doc(N_("mã đơn vị hoặc cá nhân trong dữ liệu (nếu có)"), None)
    gender: str | None = doc(N_("giới tính (cá nhân)"), None)
    position: str | None = doc(N_("chức vụ lúc được khen (cá nhân)"), None)
    unit: str | None = doc(N_("đơn vị công tác lúc được khen (cá nhân)"), None)
    parent_body: str | None = doc(N_("cơ quan chủ quản (tập thể)"), None)
    award_kind: AwardKindText | None = doc(
        N_("chuyên đề (theo đợt) hoặc công trạng; trống: theo config.yaml"), None
    )
    achievement: str | None = doc(N_("thành tích ghi trên Giấy khen"), None)
    money: int | None = doc(N_("tiền thưởng (đồng)"), None)
    book_number: str | None = doc(N_("số sổ vàng (trống: docgen đánh số)"), None)
    signer_title: str | None = doc(N_("chức vụ người ký"), None)
    signer_name: str | None = doc(N_("họ tên người ký"), None)


@dataclass(frozen=True)
class PastAwards:
    """The 'Khen thưởng' sheet."""

    awards: list[PastAward] = doc(N_("các dòng khen thưởng"))


SINGLE_LINE[PastAward] = {
    "decision_number",
    "authority",
    "name",
    "award",
    "period",
    "position",
    "unit",
    "parent_body",
    "book_number",
    "signer_title",
    "signer_name",
}

SHEET = Sheet(
    "Khen thưởng",
    PastAward,
    (
        Column("Số quyết định", ("decision_number",), 16),
        Column("Ngày quyết định", ("decision_date",), 14),
        Column("Cơ quan quyết định", ("authority",), 34),
        Column("Người ký", ("signer_name",), 20),
        Column("Chức vụ người ký", ("signer_title",), 18),
        Column("Loại", ("kind",), 10),
        Column("Mã", ("awardee_id",), 22),
        Column("Tên", ("name",), 30),
        Column("Giới tính", ("gender",), 9),
        Column("Chức vụ", ("position",), 20),
        Column("Đơn vị", ("unit",), 30),
        Column("Cơ quan chủ quản", ("parent_body",), 30),
        Column("Hình thức", ("award",), 30),
        Column("Loại khen thưởng", ("award_kind",), 14),
        Column("Năm", ("period",), 11),
        Column("Thành tích", ("achievement",), 50),
        Column("Tiền thưởng", ("money",), 12),
        Column("Số sổ vàng", ("book_number",), 12),
    ),
)

_PERIOD = re.compile(r"^\s*(\d{4})(?:\s*-\s*(\d{4}))?\s*$")


def _award_id(config: Config, text: str) -> tuple[str, str, AwardKind | None]:
    """(id, name, kind from config) of an award typed by id, name or short name."""
    folded = " ".join(text.casefold().split())
    for award_id, award in config.awards.items():
        if folded in (award_id.casefold(), award.name.casefold(), award.short_name.casefold()):
            return award_id, award.name, award.kind
    return name_key(text), text.strip(), None


def read_past_awards(
    path: Path, display: str, config: Config, conn: sqlite3.Connection
) -> list[tuple[DecisionRecord, list[AwardRecord]]]:
    """The workbook's decisions with their awardees, or every problem at once (by cell):
    types, periods, a decision whose rows disagree, rows repeated or already in the register."""
    source_name = f"import: {path.name}"
    built: list[tuple[DecisionRecord, list[AwardRecord]]] = []

    def check(table: PastAwards, source: Source) -> list[Problem]:
        out: list[Problem] = []
        decisions: dict[tuple[str, str, date], tuple[int, DecisionRecord, list[AwardRecord]]] = {}
        rows: list[tuple[int, AwardRecord]] = []
        for i, row in enumerate(table.awards):
            match = _PERIOD.match(row.period)
            if match is None:
                out.append(
                    source.problem(
                        ("awards", i, "period"),
                        _(
                            "cần một năm (2022) hoặc một giai đoạn (2021-2025), nhận được '{value}'"
                        ).format(value=row.period),
                    )
                )
                continue
            first = int(match[1])
            last = int(match[2] or match[1])
            if last < first:
                out.append(
                    source.problem(
                        ("awards", i, "period"),
                        _("năm cuối {last} trước năm đầu {first}").format(last=last, first=first),
                    )
                )
                continue
            if row.money is not None and row.money < 0:
                out.append(source.problem(("awards", i, "money"), _("tiền thưởng không được âm")))
            key = (row.authority.strip(), row.decision_number.strip(), row.decision_date)
            if key not in decisions:
                decision = DecisionRecord(
                    number=key[1],
                    date=row.decision_date,
                    authority=key[0],
                    signer_title=row.signer_title or "",
                    signer_name=row.signer_name or "",
                    source=source_name,
                )
                decisions[key] = (i, decision, [])
            first_row, decision, awards = decisions[key]
            for field, value in (
                ("signer_title", row.signer_title or ""),
                ("signer_name", row.signer_name or ""),
            ):
                if value != getattr(decision, field):
                    out.append(
                        source.problem(
                            ("awards", i, field),
                            _(
                                "quyết định {number} đã ghi '{expected}' ở dòng {row}; các dòng "
                                "của một quyết định phải giống nhau"
                            ).format(
                                number=key[1],
                                expected=getattr(decision, field),
                                row=source.line(("awards", first_row)),
                            ),
                        )
                    )
            award_id, award_name, configured = _award_id(config, row.award)
            ident = (row.awardee_id or "").strip() or None
            record = AwardRecord(
                decision=decision,
                kind=KINDS[row.kind],
                awardee_key=ident or name_key(row.name),
                awardee_id=ident,
                name=row.name.strip(),
                award_id=award_id,
                award_name=award_name,
                period=str(first) if first == last else f"{first}-{last}",
                first_year=first,
                last_year=last,
                gender=row.gender or "",
                position=row.position or "",
                unit_name=row.unit or "",
                parent_body=row.parent_body or "",
                award_kind=(AWARD_KINDS[row.award_kind] if row.award_kind else None)
                or configured
                or "campaign",
                achievement=row.achievement or "",
                money=row.money or 0,
                book_number=(row.book_number or "").strip(),
                source=source_name,
            )
            awards.append(record)
            rows.append((i, record))
        for i, record in rows:
            found = conflicts(conn, [], [record])
            earlier = [r for j, r in rows if j < i and _same(r, record)]
            if found:
                out.append(source.problem(("awards", i, "name"), found[0]))
            elif earlier:
                out.append(
                    source.problem(
                        ("awards", i, "name"),
                        _("{name}: {award} {period} đã có ở một dòng trên").format(
                            name=record.name, award=record.award_name, period=record.label
                        ),
                    )
                )
        for first_row, decision, _awards in decisions.values():
            for message in conflicts(conn, [decision], []):
                out.append(source.problem(("awards", first_row, "decision_number"), message))
        built.extend((d, a) for _i, d, a in decisions.values())
        return out

    read_table(path, display, SHEET, PastAwards, check)
    return built


def _same(a: AwardRecord, b: AwardRecord) -> bool:
    return (a.kind, a.awardee_key, a.award_id, a.period) == (
        b.kind,
        b.awardee_key,
        b.award_id,
        b.period,
    )


def write_past_awards(conn: sqlite3.Connection, target: Path) -> int:
    """Every award of the register in the import layout; returns the number of rows."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = SHEET.name
    put_header_row(ws, [c.header for c in SHEET.columns], [c.width for c in SHEET.columns])
    records = all_awards(conn)
    for r, a in enumerate(records, start=2):
        d = a.decision
        values: list[object] = [
            d.number,
            d.date,
            d.authority,
            d.signer_name,
            d.signer_title,
            "tập thể" if a.collective else "cá nhân",
            a.awardee_id or "",
            a.name,
            a.gender,
            a.position,
            a.unit_name,
            a.parent_body,
            a.award_name,
            "công trạng" if a.award_kind == "merit" else "chuyên đề",
            a.period,
            a.achievement,
            a.money,
            a.book_number,
        ]
        for c, value in enumerate(values, start=1):
            if isinstance(value, date):
                cell = cell_at(ws, r, c, value)
                cell.number_format = "DD/MM/YYYY"
            else:
                put(ws, r, c, value)
    fit_rows(ws, 2)
    print_setup(ws, landscape=True, title_rows="1:1")
    save_workbook(wb, target)
    return len(records)
