"""The Giấy khen templates (NĐ 98/2023 Điều 104), built from code like the others.

``giay-khen.docx`` is the whole certificate on A4 landscape: a border, room for the Quốc huy
at top centre (a paragraph of fixed height marked with the bookmark :data:`EMBLEM_SLOT`;
the office's image is put there when certificates are made, never a drawn imitation), Quốc
hiệu and Tiêu ngữ with its rule, the decider's title in red bold capitals, "TẶNG", "GIẤY
KHEN" in red bold capitals, the awardee's name, position and unit (a collective: its parent
body), the achievement; bottom left the decision and the số sổ vàng in italic bold, bottom
right place and date, the signer's title, room for signature and seal, the name.

``giay-khen-phoi.docx`` prints only the variable text onto an office's pre-printed blank
(phôi): one loop over ``fields``, each a frame at its place on the page in millimetres
turned into twips by the caller, with its own font, size, bold, italic and alignment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from docx.document import Document

from docgen.layout.primitives import (
    Run,
    bookmark,
    borderless_table,
    framed_para,
    new_document,
    page_border,
    page_setup,
    para,
    rule,
)
from docgen.layout.primitives import save as save_docx
from docgen.layout.templates import tag

CERTIFICATE: Final = "giay-khen.docx"
BLANK: Final = "giay-khen-phoi.docx"
TITLES: Final = {CERTIFICATE: "Giấy khen", BLANK: "Giấy khen (in lên phôi)"}

#: The bookmark of the paragraph kept for the Quốc huy.
EMBLEM_SLOT: Final = "QuocHuy"
#: Height of the room kept for the Quốc huy, in millimetres (the image is scaled to it).
EMBLEM_MM: Final = 26.0
RED: Final = "C00000"
PAGE_MM: Final = (297.0, 210.0)
MARGIN_MM: Final = 16.0
#: Text width inside the margins, in centimetres.
TEXT_CM: Final = (PAGE_MM[0] - 2 * MARGIN_MM) / 10
SIGN_LEFT_CM, SIGN_RIGHT_CM = 14.0, TEXT_CM - 14.0
TIEU_NGU_RULE_CM: Final = 6.5  # "Độc lập - Tự do - Hạnh phúc" at 15 pt bold
#: Blank lines left for the signature and seal.
SIGNATURE_LINES: Final = 4


def certificate() -> Document:
    """The Giấy khen, one page, A4 landscape (see the module docstring)."""
    doc = new_document(landscape=True)
    page_setup(doc, width_mm=PAGE_MM[0], height_mm=PAGE_MM[1], margins_mm=MARGIN_MM, numbers=False)
    page_border(doc, style="thinThickThinMediumGap", size_eighths=36, color=RED, offset_pt=22)
    room = para(doc, "", align="center", exact_height=EMBLEM_MM / 25.4 * 72)
    bookmark(room, EMBLEM_SLOT)
    para(
        doc,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        align="center",
        size=14,
        bold=True,
        space_before=4,
    )
    para(doc, "Độc lập - Tự do - Hạnh phúc", align="center", size=15, bold=True)
    rule(doc, length_cm=TIEU_NGU_RULE_CM, width_cm=TEXT_CM, space_after=8)
    para(doc, "{{ decider }}", align="center", size=16, bold=True, color=RED)
    para(doc, "TẶNG", align="center", size=15, bold=True, space_before=10)
    para(doc, "GIẤY KHEN", align="center", size=38, bold=True, color=RED, space_before=4)
    para(doc, "{{ name }}", align="center", size=24, bold=True, space_before=8)
    tag(doc, "{%p for line in lines %}")
    para(doc, "{{ line }}", align="center", size=15, space_before=2)
    tag(doc, "{%p endfor %}")
    para(
        doc,
        Run("{{ achievement }}"),
        align="center",
        size=15,
        space_before=8,
        first_indent_cm=0,
        line_spacing=1.1,
    )
    _bottom(doc)
    return doc


def _bottom(doc: Document) -> None:
    """Decision and số sổ vàng (left, italic bold); place, date and signature (right)."""
    table = borderless_table(doc, [SIGN_LEFT_CM, SIGN_RIGHT_CM])
    left, right = table.rows[0].cells
    for _ in range(4):
        para(left, "", size=13)
    para(left, "{{ decision }}", align="left", size=13, bold=True, italic=True, space_before=12)
    para(left, "{{ book_number }}", align="left", size=13, bold=True, italic=True)
    para(
        right, "{{ place_date }}", align="center", size=14, bold=True, italic=True, space_before=10
    )
    tag(right, "{%p if signer.authority %}")
    para(right, "{{ signer.authority }}", align="center", size=14, bold=True)
    tag(right, "{%p endif %}")
    para(right, "{{ signer.title }}", align="center", size=14, bold=True)
    for _ in range(SIGNATURE_LINES):
        para(right, "", align="center")
    para(right, "{{ signer.name }}", align="center", size=14, bold=True)


def blank() -> Document:
    """Only the variable text, each field in a frame at its place (see the module docstring).

    Context: ``page`` (``width``, ``height`` in twips) and ``fields``, each with ``text``,
    ``x``, ``y``, ``width``, ``height`` (twips), ``font``, ``half_points``, ``bold`` and
    ``italic`` (``1``/``0``), ``align`` (``left``/``center``/``right``), ``color``
    (RRGGBB).
    """
    doc = new_document(landscape=True)
    page_setup(doc, width_mm=PAGE_MM[0], height_mm=PAGE_MM[1], margins_mm=0, numbers=False)
    section = doc.sections[0]._sectPr
    size = section.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pgSz")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    size.set(f"{w}w", "{{ page.width }}")
    size.set(f"{w}h", "{{ page.height }}")
    size.set(f"{w}orient", "{{ page.orient }}")
    tag(doc, "{%p for f in fields %}")
    framed_para(
        doc,
        "{{ f.text }}",
        x="{{ f.x }}",
        y="{{ f.y }}",
        width="{{ f.width }}",
        height="{{ f.height }}",
        font="{{ f.font }}",
        half_points="{{ f.half_points }}",
        bold="{{ f.bold }}",
        italic="{{ f.italic }}",
        align="{{ f.align }}",
        color="{{ f.color }}",
    )
    tag(doc, "{%p endfor %}")
    para(doc, "", size=1)
    return doc


def build(target: Path) -> list[Path]:
    """Write both certificate templates into `target`; returns their paths."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in ((CERTIFICATE, certificate), (BLANK, blank)):
        path = target / name
        save_docx(make(), path, title=TITLES[name])
        written.append(path)
    return written
