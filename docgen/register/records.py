"""What the register holds, as plain frozen records, and the writes and lookups on it.

An `AwardRecord` carries everything a Giấy khen certificate prints: the awardee's name, their
position and unit at the time (a collective: its parent body), the award, the achievement, the
decision's number, date, signer and authority, and the số sổ vàng.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Literal

from docgen import vnformat as vn
from docgen.errors import DocgenError
from docgen.i18n import _, ngettext
from docgen.workspace.config import Register, fill_book_number

from .db import _now, transaction

Kind = Literal["collective", "person"]
AwardKind = Literal["campaign", "merit"]


@dataclass(frozen=True)
class DecisionRecord:
    """A signed reward decision as the register holds it."""

    number: str  # as cited: "1205/QĐ-UBND"
    date: date
    authority: str  # "Ủy ban nhân dân thành phố Cao Bằng"
    authority_symbol: str = ""  # "UBND"
    issuer_title: str = ""  # "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ CAO BẰNG"
    place: str = ""  # "Thành phố Cao Bằng"
    signer_authority: str = ""  # "KT. CHỦ TỊCH"
    signer_title: str = ""  # "PHÓ CHỦ TỊCH"
    signer_name: str = ""
    round_id: str | None = None  # None: imported from a workbook of past years
    round_label: str = ""  # "năm 2022"
    regime: str = ""  # the decree in force: "Nghị định số 91/2017/NĐ-CP"
    source: str = ""  # "record", "import: past.xlsx"
    id: int = 0

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def reference(self) -> str:
        """'Quyết định số 1205/QĐ-UBND ngày 12/4/2023': a document's words, so Vietnamese
        whatever language the messages around it are in (a Báo cáo thành tích cites it)."""
        return f"Quyết định số {self.number} ngày {vn.format_date_short(self.date)}"


@dataclass(frozen=True)
class AwardRecord:
    """One awardee of one decision: a collective or a person, as they were at the time."""

    decision: DecisionRecord
    kind: Kind
    awardee_key: str  # the unit's or person's id; "~" + folded name when the row had none
    name: str
    award_id: str
    award_name: str
    period: str  # the year or period the award is for: "2022", "2021-2025"
    first_year: int
    last_year: int
    book_number: str = ""  # số sổ vàng
    awardee_id: str | None = None
    gender: str = ""
    position: str = ""  # a person's position at the time: "Chuyên viên"
    unit_id: str = ""
    unit_name: str = ""  # a person's unit at the time
    parent_body: str = ""  # a collective's parent body (printed under its name)
    award_kind: AwardKind = "campaign"
    achievement: str = ""  # "đã có thành tích xuất sắc trong phong trào thi đua …"
    money: int = 0
    source: str = ""
    id: int = 0

    @property
    def collective(self) -> bool:
        return self.kind == "collective"

    @property
    def label(self) -> str:
        """'năm 2022', 'giai đoạn 2021-2025' (a document's words: always Vietnamese)."""
        return period_label(self.first_year, self.last_year)


def period_label(first: int, last: int) -> str:
    return f"năm {first}" if first == last else f"giai đoạn {first}-{last}"


def name_key(name: str) -> str:
    """The key of an awardee known only by name: NFC, case- and space-folded."""
    return "~" + " ".join(unicodedata.normalize("NFC", name).casefold().split())


def period_of(years: Sequence[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


# ---------------------------------------------------------------------------------------------
# Reading

_DECISION_COLUMNS = [f.name for f in fields(DecisionRecord)]
_AWARD_COLUMNS = [f.name for f in fields(AwardRecord) if f.name != "decision"]


def _select() -> str:
    d = ", ".join(f"d.{c}" for c in _DECISION_COLUMNS)
    a = ", ".join(f"a.{c}" for c in _AWARD_COLUMNS)
    return f"SELECT {d}, {a} FROM awardees a JOIN decisions d ON d.id = a.decision_id"


def _decision(row: Sequence[object]) -> DecisionRecord:
    values = dict(zip(_DECISION_COLUMNS, row, strict=True))
    values["date"] = date.fromisoformat(str(values["date"]))
    return DecisionRecord(**values)  # type: ignore[arg-type]


def _award(row: Sequence[object]) -> AwardRecord:
    n = len(_DECISION_COLUMNS)
    values = dict(zip(_AWARD_COLUMNS, row[n:], strict=True))
    return AwardRecord(decision=_decision(row[:n]), **values)  # type: ignore[arg-type]


_NEWEST_FIRST = " ORDER BY d.date DESC, d.id DESC, a.kind, a.id"


def all_awards(conn: sqlite3.Connection) -> list[AwardRecord]:
    """Every awardee, newest decision first."""
    return [_award(r) for r in conn.execute(_select() + _NEWEST_FIRST)]


def awards_of(conn: sqlite3.Connection, kind: Kind, key: str) -> list[AwardRecord]:
    """One collective's or person's awards, newest first."""
    sql = _select() + " WHERE a.kind = ? AND a.awardee_key = ?" + _NEWEST_FIRST
    return [_award(r) for r in conn.execute(sql, (kind, key))]


def find(conn: sqlite3.Connection, text: str) -> list[AwardRecord]:
    """Awards whose awardee's name, id or unit contains `text` (any case, NFC), newest first."""
    needle = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    out = []
    for record in all_awards(conn):
        hay = " | ".join((record.name, record.awardee_id or "", record.unit_name, record.unit_id))
        if needle in " ".join(unicodedata.normalize("NFC", hay).casefold().split()):
            out.append(record)
    return out


def show(conn: sqlite3.Connection, key: str) -> list[AwardRecord]:
    """The awards of the awardee with id `key` (a unit's or person's id, or "~name" as find
    prints it), newest first; an unknown id is an error naming close ones."""
    sql = _select() + " WHERE a.awardee_key = ? OR a.awardee_id = ?" + _NEWEST_FIRST
    found = [_award(r) for r in conn.execute(sql, (key, key))]
    if not found:
        from docgen.workspace.schema import suggest

        keys = [k for (k,) in conn.execute("SELECT DISTINCT awardee_key FROM awardees")]
        raise DocgenError(
            _("sổ khen thưởng không có tập thể, cá nhân mã '{key}'").format(key=key)
            + (f" ({hint})" if (hint := suggest(key, keys)) else "")
        )
    return found


def awards_of_round(conn: sqlite3.Connection, authority: str, round_id: str) -> list[AwardRecord]:
    """The awardees of a round's recorded decision, in the order they were numbered."""
    sql = _select() + " WHERE d.authority = ? AND d.round_id = ? ORDER BY a.book_seq, a.id"
    return [_award(r) for r in conn.execute(sql, (authority, round_id))]


def decision_for_round(
    conn: sqlite3.Connection, authority: str, round_id: str
) -> DecisionRecord | None:
    row = conn.execute(
        f"SELECT {', '.join(_DECISION_COLUMNS)} FROM decisions "
        "WHERE authority = ? AND round_id = ?",
        (authority, round_id),
    ).fetchone()
    return _decision(row) if row else None


def dump(conn: sqlite3.Connection) -> list[str]:
    """Every row of every table as text (tests compare a register before and after)."""
    return list(conn.iterdump())


# ---------------------------------------------------------------------------------------------
# Writing


def conflicts(
    conn: sqlite3.Connection, decisions: Sequence[DecisionRecord], awards: Sequence[AwardRecord]
) -> list[str]:
    """Why these decisions and awards cannot be entered: each already in the register (or
    twice in what is entered), one sentence each."""
    out: list[str] = []
    seen: dict[tuple[str, int, str], DecisionRecord] = {}
    for d in decisions:
        key = (d.authority, d.year, d.number)
        row = conn.execute(
            "SELECT date, coalesce(round_id, ''), source FROM decisions "
            "WHERE authority = ? AND year = ? AND number = ?",
            key,
        ).fetchone()
        if row is not None:
            out.append(
                _(
                    "Quyết định số {number} năm {year} của {authority} đã có trong sổ "
                    "(ngày {date}, {source})"
                ).format(
                    number=d.number,
                    year=d.year,
                    authority=d.authority,
                    date=vn.format_date_short(date.fromisoformat(row[0])),
                    source=row[2],
                )
            )
        elif key in seen:
            out.append(
                _("Quyết định số {number} năm {year} của {authority} được ghi hai lần").format(
                    number=d.number, year=d.year, authority=d.authority
                )
            )
        seen[key] = d
        if d.round_id is not None:
            earlier = decision_for_round(conn, d.authority, d.round_id)
            if earlier is not None:
                out.append(
                    _(
                        "đợt {round} đã được ghi vào sổ với {decision}; mỗi đợt chỉ có một "
                        "quyết định của {authority}"
                    ).format(round=d.round_id, decision=earlier.reference, authority=d.authority)
                )
    entered: set[tuple[str, str, str, str]] = set()
    for a in awards:
        key4 = (a.kind, a.awardee_key, a.award_id, a.period)
        row = conn.execute(
            "SELECT d.number, d.date FROM awardees a JOIN decisions d ON d.id = a.decision_id "
            "WHERE a.kind = ? AND a.awardee_key = ? AND a.award_id = ? AND a.period = ?",
            key4,
        ).fetchone()
        if row is not None:
            out.append(
                _(
                    "{name} đã được tặng {award} {period} (Quyết định số {number} ngày {date})"
                ).format(
                    name=a.name,
                    award=a.award_name,
                    period=a.label,
                    number=row[0],
                    date=vn.format_date_short(date.fromisoformat(row[1])),
                )
            )
        elif key4 in entered:
            out.append(
                _("{name}: {award} {period} được ghi hai lần").format(
                    name=a.name, award=a.award_name, period=a.label
                )
            )
        entered.add(key4)
    return out


def refused(problems: Sequence[str]) -> DocgenError:
    head = ngettext(
        "không ghi gì vào sổ khen thưởng ({n} vấn đề):",
        "không ghi gì vào sổ khen thưởng ({n} vấn đề):",
        len(problems),
    ).format(n=len(problems))
    return DocgenError("\n".join([head, *(f"  - {p}" for p in problems)]))


def _series(scheme: Register, d: DecisionRecord) -> str:
    who = d.authority_symbol + " " + d.authority if d.authority_symbol else d.authority
    return f"{who}/{d.year}" if scheme.book_restart == "yearly" else who


def _next_number(
    conn: sqlite3.Connection, scheme: Register, series: str, d: DecisionRecord
) -> tuple[int, str]:
    (seq,) = conn.execute(
        "SELECT coalesce(max(book_seq), 0) FROM awardees WHERE book_series = ?", (series,)
    ).fetchone()
    while True:
        seq += 1
        text = fill_book_number(
            scheme.book_number,
            {
                "number": str(seq).zfill(scheme.book_digits),
                "year": str(d.year),
                "symbol": d.authority_symbol,
            },
        )
        taken = conn.execute(
            "SELECT 1 FROM awardees WHERE book_series = ? AND book_number = ?", (series, text)
        ).fetchone()
        if taken is None:
            return seq, text


def insert(
    conn: sqlite3.Connection,
    path: Path,
    scheme: Register,
    entries: Iterable[tuple[DecisionRecord, Sequence[AwardRecord]]],
) -> list[AwardRecord]:
    """Enter decisions with their awardees in one transaction, numbering the số sổ vàng
    (a given one is kept); returns the awards as stored. Refused whole on any conflict."""
    entries = list(entries)
    stored: list[AwardRecord] = []
    now = _now()
    try:
        with transaction(conn, path):  # checked inside: no other writer can come between
            problems = conflicts(
                conn, [d for d, _a in entries], [a for _d, al in entries for a in al]
            )
            if problems:
                raise refused(problems)
            for d, awards in entries:
                cur = conn.execute(
                    "INSERT INTO decisions (number, date, year, authority, authority_symbol, "
                    "issuer_title, place, signer_authority, signer_title, signer_name, round_id, "
                    "round_label, regime, source, recorded_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        d.number,
                        d.date.isoformat(),
                        d.year,
                        d.authority,
                        d.authority_symbol,
                        d.issuer_title,
                        d.place,
                        d.signer_authority,
                        d.signer_title,
                        d.signer_name,
                        d.round_id,
                        d.round_label,
                        d.regime,
                        d.source,
                        now,
                    ),
                )
                decision_id = int(cur.lastrowid or 0)
                saved = DecisionRecord(**{**d.__dict__, "id": decision_id})
                series = _series(scheme, d)
                for a in awards:
                    seq, number = _next_number(conn, scheme, series, d)
                    if a.book_number:
                        number = a.book_number
                    cur = conn.execute(
                        "INSERT INTO awardees (decision_id, kind, awardee_key, awardee_id, name, "
                        "gender, position, unit_id, unit_name, parent_body, award_id, "
                        "award_name, award_kind, period, first_year, last_year, achievement, "
                        "money, book_series, book_seq, book_number, source) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            decision_id,
                            a.kind,
                            a.awardee_key,
                            a.awardee_id,
                            a.name,
                            a.gender,
                            a.position,
                            a.unit_id,
                            a.unit_name,
                            a.parent_body,
                            a.award_id,
                            a.award_name,
                            a.award_kind,
                            a.period,
                            a.first_year,
                            a.last_year,
                            a.achievement,
                            a.money,
                            series,
                            seq,
                            number,
                            a.source,
                        ),
                    )
                    stored.append(
                        AwardRecord(
                            **{
                                **a.__dict__,
                                "decision": saved,
                                "book_number": number,
                                "id": int(cur.lastrowid or 0),
                            }
                        )
                    )
    except sqlite3.IntegrityError as exc:  # a writer got in between: still nothing written
        raise refused([str(exc)]) from exc
    return stored
