"""Excel in and out: a workbook gives the same workspace and dossiers as the YAML files, every
problem is located at its cell, and the printed lists are formatted for A4."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from docgen.documents.dossier import DossierBuilder
from docgen.errors import OutputError, ValidationError
from docgen.main import check_rounds, load_workspace, render_dossiers
from docgen.render.sheets import NUMBER_FORMAT, write_check_report, write_nominee_list
from docgen.workspace.model import Workspace
from docgen.workspace.workbook_export import EXAMPLE_WORKBOOK, build_workbook, export_workbook

from .conftest import CONFIG, FIXTURES, ROOT, TEMPLATES
from .docx_text import paragraphs
from .test_validation import line_of

CALC = FIXTURES / "xlsx" / "calc"
BOOK = "data/du-lieu.xlsx"


def strip_nominations(text: str) -> str:
    """A round file without its submissions' `nominations:` blocks (they go to the workbook)."""
    out: list[str] = []
    skip: int | None = None
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip())
        if skip is not None:
            if not line.strip() or indent > skip:
                continue
            skip = None
        match = re.match(r"^(\s*)nominations:\s*$", line)
        if match:
            skip = len(match[1])
            continue
        out.append(line)
    return "\n".join(out)


def workbook_folder(ws: Workspace, yaml_data: Path, dest: Path) -> Path:
    """dest/config.yaml and dest/data/: the workspace exported to du-lieu.xlsx, plus the
    rounds of `yaml_data` without their nominations."""
    (dest / "data" / "rounds").mkdir(parents=True)
    shutil.copy(CONFIG, dest / "config.yaml")
    export_workbook(ws, dest / "data" / "du-lieu.xlsx")
    for path in sorted((yaml_data / "rounds").glob("*.yaml")):
        text = strip_nominations(path.read_text(encoding="utf-8"))
        (dest / "data" / "rounds" / path.name).write_text(text, encoding="utf-8")
    return dest


def assert_same_workspace(a: Workspace, b: Workspace) -> None:
    assert list(a.units) == list(b.units)
    assert a.units == b.units
    assert list(a.people) == list(b.people)
    assert a.people == b.people
    assert a.rounds == b.rounds


def dossier_texts(ws: Workspace, out: Path) -> dict[str, list[str]]:
    render_dossiers(ws, TEMPLATES, out, allow_ineligible=True)
    return {str(p.relative_to(out)): paragraphs(p) for p in sorted(out.rglob("*.docx"))}


# ---------------------------------------------------------------------------------------------
# Round trip and the example workbook


@pytest.fixture(scope="module")
def example() -> Workspace:
    return load_workspace(CONFIG, ROOT / "data")


def test_example_round_trip_loses_nothing(example: Workspace, tmp_path: Path) -> None:
    folder = workbook_folder(example, ROOT / "data", tmp_path / "ws")
    back = load_workspace(folder / "config.yaml", folder / "data")
    assert_same_workspace(example, back)
    assert back.files == {"units": folder / BOOK, "people": folder / BOOK}
    assert sum(len(s.nominations) for r in back.rounds.values() for s in r.submissions) == 28
    assert dossier_texts(example, tmp_path / "yaml") == dossier_texts(back, tmp_path / "xlsx")


def cells(path: Path) -> dict[str, list[list[tuple[Any, str]]]]:
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
        for ws in wb.worksheets
    }


def test_committed_example_workbook_is_a_fresh_export(example: Workspace, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.xlsx"
    export_workbook(example, fresh)
    assert cells(ROOT / EXAMPLE_WORKBOOK) == cells(fresh), (
        "data/du-lieu-mau.xlsx is stale: run `python -m docgen.workspace.workbook_export`"
    )


def test_export_is_reproducible(example: Workspace, tmp_path: Path) -> None:
    export_workbook(example, tmp_path / "a.xlsx")
    export_workbook(example, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_exported_sheets_are_formatted_for_use(example: Workspace) -> None:
    wb = build_workbook(example)
    assert wb.sheetnames == [
        "Đơn vị",
        "Chỉ số CCHC",
        "Thành tích đơn vị",
        "Cá nhân",
        "Xếp loại",
        "Đề nghị",
        "Hướng dẫn",
    ]
    units: Worksheet = wb["Đơn vị"]
    assert [c.value for c in units[1]] == [
        "Mã",
        "Tên đơn vị",
        "Loại",
        "Ký hiệu",
        "Thủ trưởng",
        "Chức vụ thủ trưởng",
        "Địa danh",
        "Hội đồng",
        "Các dòng tiêu đề",
        "Người ký",
        "Chức vụ người ký",
        "Quyền hạn ký",
    ]
    assert all(c.font.bold for c in units[1])
    assert units.freeze_panes == "B2"
    assert units.column_dimensions["B"].width == 40
    assert units.print_title_rows == "$1:$1"
    song_hien = next(r for r in units.iter_rows(min_row=2) if r[0].value == "phuong-song-hien")
    assert song_hien[8].value == "ỦY BAN NHÂN DÂN\nPHƯỜNG SÔNG HIẾN"
    assert song_hien[8].alignment.wrap_text
    scores: Worksheet = wb["Chỉ số CCHC"]
    assert [c.value for c in scores[1]] == ["Mã đơn vị", 2021, 2022, 2023, 2024]
    assert [(c.value, c.number_format) for c in scores[2]] == [
        ("van-phong-hdnd-ubnd", "General"),
        *[(v, NUMBER_FORMAT) for v in (91.25, 92.1, 92.84, 93.05)],
    ]
    culture = next(
        r for r in scores.iter_rows(min_row=2) if r[0].value == "phong-van-hoa-thong-tin"
    )
    assert [c.value for c in culture] == ["phong-van-hoa-thong-tin", 92.3, 93.05, 93.62, None]
    ratings: Worksheet = wb["Xếp loại"]
    assert [c.value for c in ratings[2]] == [
        "hoang-thi-phuong",
        "HTXSNV",
        "HTXSNV",
        "HTTNV",
        "HTXSNV",
    ]
    nominations: Worksheet = wb["Đề nghị"]
    first = [c.value for c in nominations[2]]
    assert first[:6] == [
        "2021-2025",
        "phuong-song-bang",
        "phuong-song-bang",
        None,
        "giay_khen_tp",
        7,
    ]
    assert str(first[6]).count("\n") == 2  # three paragraphs, one per line
    assert nominations.row_dimensions[2].height is not None  # grown for the wrapped text


def test_vietnamese_number_format_is_what_libreoffice_writes_itself() -> None:
    """Calc saves a number typed in a Vietnamese locale with the same format code."""
    styles = zipfile.ZipFile(CALC / "du-lieu.xlsx").read("xl/styles.xml").decode()
    assert f'formatCode="{NUMBER_FORMAT}"' in styles


def calc_available() -> bool:
    if shutil.which("soffice") is None:
        return False
    return any(
        Path(p).exists()
        for p in ("/usr/lib/libreoffice/program/libsclo.so", "/opt/libreoffice/program")
    )


@pytest.mark.skipif(not calc_available(), reason="LibreOffice Calc not installed")
def test_libreoffice_shows_scores_the_vietnamese_way(example: Workspace, tmp_path: Path) -> None:
    book = tmp_path / "du-lieu.xlsx"
    export_workbook(example, book)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "html",
            "--outdir",
            str(tmp_path),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=dict(os.environ, HOME=str(tmp_path), LANG="en_US.UTF-8"),
    )
    html = (tmp_path / "du-lieu.html").read_text(encoding="utf-8", errors="replace")
    shown = [re.sub("<[^>]+>", "", m) for m in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]
    assert "91,25" in shown and "92,10" in shown and "92.10" not in shown


def test_round_trip_of_every_field(mini: Path, tmp_path: Path) -> None:
    """Fields the example leaves empty survive too: a signer, header lines, an exact score,
    a number-like symbol, a text that looks like a formula."""
    import dataclasses

    from docgen.workspace.config import Signer

    ws = load_workspace(mini / "config.yaml", mini / "data")
    unit = dataclasses.replace(
        ws.units["phong-noi-vu"],
        symbol="05",
        header=["PHÒNG NỘI VỤ", "THÀNH PHỐ"],
        signer=Signer(title="PHÓ TRƯỞNG PHÒNG", name="Lê Văn Ký", authority="KT. TRƯỞNG PHÒNG"),
        par_index={2021: Decimal("91.125"), 2022: Decimal("92.12345678901234567")},
        achievements={2022: ["=Một ý bắt đầu bằng dấu bằng.", "Ý & <hai>."]},
    )
    person = dataclasses.replace(ws.people["be-van-an"], ethnicity="Nùng", ratings={})
    changed = dataclasses.replace(
        ws,
        units={**ws.units, unit.id: unit},
        people={**ws.people, person.id: person},
    )
    folder = workbook_folder(changed, mini / "data", tmp_path / "book")
    back = load_workspace(folder / "config.yaml", folder / "data")
    assert_same_workspace(changed, back)
    scores = openpyxl.load_workbook(folder / BOOK)["Chỉ số CCHC"]
    assert (scores["B2"].value, scores["B2"].number_format) == (91.125, NUMBER_FORMAT + "0")
    assert scores["C2"].value == "92,12345678901234567"  # a float would lose digits


def test_export_without_nominations(example: Workspace) -> None:
    wb = build_workbook(example, nominations=False)
    assert "Đề nghị" not in wb.sheetnames


def test_paragraph_with_a_line_break_is_refused(example: Workspace, tmp_path: Path) -> None:
    import dataclasses

    unit = example.units["phong-noi-vu"]
    broken = dataclasses.replace(unit, achievements={2022: ["một\nhai"]})
    ws = dataclasses.replace(example, units={**example.units, "phong-noi-vu": broken})
    with pytest.raises(OutputError, match="đơn vị 'phong-noi-vu', thành tích năm 2022"):
        export_workbook(ws, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


# ---------------------------------------------------------------------------------------------
# A workbook filled by hand in LibreOffice Calc


def test_calc_fixture_was_written_by_libreoffice() -> None:
    app = zipfile.ZipFile(CALC / "du-lieu.xlsx").read("docProps/app.xml").decode()
    assert "LibreOffice" in app


def test_calc_workbook_gives_the_same_dossiers_as_yaml(mini: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(CALC, data, ignore=shutil.ignore_patterns("*.fods", "*.md"))
    from_calc = load_workspace(mini / "config.yaml", data)
    from_yaml = load_workspace(mini / "config.yaml", mini / "data")
    assert_same_workspace(from_yaml, from_calc)
    # typed as 91,50% in a percentage cell, as text "95", as numbers
    assert from_calc.units["phong-noi-vu"].par_index == {
        2021: Decimal("91.5"),
        2022: Decimal("92.1"),
    }
    assert from_calc.units["phuong-song-hien"].par_index[2022] == Decimal(95)
    assert from_calc.people["be-van-an"].name == "Bế Văn An"  # trailing space typed
    assert dossier_texts(from_yaml, tmp_path / "yaml") == dossier_texts(
        from_calc, tmp_path / "calc"
    )


# ---------------------------------------------------------------------------------------------
# Problems, located at their cells


@pytest.fixture
def book_ws(mini: Path) -> Path:
    """The mini workspace with units, people and nominations in data/du-lieu.xlsx."""
    ws = load_workspace(mini / "config.yaml", mini / "data")
    data = mini / "data"
    export_workbook(ws, data / "du-lieu.xlsx")
    (data / "units.yaml").unlink()
    (data / "people.yaml").unlink()
    round_file = data / "rounds" / "2022.yaml"
    round_file.write_text(strip_nominations(round_file.read_text(encoding="utf-8")), "utf-8")
    return mini


def edit_book(ws_dir: Path, change: Callable[[openpyxl.Workbook], None]) -> None:
    path = ws_dir / "data" / "du-lieu.xlsx"
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def set_cell(sheet: str, ref: str, value: Any) -> Callable[[openpyxl.Workbook], None]:
    def change(wb: openpyxl.Workbook) -> None:
        wb[sheet][ref].value = value

    return change


def problems(ws_dir: Path) -> list[str]:
    with pytest.raises(ValidationError) as info:
        load_workspace(ws_dir / "config.yaml", ws_dir / "data")
    out = []
    for p in info.value.problems:
        text = str(p)
        out.append(text[text.index("data/") :] if "data/" in text else text)
    return out


def test_workbook_of_the_mini_fixture_is_valid(book_ws: Path, mini: Path) -> None:
    ws = load_workspace(book_ws / "config.yaml", book_ws / "data")
    assert ws.units["phuong-song-hien"].par_index[2021] == Decimal("90.5")
    assert ws.rounds["2022"].submissions[0].nominations[1].initiatives == [
        "Sáng kiến 'Tra cứu hộ tịch nhanh' được công nhận."
    ]


def test_misspelt_header_is_reported_with_a_suggestion(book_ws: Path) -> None:
    edit_book(book_ws, set_cell("Đơn vị", "D1", "Ký hiu"))
    assert problems(book_ws) == [
        f"{BOOK} [Đơn vị!D1]: cột 'Ký hiu' không được hỗ trợ ở trang này "
        "(có phải ý bạn là 'Ký hiệu'?)"
    ]


def test_missing_required_column(book_ws: Path) -> None:
    edit_book(book_ws, set_cell("Cá nhân", "C1", None))
    assert problems(book_ws) == [  # and the sheet's rows are not read: one problem, not 2×2
        f"{BOOK} [Cá nhân!1:1]: thiếu cột bắt buộc 'Giới tính' (giới tính) (dòng đầu tiên của "
        "trang là dòng tiêu đề cột)",
    ]


def test_text_in_a_number_column(book_ws: Path) -> None:
    edit_book(book_ws, set_cell("Chỉ số CCHC", "C3", "chín lăm"))
    edit_book(book_ws, set_cell("Cá nhân", "D2", "1985a"))
    assert problems(book_ws) == [
        f"{BOOK} [Chỉ số CCHC!C3] [units[1].par_index[2022]]: cần số, nhận được 'chín lăm'",
        f"{BOOK} [Cá nhân!D2] [people[0].birth_year]: cần số nguyên, nhận được '1985a'",
    ]


def test_numbers_typed_as_text_are_numbers(book_ws: Path) -> None:
    edit_book(book_ws, set_cell("Chỉ số CCHC", "B2", "91,25"))
    edit_book(book_ws, set_cell("Chỉ số CCHC", "C2", " 92.5 "))
    edit_book(book_ws, set_cell("Cá nhân", "D2", "1985"))
    edit_book(book_ws, set_cell("Đề nghị", "F2", 3.0))

    def headers_as_text(wb: openpyxl.Workbook) -> None:
        wb["Chỉ số CCHC"]["B1"].value = "2021"
        wb["Chỉ số CCHC"]["C1"].value = "Năm 2022"

    edit_book(book_ws, headers_as_text)
    ws = load_workspace(book_ws / "config.yaml", book_ws / "data")
    assert ws.units["phong-noi-vu"].par_index == {2021: Decimal("91.25"), 2022: Decimal("92.5")}
    assert ws.people["nong-thi-hoa"].birth_year == 1985
    assert ws.rounds["2022"].submissions[0].nominations[0].votes == 3


def test_invalid_choice_and_unknown_references(book_ws: Path) -> None:
    edit_book(book_ws, set_cell("Đơn vị", "C3", "phuong"))
    edit_book(book_ws, set_cell("Cá nhân", "G2", "phong-noi-vuu"))
    edit_book(book_ws, set_cell("Đề nghị", "D3", "be-van-ann"))
    assert problems(book_ws) == [
        f"{BOOK} [Đơn vị!C3] [units[1].kind]: giá trị 'phuong' không hợp lệ; cần một trong: "
        "office, commune, ward, public_service",
        f"{BOOK} [Cá nhân!G2] [people[0].unit]: không có đơn vị mã 'phong-noi-vuu' "
        "(có phải ý bạn là 'phong-noi-vu'?)",
        f"{BOOK} [Đề nghị!D3] [rounds[2022].submissions[0].nominations[1].person]: không có "
        "cá nhân mã 'be-van-ann' (có phải ý bạn là 'be-van-an'?)",
    ]


def test_empty_required_cell_names_the_column(book_ws: Path) -> None:
    edit_book(book_ws, set_cell("Đơn vị", "D2", None))
    edit_book(book_ws, set_cell("Đề nghị", "E2", "  "))
    assert problems(book_ws) == [
        f"{BOOK} [Đơn vị!D2] [units[0].symbol]: thiếu giá trị ở cột 'Ký hiệu' (chữ viết tắt "
        "trong số ký hiệu văn bản: 'UBND', 'PTP')",
        f"{BOOK} [Đề nghị!E2] [rounds[2022].submissions[0].nominations[0].award]: thiếu giá trị "
        "ở cột 'Hình thức' (mã hình thức khen thưởng trong config.yaml)",
    ]


def test_collective_and_person_on_one_row(book_ws: Path) -> None:
    edit_book(book_ws, set_cell("Đề nghị", "D2", "be-van-an"))
    assert problems(book_ws) == [
        f"{BOOK} [Đề nghị!A2] [rounds[2022].submissions[0].nominations[0]]: mỗi đề nghị cần "
        "đúng một trong hai cột 'Tập thể' (tập thể) hoặc 'Cá nhân' (cá nhân)"
    ]


def test_duplicate_id_names_the_first_row(book_ws: Path) -> None:
    edit_book(book_ws, set_cell("Cá nhân", "A3", "nong-thi-hoa"))
    assert problems(book_ws) == [
        f"{BOOK} [Xếp loại!A3]: không có mã 'be-van-an' trong trang 'Cá nhân'",
        f"{BOOK} [Cá nhân!A3] [people[1].id]: mã cá nhân 'nong-thi-hoa' bị trùng (đã có ở dòng 2)",
        f"{BOOK} [Đề nghị!D3] [rounds[2022].submissions[0].nominations[1].person]: không có "
        "cá nhân mã 'be-van-an'",
    ]


def test_line_break_in_a_single_line_cell(book_ws: Path) -> None:
    edit_book(book_ws, set_cell("Đơn vị", "B2", "Phòng\nNội vụ"))
    assert problems(book_ws) == [
        f"{BOOK} [Đơn vị!B2] [units[0].name]: giá trị phải viết trên một dòng (xuống dòng ở vị "
        "trí 6) (xóa chỗ xuống dòng trong ô (Alt+Enter trong Excel, Ctrl+Enter trong "
        "LibreOffice))"
    ]


def test_control_character_from_excel(book_ws: Path) -> None:
    edit_book(book_ws, set_cell("Đơn vị", "B2", "Phòng_x000B_Nội vụ"))
    edit_book(book_ws, set_cell("Đề nghị", "G3", "Dòng một\nDòng_x0007_ hai"))
    assert problems(book_ws) == [
        f"{BOOK} [Đơn vị!B2] [units[0].name]: ký tự điều khiển U+000B ở vị trí 6 không được "
        "phép trong văn bản Word (thường do sao chép từ nơi khác vào ô; hãy xóa ký tự này)",
        f"{BOOK} [Đề nghị!G3] [rounds[2022].submissions[0].nominations[1].achievements[1]]: "
        "ký tự điều khiển U+0007 ở vị trí 5 không được phép trong văn bản Word (thường do sao "
        "chép từ nơi khác vào ô; hãy xóa ký tự này)",
    ]


def test_empty_rows_are_skipped(book_ws: Path) -> None:
    def insert_blank_rows(wb: openpyxl.Workbook) -> None:
        for name in ("Đơn vị", "Cá nhân", "Đề nghị", "Chỉ số CCHC"):
            wb[name].insert_rows(2, 2)

    edit_book(book_ws, insert_blank_rows)
    ws = load_workspace(book_ws / "config.yaml", book_ws / "data")
    assert list(ws.units) == ["phong-noi-vu", "phuong-song-hien"]
    edit_book(book_ws, set_cell("Đơn vị", "C5", "phuong"))
    assert problems(book_ws)[0].startswith(f"{BOOK} [Đơn vị!C5] [units[1].kind]: ")


def test_unknown_sheet_and_scores_of_an_unknown_unit(book_ws: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Xếp loại"].title = "Xep loai"
        wb["Chỉ số CCHC"]["A3"].value = "phuong-song-hienn"

    edit_book(book_ws, change)
    assert problems(book_ws) == [
        f"{BOOK}: trang 'Xep loai' không được hỗ trợ (có phải ý bạn là 'Xếp loại'?)",
        f"{BOOK} [Chỉ số CCHC!A3]: không có mã 'phuong-song-hienn' trong trang 'Đơn vị' "
        "(có phải ý bạn là 'phuong-song-hien'?)",
    ]


def test_nominations_of_an_unknown_round_or_submission(book_ws: Path) -> None:
    edit_book(book_ws, set_cell("Đề nghị", "A2", "2023"))
    edit_book(book_ws, set_cell("Đề nghị", "B3", "phong-noi-vu"))
    assert problems(book_ws) == [
        "data/rounds/2022.yaml:5 [submissions[0]]: thiếu khóa bắt buộc 'nominations' (danh "
        "sách đề nghị) (hoặc các dòng của hồ sơ này trong trang 'Đề nghị' của "
        f"{book_ws / BOOK})",
        f"{BOOK} [Đề nghị!A2]: không có đợt khen thưởng mã '2023' (tệp đợt trong rounds/) "
        "(có phải ý bạn là '2022'?)",
        f"{BOOK} [Đề nghị!B3]: đợt '2022' không có hồ sơ của đơn vị 'phong-noi-vu' (các hồ sơ "
        "và cuộc họp xét ghi trong tệp đợt) (các đơn vị có hồ sơ: phuong-song-hien)",
    ]


def test_misspelt_optional_header_does_not_hide_other_problems(book_ws: Path) -> None:
    edit_book(book_ws, set_cell("Đơn vị", "G1", "Địa danhh"))
    edit_book(book_ws, set_cell("Cá nhân", "G2", "phong-noi-vuu"))
    assert problems(book_ws) == [
        f"{BOOK} [Đơn vị!G1]: cột 'Địa danhh' không được hỗ trợ ở trang này "
        "(có phải ý bạn là 'Địa danh'?)",
        f"{BOOK} [Cá nhân!G2] [people[0].unit]: không có đơn vị mã 'phong-noi-vuu' "
        "(có phải ý bạn là 'phong-noi-vu'?)",
    ]


def test_sheet_without_its_header_row(book_ws: Path) -> None:
    edit_book(book_ws, lambda wb: wb["Cá nhân"].insert_rows(1))
    assert problems(book_ws) == [
        f"{BOOK} [Cá nhân!1:1]: dòng 1 của trang phải là dòng tiêu đề cột: Mã, Họ và tên, Giới "
        "tính, Năm sinh, Dân tộc, Chức vụ, Mã đơn vị (chèn dòng tiêu đề (xem trang 'Hướng dẫn' "
        "của bảng tính mẫu))"
    ]


def test_nomination_row_without_its_round(book_ws: Path) -> None:
    edit_book(book_ws, set_cell("Đề nghị", "A3", None))
    assert problems(book_ws) == [f"{BOOK} [Đề nghị!A3]: thiếu 'Mã đợt' của đề nghị"]


def test_units_other_achievements(book_ws: Path) -> None:
    def rows(wb: openpyxl.Workbook) -> None:
        sheet = wb["Thành tích đơn vị"]
        sheet.append(["phong-noi-vu", 2022, "Ý thứ nhất.\nÝ thứ hai."])
        sheet.append(["phuong-song-hien", "2021", "Một ý."])

    edit_book(book_ws, rows)
    ws = load_workspace(book_ws / "config.yaml", book_ws / "data")
    assert ws.units["phong-noi-vu"].achievements == {2022: ["Ý thứ nhất.", "Ý thứ hai."]}
    assert ws.units["phuong-song-hien"].achievements == {2021: ["Một ý."]}

    def more(wb: openpyxl.Workbook) -> None:
        sheet = wb["Thành tích đơn vị"]
        sheet.append(["phong-noi-vu", 2022, "Lặp năm."])
        sheet.append(["phong-noi-vu", "hai nghìn", "Năm sai."])
        sheet.append(["phong-tu-phap", 2022, "Đơn vị không có."])

    edit_book(book_ws, more)
    assert problems(book_ws) == [
        f"{BOOK} [Thành tích đơn vị!B4]: thành tích năm 2022 của 'phong-noi-vu' đã có ở dòng 2; "
        "ghi mọi thành tích của một năm trong một ô, mỗi ý một dòng",
        f"{BOOK} [Thành tích đơn vị!B5]: cần một năm (ví dụ 2022), nhận được 'hai nghìn'",
        f"{BOOK} [Thành tích đơn vị!A6]: không có mã 'phong-tu-phap' trong trang 'Đơn vị'",
    ]


def test_percentage_cell_and_year_header_errors(book_ws: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        scores = wb["Chỉ số CCHC"]
        scores["B2"].value = 0.9125
        scores["B2"].number_format = "0.00%"

    edit_book(book_ws, change)
    ws = load_workspace(book_ws / "config.yaml", book_ws / "data")
    assert ws.units["phong-noi-vu"].par_index[2021] == Decimal("91.25")
    edit_book(book_ws, set_cell("Chỉ số CCHC", "C1", 2021))
    edit_book(book_ws, set_cell("Xếp loại", "C1", "năm hai"))
    assert problems(book_ws) == [
        f"{BOOK} [Chỉ số CCHC!C1]: năm 2021 bị lặp lại (đã có ở ô B1)",
        f"{BOOK} [Xếp loại!C1]: cột 'năm hai' không hợp lệ: cần cột 'Mã cá nhân' hoặc một năm "
        "(ví dụ 2022)",
    ]


def test_workbook_and_yaml_for_the_same_data(
    book_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(book_ws)  # paths in messages relative to where the user stands
    shutil.copy(FIXTURES / "mini" / "data" / "units.yaml", book_ws / "data" / "units.yaml")
    assert problems(book_ws) == [
        f"{BOOK}: dữ liệu đơn vị có ở cả hai nơi: {BOOK} (trang 'Đơn vị') và data/units.yaml; "
        "docgen không biết dùng nơi nào (giữ một nơi: xóa (hoặc đổi tên) data/units.yaml, hoặc "
        "xóa trang 'Đơn vị' khỏi bảng tính)"
    ]


def test_nominations_in_yaml_and_in_the_workbook(
    book_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(book_ws)
    shutil.copy(FIXTURES / "mini" / "data" / "rounds" / "2022.yaml", book_ws / "data" / "rounds")
    assert problems(book_ws) == [
        f"{BOOK} [Đề nghị!A2]: hồ sơ của đơn vị 'phuong-song-hien' trong đợt '2022' đã có danh "
        "sách đề nghị trong data/rounds/2022.yaml (dòng 20); mỗi hồ sơ chỉ ghi đề nghị ở một "
        "nơi (xóa các dòng của hồ sơ này trong trang 'Đề nghị' hoặc xóa khóa 'nominations' "
        "trong data/rounds/2022.yaml)"
    ]


def test_workbook_with_only_nominations(mini: Path) -> None:
    """Units and people may stay in YAML while the units' nominations come from Excel."""
    ws = load_workspace(mini / "config.yaml", mini / "data")
    wb = build_workbook(ws)
    for name in wb.sheetnames:
        if name not in ("Đề nghị", "Hướng dẫn"):
            del wb[name]
    wb.save(mini / "data" / "du-lieu.xlsx")
    round_file = mini / "data" / "rounds" / "2022.yaml"
    round_file.write_text(strip_nominations(round_file.read_text(encoding="utf-8")), "utf-8")
    assert_same_workspace(ws, load_workspace(mini / "config.yaml", mini / "data"))


def test_file_that_is_not_a_workbook(book_ws: Path) -> None:
    (book_ws / "data" / "du-lieu.xlsx").write_text("Mã,Tên\n", encoding="utf-8")
    (book_ws / "data" / "du-lieu.ods").write_bytes(b"")
    assert problems(book_ws) == [  # and no "units.yaml not found": the data was in the workbook
        "data/rounds/2022.yaml:5 [submissions[0]]: thiếu khóa bắt buộc 'nominations' (danh "
        "sách đề nghị) (hoặc các dòng của hồ sơ này trong trang 'Đề nghị' của "
        f"{book_ws / BOOK})",
        "data/du-lieu.ods: tệp không được đọc: bảng tính dữ liệu phải là tệp Excel .xlsx tên "
        "'du-lieu.xlsx' (mở tệp và lưu lại dưới dạng Excel 2007-365 (.xlsx) với tên "
        "'du-lieu.xlsx')",
        f"{BOOK}: tệp không phải bảng tính .xlsx (có thể tệp là .xls cũ hoặc .ods đổi tên; hãy "
        "mở và lưu lại dưới dạng Excel .xlsx)",
    ]


def test_damaged_workbook(book_ws: Path) -> None:
    path = book_ws / BOOK
    parts = {i.filename: zipfile.ZipFile(path).read(i) for i in zipfile.ZipFile(path).infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet][: len(parts[sheet]) // 2]
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    rounds, found = problems(book_ws)
    assert rounds.startswith("data/rounds/2022.yaml:5 [submissions[0]]: thiếu khóa bắt buộc")
    assert found.startswith(f"{BOOK}: bảng tính bị hỏng, không đọc được (ParseError: ")
    assert found.endswith("(mở tệp bằng Excel hoặc LibreOffice Calc và lưu lại)")


def test_yaml_messages_are_unchanged_by_the_workbook_support(mini: Path) -> None:
    units = mini / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("kind: ward", "kind: phuong"))
    assert problems(mini) == [
        f"data/units.yaml:{line_of(units, 'kind: phuong')} [units[1].kind]: giá trị 'phuong' "
        "không hợp lệ; cần một trong: office, commune, ward, public_service"
    ]


# ---------------------------------------------------------------------------------------------
# Excel out: Danh sách and the check report


def test_nominee_list_is_print_ready(mini: Path, tmp_path: Path) -> None:
    ws = load_workspace(mini / "config.yaml", mini / "data")
    rnd = ws.rounds["2022"]
    path = tmp_path / "03-danh-sach.xlsx"
    write_nominee_list(DossierBuilder(ws, rnd, rnd.submissions[0]).nominee_list(), path)
    sheet: Worksheet = openpyxl.load_workbook(path)["Danh sách"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert (
        values[0][0] == "ỦY BAN NHÂN DÂN" and values[0][4] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    assert values[1][0] == "PHƯỜNG SÔNG HIẾN" and values[1][4] == "Độc lập - Tự do - Hạnh phúc"
    assert values[3][0] == "DANH SÁCH"
    assert values[4][0] == (
        "Tập thể, cá nhân đề nghị khen thưởng trong phong trào thi đua đẩy mạnh cải cách hành "
        "chính gắn với chuyển đổi số thành phố Cao Bằng năm 2022"
    )
    assert values[5][0] == (
        "(Kèm theo Tờ trình số 05/TTr-UBND ngày 20/02/2023 của Ủy ban nhân dân phường Sông Hiến)"
    )
    award = "Giấy khen của Chủ tịch UBND thành phố"
    assert values[7:12] == [
        [
            "TT",
            "Tên tập thể, cá nhân",
            "Năm sinh",
            "Giới tính",
            "Dân tộc",
            "Chức vụ, đơn vị công tác",
            "Hình thức khen thưởng",
            "Ghi chú",
        ],
        ["I. TẬP THỂ", None, None, None, None, None, None, None],
        [1, "Ủy ban nhân dân phường Sông Hiến", None, None, None, None, award, None],
        ["II. CÁ NHÂN", None, None, None, None, None, None, None],
        [1, "Bế Văn An", 1979, "Nam", None, "Phó Chủ tịch UBND phường Sông Hiến", award, None],
    ]
    assert values[13][0] == "Tổng số: 01 tập thể và 01 cá nhân."
    assert [v[4] for v in values[15:]] == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        None,
        None,
        None,
        "Nông Văn Bình",
    ]
    header = sheet[8]
    assert all(c.font.bold and c.border.top.style == "thin" for c in header)
    assert sheet["B12"].border.left.style == "thin" and sheet["C12"].number_format == "0"
    assert "A9:H9" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.print_title_rows == "$8:$8"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage  # type: ignore[union-attr]
    assert sheet.print_area == "'Danh sách'!$A$1:$H$21"
    assert sheet["A4"].font.name == "Times New Roman" and sheet["A4"].font.bold


def test_check_report_is_print_ready(example: Workspace, tmp_path: Path) -> None:
    verdicts = check_rounds(example)
    path = tmp_path / "kiem-tra.xlsx"
    write_check_report(verdicts, path)
    sheet: Worksheet = openpyxl.load_workbook(path)["Kết quả xét"]
    assert sheet["A1"].value == "KẾT QUẢ XÉT TIÊU CHUẨN KHEN THƯỞNG"
    assert sheet["A2"].value == "Tổng số: 28 đề nghị, 22 đạt, 6 không đạt."
    assert [c.value for c in sheet[4]] == [
        "TT",
        "Đợt",
        "Hồ sơ",
        "Mã đối tượng",
        "Đối tượng",
        "Loại",
        "Hình thức",
        "Chỉ số CCHC (%)",
        "Kết quả",
        "Lý do",
    ]
    rows = {(r[1].value, r[3].value): r for r in sheet.iter_rows(min_row=5)}
    assert len(rows) == len(verdicts) == 28
    hop_giang = [c.value for c in rows[("2022", "phuong-hop-giang")]]
    assert hop_giang[1:9] == [
        "2022",
        "phuong-hop-giang",
        "phuong-hop-giang",
        "Ủy ban nhân dân phường Hợp Giang",
        "Tập thể",
        "Giấy khen của Chủ tịch Ủy ban nhân dân thành phố",
        88.75,
        "KHÔNG ĐẠT",
    ]
    assert str(hop_giang[9]).split("\n") == [
        "✗ Chỉ số CCHC năm 2022: 88,75% < 90%",
        "✓ Số phiếu đồng ý 5/5 (100%) quá 1/2 số thành viên có mặt",
        "✓ Tờ trình ngày 01/3/2023 trong hạn (phải trước ngày 15/3/2023)",
    ]
    assert rows[("2022", "phuong-hop-giang")][7].number_format == NUMBER_FORMAT + "#"
    assert rows[("2022", "phuong-hop-giang")][9].alignment.wrap_text
    (rule_range,) = [str(r.sqref) for r in sheet.conditional_formatting]
    assert rule_range == "A5:J32"
    rule = sheet.conditional_formatting[rule_range][0]
    assert rule.formula == ['$I5="KHÔNG ĐẠT"']
    assert rule.dxf.fill.fgColor.rgb.endswith("F8CBAD")
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:J32"
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)


def test_cell_problems_in_english(book_ws: Path) -> None:
    """Recognising the converter's messages (missing key, YAML advice, keys named in a rule)
    works in the language in use, so English cell problems name columns, not keys."""
    from docgen import i18n

    edit_book(book_ws, set_cell("Đơn vị", "D2", None))
    edit_book(book_ws, set_cell("Đơn vị", "B2", "Phòng\nNội vụ"))
    edit_book(book_ws, set_cell("Đề nghị", "D2", "be-van-an"))
    try:
        i18n.set_language("en")
        found = problems(book_ws)
    finally:
        i18n.set_language("vi")
    assert found == [
        f"{BOOK} [Đơn vị!B2] [units[0].name]: the value must be on one line (line break at "
        "position 6) (remove the line breaks in the cell (Alt+Enter in Excel, Ctrl+Enter in "
        "LibreOffice))",
        f"{BOOK} [Đơn vị!D2] [units[0].symbol]: missing value in column 'Ký hiệu' "
        "(abbreviation in document numbers: 'UBND', 'PTP')",
        f"{BOOK} [Đề nghị!A2] [rounds[2022].submissions[0].nominations[0]]: each nomination "
        "needs exactly one of column 'Tập thể' (a collective) or column 'Cá nhân' (an "
        "individual)",
    ]
