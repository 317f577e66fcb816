"""The warm converter (issue 17.2): one LibreOffice kept running for previews; its PDFs are
the single-process ones (text and page count), a dead or hung LibreOffice is restarted and
the document tried again, closing leaves no process and no profile."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from docgen.errors import DocgenError
from docgen.main import preview_pdf, warm_converter
from docgen.render import pdf
from docgen.render.warm import WarmConverter, convert_many, uno_python

from .test_pdf import example_documents, pdf_facts

pytestmark = [
    pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
    pytest.mark.skipif(uno_python() is None, reason="needs python3-uno"),
]


def group(converter: WarmConverter) -> list[int]:
    """Processes of the converter's process group (its bridge and LibreOffice), zombies
    (killed, not yet reaped by init) left out."""
    assert converter.bridge is not None
    result = subprocess.run(
        ["ps", "-e", "-o", "pid=,pgid=,stat="], capture_output=True, text=True, check=True
    )
    return [
        int(pid)
        for pid, pgid, stat in (line.split() for line in result.stdout.splitlines())
        if int(pgid) == converter.bridge.pid and not stat.startswith("Z")
    ]


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return example_documents(tmp_path_factory.mktemp("docs") / "out")


@pytest.fixture(scope="module")
def single(docs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The single-process PDFs of the documents, by file name."""
    made = pdf.convert(copies(docs, tmp_path_factory.mktemp("single")), jobs=1)
    return {d.name: p for d, p in zip(docs, made, strict=True)}


def copies(docs: list[Path], folder: Path) -> list[Path]:
    """Each document copied into a folder of its own under `folder`."""
    made = []
    for i, doc in enumerate(docs):
        copy = folder / str(i) / doc.name
        copy.parent.mkdir()
        shutil.copy(doc, copy)
        made.append(copy)
    return made


def test_warm_pdfs_equal_the_single_process_ones(
    docs: list[Path], single: dict[str, Path], tmp_path: Path
) -> None:
    with WarmConverter() as converter:
        for doc in docs:
            made = converter.convert(doc, tmp_path)
            assert made == tmp_path / f"{doc.stem}.pdf"
            assert pdf_facts(made) == pdf_facts(single[doc.name]), doc.name
        assert converter.starts == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{d.stem}.pdf" for d in docs)


def test_a_dead_libreoffice_is_restarted(docs: list[Path], tmp_path: Path) -> None:
    with WarmConverter() as converter:
        converter.convert(docs[0], tmp_path)
        assert converter.bridge is not None
        office = [pid for pid in group(converter) if pid != converter.bridge.pid]
        assert office
        for pid in office:  # LibreOffice alone dies: the bridge's next request fails
            os.kill(pid, signal.SIGKILL)
        assert pdf.is_pdf(converter.convert(docs[1], tmp_path))
        assert converter.starts == 2
        os.killpg(converter.bridge.pid, signal.SIGKILL)  # the bridge and LibreOffice die
        assert pdf.is_pdf(converter.convert(docs[2], tmp_path))
        assert converter.starts == 3


def test_close_leaves_no_process_and_no_profile(docs: list[Path], tmp_path: Path) -> None:
    converter = WarmConverter()
    converter.convert(docs[0], tmp_path)
    home = converter.home
    assert any(home.iterdir())
    bridge = converter.bridge
    assert bridge is not None
    pgid = bridge.pid
    converter.close()
    assert not home.exists()
    result = subprocess.run(
        ["ps", "-e", "-o", "pgid=,stat="], capture_output=True, text=True, check=True
    )
    assert not [
        line
        for line in result.stdout.splitlines()
        if line.split()[0] == str(pgid) and not line.split()[1].startswith("Z")
    ]


def test_a_hung_conversion_is_retried_then_named(docs: list[Path], tmp_path: Path) -> None:
    with WarmConverter(convert_seconds=0.01) as converter:
        with pytest.raises(DocgenError) as caught:
            converter.convert(docs[0], tmp_path)
        assert str(caught.value) == (
            f"LibreOffice không chuyển được {docs[0].name} sang PDF: "
            "LibreOffice không chuyển xong sau 1 giây"
        )
        assert converter.starts == 2  # killed and started again for the one retry
    assert not list(tmp_path.iterdir())  # no partial PDF


def test_a_damaged_document_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "01-to-trinh.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with WarmConverter() as converter, pytest.raises(DocgenError) as caught:
        converter.convert(bad, tmp_path / "out")
    assert str(caught.value) == (
        "LibreOffice không chuyển được 01-to-trinh.docx sang PDF: source file could not be loaded"
    )


def test_preview_cold_and_warm(docs: list[Path], single: dict[str, Path]) -> None:
    expected = pdf_facts(single[docs[0].name])
    cold = preview_pdf(docs[0])
    with warm_converter() as converter:  # what a web server keeps
        assert converter.alive()
        warm = preview_pdf(docs[0].read_bytes(), converter)
    for made in (cold, warm):
        assert made.startswith(b"%PDF-")
    folder = single[docs[0].name].parent
    (folder / "cold.pdf").write_bytes(cold)
    (folder / "warm.pdf").write_bytes(warm)
    assert pdf_facts(folder / "cold.pdf") == expected
    assert pdf_facts(folder / "warm.pdf") == expected


def test_preview_of_a_missing_file_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(DocgenError) as caught:
        preview_pdf(tmp_path / "khong-co.docx")
    assert str(caught.value) == f"không tìm thấy văn bản {tmp_path / 'khong-co.docx'}"


def test_warm_pool_pdfs_equal_the_single_process_ones(
    docs: list[Path], single: dict[str, Path], tmp_path: Path
) -> None:
    batch = copies(docs, tmp_path)
    made = convert_many(batch, jobs=2)
    assert made == [d.with_suffix(".pdf") for d in batch]
    for doc, result in zip(docs, made, strict=True):
        assert pdf_facts(result) == pdf_facts(single[doc.name]), doc.name


def test_warm_pool_names_every_failure_and_leaves_no_pdf(docs: list[Path], tmp_path: Path) -> None:
    good = tmp_path / "a" / docs[0].name
    good.parent.mkdir()
    shutil.copy(docs[0], good)
    bad = tmp_path / "b" / "02-bien-ban-hop-xet.docx"
    bad.parent.mkdir()
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DocgenError) as caught:
        convert_many([good, bad], labels=["2022/a/x.docx", "2022/b/y.docx"], jobs=2)
    assert str(caught.value) == (
        "LibreOffice không chuyển được 2022/b/y.docx sang PDF: source file could not be loaded"
    )
    assert not list(tmp_path.rglob("*.pdf"))
    assert not list(tmp_path.rglob("*.part"))
