"""Single files (plan, workbooks) are written whole or not at all, like dossier folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import OutputError
from docgen.render.output import write_file


def test_write_file_replaces_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "ke-hoach.docx"
    assert write_file(target, b"first") == target
    assert target.read_bytes() == b"first"

    def fails(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match=r"^không ghi được .*ke-hoach\.docx: No space left"):
        write_file(target, fails)
    assert target.read_bytes() == b"first"
    assert [p.name for p in target.parent.iterdir()] == ["ke-hoach.docx"]  # no temp file left


def test_write_file_refuses_a_folder_and_an_existing_file_without_force(tmp_path: Path) -> None:
    folder = tmp_path / "bao-cao.xlsx"
    folder.mkdir()
    with pytest.raises(OutputError) as err:
        write_file(folder, b"x")
    assert str(err.value) == f"{folder} là một thư mục; hãy chọn tên tệp .xlsx"
    existing = tmp_path / "a.docx"
    existing.write_bytes(b"old")
    with pytest.raises(OutputError) as err:
        write_file(existing, b"new", force=False)
    assert str(err.value) == f"tệp kết quả đã tồn tại: {existing}. Dùng --force để ghi đè."
    assert existing.read_bytes() == b"old"


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    import os

    old = os.umask(0o022)
    try:
        target = write_file(tmp_path / "a.docx", b"x")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644
