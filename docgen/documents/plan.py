"""The emulation plan (Kế hoạch phát động phong trào thi đua) rendered from structured YAML.

A plan is a tree of numbered sections whose depth, numbering and headings differ from plan to
plan, so the data carries the tree and this module flattens it into a list of typed
paragraphs; one template (templates/ke-hoach.docx, ND30 Mẫu 1.4) then formats each kind.

    plan = load_plan(Path("data/plans/145-KH-UBND.yaml"))
    render_plan(DEFAULT_PLAN, Path("templates"), Path("out/ke-hoach.docx"), force=False)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from docgen import vnformat as vn
from docgen.documents.dossier import TITLE_PHRASES, header_block, place_phrases
from docgen.errors import Problem
from docgen.i18n import N_, _
from docgen.layout.measure import keep_phrases
from docgen.workspace.schema import doc, json_schema, load_model
from docgen.workspace.yamlio import KeyPath

#: The plan the issue is about, relative to the repository (the CLI's default argument).
DEFAULT_PLAN = Path("data/plans/145-KH-UBND.yaml")
#: Template file name in the templates folder.
TEMPLATE = "ke-hoach.docx"

ParagraphKind = Literal[
    "heading1", "heading2", "heading3", "item", "bullet", "subbullet", "paragraph"
]

#: Labels that mark an unnumbered list item rather than a numbered point.
BULLETS: dict[str, ParagraphKind] = {"-": "bullet", "–": "bullet", "+": "subbullet"}


@dataclass(frozen=True)
class PlanHeader:
    """The header table: issuing body and number (left), place and date (right)."""

    issuer: list[str] = doc(
        N_("các dòng tên cơ quan ban hành, in hoa: ['ỦY BAN NHÂN DÂN', 'THÀNH PHỐ CAO BẰNG']")
    )
    number: str = doc(N_("số và ký hiệu, không có chữ 'Số:': '145/KH-UBND'"))
    place: str = doc(N_("địa danh ở dòng ngày tháng: 'Thành phố Cao Bằng'"))
    date: dt.date = doc(N_("ngày ban hành (YYYY-MM-DD hoặc dd/mm/yyyy)"))
    parent: str = doc(N_("tên cơ quan chủ quản trực tiếp, in hoa, không đậm (nếu có)"), "")


@dataclass(frozen=True)
class PlanNode:
    """One section or paragraph of the body; its children are the subsections under it."""

    label: str = doc(
        N_(
            "số thứ tự đầu đoạn: 'I.', '1.', '3.1.', 'a)'; '-' hoặc '+' cho gạch đầu dòng; "
            "bỏ trống nếu đoạn không đánh số"
        ),
        "",
    )
    title: str = doc(N_("tên mục, in đậm (in hoa ở cấp I, II, … như văn bản gốc)"), "")
    text: str = doc(N_("nội dung đoạn văn (sau tên mục nếu có cả hai)"), "")
    children: list[PlanNode] = doc(N_("các mục, đoạn con"), default_factory=list)


@dataclass(frozen=True)
class PlanSignature:
    """Signature block: quyền hạn, chức vụ (one or two lines), họ tên."""

    authority: str = doc(N_("quyền hạn ký: 'TM. ỦY BAN NHÂN DÂN' hoặc trống"), "")
    title: str = doc(
        N_("chức vụ, in hoa; hai dòng cách nhau bằng '\\n': 'KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH'"), ""
    )
    name: str = doc(N_("họ và tên người ký"), "")


@dataclass(frozen=True)
class Plan:
    """A whole plan file (data/plans/*.yaml)."""

    header: PlanHeader = doc(N_("phần đầu văn bản: cơ quan ban hành, số, địa danh, ngày"))
    summary: str = doc(N_("trích yếu nội dung, in đậm dưới tên loại văn bản"))
    body: list[PlanNode] = doc(N_("các phần I, II, … của kế hoạch, lồng nhau theo mục"))
    signature: PlanSignature = doc(N_("người ký"))
    type: str = doc(N_("tên loại văn bản, in hoa"), "KẾ HOẠCH")
    preamble: list[str] = doc(N_("các đoạn mở đầu (căn cứ, mục tiêu chung)"), default_factory=list)
    closing: str = doc(N_("đoạn kết, thường kết thúc bằng './.'"), "")
    recipients: list[str] = doc(
        N_("Nơi nhận, mỗi dòng một nơi: '- Sở Nội vụ;'"), default_factory=list
    )


def load_plan(path: Path) -> Plan:
    """Load and validate a plan file; every problem is reported at once, with file and line."""
    return load_model(path, Plan, _check)


def _check(plan: Plan, make: Callable[..., Problem]) -> list[Problem]:
    """Rules a type cannot express: nothing that would print as an empty line or heading."""
    out: list[Problem] = []
    if not any(line.strip() for line in plan.header.issuer):
        out.append(make(("header", "issuer"), _("cần ít nhất một dòng tên cơ quan ban hành")))
    for key in ("number", "place"):
        if not getattr(plan.header, key).strip():
            out.append(make(("header", key), _("'{key}' không được để trống").format(key=key)))
    for key in ("type", "summary"):
        if not getattr(plan, key).strip():
            out.append(make((key,), _("'{key}' không được để trống").format(key=key)))
    for i, line in enumerate(plan.preamble):
        if not line.strip():
            out.append(make(("preamble", i), _("đoạn mở đầu trống"), _("xóa dòng này")))
    if not plan.body:
        out.append(make(("body",), _("kế hoạch cần ít nhất một mục")))
    for node, path in _walk(plan.body, ("body",)):
        if not node.title.strip() and not node.text.strip():
            out.append(
                make(
                    path,
                    _("mục không có 'title' (tên mục) lẫn 'text' (nội dung)"),
                    _("thêm 'title' hoặc 'text' cho mục này"),
                )
            )
    for key in ("title", "name"):
        if not getattr(plan.signature, key).strip():
            out.append(make(("signature", key), _("thiếu '{key}' của người ký").format(key=key)))
    return out


def _walk(nodes: list[PlanNode], path: KeyPath) -> Iterator[tuple[PlanNode, KeyPath]]:
    for i, node in enumerate(nodes):
        here = (*path, i)
        yield node, here
        yield from _walk(node.children, (*here, "children"))


# ---------------------------------------------------------------------------------------------
# Template context


def paragraph_kind(node: PlanNode, depth: int) -> ParagraphKind:
    """How a node is printed: titled nodes are headings by depth, others by their label."""
    if node.title.strip():
        return "heading1" if depth == 0 else "heading2" if depth == 1 else "heading3"
    label = node.label.strip()
    if label in BULLETS:
        return BULLETS[label]
    return "item" if label else "paragraph"


def flatten(nodes: list[PlanNode], depth: int = 0) -> list[dict[str, Any]]:
    """The tree in reading order, one dict per printed paragraph (parents before children)."""
    out: list[dict[str, Any]] = []
    for node in nodes:
        out.append(
            {
                "kind": paragraph_kind(node, depth),
                "label": node.label.strip(),
                "title": node.title.strip(),
                "text": node.text.strip(),
                "depth": depth,
            }
        )
        out.extend(flatten(node.children, depth + 1))
    return out


def paragraph_text(p: dict[str, Any]) -> str:
    """What a flattened paragraph reads as: label, title and text separated by spaces."""
    return " ".join(part for part in (p["label"], p["title"], p["text"]) if part)


def plan_context(plan: Plan) -> dict[str, Any]:
    """Everything templates/ke-hoach.docx needs, in the shapes build_templates' helpers use."""
    h = plan.header
    lines = [line.strip() for line in h.issuer if line.strip()]
    sign = plan.signature
    title_lines = [line.strip() for line in sign.title.splitlines() if line.strip()]
    return {
        "header": header_block(
            [h.parent.strip()] if h.parent.strip() else [],
            lines,
            number=f"Số: {h.number.strip()}",
            place_date=vn.place_date(h.place, h.date),
            split=(False, False),
            day=h.date,
        ),
        "type": plan.type.strip(),
        "summary": keep_phrases(
            plan.summary.strip(),
            [*TITLE_PHRASES, *place_phrases(h.place)],
        ),
        "preamble": [line.strip() for line in plan.preamble],
        "paragraphs": flatten(plan.body),
        "closing": plan.closing.strip(),
        "recipients": [line.strip() for line in plan.recipients if line.strip()],
        # build_templates.signature() prints title in one paragraph; docxtpl turns "\n" into
        # a line break, so a two-line title stays two centred lines.
        "signer": {
            "authority": sign.authority.strip(),
            "title": "\n".join(title_lines),
            "name": sign.name.strip(),
        },
        "signature": {
            "authority": sign.authority.strip(),
            "title_lines": title_lines,
            "name": sign.name.strip(),
            "lines": [x for x in (sign.authority.strip(), *title_lines) if x],
        },
    }


def plan_schema() -> dict[str, Any]:
    """JSON Schema of data/plans/*.yaml (published as docgen/schemas/plan.schema.json)."""
    return json_schema(Plan, "docgen data/plans/*.yaml")
