"""The pages a signer gets: every example document (and a 34-nominee dossier) through
LibreOffice, read back with PyMuPDF, and held to what a clerk checks (issue 13):

* no line of the issuing body's block wraps (each name line of the header is one line);
* every page but the last is at least two thirds full;
* a last page never holds only the closing lines (total, signature, Nơi nhận);
* no title line is a lone word, and fixed phrases ("thành phố Cao Bằng", a unit's name)
  never break across title lines.

All documents go through one soffice call. Skipped without LibreOffice or PyMuPDF.
"""

from __future__ import annotations

import itertools
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from docgen.main import load_workspace, render_decisions, render_dossiers, render_plan
from docgen.render.pdf import convert
from tests.conftest import CONFIG, ROOT, TEMPLATES

pymupdf: Any = pytest.importorskip("pymupdf")
if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
    pytest.skip("LibreOffice (soffice) is not installed", allow_module_level=True)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PT_PER_CM = 72 / 2.54
#: Page set-up of docgen.layout.primitives.new_document: (top, bottom) margins in cm.
MARGINS = {"portrait": (2.0, 2.0), "landscape": (3.0, 1.5)}
#: Phrases a title line may not split (besides the units' own names).
PHRASES = ("thành phố Cao Bằng", "chuyển đổi số", "cải cách hành chính", "Ủy ban nhân dân")
#: Lines that close a document: what may not stand alone on its last page.
CLOSING = re.compile(r"^(Tổng số|Tổng cộng|\(Bằng chữ|Nơi nhận|- )")

SURNAMES = ["Nông", "Hoàng", "Bế", "Lương", "Triệu", "Đàm", "Ma", "Lục", "La", "Nguyễn"]
GIVEN = ["Văn Hùng", "Thị Thu Hà", "Văn Dũng", "Thị Ngọc Lan", "Minh Đức", "Thị Huyền"]
POSITIONS = [
    "Chuyên viên",
    "Phó Trưởng phòng",
    "Công chức Văn phòng - Thống kê",
    "Chuyên viên phụ trách công nghệ thông tin",
]


def big_round(folder: Path, nominees: int = 34) -> Path:
    """A copy of the example workspace with round 2023: one dossier of `nominees` people."""
    shutil.copy(CONFIG, folder / "config.yaml")
    shutil.copytree(ROOT / "data", folder / "data")
    people = ["", "  # --- generated for tests/test_pdf_layout.py"]
    noms = []
    for i in range(nominees):
        pid = f"can-bo-thu-{i:02d}"
        people += [
            f"  - id: {pid}",
            f"    name: {SURNAMES[i % 10]} {GIVEN[i % 6]}",
            f"    gender: {'nữ' if 'Thị' in GIVEN[i % 6] else 'nam'}",
            f"    birth_year: {1970 + i % 30}",
            "    ethnicity: Tày",
            f"    position: {POSITIONS[i % 4]}",
            "    unit: phong-noi-vu",
            "    ratings: {2023: HTXSNV}",
        ]
        noms += [
            f"      - person: {pid}",
            "        award: giay_khen_tp",
            "        votes: 5",
            "        achievements:",
            "          - Hoàn thành xuất sắc nhiệm vụ được giao; tham mưu số hóa hồ sơ, "
            "hướng dẫn người dân sử dụng dịch vụ công trực tuyến.",
        ]
    with (folder / "data" / "people.yaml").open("a", encoding="utf-8") as f:
        f.write("\n".join(people) + "\n")
    members = [
        ("Hoàng Văn Thạch", "Trưởng phòng", "Chủ tịch Hội đồng"),
        ("Nông Thị Hương", "Phó Trưởng phòng", "Phó Chủ tịch Hội đồng"),
        ("Bế Thị Lan", "Chuyên viên", "Ủy viên"),
        ("Lục Văn Minh", "Chuyên viên", "Ủy viên"),
        ("Trần Minh Đức", "Chuyên viên", "Ủy viên, Thư ký Hội đồng"),
    ]
    lines = [
        'id: "2023"',
        "kind: annual",
        "year: 2023",
        "decision: {number: '0310', date: 10/4/2024, proposal_number: '52',"
        " proposal_date: 02/4/2024}",
        "submissions:",
        "  - unit: phong-noi-vu",
        '    proposal: {number: "21", date: 26/02/2024}',
        "    meeting:",
        '      number: "03"',
        "      date: 22/02/2024",
        '      start: "14:00"',
        '      end: "16:30"',
        "      place: Phòng họp Phòng Nội vụ",
        "      members:",
        *(f'        - {{name: {n}, position: {p}, role: "{r}"}}' for n, p, r in members),
        "      chair: Hoàng Văn Thạch",
        "      secretary: Trần Minh Đức",
        "    nominations:",
        *noms,
    ]
    (folder / "data" / "rounds" / "2023.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return folder / "config.yaml"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Name → (.docx, .pdf) of every example document and of the 34-nominee dossier."""
    out = tmp_path_factory.mktemp("pages")
    ws = load_workspace(CONFIG, ROOT / "data")
    render_dossiers(ws, TEMPLATES, out / "ex", allow_ineligible=True, force=True)
    render_decisions(ws, TEMPLATES, out / "ex", force=True)
    for plan in sorted((ROOT / "data" / "plans").glob("*.yaml")):
        render_plan(plan, TEMPLATES, out / "ex" / f"ke-hoach-{plan.stem}.docx")
    big = out / "big"
    big.mkdir()
    big_ws = load_workspace(big_round(big), big / "data")
    render_dossiers(big_ws, TEMPLATES, out / "gen", ["2023"], allow_ineligible=True)
    render_decisions(big_ws, TEMPLATES, out / "gen", ["2023"])
    docs = sorted(p for p in out.rglob("*.docx") if not p.name.startswith("00-"))
    # of the generated dossier's 34 reports two are enough (they are the example's kind)
    keep = ("-01-ca-nhan-can-bo-thu-00.docx", "-02-ca-nhan-can-bo-thu-01.docx")
    docs = [
        d
        for d in docs
        if "/gen/" not in str(d) or "-ca-nhan-can-bo-thu-" not in d.name or d.name.endswith(keep)
    ]
    converted = convert(docs)
    return {str(d.relative_to(out)): (d, p) for d, p in zip(docs, converted, strict=True)}


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Line:
    page: int
    top: float  # pt from the top of the page
    bottom: float
    x0: float
    x1: float
    text: str


def pdf_lines(path: Path) -> tuple[list[list[Line]], list[tuple[float, float]]]:
    """Each page's text lines top to bottom (page numbers left out), and its size."""
    pages: list[list[Line]] = []
    sizes = []
    with pymupdf.open(path) as doc:
        for number, page in enumerate(doc, start=1):
            found = []
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    text = "".join(span["text"] for span in line["spans"])
                    text = " ".join(text.replace("\u00a0", " ").replace("\u2011", "-").split())
                    if text:
                        x0, y0, x1, y1 = line["bbox"]
                        found.append(Line(number, y0, y1, x0, x1, text))
            if number > 1:  # the page number sits in the top margin, 1 cm from the edge
                found = [x for x in found if not (x.top < 1.8 * PT_PER_CM and x.text.isdigit())]
            pages.append(sorted(found, key=lambda x: (round(x.top), x.x0)))
            sizes.append((page.rect.width, page.rect.height))
    return pages, sizes


def _para_text(p: Any) -> str:
    return " ".join(
        "".join(t.text or "" for t in p.iter(f"{W}t"))
        .replace("\u00a0", " ")
        .replace("\u2011", "-")
        .split()
    )


def _body(docx: Path) -> Any:
    with zipfile.ZipFile(docx) as zf:
        return etree.fromstring(zf.read("word/document.xml")).find(f"{W}body")


def header_lines(docx: Path) -> list[str]:
    """The issuing-body block's lines: the paragraphs of the header table's first cell."""
    tbl = _body(docx).find(f"{W}tbl")
    cell = tbl.find(f"{W}tr").find(f"{W}tc")
    return [t for p in cell.iter(f"{W}p") if (t := _para_text(p))]


def _borderless(tbl: Any) -> bool:
    top = tbl.find(f"{W}tblPr/{W}tblBorders/{W}top")
    return top is not None and top.get(f"{W}val") == "none"


def title_texts(docx: Path) -> list[str]:
    """The title's paragraphs: the centred ones after the header, up to the first other."""
    out = []
    started = False
    for child in _body(docx):
        if child.tag == f"{W}tbl":
            if started:
                break
            continue
        if child.tag != f"{W}p":
            continue
        jc = child.find(f"{W}pPr/{W}jc")
        text = _para_text(child)
        if jc is None or jc.get(f"{W}val") != "center":
            if started and text:
                break
            continue
        if text.startswith("Kính gửi") or (started and text.isupper()):
            break  # the Tờ trình's recipient, the Quyết định's issuer line
        if text:
            started = True
            out.append(text)
    return out[1:]  # the document type (TỜ TRÌNH) is one word or two, on its own line


def closing_texts(docx: Path) -> set[str]:
    """Texts of the signature block (the last borderless table) and what follows it."""
    body = list(_body(docx))
    tables = [i for i, c in enumerate(body) if c.tag == f"{W}tbl" and _borderless(c)]
    if len(tables) < 2:  # only the header: no signature (the decision's list)
        return set()
    out = set()
    for child in body[tables[-1] :]:
        for p in child.iter(f"{W}p"):
            if text := _para_text(p):
                out.update(text.split("\n"))
    return out


# ----------------------------------------------------------------------------- checks


def wrapped_header_lines(docx: Path, pages: list[list[Line]]) -> list[str]:
    texts = {x.text for x in pages[0]}
    return [line for line in header_lines(docx) if line not in texts]


def thin_pages(pages: list[list[Line]], sizes: list[tuple[float, float]]) -> list[str]:
    out = []
    for number, (lines, (width, height)) in enumerate(zip(pages, sizes, strict=True), 1):
        if number == len(pages) or not lines:
            continue
        top, bottom = MARGINS["landscape" if width > height else "portrait"]
        area = height - (top + bottom) * PT_PER_CM
        used = max(x.bottom for x in lines) - top * PT_PER_CM
        if used < area * 2 / 3:
            out.append(f"page {number} is {used / area:.0%} full")
    return out


def closing_alone(docx: Path, pages: list[list[Line]]) -> bool:
    if len(pages) < 2:
        return False
    closing = closing_texts(docx)
    return all(x.text in closing or CLOSING.match(x.text) for x in pages[-1])


def bad_title_lines(docx: Path, pages: list[list[Line]], phrases: list[str]) -> list[str]:
    """Title lines that are one word, or where a fixed phrase breaks between lines."""
    out = []
    lines = [x for page in pages[:1] for x in page]
    for para in title_texts(docx):
        # the paragraph's lines: consecutive PDF lines whose words make up its text
        words = para.split()
        for start in range(len(lines)):
            got: list[str] = []
            end = start
            while end < len(lines) and len(" ".join(got).split()) < len(words):
                got.append(lines[end].text)
                end += 1
            if " ".join(got).split() == words:
                break
        else:
            out.append(f"title paragraph not found on page 1: {para!r}")
            continue
        for i, line in enumerate(got):
            if i and len(line.split()) == 1:
                out.append(f"lone word line {line!r} in {para!r}")
        for a, b in itertools.pairwise(got):
            joint = f"{a} {b}"
            cut = len(a)
            for phrase in phrases:
                for m in re.finditer(re.escape(phrase), joint):
                    if m.start() < cut < m.end():
                        out.append(f"{phrase!r} broken: {a!r} / {b!r}")
    return out


def unit_names() -> list[str]:
    ws = load_workspace(CONFIG, ROOT / "data")
    return [u.name for u in ws.units.values()]


def cases(pdfs: dict[str, tuple[Path, Path]]) -> Iterator[tuple[str, Path, Any, Any]]:
    for name, (docx, pdf) in sorted(pdfs.items()):
        pages, sizes = pdf_lines(pdf)
        yield name, docx, pages, sizes


def test_every_example_document_kind_is_converted(pdfs: dict[str, tuple[Path, Path]]) -> None:
    names = " ".join(pdfs)
    for kind in (
        "01-to-trinh",
        "02-bien-ban-hop-xet",
        "03-danh-sach",
        "04-bao-cao-thanh-tich",
        "01-quyet-dinh",
        "02-danh-sach-kem-quyet-dinh",
        "03-to-trinh-de-nghi",
        "04-danh-sach-kem-to-trinh",
        "ke-hoach-145-KH-UBND",
        "ke-hoach-phuong-thuc-phan-2026",
    ):
        assert kind in names
    assert any(n.startswith("gen/2023/phong-noi-vu/03-danh-sach") for n in pdfs)
    big_list = pdfs["gen/2023/phong-noi-vu/03-danh-sach.docx"][1]
    pages, _ = pdf_lines(big_list)
    assert len(pages) >= 3  # 34 nominees: the list runs over pages, which is what we test
    rows = [x.text for page in pages for x in page if re.fullmatch(r"\d+", x.text)]
    assert "34" in rows


def test_issuing_body_lines_never_wrap(pdfs: dict[str, tuple[Path, Path]]) -> None:
    problems = [
        f"{name}: {wrapped}"
        for name, docx, pages, _ in cases(pdfs)
        if (wrapped := wrapped_header_lines(docx, pages))
    ]
    assert problems == []


def test_pages_are_two_thirds_full_but_the_last(pdfs: dict[str, tuple[Path, Path]]) -> None:
    problems = [
        f"{name}: {thin}"
        for name, _, pages, sizes in cases(pdfs)
        if (thin := thin_pages(pages, sizes))
    ]
    assert problems == []


def test_last_page_never_holds_only_the_closing(pdfs: dict[str, tuple[Path, Path]]) -> None:
    problems = [name for name, docx, pages, _ in cases(pdfs) if closing_alone(docx, pages)]
    assert problems == []


def test_titles_break_by_meaning(pdfs: dict[str, tuple[Path, Path]]) -> None:
    phrases = [*PHRASES, *unit_names()]
    problems = [
        f"{name}: {bad}"
        for name, docx, pages, _ in cases(pdfs)
        if (bad := bad_title_lines(docx, pages, phrases))
    ]
    assert problems == []


def rule_gaps(pdf: Path) -> list[tuple[str, float]]:
    """(line above, gap in pt) for each short rule on page 1: how far the rule stands below
    the bottom of the text line above it (PyMuPDF's line box reaches the descenders)."""
    with pymupdf.open(pdf) as doc:
        page = doc[0]
        lines = [
            (line["bbox"], "".join(span["text"] for span in line["spans"]))
            for block in page.get_text("dict")["blocks"]
            for line in block.get("lines", [])
        ]
        out = []
        for drawing in page.get_drawings():
            r = drawing["rect"]
            if r.height > 2 or r.width > 8 * PT_PER_CM:
                continue  # table borders
            above = [x for x in lines if r.y0 - 30 < x[0][3] <= r.y0 + 1 and x[0][0] < r.x1]
            if above:
                box, text = max(above, key=lambda x: x[0][3])
                out.append((text, r.y0 - box[3]))
    return out


def test_rule_under_kem_theo_stands_clear(pdfs: dict[str, tuple[Path, Path]]) -> None:
    """Issue 13.6: 3-4 pt between the italic '(Kèm theo …)' line's descenders and its rule."""
    checked = 0
    for name, (_docx, pdf) in sorted(pdfs.items()):
        for text, gap in rule_gaps(pdf):
            if text.startswith("(Kèm theo"):
                checked += 1
                assert 3.5 <= gap <= 6, (name, text, gap)
    assert checked >= 10


def test_width_table_matches_the_installed_font() -> None:
    """docgen.layout.measure's advance widths are Liberation Serif's (Times New Roman's)."""
    from docgen.layout.measure import widths

    fonts = Path("/usr/share/fonts/truetype/liberation2")
    if not fonts.is_dir():
        pytest.skip("fonts-liberation2 is not installed")
    styles = {
        (False, False): "Regular",
        (True, False): "Bold",
        (False, True): "Italic",
        (True, True): "BoldItalic",
    }
    for (bold, italic), style in styles.items():
        font = pymupdf.Font(fontfile=str(fonts / f"LiberationSerif-{style}.ttf"))
        table = widths(bold=bold, italic=italic)
        measured = {ch: round(font.glyph_advance(ord(ch)) * 1000) for ch in table}
        assert table == measured, style
