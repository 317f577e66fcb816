"""Put an office's image (the Quốc huy of a Giấy khen) into a template's marked paragraph.

The image belongs to the office, not to docgen, so the committed template only keeps room for
it: a paragraph of fixed height marked with a bookmark. Before rendering, a copy of the
template gets the picture there (scaled to the room's height); every document rendered from
the copy then carries it, as the renderer copies untouched parts into each file.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.ns import qn
from docx.shared import Mm

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.layout.primitives import stable_zip

__all__ = ["with_picture"]


def with_picture(
    template: Path, dest: Path, *, bookmark: str, image: Path, height_mm: float, what: str
) -> Path:
    """Write to `dest` a copy of `template` whose paragraph marked `bookmark` holds `image`,
    `height_mm` high; `what` names the image in messages (a config key)."""
    doc = docx.Document(str(template))
    for paragraph in doc.paragraphs:
        names = [b.get(qn("w:name")) for b in paragraph._p.iter(qn("w:bookmarkStart"))]
        if bookmark in names:
            break
    else:
        raise DocgenError(
            _("mẫu {template} không có chỗ dành cho ảnh (dấu trang '{bookmark}')").format(
                template=template, bookmark=bookmark
            )
        )
    spacing = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:  # the room's fixed height would clip the picture in Word
        for name in ("w:line", "w:lineRule"):
            spacing.attrib.pop(qn(name), None)
    try:
        paragraph.add_run().add_picture(str(image), height=Mm(height_mm))
    except FileNotFoundError as exc:
        raise DocgenError(
            _("{what}: không tìm thấy tệp ảnh {path}").format(what=what, path=image)
        ) from exc
    except (UnrecognizedImageError, OSError, ValueError) as exc:
        raise DocgenError(
            _("{what}: {path} không phải ảnh PNG hoặc JPEG đọc được").format(what=what, path=image)
        ) from exc
    buffer = io.BytesIO()
    doc.save(buffer)
    dest.write_bytes(stable_zip(buffer.getvalue()))
    return dest
