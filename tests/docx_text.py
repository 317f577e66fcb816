"""Read the text of a produced .docx the way a reader sees it, for exact assertions."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _para_text(p: etree._Element) -> str:
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def paragraphs(path: Path, part: str = "word/document.xml") -> list[str]:
    """Every non-empty paragraph's text in document order (table cells included)."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read(part))
    return [t for p in root.iter(f"{W}p") if (t := _para_text(p)).strip()]


def shown(path: Path, part: str = "word/document.xml") -> list[str]:
    """`paragraphs` as a reader sees them: the non-breaking spaces that keep a title's
    phrases whole (issue 13.3) read as spaces. Fidelity tests use `paragraphs`."""
    return [t.replace("\u00a0", " ").replace("\u2011", "-") for t in paragraphs(path, part)]


def shown_tables(path: Path) -> list[list[list[str]]]:
    """`tables` as a reader sees them (non-breaking spaces read as spaces)."""
    return [
        [[c.replace("\u00a0", " ").replace("\u2011", "-") for c in row] for row in t]
        for t in tables(path)
    ]


def tables(path: Path) -> list[list[list[str]]]:
    """Every table as rows of cell texts."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    out = []
    for tbl in root.iter(f"{W}tbl"):
        rows = []
        for tr in tbl.iterfind(f"{W}tr"):
            rows.append(
                [
                    "\n".join(_para_text(p) for p in tc.iterfind(f"{W}p"))
                    for tc in tr.iterfind(f"{W}tc")
                ]
            )
        out.append(rows)
    return out


def text(path: Path) -> str:
    """All paragraphs joined by newlines."""
    return "\n".join(paragraphs(path))


def runs(path: Path) -> list[str]:
    """Every run's text, to check that nothing is lost or altered."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return [t.text or "" for t in root.iter(f"{W}t")]
