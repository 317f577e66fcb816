"""Write templates/ke-hoach.docx, the plan template (ND30 Mẫu 1.4), from code.

    python -m docgen.build_plan_template [TEMPLATES_DIR]

The plan's body is a tree whose shape varies from plan to plan, so docgen.plan flattens it
into typed paragraphs and this template has one loop with one formatted paragraph per kind:
headings bold (level 3 bold italic, as Vietnamese plans set "a)" and "3.1." points), items
and bullets plain body text. Label, title and text are separate runs so each can carry its
own emphasis. The committed file must equal what this module writes (a test checks it).
"""

from __future__ import annotations

from pathlib import Path

from docx.document import Document

from docgen.layout.primitives import Run, new_document, save
from docgen.layout.templates import body, header, signature, tag, title

NAME = "ke-hoach.docx"
TITLE = "Kế hoạch phát động phong trào thi đua"

#: "I. " / "1. " / "" — the label and the space after it, only when there is a label.
LABEL = "{{ p.label }}{% if p.label %} {% endif %}"
#: Text after a heading's title (plain), or a paragraph's whole text.
TAIL = "{% if p.title and p.text %} {% endif %}{{ p.text }}"


def _heading(doc: Document, *, italic: bool = False) -> None:
    """A heading paragraph: bold (italic) label and title, plain text after them if any."""
    body(
        doc,
        Run(LABEL, bold=True, italic=italic),
        Run("{{ p.title }}", bold=True, italic=italic),
        Run(TAIL),
        keep_with_next=True,
    )


def plan() -> Document:
    """Kế hoạch: header, KẾ HOẠCH + summary + rule, preamble, body tree, closing, signature."""
    doc = new_document()
    header(doc, number=True, date=True)
    title(doc, "{{ type }}", "{{ summary }}")
    tag(doc, "{%p for line in preamble %}")
    body(doc, "{{ line }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for p in paragraphs %}")
    tag(doc, "{%p if p.kind == 'heading1' %}")
    _heading(doc)
    tag(doc, "{%p elif p.kind == 'heading2' %}")
    _heading(doc)
    tag(doc, "{%p elif p.kind == 'heading3' %}")
    _heading(doc, italic=True)
    tag(doc, "{%p elif p.kind == 'item' %}")
    body(doc, Run(LABEL), Run("{{ p.text }}"))
    tag(doc, "{%p elif p.kind == 'bullet' %}")
    body(doc, Run(LABEL), Run("{{ p.text }}"))
    tag(doc, "{%p elif p.kind == 'subbullet' %}")
    body(doc, Run(LABEL), Run("{{ p.text }}"))
    tag(doc, "{%p else %}")
    body(doc, Run(LABEL), Run("{{ p.text }}"))
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if closing %}")
    body(doc, "{{ closing }}", keep_with_next=True)  # never a signature page alone
    tag(doc, "{%p endif %}")
    signature(doc)
    return doc


def build(target: Path) -> Path:
    """Write the plan template into the folder `target`; returns its path."""
    target.mkdir(parents=True, exist_ok=True)
    path = target / NAME
    save(plan(), path, title=TITLE)
    return path
