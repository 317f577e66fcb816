"""PDF conversion in bounded batches: every PDF checked, a failure retried once, then named
with LibreOffice's reason (issue 16.4).

The batching, retry and time-out logic runs against a stand-in `soffice` (a small script that
behaves like LibreOffice 7.4: at most 246 files per call, exit status 0 whatever happened);
the real LibreOffice converts a generated round of 300 documents and a damaged document.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.errors import DocgenError
from docgen.render import pdf

from .conftest import CONFIG, ROOT

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")

FAKE_SOFFICE = """#!{python}
# Stands in for LibreOffice 7.4's soffice --convert-to pdf: converts at most 246 files of the
# list and exits 0 whatever happened; the content of a file says how it behaves.
import os, sys, time
args = sys.argv[1:]
outdir = args[args.index("--outdir") + 1]
files = [a for a in args[args.index("--outdir") + 2:]]
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(f"{{len(files)}}\\n")
for path in files[:246]:
    data = open(path, "rb").read()
    name = os.path.join(outdir, os.path.basename(path)[:-5] + ".pdf")
    if b"HANG" in data:
        time.sleep(600)
    if b"BROKEN" in data:
        print("Error: source file could not be loaded", file=sys.stderr)
        continue
    marker = os.path.join(os.environ["FAKE_LOG"] + "." + os.path.basename(path))
    if b"FLAKY" in data and not os.path.exists(marker):
        open(marker, "w").close()
        continue
    os.makedirs(outdir, exist_ok=True)
    print(f"convert {{path}} -> {{name}} using filter : writer_pdf_Export")
    with open(name, "wb") as out:
        out.write(b"%PDF-1.4\\n" + data + (b"" if b"CUT" in data else b"\\n%%EOF\\n"))
"""


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in soffice first on PATH; returns its log (one line per call: files given)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable), encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    log = tmp_path / "calls.log"
    monkeypatch.setenv("FAKE_LOG", str(log))
    return log


def documents(folder: Path, contents: list[bytes]) -> list[Path]:
    """Files named as in a dossier (the same names in several folders)."""
    paths = []
    for i, content in enumerate(contents):
        path = folder / f"don-vi-{i // 10}" / f"{i % 10:02d}-van-ban.docx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        paths.append(path)
    return paths


def calls(log: Path) -> list[int]:
    return [int(line) for line in log.read_text().split()]


def test_batches_are_bounded_and_even() -> None:
    assert pdf.batches(0) == []
    assert pdf.batches(200) == [range(0, 200)]
    assert pdf.batches(201) == [range(0, 101), range(101, 201)]
    assert [len(b) for b in pdf.batches(600)] == [200, 200, 200]
    assert [len(b) for b in pdf.batches(7, limit=3)] == [3, 3, 1]
    assert [len(b) for b in pdf.batches(300, jobs=2)] == [150, 150]  # every job gets a share
    assert [len(b) for b in pdf.batches(600, jobs=2)] == [150, 150, 150, 150]
    assert [len(b) for b in pdf.batches(3, jobs=4)] == [1, 1, 1]


@pytest.mark.parametrize("jobs", [1, 2])
def test_more_documents_than_one_soffice_call_converts(
    tmp_path: Path, fake_soffice: Path, jobs: int
) -> None:
    docs = documents(tmp_path / "out", [f"doc {i}".encode() for i in range(600)])
    made = pdf.convert(docs, jobs=jobs)
    assert made == [d.with_suffix(".pdf") for d in docs]
    for i, made_pdf in enumerate(made):  # each PDF is its own document's, not a namesake's
        assert made_pdf.read_bytes() == f"%PDF-1.4\ndoc {i}\n%%EOF\n".encode()
    assert calls(fake_soffice) == ([200] * 3 if jobs == 1 else [150] * 4)


def test_a_missing_pdf_is_retried_once_alone(tmp_path: Path, fake_soffice: Path) -> None:
    docs = documents(tmp_path / "out", [b"one", b"FLAKY two", b"three"])
    made = pdf.convert(docs)
    assert [p.read_bytes() for p in made][1] == b"%PDF-1.4\nFLAKY two\n%%EOF\n"
    assert calls(fake_soffice) == [3, 1]


def test_a_cut_pdf_is_not_taken_for_a_pdf(tmp_path: Path, fake_soffice: Path) -> None:
    docs = documents(tmp_path / "out", [b"fine", b"CUT short"])
    with pytest.raises(DocgenError) as caught:
        pdf.convert(docs, labels=["2022/a/01.docx", "2022/a/02.docx"])
    assert str(caught.value) == (
        "LibreOffice không chuyển được 2022/a/02.docx sang PDF: LibreOffice không tạo ra tệp "
        "PDF và không báo lý do (mã thoát 0)"
    )
    assert not list((tmp_path / "out").rglob("*.pdf"))  # nothing half-made beside the docs


def test_failures_are_named_all_at_once_with_libreoffice_reason(
    tmp_path: Path, fake_soffice: Path
) -> None:
    docs = documents(tmp_path / "out", [b"ok", b"BROKEN", b"ok", b"BROKEN too"])
    labels = [f"2022/don-vi/{d.name}" for d in docs]
    with pytest.raises(DocgenError) as caught:
        pdf.convert(docs, labels=labels)
    assert str(caught.value) == (
        "LibreOffice không chuyển được 2 văn bản sang PDF:\n"
        "  - 2022/don-vi/01-van-ban.docx: Error: source file could not be loaded\n"
        "  - 2022/don-vi/03-van-ban.docx: Error: source file could not be loaded"
    )
    assert calls(fake_soffice) == [4, 1, 1]


def test_a_hung_soffice_is_killed_and_named(
    tmp_path: Path, fake_soffice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "START_SECONDS", 2)
    monkeypatch.setattr(pdf, "SECONDS_PER_DOCUMENT", 0)
    docs = documents(tmp_path / "out", [b"ok", b"HANG"])
    with pytest.raises(DocgenError) as caught:
        pdf.convert(docs)
    assert str(caught.value) == (
        "LibreOffice không chuyển được 01-van-ban.docx sang PDF: "
        "LibreOffice không chuyển xong sau 2 giây"
    )
    assert calls(fake_soffice) == [2, 1]
    assert str(tmp_path / "bin" / "soffice") not in ps()  # killed, not left running


# ------------------------------------------------------------------- the real LibreOffice


def write_round(folder: Path, units: int, people: int) -> Path:
    """A workspace whose round has `units` dossiers of 3 + 1 + `people` documents."""
    data = folder / "data"
    (data / "rounds").mkdir(parents=True)
    shutil.copy(CONFIG, folder / "config.yaml")
    (folder / "templates").symlink_to(ROOT / "templates")
    unit_lines, people_lines, subs = ["units:"], ["people:"], ['id: "2022"', "kind: annual"]
    subs += ["year: 2022", "submissions:"]
    for u in range(units):
        uid = f"phong-so-{u:03d}"
        unit_lines += [
            f"  - id: {uid}",
            f"    name: Phòng Chuyên môn Số {u}",
            "    kind: office",
            "    symbol: PCM",
            "    head: {name: Hoàng Văn Minh, title: Trưởng phòng}",
            "    par_index: {2021: 91.5, 2022: 92.1}",
        ]
        subs += [
            f"  - unit: {uid}",
            '    proposal: {number: "05", date: 2023-02-20}',
            "    meeting:",
            '      {number: "02", date: 17/02/2023, start: "14:00", end: "16:30",',
            "       place: Hội trường,",
            "       chair: Hoàng Văn Minh, secretary: Lục Thị Mai, members: [",
            "        {name: Hoàng Văn Minh, position: Trưởng phòng, role: Chủ tịch Hội đồng},",
            "        {name: Lục Thị Mai, position: Chuyên viên, role: Thư ký Hội đồng}]}",
            "    nominations:",
            f"      - {{collective: {uid}, award: giay_khen_tp, votes: 2, achievements: [Tốt.]}}",
        ]
        for p in range(people):
            pid = f"can-bo-{u:03d}-{p}"
            people_lines += [
                f"  - {{id: {pid}, name: Nông Thị Hoa {p}, gender: nữ, birth_year: 1985,",
                f"     position: Chuyên viên, unit: {uid}, ratings: {{2021: HTTNV, 2022: HTTNV}}}}",
            ]
            subs.append(
                f"      - {{person: {pid}, award: giay_khen_tp, votes: 2, achievements: [Tốt.]}}"
            )
    (data / "units.yaml").write_text("\n".join(unit_lines) + "\n", encoding="utf-8")
    (data / "people.yaml").write_text("\n".join(people_lines) + "\n", encoding="utf-8")
    (data / "rounds" / "2022.yaml").write_text("\n".join(subs) + "\n", encoding="utf-8")
    return folder


@needs_soffice
def test_dossier_pdf_for_300_documents(tmp_path: Path) -> None:
    ws = write_round(tmp_path / "ws", units=25, people=8)  # 25 × (3 + 1 + 8) = 300
    result = subprocess.run(  # soffice processes: the path with the 246-file limit
        [sys.executable, "-m", "docgen", "dossier", "--pdf", "--allow-ineligible"],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=900,
        env=dict(os.environ, DOCGEN_PDF="processes"),
    )
    assert result.returncode == 0, result.stderr
    out = ws / "out"
    docx = sorted(p.relative_to(out).with_suffix("") for p in out.rglob("*.docx"))
    pdfs = sorted(p.relative_to(out).with_suffix("") for p in out.rglob("*.pdf"))
    assert len(docx) == 300
    assert pdfs == docx
    assert all(pdf.is_pdf(p) for p in out.rglob("*.pdf"))


@needs_soffice
def test_a_damaged_document_is_named_with_libreoffice_reason(tmp_path: Path) -> None:
    good = tmp_path / "2022" / "a" / "01-to-trinh.docx"
    good.parent.mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "to-trinh.docx", good)
    bad = tmp_path / "2022" / "b" / "01-to-trinh.docx"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DocgenError) as caught:
        pdf.convert([good, bad], labels=["2022/a/01-to-trinh.docx", "2022/b/01-to-trinh.docx"])
    assert str(caught.value).startswith(
        "LibreOffice không chuyển được 2022/b/01-to-trinh.docx sang PDF: Error: source file "
        "could not be loaded"
    )
    assert not good.with_suffix(".pdf").exists()


def pdf_facts(path: Path) -> tuple[int, str]:
    """Page count and text (pdftotext -layout) of a PDF."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(next(li.split()[-1] for li in info.stdout.splitlines() if li.startswith("Pages:")))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return pages, text


def example_documents(out: Path) -> list[Path]:
    """The mini workspace's dossier (Tờ trình, Biên bản, Danh sách, two reports), rendered."""
    from docgen.main import load_workspace, render_dossiers

    ws = load_workspace(CONFIG, ROOT / "tests" / "fixtures" / "mini" / "data")
    render_dossiers(ws, ROOT / "templates", out, allow_ineligible=True, jobs=1)
    return sorted(out.rglob("*.docx"))


@needs_soffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_parallel_pdfs_equal_the_single_process_ones(tmp_path: Path) -> None:
    docs = example_documents(tmp_path / "one")
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    one = pdf.convert(docs, jobs=1)
    two = pdf.convert([tmp_path / "two" / d.relative_to(tmp_path / "one") for d in docs], jobs=2)
    assert len(one) == len(two) == len(docs) >= 5
    for a, b in zip(one, two, strict=True):
        pages, text = pdf_facts(a)
        assert pages >= 1 and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert pdf_facts(b) == (pages, text), a.name


def test_an_interrupted_conversion_leaves_no_soffice(tmp_path: Path, fake_soffice: Path) -> None:
    import signal
    import time

    docs = documents(tmp_path / "out", [b"HANG a", b"HANG b", b"HANG c"])
    script = (
        "import sys; from pathlib import Path; from docgen.render import pdf; "
        "pdf.convert([Path(a) for a in sys.argv[1:]], jobs=2)"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, *map(str, docs)], cwd=ROOT, stderr=subprocess.PIPE
    )
    fake = str(tmp_path / "bin" / "soffice")
    deadline = time.monotonic() + 30
    while fake not in ps() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert fake in ps()
    time.sleep(0.5)
    child.send_signal(signal.SIGINT)
    _unused, err = child.communicate(timeout=30)
    assert b"KeyboardInterrupt" in err
    assert fake not in ps()
    assert sorted(calls(fake_soffice)) == [1, 2]  # two batches started: two jobs


def ps() -> str:
    command = ["ps", "-eww", "-o", "args"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_a_libreoffice_that_converts_nothing_is_not_retried_per_document(
    tmp_path: Path, fake_soffice: Path
) -> None:
    docs = documents(tmp_path / "out", [b"BROKEN"] * 50)
    with pytest.raises(DocgenError) as caught:
        pdf.convert(docs, jobs=2)
    assert str(caught.value) == (
        "LibreOffice không chuyển được 00-van-ban.docx sang PDF: Error: source file could not "
        "be loaded\n(LibreOffice không chuyển được văn bản nào trong 50 văn bản)"
    )
    assert sorted(calls(fake_soffice)) == [1, 25, 25]
