"""Text fidelity: whatever a user types reaches the .docx exactly, or is refused with its place.

A property test (hypothesis) puts random text into four fields of the `mini` fixture (unit
name, person name, an achievement, the meeting place), writes it to the YAML files, renders
the dossier and reads the text back: it must equal the input after NFC (and CR/CRLF read as
a line break, as YAML and XML both do). Text a .docx cannot hold (XML-forbidden control
characters), text docxtpl would alter ("{_{"), a line break in a one-line field and blank
required text must instead raise a ValidationError naming the file, key and position.

The tricky strings of tests/corpus/strings.yaml and the example data are also rendered and
every document is checked: each XML part well-formed, opened by python-docx, converted by
LibreOffice, whose own text export must contain the strings exactly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from docgen.errors import ValidationError
from docgen.main import load_workspace, render_dossiers
from docgen.workspace.schema import visible

from .conftest import CONFIG, FIXTURES, ROOT, TEMPLATES
from .docx_text import paragraphs, runs

DOSSIER = Path("2022") / "phuong-song-hien"
COLLECTIVE_REPORT = "04-bao-cao-thanh-tich-01-tap-the-phuong-song-hien.docx"
PERSON_REPORT = "04-bao-cao-thanh-tich-02-ca-nhan-be-van-an.docx"
MINUTES = "02-bien-ban-hop-xet.docx"
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DOCXTPL_ESCAPES = re.compile(r"\{_\{|\}_\}|\{_%|%_\}")


@dataclass(frozen=True)
class Field:
    """Where a value goes in the data, and where it shows in the documents."""

    file: str
    path: tuple[str | int, ...]
    single_line: bool
    required: bool
    document: str
    before: str = ""  # the paragraph is before + value + after, or contains it
    after: str = ""
    whole_paragraph: bool = True

    @property
    def key(self) -> str:
        out = ""
        for step in self.path:
            out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
        return out


FIELDS = {
    "unit": Field(
        "data/units.yaml", ("units", 1, "name"), True, True, COLLECTIVE_REPORT, "Tên tập thể: "
    ),
    "person": Field(
        "data/people.yaml", ("people", 1, "name"), True, True, PERSON_REPORT, "Họ và tên: "
    ),
    "achievement": Field(
        "data/rounds/2022.yaml",
        ("submissions", 0, "nominations", 0, "achievements", 0),
        False,
        False,
        COLLECTIVE_REPORT,
    ),
    "place": Field(
        "data/rounds/2022.yaml",
        ("submissions", 0, "meeting", "place"),
        True,
        True,
        MINUTES,
        "tại ",
        ", Hội đồng",
        whole_paragraph=False,
    ),
}


def as_stored(text: str) -> str:
    """What docgen keeps of typed text: NFC, and CR or CRLF read as one line break."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def expected_problems(field: Field, text: str) -> list[str]:
    """The messages (key and fragment) docgen must give for `text` in `field`, if any."""
    value = as_stored(text)
    key = f"[{field.key}]: "
    found = []
    if bad := XML_FORBIDDEN.search(value):
        found.append(f"{key}ký tự điều khiển U+{ord(bad.group()):04X} ở vị trí {bad.start() + 1}")
    if escape := DOCXTPL_ESCAPES.search(value):
        found.append(f"{key}chuỗi '{escape.group()}' ở vị trí {escape.start() + 1}")
    if found:  # the value is refused as read; its field rules are not checked on top
        return found
    if field.required and not visible(value):  # blank: spaces, zero-width, lone marks
        found.append(f"{key}'{field.path[-1]}' không được để trống")
    hidden = re.search("[\x85\u2028\u2029]", value)
    if field.single_line and hidden:  # YAML's \N \L \P, in a one-line field
        where = f"U+{ord(hidden.group()):04X} ở vị trí {hidden.start() + 1}"
        found.append(f"{key}ký tự xuống dòng đặc biệt {where}")
    elif field.single_line and "\n" in value:
        found.append(f"{key}giá trị phải viết trên một dòng (xuống dòng ở vị trí ")
    return found


def workspace(dest: Path, values: dict[str, str]) -> Path:
    """The `mini` fixture with `values` (by FIELDS name) written into its YAML files."""
    shutil.copytree(FIXTURES / "mini", dest)
    shutil.copy(CONFIG, dest / "config.yaml")
    files: dict[str, Any] = {}
    for name, text in values.items():
        field = FIELDS[name]
        data = files.setdefault(
            field.file, yaml.safe_load((dest / field.file).read_text(encoding="utf-8"))
        )
        node: Any = data
        for step in field.path[:-1]:
            node = node[step]
        node[field.path[-1]] = text
    for file, data in files.items():
        (dest / file).write_text(dump(data), encoding="utf-8")
    return dest


def dump(data: Any) -> str:
    """YAML as a user would type it, with escapes only where they are needed.

    PyYAML writes U+0085, U+2028 and U+2029 raw, which YAML then reads as line breaks (and
    docgen refuses); a file with such text is written with escapes instead.
    """
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if any(c in text for c in "\x85\u2028\u2029"):
        text = yaml.safe_dump(data, allow_unicode=False, sort_keys=False)
    return text


def render(values: dict[str, str], dest: Path) -> Path:
    """Render the fixture's dossier with `values`; the folder of its documents."""
    ws = workspace(dest / "ws", values)
    render_dossiers(load_workspace(ws / "config.yaml", ws / "data"), TEMPLATES, dest / "out")
    return dest / "out" / DOSSIER


def assert_shows(folder: Path, field: Field, text: str) -> None:
    value = as_stored(text)
    lines = paragraphs(folder / field.document)
    wanted = field.before + value + field.after
    if field.whole_paragraph:
        assert wanted in lines, (field.key, wanted)
    else:
        assert any(wanted in line for line in lines), (field.key, wanted)


# ---------------------------------------------------------------------------------------------
# Property: random text round-trips or is refused with its position

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    "AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
COMBINING = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"

texts = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=30),  # all of Unicode but surrogates
    st.text(st.sampled_from(VIETNAMESE + COMBINING + " "), min_size=1, max_size=40),
    st.text(st.sampled_from("&<>\"'{}%_#!|-:*?[]\\ ab"), min_size=1, max_size=20),
    st.text(st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), min_size=1).map(
        lambda s: "\u200d".join(s)
    ),
    st.text(st.sampled_from(VIETNAMESE), min_size=300, max_size=3000),
    st.text(st.sampled_from("ab \n\r\t"), min_size=1, max_size=10),
    st.lists(st.sampled_from(["\x0b", "\x00", "\x1f", "\ufffe", "Đ", "&", "\n"]), min_size=1).map(
        "".join
    ),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(unit=texts, person=texts, achievement=texts, place=texts)
def test_any_text_round_trips_or_is_refused_with_its_position(
    unit: str, person: str, achievement: str, place: str
) -> None:
    values = {"unit": unit, "person": person, "achievement": achievement, "place": place}
    assume(as_stored(achievement).strip())  # a blank achievement is an empty paragraph
    expected = [m for name, text in values.items() for m in expected_problems(FIELDS[name], text)]
    with tempfile.TemporaryDirectory() as tmp:
        if expected:
            with pytest.raises(ValidationError) as info:
                render(values, Path(tmp))
            problems = [str(p) for p in info.value.problems]
            for message in expected:
                assert any(message in p for p in problems), (message, problems)
            assert len(problems) <= len(expected) + 2  # no cascade of unrelated problems
            assert not (Path(tmp) / "out").exists()
            return
        folder = render(values, Path(tmp))
        for name, text in values.items():
            assert_shows(folder, FIELDS[name], text)
        for doc in folder.iterdir():
            check_parts(doc)
            assert all(unicodedata.is_normalized("NFC", t) for t in runs(doc))


def test_forbidden_character_is_reported_with_file_key_and_position(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as info:
        render({"unit": "Phòng\x0bNội vụ", "place": "Hội trường {_{ A"}, tmp_path)
    assert [str(p).split(" ", 1)[1] for p in info.value.problems] == [
        "[units[1].name]: ký tự điều khiển U+000B ở vị trí 6 của giá trị không được phép trong "
        "văn bản Word (hãy xóa ký tự này (thường là mã thoát '\\' trong chuỗi có dấu nháy kép))",
        "[submissions[0].meeting.place]: chuỗi '{_{' ở vị trí 12 không dùng được trong văn bản "
        "(bộ dựng mẫu đổi nó thành '{{') (thêm dấu cách, ví dụ '{ _{')",
    ]
    first = info.value.problems[0]
    assert first.file.endswith("data/units.yaml") and first.line is not None
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------
# The tricky strings and the example data: valid documents, read back by LibreOffice too

STRINGS = yaml.safe_load((ROOT / "tests" / "corpus" / "strings.yaml").read_text(encoding="utf-8"))
LONG_WORD = "Đ" + "ư" * 3000 + "ng"


def check_parts(path: Path) -> None:
    """Every XML part well-formed (strict parser) and the whole opened by python-docx."""
    Document(str(path))
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        for part in zf.namelist():
            if part.endswith((".xml", ".rels")):
                etree.fromstring(zf.read(part))


def tricky_dossiers(dest: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """Dossiers holding every tricky string: all as achievements of the first, and three
    at a time in the one-line fields."""
    one_line = [*STRINGS["line"], LONG_WORD]
    everything = one_line + STRINGS["lines"]
    for i in range(0, len(one_line), 3):
        unit, person, place = (one_line[(i + k) % len(one_line)] for k in range(3))
        values = {"unit": unit, "person": person, "place": place, "achievement": everything[i]}
        folder = render(values, dest / f"d{i:02d}")
        if i == 0:  # every string as its own achievement paragraph
            ws = workspace(dest / "all" / "ws", {})
            rounds = ws / "data" / "rounds" / "2022.yaml"
            data = yaml.safe_load(rounds.read_text(encoding="utf-8"))
            data["submissions"][0]["nominations"][0]["achievements"] = everything
            rounds.write_text(dump(data), encoding="utf-8")
            out = dest / "all" / "out"
            render_dossiers(load_workspace(ws / "config.yaml", ws / "data"), TEMPLATES, out)
            yield out / DOSSIER, {f"a{k}": s for k, s in enumerate(everything)}
        yield folder, values


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, dict[str, str]]]:
    return list(tricky_dossiers(tmp_path_factory.mktemp("tricky")))


def test_tricky_strings_reach_every_document_exactly(
    tricky: list[tuple[Path, dict[str, str]]],
) -> None:
    for folder, values in tricky:
        for name, text in values.items():
            if name in FIELDS:
                assert_shows(folder, FIELDS[name], text)
            else:
                assert as_stored(text) in paragraphs(folder / COLLECTIVE_REPORT)
        for doc in folder.iterdir():
            check_parts(doc)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "out"
    ws = load_workspace(CONFIG, ROOT / "data")
    render_dossiers(ws, TEMPLATES, out, allow_ineligible=True)
    return out


def test_every_example_document_is_valid(example: Path) -> None:
    docs = sorted(example.rglob("*.docx"))
    assert len(docs) > 30
    for doc in docs:
        check_parts(doc)


def soffice(docs: list[Path], target: str, outdir: Path, profile: Path) -> None:
    """Convert with LibreOffice; documents are copied under unique names first."""
    flat = outdir / "in"
    flat.mkdir(parents=True)
    for i, doc in enumerate(docs):
        shutil.copy(doc, flat / f"{i:03d}-{doc.name}")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *sorted(str(p) for p in flat.iterdir()),
        ],
        check=True,
        capture_output=True,
        timeout=600,
        env=dict(os.environ, HOME=str(profile)),
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_every_document_and_reads_the_strings(
    tricky: list[tuple[Path, dict[str, str]]], example: Path, tmp_path: Path
) -> None:
    profile = tmp_path / "lo"
    shown = [
        (folder / FIELDS[name].document if name in FIELDS else folder / COLLECTIVE_REPORT, text)
        for folder, values in tricky
        for name, text in values.items()
    ]
    docs = sorted({doc for doc, _ in shown})
    soffice(docs, "txt:Text (encoded):UTF8", tmp_path / "txt", profile)
    read = {
        doc: (tmp_path / "txt" / f"{i:03d}-{doc.stem}.txt").read_text(encoding="utf-8-sig")
        for i, doc in enumerate(docs)
    }
    for doc, text in shown:
        wanted = as_stored(text)  # a line break (<w:br/>) is a new line of the text file
        assert wanted in read[doc].replace("\r\n", "\n"), (doc.name, wanted)
    everything = [*docs, *sorted(example.rglob("*.docx"))]
    soffice(everything, "pdf", tmp_path / "pdf", profile)
    for i, doc in enumerate(everything):
        pdf = tmp_path / "pdf" / f"{i:03d}-{doc.stem}.pdf"
        assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF"), doc
