"""Quyết định khen thưởng: who is in it, the money, the words, the legal bases by date."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest

from docgen.errors import DocgenError
from docgen.main import load_workspace, render_decisions, render_dossiers
from docgen.workspace.model import DecisionInfo, Workspace

from .conftest import CONFIG, ROOT, TEMPLATES
from .docx_text import shown, shown_tables

#: Every amount the example data produces, with its words checked by hand (linh style).
WORDS = {
    "1.350.000": "Một triệu ba trăm năm mươi nghìn đồng",
    "1.490.000": "Một triệu bốn trăm chín mươi nghìn đồng",
    "1.800.000": "Một triệu tám trăm nghìn đồng",
    "2.830.000": "Hai triệu tám trăm ba mươi nghìn đồng",
    "3.290.000": "Ba triệu hai trăm chín mươi nghìn đồng",
    "5.400.000": "Năm triệu bốn trăm nghìn đồng",
    "5.650.000": "Năm triệu sáu trăm năm mươi nghìn đồng",
    "11.320.000": "Mười một triệu ba trăm hai mươi nghìn đồng",
}


@pytest.fixture(scope="module")
def example() -> Workspace:
    return load_workspace(CONFIG, ROOT / "data")


@pytest.fixture(scope="module")
def decisions(example: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("decisions")
    render_decisions(example, TEMPLATES, out)
    return out


def amount(text: str) -> int:
    return int(text.replace(".", ""))


def test_decision_files(decisions: Path) -> None:
    assert sorted(p.name for p in (decisions / "2022" / "quyet-dinh").iterdir()) == [
        "01-quyet-dinh-giay-khen-tp.docx",
        "02-danh-sach-kem-quyet-dinh-giay-khen-tp.docx",
        "03-to-trinh-de-nghi-bang-khen-tinh.docx",
        "04-danh-sach-kem-to-trinh-bang-khen-tinh.docx",
    ]
    assert sorted(p.name for p in (decisions / "2021-2025" / "quyet-dinh").iterdir()) == [
        "01-quyet-dinh-giay-khen-tp.docx",
        "02-danh-sach-kem-quyet-dinh-giay-khen-tp.docx",
    ]


def test_annual_decision_text(decisions: Path) -> None:
    lines = shown(decisions / "2022" / "quyet-dinh" / "01-quyet-dinh-giay-khen-tp.docx")
    assert "Số: 1205/QĐ-UBND" in lines
    assert "Thành phố Cao Bằng, ngày 12 tháng 4 năm 2023" in lines
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ CAO BẰNG" in lines
    bases = [x for x in lines if x.startswith(("Căn cứ", "Theo đề nghị"))]
    assert bases[0].startswith(
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"
    )
    assert bases[2].startswith("Căn cứ Nghị định số 91/2017/NĐ-CP")
    assert bases[-1] == (
        "Theo đề nghị của Trưởng phòng Nội vụ thành phố tại Tờ trình số 45/TTr-PNV "
        "ngày 05 tháng 4 năm 2023."
    )
    assert (
        "Điều 1. Tặng Giấy khen của Chủ tịch Ủy ban nhân dân thành phố cho 03 tập thể và 06 cá "
        "nhân (có danh sách kèm theo) đã có thành tích xuất sắc trong phong trào thi đua đẩy mạnh "
        "cải cách hành chính gắn với chuyển đổi số thành phố Cao Bằng năm 2022." in lines
    )
    assert (
        "Điều 2. Mỗi tập thể được tặng Giấy khen kèm theo tiền thưởng 900.000 đồng; mỗi cá "
        "nhân được tặng Giấy khen kèm theo tiền thưởng 450.000 đồng." in lines
    )
    assert "Tổng số tiền thưởng: 5.400.000 đồng (Bằng chữ: Năm triệu bốn trăm nghìn đồng)." in lines
    assert "Nguồn kinh phí: Quỹ Thi đua, khen thưởng thành phố năm 2023." in lines
    assert lines[-3:] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hoàng Văn Thạch"]
    assert "- Như Điều 3;" in lines


def test_decision_list_adds_up(decisions: Path) -> None:
    for rnd, total in (("2022", "5.400.000"), ("2021-2025", "11.320.000")):
        path = decisions / rnd / "quyet-dinh" / "02-danh-sach-kem-quyet-dinh-giay-khen-tp.docx"
        grand = 0
        for table in shown_tables(path)[1:]:
            rows = table[1:]
            body, last = rows[:-1], rows[-1]
            assert last[1] == "Cộng"
            assert sum(amount(r[-1]) for r in body) == amount(last[-1])
            grand += amount(last[-1])
        lines = shown(path)
        assert f"Tổng cộng: {total} đồng" in lines
        assert grand == amount(total)
        assert f"(Bằng chữ: {WORDS[total]})" in lines


def test_ineligible_nominees_are_left_out(decisions: Path) -> None:
    path = decisions / "2022" / "quyet-dinh" / "02-danh-sach-kem-quyet-dinh-giay-khen-tp.docx"
    names = [r[1] for t in shown_tables(path)[1:] for r in t[1:]]
    assert "Ủy ban nhân dân phường Hợp Giang" not in names  # 88,75% < 90%
    assert "Lương Thị Thúy" not in names  # rated HTNV
    assert "Phòng Tư pháp" not in names and "Đàm Văn Lợi" not in names  # late proposal
    assert "Hoàng Thị Phương" not in names  # Bằng khen: proposed to the province instead
    period = (
        decisions / "2021-2025" / "quyet-dinh" / "02-danh-sach-kem-quyet-dinh-giay-khen-tp.docx"
    )
    period_names = [r[1] for t in shown_tables(period)[1:] for r in t[1:]]
    assert "Ủy ban nhân dân phường Đề Thám" not in period_names  # 4th of 4, quota 3
    assert "Phòng Văn hóa và Thông tin" not in period_names  # 2024 missing


def test_period_decision_uses_base_salary_and_law_of_its_date(decisions: Path) -> None:
    lines = shown(decisions / "2021-2025" / "quyet-dinh" / "01-quyet-dinh-giay-khen-tp.docx")
    assert "Số:      /QĐ-UBND" in lines
    assert any(x.startswith("Căn cứ Nghị định số 98/2023/NĐ-CP") for x in lines)
    assert not any("91/2017/NĐ-CP" in x for x in lines)
    assert (
        "Điều 2. Mỗi tập thể được tặng Giấy khen kèm theo tiền thưởng 1.410.000 đồng; mỗi cá "
        "nhân được tặng Giấy khen kèm theo tiền thưởng 710.000 đồng." in lines
    )
    assert (
        "Tổng số tiền thưởng: 11.320.000 đồng (Bằng chữ: Mười một triệu ba trăm hai mươi "
        "nghìn đồng)." in lines
    )


def test_city_cannot_decide_after_june_2025(example: Workspace, tmp_path: Path) -> None:
    """District-level government ended on 01/7/2025: a city decision dated later is refused."""
    rnd = example.rounds["2021-2025"]
    late = dataclasses.replace(rnd, decision=DecisionInfo(date(2025, 6, 30), date(2025, 7, 2)))
    ws = dataclasses.replace(example, rounds={**example.rounds, "2021-2025": late})
    with pytest.raises(DocgenError) as err:
        render_decisions(ws, TEMPLATES, tmp_path, ["2021-2025"])
    assert str(err.value) == (
        "Quyết định ngày 02/7/2025: Ủy ban nhân dân thành phố Cao Bằng chỉ hoạt động đến hết "
        "ngày 30/6/2025 (authority.until trong config.yaml); văn bản ký sau ngày này thuộc cơ "
        "quan khác"
    )
    assert not list(tmp_path.iterdir())


def test_superior_proposal_for_the_province_award(decisions: Path) -> None:
    folder = decisions / "2022" / "quyet-dinh"
    lines = shown(folder / "03-to-trinh-de-nghi-bang-khen-tinh.docx")
    assert "Số: 128/TTr-UBND" in lines
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Cao Bằng." in lines
    assert "- Bà Hoàng Thị Phương, Phó Chủ tịch UBND phường Sông Hiến." in lines
    assert any(
        "1.490.000 đồng (Bằng chữ: Một triệu bốn trăm chín mươi nghìn đồng)" in x for x in lines
    )
    assert lines[-3:] == ["TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hoàng Văn Thạch"]
    listing = shown(folder / "04-danh-sach-kem-to-trinh-bang-khen-tinh.docx")
    assert "Tập thể, cá nhân đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in listing
    assert (
        "(Kèm theo Tờ trình số 128/TTr-UBND ngày 30/3/2023 của Ủy ban nhân dân thành phố "
        "Cao Bằng)" in listing
    )


def test_money_words_for_every_amount_in_the_example(
    example: Workspace, decisions: Path, tmp_path: Path
) -> None:
    render_dossiers(example, TEMPLATES, tmp_path, allow_ineligible=True)
    seen = {}
    for path in [*decisions.rglob("*.docx"), *tmp_path.rglob("*.docx")]:
        text = "\n".join(shown(path))
        for figures, words in re.findall(r"([\d.]+) đồng\s\(Bằng chữ: ([^)]*)\)", text):
            seen[figures] = words
        for figures, words in re.findall(r"Tổng cộng: ([\d.]+) đồng\n\(Bằng chữ: ([^)]*)\)", text):
            seen[figures] = words
    assert seen == WORDS


def test_round_without_decision_data(mini: Path, tmp_path: Path) -> None:
    ws = load_workspace(mini / "config.yaml", mini / "data")
    with pytest.raises(DocgenError, match="đợt 2022: chưa có khóa 'decision'"):
        render_decisions(ws, TEMPLATES, tmp_path / "out")
    assert not (tmp_path / "out").exists()
