"""Giấy khen certificates (issue 14.3): the example's 2022 decision recorded into a temporary
register, then one certificate per awardee with the texts of NĐ 98/2023 Điều 104 and a unique
số sổ vàng, the merged file for printing, the Quốc huy from config, blank profiles that print
only the variable text where the profile says, and the calibration page."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from docgen.cli import cli
from docgen.errors import DocgenError, OutputError, ValidationError
from docgen.main import (
    calibration_page,
    load_workspace,
    record_decision,
    render_certificates,
)
from docgen.workspace.config import BlankFieldId
from docgen.workspace.model import Workspace

from . import test_register
from .conftest import TEMPLATES
from .docx_text import paragraphs, text

#: The register tests' fixture: a writable copy of the example workspace.
home = test_register.home

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ACHIEVEMENT = (
    "Đã có thành tích xuất sắc trong phong trào thi đua đẩy mạnh cải cách hành chính gắn với "
    "chuyển đổi số thành phố Cao Bằng năm 2022"
)
DECISION = "Quyết định số 1205/QĐ-UBND, ngày 12 tháng 4 năm 2023"
PLACE_DATE = "Thành phố Cao Bằng, ngày 12 tháng 4 năm 2023"
DECIDER = "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ CAO BẰNG"
#: (file, name as printed, the line under it, số sổ vàng) of the example's 2022 decision.
EXPECTED = [
    (
        "001-phuong-song-hien.docx",
        "Ủy ban nhân dân phường Sông Hiến",
        "Ủy ban nhân dân thành phố Cao Bằng",
        "001/2023",
    ),
    (
        "002-xa-vinh-quang.docx",
        "Ủy ban nhân dân xã Vĩnh Quang",
        "Ủy ban nhân dân thành phố Cao Bằng",
        "002/2023",
    ),
    ("003-phong-noi-vu.docx", "Phòng Nội vụ", "Ủy ban nhân dân thành phố Cao Bằng", "003/2023"),
    (
        "004-be-van-hung.docx",
        "Ông Bế Văn Hùng",
        "Công chức Văn phòng - Thống kê, Ủy ban nhân dân phường Sông Hiến",
        "004/2023",
    ),
]


def _ws(home: Path) -> Workspace:
    return load_workspace(home / "config.yaml", home / "data")


@pytest.fixture
def ws(home: Path) -> Workspace:
    ws = _ws(home)
    record_decision(ws, home / "so-khen-thuong.sqlite", "2022", "1205", "12/4/2023")
    return ws


def _make(home: Path, ws: Workspace, out: Path, **kw: object) -> Path:
    run = render_certificates(
        ws,
        TEMPLATES,
        out,
        "2022",
        register=home / "so-khen-thuong.sqlite",
        base=home,
        **kw,  # type: ignore[arg-type]
    )
    return out / run.folder


def _png(path: Path, size: int = 40) -> Path:
    """A small red disc (a stand-in image file; docgen never draws the emblem itself)."""
    rows = b"".join(
        b"\x00"
        + b"".join(
            b"\xd0\x20\x20"
            if (x - size / 2) ** 2 + (y - size / 2) ** 2 < (size / 2.2) ** 2
            else b"\xff\xff\xff"
            for x in range(size)
        )
        for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return path


def _body(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def _run_of(body: etree._Element, words: str) -> etree._Element:
    for r in body.iter(f"{W}r"):
        if "".join(t.text or "" for t in r.iter(f"{W}t")) == words:
            return r
    raise AssertionError(f"no run {words!r}")


def _has(rpr: etree._Element, tag: str) -> bool:
    element = rpr.find(f"{W}{tag}")
    return element is not None and element.get(f"{W}val") not in ("0", "false")


def _config_with(home: Path, old: str, new: str) -> None:
    config = home / "config.yaml"
    content = config.read_text(encoding="utf-8")
    assert old in content
    config.write_text(content.replace(old, new), encoding="utf-8")


# ---------------------------------------------------------------------------------------------


def test_one_certificate_per_awardee_with_the_article_104_texts(
    home: Path, ws: Workspace, tmp_path: Path
) -> None:
    folder = _make(home, ws, tmp_path / "out")
    files = sorted(p.name for p in folder.glob("*.docx"))
    assert files[0] == "00-giay-khen-day-du.docx"
    assert len(files[1:]) == 9  # the decision's 3 collectives and 6 persons
    books = []
    for name, awardee, line, book in EXPECTED:
        lines = [p for p in paragraphs(folder / name) if p]
        assert lines == [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            DECIDER,
            "TẶNG",
            "GIẤY KHEN",
            awardee,
            line,
            ACHIEVEMENT,
            DECISION,
            f"Số sổ vàng: {book}",
            PLACE_DATE,
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Hoàng Văn Thạch",
        ]
    for path in sorted(folder.glob("0[0-9][0-9]-*.docx")):
        found = re.findall(r"Số sổ vàng: (\S+)", text(path))
        assert len(found) == 1
        books.append(found[0])
    assert books == [f"{n:03d}/2023" for n in range(1, 10)]  # unique, in the register's order
    assert "Bà Đàm Thị Huyền" in text(folder / "005-dam-thi-huyen.docx")

    body = _body(folder / "004-be-van-hung.docx")
    for words in (DECIDER, "GIẤY KHEN"):  # red bold capitals
        rpr = _run_of(body, words).find(f"{W}rPr")
        assert _has(rpr, "b") and rpr.find(f"{W}color").get(f"{W}val") == "C00000"
    for words in ("TẶNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Ông Bế Văn Hùng"):
        rpr = _run_of(body, words).find(f"{W}rPr")
        assert _has(rpr, "b") and rpr.find(f"{W}color") is None  # black
    for words in (DECISION, "Số sổ vàng: 004/2023", PLACE_DATE):  # italic bold
        rpr = _run_of(body, words).find(f"{W}rPr")
        assert _has(rpr, "b") and _has(rpr, "i")
    sect = body.find(f"{W}body/{W}sectPr")
    size = sect.find(f"{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h"), size.get(f"{W}orient")) == (
        "16838",
        "11906",
        "landscape",
    )  # A4 landscape
    assert sect.find(f"{W}pgBorders") is not None
    # room for the Quốc huy, left empty: no emblem configured, and nothing drawn instead
    slot = [b for b in body.iter(f"{W}bookmarkStart") if b.get(f"{W}name") == "QuocHuy"]
    assert len(slot) == 1 and not slot[0].getparent().findall(f"{W}r")
    with zipfile.ZipFile(folder / "004-be-van-hung.docx") as zf:
        assert not [n for n in zf.namelist() if n.startswith("word/media/")]

    merged = folder / "00-giay-khen-day-du.docx"
    merged_body = _body(merged)
    assert len(list(merged_body.iter(f"{W}sectPr"))) == 9  # one section (page) each
    merged_text = text(merged)
    assert [n for n in re.findall(r"Số sổ vàng: (\S+)", merged_text)] == books
    assert merged_text.count("GIẤY KHEN") == 9


def test_a_round_not_recorded_is_refused_naming_register_record(home: Path, tmp_path: Path) -> None:
    ws = _ws(home)
    out = tmp_path / "out"
    with pytest.raises(DocgenError, match="chưa có sổ khen thưởng"):
        _make(home, ws, out)
    record_decision(ws, home / "so-khen-thuong.sqlite", "2022", "1205", "12/4/2023")
    with pytest.raises(DocgenError) as err:  # 2022 is recorded, 2021-2025 is not
        render_certificates(
            ws,
            TEMPLATES,
            out,
            "2021-2025",
            register=home / "so-khen-thuong.sqlite",
            base=home,
        )
    assert str(err.value) == (
        f"đợt 2021-2025 chưa có quyết định trong sổ khen thưởng {home / 'so-khen-thuong.sqlite'} "
        "(ghi bằng 'docgen register record --round 2021-2025 --number … --date …')"
    )
    assert not (out / "2021-2025").exists()


def test_cli_message_without_a_recorded_decision(home: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "docgen",
            "--templates",
            str(TEMPLATES),
            "certificate",
            "--round",
            "2022",
        ],
        cwd=home,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "Lỗi: chưa có sổ khen thưởng so-khen-thuong.sqlite (tạo bằng 'docgen register record' "
        "hoặc 'docgen register import')\n"
    )
    assert "Traceback" not in result.stderr and not (home / "out").exists()


def test_existing_certificates_need_force(home: Path, ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    folder = _make(home, ws, out)
    before = (folder / "001-phuong-song-hien.docx").read_bytes()
    with pytest.raises(OutputError):
        _make(home, ws, out)
    assert (folder / "001-phuong-song-hien.docx").read_bytes() == before
    _make(home, ws, out, force=True)
    assert len(list(folder.glob("*.docx"))) == 10


def test_emblem_from_config_in_every_certificate_and_once_in_the_merged(
    home: Path, tmp_path: Path
) -> None:
    _png(home / "quoc-huy.png")
    _config_with(home, '  emblem: ""', "  emblem: quoc-huy.png")
    ws = _ws(home)
    record_decision(ws, home / "so-khen-thuong.sqlite", "2022", "1205", "12/4/2023")
    folder = _make(home, ws, tmp_path / "out")
    image = (home / "quoc-huy.png").read_bytes()
    for path in sorted(folder.glob("*.docx")):
        with zipfile.ZipFile(path) as zf:
            media = [n for n in zf.namelist() if n.startswith("word/media/")]
            assert len(media) == 1, path.name  # the merged file stores the picture once
            assert zf.read(media[0]) == image
        body = _body(path)
        slots = [b for b in body.iter(f"{W}bookmarkStart") if b.get(f"{W}name") == "QuocHuy"]
        blips = list(body.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))
        assert len(blips) == len(slots) == (9 if path.name.startswith("00-") else 1)
        for slot in slots:  # the picture sits in the room kept at top centre
            assert slot.getparent().find(f"{W}r/{W}drawing") is not None
    merged = _body(folder / "00-giay-khen-day-du.docx")
    ids = [
        d.get("id")
        for d in merged.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert ids == [str(n) for n in range(1, 10)]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (None, "config.yaml certificate.emblem: không tìm thấy tệp ảnh"),
        (b"not an image", "không phải ảnh PNG hoặc JPEG đọc được"),
    ],
)
def test_emblem_missing_or_not_an_image(
    home: Path, tmp_path: Path, make: bytes | None, message: str
) -> None:
    if make is not None:
        (home / "quoc-huy.png").write_bytes(make)
    _config_with(home, '  emblem: ""', "  emblem: quoc-huy.png")
    ws = _ws(home)
    record_decision(ws, home / "so-khen-thuong.sqlite", "2022", "1205", "12/4/2023")
    with pytest.raises(DocgenError, match=message):
        _make(home, ws, tmp_path / "out")
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------
# Blanks and calibration

BLANK_TEXTS = {  # Bế Văn Hùng's certificate, by field of the example profile phoi-mau
    "decider": DECIDER,
    "name": "Ông Bế Văn Hùng",
    "unit": "Công chức Văn phòng - Thống kê, Ủy ban nhân dân phường Sông Hiến",
    "achievement": ACHIEVEMENT,
    "decision": DECISION,
    "book_number": "Số sổ vàng: 004/2023",
    "place_date": PLACE_DATE,
    "signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    "signer_name": "Hoàng Văn Thạch",
}


def _mm(twips: str | None) -> float:
    assert twips is not None
    return int(twips) * 25.4 / 1440


def test_blank_prints_only_the_variable_text_where_the_profile_says(
    home: Path, ws: Workspace, tmp_path: Path
) -> None:
    folder = _make(home, ws, tmp_path / "out", blank="phoi-mau")
    assert folder.name == "giay-khen-phoi-mau"
    assert len(list(folder.glob("*.docx"))) == 10
    path = folder / "004-be-van-hung.docx"
    profile = ws.config.certificate.blanks["phoi-mau"]
    body = _body(path)
    frames = []
    for p in body.iter(f"{W}p"):
        frame = p.find(f"{W}pPr/{W}framePr")
        words = "".join(
            "\n" if el.tag == f"{W}br" else el.text or "" for el in p.iter(f"{W}t", f"{W}br")
        )
        if frame is None:
            assert not words  # nothing printed outside the fields' frames
            continue
        frames.append((words, frame, p.find(f"{W}r/{W}rPr")))
    assert [f[0] for f in frames] == list(BLANK_TEXTS.values())
    for (words, frame, rpr), (field_id, f) in zip(frames, profile.fields.items(), strict=True):
        assert words == BLANK_TEXTS[field_id]
        at = [_mm(frame.get(f"{W}{k}")) for k in ("x", "y", "w", "h")]
        assert at == pytest.approx(
            [float(f.x), float(f.y), float(f.width), float(f.height)], abs=0.02
        )
        assert (frame.get(f"{W}hAnchor"), frame.get(f"{W}vAnchor")) == ("page", "page")
        assert rpr.find(f"{W}rFonts").get(f"{W}ascii") == f.font
        assert rpr.find(f"{W}sz").get(f"{W}val") == str(int(f.size * 2))
        assert (_has(rpr, "b"), _has(rpr, "i")) == (f.bold, f.italic)
    for fixed in ("CỘNG HÒA", "Độc lập", "TẶNG", "GIẤY KHEN"):
        assert fixed not in text(path)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_blank_pdf_puts_each_field_at_its_millimetres(
    home: Path, ws: Workspace, tmp_path: Path
) -> None:
    folder = _make(home, ws, tmp_path / "out", blank="phoi-mau", pdf=True)
    pdf = folder / "004-be-van-hung.pdf"
    page = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = [
        (float(m[0]), float(m[1]), float(m[2]), m[3])
        for m in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
            page,
        )
    ]
    pt = 72 / 25.4
    profile = ws.config.certificate.blanks["phoi-mau"]
    first: dict[BlankFieldId, str] = {
        "name": "Ông",
        "decision": "Quyết",
        "book_number": "Số",
        "signer_name": "Hoàng",
    }
    for field_id, word in first.items():
        f = profile.fields[field_id]
        x0, y0, _x1, found = next(w for w in words if w[3] == word and w[1] >= float(f.y) * pt - 1)
        assert found == word
        assert y0 == pytest.approx(float(f.y) * pt, abs=1.5)  # the text starts at the box's top
        if f.align == "left":
            assert x0 == pytest.approx(float(f.x) * pt, abs=1.5)
        else:
            assert float(f.x) * pt < x0 < float(f.x + f.width) * pt
    assert (
        subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
        ).stdout.count("Pages:           1")
        == 1
    )


def test_calibration_page(home: Path, tmp_path: Path) -> None:
    ws = _ws(home)
    out = tmp_path / "can-chinh.pdf"
    calibration_page(ws, "phoi-mau", out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    assert "Pages:           1" in info.stdout
    assert "841.89 x 595.276 pts" in info.stdout  # 297 × 210 mm
    words = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    for field_id in ws.config.certificate.blanks["phoi-mau"].fields:
        assert field_id in words
    assert "x=20 y=98 w=257 h=12 mm; Times New Roman 22pt bold center" in words
    for mark in ("10", "100", "290", "200"):  # the millimetre rulers
        assert re.search(rf"\b{mark}\b", words)
    with pytest.raises(OutputError):
        calibration_page(ws, "phoi-mau", out)
    with pytest.raises(DocgenError, match=r"không có mẫu phôi 'phoi' .*phoi-mau"):
        calibration_page(ws, "phoi", tmp_path / "x.pdf")


def test_calibrate_cli(home: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "--config",
            str(home / "config.yaml"),
            "--data",
            str(home / "data"),
            "certificate",
            "--calibrate",
            "phoi-mau",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    target = tmp_path / "can-chinh-phoi-mau.pdf"
    assert result.output == f"Đã ghi trang căn chỉnh {target}.\n"
    assert target.read_bytes().startswith(b"%PDF")


def test_blank_profile_validation(home: Path) -> None:
    _config_with(
        home,
        "name:         {x: 20, y: 98, width: 257, height: 12, size: 22, bold: true}",
        "name:         {x: 60, y: 98, width: 257, height: 0, size: 200, color: red}\n"
        "        nam:          {x: 1, y: 1, width: 1, height: 1}",
    )
    with pytest.raises(ValidationError) as err:
        _ws(home)
    found = [(p.path, p.message) for p in err.value.problems]
    assert [k for k, _m in found] == [
        "certificate.blanks.phoi-mau.fields.name.height",
        "certificate.blanks.phoi-mau.fields.name.x",
        "certificate.blanks.phoi-mau.fields.name.size",
        "certificate.blanks.phoi-mau.fields.name.color",
        "certificate.blanks.phoi-mau.fields.nam",
    ]
    messages = "\n".join(m for _k, m in found)
    assert "ô từ 60 đến 317 mm ra ngoài khổ phôi 297 mm" in messages
    assert "cỡ chữ phải từ 4 đến 96 pt, nhận được 200" in messages
    assert "màu phải gồm 6 chữ số hệ 16 (RRGGBB), nhận được 'red'" in messages
    assert "phải lớn hơn 0 mm" in messages
    assert found[-1][1] == (
        "không có trường 'nam'; các trường: decider, name, unit, achievement, decision, "
        "book_number, place_date, signer_title, signer_name"
    )
