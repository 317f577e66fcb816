"""The law by date: coefficients, base salary and legal bases chosen for a decision's date.

The seven dates are the edges of the regimes in the domain notes (law-2025-2026.md): NĐ 91/2017
to 31/12/2023, NĐ 98/2023 from 01/01/2024, the local-government law 65/2025 from 01/3/2025,
two-tier government and NĐ 152/2025 from 01/7/2025, the base salary of 01/7/2026.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import pytest

from docgen import vnformat as vn
from docgen.documents.dossier import legal_bases, word_style
from docgen.documents.unverified import in_decisions, in_dossiers
from docgen.main import load_workspace
from docgen.rules.money import reward
from docgen.workspace.config import Config, fill_council, load_config

from .conftest import CONFIG, ROOT
from .test_validation import edit, problems

CITY = load_config(CONFIG)
WARD = load_config(Path(str(files("docgen") / "skeleton" / "config.yaml")))

LGL_2015 = "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"
LGL_65 = "Luật Tổ chức chính quyền địa phương số 65/2025/QH15"
LGL_72 = "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"
TDKT_2022 = "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"

#: date → (config, Giấy khen id, base salary, Giấy khen cá nhân / tập thể, Bằng khen tỉnh
#: cá nhân / tập thể, the first words of each legal basis in the order cited)
CASES = {
    date(2023, 12, 31): (
        CITY, "giay_khen_tp", 1_800_000, (540_000, 1_080_000), (1_800_000, 3_600_000),
        [LGL_2015, "Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003",
         "Nghị định số 91/2017/NĐ-CP", "Thông tư số 12/2019/TT-BNV"],
    ),
    date(2024, 1, 1): (
        CITY, "giay_khen_tp", 1_800_000, (540_000, 1_080_000), (2_700_000, 5_400_000),
        [LGL_2015, "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
         "Nghị định số 98/2023/NĐ-CP", "Thông tư số 01/2024/TT-BNV"],
    ),
    date(2025, 2, 28): (
        CITY, "giay_khen_tp", 2_340_000, (710_000, 1_410_000), (3_510_000, 7_020_000),
        [LGL_2015, "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
         "Nghị định số 98/2023/NĐ-CP", "Thông tư số 01/2024/TT-BNV"],
    ),
    date(2025, 3, 1): (
        CITY, "giay_khen_tp", 2_340_000, (710_000, 1_410_000), (3_510_000, 7_020_000),
        [LGL_65, "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
         "Nghị định số 98/2023/NĐ-CP", "Thông tư số 01/2024/TT-BNV"],
    ),
    date(2025, 6, 30): (
        CITY, "giay_khen_tp", 2_340_000, (710_000, 1_410_000), (3_510_000, 7_020_000),
        [LGL_65, "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
         "Nghị định số 98/2023/NĐ-CP", "Thông tư số 01/2024/TT-BNV"],
    ),
    date(2025, 7, 1): (
        WARD, "giay_khen_phuong", 2_340_000, (710_000, 1_410_000), (3_510_000, 7_020_000),
        [LGL_72, "Nghị định số 129/2025/NĐ-CP", TDKT_2022,
         "Nghị định số 152/2025/NĐ-CP", "Thông tư số 15/2025/TT-BNV"],
    ),
    date(2026, 7, 1): (
        WARD, "giay_khen_phuong", 2_530_000, (760_000, 1_520_000), (3_800_000, 7_590_000),
        [LGL_72, "Nghị định số 129/2025/NĐ-CP", TDKT_2022,
         "Nghị định số 152/2025/NĐ-CP", "Thông tư số 15/2025/TT-BNV"],
    ),
}  # fmt: skip

#: Every amount above in words, written out by hand (northern style: "nghìn", "linh").
WORDS = {
    540_000: "Năm trăm bốn mươi nghìn đồng",
    1_080_000: "Một triệu không trăm tám mươi nghìn đồng",
    1_800_000: "Một triệu tám trăm nghìn đồng",
    3_600_000: "Ba triệu sáu trăm nghìn đồng",
    2_700_000: "Hai triệu bảy trăm nghìn đồng",
    5_400_000: "Năm triệu bốn trăm nghìn đồng",
    710_000: "Bảy trăm mười nghìn đồng",
    1_410_000: "Một triệu bốn trăm mười nghìn đồng",
    3_510_000: "Ba triệu năm trăm mười nghìn đồng",
    7_020_000: "Bảy triệu không trăm hai mươi nghìn đồng",
    760_000: "Bảy trăm sáu mươi nghìn đồng",
    1_520_000: "Một triệu năm trăm hai mươi nghìn đồng",
    3_800_000: "Ba triệu tám trăm nghìn đồng",
    7_590_000: "Bảy triệu năm trăm chín mươi nghìn đồng",
}


def amounts(config: Config, award_id: str, day: date) -> tuple[int, int]:
    award = config.awards[award_id]
    return (
        reward(config, award, False, day).rounded,
        reward(config, award, True, day).rounded,
    )


@pytest.mark.parametrize("day", list(CASES), ids=lambda d: f"{d:%d-%m-%Y}")
def test_money_and_bases_of_the_date(day: date) -> None:
    config, gk, salary, gk_money, bk_money, bases = CASES[day]
    assert reward(config, config.awards[gk], False, day).base_salary == salary
    assert amounts(config, gk, day) == gk_money
    assert amounts(config, "bang_khen_tinh", day) == bk_money
    for money in (*gk_money, *bk_money):
        assert vn.money_in_words(money, word_style(config)) == WORDS[money]
    assert config.decisions is not None
    cited = legal_bases(config, day, config.decisions.bases)
    assert len(cited) == len(bases), cited
    for text, start in zip(cited, bases, strict=True):
        assert text.startswith(start), (text, start)


def test_commune_giay_khen_doubled_from_nd_98() -> None:
    """Giấy khen cấp xã: 0,15 / 0,3 under NĐ 91, 0,3 / 0,6 after (at 1.800.000 đồng)."""
    assert amounts(WARD, "giay_khen_phuong", date(2023, 12, 31)) == (270_000, 540_000)
    assert amounts(WARD, "giay_khen_phuong", date(2024, 1, 1)) == (540_000, 1_080_000)


def test_a_decision_of_june_2025_cites_no_ended_law() -> None:
    assert CITY.decisions is not None
    cited = legal_bases(CITY, date(2025, 6, 25), CITY.decisions.bases)
    assert not any(LGL_2015 in t or "91/2017" in t or "12/2019" in t for t in cited)


def test_unverified_values_are_named_once() -> None:
    ws = load_workspace(CONFIG, ROOT / "data")
    subs = [s for r in ws.rounds.values() for s in r.submissions]
    dossier = in_dossiers(ws, subs + subs)
    assert dossier == [
        "hệ số Giấy khen của Chủ tịch Ủy ban nhân dân thành phố 0,3 (cá nhân) / 0,6 (tập thể) "
        "từ ngày 01/01/2024 (Nghị định số 98/2023/NĐ-CP)",
        "căn cứ \u201cThông tư số 01/2024/TT-BNV của Bộ trưởng Bộ Nội vụ quy định chi tiết thi "
        "hành một số điều của Luật Thi đua, khen thưởng\u201d",
        "mẫu Báo cáo thành tích \u201cMẫu số 07 - Nghị định số 98/2023/NĐ-CP\u201d",
    ]
    assert in_dossiers(ws, ws.rounds["2022"].submissions) == []
    decided = in_decisions(ws, list(ws.rounds.values()))
    assert "căn cứ \u201cLuật Tổ chức chính quyền địa phương số 65/2025/QH15\u201d" in decided
    assert len(decided) == len(set(decided)) == 3


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("annual_deadline_day: 15", "annual_deadline_day: 31\n  annual_deadline_month: 2\n#",
         "[standards.annual_deadline_day]: không có ngày 31/2 (tháng 2 có 28 ngày)"),
        ("annual_deadline_month: 3", "annual_deadline_month: 13",
         "[standards.annual_deadline_month]: tháng phải từ 1 đến 12, nhận được 13"),
        ("period_quarter: 2", "period_quarter: 5",
         "[standards.period_quarter]: quý phải từ 1 đến 4, nhận được 5"),
        ("{since: 2023-07-01, amount: 1800000", "{since: 2019-07-01, amount: 18000000",
         "[base_salary[3].since]: hai mức lương cơ sở cùng có hiệu lực từ ngày 01/7/2019"),
        ("    since: 2017-10-01\n    until: 2023-12-31",
         "    since: 2024-10-01\n    until: 2023-12-31",
         "[legal_bases[1].until]: ngày kết thúc 31/12/2023 trước ngày bắt đầu 01/10/2024"),
        ("    label: phường\n",
         "    label: phường\n    council: \"HĐ {name.__class__.__mro__} {nam}\"\n",
         "[unit_kinds.ward.council]: trường không hợp lệ {name.__class__.__mro__}, {nam}; "
         "chỉ được dùng {name}"),
    ],
)  # fmt: skip
def test_config_values_that_break_later_commands(
    mini: Path, old: str, new: str, expected: str
) -> None:
    edit(mini / "config.yaml", old, new)
    found = problems(mini)
    assert any(p.endswith(expected) for p in found), found


def test_empty_legal_bases_refused(mini: Path) -> None:
    text = (mini / "config.yaml").read_text(encoding="utf-8")
    start = text.index("legal_bases:\n")
    end = text.index("# Mặc định theo loại đơn vị.")
    (mini / "config.yaml").write_text(
        text[:start] + "legal_bases: []\n\n" + text[end:], encoding="utf-8"
    )
    assert any(p.endswith("[legal_bases]: cần ít nhất một căn cứ pháp lý") for p in problems(mini))


def test_council_text_takes_known_fields_only() -> None:
    assert fill_council("Hội đồng Thi đua - Khen thưởng {name}", "phường A") == (
        "Hội đồng Thi đua - Khen thưởng phường A"
    )
    assert fill_council("{name.__class__}", "x") == "{name.__class__}"


def test_votes_below_threshold_fail_check_and_leave_the_decision(
    mini: Path, tmp_path: Path
) -> None:
    """1 of 3 present is not more than half: the nominee fails check with that reason."""
    from docgen.main import check_rounds


    edit(mini / "data" / "rounds" / "2022.yaml", "votes: 2", "votes: 1")
    ws = load_workspace(mini / "config.yaml", mini / "data")
    person = next(v for v in check_rounds(ws, ["2022"]) if v.nominee_id == "be-van-an")
    assert not person.eligible
    failed = [r.text for r in person.reasons if not r.ok]
    assert failed == ["Số phiếu đồng ý 1/3 (33,33%) không quá 1/2 số thành viên có mặt"]


def test_example_nominee_voted_down_is_left_out_of_the_decision(tmp_path: Path) -> None:
    """On the bundled example: 1 of 6 votes fails check; the decision and its list omit him."""
    import shutil

    from docgen.main import check_rounds, render_decisions

    from .conftest import TEMPLATES
    from .docx_text import text

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    nominee = "- person: be-van-hung\n        award: giay_khen_tp\n        votes: "
    edit(data / "rounds" / "2022.yaml", nominee + "6", nominee + "1")
    ws = load_workspace(CONFIG, data)
    verdict = next(v for v in check_rounds(ws, ["2022"]) if v.nominee_id == "be-van-hung")
    assert [r.text for r in verdict.reasons if not r.ok] == [
        "Số phiếu đồng ý 1/6 (16,67%) không quá 1/2 số thành viên có mặt"
    ]
    render_decisions(ws, TEMPLATES, tmp_path / "out", ["2022"])
    folder = tmp_path / "out" / "2022" / "quyet-dinh"
    assert "Bế Văn Hùng" not in text(folder / "02-danh-sach-kem-quyet-dinh-giay-khen-tp.docx")
    assert "05 cá nhân" in text(folder / "01-quyet-dinh-giay-khen-tp.docx")


def test_voting_rules_per_award_and_quorum() -> None:
    from docgen.rules.standards import quorum_reason, vote_reason
    from docgen.workspace.config import Voting

    strict = Voting(approval=Decimal("0.8"), at_least=True, of="all")
    assert vote_reason(strict, 7, 8, 9).text == (
        "Số phiếu đồng ý 7/9 (77,78%) chưa đạt 80% tổng số thành viên"
    )
    assert vote_reason(strict, 8, 8, 10).ok
    assert vote_reason(Voting(), 2, 4, 5).text == (
        "Số phiếu đồng ý 2/4 (50%) không quá 1/2 số thành viên có mặt"
    )
    assert quorum_reason(Voting(), 3, 6) is None
    reason = quorum_reason(Voting(), 2, 6)
    assert reason is not None and reason.text == (
        "Cuộc họp có mặt 2/6 thành viên, chưa đủ số lượng tối thiểu 1/2 tổng số thành viên "
        "để biểu quyết"
    )
