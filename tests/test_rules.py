"""The plan's standards: boundaries, missing data, each rating level, quota ties, deadlines."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from docgen.main import load_workspace
from docgen.rules.money import base_salary_on, reward, round_money
from docgen.rules.standards import check_round
from docgen.workspace.config import RATING_NAMES
from docgen.workspace.model import Period, Proposal, Round, Workspace


@pytest.fixture
def ws(mini: Path) -> Workspace:
    return load_workspace(mini / "config.yaml", mini / "data")


def with_unit(ws: Workspace, unit_id: str, **changes: object) -> Workspace:
    units = dict(ws.units)
    units[unit_id] = dataclasses.replace(ws.units[unit_id], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(ws, units=units)


def with_person(ws: Workspace, person_id: str, **changes: object) -> Workspace:
    people = dict(ws.people)
    people[person_id] = dataclasses.replace(ws.people[person_id], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(ws, people=people)


def verdict_of(ws: Workspace, rnd: Round, nominee: str) -> tuple[bool, list[str]]:
    for v in check_round(ws, rnd):
        if v.nominee_id == nominee:
            return v.eligible, [("✓ " if r.ok else "✗ ") + r.text for r in v.reasons]
    raise AssertionError(nominee)


@pytest.mark.parametrize(
    ("score", "ok", "text"),
    [
        ("90.00", True, "✓ Chỉ số CCHC năm 2022: 90,00% ≥ 90%"),
        ("89.99", False, "✗ Chỉ số CCHC năm 2022: 89,99% < 90%"),
        ("91.25", True, "✓ Chỉ số CCHC năm 2022: 91,25% ≥ 90%"),
    ],
)
def test_annual_collective_threshold(ws: Workspace, score: str, ok: bool, text: str) -> None:
    ws = with_unit(ws, "phuong-song-hien", par_index={2022: Decimal(score)})
    eligible, reasons = verdict_of(ws, ws.rounds["2022"], "phuong-song-hien")
    assert eligible is ok
    assert reasons[0] == text


def test_missing_year_is_a_clear_failure(ws: Workspace) -> None:
    ws = with_unit(ws, "phuong-song-hien", par_index={2021: Decimal(95)})
    eligible, reasons = verdict_of(ws, ws.rounds["2022"], "phuong-song-hien")
    assert not eligible
    assert reasons[0] == "✗ Chỉ số CCHC năm 2022: chưa có số liệu"


@pytest.mark.parametrize(
    ("rating", "ok"), [("HTXSNV", True), ("HTTNV", True), ("HTNV", False), ("KHTNV", False)]
)
def test_each_rating_level(ws: Workspace, rating: str, ok: bool) -> None:
    ws = with_person(ws, "be-van-an", ratings={2022: rating})
    eligible, reasons = verdict_of(ws, ws.rounds["2022"], "be-van-an")
    assert eligible is ok
    assert reasons[0] == (
        f"{'✓' if ok else '✗'} Xếp loại năm 2022: {RATING_NAMES[rating]} "
        "(yêu cầu: Hoàn thành tốt nhiệm vụ trở lên)"
    )


def test_missing_rating_fails(ws: Workspace) -> None:
    ws = with_person(ws, "be-van-an", ratings={2021: "HTXSNV"})
    assert verdict_of(ws, ws.rounds["2022"], "be-van-an") == (
        False,
        [
            "✗ Xếp loại năm 2022: chưa có",
            "✓ Số phiếu đồng ý 2/3 (66,67%) quá 1/2 số thành viên có mặt",
            "✓ Tờ trình ngày 20/02/2023 trong hạn (phải trước ngày 15/3/2023)",
        ],
    )


@pytest.mark.parametrize(
    ("day", "ok"),
    [(date(2023, 3, 14), True), (date(2023, 3, 15), False), (date(2023, 3, 20), False)],
)
def test_annual_deadline(ws: Workspace, day: date, ok: bool) -> None:
    rnd = ws.rounds["2022"]
    sub = dataclasses.replace(rnd.submissions[0], proposal=Proposal(day, "05"))
    rnd = dataclasses.replace(rnd, submissions=[sub])
    eligible, reasons = verdict_of(ws, rnd, "phuong-song-hien")
    assert eligible is ok
    assert reasons[-1].startswith("✓" if ok else "✗")
    assert "(phải trước ngày 15/3/2023)" in reasons[-1]


def period_round(ws: Workspace, day: date = date(2025, 5, 10)) -> Round:
    rnd = ws.rounds["2022"]
    sub = dataclasses.replace(rnd.submissions[0], proposal=Proposal(day, "05"))
    return dataclasses.replace(
        rnd, id="2021-2025", kind="period", year=None, period=Period(2021, 2025), submissions=[sub]
    )


FULL = {
    y: Decimal(s) for y, s in zip(range(2021, 2026), ["90", "91", "92", "93", "94"], strict=True)
}


def whole_period(ws: Workspace) -> Workspace:
    """Count every year of the period, the dossier's own year included (config period_years)."""
    std = dataclasses.replace(ws.config.standards, period_years="whole_period")
    return dataclasses.replace(ws, config=dataclasses.replace(ws.config, standards=std))


def test_period_counts_the_years_before_the_dossier_by_default(ws: Workspace) -> None:
    """A 2025 dossier cannot know 2025's index: 2021-2024 count, a 2025 value is ignored."""
    ws1 = with_unit(ws, "phuong-song-hien", par_index={y: FULL[y] for y in range(2021, 2025)})
    eligible, reasons = verdict_of(ws1, period_round(ws1), "phuong-song-hien")
    assert eligible
    assert (
        reasons[0] == "✓ Trung bình Chỉ số CCHC 2021-2024: 91,5% ≥ 90% (90,00; 91,00; 92,00; 93,00)"
    )
    ratings = dict.fromkeys(range(2021, 2025), "HTTNV")
    ws2 = with_person(ws1, "be-van-an", ratings=ratings)
    eligible, reasons = verdict_of(ws2, period_round(ws2), "be-van-an")
    assert eligible
    assert [r.split(":")[0] for r in reasons[:4]] == [
        f"✓ Xếp loại năm {y}" for y in range(2021, 2025)
    ]


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (date(2025, 3, 31), False),
        (date(2025, 4, 1), True),
        (date(2025, 6, 30), True),
        (date(2025, 7, 1), False),
    ],
)
def test_period_deadline_is_quarter_two_of_last_year(ws: Workspace, day: date, ok: bool) -> None:
    ws = with_unit(ws, "phuong-song-hien", par_index=FULL)
    ws = with_person(ws, "be-van-an", ratings=dict.fromkeys(range(2021, 2026), "HTTNV"))
    eligible, reasons = verdict_of(ws, period_round(ws, day), "be-van-an")
    assert eligible is ok
    word = "trong" if ok else "ngoài"
    assert (
        reasons[-1] == f"{'✓' if ok else '✗'} Tờ trình ngày {day.day:02d}/{day.month}/2025 "
        f"{word} Quý II năm 2025"
    )


def test_period_average_and_missing_year(ws: Workspace) -> None:
    ws = whole_period(ws)
    ws1 = with_unit(ws, "phuong-song-hien", par_index=FULL)
    eligible, reasons = verdict_of(ws1, period_round(ws1), "phuong-song-hien")
    assert eligible
    assert reasons[0] == (
        "✓ Trung bình Chỉ số CCHC 2021-2025: 92% ≥ 90% (90,00; 91,00; 92,00; 93,00; 94,00)"
    )
    low = dict(FULL)
    low[2025] = Decimal("83.99")  # mean 89,998: below 90 even though it rounds to 90,00
    ws2 = with_unit(ws, "phuong-song-hien", par_index=low)
    eligible, reasons = verdict_of(ws2, period_round(ws2), "phuong-song-hien")
    assert not eligible
    assert reasons[0].startswith("✗ Trung bình Chỉ số CCHC 2021-2025: 89,998% < 90% (")
    gap = {y: s for y, s in FULL.items() if y != 2024}
    ws3 = with_unit(ws, "phuong-song-hien", par_index=gap)
    eligible, reasons = verdict_of(ws3, period_round(ws3), "phuong-song-hien")
    assert not eligible
    assert reasons[0] == (
        "✗ Chỉ số CCHC giai đoạn 2021-2025: thiếu số liệu năm 2024, không tính được trung bình"
    )


def test_every_year_of_the_period_counts_for_individuals(ws: Workspace) -> None:
    ratings = dict.fromkeys(range(2021, 2026), "HTTNV") | {2023: "HTNV"}
    ws = with_person(whole_period(ws), "be-van-an", ratings=ratings)
    ws = with_unit(ws, "phuong-song-hien", par_index=FULL)
    eligible, reasons = verdict_of(ws, period_round(ws), "be-van-an")
    assert not eligible
    assert [r[0] for r in reasons] == ["✓", "✓", "✗", "✓", "✓", "✓", "✓"]


def quota_ws(ws: Workspace, scores: dict[str, dict[int, Decimal]]) -> tuple[Workspace, Round]:
    """Wards with the given scores, each nominated for the period Giấy khen."""
    units = dict(ws.units)
    template = ws.units["phuong-song-hien"]
    for uid, par in scores.items():
        units[uid] = dataclasses.replace(template, id=uid, name=f"Phường {uid}", par_index=par)
    base = period_round(ws)
    sub = base.submissions[0]
    noms = [dataclasses.replace(sub.nominations[0], collective=uid) for uid in scores]
    rnd = dataclasses.replace(base, submissions=[dataclasses.replace(sub, nominations=noms)])
    return dataclasses.replace(ws, units=units), rnd


def test_quota_ranks_and_breaks_ties_by_latest_year(ws: Workspace) -> None:
    def flat(v: str, last: str | None = None) -> dict[int, Decimal]:
        d = dict.fromkeys(range(2021, 2026), Decimal(v))
        if last:  # same average, different latest year
            d[2025] = Decimal(last)
            d[2024] = Decimal(v) * 2 - Decimal(last)
        return d

    ws, rnd = quota_ws(
        whole_period(ws),
        {"a": flat("95"), "b": flat("94"), "c": flat("92", "93"), "d": flat("92", "91")},
    )
    verdicts = {v.nominee_id: v for v in check_round(ws, rnd)}
    assert [verdicts[x].eligible for x in "abcd"] == [True, True, True, False]
    assert verdicts["c"].reasons[-1].text == (
        "Xếp thứ 3/4 trong nhóm xã, phường theo trung bình Chỉ số CCHC; chỉ tiêu tối đa 03 tập "
        "thể (bằng điểm trung bình với Phường d; xếp theo Chỉ số CCHC năm gần nhất): trong chỉ tiêu"
    )
    assert verdicts["d"].reasons[-1].text.endswith("ngoài chỉ tiêu")


def test_quota_full_tie_at_the_limit_is_left_to_the_council(ws: Workspace) -> None:
    same = dict.fromkeys(range(2021, 2026), Decimal("92"))
    ws, rnd = quota_ws(
        ws,
        {
            "a": dict.fromkeys(range(2021, 2026), Decimal("95")),
            "b": dict.fromkeys(range(2021, 2026), Decimal("94")),
            "c": same,
            "d": dict(same),
        },
    )
    verdicts = {v.nominee_id: v for v in check_round(ws, rnd)}
    assert [verdicts[x].eligible for x in "abcd"] == [True, True, False, False]
    assert (
        verdicts["c"]
        .reasons[-1]
        .text.endswith(": đồng hạng với Phường d ở ngưỡng chỉ tiêu, Hội đồng cần chọn")
    )


@pytest.mark.parametrize(
    ("day", "amount"),
    [
        (date(2023, 6, 30), 1_490_000),
        (date(2023, 7, 1), 1_800_000),
        (date(2024, 6, 30), 1_800_000),
        (date(2024, 7, 1), 2_340_000),
        (date(2026, 7, 1), 2_530_000),
    ],
)
def test_base_salary_switches_on_its_date(ws: Workspace, day: date, amount: int) -> None:
    assert base_salary_on(ws.config, day).amount == amount


@pytest.mark.parametrize(
    ("mode", "value", "expected"),
    [
        ("ceil_10000", "447000", 450_000),
        ("ceil_10000", "1404000", 1_410_000),
        ("ceil_10000", "540000", 540_000),
        ("nearest_10000", "447000", 450_000),
        ("nearest_10000", "1404000", 1_400_000),
        ("nearest_10000", "223500", 220_000),
        ("none", "702000", 702_000),
    ],
)
def test_rounding_modes(mode: str, value: str, expected: int) -> None:
    assert round_money(Decimal(value), mode) == expected


def test_reward_amounts_from_the_domain_table(ws: Workspace) -> None:
    gk = ws.config.awards["giay_khen_tp"]
    bk = ws.config.awards["bang_khen_tinh"]
    table = {
        date(2023, 1, 1): (450_000, 900_000, 1_490_000, 2_980_000),
        date(2023, 12, 1): (540_000, 1_080_000, 1_800_000, 3_600_000),
        # NĐ 98/2023 from 01/01/2024: Bằng khen tỉnh 1,5 / 3,0
        date(2025, 1, 1): (710_000, 1_410_000, 3_510_000, 7_020_000),
        date(2026, 8, 1): (760_000, 1_520_000, 3_800_000, 7_590_000),
    }
    for day, expected in table.items():
        got = (
            reward(ws.config, gk, False, day).rounded,
            reward(ws.config, gk, True, day).rounded,
            reward(ws.config, bk, False, day).rounded,
            reward(ws.config, bk, True, day).rounded,
        )
        assert got == expected, day


def test_unknown_award_in_quota_setting_is_a_config_error(mini: Path) -> None:
    from docgen.errors import ValidationError

    from .test_validation import edit

    edit(mini / "config.yaml", "period_quota_award: giay_khen_tp", "period_quota_award: gk")
    with pytest.raises(ValidationError, match="không có hình thức khen thưởng 'gk'"):
        load_workspace(mini / "config.yaml", mini / "data")
