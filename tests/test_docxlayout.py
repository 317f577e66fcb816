"""Tests for docgen.docxlayout: build a template with every primitive, render it with
docxtpl, and check the .docx (and, when LibreOffice is installed, the PDF)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from docxtpl import DocxTemplate

from docgen.layout.primitives import (
    CELL_MARGIN_CM,
    Run,
    add_row,
    borderless_table,
    grid_table,
    new_document,
    page_break,
    para,
    rule,
    rule_indent_twips,
    save,
    twips,
)

UNIT = "PHƯỜNG SÔNG HIẾN & <X>"
HEADER_COLUMNS = (6.5, 10.0)
SIGNATURE_COLUMNS = (6.0, 10.0)
LIST_COLUMNS = (1.2, 6.3, 5.5, 3.5)
BODY = (
    "Thực hiện Kế hoạch số 145/KH-UBND ngày 05 tháng 5 năm 2022 của Ủy ban nhân dân "
    "thành phố Cao Bằng về việc phát động phong trào thi đua, trên cơ sở kết quả bình xét "
    "của Hội đồng Thi đua - Khen thưởng, Ủy ban nhân dân {{ unit }} kính trình Chủ tịch "
    "Ủy ban nhân dân thành phố xem xét, tặng Giấy khen cho các tập thể, cá nhân có thành "
    "tích xuất sắc trong phong trào thi đua năm 2022."
)


def _w(element: Any, path: str) -> list[Any]:
    """XPath with the ``w:`` prefix bound (python-docx elements know it)."""
    found: list[Any] = element.xpath(path)
    return found


def build_sample() -> Document:
    """A Tờ trình-like template that uses every primitive of docxlayout."""
    doc = new_document()

    header = borderless_table(doc, HEADER_COLUMNS, rows=2)
    body, nation = header.rows[0].cells
    para(body, "ỦY BAN NHÂN DÂN", align="center", size=13, bold=True)
    para(body, "{{ unit }}", align="center", size=13, bold=True)
    rule(body, indent_twips_expr="issuer.rule_indent", width_cm=HEADER_COLUMNS[0])
    para(nation, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="center", size=13, bold=True)
    para(nation, "Độc lập - Tự do - Hạnh phúc", align="center", size=14, bold=True)
    rule(nation, length_cm=6.05, width_cm=HEADER_COLUMNS[1])
    number, date = header.rows[1].cells
    para(number, "Số: {{ number }}/TTr-UBND", align="center", size=13, space_before=6)
    para(
        date,
        "{{ place }}",
        ", ngày 05 tháng 01 năm 2023",
        align="center",
        size=14,
        italic=True,
        space_before=6,
    )

    para(doc, "TỜ TRÌNH", align="center", bold=True, space_before=18, keep_with_next=True)
    para(doc, "Về việc đề nghị tặng Giấy khen", align="center", bold=True, keep_with_next=True)
    rule(doc, length_cm=3.0, width_cm=16.5, space_after=6)
    para(doc, "Kính gửi: Chủ tịch Ủy ban nhân dân thành phố Cao Bằng.", align="center")
    for _ in range(3):
        para(doc, BODY, first_indent_cm=1, space_before=6)
    para(doc, "{%p for x in items %}")
    para(doc, "- ", Run("{{ x }}", bold=True), ";", first_indent_cm=1, space_before=6)
    para(doc, "{%p endfor %}")
    para(doc, "Danh sách cụ thể như sau:", first_indent_cm=1, space_before=6)

    table = grid_table(doc, LIST_COLUMNS, ["TT", "Họ và tên", "Chức vụ, đơn vị", "Hình thức"])
    add_row(table, ["{%tr for r in rows %}"])
    add_row(
        table,
        ["{{ loop.index }}", "{{ r.name }}", ["{{ r.post }}, ", Run("{{ r.unit }}")], "Giấy khen"],
        aligns=["center", "left", "left", "center"],
    )
    add_row(table, ["{%tr endfor %}"])

    for _ in range(2):
        para(doc, BODY, first_indent_cm=1, space_before=6)

    signature = borderless_table(doc, SIGNATURE_COLUMNS)
    left, right = signature.rows[0].cells
    para(left, "Nơi nhận:", align="left", size=12, bold=True, italic=True, space_before=12)
    for line in ("- Như trên;", "- Phòng Nội vụ;", "- Lưu: VT, VP."):
        para(left, line, align="left", size=11)
    for line in ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"):
        para(right, line, align="center", bold=True, space_before=12 if "TM" in line else 0)
    for _ in range(4):
        para(right)
    para(right, "{{ signer }}", align="center", bold=True)

    page_break(doc)
    para(doc, "PHỤ LỤC", align="center", bold=True)
    return doc


def _context() -> dict[str, Any]:
    return {
        "unit": UNIT,
        "issuer": {"rule_indent": rule_indent_twips(2.0, HEADER_COLUMNS[0])},
        "number": "05",
        "place": "Cao Bằng",
        "items": ["Tập thể Tổ dân phố 1", "Tập thể Tổ dân phố 2", "Ông Nông Văn B"],
        "rows": [
            {"name": f"Nguyễn Văn {chr(65 + i)}", "post": "Chuyên viên", "unit": "Văn phòng"}
            for i in range(12)
        ],
        "signer": "Hoàng Văn C",
    }


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("docxlayout")
    template = directory / "template.docx"
    save(build_sample(), template, title="Tờ trình")
    tpl = DocxTemplate(str(template))
    tpl.render(_context(), autoescape=True)
    out = directory / "rendered.docx"
    tpl.save(str(out))
    return out


def _open(path: Path) -> Document:
    return docx.Document(str(path))


def test_page_setup(rendered: Path) -> None:
    sect_pr = _open(rendered).sections[0]._sectPr
    size = _w(sect_pr, "w:pgSz")[0]
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")
    margins = _w(sect_pr, "w:pgMar")[0]
    expected = {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 1.5, "header": 1.0}
    for side, cm in expected.items():
        assert margins.get(qn(f"w:{side}")) == str(twips(cm)), side
    assert _w(sect_pr, "w:titlePg")


def test_landscape_swaps_page_and_keeps_binding_margin() -> None:
    sect_pr = new_document(landscape=True).sections[0]._sectPr
    size = _w(sect_pr, "w:pgSz")[0]
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("16838", "11906")
    assert size.get(qn("w:orient")) == "landscape"
    margins = _w(sect_pr, "w:pgMar")[0]
    assert margins.get(qn("w:top")) == str(twips(3.0))
    assert margins.get(qn("w:left")) == margins.get(qn("w:right")) == str(twips(2.0))


def test_page_number_only_from_page_two(rendered: Path) -> None:
    section = _open(rendered).sections[0]
    assert section.different_first_page_header_footer
    header = section.header._element
    assert [t.text.strip() for t in _w(header, ".//w:instrText")] == ["PAGE"]
    assert {p.get(qn("w:val")) for p in _w(header, ".//w:jc")} == {"center"}
    assert {s.get(qn("w:val")) for s in _w(header, ".//w:r/w:rPr/w:sz")} == {"26"}
    assert not _w(header, ".//w:i")
    assert not section.first_page_header._element.xpath(".//w:r")
    assert not _w(section._sectPr, "w:footerReference")


def test_normal_style(rendered: Path) -> None:
    normal = _open(rendered).styles["Normal"].element
    fonts = _w(normal, "w:rPr/w:rFonts")[0]
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        assert fonts.get(qn(f"w:{slot}")) == "Times New Roman", slot
    assert not [name for name in fonts.attrib if name.endswith("Theme")]
    assert _w(normal, "w:rPr/w:sz")[0].get(qn("w:val")) == "28"
    assert _w(normal, "w:rPr/w:lang")[0].get(qn("w:val")) == "vi-VN"
    spacing = _w(normal, "w:pPr/w:spacing")[0]
    assert (spacing.get(qn("w:before")), spacing.get(qn("w:after"))) == ("0", "0")
    assert spacing.get(qn("w:line")) == "240"
    assert _w(normal, "w:pPr/w:widowControl")


def _widths(table: Any) -> tuple[list[int], list[int], list[list[int]]]:
    tbl = table._tbl
    tbl_w = [int(w.get(qn("w:w"))) for w in _w(tbl, "w:tblPr/w:tblW")]
    grid = [int(c.get(qn("w:w"))) for c in _w(tbl, "w:tblGrid/w:gridCol")]
    cells = [[int(w.get(qn("w:w"))) for w in _w(tr, "w:tc/w:tcPr/w:tcW")] for tr in tbl.tr_lst]
    return tbl_w, grid, cells


def test_table_widths_and_borders(rendered: Path) -> None:
    header, table, signature = _open(rendered).tables
    for tbl, columns in ((header, HEADER_COLUMNS), (signature, SIGNATURE_COLUMNS)):
        expected = [twips(cm) for cm in columns]
        tbl_w, grid, cells = _widths(tbl)
        assert tbl_w == [sum(expected)] and grid == expected
        assert all(row == expected for row in cells)
        assert _w(tbl._tbl, "w:tblPr/w:tblLayout")[0].get(qn("w:type")) == "fixed"
        borders = _w(tbl._tbl, "w:tblPr/w:tblBorders/*")
        assert len(borders) == 6
        assert {b.get(qn("w:val")) for b in borders} == {"none"}
        assert not _w(tbl._tbl, ".//w:tcBorders") and not _w(tbl._tbl, "w:tblPr/w:tblStyle")
        margin = _w(tbl._tbl, "w:tblPr/w:tblCellMar/w:left")[0]
        assert margin.get(qn("w:w")) == str(twips(CELL_MARGIN_CM))

    expected = [twips(cm) for cm in LIST_COLUMNS]
    tbl_w, grid, cells = _widths(table)
    assert tbl_w == [sum(expected)] and grid == expected
    assert all(row == expected for row in cells)
    borders = _w(table._tbl, "w:tblPr/w:tblBorders/*")
    assert len(borders) == 6
    assert {(b.get(qn("w:val")), b.get(qn("w:sz"))) for b in borders} == {("single", "4")}


def test_grid_rows(rendered: Path) -> None:
    table = _open(rendered).tables[1]
    rows = table._tbl.tr_lst
    assert len(rows) == 1 + len(_context()["rows"])  # header + one row per item
    assert _w(rows[0], "w:trPr/w:tblHeader")
    assert all(_w(tr, "w:trPr/w:cantSplit") for tr in rows)
    assert not any(_w(tr, "w:trPr/w:tblHeader") for tr in rows[1:])
    head = table.rows[0].cells
    assert [c.text for c in head] == ["TT", "Họ và tên", "Chức vụ, đơn vị", "Hình thức"]
    for cell in head:
        assert _w(cell._tc, "w:tcPr/w:vAlign")[0].get(qn("w:val")) == "center"
        assert _w(cell._tc, "w:p/w:pPr/w:jc")[0].get(qn("w:val")) == "center"
        assert _w(cell._tc, "w:p/w:r/w:rPr/w:b")
        assert _w(cell._tc, "w:p/w:r/w:rPr/w:sz")[0].get(qn("w:val")) == "26"
    assert [c.text for c in table.rows[1].cells] == [
        "1",
        "Nguyễn Văn A",
        "Chuyên viên, Văn phòng",
        "Giấy khen",
    ]
    assert table.rows[12].cells[1].text == "Nguyễn Văn L"


def test_rendered_text(rendered: Path) -> None:
    doc = _open(rendered)
    texts = [p.text for p in doc.paragraphs]
    header = doc.tables[0]
    assert [p.text for p in header.rows[0].cells[0].paragraphs][:2] == ["ỦY BAN NHÂN DÂN", UNIT]
    assert header.rows[1].cells[0].paragraphs[0].text == "Số: 05/TTr-UBND"
    assert header.rows[1].cells[1].paragraphs[0].text == "Cao Bằng, ngày 05 tháng 01 năm 2023"
    assert any(UNIT in text for text in texts)
    assert [t for t in texts if t.startswith("- ")] == [f"- {x};" for x in _context()["items"]]
    assert not [t for t in texts if "{%" in t or "{{" in t]
    assert doc.tables[2].rows[0].cells[1].paragraphs[-1].text == "Hoàng Văn C"


def test_cells_do_not_start_with_blank_line(rendered: Path) -> None:
    header, _, signature = _open(rendered).tables
    for cell in (*header.rows[0].cells, *signature.rows[0].cells):
        assert cell.paragraphs[0].text.strip()
    # ...but deliberate empty lines (room for signature and seal) are kept.
    signer = [p.text for p in signature.rows[0].cells[1].paragraphs]
    assert signer == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "", "", "", "Hoàng Văn C"]


def test_rule_indents(rendered: Path) -> None:
    body = _open(rendered).element.body
    rules = _w(body, ".//w:p[w:pPr/w:pBdr]")
    assert len(rules) == 3
    indents = []
    for p in rules:
        top = _w(p, "w:pPr/w:pBdr/w:top")[0]
        assert top.get(qn("w:val")) == "single" and top.get(qn("w:sz")) in {"4", "6"}
        ind = _w(p, "w:pPr/w:ind")[0]
        left, right = ind.get(qn("w:left")), ind.get(qn("w:right"))
        assert re.fullmatch(r"\d+", left) and left == right
        indents.append(int(left))
        assert not _w(p, "w:r")
    dynamic, national, title = indents
    assert dynamic == rule_indent_twips(2.0, HEADER_COLUMNS[0])
    assert national == twips((HEADER_COLUMNS[1] - 2 * CELL_MARGIN_CM - 6.05) / 2)
    assert title == twips((16.5 - 3.0) / 2)


def test_template_keeps_tags_in_one_run(tmp_path: Path) -> None:
    doc = new_document()
    p = para(doc, "{%p if x %}")
    assert len(p.runs) == 1 and p.runs[0].text == "{%p if x %}"
    p = para(doc, "A ", Run("{{ issuer.name }}", bold=True, size=12), " B", bold=False)
    assert [r.text for r in p.runs] == ["A ", "{{ issuer.name }}", " B"]
    assert [r.bold for r in p.runs] == [None, True, None]
    assert [r.font.size for r in p.runs] == [Pt(14), Pt(12), Pt(14)]
    p = rule(doc, indent_twips_expr="issuer.rule_indent", width_cm=6.5)
    assert _w(p._p, "w:pPr/w:ind")[0].get(qn("w:left")) == "{{ issuer.rule_indent }}"
    with pytest.raises(ValueError):
        rule(doc, indent_twips_expr='issuer["x"]', width_cm=6.5)
    with pytest.raises(ValueError):
        rule(doc, length_cm=2.0, indent_twips_expr="x", width_cm=6.5)
    with pytest.raises(ValueError):
        rule(doc, length_cm=7.0, width_cm=6.5)


def test_no_rsids_or_template_noise(tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    save(build_sample(), path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml"
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}
        assert not [n for n in names if "thumbnail" in n or "stylesWithEffects" in n]
        for name in names:
            if name.endswith(".xml"):
                assert b"w:rsid" not in archive.read(name), name
        core = archive.read("docProps/core.xml").decode()
    assert "<dc:creator>docgen</dc:creator>" in core
    assert "2000-01-01T00:00:00Z" in core


def test_save_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "first.docx", tmp_path / "second.docx"
    save(build_sample(), first, title="Tờ trình")
    save(build_sample(), second, title="Tờ trình")
    assert first.read_bytes() == second.read_bytes()


def _pdf_pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(
            ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True
        ).stdout
        match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
        assert match
        return int(match.group(1))
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_renders_two_pages(rendered: Path, tmp_path: Path) -> None:
    profile = tmp_path / "lo-profile"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(rendered),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )
    assert _pdf_pages(tmp_path / "rendered.pdf") >= 2


def test_adjacent_tables_are_kept_apart() -> None:
    doc = new_document()
    borderless_table(doc, HEADER_COLUMNS)
    grid_table(doc, LIST_COLUMNS, ["TT", "A", "B", "C"])
    body = [child.tag for child in doc.element.body]
    assert body == [qn("w:tbl"), qn("w:p"), qn("w:tbl"), qn("w:sectPr")]


# --------------------------------------------------------------------------- measuring


def test_text_widths_are_times_new_roman_metrics() -> None:
    from docgen.layout.measure import text_cm

    # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" at 13 pt bold is 9.57 cm (domain notes, §1.4)
    assert round(text_cm("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True), 2) == 9.57
    assert round(text_cm("THÀNH PHỐ CAO BẰNG", 13, bold=True), 2) == 5.36
    # horned letters are wider than their base letters; other marks change nothing
    assert text_cm("ư", 14) > text_cm("u", 14)
    assert text_cm("ệ", 14) == text_cm("e", 14)
    assert text_cm("a\u00a0b", 14) == text_cm("a b", 14)


def test_a_long_name_breaks_where_its_parts_meet() -> None:
    from docgen.layout.measure import split_line

    assert split_line("PHÒNG VĂN HÓA VÀ THÔNG TIN", 6.4, 13, bold=True) == [
        "PHÒNG VĂN HÓA",
        "VÀ THÔNG TIN",
    ]
    assert split_line("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", 6.4, 13, bold=True) == [
        "HỘI ĐỒNG THI ĐUA -",
        "KHEN THƯỞNG",
    ]
    assert split_line("PHÒNG NỘI VỤ", 6.4, 13, bold=True) == ["PHÒNG NỘI VỤ"]


def test_header_columns_share_the_width_as_the_names_need() -> None:
    from docgen.layout.measure import header_context

    date = "Thành phố Cao Bằng, ngày 23 tháng 12 năm 2025"
    ctx = header_context(["UBND THÀNH PHỐ CAO BẰNG"], ["PHÒNG NỘI VỤ"], place_date=date)
    # the portrait text width (16.5 cm) plus the 0.4 cm the table reaches into the margin
    assert ctx["left_twips"] + ctx["right_twips"] == twips(16.9)  # type: ignore[operator]
    assert ctx["lines"] == ["PHÒNG NỘI VỤ"]
    # a council without a date line: the left column grows, its name still needs two lines
    ctx = header_context(["PHÒNG VĂN HÓA VÀ THÔNG TIN"], ["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"])
    assert ctx["parent"] == ["PHÒNG VĂN HÓA VÀ THÔNG TIN"]
    assert ctx["lines"] == ["HỘI ĐỒNG THI ĐUA -", "KHEN THƯỞNG"]
    assert ctx["left_twips"] > twips(6.9)  # type: ignore[operator]
    # lines the data gives are kept as they are
    given = header_context([], ["PHÒNG VĂN HÓA VÀ THÔNG TIN"], split=(False, False))
    assert given["lines"] == ["PHÒNG VĂN HÓA VÀ THÔNG TIN"]


def test_title_phrases_get_non_breaking_spaces() -> None:
    from docgen.layout.measure import keep_phrases

    nb = "\u00a0"
    text = keep_phrases(
        "Về việc khen thưởng trong phong trào chuyển đổi số thành phố Cao Bằng giai đoạn "
        "2021-2025",
        ["thành phố Cao Bằng", "chuyển đổi số"],
    )
    assert f"chuyển{nb}đổi{nb}số thành{nb}phố{nb}Cao{nb}Bằng giai{nb}đoạn{nb}2021\u20112025" in text
    assert text.startswith("Về việc khen thưởng trong")
    # the last two words always go together: a title never ends on a lone word
    assert keep_phrases("Ủy ban nhân dân thành phố", []).endswith(f"thành{nb}phố")
