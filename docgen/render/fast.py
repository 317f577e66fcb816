"""Prepare a docxtpl template once, then render each document as Jinja text plus a zip write.

``DocxTemplate(path).render(ctx); save()`` re-opens the package, re-parses and re-patches the
XML and re-compiles the Jinja source for every document (~27 ms for a 3-page report), while
only the Jinja output differs between documents. :class:`PreparedTemplate` does the
per-template work once, with docxtpl's own functions (``get_xml``, ``get_part_xml``,
``patch_xml``, ``render_properties``), and per document calls docxtpl's ``render_xml_part``
on a cached compiled template, so escaping, ``{_{`` handling, ``resolve_listing`` and the
error context stay docxtpl's. Untouched parts are compressed once and copied into each zip.

docxtpl's per-document lxml post-processing is kept wherever it can change anything:

* ``fix_tables`` (re-parse the body with ``recover=True`` and adjust ``w:gridCol``) and
  ``fix_docpr_ids`` run unless :func:`analyse` proves from the template's Jinja syntax tree
  that every rendering is well-formed XML with an unchanged table grid and no ``wp:docPr``
  (true for the templates built by docgen: no ``{%tc %}`` cell tags, static grids, a
  header row in every table); the equivalence test renders every template both ways;
* ``resolve_listing`` is skipped only when the rendered text has none of the characters it
  rewrites (``\\t \\a \\n \\f``): each of its substitutions is then the identity; when it
  splits paragraphs (``\\a \\f``), or the output has characters XML forbids, the body goes
  through docxtpl's recovering parse as in docxtpl.

The proof assumes what docgen's contexts are: plain data. Values that bypass autoescaping
(``Markup``, docxtpl ``RichText``/``Subdoc``) are not supported by this renderer.

Output is deterministic: entries in a fixed order (``[Content_Types].xml`` first, then by
name), fixed timestamps and compression levels, no random ids.
"""

from __future__ import annotations

import copy
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaError
from jinja2 import nodes
from lxml import etree

if TYPE_CHECKING:
    import jinja2

__all__ = [
    "RENDERED_LEVEL",
    "STATIC_LEVEL",
    "Analysis",
    "PreparedTemplate",
    "ZipEntry",
    "analyse",
    "write_zip",
    "zip_entry",
]

_CONTENT_TYPES: Final = "[Content_Types].xml"
_FOOTNOTES_CT: Final = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
)
_CORE_RT: Final = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
#: Levels: untouched parts are compressed once, so spend time there; rendered parts every time.
STATIC_LEVEL: Final = 9
RENDERED_LEVEL: Final = 3
#: The characters docxtpl's resolve_listing turns into tabs, breaks and paragraphs.
_LISTING_CHARS: Final = ("\t", "\a", "\n", "\f")
#: UTF-8 bytes of the characters XML 1.0 forbids: C0 controls but tab, LF, CR; U+FFFE/F.
_CONTROL_BYTES: Final = bytes(c for c in range(32) if c not in (9, 10, 13))
_NONCHARACTERS: Final = ("\ufffe", "\uffff")
_UTF8: Final = frozenset({"utf-8", "utf8"})
#: What python-docx writes before every XML part.
_DECLARATION: Final = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_MARK: Final = "docgen-body-content"


# --------------------------------------------------------------------------------------- zip


@dataclass(frozen=True)
class ZipEntry:
    """One compressed zip member: local header plus data, and its central record pieces."""

    name: str
    local: bytes
    central_head: bytes
    name_bytes: bytes


# 1980-01-01 00:00:00, the earliest DOS date: stable, and what stable_zip writes too.
_DOS_TIME, _DOS_DATE = 0, (1 << 5) | 1


def zip_entry(name: str, data: bytes, level: int) -> ZipEntry:
    """Compress one member now; write_zip then only concatenates."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    crc = zlib.crc32(data)
    raw = name.encode("utf-8")
    flags = 0 if name.isascii() else 0x800  # bit 11: the name is UTF-8
    common = struct.pack(
        "<HHHHHIII", 20, flags, 8, _DOS_TIME, _DOS_DATE, crc, len(packed), len(data)
    )
    local = struct.pack("<I", 0x04034B50) + common + struct.pack("<HH", len(raw), 0) + raw
    central_head = (
        struct.pack("<IH", 0x02014B50, 20)
        + common
        + struct.pack("<HHHHHI", len(raw), 0, 0, 0, 0, 0)
    )
    return ZipEntry(name, local + packed, central_head, raw)


def _order(name: str) -> tuple[bool, str]:
    """[Content_Types].xml first (some readers expect it), then by name."""
    return (name != _CONTENT_TYPES, name)


def write_zip(entries: Iterable[ZipEntry]) -> bytes:
    """A zip archive of already-compressed entries, in the order given."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for e in entries:
        chunks.append(e.local)
        central.append(e.central_head + struct.pack("<I", offset) + e.name_bytes)
        offset += len(e.local)
    directory = b"".join(central)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0
    )
    return b"".join(chunks) + directory + end


# ----------------------------------------------------------------------- template analysis


@dataclass(frozen=True)
class Analysis:
    """What the syntax tree of one part's Jinja source proves about every rendering."""

    well_formed: bool  # output is well-formed XML whatever the (plain-data) context
    tables_fixed: bool  # and docxtpl's fix_tables would leave every table as it is
    reason: str = ""  # why not, for tests and curious maintainers
    #: what makes the template unfaithful ("" if nothing): BLOCK_BREAKS_XML or TEXT_OUTSIDE
    broken: str = ""
    line: int | None = None  # the Jinja line (a paragraph) of the tag at fault

    @property
    def skip_tree(self) -> bool:
        """Nothing for docxtpl's lxml pass (fix_tables, fix_docpr_ids) to change."""
        return self.well_formed and self.tables_fixed


class _Unproven(Exception):
    """The analysis cannot prove the property; docxtpl's post-processing then runs."""


class _Broken(_Unproven):
    """Not merely unproven: every rendering is broken XML, which docxtpl's recovering parse
    would "repair" by dropping what follows (a table, the total, the signature)."""

    def __init__(self, why: str, line: int | None) -> None:
        super().__init__(why)
        self.line = line


#: A block ({% for %}, {% if %}) whose body opens or closes elements it does not close or
#: open again: a row loop written {% for %} or {%p for %} where {%tr for %} is needed.
BLOCK_BREAKS_XML: Final = "block"
#: An expression whose text lands outside any w:t (docxtpl's {{r …}}, {{p …}}, {{tr …}} are
#: for RichText/Subdoc objects, which docgen's plain contexts never are): Word never shows it.
TEXT_OUTSIDE: Final = "outside-text"
#: Elements whose content is text a reader shows.
_TEXT_ELEMENTS: Final = frozenset({"w:t", "w:instrText", "w:delText", "a:t", "m:t"})


@dataclass(frozen=True)
class _Mark:
    """In the flattened tree: +1/-1 around a branch body, 0 for an expression's output."""

    step: int
    line: int


#: Ways to emit unescaped markup from plain data.
_RAW_FILTERS: Final = frozenset({"safe", "urlize"})
_RAW_NAMES: Final = frozenset({"lipsum"})
#: Stands for an expression's output in the skeleton: text-safe, invalid in names and tags.
_HOLE: Final = " 0 "
_TAG = re.compile(
    r"""<(/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(/?)>"""
)
_TABLE_STRUCTURE: Final = frozenset({"w:tbl", "w:tblGrid", "w:tr", "w:tc", "w:tcPr"})
_VAL = re.compile(r"""\bw:val\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _walk(body: list[nodes.Node], out: list[str | _Mark]) -> None:
    """Flatten the tree: text pieces, expressions, and +1/-1 marks around every branch body."""
    for node in body:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    out.append(child.data)
                else:
                    out.extend((_Mark(0, child.lineno), _HOLE))
        elif isinstance(node, nodes.Assign):
            continue
        elif isinstance(node, nodes.If):
            for branch in (node.body, *(e.body for e in node.elif_), node.else_):
                _branch(branch, node.lineno, out)
        elif isinstance(node, nodes.For) and not node.recursive:
            for branch in (node.body, node.else_):
                _branch(branch, node.lineno, out)
        elif isinstance(node, nodes.With):
            _branch(node.body, node.lineno, out)
        else:  # macros, call/filter/set blocks, autoescape blocks, includes, ...
            raise _Unproven(f"{type(node).__name__} block")


def _branch(body: list[nodes.Node], line: int, out: list[str | _Mark]) -> None:
    out.append(_Mark(1, line))
    _walk(body, out)
    out.append(_Mark(-1, line))


@dataclass
class _Row:
    branch: int
    cells: int = 0
    span: int = 0
    tcpr: int = 0
    spans_seen: int = 0


@dataclass
class _Table:
    branch: int
    columns: int = 0
    grids: int = 0
    anchored: bool = False


def analyse(source: str, env: jinja2.Environment, tree: nodes.Template | None = None) -> Analysis:
    """Prove, from the Jinja syntax tree of a part, what docxtpl's lxml pass would do.

    Every branch body (if/elif/else, for/else, with) must leave the same elements open as it
    found (it may close a run and open another, as ``{% if %}`` across runs does), and every
    expression must sit in text or an attribute value; then, with autoescaping and plain
    data, any number of passes through any branch gives well-formed XML.

    For tables (not nested) the grid must be literal, every row exactly as wide as the grid,
    cells and grid columns unconditional within their row/table, and each table must keep
    at least one row whenever it is rendered: then ``fix_tables`` finds no row wider or
    narrower than the grid and changes nothing.
    """
    try:
        tree = tree or env.parse(source)
        for f in tree.find_all(nodes.Filter):
            if f.name in _RAW_FILTERS:
                raise _Unproven(f"|{f.name} filter")
        for n in tree.find_all(nodes.Name):
            if n.name in _RAW_NAMES:
                raise _Unproven(f"{n.name}()")
        pieces: list[str | _Mark] = []
        _walk(tree.body, pieces)
        tables, outside = _check_xml(pieces)
    except _Broken as exc:
        return Analysis(False, False, str(exc), BLOCK_BREAKS_XML, exc.line)
    except _Unproven as exc:
        return Analysis(False, False, str(exc))
    except Exception as exc:  # e.g. a syntax error: rendering will report it
        return Analysis(False, False, f"{type(exc).__name__}: {exc}")
    broken = TEXT_OUTSIDE if outside is not None else ""
    if "docPr" in source:
        return Analysis(True, False, "wp:docPr ids are renumbered per document", broken, outside)
    return Analysis(True, tables is None, tables or "", broken, outside)


def _check_xml(pieces: list[str | _Mark]) -> tuple[str | None, int | None]:
    """Raise _Unproven unless well-formed (_Broken if a block breaks it); return why tables
    may change, or None, and the line of the first expression outside text, or None."""
    skeleton: list[str] = []
    marks: list[tuple[int, _Mark]] = []  # (position in skeleton, mark)
    pos = 0
    for piece in pieces:
        if isinstance(piece, _Mark):
            marks.append((pos, piece))
        else:
            skeleton.append(piece)
            pos += len(piece)
    text = "".join(skeleton)
    tags: list[re.Match[str]] = []
    start = 0
    while (lt := text.find("<", start)) >= 0:
        m = _TAG.match(text, lt)
        if m is None:
            raise _Unproven(f"not a plain tag near {text[lt : lt + 40]!r}")
        tags.append(m)
        start = m.end()

    stack: list[str] = []
    # (id, element stack at start, line of the block)
    branches: list[tuple[int, tuple[str, ...], int | None]] = [(0, (), None)]
    next_id = 1
    outside: int | None = None
    tables_problem: str | None = None
    table: _Table | None = None
    row: _Row | None = None

    def problem(why: str) -> None:
        nonlocal tables_problem
        tables_problem = tables_problem or why

    events: list[tuple[int, int, _Mark | re.Match[str]]] = [(p, 0, d) for p, d in marks]
    events += [(m.start(), 1, m) for m in tags]
    events.sort(key=lambda e: (e[0], e[1]))
    spans = [(m.start(), m.end()) for m in tags]
    span_index = 0
    for at, _, what in events:
        if isinstance(what, _Mark):
            while span_index < len(spans) and spans[span_index][1] <= at:
                span_index += 1
            inside_tag = span_index < len(spans) and spans[span_index][0] < at
            if what.step == 0:  # an expression: in an attribute value, or in text
                if not inside_tag and (not stack or stack[-1] not in _TEXT_ELEMENTS):
                    outside = what.line if outside is None else outside
                continue
            if inside_tag:
                raise _Unproven("a block tag inside an XML tag")
            if what.step == 1:
                branches.append((next_id, tuple(stack), what.line))
                next_id += 1
            else:  # each pass leaves the same open elements: any number of passes nests
                if tuple(stack) != branches[-1][1]:
                    raise _Broken("a block whose XML is not balanced", what.line)
                branches.pop()
            continue
        closing, name, attrs, empty = what.group(1), what.group(2), what.group(3), what.group(4)
        branch = branches[-1][0]
        if closing:
            if not stack or stack[-1] != name:
                raise _Broken(f"</{name}> does not close its own element", branches[-1][2])
            if len(stack) <= len(branches[-1][1]):  # closes what the block did not open
                if len(stack) == 1:
                    raise _Broken("a block that closes the root element", branches[-1][2])
                if name in _TABLE_STRUCTURE:
                    problem(f"a block that closes and reopens {name}")
            stack.pop()
            if name == "w:tr" and table is not None and row is not None:
                if row.cells > table.columns or row.span != table.columns:
                    problem(f"a row of {row.span} columns in a grid of {table.columns}")
                if row.branch == table.branch:
                    table.anchored = True
                row = None
            elif name == "w:tbl" and table is not None:
                if not table.anchored:
                    problem("a table whose rows may all disappear")
                table = None
            continue
        parent = stack[-1] if stack else ""
        if name == "w:tbl":
            if table is not None:
                problem("nested tables")
            table = _Table(branch)
        elif table is not None:
            if name == "w:tblGrid" and parent == "w:tbl":
                table.grids += 1
                if table.grids > 1 or branch != table.branch:
                    problem("a second or conditional w:tblGrid")
            elif name == "w:gridCol" and parent == "w:tblGrid" and stack[-2:-1] == ["w:tbl"]:
                table.columns += 1
                if branch != table.branch:
                    problem("a conditional w:gridCol")
            elif name == "w:tr":
                row = _Row(branch)
                if table.grids != 1:
                    problem("a row before the grid")
            elif row is not None and name == "w:tc" and parent == "w:tr":
                row.cells += 1
                row.span += 1
                row.tcpr = 0
                row.spans_seen = 0
                if branch != row.branch:
                    problem("a conditional or repeated cell ({%tc %})")
            elif row is not None and name == "w:tcPr" and parent == "w:tc":
                row.tcpr += 1
                if row.tcpr > 1 or branch != row.branch:
                    problem("a second or conditional w:tcPr")
            elif row is not None and name == "w:gridSpan" and parent == "w:tcPr":
                row.spans_seen += 1
                value = _VAL.search(attrs)
                literal = (value.group(1) or value.group(2) or "") if value else ""
                if row.spans_seen > 1 or branch != row.branch or not literal.isdigit():
                    problem("a computed, conditional or repeated w:gridSpan")
                else:
                    row.span += int(literal) - 1
        if not empty:
            stack.append(name)
    if stack or len(branches) != 1:
        raise _Broken("unbalanced XML", branches[-1][2])
    return tables_problem, outside


def unfaithful(analysis: Analysis, paragraph: str) -> str:
    """The problem of a template docgen refuses to render (analysis.broken), for a message."""
    from docgen.i18n import _

    if analysis.broken == TEXT_OUTSIDE:
        return _(
            "biểu thức nằm ngoài phần chữ của đoạn văn nên Word sẽ không hiện nội dung này "
            "(thẻ {{{{r …}}}}, {{{{p …}}}}, {{{{tr …}}}}, {{{{tc …}}}} chỉ dành cho RichText; với "
            "dữ liệu của docgen hãy viết {{{{ … }}}}) — đoạn: {paragraph}"
        ).format(paragraph=repr(paragraph))
    return _(
        "thẻ khối làm hỏng cấu trúc văn bản, phần sau nó (bảng, tổng số, chữ ký) sẽ bị mất "
        "(vòng lặp qua các hàng của bảng phải là {{%tr for … %}} … {{%tr endfor %}}; qua các "
        "đoạn văn: {{%p for … %}} … {{%p endfor %}}, mỗi thẻ ở một đoạn riêng) — đoạn: "
        "{paragraph}"
    ).format(paragraph=repr(paragraph))


def not_well_formed(xml: str, exc: etree.XMLSyntaxError) -> str:
    """A rendered part that is not XML (which docxtpl's recovering parse would cut short)."""
    from docgen.i18n import _

    line, column = exc.position if exc.position else (1, 1)
    lines = xml.split("\n")
    at = sum(len(x) + 1 for x in lines[: max(0, min(line, len(lines)) - 1)]) + max(column - 1, 0)
    start = max(xml.rfind("<w:p>", 0, at), xml.rfind("<w:p ", 0, at))
    end = xml.find("</w:p>", at)
    text = _visible_text(xml[max(start, 0) : end if end >= 0 else len(xml)])
    return _(
        "văn bản dựng ra không phải XML hợp lệ ({error}); docgen không sửa bằng cách bỏ bớt "
        "nội dung — gần đoạn: {paragraph}"
    ).format(error=exc.msg, paragraph=repr(text))


def _visible_text(xml_line: str) -> str:
    import html

    text = html.unescape(re.sub(r"<[^>]*>", "", xml_line)).strip()
    return text if len(text) <= 120 else text[:119] + "…"


def _strict(xml: str, data: bytes) -> None:
    """Raise TemplateError unless `data` (the rendered `xml`) parses without recovery."""
    from docgen.errors import TemplateError

    try:
        etree.fromstring(data, parser=_STRICT)
    except etree.XMLSyntaxError as exc:
        raise TemplateError(not_well_formed(xml, exc)) from exc


_STRICT: Final = etree.XMLParser(resolve_entities=False, huge_tree=True)


# ------------------------------------------------------------------------------- templates


class _Docx(DocxTemplate):  # type: ignore[misc]
    """docxtpl's DocxTemplate, minus resolve_listing's regex passes when they cannot match.

    ``broke_paragraphs`` records that the last call split paragraphs (\\a, \\f): docxtpl
    assumes every w:r sits directly in a w:p there, so the result may need its recovering
    parse.
    """

    broke_paragraphs = False

    def resolve_listing(self, xml: str) -> str:
        # it only rewrites \t \a \n \f inside w:t; without any of them it is the identity
        self.broke_paragraphs = "\a" in xml or "\f" in xml
        if not any(ch in xml for ch in _LISTING_CHARS):
            return xml
        result: str = super().resolve_listing(xml)
        return result


class _Compiled(Exception):
    """Stops render_xml_part once the template is compiled (used while preparing)."""


class _Sources:
    """Stands in for the Jinja environment inside docxtpl: compiles each source once.

    render_xml_part only calls ``from_string``; handing it this object keeps its own code
    path (and its error context) while the compile happens once per template and process.
    """

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.cache: dict[str, jinja2.Template] = {}
        self.analyses: dict[str, Analysis] = {}
        self.compile_only = False
        self.last = ""
        self.entries: dict[tuple[str, bytes], ZipEntry] = {}

    def from_string(self, source: str) -> Any:
        template = self.cache.get(source)
        if template is None:
            from docgen.render.limits import bounded_output

            tree = self.env.parse(source)  # a syntax error is raised as from_string raises it
            self.analyses[source] = analyse(source, self.env, tree)  # before compile edits it
            template = self.cache[source] = self.env.from_string(tree)
            template.root_render_func = bounded_output(template.root_render_func)
        self.last = source
        if self.compile_only:
            return _StopAfterCompile()
        return template

    def alias(self, source: str) -> str:
        """A short name for a compiled source, to hand render_xml_part per document.

        render_xml_part first rewrites its source (a newline before each ``<w:p``) and
        then asks for the template; the rewrite of a 20-50 kB source costs more than
        rendering it. The name has no ``<w:p`` in it, so it reaches from_string as is.
        """
        key = f"\x00docgen-compiled-{len(self.cache)}"
        self.cache[key] = self.cache[source]
        return key

    def static_entry(self, name: str, data: bytes) -> ZipEntry:
        """Compressed once per process, whichever templates share the part (styles.xml)."""
        entry = self.entries.get((name, data))
        if entry is None:
            entry = self.entries[name, data] = zip_entry(name, data, STATIC_LEVEL)
        return entry


class _StopAfterCompile:
    def render(self, context: dict[str, Any]) -> str:
        raise _Compiled


#: How docxtpl's render_xml_part breaks the XML into lines: one paragraph per line.
_PARAGRAPH_BREAK = re.compile(r"<w:p([ >])")


@dataclass
class _Part:
    """One XML part that docxtpl renders: the body, a header or a footer."""

    name: str  # zip entry
    source: str  # patched XML, as docxtpl hands it to render_xml_part
    part: Any  # the python-docx part (docxtpl's current_rendering_part)
    encoding: str = "utf-8"
    analysis: Analysis = field(default_factory=lambda: Analysis(False, False, "not analysed"))
    static: ZipEntry | None = None  # rendered once when the part has no Jinja at all
    key: str = ""  # the compiled source's short name (see _Sources.alias)


class PreparedTemplate:
    """A template read, patched and compiled once; :meth:`render` gives a finished .docx.

    Raises what docxtpl raises: jinja2.TemplateError (with ``docx_context``) for template
    problems, zipfile/OPC/lxml errors for files that are not Word documents.
    """

    def __init__(self, path: Path, sources: _Sources) -> None:
        self.path = path
        self._sources = sources
        tpl = _Docx(str(path))
        tpl.render_init()
        self._tpl = tpl
        package = tpl.docx.part.package
        self._fallback = any(p.content_type == _FOOTNOTES_CT for p in package.iter_parts())
        if self._fallback:  # docxtpl renders footnotes once per section: leave it to docxtpl
            with zipfile.ZipFile(path) as zf:
                self._names = sorted(zf.namelist(), key=_order)
            return
        env = sources.env
        delimiters = (env.variable_start_string, env.block_start_string, env.comment_start_string)
        self._has_jinja: Callable[[str], bool] = lambda s: any(d in s for d in delimiters)

        root = tpl.docx.element
        self._shell = copy.deepcopy(root)
        body = self._shell.find(root.body.tag)
        for child in list(body):
            body.remove(child)
        body.append(etree.Comment(_MARK))
        framed = _serialize(self._shell).split(f"<!--{_MARK}-->".encode())
        self._prefix, self._suffix = framed
        body.remove(body[0])

        self._body = _Part(_entry_name(tpl.docx.part), tpl.patch_xml(tpl.get_xml()), tpl.docx.part)
        self._body_open = self._body.source[: self._body.source.index(">") + 1]
        self._headers: list[_Part] = []
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _, part in tpl.get_headers_footers(uri):
                xml = tpl.get_part_xml(part)
                self._headers.append(
                    _Part(
                        _entry_name(part),
                        tpl.patch_xml(xml),
                        part,
                        tpl.get_headers_footers_encoding(xml),
                    )
                )
        self._core, self._core_element = self._prepare_properties()

        rendered = {p.name for p in (self._body, *self._headers)}
        if self._core is not None:
            rendered.add(_entry_name(self._core))
        with zipfile.ZipFile(path) as zf:
            self._static = {
                info.filename: sources.static_entry(info.filename, zf.read(info))
                for info in zf.infolist()
                if info.filename not in rendered and not info.is_dir()
            }
        if self._core is not None and self._core_element is None:  # rendered once, above
            name = _entry_name(self._core)
            self._static[name] = zip_entry(name, self._core.blob, STATIC_LEVEL)
        for p in (self._body, *self._headers):
            self._compile(p)
            if not self._has_jinja(p.source):
                p.static = self._render_part(p, {})
        self._names = sorted({*self._static, *rendered}, key=_order)

    # -- preparation -----------------------------------------------------------------------

    def _compile(self, p: _Part) -> None:
        """Compile the exact source render_xml_part will ask for, and analyse it."""
        self._sources.compile_only = True
        try:
            self._tpl.render_xml_part(p.source, p.part, {}, self._sources)
        except _Compiled:
            pass
        finally:
            self._sources.compile_only = False
        compiled = self._sources.last
        p.analysis = self._sources.analyses[compiled]
        p.key = self._sources.alias(compiled)
        if p.analysis.broken:  # never rendered: docxtpl would repair it by dropping text
            from docgen.errors import TemplateError
            from docgen.render.templatecheck import paragraph_at

            paragraph = paragraph_at(compiled, p.analysis.line)
            raise TemplateError(unfaithful(p.analysis, paragraph))

    def _prepare_properties(self) -> tuple[Any, Any]:
        """docxtpl renders six core properties with Jinja; do it once unless they use Jinja."""
        package = self._tpl.docx.part.package
        if not any(rel.reltype == _CORE_RT for rel in package.rels.values()):
            return None, None  # python-docx would invent one, dated now: keep output stable
        core = package.part_related_by(_CORE_RT)
        if self._has_jinja(core.blob.decode("utf-8")):
            return core, copy.deepcopy(core.element)
        self._tpl.render_properties({}, self._sources)
        return core, None

    # -- rendering -------------------------------------------------------------------------

    def _render_part(self, p: _Part, context: dict[str, Any]) -> ZipEntry:
        tpl = self._tpl
        try:
            xml: str = tpl.render_xml_part(p.key, p.part, context, self._sources)
        except JinjaError:
            # docxtpl quotes the paragraphs around an error (when Jinja gives it a line) from
            # the source it was handed: hand it the whole source, to raise with that context
            xml = tpl.render_xml_part(p.source, p.part, context, self._sources)
        proven = p.analysis.skip_tree if p is self._body else p.analysis.well_formed
        proven = proven and not tpl.broke_paragraphs and p.encoding.lower() in _UTF8
        if p is self._body:
            opening, closing = self._body_open, "</w:body>"
            if proven and xml.startswith(opening) and xml.endswith(closing):
                content = xml[len(opening) : -len(closing)].encode("utf-8")
                if _xml_chars_only(xml, content):
                    return zip_entry(p.name, self._prefix + content + self._suffix, RENDERED_LEVEL)
            # what docxtpl.render does with the body, then python-docx on save; but first
            # the check that its recovering parse will not drop anything
            _strict(xml, xml.encode("utf-8"))
            tree = tpl.fix_tables(xml)
            tpl.docx_ids_index = 1000
            tpl.fix_docpr_ids(tree)
            document = copy.deepcopy(self._shell)
            document.replace(document.find(tree.tag), tree)
            return zip_entry(p.name, _serialize(document), RENDERED_LEVEL)
        data = xml.encode(p.encoding)
        if proven and _xml_chars_only(xml, data):
            data = _DECLARATION.encode() + data
        else:  # python-docx parses a rendered header when docxtpl hands it over
            _strict(xml, data)
            data = _serialize(_parse_part(data))
        return zip_entry(p.name, data, RENDERED_LEVEL)

    def _render_properties(self, context: dict[str, Any]) -> ZipEntry:
        core = self._core
        core._element = copy.deepcopy(self._core_element)
        self._tpl.render_properties(context, self._sources)
        return zip_entry(_entry_name(core), core.blob, RENDERED_LEVEL)

    def paragraph_at(self, lineno: int) -> str:
        """The template paragraph on Jinja line `lineno` (as render_xml_part numbers lines).

        Runtime errors (an undefined value, a division by zero) carry only a line number;
        the paragraph text lets the user find the spot in Word. The first part whose line
        holds a Jinja tag wins, since the line alone does not say which part failed.
        """
        from docgen.render.templatecheck import paragraph_at

        if self._fallback:
            return ""
        for p in (self._body, *self._headers):
            text = paragraph_at(_PARAGRAPH_BREAK.sub(r"\n<w:p\1", p.source), lineno)
            if self._has_jinja(text):
                return text
        return ""

    def render(self, context: dict[str, Any]) -> bytes:
        """The finished .docx for one context (same context, same bytes)."""
        if self._fallback:
            return self._render_with_docxtpl(context)
        rendered: dict[str, ZipEntry] = {}
        for p in (self._body, *self._headers):
            rendered[p.name] = p.static or self._render_part(p, context)
        if self._core_element is not None:
            props = self._render_properties(context)
            rendered[props.name] = props
        return write_zip(rendered.get(n) or self._static[n] for n in self._names)

    def _render_with_docxtpl(self, context: dict[str, Any]) -> bytes:
        from docgen.layout.primitives import stable_zip

        tpl = DocxTemplate(str(self.path))
        tpl.render(context, jinja_env=self._sources.env, autoescape=True)
        buffer = io.BytesIO()
        tpl.save(buffer)
        return stable_zip(buffer.getvalue())

    def parts(self) -> Iterator[tuple[str, Analysis]]:
        """Each part docxtpl renders and what its analysis proved (for tests)."""
        if not self._fallback:
            for p in (self._body, *self._headers):
                yield p.name, p.analysis

    @property
    def dynamic_parts(self) -> tuple[str, ...]:
        """Zip entries rendered and compressed per document (the rest is copied)."""
        if self._fallback:
            return tuple(self._names)
        names = [p.name for p in (self._body, *self._headers) if p.static is None]
        if self._core_element is not None:
            names.append(_entry_name(self._core))
        return tuple(names)


def _xml_chars_only(xml: str, data: bytes) -> bool:
    """No character XML forbids (a value from data could carry one; lxml would choke).

    `data` is `xml` in UTF-8, where the C0 controls are single bytes that translate()
    finds fastest; U+FFFE/U+FFFF are quicker to find in the str.
    """
    if len(data.translate(None, _CONTROL_BYTES)) != len(data):
        return False
    return _NONCHARACTERS[0] not in xml and _NONCHARACTERS[1] not in xml


def _entry_name(part: Any) -> str:
    return str(part.partname).lstrip("/")


def _serialize(element: Any) -> bytes:
    from docx.opc.oxml import serialize_part_xml

    data: bytes = serialize_part_xml(element)
    return data


def _parse_part(data: bytes) -> Any:
    from docx.oxml.parser import parse_xml

    return parse_xml(data)
