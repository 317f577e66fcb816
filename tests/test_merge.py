"""--merge: one .docx per dossier / decision folder, each part its own section and numbering."""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from lxml import etree

from docgen.main import load_workspace, render_decisions, render_dossiers
from docgen.render.merge import MERGED_DECISION, MERGED_DOSSIER, merge_folder

from .conftest import CONFIG, ROOT, TEMPLATES
from .docx_text import paragraphs

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
HEADER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"

ROUND, UNIT = "2022", "phuong-song-hien"


def _render(out: Path, *, pdf: bool = False) -> Path:
    ws = load_workspace(CONFIG, ROOT / "data")
    render_dossiers(ws, TEMPLATES, out, [ROUND], [UNIT], allow_ineligible=True, merge=True, pdf=pdf)
    return out / ROUND / UNIT


def _parts(folder: Path, merged: str) -> list[Path]:
    return sorted(p for p in folder.glob("*.docx") if p.name != merged)


def _sections(path: Path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return list(root.iter(f"{W}sectPr"))


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _render(tmp_path_factory.mktemp("merge") / "out")


def test_merged_dossier_holds_every_part_in_order(dossier: Path) -> None:
    merged = dossier / MERGED_DOSSIER
    parts = _parts(dossier, MERGED_DOSSIER)
    assert [p.name for p in parts][:3] == [
        "01-to-trinh.docx",
        "02-bien-ban-hop-xet.docx",
        "03-danh-sach.docx",
    ]
    assert len(parts) == 7
    assert paragraphs(merged) == [text for part in parts for text in paragraphs(part)]
    assert len(_sections(merged)) == len(parts)


def test_each_part_keeps_its_page_setup_and_numbering(dossier: Path) -> None:
    merged = dossier / MERGED_DOSSIER
    parts = _parts(dossier, MERGED_DOSSIER)
    sections = _sections(merged)
    for part, sect in zip(parts, sections, strict=True):
        (own,) = _sections(part)
        for tag in ("pgSz", "pgMar"):
            assert dict(sect.find(f"{W}{tag}").attrib) == dict(own.find(f"{W}{tag}").attrib)
        assert sect.find(f"{W}pgNumType").get(f"{W}start") == "1", part.name
        assert sect.find(f"{W}titlePg") is not None, part.name
        assert sect.find(f"{W}type") is not None
        assert sect.find(f"{W}type").get(f"{W}val") == "nextPage"
    # Every section but the last ends its part, in a paragraph of its own.
    assert all(s.getparent().tag == f"{W}pPr" for s in sections[:-1])
    assert sections[-1].getparent().tag == f"{W}body"

    document = docx.Document(str(merged))  # opens in python-docx
    orientations = [s.orientation for s in document.sections]
    expected = [
        WD_ORIENT.LANDSCAPE if p.name == "03-danh-sach.docx" else WD_ORIENT.PORTRAIT for p in parts
    ]
    assert orientations == expected
    assert all(s.different_first_page_header_footer for s in document.sections)
    # python-docx resolves every section's own headers: the PAGE field from page 2.
    for section in document.sections:
        assert not section.header.is_linked_to_previous
        assert "PAGE" in etree.tostring(section.header._element).decode()
        assert "PAGE" not in etree.tostring(section.first_page_header._element).decode()


def test_header_references_point_to_header_parts(dossier: Path) -> None:
    merged = dossier / MERGED_DOSSIER
    with zipfile.ZipFile(merged) as zf:
        names = set(zf.namelist())
        rels = {
            r.get("Id"): r
            for r in etree.fromstring(zf.read("word/_rels/document.xml.rels")).iter(
                f"{PR}Relationship"
            )
        }
        overrides = {
            o.get("PartName"): o.get("ContentType")
            for o in etree.fromstring(zf.read("[Content_Types].xml")).iter(f"{CT}Override")
        }
    targets = []
    for sect in _sections(merged):
        refs = sect.findall(f"{W}headerReference")
        assert sorted(r.get(f"{W}type") for r in refs) == ["default", "first"]
        for ref in refs:
            rel = rels[ref.get(f"{R}id")]
            assert rel.get("Type").endswith("/header")
            target = posixpath.join("word", rel.get("Target"))
            assert target in names
            assert overrides["/" + target] == HEADER_CT
            targets.append(target)
    assert len(set(targets)) == len(targets)  # each section its own header parts
    # No header part is left over from the first part, none is missing a relationship.
    headers = {n for n in names if re.fullmatch(r"word/header\d+\.xml", n)}
    assert headers == set(targets)


def test_merge_is_deterministic(dossier: Path, tmp_path: Path) -> None:
    again = _render(tmp_path / "out")
    assert (again / MERGED_DOSSIER).read_bytes() == (dossier / MERGED_DOSSIER).read_bytes()
    copy = tmp_path / "copy"
    shutil.copytree(dossier, copy)
    merge_folder(copy, MERGED_DOSSIER)  # the merged file already there is left out
    assert (copy / MERGED_DOSSIER).read_bytes() == (dossier / MERGED_DOSSIER).read_bytes()


def test_without_merge_no_merged_file(tmp_path: Path) -> None:
    ws = load_workspace(CONFIG, ROOT / "data")
    render_dossiers(ws, TEMPLATES, tmp_path, [ROUND], [UNIT], allow_ineligible=True)
    assert not (tmp_path / ROUND / UNIT / MERGED_DOSSIER).exists()


def test_merged_decisions(tmp_path: Path) -> None:
    ws = load_workspace(CONFIG, ROOT / "data")
    (run,) = render_decisions(ws, TEMPLATES, tmp_path, [ROUND], merge=True)
    folder = tmp_path / run.folder
    merged = folder / MERGED_DECISION
    parts = _parts(folder, MERGED_DECISION)
    assert [p.name for p in parts] == sorted(j.filename for j in run.jobs)
    assert paragraphs(merged) == [text for part in parts for text in paragraphs(part)]
    assert len(docx.Document(str(merged)).sections) == len(parts)


def _pdf_pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(
            ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True
        ).stdout
        match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
        assert match
        return int(match.group(1))
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


def _first_line(pdf: Path, page: int) -> str:
    text = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return next(line.strip() for line in text.splitlines() if line.strip())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_merged_pdf_numbers_each_part_from_its_second_page(tmp_path: Path) -> None:
    folder = _render(tmp_path / "out", pdf=True)  # --pdf converts the merged file too
    merged = folder / MERGED_DOSSIER
    counts = [_pdf_pages(p.with_suffix(".pdf")) for p in _parts(folder, MERGED_DOSSIER)]
    assert _pdf_pages(merged.with_suffix(".pdf")) == sum(counts)
    if shutil.which("pdftotext") is None:
        return
    page = 0
    for count in counts:
        for number in range(1, count + 1):
            page += 1
            first = _first_line(merged.with_suffix(".pdf"), page)
            if number == 1:
                assert not first.isdigit(), (page, first)  # no number on a part's first page
            else:
                assert first == str(number), (page, first)
