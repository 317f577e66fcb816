"""The command line: exit codes, plain messages, readable output listing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_validation import edit


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_validate_ok(mini: Path) -> None:
    result = run("validate", cwd=mini)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("Dữ liệu hợp lệ: 2 đơn vị, 2 cá nhân, 1 đợt khen thưởng, 1 hồ sơ.\n")


def test_dossier_writes_and_refuses_overwrite(mini: Path) -> None:
    (mini / "templates").symlink_to(ROOT / "templates")
    first = run("dossier", "--round", "2022", cwd=mini)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "Đã lập 1 hồ sơ, 5 văn bản trong out/:",
        "  2022/phuong-song-hien/  (5 văn bản)",
    ]
    second = run("dossier", cwd=mini)
    assert second.returncode == 1
    assert second.stderr.startswith("Lỗi: thư mục kết quả đã tồn tại: out/2022/phuong-song-hien.")
    assert "Traceback" not in second.stderr
    third = run("dossier", "--force", "--unit", "phuong-song-hien", cwd=mini)
    assert third.returncode == 0, third.stderr


def test_user_errors_exit_1_without_traceback(mini: Path) -> None:
    edit(mini / "data" / "units.yaml", "kind: ward", "kind: phuong")
    result = run("validate", cwd=mini)
    assert result.returncode == 1
    assert "data/units.yaml:" in result.stderr
    assert "[units[1].kind]: giá trị 'phuong' không hợp lệ" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run("--config", "khong-co.yaml", "validate", cwd=mini)
    assert missing.returncode == 1
    assert missing.stderr == "Lỗi: không tìm thấy tệp cấu hình khong-co.yaml\n"


def test_help_lists_commands() -> None:
    result = run("--help", cwd=ROOT)
    assert result.returncode == 0
    for command in ("validate", "dossier", "schema"):
        assert command in result.stdout


def test_check_table_json_and_exit_status(mini: Path) -> None:
    ok = run("check", cwd=mini)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[:5] == [
        "Đợt 2022",
        "  [ĐẠT] Ủy ban nhân dân phường Sông Hiến (tập thể) - Giấy khen của Chủ tịch Ủy ban nhân "
        "dân thành phố - hồ sơ phuong-song-hien",
        "      ✓ Chỉ số CCHC năm 2022: 95,00% ≥ 90%",
        "      ✓ Số phiếu đồng ý 3/3 (100%) quá 1/2 số thành viên có mặt",
        "      ✓ Tờ trình ngày 20/02/2023 trong hạn (phải trước ngày 15/3/2023)",
    ]
    assert ok.stdout.splitlines()[-1] == "Tổng số: 2 đề nghị, 2 đạt, 0 không đạt."
    edit(mini / "data" / "people.yaml", "ratings: {2022: HTTNV}", "ratings: {2022: HTNV}")
    bad = run("check", "--format", "json", cwd=mini)
    assert bad.returncode == 3
    import json

    verdicts = json.loads(bad.stdout)
    person = next(v for v in verdicts if v["nominee_id"] == "be-van-an")
    assert person["eligible"] is False
    assert person["kind"] == "individual"
    assert person["reasons"][0] == {
        "ok": False,
        "text": "Xếp loại năm 2022: Hoàn thành nhiệm vụ (yêu cầu: Hoàn thành tốt nhiệm vụ trở lên)",
    }
    refused = run("dossier", cwd=mini)
    assert refused.returncode == 1
    assert "1 đề nghị không đạt tiêu chuẩn của kế hoạch" in refused.stderr
    assert "--allow-ineligible" in refused.stderr


def test_decision_command_on_the_example(tmp_path: Path) -> None:
    result = run("decision", "--round", "2022", "--out", str(tmp_path / "out"), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Đợt 2022: 4 văn bản trong {tmp_path / 'out' / '2022' / 'quyet-dinh'}/"
    assert "  Không đưa vào quyết định 4 đề nghị không đạt:" in lines


def test_version() -> None:
    result = run("--version", cwd=ROOT)
    assert result.returncode == 0
    assert result.stdout.startswith("docgen ")


def test_shell_completion_of_unit_and_round_ids() -> None:
    import os

    env = dict(
        os.environ,
        COMP_WORDS="docgen dossier --unit phong-n",
        COMP_CWORD="3",
        _DOCGEN_COMPLETE="bash_complete",
    )
    result = subprocess.run(
        [sys.executable, "-m", "docgen"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["plain,phong-noi-vu"]
    env.update(COMP_WORDS="docgen check --round 2021")
    result = subprocess.run(
        [sys.executable, "-m", "docgen"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["plain,2021-2025"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_pdf_and_xlsx_beside_every_document(mini: Path) -> None:
    (mini / "templates").symlink_to(ROOT / "templates")
    result = run("dossier", "--pdf", "--xlsx", "--jobs", "1", cwd=mini)
    assert result.returncode == 0, result.stderr
    folder = mini / "out" / "2022" / "phuong-song-hien"
    docs = sorted(p.stem for p in folder.glob("*.docx"))
    assert sorted(p.stem for p in folder.glob("*.pdf")) == docs
    assert [p.name for p in folder.glob("*.xlsx")] == ["03-danh-sach.xlsx"]
    for pdf in folder.glob("*.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF")
    assert not list((mini / "out").glob(".docgen-*"))


def test_pdf_without_libreoffice_names_the_package(mini: Path) -> None:
    import os

    (mini / "templates").symlink_to(ROOT / "templates")
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "dossier", "--pdf"],
        cwd=mini,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "libreoffice-writer-nogui" in result.stderr
    assert not (mini / "out").exists()  # refused before any work


def test_schema_into_an_unwritable_folder_is_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "tep"
    blocker.write_text("không phải thư mục", encoding="utf-8")
    result = run("schema", "--out", str(blocker / "schemas"), cwd=ROOT)
    assert result.returncode == 1
    assert result.stderr.startswith("Lỗi: không ghi được JSON Schema vào ")
    assert "Traceback" not in result.stderr


def test_quiet_and_verbose(mini: Path) -> None:
    (mini / "templates").symlink_to(ROOT / "templates")
    quiet = run("--quiet", "dossier", cwd=mini)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")  # piped: no progress bar
    verbose = run("-v", "dossier", "--force", cwd=mini)
    assert verbose.returncode == 0, verbose.stderr
    assert verbose.stdout.splitlines()[2:4] == [
        "      01-to-trinh.docx",
        "      02-bien-ban-hop-xet.docx",
    ]


# ---------------------------------------------------------------------------------------------
# No writer overwrites without --force (issue 16.2)


def test_check_xlsx_never_overwrites_without_force(mini: Path) -> None:
    report = mini / "bao-cao.xlsx"
    report.write_bytes(b"of the user")
    refused = run("check", "--xlsx", "bao-cao.xlsx", cwd=mini)
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr == (
        "Lỗi: tệp kết quả đã tồn tại: bao-cao.xlsx. Dùng --force để ghi đè.\n"
    )
    assert report.read_bytes() == b"of the user"
    forced = run("check", "--xlsx", "bao-cao.xlsx", "--force", cwd=mini)
    assert forced.returncode == 0, forced.stderr
    assert report.read_bytes().startswith(b"PK")


@pytest.mark.parametrize("target", ["data/du-lieu.xlsx", "data/moi.xlsx", "data/../data/x.xlsx"])
def test_check_xlsx_never_writes_into_the_data_it_reads(mini: Path, target: str) -> None:
    before = sorted(p.name for p in (mini / "data").rglob("*"))
    for args in (["check", "--xlsx", target], ["check", "--xlsx", target, "--force"]):
        result = run(*args, cwd=mini)
        assert result.returncode == 1
        assert result.stderr == (
            f"Lỗi: {target} là tệp dữ liệu đầu vào (trong data); hãy chọn tệp kết quả khác.\n"
        )
    assert sorted(p.name for p in (mini / "data").rglob("*")) == before


def test_schema_writes_into_the_current_folder_and_never_overwrites(tmp_path: Path) -> None:
    first = run("schema", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert "config.schema.json" in written and first.stdout.startswith("schemas/")
    (tmp_path / "schemas" / "config.schema.json").write_text("{}", encoding="utf-8")
    again = run("schema", cwd=tmp_path)
    assert again.returncode == 1
    assert again.stderr == (
        "Lỗi: tệp kết quả đã tồn tại: schemas/config.schema.json. Dùng --force để ghi đè.\n"
    )
    assert (tmp_path / "schemas" / "config.schema.json").read_text(encoding="utf-8") == "{}"
    forced = run("schema", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "schemas" / "config.schema.json").read_text(encoding="utf-8") != "{}"


@pytest.mark.parametrize(
    "foreign",
    ["02-to-trinh-da-ky.pdf", "ghi-chu.txt", "scan/ban-ky.pdf"],
)
def test_force_on_a_dossier_folder_keeps_the_users_files(mini: Path, foreign: str) -> None:
    (mini / "templates").symlink_to(ROOT / "templates")
    assert run("dossier", cwd=mini).returncode == 0
    folder = mini / "out" / "2022" / "phuong-song-hien"
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    (folder / foreign).parent.mkdir(exist_ok=True)
    (folder / foreign).write_bytes(b"signed scan")
    result = run("dossier", "--force", cwd=mini)
    assert result.returncode == 1
    shown = "out/2022/phuong-song-hien"
    assert result.stderr == (
        "Lỗi: --force không xóa tệp mà lần chạy này không tạo ra: "
        + f"{shown}/{foreign}"
        + ". Hãy chuyển chúng ra khỏi thư mục kết quả (hoặc chọn --out khác); không ghi gì.\n"
    )
    assert (folder / foreign).read_bytes() == b"signed scan"
    assert {
        p: p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != foreign.split("/")[-1]
    } == before
    assert not [p for p in (mini / "out").iterdir() if p.name.startswith(".docgen")]
    (folder / foreign).unlink()
    assert run("dossier", "--force", cwd=mini).returncode == 0


@pytest.mark.parametrize("encoding", ["cp1258", "cp1252", "cp437"])
def test_legacy_console_code_page_degrades_gracefully(mini: Path, encoding: str) -> None:
    """PYTHONIOENCODING=cp1258 (a Windows console, redirected) was a UnicodeEncodeError
    traceback; now cp1258 shows the Vietnamese exactly (with its combining tones) and other
    code pages the letters without the marks they lack."""
    import os
    import unicodedata

    edit(mini / "data" / "units.yaml", "kind: ward", "kind: phuong")
    for args in (["validate"], ["check"]):
        utf8 = run(*args, cwd=mini)
        legacy = subprocess.run(
            [sys.executable, "-m", "docgen", *args],
            cwd=mini,
            capture_output=True,
            timeout=120,
            env=dict(os.environ, PYTHONIOENCODING=encoding),
        )
        assert legacy.returncode == utf8.returncode == 1
        shown = unicodedata.normalize("NFC", legacy.stderr.decode(encoding))
        assert "Traceback" not in shown
        if encoding == "cp1258":
            assert shown == utf8.stderr
        else:  # the marks these code pages have (ô, ê, á) are kept, the others dropped
            assert shown.startswith(
                "Lôi: Du liêu có 1 lôi:\n  - data/units.yaml:12 [units[1].kind]"
            )
            assert "giá tri 'phuong' không hop lê; cân môt trong: office" in shown
