"""`docgen init`: a new workspace that validates, renders at once and takes edited templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Pt

from docgen.errors import OutputError
from docgen.layout import templates as build_templates
from docgen.main import load_workspace
from docgen.workspace.config import load_config
from docgen.workspace.init import init_workspace

from .conftest import CONFIG
from .docx_text import text

UNIT_NAME = "Phòng Văn hóa - Xã hội"
UNIT_ID = "phong-van-hoa-xa-hoi"
NOTE = "Ghi chú riêng của đơn vị: "
SKELETON_FILES = [
    "README.txt",
    "config.yaml",
    "data/units.yaml",
    "data/people.yaml",
    "data/rounds/NAM.yaml",
]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its content, to prove nothing changed."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace made by `python -m docgen init` (shared: the tests below only read it)."""
    base = tmp_path_factory.mktemp("init")
    result = run("init", "ws", cwd=base)
    assert result.returncode == 0, result.stderr
    assert "docgen validate" in result.stdout
    return base / "ws"


def test_skeleton_is_package_data() -> None:
    root = files("docgen") / "skeleton"
    for rel in SKELETON_FILES:
        node = root.joinpath(*rel.split("/"))
        assert node.is_file(), rel
        assert node.read_text(encoding="utf-8").strip()


def test_skeleton_config_matches_repository() -> None:
    """The facts duplicated in the skeleton's config.yaml must not drift from the repository's."""
    path = Path(str(files("docgen") / "skeleton" / "config.yaml"))
    ours, repo = load_config(path), load_config(CONFIG)
    for key in ("base_salary", "legal_bases", "style"):
        assert getattr(ours, key) == getattr(repo, key), key
    assert ours.awards["bang_khen_tinh"] == repo.awards["bang_khen_tinh"]
    source = path.read_text(encoding="utf-8")
    assert "# SỬA:" in source
    assert "tests/test_init.py" in source.split("\n\n")[0]  # the comment at the top says so


def test_init_writes_workspace(workspace: Path) -> None:
    year = date.today().year
    written = {p.relative_to(workspace).as_posix() for p in workspace.rglob("*") if p.is_file()}
    expected_templates = {f"templates/{n}" for n in build_templates.TEMPLATES} | {
        "templates/ke-hoach.docx",
        "templates/giay-khen.docx",
        "templates/giay-khen-phoi.docx",
    }
    assert written == {
        "README.txt",
        "config.yaml",
        "data/units.yaml",
        "data/people.yaml",
        f"data/rounds/{year}.yaml",
        *expected_templates,
    }
    readme = (workspace / "README.txt").read_text(encoding="utf-8")
    for command in ("docgen validate", "docgen check", "docgen dossier"):
        assert command in readme
    round_text = (workspace / "data" / "rounds" / f"{year}.yaml").read_text(encoding="utf-8")
    assert "DỮ LIỆU MẪU" in round_text
    assert f"year: {year}" in round_text
    assert not list(workspace.parent.glob(".*docgen-init*"))  # no staging folder left


def test_init_validates_checks_and_renders(workspace: Path) -> None:
    validate = run("validate", cwd=workspace)
    assert validate.returncode == 0, validate.stderr
    assert "2 đơn vị, 2 cá nhân, 1 đợt khen thưởng, 1 hồ sơ" in validate.stdout
    check = run("check", cwd=workspace)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "2 đạt, 0 không đạt" in check.stdout
    templates = run("templates", "check", cwd=workspace)
    assert templates.returncode == 0, templates.stdout + templates.stderr
    out = workspace.parent / "out-render"
    dossier = run("dossier", "--out", str(out), cwd=workspace)
    assert dossier.returncode == 0, dossier.stderr
    folder = out / str(date.today().year) / UNIT_ID
    docs = sorted(folder.glob("*.docx"))
    assert [d.name[:3] for d in docs] == ["01-", "02-", "03-", "04-", "04-"]
    for doc in docs[:3]:
        assert UNIT_NAME in text(doc), doc.name


def test_init_decides_as_a_ward_under_todays_law(workspace: Path) -> None:
    """The skeleton is phường Thục Phán under NĐ 152/2025: its decision names no ended body."""
    out = workspace.parent / "out-decision"
    result = run("decision", "--out", str(out), cwd=workspace)
    assert result.returncode == 0, result.stderr
    year = date.today().year
    folder = out / str(year) / "quyet-dinh"
    decision = text(folder / "01-quyet-dinh-giay-khen-phuong.docx").splitlines()
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG THỤC PHÁN" in decision
    assert "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;" in decision
    assert any(x.startswith("Căn cứ Nghị định số 129/2025/NĐ-CP") for x in decision)
    assert any(x.startswith("Căn cứ Nghị định số 152/2025/NĐ-CP") for x in decision)
    assert decision[-3:] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"]
    dossier = run("dossier", "--out", str(out), cwd=workspace)
    assert dossier.returncode == 0, dossier.stderr
    for doc in sorted(out.rglob("*.docx")):
        body = text(doc)
        for ended in ("thành phố Cao Bằng", "THÀNH PHỐ CAO BẰNG", "98/2023", "91/2017"):
            assert ended not in body, (doc.name, ended)
        assert "Thục Phán" in body or "THỤC PHÁN" in body, doc.name


def test_init_refuses_non_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "ws"
    target.mkdir()
    (target / "ghi-chu.txt").write_text("của tôi", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("init", "ws", cwd=tmp_path)
    assert result.returncode == 1
    assert "không trống" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"]


def test_init_force_overwrites_same_names_only(tmp_path: Path) -> None:
    target = tmp_path / "ws"
    target.mkdir()
    (target / "config.yaml").write_text("hỏng: [", encoding="utf-8")
    (target / "ghi-chu.txt").write_text("của tôi", encoding="utf-8")
    result = run("init", "--force", "ws", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "config.yaml  (ghi đè)" in result.stdout
    assert (target / "ghi-chu.txt").read_text(encoding="utf-8") == "của tôi"
    assert run("validate", cwd=target).returncode == 0


def test_init_into_empty_current_folder(tmp_path: Path) -> None:
    result = run("init", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "cd ." not in result.stdout
    assert (tmp_path / "config.yaml").is_file()
    assert sorted(p.name for p in tmp_path.parent.iterdir() if "docgen-init" in p.name) == []


def test_init_year_and_failure_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = init_workspace(tmp_path / "a", year=2025)
    assert Path("data/rounds/2025.yaml") in done.files
    ws = load_workspace(tmp_path / "a" / "config.yaml", tmp_path / "a" / "data")
    assert list(ws.rounds) == ["2025"]

    def broken(target: Path) -> list[Path]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_templates, "build", broken)
    with pytest.raises(OutputError, match="No space left"):
        init_workspace(tmp_path / "b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]


def test_customised_template_is_used(tmp_path: Path) -> None:
    """A template edited in Word (here with python-docx) is what the dossier is made from."""
    assert run("init", "ws", cwd=tmp_path).returncode == 0
    ws = tmp_path / "ws"
    assert run("dossier", cwd=ws).returncode == 0

    path = ws / "templates" / "to-trinh.docx"
    doc = Document(str(path))
    anchor = next(p for p in doc.paragraphs if p.text.startswith("Kính trình"))
    note = anchor.insert_paragraph_before()
    run_ = note.add_run(NOTE + "{{ unit.name }}")
    run_.font.size = Pt(15)
    doc.save(str(path))

    result = run("dossier", "--force", cwd=ws)
    assert result.returncode == 0, result.stderr
    produced = ws / "out" / str(date.today().year) / UNIT_ID / "01-to-trinh.docx"
    lines = text(produced).splitlines()
    assert f"{NOTE}{UNIT_NAME}" in lines
    assert lines.index(f"{NOTE}{UNIT_NAME}") + 1 == next(
        i for i, line in enumerate(lines) if line.startswith("Kính trình")
    )
    with zipfile.ZipFile(produced) as zf:
        assert '<w:sz w:val="30"/>' in zf.read("word/document.xml").decode()


@pytest.mark.parametrize(
    ("make", "conflict"),
    [
        (lambda ws: (ws / "templates").write_text("x", encoding="utf-8"), "templates là một tệp"),
        (lambda ws: (ws / "data" / "rounds").write_text("x"), "rounds là một tệp, cần là thư mục"),
        (lambda ws: (ws / "templates" / "to-trinh.docx").mkdir(parents=True), "là một thư mục"),
    ],
    ids=["file-where-templates-go", "file-where-rounds-go", "folder-where-a-template-goes"],
)
def test_init_force_with_a_conflict_replaces_nothing(
    tmp_path: Path, make: Any, conflict: str
) -> None:
    """--force is all or nothing: a conflict is found before config.yaml is replaced."""
    target = tmp_path / "ws"
    (target / "data").mkdir(parents=True)
    (target / "config.yaml").write_text("của tôi: 1\n", encoding="utf-8")
    make(target)
    before = snapshot(tmp_path)
    result = run("init", "--force", "ws", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith(f"Lỗi: không ghi gì vào {target.resolve()}: ")
    assert conflict in result.stderr and "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"]


def test_init_force_failing_half_way_puts_everything_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ws"
    target.mkdir()
    (target / "config.yaml").write_text("của tôi: 1\n", encoding="utf-8")
    before = snapshot(tmp_path)
    real = Path.rename
    calls = 0

    def rename(self: Path, dest: Path) -> Path:
        nonlocal calls
        calls += 1
        if calls == 6:  # config.yaml and a few more already replaced: the disk is full
            raise OSError(28, "No space left on device")
        return real(self, dest)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OutputError, match="No space left"):
        init_workspace(target, force=True)
    monkeypatch.undo()
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"]


def readme_block(readme: str, key: str) -> str:
    """The YAML example under `key:` in README.txt, unindented."""
    lines = readme.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{key}:")
    indent = len(lines[start]) - len(lines[start].lstrip())
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if len(line) - len(line.lstrip()) <= indent:
            break
        block.append(line)
    return "\n".join(line[indent:] for line in block) + "\n"


def test_readme_shows_what_decision_needs(tmp_path: Path) -> None:
    """The README.txt's own examples, put in a round file, are what `docgen decision` reads."""
    assert run("init", "ws", cwd=tmp_path).returncode == 0
    workspace = tmp_path / "ws"
    readme = (workspace / "README.txt").read_text(encoding="utf-8")
    assert 'mục "decisions:"' in readme and "docgen serve --open" in readme
    year = date.today().year
    round_file = workspace / "data" / "rounds" / f"{year}.yaml"
    source = round_file.read_text(encoding="utf-8")
    own = source.index("\ndecision:")
    examples = readme_block(readme, "decision") + readme_block(readme, "superior_proposal")
    assert 'number: "125"' in examples
    round_file.write_text(
        source[:own] + "\n" + examples.replace("2027", str(year + 1)), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = run("decision", "--out", str(out), cwd=workspace)
    assert result.returncode == 0, result.stderr
    decision = text(out / str(year) / "quyet-dinh" / "01-quyet-dinh-giay-khen-phuong.docx")
    assert "Số: 125/QĐ-UBND" in decision
