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


#: Every module and page template whose messages are extracted (babel.cfg: docgen/**.py,
#: docgen/web/templates/**.html).
SOURCES = sorted((ROOT / "docgen").rglob("*.py"))
TEMPLATES = sorted((ROOT / "docgen" / "web" / "templates").rglob("*.html"))


def msgids(source: Path) -> set[str]:
    if source.suffix == ".html":  # Jinja2: _() and ngettext() calls, as pybabel reads them
        found = extract_from_file("jinja2", str(source))
    else:
        found = extract_from_file(
            "python", str(source), keywords={"_": None, "N_": None, "ngettext": (1, 2)}
        )
    return {msg if isinstance(msg, str) else msg[0] for _line, msg, _comments, _context in found}


def all_msgids() -> set[str]:
    return set().union(*(msgids(p) for p in [*SOURCES, *TEMPLATES]))


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


def test_catalog_translates_every_message() -> None:
    catalog = read_catalog()
    ids = all_msgids()
    assert len(msgids(ROOT / "docgen" / "cli.py")) > 40
    for module in (
        "workspace/yamlio",
        "workspace/schema",
        "workspace/data",
        "workspace/workbook",
        "rules/standards",
        "main",
        "render/renderer",
    ):
        assert msgids(ROOT / "docgen" / f"{module}.py"), f"no messages marked in {module}.py"
    for msgid in sorted(ids):
        message = catalog.get(msgid)
        assert message is not None, f"not in {PO.name} (run pybabel update): {msgid!r}"
        string = message.string
        forms = list(string) if isinstance(string, list | tuple) else [string]
        assert all(isinstance(f, str) and f.strip() for f in forms), msgid
        assert not message.fuzzy, msgid
        assert all(isinstance(f, str) and fields(f) == fields(msgid) for f in forms), msgid
    stale = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id} - ids
    assert not stale, f"no longer in the sources (run pybabel update): {stale}"


def entries(mo: Path) -> dict[object, object]:
    """A compiled catalog's messages (plural ids and forms as tuples)."""

    def plain(x: object) -> object:
        return tuple(x) if isinstance(x, list | tuple) else x

    with mo.open("rb") as f:
        return {plain(m.id): plain(m.string) for m in read_mo(f)}


def test_compiled_catalog_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "docgen.mo"
    with fresh.open("wb") as f:
        write_mo(f, read_catalog())
    expected = entries(fresh)
    assert entries(MO) == expected, "run: pybabel compile -D docgen -d docgen/locale"


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
    assert missing.stderr == "Error: config file khong-co.yaml not found\n"


def test_data_errors_in_english(mini: Path) -> None:
    units = mini / "data" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    text = text.replace("    symbol: PNV", "    symbl: PNV")
    text = text.replace("par_index: {2021: 91.5,", "par_index: {2021: abc,")
    units.write_text(text, encoding="utf-8")
    round_file = mini / "data" / "rounds" / "2022.yaml"
    text = round_file.read_text(encoding="utf-8")
    round_file.write_text(text.replace("- unit: phuong-song-hien", "- unit: phuong-song-hienn"))
    english = run("--lang", "en", "validate", cwd=mini)
    assert english.returncode == 1
    assert english.stdout == ""
    assert english.stderr.splitlines() == [
        "Error: The data has 4 errors:",
        "  - data/units.yaml:7 [units[0].symbl]: key 'symbl' is not allowed here "
        "(did you mean 'symbol'?)",
        "  - data/units.yaml:4 [units[0]]: missing required key 'symbol' "
        "(abbreviation in document numbers: 'UBND', 'PTP')",
        "  - data/units.yaml:9 [units[0].par_index[2021]]: expected a number, got 'abc'",
        "  - data/rounds/2022.yaml:5 [submissions[0].unit]: no unit with id "
        "'phuong-song-hienn' (did you mean 'phuong-song-hien'?)",
    ]
    vietnamese = run("validate", cwd=mini)
    assert vietnamese.stderr.splitlines()[:4] == [
        "Lỗi: Dữ liệu có 4 lỗi:",
        "  - data/units.yaml:7 [units[0].symbl]: khóa 'symbl' không được hỗ trợ ở đây "
        "(có phải ý bạn là 'symbol'?)",
        "  - data/units.yaml:4 [units[0]]: thiếu khóa bắt buộc 'symbol' "
        "(chữ viết tắt trong số ký hiệu văn bản: 'UBND', 'PTP')",
        "  - data/units.yaml:9 [units[0].par_index[2021]]: cần số, nhận được 'abc'",
    ]


def test_rule_reasons_in_english_and_the_printed_report_in_vietnamese(mini: Path) -> None:
    from openpyxl import load_workbook

    units = mini / "data" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(text.replace('2021: "90,5", 2022: 95}', '2021: "90,5", 2022: 85}'))
    result = run("--lang", "en", "check", "--xlsx", "bao-cao.xlsx", cwd=mini)
    assert result.returncode == 3, result.stderr
    lines = result.stdout.splitlines()
    assert "      ✗ CCHC index 2022: 85,00% < 90%" in lines
    assert "      ✓ Tờ trình dated 20/02/2023 is on time (due before 15/3/2023)" in lines
    assert (
        "      ✓ Rating 2022: Hoàn thành tốt nhiệm vụ "
        "(required: Hoàn thành tốt nhiệm vụ or better)" in lines
    )
    refused = run("--lang", "en", "dossier", cwd=mini)
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0] == (
        "Error: 1 nomination fails the plan's standards (see 'docgen check'); "
        "use --allow-ineligible to make the dossiers anyway:"
    )
    sheet = load_workbook(mini / "bao-cao.xlsx")["Kết quả xét"]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("✗ Chỉ số CCHC năm 2022: 85,00% < 90%" in c for c in cells)
    assert not any("CCHC index" in c for c in cells)


def test_messages_in_vietnamese_when_locale_is_not_english(mini: Path) -> None:
    result = run("validate", cwd=mini, LANG="C.UTF-8")
    assert result.stdout == "Dữ liệu hợp lệ: 2 đơn vị, 2 cá nhân, 1 đợt khen thưởng, 1 hồ sơ.\n"
