"""What each Giấy khen prints, from the register's records: plain contexts for the templates
of docgen.layout.certificate, one document per awardee, and the boxes of a blank profile.

Everything printed is a document's words, so Vietnamese whatever language messages are in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from docgen import vnformat as vn
from docgen.documents.dossier import DocumentJob, DocumentSet
from docgen.layout.certificate import BLANK, CERTIFICATE
from docgen.register.records import AwardRecord
from docgen.render.gridpage import Box
from docgen.workspace.config import BlankProfile

#: Output folder of a round's certificates, under the round's folder.
FOLDER: Final = "giay-khen"
_HONORIFIC: Final = {"nam": "Ông", "nữ": "Bà"}
_TWIPS_PER_MM: Final = Decimal(1440) / Decimal("25.4")


def texts(award: AwardRecord) -> dict[str, str]:
    """Every variable text of one certificate, by blank field id (see config BlankFieldId)."""
    d = award.decision
    if award.collective:
        name = award.name
        unit = award.parent_body
    else:
        honorific = _HONORIFIC.get(award.gender.strip().lower(), "")
        name = f"{honorific} {award.name}".strip()
        unit = ", ".join(p for p in (award.position, award.unit_name) if p.strip())
    signer = "\n".join(p for p in (d.signer_authority, d.signer_title) if p.strip())
    return {
        "decider": d.issuer_title.upper(),
        "name": name,
        "unit": unit,
        "achievement": award.achievement,
        "decision": f"Quyết định số {d.number}, {vn.format_date(d.date)}",
        "book_number": f"Số sổ vàng: {award.book_number}",
        "place_date": vn.place_date(d.place, d.date),
        "signer_title": signer,
        "signer_name": d.signer_name,
    }


def certificate_context(award: AwardRecord) -> dict[str, Any]:
    """The context of giay-khen.docx for one awardee."""
    t = texts(award)
    d = award.decision
    return {
        "decider": t["decider"],
        "name": t["name"],
        "lines": [t["unit"]] if t["unit"] else [],
        "achievement": t["achievement"],
        "decision": t["decision"],
        "book_number": t["book_number"],
        "place_date": t["place_date"],
        "signer": {"authority": d.signer_authority, "title": d.signer_title, "name": d.signer_name},
    }


def _twips(mm: Decimal) -> int:
    return int((mm * _TWIPS_PER_MM).to_integral_value())


def blank_context(award: AwardRecord, profile: BlankProfile) -> dict[str, Any]:
    """The context of giay-khen-phoi.docx: only the profile's fields, each at its place."""
    t = texts(award)
    fields = []
    for field_id, f in profile.fields.items():
        fields.append(
            {
                "text": t[field_id],
                "x": _twips(f.x),
                "y": _twips(f.y),
                "width": _twips(f.width),
                "height": _twips(f.height),
                "font": f.font,
                "half_points": int((f.size * 2).to_integral_value()),
                "bold": int(f.bold),
                "italic": int(f.italic),
                "align": f.align,
                "color": f.color.upper(),
            }
        )
    return {
        "page": {
            "width": _twips(profile.width),
            "height": _twips(profile.height),
            "orient": "landscape" if profile.width > profile.height else "portrait",
        },
        "fields": fields,
    }


def file_name(index: int, award: AwardRecord) -> str:
    """'001-be-van-hung.docx': the order of the số sổ vàng, then the awardee's id."""
    key = unicodedata.normalize("NFKD", award.awardee_key.replace("đ", "d").replace("Đ", "D"))
    slug = re.sub(r"[^a-z0-9]+", "-", key.encode("ascii", "ignore").decode().lower()).strip("-")
    return f"{index:03d}-{slug or 'giay-khen'}.docx"


def certificate_set(
    folder: Path, awards: Sequence[AwardRecord], profile: BlankProfile | None = None
) -> DocumentSet:
    """One certificate per awardee (with `profile`, only the text for its blank)."""
    jobs = [
        DocumentJob(
            BLANK if profile else CERTIFICATE,
            file_name(i, a),
            blank_context(a, profile) if profile else certificate_context(a),
        )
        for i, a in enumerate(awards, start=1)
    ]
    return DocumentSet.ready(folder, jobs)


def calibration_boxes(profile: BlankProfile) -> list[Box]:
    """Every field's box of a profile, labelled with its id and type."""
    boxes = []
    for field_id, f in profile.fields.items():
        style = " ".join(
            s for s in (f"{f.size}pt", "bold" if f.bold else "", "italic" if f.italic else "") if s
        )
        boxes.append(
            Box(
                label=field_id,
                x=float(f.x),
                y=float(f.y),
                width=float(f.width),
                height=float(f.height),
                detail=f"x={f.x} y={f.y} w={f.width} h={f.height} mm; {f.font} {style} {f.align}",
            )
        )
    return boxes
