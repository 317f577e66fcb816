"""The command line: exit codes, plain messages, readable output listing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
