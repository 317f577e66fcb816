"""The award register: recording the example's 2022 decision, refusals that leave the
database as it was (a real SIGKILL mid-transaction included), history in check and in the
Báo cáo thành tích, importing past awards cell by cell, export, backup, the yearly report."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from lxml import etree
from openpyxl.worksheet.worksheet import Worksheet

from docgen import i18n
from docgen.cli import cli
from docgen.errors import DocgenError, ValidationError
from docgen.main import (
    backup_register,
    check_rounds,
    export_awards,
    find_awards,
    import_awards,
    load_workspace,
    preview_decision,
    record_decision,
    register_report,
    render_dossiers,
    round_awards,
    show_awardee,
)
from docgen.register.db import SCHEMA_VERSION, SLEEP_ENV, connect
from docgen.register.records import dump
from docgen.register.workbook import SHEET
from docgen.workspace.model import Workspace

from .conftest import CONFIG, ROOT, TEMPLATES
from .docx_text import W, paragraphs

GK = "Giấy khen của Chủ tịch Ủy ban nhân dân thành phố"
QD = "Quyết định số 1205/QĐ-UBND ngày 12/4/2023"

#: The example's 2022 decision as `docgen decision` lists it: collectives first, then persons.
RECORDED_2022 = [
    ("001/2023", "collective", "phuong-song-hien", "Ủy ban nhân dân phường Sông Hiến", 900_000),
    ("002/2023", "collective", "xa-vinh-quang", "Ủy ban nhân dân xã Vĩnh Quang", 900_000),
    ("003/2023", "collective", "phong-noi-vu", "Phòng Nội vụ", 900_000),
    ("004/2023", "person", "be-van-hung", "Bế Văn Hùng", 450_000),
    ("005/2023", "person", "dam-thi-huyen", "Đàm Thị Huyền", 450_000),
    ("006/2023", "person", "luc-thi-ngan", "Lục Thị Ngân", 450_000),
    ("007/2023", "person", "la-van-hieu", "La Văn Hiếu", 450_000),
    ("008/2023", "person", "nong-thi-huong", "Nông Thị Hường", 450_000),
    ("009/2023", "person", "tran-minh-duc", "Trần Minh Đức", 450_000),
]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A writable copy of the example workspace (config, data, templates)."""
    dest = tmp_path / "ws"
    dest.mkdir()
    shutil.copy(CONFIG, dest / "config.yaml")
    shutil.copytree(ROOT / "data", dest / "data")
    return dest


@pytest.fixture
def ws(home: Path) -> Workspace:
    return load_workspace(home / "config.yaml", home / "data")


def _rows(db: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute(sql, args))
    finally:
        conn.close()


def _dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return dump(conn)
    finally:
        conn.close()


def _empty_register(db: Path) -> None:
    with connect(db):
        pass


# ---------------------------------------------------------------------------------------------
# record


def test_record_2022_rows(home: Path, ws: Workspace) -> None:
    db = home / "so-khen-thuong.sqlite"
    stored = record_decision(ws, db, "2022", "1205", "12/4/2023")
    assert [(a.book_number, a.kind, a.awardee_key, a.name, a.money) for a in stored] == (
        RECORDED_2022
    )
    assert _rows(
        db,
        "SELECT number, date, year, authority, issuer_title, signer_authority, signer_title, "
        "signer_name, round_id, round_label, regime, source FROM decisions",
    ) == [
        (
            "1205/QĐ-UBND",
            "2023-04-12",
            2023,
            "Ủy ban nhân dân thành phố Cao Bằng",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ CAO BẰNG",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Hoàng Văn Thạch",
            "2022",
            "năm 2022",
            "Nghị định số 91/2017/NĐ-CP",
            "record",
        )
    ]
    rows = _rows(
        db,
        "SELECT book_number, kind, awardee_key, name, position, unit_name, parent_body, "
        "award_id, award_name, award_kind, period, money FROM awardees ORDER BY book_seq",
    )
    assert [(r[0], r[1], r[2], r[3], r[11]) for r in rows] == RECORDED_2022
    assert rows[0][4:11] == (
        "",
        "Ủy ban nhân dân phường Sông Hiến",
        "Ủy ban nhân dân thành phố Cao Bằng",
        "giay_khen_tp",
        GK,
        "campaign",
        "2022",
    )
    assert rows[3][4:6] == ("Công chức Văn phòng - Thống kê", "Ủy ban nhân dân phường Sông Hiến")
    # the achievement a certificate prints
    assert _rows(db, "SELECT DISTINCT achievement FROM awardees") == [
        (
            "Đã có thành tích xuất sắc trong phong trào thi đua đẩy mạnh cải cách hành chính gắn "
            "với chuyển đổi số thành phố Cao Bằng năm 2022",
        )
    ]
    assert _rows(db, "SELECT max(version) FROM schema_migrations") == [(SCHEMA_VERSION,)]
    assert _rows(db, "PRAGMA journal_mode") == [("wal",)]


def test_round_awards_for_certificates(home: Path, ws: Workspace) -> None:
    db = home / "so-khen-thuong.sqlite"
    with pytest.raises(DocgenError, match="chưa có sổ khen thưởng"):
        round_awards(ws, db, "2022")
    _empty_register(db)
    with pytest.raises(DocgenError, match="đợt 2022 chưa có quyết định trong sổ khen thưởng"):
        round_awards(ws, db, "2022")
    record_decision(ws, db, "2022", "1205", "12/4/2023")
    awards = round_awards(ws, db, "2022")
    assert [a.book_number for a in awards] == [r[0] for r in RECORDED_2022]
    first, person = awards[0], awards[3]
    assert (first.name, first.parent_body, first.decision.issuer_title) == (
        "Ủy ban nhân dân phường Sông Hiến",
        "Ủy ban nhân dân thành phố Cao Bằng",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ CAO BẰNG",
    )
    assert (person.name, person.position, person.unit_name, person.gender) == (
        "Bế Văn Hùng",
        "Công chức Văn phòng - Thống kê",
        "Ủy ban nhân dân phường Sông Hiến",
        "nam",
    )
    d = person.decision
    assert (d.reference, d.place, d.signer_authority, d.signer_title, d.signer_name) == (
        QD,
        "Thành phố Cao Bằng",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Hoàng Văn Thạch",
    )


def test_not_a_database(home: Path, ws: Workspace) -> None:
    db = home / "so-khen-thuong.sqlite"
    db.write_text("không phải SQLite " * 100, encoding="utf-8")
    with pytest.raises(DocgenError, match="lỗi cơ sở dữ liệu"):
        record_decision(ws, db, "2022", "1205", "12/4/2023")
    with pytest.raises(DocgenError, match="lỗi cơ sở dữ liệu"):
        check_rounds(ws, ["2022"], db)


def test_newer_schema_is_refused(home: Path, ws: Workspace) -> None:
    db = home / "so-khen-thuong.sqlite"
    _empty_register(db)
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO schema_migrations VALUES (99, 'future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(DocgenError, match="có phiên bản lược đồ 99, mới hơn phiên bản 1"):
        record_decision(ws, db, "2022", "1205", "12/4/2023")


def test_record_twice_is_refused_and_changes_nothing(home: Path, ws: Workspace) -> None:
    db = home / "so-khen-thuong.sqlite"
    record_decision(ws, db, "2022", "1205", "2023-04-12")
    before = _dump(db)
    with pytest.raises(DocgenError) as err:
        record_decision(ws, db, "2022", "1205", "12/04/2023")
    text = str(err.value)
    assert text.startswith("không ghi gì vào sổ khen thưởng (11 vấn đề):\n")
    assert (
        "  - Quyết định số 1205/QĐ-UBND năm 2023 của Ủy ban nhân dân thành phố Cao Bằng đã có "
        "trong sổ (ngày 12/4/2023, record)"
    ) in text.splitlines()
    assert f"  - Bế Văn Hùng đã được tặng {GK} năm 2022 ({QD})" in text.splitlines()
    # another number for the same round: the round and every awardee are still refused
    with pytest.raises(DocgenError, match="đợt 2022 đã được ghi vào sổ với " + QD):
        record_decision(ws, db, "2022", "1300", "20/4/2023")
    assert _dump(db) == before


def test_record_cli(home: Path) -> None:
    runner = CliRunner()
    args = ["--config", str(home / "config.yaml"), "register", "record", "--round", "2022"]
    result = runner.invoke(cli, [*args, "--number", "1205", "--date", "12/4/2023"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == (
        "  số sổ vàng 001/2023: Ủy ban nhân dân phường Sông Hiến — " + GK
    )
    bad = runner.invoke(cli, [*args, "--number", "1205", "--date", "31/02/2023"])
    assert isinstance(bad.exception, ValidationError)
    assert "--date: ngày '31/02/2023' không tồn tại" in str(bad.exception)


def test_killed_record_leaves_register_unchanged(home: Path, ws: Workspace) -> None:
    """A real SIGKILL of `docgen register record` inside its transaction."""
    db = home / "so-khen-thuong.sqlite"
    import_awards(ws, db, _past_book(home / "past.xlsx", [_row()]))
    before = _dump(db)
    proc = _record_process(home, "1205", sleep="60")
    try:
        deadline = time.monotonic() + 60
        while True:  # wait until the writer holds the write lock (inserted, not committed)
            assert proc.poll() is None, proc.communicate()
            probe = sqlite3.connect(db, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            except sqlite3.OperationalError as exc:
                assert "locked" in str(exc)
                break
            finally:
                probe.close()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.3)  # well inside the transaction: the inserts are done, the sleep goes on
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert _dump(db) == before
    # and the register still works: the same decision records whole
    assert len(record_decision(ws, db, "2022", "1205", "12/4/2023")) == 9


# ---------------------------------------------------------------------------------------------
# find, show


def test_find_and_show(home: Path, ws: Workspace) -> None:
    db = home / "so-khen-thuong.sqlite"
    import_awards(
        ws,
        db,
        _past_book(
            home / "past.xlsx", [_row(), _row(number="88/QĐ-UBND", day="10/4/2022", period="2021")]
        ),
    )
    record_decision(ws, db, "2022", "1205", "12/4/2023")
    found = find_awards(db, "sông HIẾN")
    assert [(a.name, a.decision.number) for a in found] == [
        ("Ủy ban nhân dân phường Sông Hiến", "1205/QĐ-UBND"),
        ("Bế Văn Hùng", "1205/QĐ-UBND"),
        ("Đàm Thị Huyền", "1205/QĐ-UBND"),
        ("Ủy ban nhân dân phường Sông Hiến", "88/QĐ-UBND"),
        ("Ủy ban nhân dân phường Sông Hiến", "45/QĐ-UBND"),
    ]
    shown = show_awardee(db, "phuong-song-hien")  # newest first
    assert [(a.period, a.decision.date) for a in shown] == [
        ("2022", date(2023, 4, 12)),
        ("2021", date(2022, 4, 10)),
        ("2020", date(2021, 3, 20)),
    ]
    with pytest.raises(DocgenError, match="không có tập thể, cá nhân mã 'phuong-song-hie'"):
        show_awardee(db, "phuong-song-hie")
    result = CliRunner().invoke(
        cli, ["--config", str(home / "config.yaml"), "register", "show", "be-van-hung"]
    )
    assert result.output.splitlines() == [
        "Bế Văn Hùng (cá nhân, Công chức Văn phòng - Thống kê Ủy ban nhân dân phường Sông "
        "Hiến) — mã: be-van-hung",
        f"  12/04/2023  {GK} năm 2022 — {QD} của Ủy ban nhân dân thành phố Cao Bằng; "
        "số sổ vàng 004/2023",
    ]


def test_no_register_yet(home: Path) -> None:
    with pytest.raises(DocgenError, match="chưa có sổ khen thưởng"):
        find_awards(home / "so-khen-thuong.sqlite", "x")
    assert not (home / "so-khen-thuong.sqlite").exists()


# ---------------------------------------------------------------------------------------------
# history in the rules and in the Báo cáo thành tích


def _reasons(verdicts: list, nominee: str) -> list[tuple[bool, str]]:  # type: ignore[type-arg]
    (v,) = [v for v in verdicts if v.nominee_id == nominee]
    return [(r.ok, r.text) for r in v.reasons]


def test_check_shows_earlier_and_fails_repeated(home: Path, ws: Workspace) -> None:
    db = home / "so-khen-thuong.sqlite"
    plain = check_rounds(ws, ["2021-2025"], db)  # no register yet: nothing changes
    assert [v.reasons for v in plain] == [v.reasons for v in check_rounds(ws, ["2021-2025"])]
    assert not db.exists()
    record_decision(ws, db, "2022", "1205", "12/4/2023")
    later = check_rounds(ws, ["2021-2025"], db)
    assert (True, f"Đã được tặng {GK} năm 2022 ({QD})") in _reasons(later, "phuong-song-hien")
    assert (True, f"Đã được tặng {GK} năm 2022 ({QD})") in _reasons(later, "nong-thi-huong")
    again = check_rounds(ws, ["2022"], db)
    repeated = (
        False,
        f"Đã được tặng {GK} năm 2022 ({QD}); không đề nghị lại cùng hình thức cho cùng đợt, "
        "cùng năm",
    )
    assert repeated in _reasons(again, "be-van-hung")
    (v,) = [v for v in again if v.nominee_id == "be-van-hung"]
    assert not v.eligible
    # the CLI's check reads the register beside config.yaml and fails (exit 3)
    result = CliRunner().invoke(
        cli, ["--config", str(home / "config.yaml"), "check", "--round", "2022"]
    )
    assert result.exit_code == 3
    assert "      ✗ " + repeated[1] in result.output.splitlines()


def test_required_earlier_awards_and_merit_warning(home: Path) -> None:
    """A Bằng khen (công trạng) needing a Giấy khen in each of the two years before."""
    config = home / "config.yaml"
    text = config.read_text(encoding="utf-8")
    anchor = (
        "    by_authority: false      # UBND thành phố lập tờ trình đề nghị Chủ tịch UBND tỉnh\n"
    )
    assert anchor in text
    config.write_text(
        text.replace(
            anchor,
            anchor + "    kind: merit\n    requires: [{award: giay_khen_tp, years: 2}]\n",
        ),
        encoding="utf-8",
    )
    ws = load_workspace(config, home / "data")
    db = home / "so-khen-thuong.sqlite"
    bang_khen = [v for v in check_rounds(ws, ["2022"], db) if v.award_id == "bang_khen_tinh"]
    assert bang_khen
    nominee = bang_khen[0].nominee_id
    needs = (
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cần Giấy khen của Chủ tịch Ủy ban nhân dân "
        "thành phố trong mỗi năm 2020, 2021"
    )
    assert (False, needs + "; sổ khen thưởng không có năm 2020, 2021") in _reasons(
        bang_khen, nominee
    )
    person = ws.people[nominee]
    rows = [
        _row(
            kind="cá nhân",
            ident=nominee,
            name=person.name,
            number=f"{n}/QĐ-UBND",
            day=f"10/4/{y + 1}",
            period=str(y),
        )
        for n, y in ((31, 2020), (32, 2021))
    ]
    import_awards(ws, db, _past_book(home / "past.xlsx", rows))
    verdicts = check_rounds(ws, ["2022"], db)
    (v,) = [v for v in verdicts if v.nominee_id == nominee and v.award_id == "bang_khen_tinh"]
    texts = [(r.ok, r.warning, r.text) for r in v.reasons]
    assert (
        True,
        False,
        needs + ": có (2020: Quyết định số 31/QĐ-UBND ngày 10/4/2021, "
        "2021: Quyết định số 32/QĐ-UBND ngày 10/4/2022)",
    ) in texts
    warnings = [t for ok, w, t in texts if w]
    assert warnings == [
        f"Lưu ý: {GK} năm {y} là khen thưởng theo đợt, chuyên đề thi đua; theo Nghị định "
        "152/2025/NĐ-CP Điều 4 khoản 3, kết quả này không dùng làm căn cứ đề nghị khen thưởng "
        "công trạng (Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh)"
        for y in (2020, 2021)
    ]
    result = CliRunner().invoke(cli, ["--config", str(config), "check", "--round", "2022"])
    assert "      ! " + warnings[0] in result.output.splitlines()


def test_report_lists_earlier_awards(home: Path, ws: Workspace, tmp_path: Path) -> None:
    db = home / "so-khen-thuong.sqlite"
    record_decision(ws, db, "2022", "1205", "12/4/2023")
    # a data-given line citing the same decision is kept and not repeated; another is kept
    data_line = "Giấy khen năm 2022 theo Quyết định số 1205/QĐ-UBND của UBND thành phố"
    rounds = home / "data" / "rounds" / "2021-2025.yaml"
    text = rounds.read_text(encoding="utf-8")
    anchor = "      - person: nong-thi-huong\n"
    assert text.count(anchor) == 1
    rounds.write_text(
        text.replace(
            anchor,
            anchor + f'        earlier_awards: ["{data_line}", Bằng khen của Giám đốc Sở '
            "Nội vụ năm 2021]\n",
        ),
        encoding="utf-8",
    )
    ws = load_workspace(home / "config.yaml", home / "data")
    out = tmp_path / "out"
    render_dossiers(
        ws, TEMPLATES, out, ["2021-2025"], ["phong-noi-vu"], allow_ineligible=True, register=db
    )
    folder = out / "2021-2025" / "phong-noi-vu"
    (collective,) = folder.glob("04-*-tap-the-phuong-song-hien.docx")
    lines = paragraphs(collective)
    i = lines.index("III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC TẶNG")
    assert lines[i + 1] == f"- {GK} năm 2022 ({QD} của Ủy ban nhân dân thành phố Cao Bằng)"
    (person,) = folder.glob("04-*-ca-nhan-nong-thi-huong.docx")
    lines = paragraphs(person)
    i = lines.index("III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC TẶNG")
    assert lines[i + 1 : i + 3] == [f"- {data_line}", "- Bằng khen của Giám đốc Sở Nội vụ năm 2021"]
    assert lines[i + 3] != f"- {GK} năm 2022 ({QD} của Ủy ban nhân dân thành phố Cao Bằng)"
    # the section keeps with the signatures below it (never alone on a page; seen on a PDF)
    with zipfile.ZipFile(person) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    kept = {
        "".join(t.text or "" for t in p.iter(f"{W}t")): p.find(f"{W}pPr/{W}keepNext") is not None
        for p in root.iter(f"{W}p")
    }
    assert [kept[line] for line in lines[i : i + 4]] == [True] * 4
    # without anything to list the section is left out
    (other,) = folder.glob("04-*-ca-nhan-hoang-van-thang.docx")
    assert "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC TẶNG" not in paragraphs(other)


# ---------------------------------------------------------------------------------------------
# import, export, backup


def _row(
    kind: str = "tập thể",
    ident: str | None = "phuong-song-hien",
    name: str = "Ủy ban nhân dân phường Sông Hiến",
    number: str = "45/QĐ-UBND",
    day: object = "20/03/2021",
    period: object = "2020",
    award: str = "giay_khen_tp",
    money: object = 900000,
) -> dict[str, object]:
    return {
        "Số quyết định": number,
        "Ngày quyết định": day,
        "Cơ quan quyết định": "Ủy ban nhân dân thành phố Cao Bằng",
        "Loại": kind,
        "Mã": ident,
        "Tên": name,
        "Hình thức": award,
        "Năm": period,
        "Tiền thưởng": money,
    }


def _past_book(path: Path, rows: list[dict[str, object]]) -> Path:
    headers = [c.header for c in SHEET.columns]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET.name
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    wb.save(path)
    return path


def test_import_with_mistakes_is_refused_cell_by_cell(home: Path, ws: Workspace) -> None:
    db = home / "so-khen-thuong.sqlite"
    record_decision(ws, db, "2022", "1205", "12/4/2023")
    before = _dump(db)
    book = _past_book(
        home / "past.xlsx",
        [
            _row(),
            _row(day="31/02/2021", ident="xa-vinh-quang", name="UBND xã Vĩnh Quang"),
            _row(kind="nhóm", ident="phong-noi-vu", name="Phòng Nội vụ"),
            _row(period="năm ngoái", ident="phong-tu-phap", name="Phòng Tư pháp"),
            _row(money="nhiều", ident="phong-y-te", name="Phòng Y tế"),
            _row(),  # the first row again
            _row(name="", ident="phong-kinh-te"),
            _row(number="1205/QĐ-UBND", day="12/4/2023", period="2022"),  # already recorded
        ],
    )
    with pytest.raises(ValidationError) as err:
        import_awards(ws, db, book)
    assert [str(p) for p in err.value.problems] == [
        f"{book} [Khen thưởng!B3] [awards[1].decision_date]: ngày '31/02/2021' không tồn tại "
        "(tháng 2 năm 2021 chỉ có 28 ngày)",
        f"{book} [Khen thưởng!F4] [awards[2].kind]: giá trị 'nhóm' không hợp lệ; cần một trong: "
        "tập thể, cá nhân",
        f"{book} [Khen thưởng!Q6] [awards[4].money]: cần số nguyên, nhận được 'nhiều'",
        f"{book} [Khen thưởng!H8] [awards[6].name]: thiếu giá trị ở cột 'Tên' (tên tập thể hoặc "
        "họ tên cá nhân)",
        f"{book} [Khen thưởng!O5] [awards[3].period]: cần một năm (2022) hoặc một giai đoạn "
        "(2021-2025), nhận được 'năm ngoái'",
        f"{book} [Khen thưởng!H7] [awards[5].name]: Ủy ban nhân dân phường Sông Hiến: {GK} năm "
        "2020 đã có ở một dòng trên",
        f"{book} [Khen thưởng!H9] [awards[7].name]: Ủy ban nhân dân phường Sông Hiến đã được "
        f"tặng {GK} năm 2022 (Quyết định số 1205/QĐ-UBND ngày 12/4/2023)",
        f"{book} [Khen thưởng!A9] [awards[7].decision_number]: Quyết định số 1205/QĐ-UBND năm "
        "2023 của Ủy ban nhân dân thành phố Cao Bằng đã có trong sổ (ngày 12/4/2023, record)",
    ]
    assert _dump(db) == before


def test_import_then_export_round_trip(home: Path, ws: Workspace, tmp_path: Path) -> None:
    db = home / "so-khen-thuong.sqlite"
    rows = [
        _row(),
        _row(kind="Cá nhân", ident=None, name="Hoàng Thị Mến", day="2021-03-20", money=450000),
        _row(
            number="12/QĐ-UBND",
            day="05/01/2021",
            period="2016-2020",
            award="Bằng khen của Chủ tịch UBND tỉnh",
            money=2980000,
        ),
    ]
    stored = import_awards(ws, db, _past_book(home / "past.xlsx", rows))
    assert [(a.decision.number, a.name, a.award_id, a.period, a.book_number) for a in stored] == [
        ("45/QĐ-UBND", "Ủy ban nhân dân phường Sông Hiến", "giay_khen_tp", "2020", "001/2021"),
        ("45/QĐ-UBND", "Hoàng Thị Mến", "giay_khen_tp", "2020", "002/2021"),
        (
            "12/QĐ-UBND",
            "Ủy ban nhân dân phường Sông Hiến",
            "bang_khen_tinh",
            "2016-2020",
            "003/2021",
        ),
    ]
    assert stored[1].awardee_key == "~hoàng thị mến"
    assert _rows(db, "SELECT count(*) FROM decisions") == [(2,)]
    exported = tmp_path / "export.xlsx"
    assert export_awards(db, exported) == 3
    with pytest.raises(DocgenError, match="tệp kết quả đã tồn tại"):
        export_awards(db, exported)
    other = tmp_path / "other.sqlite"
    again = import_awards(ws, other, exported)
    keep = (
        "SELECT kind, awardee_key, name, award_id, award_name, period, money, book_number, "
        "d.number, d.date FROM awardees JOIN decisions d ON d.id = decision_id ORDER BY 2, 6"
    )
    assert _rows(other, keep) == _rows(db, keep)
    assert len(again) == 3


def test_backup_is_consistent_while_others_read_and_write(home: Path, ws: Workspace) -> None:
    db = home / "so-khen-thuong.sqlite"
    record_decision(ws, db, "2022", "1205", "12/4/2023")
    reader = sqlite3.connect(db, isolation_level=None)
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM awardees").fetchone()
        writer.execute("BEGIN IMMEDIATE")  # a write under way, not committed
        writer.execute("UPDATE awardees SET money = 1 WHERE id = 1")
        copy = backup_register(db, home / "backup.sqlite")
        writer.execute("ROLLBACK")
        reader.execute("COMMIT")
    finally:
        reader.close()
        writer.close()
    assert _dump(copy) == _dump(db)
    with pytest.raises(DocgenError, match="tệp kết quả đã tồn tại"):
        backup_register(db, copy)


# ---------------------------------------------------------------------------------------------
# the yearly report


def test_report_totals_equal_the_register(home: Path, ws: Workspace, tmp_path: Path) -> None:
    db = home / "so-khen-thuong.sqlite"
    record_decision(ws, db, "2022", "1205", "12/4/2023")
    import_awards(
        ws,
        db,
        _past_book(
            home / "past.xlsx", [_row(day="01/06/2023", number="77/QĐ-UBND", period="2021")]
        ),
    )
    xlsx = tmp_path / "tk.xlsx"
    report = register_report(db, 2023, xlsx)
    sums = _rows(
        db,
        "SELECT sum(kind = 'collective'), sum(kind = 'person'), sum(money) FROM awardees a "
        "JOIN decisions d ON d.id = a.decision_id WHERE d.year = 2023",
    )
    assert [(report.total.collectives, report.total.persons, report.total.money)] == sums
    assert sums == [(4, 6, 6_300_000)]
    assert report.decisions == 2
    assert sum(line.money for line in report.by_unit) == report.total.money
    assert sum(line.total for line in report.by_award) == 10
    assert [(u.label, u.collectives, u.persons, u.money) for u in report.by_unit][:2] == [
        ("Ủy ban nhân dân phường Sông Hiến", 2, 2, 2_700_000),
        ("Phòng Nội vụ", 1, 2, 1_800_000),
    ]
    wb = openpyxl.load_workbook(xlsx)
    sheet = wb["Theo đơn vị"]
    assert isinstance(sheet, Worksheet)
    assert sheet["A1"].value == "Khen thưởng năm 2023: 2 quyết định"
    assert [c.value for c in sheet[2]] == [
        "Đơn vị",
        "Tập thể",
        "Cá nhân",
        "Tổng số",
        "Tiền thưởng (đồng)",
    ]
    last = 2 + len(report.by_unit) + 1
    assert [c.value for c in sheet[last]] == ["Tổng cộng", 4, 6, 10, 6_300_000]
    with zipfile.ZipFile(xlsx) as archive:  # the bar chart per unit, as saved
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        chart = archive.read(charts[0]).decode()
    assert '<barDir val="bar"/>' in chart
    assert "'Theo đơn vị'!$A$3:$A$6" in chart
    assert wb["Theo hình thức"]["A3"].value == GK
    empty = register_report(db, 2019)
    assert (empty.total.total, empty.total.money, empty.by_unit) == (0, 0, [])


def test_config_register_validation(home: Path) -> None:
    config = home / "config.yaml"
    text = config.read_text(encoding="utf-8")
    old = '  book_number: "{number}/{year}"'
    assert old in text
    config.write_text(
        text.replace(old, '  book_number: "{so}/{year}"').replace(
            "book_digits: 3", "book_digits: 12"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as err:
        load_workspace(config, home / "data")
    messages = [p.message for p in err.value.problems]
    assert messages == [
        "trường không hợp lệ {so}; chỉ được dùng {number}, {year}, {symbol}",
        "số chữ số phải từ 0 đến 9, nhận được 12",
    ]


def test_english_messages_keep_documents_vietnamese(home: Path, ws: Workspace) -> None:
    db = home / "so-khen-thuong.sqlite"
    record_decision(ws, db, "2022", "1205", "12/4/2023")
    runner = CliRunner()
    config = str(home / "config.yaml")
    try:
        result = runner.invoke(
            cli, ["--lang", "en", "--config", config, "check", "--round", "2022"]
        )
        again = runner.invoke(
            cli,
            [
                "--lang",
                "en",
                "--config",
                config,
                "register",
                "record",
                "--round",
                "2022",
                "--number",
                "1205",
                "--date",
                "12/4/2023",
            ],
        )
    finally:
        i18n.set_language("vi")
    assert (
        f"      ✗ Already received {GK} năm 2022 ({QD}); the same award is not proposed again "
        "for the same round or year"
    ) in result.output.splitlines()
    assert str(again.exception).startswith(
        "nothing was written to the award register (11 problems):\n"
    )


def test_preview_writes_nothing(home: Path, ws: Workspace) -> None:
    db = home / "so-khen-thuong.sqlite"
    awards, problems = preview_decision(ws, db, "2022", "1205", "12/4/2023")
    assert [(a.name, a.money) for a in awards] == [(r[3], r[4]) for r in RECORDED_2022]
    assert problems == []
    assert not db.exists()
    record_decision(ws, db, "2022", "1205", "12/4/2023")
    before = _dump(db)
    _awards, problems = preview_decision(ws, db, "2022", "1205", "12/4/2023")
    assert len(problems) == 11
    assert _dump(db) == before


def _record_process(home: Path, number: str, sleep: str = "") -> subprocess.Popen[bytes]:
    env = dict(os.environ, **({SLEEP_ENV: sleep} if sleep else {}))
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "docgen",
            "--config",
            str(home / "config.yaml"),
            "register",
            "record",
            "--round",
            "2022",
            "--number",
            number,
            "--date",
            "12/4/2023",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_two_records_at_once_enter_one(home: Path) -> None:
    """The second writer waits for the first's transaction, then finds everything entered."""
    db = home / "so-khen-thuong.sqlite"
    _empty_register(db)
    first = _record_process(home, "1205", sleep="2")
    time.sleep(1.0)
    second = _record_process(home, "1206")
    _out1, err1 = first.communicate(timeout=60)
    _out2, err2 = second.communicate(timeout=60)
    assert (first.returncode, second.returncode) == (0, 1), (err1, err2)
    assert "đợt 2022 đã được ghi vào sổ với " + QD in err2.decode()
    assert _rows(db, "SELECT number FROM decisions") == [("1205/QĐ-UBND",)]
    assert _rows(db, "SELECT count(*), count(DISTINCT book_number) FROM awardees") == [(9, 9)]


def test_import_unreadable_or_without_the_sheet(home: Path, ws: Workspace) -> None:
    db = home / "so-khen-thuong.sqlite"
    text = home / "past.xlsx"
    text.write_text("Số quyết định;Ngày\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        import_awards(ws, db, text)
    (problem,) = err.value.problems
    assert str(problem) == (
        f"{text}: tệp không phải bảng tính .xlsx (có thể tệp là .xls cũ hoặc .ods đổi tên; hãy "
        "mở và lưu lại dưới dạng Excel .xlsx)"
    )
    other = home / "other.xlsx"
    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "Trang 1"
    wb.save(other)
    with pytest.raises(ValidationError) as err:
        import_awards(ws, db, other)
    assert [str(p) for p in err.value.problems] == [
        f"{other}: không có trang 'Khen thưởng' (các trang: Trang 1)"
    ]
    assert _rows(db, "SELECT count(*) FROM awardees") == [(0,)]


def test_record_in_a_new_workspace(tmp_path: Path) -> None:
    """`docgen init`'s ward (phường Thục Phán, 2026): register keys in its config, after 2025."""
    from docgen.workspace.init import init_workspace

    folder = tmp_path / "ho-so"
    init_workspace(folder, False)
    ws = load_workspace(folder / "config.yaml", folder / "data")
    db = folder / "so-khen-thuong.sqlite"
    stored = record_decision(ws, db, "2026", "15", "20/01/2027")
    assert [(a.book_number, a.name) for a in stored] == [
        ("001/2027", "Phòng Văn hóa - Xã hội"),
        ("002/2027", "Nguyễn Thị Lan"),
    ]
    assert stored[0].decision.reference == "Quyết định số 15/QĐ-UBND ngày 20/01/2027"
    assert stored[0].decision.authority == "Ủy ban nhân dân phường Thục Phán"
