"""Bad input gives every problem at once, each with file, line, key path and a hint."""

from __future__ import annotations

import unicodedata
from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.errors import ValidationError
from docgen.main import load_workspace


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(ws: Path) -> list[str]:
    with pytest.raises(ValidationError) as info:
        load_workspace(ws / "config.yaml", ws / "data")
    return [str(p) for p in info.value.problems]


def line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_fixture_is_valid(mini: Path) -> None:
    ws = load_workspace(mini / "config.yaml", mini / "data")
    assert sorted(ws.units) == ["phong-noi-vu", "phuong-song-hien"]
    assert ws.units["phuong-song-hien"].par_index[2021] == Decimal("90.5")  # "90,5" accepted
    meeting = ws.rounds["2022"].submissions[0].meeting
    assert (meeting.start, meeting.end) == (time(14, 0), time(16, 30))
    assert ws.rounds["2022"].submissions[0].proposal.number == "05"  # leading zero kept
    assert ws.people["nong-thi-hoa"].ratings[2022] == "HTXSNV"  # full name → code


def test_unknown_key_names_file_line_key_and_suggests(mini: Path) -> None:
    units = mini / "data" / "units.yaml"
    edit(units, "    symbol: PNV", "    symbl: PNV")
    line = line_of(units, "symbl")
    found = problems(mini)
    assert (
        f"data/units.yaml:{line} [units[0].symbl]: khóa 'symbl' không được hỗ trợ ở đây "
        "(có phải ý bạn là 'symbol'?)" in [p[p.index("data/") :] for p in found]
    )
    assert any("thiếu khóa bắt buộc 'symbol'" in p and "[units[0]]" in p for p in found)


def test_wrong_types_and_bad_values_all_reported_together(mini: Path) -> None:
    data = mini / "data"
    edit(data / "units.yaml", "2022: 92.10", '2022: "abc"')
    edit(data / "people.yaml", "birth_year: 1985", "birth_year: năm")
    edit(data / "rounds" / "2022.yaml", "date: 17/02/2023", "date: 31/02/2023")
    edit(data / "rounds" / "2022.yaml", "kind: annual", "kind: anual")
    found = problems(data.parent)
    joined = "\n".join(found)
    line = line_of(data / "units.yaml", '"abc"')
    assert f"units.yaml:{line} [units[0].par_index[2022]]: cần số, nhận được 'abc'" in joined
    assert "[people[0].birth_year]: cần số nguyên, nhận được 'năm'" in joined
    assert "[submissions[0].meeting.date]: ngày '31/02/2023' không tồn tại" in joined
    assert (
        "[kind]: giá trị 'anual' không hợp lệ; cần một trong: annual, period "
        "(có phải ý bạn là 'annual'?)" in joined
    )
    assert len(found) == 4


def test_unknown_references_and_duplicates(mini: Path) -> None:
    data = mini / "data"
    edit(data / "people.yaml", "unit: phong-noi-vu", "unit: phong-noi-vuu")
    edit(data / "units.yaml", "id: phuong-song-hien", "id: phong-noi-vu")
    edit(data / "rounds" / "2022.yaml", "award: giay_khen_tp", "award: giay_khen")
    edit(data / "rounds" / "2022.yaml", "chair: Nông Văn Bình", "chair: Nông Văn Binh")
    joined = "\n".join(problems(mini))
    assert (
        "[people[0].unit]: không có đơn vị mã 'phong-noi-vuu' (có phải ý bạn là 'phong-noi-vu'?)"
        in joined
    )
    assert "[units[1].id]: mã đơn vị 'phong-noi-vu' bị trùng (đã có ở dòng 4)" in joined
    assert (
        "config.yaml không có hình thức khen thưởng 'giay_khen' (có phải ý bạn là "
        "'giay_khen_tp'?)" in joined
    )
    assert (
        "người chủ trì 'Nông Văn Binh' phải là một thành viên có mặt (có phải ý bạn là "
        "'Nông Văn Bình'?)" in joined
    )


def test_duplicate_yaml_key_is_reported_not_silently_overwritten(mini: Path) -> None:
    units = mini / "data" / "units.yaml"
    edit(units, "    symbol: PNV\n", "    symbol: PNV\n    symbol: XYZ\n")
    found = "\n".join(problems(mini))
    line = line_of(units, "symbol: XYZ")
    assert (
        f"units.yaml:{line} [units[0].symbol]: khóa 'symbol' bị lặp lại (đã có ở dòng "
        f"{line - 1})" in found
    )


def test_yaml_syntax_error_and_tab(mini: Path) -> None:
    people = mini / "data" / "people.yaml"
    edit(people, "    gender: nữ", "\tgender: nữ")
    found = problems(mini)
    assert len(found) == 1
    assert "people.yaml:" in found[0] and "lỗi cú pháp YAML" in found[0]
    assert "Tab" in found[0]


def test_legacy_encoding_is_named(mini: Path) -> None:
    people = mini / "data" / "people.yaml"
    people.write_bytes("note: Nguy\u1ec5n\n".encode("cp1258", errors="replace") + b"\xd0\xc3\n")
    found = "\n".join(problems(mini))
    assert "people.yaml:" in found and "không phải mã UTF-8" in found
    assert "TCVN3" in found and "Windows-1258" in found


def test_xml_forbidden_control_character(mini: Path) -> None:
    edit(mini / "data" / "units.yaml", "Phòng Nội vụ", "Phòng\x0bNội vụ")
    found = problems(mini)
    assert any("U+000B" in p and "units.yaml:" in p for p in found)


def test_text_is_normalised_to_nfc(mini: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Nông Thị Hoa")
    edit(mini / "data" / "people.yaml", "name: Nông Thị Hoa", f"name: {decomposed}")
    ws = load_workspace(mini / "config.yaml", mini / "data")
    assert ws.people["nong-thi-hoa"].name == unicodedata.normalize("NFC", "Nông Thị Hoa")


def test_config_problems_have_lines(mini: Path) -> None:
    config = mini / "config.yaml"
    edit(config, "  rounding: ceil_10000", "  roundng: ceil_10000")
    with pytest.raises(ValidationError) as info:
        load_workspace(config, mini / "data")
    line = line_of(config, "roundng")
    assert str(info.value.problems[0]).endswith(
        f"config.yaml:{line} [style.roundng]: khóa 'roundng' không được hỗ trợ ở đây "
        "(có phải ý bạn là 'rounding'?)"
    )


def test_unsafe_ids_are_rejected(mini: Path) -> None:
    edit(mini / "data" / "units.yaml", "id: phong-noi-vu", "id: ../x")
    found = "\n".join(problems(mini))
    assert "[units[0].id]: mã '../x' không hợp lệ" in found


def test_cli_validate_prints_every_problem_without_traceback(mini: Path) -> None:
    edit(mini / "data" / "units.yaml", "    symbol: PNV", "    symbl: PNV")
    edit(mini / "data" / "people.yaml", "birth_year: 1985", "birth_year: abc")
    result = CliRunner().invoke(
        cli,
        ["--config", str(mini / "config.yaml"), "validate"],
        standalone_mode=False,
        catch_exceptions=True,
    )
    assert isinstance(result.exception, ValidationError)
    message = str(result.exception)
    assert message.startswith("Dữ liệu có 3 lỗi:")
    assert "symbl" in message and "birth_year" in message


def test_cli_main_exit_code_and_plain_message(
    mini: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from docgen.cli import main

    edit(mini / "data" / "people.yaml", "birth_year: 1985", "birth_year: abc")
    monkeypatch.setattr(sys, "argv", ["docgen", "--config", str(mini / "config.yaml"), "validate"])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Dữ liệu có 1 lỗi:")
    assert "people.yaml:" in err and "Traceback" not in err
