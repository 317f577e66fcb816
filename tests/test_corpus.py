"""The bad-input corpus: every command on every case fails cleanly, with a located message.

Each folder under tests/corpus/bad/ is one case: case.yaml says what it is, how to derive it
from a copy of the `mini` fixture (edits, replacement files next to case.yaml, generated
files) and the exact problems expected. Every command that reads the data runs on every case
and must exit with status 1, print exactly those "file:line [key path]: message" lines and no
traceback, and write no file. tests/corpus/ok/ holds unusual but valid input (a BOM, CRLF,
decomposed Unicode, merge keys…) that must render exactly.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from docgen.cli import cli, main

from .conftest import CONFIG, FIXTURES, ROOT, TEMPLATES
from .docx_text import paragraphs

CORPUS = Path(__file__).resolve().parent / "corpus"
BAD = sorted(p.name for p in (CORPUS / "bad").iterdir() if (p / "case.yaml").is_file())
OK = sorted(p.name for p in (CORPUS / "ok").iterdir() if (p / "case.yaml").is_file())
#: A clear message must come fast, even for a bomb (generous for slow CI machines).
SECONDS_PER_COMMAND = 10.0


def load_case(folder: Path) -> dict[str, Any]:
    case = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    assert isinstance(case, dict) and case.get("about"), f"{folder}/case.yaml needs 'about'"
    return case


def _huge(ws: Path) -> None:
    """Units enough to pass 5 MB: a paste gone wrong."""
    line = "  - {id: don-vi, name: Phòng Nội vụ, kind: office, symbol: PNV}\n"
    (ws / "data" / "units.yaml").write_text(
        "units:\n" + line * (6 * 1024 * 1024 // len(line.encode())), encoding="utf-8"
    )


def _many_nodes(ws: Path) -> None:
    """300,000 small values in ~600 KB, under the size limit but over the node limit."""
    row = "  - [" + ", ".join(["1"] * 10_000) + "]\n"
    (ws / "data" / "units.yaml").write_text("units:\n" + row * 30, encoding="utf-8")


GENERATORS: dict[str, Callable[[Path], None]] = {"huge": _huge, "many-nodes": _many_nodes}


def mini_workspace(dest: Path) -> Path:
    """A copy of the `mini` fixture with the repository's config.yaml."""
    shutil.copytree(FIXTURES / "mini", dest)
    shutil.copy(CONFIG, dest / "config.yaml")
    return dest


def build_workspace(folder: Path, dest: Path) -> Path:
    """The `mini` workspace with the case applied."""
    case = load_case(folder)
    mini_workspace(dest)
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "case.yaml":
            target = dest / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    for edit in case.get("edits", []):
        file = dest / edit["file"]
        text = file.read_text(encoding="utf-8")
        assert edit["old"] in text, f"{folder.name}: {edit['old']!r} not in {edit['file']}"
        file.write_text(text.replace(edit["old"], edit["new"], 1), encoding="utf-8")
    for name in case.get("delete", []):
        (dest / name).unlink()
    for old, new in case.get("rename", {}).items():
        (dest / old).rename(dest / new)
    for name in case.get("bom", []):
        (dest / name).write_bytes(b"\xef\xbb\xbf" + (dest / name).read_bytes())
    for name, newline in case.get("line_breaks", {}).items():
        text = (dest / name).read_text(encoding="utf-8")
        (dest / name).write_bytes(text.replace("\n", newline).encode("utf-8"))
    for name in case.get("nfd", []):
        text = (dest / name).read_text(encoding="utf-8")
        (dest / name).write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    if "generate" in case:
        GENERATORS[case["generate"]](dest)
    return dest


def data_commands(out: Path) -> list[list[str]]:
    """Every command that reads config and data (those that exist in this version)."""
    commands = [
        ["validate"],
        ["check"],
        ["dossier", "--out", str(out)],
        ["decision", "--out", str(out)],
        ["templates", "check"],
    ]
    return [c for c in commands if c[0] in cli.commands]


def run(
    args: list[str],
    cwd: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    templates: Path = TEMPLATES,
) -> tuple[int, str, str]:
    """docgen.cli.main in this process: (exit status, stdout, stderr).

    Any exception other than SystemExit escapes and fails the test: that is a traceback.
    """
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", ["docgen", "--templates", str(templates), *args])
    capsys.readouterr()
    code: int | str | None = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    assert isinstance(code, int), code
    return code, out, err


def expected_stderr(case: dict[str, Any]) -> str:
    """The messages a case expects; `{next_year}` stands for the last year a date may carry."""
    if "message" in case:
        return f"Lỗi: {case['message']}\n"
    errors = [e.replace("{next_year}", str(date.today().year + 1)) for e in case["errors"]]
    lines = [f"Lỗi: Dữ liệu có {len(errors)} lỗi:"] + [f"  - {e}" for e in errors]
    return "\n".join(lines) + "\n"


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize("name", BAD)
def test_bad_input(
    name: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = CORPUS / "bad" / name
    case = load_case(folder)
    ws = build_workspace(folder, tmp_path / "ws")
    out = tmp_path / "out"
    before = files_under(ws)
    if case.get("make_out"):
        out.mkdir()
    runs = (
        [[a.replace("{out}", str(out)) for a in case["args"]]]
        if "args" in case
        else data_commands(out)
    )
    for args in runs:
        start = time.monotonic()
        code, stdout, stderr = run(args, ws, capsys, monkeypatch)
        elapsed = time.monotonic() - start
        assert code == 1, f"{name}: docgen {' '.join(args)} exited {code}\n{stdout}{stderr}"
        assert "Traceback" not in stderr
        assert stderr == expected_stderr(case), f"docgen {' '.join(args)}"
        assert elapsed < SECONDS_PER_COMMAND, f"docgen {' '.join(args)} took {elapsed:.1f} s"
        assert files_under(out) == [], f"docgen {' '.join(args)} wrote files"
        assert files_under(ws) == before, f"docgen {' '.join(args)} wrote into the workspace"


LOCATED = re.compile(r"^(?P<file>[^:\[]+?)(?::(?P<line>\d+))?(?: \[(?P<key>.+?)\])?: \S")
#: Problems of a whole file or folder: a line where there is one, but no key to name.
WHOLE_FILE = (
    "tệp rỗng",
    "không tìm thấy tệp",
    "tệp quá lớn (",
    "tệp được lưu bằng mã UTF-16",
    "tệp không phải mã UTF-8",
    "tệp là tệp nén",
    "tệp phải là một bảng khóa",
    "tệp chỉ được chứa một tài liệu YAML",
    "tệp không được đọc",
    "không tìm thấy thư mục dữ liệu",
    "không có tệp đợt khen thưởng",
)


def test_every_bad_case_gives_file_line_and_key() -> None:
    """The corpus itself: every problem names its file, and its line and key path unless it
    is about the file as a whole."""
    total = 0
    for name in BAD:
        for error in load_case(CORPUS / "bad" / name).get("errors", []):
            total += 1
            match = LOCATED.match(error)
            assert match, error
            if not error.split(": ", 1)[1].startswith(WHOLE_FILE):
                assert match["line"] and match["key"], error
    assert total >= 60


def check_docx(path: Path) -> None:
    """Well-formed XML in every part and readable by python-docx."""
    from docx import Document

    Document(str(path))
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        for part in zf.namelist():
            if part.endswith((".xml", ".rels")):
                etree.fromstring(zf.read(part))


@pytest.mark.parametrize("name", OK)
def test_unusual_but_valid_input(
    name: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = CORPUS / "ok" / name
    case = load_case(folder)
    ws = build_workspace(folder, tmp_path / "ws")
    out = tmp_path / "out"
    code, stdout, stderr = run(["validate"], ws, capsys, monkeypatch)
    assert (code, stderr) == (0, ""), stderr
    assert stdout == "Dữ liệu hợp lệ: 2 đơn vị, 2 cá nhân, 1 đợt khen thưởng, 1 hồ sơ.\n"
    code, stdout, stderr = run(["dossier", "--out", str(out)], ws, capsys, monkeypatch)
    assert code == 0, stderr
    folder_out = out / "2022" / "phuong-song-hien"
    for doc in folder_out.iterdir():
        check_docx(doc)
        for line in paragraphs(doc):
            assert "\ufeff" not in line and unicodedata.is_normalized("NFC", line)
    for filename, texts in case["expect"].items():
        joined = "\n".join(paragraphs(folder_out / filename))
        for text in texts:
            assert text in joined, f"{filename}: {text!r}"


# ---------------------------------------------------------------------------------------------
# Templates edited by users: `templates check` finds the problem with its paragraph, and
# rendering stops with a plain message and writes nothing.

TEMPLATE_CASES = sorted(p.name for p in (CORPUS / "templates").iterdir())


def broken_templates(folder: Path, dest: Path) -> tuple[dict[str, Any], Path]:
    """A copy of the templates with the case's paragraph added (or file replaced)."""
    from docxtpl import DocxTemplate

    case = load_case(folder)
    shutil.copytree(TEMPLATES, dest)
    target = dest / case["template"]
    if "content" in case:
        target.write_text(case["content"], encoding="utf-8")
    else:
        tpl = DocxTemplate(str(target))
        tpl.init_docx()
        tpl.docx.add_paragraph(case["paragraph"])
        tpl.docx.save(str(target))
    return case, dest


def test_shipped_templates_pass_the_check_with_the_example_data(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, stdout, stderr = run(["templates", "check"], ROOT, capsys, monkeypatch)
    assert (code, stderr) == (0, "")
    for name in ("to-trinh.docx", "bien-ban-hop-xet.docx", "danh-sach.docx", "ke-hoach.docx"):
        assert f"Mẫu {name} (" in stdout
    assert "unit.name" in stdout and "meeting.place" in stdout and "nominee.name" in stdout
    assert stdout.endswith(f"Mọi mẫu trong {TEMPLATES} đều dùng được với dữ liệu.\n")


@pytest.mark.parametrize("name", TEMPLATE_CASES)
def test_template_check_finds_the_problem(
    name: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case, templates = broken_templates(CORPUS / "templates" / name, tmp_path / "templates")
    ws = mini_workspace(tmp_path / "ws")
    code, stdout, stderr = run(["templates", "check"], ws, capsys, monkeypatch, templates)
    expected = [f"{case['template']}: {p}" for p in case["check"]]
    if not expected:  # found only when rendered: the check passes, rendering must not
        assert code == 0, stderr
        return
    assert code == 1
    assert stderr == (
        f"Lỗi: {len(expected)} vấn đề trong mẫu ở {templates}:\n"
        + "".join(f"  - {e}\n" for e in expected)
    )
    assert f"Mẫu {case['template']} (hồ sơ" in stdout


@pytest.mark.parametrize("name", TEMPLATE_CASES)
def test_broken_template_stops_rendering_cleanly(
    name: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    case, templates = broken_templates(CORPUS / "templates" / name, tmp_path / "templates")
    if "dossier_xfail" in case:
        request.applymarker(pytest.mark.xfail(reason=case["dossier_xfail"], strict=True))
    ws = mini_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    code, _, stderr = run(["dossier", "--out", str(out)], ws, capsys, monkeypatch, templates)
    assert code == 1
    assert stderr.startswith(f"Lỗi: {case['dossier']}"), stderr
    assert files_under(out) == []


@pytest.mark.parametrize(
    "name",
    [
        "syntax-error",
        "unknown-variable",
    ],
)
def test_render_error_names_the_paragraph(
    name: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case, templates = broken_templates(CORPUS / "templates" / name, tmp_path / "templates")
    ws = mini_workspace(tmp_path / "ws")
    code, _, stderr = run(
        ["dossier", "--out", str(tmp_path / "out")], ws, capsys, monkeypatch, templates
    )
    assert code == 1
    assert case["paragraph"].strip() in stderr


# ---------------------------------------------------------------------------------------------
# The same, in a real process with bounded memory: no traceback, no memory blow-up.

MEMORY_LIMIT = 512 * 1024 * 1024


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
@pytest.mark.parametrize(
    "name", ["alias-bomb", "merge-bomb", "deep-nesting", "huge-file", "many-nodes", "tcvn3-file"]
)
def test_bombs_in_a_real_process_with_bounded_memory(name: str, tmp_path: Path) -> None:
    folder = CORPUS / "bad" / name
    case = load_case(folder)
    ws = build_workspace(folder, tmp_path / "ws")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "--templates", str(TEMPLATES), "validate"],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == expected_stderr(case)


@pytest.mark.parametrize("name", BAD)
def test_bad_input_in_english(
    name: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same problems, located the same way, every one of them translated."""
    from docgen import i18n

    folder = CORPUS / "bad" / name
    case = load_case(folder)
    if "args" in case:
        return  # cases about one command's options: their messages are in test_cli
    ws = build_workspace(folder, tmp_path / "ws")
    try:
        code, _out, stderr = run(["--lang", "en", "validate"], ws, capsys, monkeypatch)
    finally:
        i18n.set_language("vi")
    assert code == 1 and "Traceback" not in stderr
    lines = stderr.splitlines()
    vietnamese = expected_stderr(case).splitlines()
    assert len(lines) == len(vietnamese)
    assert lines[0].startswith("Error: ")
    for english, original in zip(lines[1:] or lines, vietnamese[1:] or vietnamese, strict=True):
        where = LOCATED.match(original.removeprefix("  - ").removeprefix("Lỗi: "))
        assert where, original
        located = original[: original.index(where.group(0)) + len(where.group(0)) - 1]
        assert english.startswith(located.replace("Lỗi: ", "Error: ")), (english, original)
        assert english != original, f"not translated: {english}"
