"""The emulation plan: Kế hoạch 145/KH-UBND rendered from YAML, read back paragraph by paragraph."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from docx.enum.text import WD_ALIGN_PARAGRAPH

from docgen.documents.plan import DEFAULT_PLAN, load_plan, plan_context, plan_schema
from docgen.errors import OutputError, ValidationError
from docgen.layout.plan_template import NAME
from docgen.layout.plan_template import build as build_template
from docgen.main import render_plan

from .conftest import ROOT, TEMPLATES
from .docx_text import runs, shown

PLAN_145 = ROOT / DEFAULT_PLAN
PLAN_WARD = ROOT / "data" / "plans" / "phuong-thuc-phan-2026.yaml"
QUOC_HIEU = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def raw(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def expected_body(nodes: list[dict[str, Any]]) -> Iterator[str]:
    """The data's nodes in reading order as they should print: label, title, text."""
    for node in nodes:
        yield " ".join(str(node[k]) for k in ("label", "title", "text") if node.get(k))
        yield from expected_body(node.get("children", []))


def render(plan: Path, tmp_path: Path) -> Path:
    return render_plan(plan, TEMPLATES, tmp_path / "out" / "ke-hoach.docx", force=False)


@pytest.fixture(scope="module")
def rendered_145(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(PLAN_145, tmp_path_factory.mktemp("plan"))


def test_plan_145_reads_like_the_original(rendered_145: Path) -> None:
    data = raw(PLAN_145)
    lines = shown(rendered_145)
    assert lines[:6] == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ CAO BẰNG",
        *QUOC_HIEU,
        "Số: 145/KH-UBND",
        "Thành phố Cao Bằng, ngày 05 tháng 5 năm 2022",
    ]
    assert lines[6:8] == [
        "KẾ HOẠCH",
        "Phát động phong trào thi đua đẩy mạnh cải cách hành chính gắn với chuyển đổi số "
        "thành phố Cao Bằng, giai đoạn 2021-2025",
    ]
    rest = lines[8:]
    preamble = data["preamble"]
    assert len(preamble) == 3
    assert rest[: len(preamble)] == preamble
    rest = rest[len(preamble) :]
    body = list(expected_body(data["body"]))
    assert len(body) == 71
    for i, (got, want) in enumerate(zip(rest, body, strict=False)):
        assert got == want, f"body paragraph {i}"
    rest = rest[len(body) :]
    assert rest[0] == data["closing"]
    assert rest[0].startswith("Trên đây là Kế hoạch") and rest[0].endswith(
        "triển khai thực hiện./."
    )
    assert rest[1:] == [
        "Nơi nhận:",
        "- Sở Nội vụ;",
        "- TT. Thành ủy;",
        "- Chủ tịch, các Phó Chủ tịch TP;",
        "- Các phòng, ban chuyên môn, đơn vị thuộc UBND TP;",
        "- Ủy ban MTTQ TP, khối đoàn thể thành phố;",
        "- UBND các xã, phường;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",  # one paragraph, two lines (w:br)
        "Nguyễn Quốc Trung",
    ]
    # The original numbers two sections "IV."; both are kept as printed.
    assert "IV. CÔNG TÁC KHEN THƯỞNG" in lines
    assert "IV. KINH PHÍ KHEN THƯỞNG" in lines
    assert lines.index("IV. CÔNG TÁC KHEN THƯỞNG") < lines.index("IV. KINH PHÍ KHEN THƯỞNG")


def test_every_run_is_nfc(rendered_145: Path, tmp_path: Path) -> None:
    for path in (rendered_145, render(PLAN_WARD, tmp_path)):
        texts = runs(path)
        assert texts
        for text in texts:
            assert unicodedata.is_normalized("NFC", text), text


def _find(document: Any, text: str) -> Any:
    for p in document.paragraphs:
        if p.text == text:
            return p
    raise AssertionError(f"paragraph not found: {text}")


def test_paragraph_formatting_by_kind(rendered_145: Path) -> None:
    """Headings bold (level 3 bold italic); body justified, 1 cm first line, 6 pt before."""
    document = docx.Document(str(rendered_145))

    def emphasis(text: str) -> list[tuple[str, bool, bool]]:
        p = _find(document, text)
        return [(r.text, bool(r.bold), bool(r.italic)) for r in p.runs if r.text]

    assert emphasis("I. MỤC ĐÍCH, YÊU CẦU") == [
        ("I. ", True, False),
        ("MỤC ĐÍCH, YÊU CẦU", True, False),
    ]
    assert emphasis("1. Mục đích") == [("1. ", True, False), ("Mục đích", True, False)]
    assert emphasis("a) Đối với tập thể:") == [
        ("a) ", True, True),
        ("Đối với tập thể:", True, True),
    ]
    assert emphasis("3.1. Khen thưởng hằng năm (2022, 2023, 2024):")[0] == ("3.1. ", True, True)
    bullet = "- Bằng khen của Chủ tịch UBND tỉnh."
    assert emphasis(bullet) == [
        ("- ", False, False),
        ("Bằng khen của Chủ tịch UBND tỉnh.", False, False),
    ]
    for text in (
        bullet,
        "I. MỤC ĐÍCH, YÊU CẦU",
        "5.1. Khen thưởng hằng năm: Hồ sơ đề nghị khen "
        "thưởng hằng năm trước ngày 15/3 năm liền kề.",
    ):
        fmt = _find(document, text).paragraph_format
        assert round(fmt.first_line_indent.cm, 2) == 1.0
        assert fmt.space_before.pt == 6
        assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert _find(document, "I. MỤC ĐÍCH, YÊU CẦU").paragraph_format.keep_with_next


def test_ward_plan_has_another_shape(tmp_path: Path) -> None:
    data = raw(PLAN_WARD)
    lines = shown(render(PLAN_WARD, tmp_path))
    assert lines[:8] == [
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG THỤC PHÁN",
        *QUOC_HIEU,
        "Số: 12/KH-UBND",
        "Thục Phán, ngày 10 tháng 02 năm 2026",
        "KẾ HOẠCH",
        data["summary"],
    ]
    body = list(expected_body(data["body"]))
    start = 8 + len(data["preamble"])
    assert lines[start : start + len(body)] == body
    assert "a) Phát huy tinh thần trách nhiệm" in lines[start + 1]
    assert lines[-3:] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lương Văn Thành"]


def test_context_kinds_and_depths() -> None:
    ctx = plan_context(load_plan(PLAN_145))
    kinds = {
        (p["label"], p["title"] or p["text"][:20]): (p["kind"], p["depth"])
        for p in ctx["paragraphs"]
    }
    assert kinds[("I.", "MỤC ĐÍCH, YÊU CẦU")] == ("heading1", 0)
    assert kinds[("1.", "Mục đích")] == ("heading2", 1)
    assert kinds[("a)", "Đối với tập thể:")] == ("heading3", 2)
    assert kinds[("1.", "Cấp ủy, chính quyền ")] == ("item", 1)
    assert kinds[("+", "Đối với tập thể: Tặn")] == ("subbullet", 4)
    assert kinds[("", "Các tập thể, cá nhân")] == ("paragraph", 2)
    assert ctx["header"]["parent"] == []
    assert ctx["header"]["rule_indent"] > 0
    assert ctx["signature"]["lines"] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def _broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    text = PLAN_145.read_text(encoding="utf-8")
    assert text.count(old) >= 1
    text = text.replace(old, new, 1)
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(new)].count("\n") + 1
    return path, line


def test_unknown_key_in_a_node_is_located_and_explained(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, '        title: "Mục đích"', '        titel: "Mục đích"')
    with pytest.raises(ValidationError) as info:
        load_plan(path)
    message = str(info.value)
    assert f"{path}:{line} [body[0].children[0].titel]" in message
    assert "khóa 'titel' không được hỗ trợ ở đây" in message
    assert "có phải ý bạn là 'title'?" in message
    # the node has lost its title and has no text: that is reported in the same run
    assert "[body[0].children[0]]" in message and "'title'" in message


def test_node_without_title_or_text_and_wrong_types(tmp_path: Path) -> None:
    text = (
        "header: {issuer: [ỦY BAN NHÂN DÂN], number: 1/KH-UBND, place: X, date: 2022-05-05}\n"
        "summary: S\n"
        "body:\n"
        "  - label: I.\n"
        "    children: nope\n"
        "  - label: II.\n"
        "signature: {title: CHỦ TỊCH, name: A}\n"
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_plan(path)
    problems = {(p.line, p.path): p.message for p in info.value.problems}
    assert problems[(5, "body[0].children")] == "cần danh sách, nhận được 'nope'"
    assert "không có 'title'" in problems[(4, "body[0]")]
    assert "không có 'title'" in problems[(6, "body[1]")]


def test_existing_output_is_refused_without_force(tmp_path: Path) -> None:
    out = tmp_path / "ke-hoach.docx"
    out.write_bytes(b"old")
    with pytest.raises(OutputError, match="--force"):
        render_plan(PLAN_WARD, TEMPLATES, out, force=False)
    assert out.read_bytes() == b"old"
    render_plan(PLAN_WARD, TEMPLATES, out, force=True)
    assert shown(out)[-1] == "Lương Văn Thành"
    assert [p.name for p in tmp_path.iterdir()] == ["ke-hoach.docx"]  # no temp file left


def test_invalid_plan_leaves_no_output(tmp_path: Path) -> None:
    path, _ = _broken(tmp_path, "\nsummary:", "\nsumary:")
    out = tmp_path / "out.docx"
    with pytest.raises(ValidationError, match="có phải ý bạn là 'summary'"):
        render_plan(path, TEMPLATES, out, force=True)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_rendering_is_reproducible(rendered_145: Path, tmp_path: Path) -> None:
    assert render(PLAN_145, tmp_path).read_bytes() == rendered_145.read_bytes()


def test_committed_template_matches_the_builder(tmp_path: Path) -> None:
    fresh = build_template(tmp_path)
    assert fresh.name == NAME
    assert (TEMPLATES / NAME).read_bytes() == fresh.read_bytes(), (
        "templates/ke-hoach.docx is stale: run python -m docgen.layout.build"
    )


def test_committed_schema_matches_the_model() -> None:
    committed = json.loads((ROOT / "docgen" / "schemas" / "plan.schema.json").read_text("utf-8"))
    assert committed == plan_schema()
    node = committed["$defs"]["PlanNode"]
    assert node["additionalProperties"] is False
    assert node["properties"]["children"]["items"] == {"$ref": "#/$defs/PlanNode"}


def test_parent_line_titled_text_and_special_characters(tmp_path: Path) -> None:
    text = (
        "header:\n"
        "  parent: UBND TỈNH CAO BẰNG\n"
        "  issuer: [SỞ NỘI VỤ]\n"
        "  number: 07/KH-SNV\n"
        "  place: Cao Bằng\n"
        "  date: 05/01/2024\n"
        "summary: Thi đua “A & <B>”\n"
        "body:\n"
        "  - label: I.\n"
        "    title: MỤC ĐÍCH\n"
        "    text: Nội dung ngay sau tên mục & <thẻ>.\n"
        "  - text: Đoạn không đánh số.\n"
        "signature:\n"
        '  title: "KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC"\n'
        "  name: Nông Thị B\n"
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    lines = shown(render_plan(path, TEMPLATES, tmp_path / "kh.docx"))
    assert lines[:7] == [
        "UBND TỈNH CAO BẰNG",
        "SỞ NỘI VỤ",
        *QUOC_HIEU,
        "Số: 07/KH-SNV",
        "Cao Bằng, ngày 05 tháng 01 năm 2024",
        "KẾ HOẠCH",
    ]
    assert lines[7:10] == [
        "Thi đua “A & <B>”",
        "I. MỤC ĐÍCH Nội dung ngay sau tên mục & <thẻ>.",
        "Đoạn không đánh số.",
    ]
    # no closing, no recipients: "Nơi nhận:" stays, no authority line
    assert lines[10:] == ["Nơi nhận:", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "Nông Thị B"]
