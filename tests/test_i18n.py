"""CLI messages in Vietnamese (source, default) and English (packaged gettext catalog)."""

from __future__ import annotations

import os
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from docgen import i18n

from .conftest import ROOT

LOCALE = ROOT / "docgen" / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "docgen.po"
MO = LOCALE / "en" / "LC_MESSAGES" / "docgen.mo"
#: Variables that choose the language; cleared so the developer's own locale doesn't leak in.
LANG_VARS = ("DOCGEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


def run(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in LANG_VARS}
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, **env},
    )


def read_catalog() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f)


def cli_msgids() -> set[str]:
    return {
        msg if isinstance(msg, str) else msg[0]
        for _line, msg, _comments, _context in extract_from_file(
            "python", str(ROOT / "docgen" / "cli.py")
        )
    }


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "vi"),
        ({"LANG": "C.UTF-8"}, "vi"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "vi_VN.UTF-8"}, "vi"),
        ({"LC_ALL": "vi_VN.UTF-8", "LANG": "en_US.UTF-8"}, "vi"),
        ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "vi_VN.UTF-8"}, "en"),
        ({"DOCGEN_LANG": "vi", "LC_ALL": "en_US.UTF-8"}, "vi"),
        ({"DOCGEN_LANG": "en", "LANG": "C"}, "en"),
        ({"DOCGEN_LANG": "fr", "LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "english"}, "vi"),
    ],
)
def test_language_from_environment(env: dict[str, str], expected: str) -> None:
    assert i18n.detect(env) == expected


def test_catalog_translates_every_cli_message() -> None:
    catalog = read_catalog()
    ids = cli_msgids()
    assert len(ids) > 40
    for msgid in sorted(ids):
        message = catalog.get(msgid)
        assert message is not None, f"not in {PO.name} (run pybabel update): {msgid!r}"
        assert isinstance(message.string, str) and message.string.strip(), msgid
        assert not message.fuzzy, msgid
        assert fields(message.string) == fields(msgid), msgid
    stale = {m.id for m in catalog if m.id} - ids
    assert not stale, f"no longer in cli.py (run pybabel update): {stale}"


def test_compiled_catalog_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "docgen.mo"
    with fresh.open("wb") as f:
        write_mo(f, read_catalog())
    with fresh.open("rb") as f:
        expected = {m.id: m.string for m in read_mo(f)}
    with MO.open("rb") as f:
        committed = {m.id: m.string for m in read_mo(f)}
    assert committed == expected, "run: pybabel compile -D docgen -d docgen/locale"


def test_runtime_lookup_uses_stdlib_gettext() -> None:
    try:
        assert i18n.set_language("en") == "en"
        assert i18n.gettext("ĐẠT") == "PASS"
        assert i18n.gettext("chưa có trong danh mục") == "chưa có trong danh mục"
        assert i18n.set_language("vi") == "vi"
        assert i18n.gettext("ĐẠT") == "ĐẠT"
    finally:
        i18n.set_language("vi")


def test_help_in_english_from_option_and_locale() -> None:
    for result in (
        run("--lang", "en", "--help"),
        run("--help", LANG="en_US.UTF-8"),
        run("--help", "--lang", "en"),
    ):
        assert result.returncode == 0, result.stderr
        assert "Vietnamese emulation and commendation dossiers" in result.stdout
        assert "Check the configuration and data" in result.stdout
        assert "Kiểm tra" not in result.stdout
    sub = run("--lang", "en", "dossier", "--help")
    assert sub.returncode == 0, sub.stderr
    assert "Make each unit's nomination dossier" in sub.stdout
    assert "Round id (repeatable; default: all)." in sub.stdout
    assert "Mã đợt" not in sub.stdout


def test_vietnamese_by_default_and_option_beats_environment() -> None:
    default = run("--help")
    assert "docgen: lập hồ sơ thi đua, khen thưởng" in default.stdout
    assert "Kiểm tra cấu hình và dữ liệu" in default.stdout
    forced = run("--lang", "vi", "dossier", "--help", LANG="en_US.UTF-8")
    assert "Mã đợt (lặp lại được; mặc định: tất cả)." in forced.stdout
    override = run("--help", LANG="en_US.UTF-8", DOCGEN_LANG="vi")
    assert "docgen: lập hồ sơ thi đua, khen thưởng" in override.stdout


def test_messages_in_english(mini: Path) -> None:
    ok = run("--lang", "en", "validate", cwd=mini)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == ("Data is valid: units: 2, people: 2, award rounds: 1, dossiers: 1.\n")
    check = run("check", cwd=mini, LANG="en_US.UTF-8")
    assert check.returncode == 0, check.stderr
    lines = check.stdout.splitlines()
    assert lines[0] == "Round 2022"
    assert lines[1].startswith("  [PASS] Ủy ban nhân dân phường Sông Hiến (collective) - ")
    assert lines[1].endswith(" - dossier phuong-song-hien")
    assert lines[-1] == "Total nominations: 2; pass: 2, fail: 0."
    missing = run("--lang", "en", "--config", "khong-co.yaml", "validate", cwd=mini)
    assert missing.returncode == 1
    # the prefix is translated; library messages stay Vietnamese for now
    assert missing.stderr == "Error: không tìm thấy tệp cấu hình khong-co.yaml\n"


def test_messages_in_vietnamese_when_locale_is_not_english(mini: Path) -> None:
    result = run("validate", cwd=mini, LANG="C.UTF-8")
    assert result.stdout == "Dữ liệu hợp lệ: 2 đơn vị, 2 cá nhân, 1 đợt khen thưởng, 1 hồ sơ.\n"
