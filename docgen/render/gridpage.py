"""A calibration page: a millimetre grid over the whole sheet and a labelled box per field.

Written as a one-page PDF by hand (a few drawing operators and the standard Helvetica font):
what it draws is exactly where it says, whatever program prints it, and no library is needed
for lines and short ASCII labels. Coordinates are millimetres from the sheet's top-left corner,
as in a blank profile; PDF counts points from the bottom-left, so y is turned over here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

__all__ = ["Box", "grid_page"]

_PT_PER_MM: Final = 72 / 25.4


@dataclass(frozen=True)
class Box:
    """A field's box, millimetres from the top-left corner, with labels printed inside it."""

    label: str
    x: float
    y: float
    width: float
    height: float
    detail: str = ""


def _pt(mm: float) -> str:
    return f"{mm * _PT_PER_MM:.3f}"


def _text(value: str) -> str:
    """A PDF literal string of ASCII (other characters become '?'), escaped."""
    ascii_only = value.encode("ascii", "replace").decode("ascii")
    return "(" + ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _label(x_mm: float, y_mm: float, height_mm: float, size: float, text: str) -> str:
    """Text whose top is at (x, y) on a sheet `height_mm` high."""
    baseline = height_mm - y_mm - size / _PT_PER_MM
    return f"BT /F1 {size} Tf {_pt(x_mm)} {_pt(baseline)} Td {_text(text)} Tj ET"


def grid_page(width_mm: float, height_mm: float, boxes: Sequence[Box], title: str) -> bytes:
    """The PDF: grid lines every millimetre (darker every 5 and 10, numbered every 10),
    `title` near the top-left corner, and each box in red with its label and detail."""
    ops = ["1 J"]
    for step, grey, weight in ((1, 0.85, 0.1), (5, 0.6, 0.25), (10, 0.3, 0.5)):
        ops.append(f"{grey} G {weight} w")
        for x in range(0, int(width_mm) + 1, step):
            ops.append(f"{_pt(x)} 0 m {_pt(x)} {_pt(height_mm)} l S")
        for y in range(0, int(height_mm) + 1, step):
            yy = _pt(height_mm - y)
            ops.append(f"0 {yy} m {_pt(width_mm)} {yy} l S")
    ops.append("0.3 g")
    for x in range(10, int(width_mm), 10):
        ops.append(_label(x + 0.4, 0.4, height_mm, 5, str(x)))
    for y in range(10, int(height_mm), 10):
        ops.append(_label(0.4, y + 0.4, height_mm, 5, str(y)))
    ops.append("0 g")
    ops.append(_label(12, 3, height_mm, 8, title))
    ops.append("0.8 0 0 RG 0.8 0 0 rg 0.8 w")
    for box in boxes:
        top = height_mm - box.y - box.height
        ops.append(f"{_pt(box.x)} {_pt(top)} {_pt(box.width)} {_pt(box.height)} re S")
        ops.append(_label(box.x + 0.8, box.y + 0.8, height_mm, 7, box.label))
        if box.detail and box.height >= 6:
            ops.append(_label(box.x + 0.8, box.y + 3.6, height_mm, 5.5, box.detail))
    content = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_pt(width_mm)} {_pt(height_mm)}] "
            "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
        ).encode("ascii"),
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    out += trailer.encode()
    return bytes(out)
