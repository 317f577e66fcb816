"""One merged .docx per folder: every document of a dossier (or of a round's decisions) in order.

Each part becomes one section of the merged document and keeps what Nghị định 30/2020 needs of
it: it starts on a new page, keeps its own page set-up (portrait or landscape, margins), and its
page numbers restart at 1 with none on its first page (``w:pgNumType w:start="1"`` and
``w:titlePg`` on every section), as if the parts had been printed one by one.

Why our own composer rather than docxcompose: docxcompose keeps only the first document's
headers and footers (its issues #67 and #56), so appended sections would have no header
references of their own and would merely inherit the previous section's; it would also add a
dependency and still need the page-numbering fix-up on every section. Our documents are simple
(made by one builder: no comments, footnotes or numbering in the body, at most a picture,
only headers holding a centred PAGE field), so composing at the package level is short and
exact: every part's body is copied whole, its final ``w:sectPr`` becomes a section break in
a 1 pt high paragraph at its end (the final one stays the body's), and every part's header
and footer parts are copied under new names with new relationships, so each section references
header parts of its own that exist in the package. Styles come from the first part; a style another
part uses that the first lacks is copied over. Anything else that a body refers to through a
relationship is refused with a clear error rather than dropped, except images (the Quốc huy on
a Giấy khen): each image part is copied once (the same picture in every part is stored once),
under a new name and relationship, and the drawings' ids are renumbered so they stay unique.

The output is deterministic: parts are processed in the order given, new names and ids are
numbered, and the package is written with :func:`docgen.layout.primitives.stable_zip`.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, TypeAlias

from lxml import etree

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.layout.primitives import stable_zip

__all__ = [
    "MERGED_CERTIFICATES",
    "MERGED_DECISION",
    "MERGED_DOSSIER",
    "merge_documents",
    "merge_folder",
    "merged_title",
]

#: File name of a dossier's merged document.
MERGED_DOSSIER: Final = "00-ho-so-day-du.docx"
#: File name of a round's merged decision documents.
MERGED_DECISION: Final = "00-quyet-dinh-day-du.docx"
#: File name of a decision's certificates merged for printing.
MERGED_CERTIFICATES: Final = "00-giay-khen-day-du.docx"

_Xml: TypeAlias = Any  # lxml element (lxml-stubs are not installed)

_W: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT: Final = "http://schemas.openxmlformats.org/package/2006/content-types"
_RT_HEADER: Final = _R + "/header"
_RT_FOOTER: Final = _R + "/footer"
_RT_IMAGE: Final = _R + "/image"
_WP: Final = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_CT_HEADER: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_CT_FOOTER: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
_DOCUMENT: Final = "word/document.xml"
_DOCUMENT_RELS: Final = "word/_rels/document.xml.rels"
_STYLES: Final = "word/styles.xml"
_CONTENT_TYPES: Final = "[Content_Types].xml"
_CORE: Final = "docProps/core.xml"

#: Children of ``w:sectPr`` in schema order (Word rejects other orders).
_SECT_ORDER: Final = (
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
)


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _parse(data: bytes) -> _Xml:
    return etree.fromstring(data, parser=etree.XMLParser(remove_blank_text=False))


def _dump(root: _Xml) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


class _Package:
    """One source .docx, read whole."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with zipfile.ZipFile(path) as zf:
                self.entries = {i.filename: zf.read(i) for i in zf.infolist()}
        except (OSError, zipfile.BadZipFile) as exc:
            raise DocgenError(
                _("không đọc được {path} để ghép: {reason}").format(path=path, reason=exc)
            ) from exc
        if _DOCUMENT not in self.entries:
            raise DocgenError(
                _("{path} không phải tệp .docx (thiếu {part})").format(path=path, part=_DOCUMENT)
            )
        self.document = _parse(self.entries[_DOCUMENT])
        rels = _parse(self.entries[_DOCUMENT_RELS]) if _DOCUMENT_RELS in self.entries else None
        self.rels: dict[str, _Xml] = (
            {} if rels is None else {r.get("Id"): r for r in rels.iter(f"{{{_PR}}}Relationship")}
        )

    def part_name(self, rel: _Xml) -> str:
        """Zip entry name of the part a relationship of document.xml points to."""
        return posixpath.normpath(posixpath.join("word", rel.get("Target")))


def _set_child(sect_pr: _Xml, tag: str, **attrs: str) -> None:
    """Replace (or add) the ``w:tag`` child of ``sect_pr``, at its place in schema order."""
    for old in sect_pr.findall(_w(tag)):
        sect_pr.remove(old)
    element = etree.Element(_w(tag))
    for name, value in attrs.items():
        element.set(_w(name), value)
    rank = _SECT_ORDER.index(tag)
    for index, child in enumerate(sect_pr):
        local = etree.QName(child).localname
        if local in _SECT_ORDER and _SECT_ORDER.index(local) > rank:
            sect_pr.insert(index, element)
            return
    sect_pr.append(element)


def _break_paragraph(sect_pr: _Xml) -> _Xml:
    """A 1 pt high empty paragraph that ends a section (like docxlayout's spacer)."""
    p = etree.Element(_w("p"))
    ppr = etree.SubElement(p, _w("pPr"))
    spacing = etree.SubElement(ppr, _w("spacing"))
    for name, value in (("before", "0"), ("after", "0"), ("line", "20"), ("lineRule", "exact")):
        spacing.set(_w(name), value)
    rpr = etree.SubElement(ppr, _w("rPr"))
    for tag in ("sz", "szCs"):
        etree.SubElement(rpr, _w(tag)).set(_w("val"), "2")
    ppr.append(sect_pr)
    return p


def _check_body(pkg: _Package, body: _Xml) -> None:
    """Refuse a body that refers to parts this composer does not copy (links, objects…)."""
    for element in body.iter():
        if element.tag == _w("headerReference") or element.tag == _w("footerReference"):
            continue
        for name, value in element.attrib.items():
            rel = pkg.rels.get(value)
            if name == f"{{{_R}}}embed" and rel is not None and rel.get("Type") == _RT_IMAGE:
                continue
            if name.startswith(f"{{{_R}}}"):
                raise DocgenError(
                    _(
                        "không ghép được {name}: văn bản có ảnh, liên kết hoặc đối tượng "
                        "nhúng ({element}), việc ghép chưa hỗ trợ"
                    ).format(name=pkg.path.name, element=etree.QName(element).localname)
                )
    if body.find(f".//{_w('numPr')}") is not None:
        raise DocgenError(
            _("không ghép được {name}: văn bản dùng danh sách đánh số tự động").format(
                name=pkg.path.name
            )
        )


class _Images:
    """The image parts of the merged package: one per distinct picture."""

    def __init__(self, entries: dict[str, bytes], rels: _Xml, types: _Xml, used_ids: set[str]):
        self.entries, self.rels, self.types, self.used_ids = entries, rels, types, used_ids
        self.by_bytes: dict[bytes, str] = {}  # picture → its relationship id in the merged
        self.drawings = 0

    def take(self, pkg: _Package, body: _Xml) -> None:
        """Point every picture of `body` at the merged package's copy of its image."""
        for element in body.iter():
            if element.tag == f"{{{_WP}}}docPr":
                self.drawings += 1
                element.set("id", str(self.drawings))
            r_id = element.get(f"{{{_R}}}embed")
            if r_id is None:
                continue
            source = pkg.part_name(pkg.rels[r_id])
            data = pkg.entries[source]
            if data not in self.by_bytes:
                ext = posixpath.splitext(source)[1].lower()
                number = len(self.by_bytes) + 1
                name = f"word/media/merged{number}{ext}"
                self.entries[name] = data
                new_id = _new_id(self.used_ids)
                etree.SubElement(
                    self.rels,
                    f"{{{_PR}}}Relationship",
                    Id=new_id,
                    Type=_RT_IMAGE,
                    Target=posixpath.relpath(name, "word"),
                )
                self._content_type(pkg, ext)
                self.by_bytes[data] = new_id
            element.set(f"{{{_R}}}embed", self.by_bytes[data])

    def _content_type(self, pkg: _Package, ext: str) -> None:
        have = {d.get("Extension", "").lower() for d in self.types.findall(f"{{{_CT}}}Default")}
        if ext.lstrip(".") in have:
            return
        for default in _parse(pkg.entries[_CONTENT_TYPES]).findall(f"{{{_CT}}}Default"):
            if default.get("Extension", "").lower() == ext.lstrip("."):
                self.types.insert(0, etree.fromstring(etree.tostring(default)))
                return


def _new_id(used_ids: set[str]) -> str:
    """The first free relationship id rIdN, N counted from the number already used."""
    number = len(used_ids) + 1
    while f"rId{number}" in used_ids:
        number += 1
    used_ids.add(f"rId{number}")
    return f"rId{number}"


def _merge_styles(base: _Xml, other: _Xml) -> None:
    """Copy into ``base`` the styles of ``other`` whose id ``base`` does not have."""
    have = {s.get(_w("styleId")) for s in base.iter(_w("style"))}
    for style in other.iter(_w("style")):
        if style.get(_w("styleId")) not in have:
            base.append(etree.fromstring(etree.tostring(style)))
            have.add(style.get(_w("styleId")))


def merge_documents(parts: Sequence[Path], target: Path, *, title: str | None = None) -> Path:
    """Write ``target``: every document of ``parts`` in order, one section each.

    See the module docstring for what is kept of each part. ``title`` replaces the first
    part's title in the document properties. Returns ``target``.
    """
    if not parts:
        raise DocgenError(_("không có văn bản nào để ghép vào {name}").format(name=target.name))
    packages = [_Package(p) for p in parts]
    first = packages[0]
    entries = dict(first.entries)

    # Document relationships: the first part's, minus its headers and footers (re-added per
    # section below, with the other parts').
    rels_root = _parse(entries[_DOCUMENT_RELS])
    types_root = _parse(entries[_CONTENT_TYPES])
    for rel in list(rels_root):
        if rel.get("Type") == _RT_IMAGE:  # re-added as the parts' pictures are copied
            rels_root.remove(rel)
            entries.pop(first.part_name(rel), None)
        elif rel.get("Type") in (_RT_HEADER, _RT_FOOTER):
            rels_root.remove(rel)
            name = first.part_name(rel)
            entries.pop(name, None)
            entries.pop(
                posixpath.join(
                    posixpath.dirname(name), "_rels", posixpath.basename(name) + ".rels"
                ),
                None,
            )
            for override in types_root.findall(f"{{{_CT}}}Override"):
                if override.get("PartName") == "/" + name:
                    types_root.remove(override)
    used_ids = {rel.get("Id") for rel in rels_root}
    styles = _parse(entries[_STYLES]) if _STYLES in entries else None

    document = _parse(first.entries[_DOCUMENT])  # a copy: the parts' bodies are moved into it
    body = document.find(_w("body"))
    for child in list(body):
        body.remove(child)

    images = _Images(entries, rels_root, types_root, used_ids)
    serial = 0
    for index, pkg in enumerate(packages):
        part_body = pkg.document.find(_w("body"))
        if part_body is None:
            raise DocgenError(_("{path} không có phần thân văn bản").format(path=pkg.path))
        _check_body(pkg, part_body)
        images.take(pkg, part_body)
        children = list(part_body)
        sect_pr = children.pop() if children and children[-1].tag == _w("sectPr") else None
        if sect_pr is None:
            sect_pr = etree.Element(_w("sectPr"))
        for inner in part_body.iter(_w("sectPr")):
            if inner is not sect_pr:
                raise DocgenError(
                    _("không ghép được {name}: văn bản đã có nhiều phần").format(name=pkg.path.name)
                )
        # Headers and footers: a fresh copy of each, referenced under a fresh id.
        for ref in sect_pr.findall(_w("headerReference")) + sect_pr.findall(_w("footerReference")):
            rel = pkg.rels.get(ref.get(f"{{{_R}}}id"))
            if rel is None or rel.get("Type") not in (_RT_HEADER, _RT_FOOTER):
                raise DocgenError(
                    _("{name}: tham chiếu đầu trang không hợp lệ").format(name=pkg.path.name)
                )
            source = pkg.part_name(rel)
            if posixpath.join("word/_rels", posixpath.basename(source) + ".rels") in pkg.entries:
                raise DocgenError(
                    _("không ghép được {name}: đầu/chân trang có ảnh hoặc liên kết").format(
                        name=pkg.path.name
                    )
                )
            serial += 1
            is_header = rel.get("Type") == _RT_HEADER
            kind = "header" if is_header else "footer"
            new_name = f"word/{kind}{serial}.xml"
            while new_name in entries:  # pragma: no cover - only with unusual source names
                serial += 1
                new_name = f"word/{kind}{serial}.xml"
            entries[new_name] = pkg.entries[source]
            new_id = _new_id(used_ids)
            etree.SubElement(
                rels_root,
                f"{{{_PR}}}Relationship",
                Id=new_id,
                Type=rel.get("Type"),
                Target=posixpath.basename(new_name),
            )
            etree.SubElement(
                types_root,
                f"{{{_CT}}}Override",
                PartName="/" + new_name,
                ContentType=_CT_HEADER if is_header else _CT_FOOTER,
            )
            ref.set(f"{{{_R}}}id", new_id)
        # Each part numbered on its own, from page 2; a new page for each part.
        _set_child(sect_pr, "type", val="nextPage")
        _set_child(sect_pr, "pgNumType", start="1")
        _set_child(sect_pr, "titlePg")
        for child in children:
            body.append(child)
        if index < len(packages) - 1:
            body.append(_break_paragraph(sect_pr))
        else:
            body.append(sect_pr)
        if styles is not None and pkg is not first and _STYLES in pkg.entries:
            _merge_styles(styles, _parse(pkg.entries[_STYLES]))

    entries[_DOCUMENT] = _dump(document)
    entries[_DOCUMENT_RELS] = _dump(rels_root)
    entries[_CONTENT_TYPES] = _dump(types_root)
    if styles is not None:
        entries[_STYLES] = _dump(styles)
    if title is not None and _CORE in entries:
        core = _parse(entries[_CORE])
        for element in core.iter("{http://purl.org/dc/elements/1.1/}title"):
            element.text = title
        entries[_CORE] = _dump(core)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    target.write_bytes(stable_zip(buffer.getvalue()))
    return target


#: Title (document properties) of each kind of merged document.
_TITLES: Final = {
    MERGED_DOSSIER: "Hồ sơ đề nghị khen thưởng (đầy đủ)",
    MERGED_DECISION: "Quyết định khen thưởng và văn bản kèm theo (đầy đủ)",
    MERGED_CERTIFICATES: "Giấy khen (tất cả, để in)",
}


def merged_title(name: str) -> str | None:
    """The document title of a merged file called ``name`` (None: keep the first part's)."""
    return _TITLES.get(name)


def merge_folder(folder: Path, name: str = MERGED_DOSSIER) -> Path:
    """Merge every .docx of ``folder`` (by file name, ``name`` itself left out) into ``name``."""
    parts = sorted(
        (p for p in folder.glob("*.docx") if p.name != name and p.is_file()), key=lambda p: p.name
    )
    return merge_documents(parts, folder / name, title=merged_title(name))
