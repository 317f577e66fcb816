"""The bundled example renders every unit's dossier; each file is a valid Word document."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from docgen.errors import DocgenError
from docgen.main import load_workspace, render_dossiers

from .conftest import CONFIG, ROOT, TEMPLATES
from .docx_text import paragraphs

KINDS = ("01-to-trinh", "02-bien-ban-hop-xet", "03-danh-sach", "04-bao-cao-thanh-tich")


@pytest.fixture(scope="module")
def example_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "out"
    ws = load_workspace(CONFIG, ROOT / "data")
    render_dossiers(ws, TEMPLATES, out, allow_ineligible=True)  # it has failures on purpose
    return out


def test_example_refuses_ineligible_nominations_by_default(tmp_path: Path) -> None:
    ws = load_workspace(CONFIG, ROOT / "data")
    with pytest.raises(DocgenError) as info:
        render_dossiers(ws, TEMPLATES, tmp_path / "out")
    message = str(info.value)
    assert message.startswith("6 đề nghị không đạt tiêu chuẩn của kế hoạch")
    assert (
        "Ủy ban nhân dân phường Hợp Giang (Giấy khen của Chủ tịch Ủy ban nhân dân thành phố): "
        "Chỉ số CCHC năm 2022: 88,75% < 90%" in message
    )
    assert not (tmp_path / "out").exists()


def test_every_submission_has_a_complete_dossier(example_out: Path) -> None:
    ws = load_workspace(CONFIG, ROOT / "data")
    for rnd in ws.rounds.values():
        for sub in rnd.submissions:
            folder = example_out / rnd.id / sub.unit
            names = sorted(p.name for p in folder.iterdir())
            reports = [n for n in names if n.startswith("04-")]
            assert names[:3] == [f"{k}.docx" for k in KINDS[:3]]
            assert len(reports) == len(sub.nominations)


def test_every_document_is_valid(example_out: Path) -> None:
    docs = sorted(example_out.rglob("*.docx"))
    assert len(docs) > 30
    for path in docs:
        Document(str(path))  # opens in python-docx
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if name.endswith(".xml") or name.endswith(".rels"):
                    etree.fromstring(zf.read(name))  # well-formed, strict parser
        text = "\n".join(paragraphs(path))
        assert "{{" not in text and "{%" not in text  # no tag left unrendered


def test_sample_values_reach_the_documents(example_out: Path) -> None:
    ws = load_workspace(CONFIG, ROOT / "data")
    rnd = ws.rounds["2022"]
    sub = rnd.submissions[0]
    unit = ws.units[sub.unit]
    lines = paragraphs(example_out / "2022" / sub.unit / "01-to-trinh.docx")
    assert "TỜ TRÌNH" in lines
    assert any(unit.name in line for line in lines)
    assert lines[-1] == (unit.signer.name if unit.signer else unit.head.name)


def to_pdf(docs: list[Path], outdir: Path) -> None:
    """One LibreOffice run with a private profile converts `docs` into `outdir`."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{outdir}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, docs),
        ],
        check=True,
        capture_output=True,
        timeout=600,
        env=dict(os.environ, HOME=str(outdir)),
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_converts_one_of_each_kind(example_out: Path, tmp_path: Path) -> None:
    folder = next(p for p in sorted((example_out / "2022").iterdir()) if p.is_dir())
    docs = [next(folder.glob(f"{kind}*.docx")) for kind in KINDS]
    to_pdf(docs, tmp_path)
    for doc in docs:
        pdf = tmp_path / (doc.stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 5000, doc.name
        assert re.search(rb"/Type\s*/Page\b", pdf.read_bytes()), doc.name


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler-utils not installed",
)
def test_report_signatures_never_stand_alone_on_a_page(example_out: Path, tmp_path: Path) -> None:
    """Mẫu 07 ends with section II and two signature columns: the titles stay with the
    names, and the page they are on also holds section II (seen once: the phường's report
    put the signer's name alone on page 2)."""
    reports = sorted((example_out / "2022").glob("*/04-bao-cao-thanh-tich-*.docx"))
    assert len(reports) >= 10
    to_pdf(reports, tmp_path)
    for report in reports:
        pdf = tmp_path / (report.stem + ".pdf")
        pages = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout.split("\f")
        last = next(page for page in reversed(pages) if page.strip())
        lines = paragraphs(report)
        assert "II. KẾT QUẢ ĐÁNH GIÁ" in last, report.name
        for title in ("XÁC NHẬN CỦA", "(Ký, "):
            assert title in last, (report.name, title)
        assert " ".join(lines[-1].split()) in " ".join(last.split()), report.name
