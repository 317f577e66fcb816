"""The rest of the law by date: the Báo cáo form of each regime, the years a period dossier
can count, the wording of a Tờ trình that asks for an award of the level above, and what
validate says about a position that repeats its unit."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from docgen.documents.dossier import report_form
from docgen.main import check_rounds, load_workspace, render_dossiers
from docgen.workspace.config import load_config

from .conftest import CONFIG, ROOT, TEMPLATES
from .docx_text import shown
from .docx_text import shown_tables as tables
from .test_validation import edit

CITY = load_config(CONFIG)

F91 = "Mẫu số 07 - Nghị định số 91/2017/NĐ-CP"
F98 = "Mẫu số 07 - Nghị định số 98/2023/NĐ-CP"
F152 = "Mẫu số 07 - Nghị định số 152/2025/NĐ-CP"
BY_DATE = "(Khen thưởng theo đợt thi đua: {movement})"
CAMPAIGN = "(Khen thưởng thi đua theo chuyên đề: {movement})"


@pytest.mark.parametrize(
    ("day", "form", "subtitle", "unverified"),
    [
        (date(2023, 12, 31), F91, BY_DATE, False),
        (date(2024, 1, 1), F98, CAMPAIGN, True),
        (date(2025, 2, 28), F98, CAMPAIGN, True),
        (date(2025, 3, 1), F98, CAMPAIGN, True),
        (date(2025, 6, 30), F98, CAMPAIGN, True),
        (date(2025, 7, 1), F152, CAMPAIGN, True),
        (date(2026, 7, 1), F152, CAMPAIGN, True),
    ],
)
def test_report_form_of_each_regime(day: date, form: str, subtitle: str, unverified: bool) -> None:
    chosen = report_form(CITY, day)
    assert chosen is not None
    assert (chosen.form, chosen.subtitle, chosen.unverified) == (form, subtitle, unverified)
    assert bool(chosen.notes) == (form == F152)


def example(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "data", ws / "data")
    shutil.copy(CONFIG, ws / "config.yaml")
    return ws


def test_period_dossier_counts_only_years_with_results(tmp_path: Path) -> None:
    """The 2021-2025 dossiers are made in Quý II of 2025: 2025 cannot count and is not invented."""
    for name in ("units.yaml", "people.yaml"):
        assert not re.search(
            r"\{[^}\n]*\b2025: ", (ROOT / "data" / name).read_text(encoding="utf-8")
        )
    ws = load_workspace(CONFIG, ROOT / "data")
    verdicts = check_rounds(ws, ["2021-2025"])
    song_bang = next(v for v in verdicts if v.nominee_id == "phuong-song-bang")
    assert song_bang.eligible
    assert song_bang.reasons[0].text == (
        "Trung bình Chỉ số CCHC 2021-2024: 93,208% ≥ 90% (92,45; 93,10; 93,56; 93,72)"
    )
    person = next(v for v in verdicts if v.nominee_id == "nong-van-dung")
    years = [r.text.split(":")[0] for r in person.reasons if r.text.startswith("Xếp loại")]
    assert years == [f"Xếp loại năm {y}" for y in (2021, 2022, 2023, 2024)]
    out = tmp_path / "out"
    render_dossiers(ws, TEMPLATES, out, round_ids=["2021-2025"], unit_ids=["phuong-song-bang"])
    folder = out / "2021-2025" / "phuong-song-bang"
    report = folder / "04-bao-cao-thanh-tich-01-tap-the-phuong-song-bang.docx"
    assert tables(report)[1][1:] == [
        ["2021", "92,45%"],
        ["2022", "93,10%"],
        ["2023", "93,56%"],
        ["2024", "93,72%"],
        ["2025", "Chưa đánh giá"],
    ]
    text = shown(report)
    assert text[0] == F98  # dated 14/4/2025: NĐ 98/2023's campaign form
    assert "(Khen thưởng thi đua theo chuyên đề: phong trào thi đua" in text[8]


def test_whole_period_counts_every_year_when_config_says_so(tmp_path: Path) -> None:
    ws_dir = example(tmp_path)
    edit(ws_dir / "config.yaml", "period_years: before_dossier", "period_years: whole_period")
    ws = load_workspace(ws_dir / "config.yaml", ws_dir / "data")
    song_bang = next(
        v for v in check_rounds(ws, ["2021-2025"]) if v.nominee_id == "phuong-song-bang"
    )
    assert not song_bang.eligible
    assert song_bang.reasons[0].text == (
        "Chỉ số CCHC giai đoạn 2021-2025: thiếu số liệu năm 2025, không tính được trung bình"
    )


def test_proposal_with_a_provincial_award_asks_to_propose_it_upward(tmp_path: Path) -> None:
    ws = load_workspace(CONFIG, ROOT / "data")
    out = tmp_path / "out"
    render_dossiers(
        ws, TEMPLATES, out, round_ids=["2022"], unit_ids=["phuong-song-hien"], allow_ineligible=True
    )
    text = shown(out / "2022" / "phuong-song-hien" / "01-to-trinh.docx")
    assert any(
        p.startswith(
            "Ủy ban nhân dân phường Sông Hiến kính trình Chủ tịch Ủy ban nhân dân thành phố Cao "
            "Bằng xem xét, khen thưởng và đề nghị cấp trên khen thưởng cho 01 tập thể và 03 cá nhân"
        )
        for p in text
    )
    at = text.index(
        "Tổng số tiền thưởng dự kiến: 3.290.000 đồng (Bằng chữ: Ba triệu hai trăm chín mươi "
        "nghìn đồng), tính theo mức lương cơ sở 1.490.000 đồng/tháng, trong đó:"
    )
    assert text[at + 1 : at + 3] == [
        "- Giấy khen của Chủ tịch Ủy ban nhân dân thành phố: 1.800.000 đồng;",
        "- Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh: 1.490.000 đồng.",
    ]
    assert (
        "Kính trình Chủ tịch Ủy ban nhân dân thành phố Cao Bằng xem xét, quyết định và đề nghị "
        "cấp trên khen thưởng./." in text
    )
    # a unit asking only for its authority's own award keeps the plain wording
    render_dossiers(
        ws,
        TEMPLATES,
        out,
        round_ids=["2022"],
        unit_ids=["phong-tu-phap"],
        force=True,
        allow_ineligible=True,
    )
    plain = shown(out / "2022" / "phong-tu-phap" / "01-to-trinh.docx")
    assert not any("đề nghị cấp trên" in p for p in plain)
    assert not any(p.endswith("trong đó:") for p in plain)


def test_validate_warns_when_a_position_names_its_unit(mini: Path) -> None:
    edit(
        mini / "data" / "people.yaml",
        "position: Phó Chủ tịch\n",
        "position: Phó Chủ tịch UBND phường\n",
    )
    line = next(
        i
        for i, text in enumerate(
            (mini / "data" / "people.yaml").read_text(encoding="utf-8").splitlines(), 1
        )
        if "Phó Chủ tịch UBND phường" in text
    )
    done = subprocess.run(
        [sys.executable, "-m", "docgen", "validate"],
        cwd=mini,
        capture_output=True,
        text=True,
        env={"DOCGEN_LANG": "vi", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        f"Cảnh báo: data/people.yaml:{line} [people[1].position]: chức vụ 'Phó Chủ tịch UBND "
        "phường' đã nêu tên đơn vị: văn bản sẽ ghi 'Phó Chủ tịch UBND phường UBND phường Sông "
        "Hiến'; chỉ ghi chức vụ, ví dụ 'Phó Chủ tịch'\n"
    )


def test_nominee_voted_down_stays_in_the_minutes_only(tmp_path: Path) -> None:
    """1 of 7 votes: check fails it, the Biên bản records it as '(không đề nghị)', the Tờ trình,
    Danh sách and Báo cáo leave it out, and the rest of the dossier is made without
    --allow-ineligible."""
    ws_dir = example(tmp_path)
    nominee = "- person: be-van-hung\n        award: giay_khen_tp\n        votes: "
    edit(ws_dir / "data" / "rounds" / "2022.yaml", nominee + "6", nominee + "1")
    ws = load_workspace(ws_dir / "config.yaml", ws_dir / "data")
    verdict = next(v for v in check_rounds(ws, ["2022"]) if v.nominee_id == "be-van-hung")
    assert not verdict.eligible and verdict.voted_down
    assert [r.text for r in verdict.reasons if not r.ok] == [
        "Số phiếu đồng ý 1/6 (16,67%) không quá 1/2 số thành viên có mặt"
    ]
    out = tmp_path / "out"
    render_dossiers(ws, TEMPLATES, out, round_ids=["2022"], unit_ids=["phuong-song-hien"])
    folder = out / "2022" / "phuong-song-hien"
    assert sorted(p.name for p in folder.iterdir()) == [
        "01-to-trinh.docx",
        "02-bien-ban-hop-xet.docx",
        "03-danh-sach.docx",
        "04-bao-cao-thanh-tich-01-tap-the-phuong-song-hien.docx",
        "04-bao-cao-thanh-tich-02-ca-nhan-dam-thi-huyen.docx",
        "04-bao-cao-thanh-tich-03-ca-nhan-hoang-thi-phuong.docx",
    ]
    row = "Bế Văn Hùng, Công chức Văn phòng - Thống kê UBND phường Sông Hiến"
    assert not any(row in p for p in shown(folder / "01-to-trinh.docx"))
    assert not any(
        "Bế Văn Hùng" in c for t in tables(folder / "03-danh-sach.docx") for r in t for c in r
    )
    minutes = folder / "02-bien-ban-hop-xet.docx"
    votes = next(t for t in tables(minutes) if t[0][0] == "TT")
    assert votes[2] == [
        "2",
        row + " (không đề nghị)",
        "Giấy khen của Chủ tịch UBND thành phố",
        "1/7",
        "14,29%",
    ]
    text = shown(minutes)
    assert any(
        p.endswith("báo cáo hồ sơ đề nghị khen thưởng của 01 tập thể và 03 cá nhân.") for p in text
    )
    assert any(
        "khen thưởng cho 01 tập thể và 02 cá nhân (có danh sách kèm theo)" in p for p in text
    )
