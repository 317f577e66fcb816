"""Check .docx templates before rendering: syntax, unsafe access, and the variables they use.

Templates may be edited by users in Word (``--templates``), so ``docgen templates check``
reads each one the way docxtpl will, lists the variables it uses and flags, with the
paragraph they are in, those that the data does not provide, syntax errors and attempts to
reach Python internals (which the sandbox would refuse at render time anyway).

    report = check_folder(Path("templates"), sample_contexts(ws, Path(".")))  # documents
    print(report.text()); report.problems  # [] when every template can be rendered
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from docgen import vnformat as vn
from docgen.errors import DocgenError
from docgen.i18n import _, ngettext

#: One step of a variable path: attribute or key, list index, or "[]" for "any item".
Step = str | int
#: Kinds of document a template serves, each with its own data (the same to-trinh.docx is
#: used for a unit's dossier and for the proposal to the province).
Samples = Mapping[str, Sequence[Mapping[str, Any]]]

_EACH = "[]"  # an item of a loop: for x in items (a dict gives its keys)
_ANY = "[*]"  # x[i] with a variable i: any item (a dict gives its values)
_PARAGRAPH = re.compile(r"<w:p([ >])")
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Use:
    """One variable as the template writes it, where, and whether the data provides it."""

    shown: str
    paragraph: str
    missing_in: tuple[str, ...] = ()


@dataclass
class TemplateReport:
    """What one template uses and what is wrong with it."""

    name: str
    kinds: tuple[str, ...] = ()
    uses: list[Use] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The listing printed by ``docgen templates check``."""
        names = sorted({u.shown for u in self.uses})
        count = len(names)
        if self.kinds:
            heading = ngettext(
                "Mẫu {name} ({kinds}): {count} biến", "Mẫu {name} ({kinds}): {count} biến", count
            ).format(name=self.name, kinds=_kinds(self.kinds), count=count)
        else:
            heading = ngettext(
                "Mẫu {name} (chưa văn bản nào dùng): {count} biến",
                "Mẫu {name} (chưa văn bản nào dùng): {count} biến",
                count,
            ).format(name=self.name, count=count)
        lines = [heading]
        if names:
            lines.append("  " + ", ".join(names))
        lines.extend(f"  ✗ {p}" for p in self.problems)
        return "\n".join(lines)


@dataclass
class FolderReport:
    """Every template of a folder."""

    templates: list[TemplateReport]

    @property
    def problems(self) -> list[str]:
        return [f"{t.name}: {p}" for t in self.templates for p in t.problems]

    def text(self) -> str:
        return "\n".join(t.text() for t in self.templates)


def _kinds(kinds: Iterable[str]) -> str:
    """Document kinds as a message shows them: 'hồ sơ, quyết định'."""
    return ", ".join(_(k) for k in kinds)


def make_environment() -> jinja2.Environment:
    """The renderer's environment (sandboxed, same filters), for parsing only."""
    from docgen.render.renderer import make_environment as renderer_environment

    return renderer_environment(vn.WordStyle())


def template_sources(path: Path) -> list[str]:
    """The Jinja source docxtpl renders: body, headers and footers, one paragraph a line."""
    from docxtpl import DocxTemplate

    if not zipfile.is_zipfile(path):
        raise DocgenError(
            _("không phải tệp Word .docx (có thể là tệp .doc cũ đổi tên, hoặc tệp bị hỏng)")
        )
    from docgen.render.limits import check_package

    check_package(path)  # a TemplateError: a DocgenError, reported as the template's problem
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
        parts = [tpl.get_xml()]
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            parts.extend(tpl.get_part_xml(part) for _, part in tpl.get_headers_footers(uri))
        # docxtpl starts each paragraph on a new line, so Jinja's line numbers are paragraphs
        return [_PARAGRAPH.sub(r"\n<w:p\1", tpl.patch_xml(xml)) for xml in parts]
    except Exception as exc:  # python-docx raises many kinds for a file that is not .docx
        raise DocgenError(
            _("không đọc được tệp Word ({error_type}: {error})").format(
                error_type=type(exc).__name__, error=exc
            )
        ) from exc


def paragraph_at(source: str, lineno: int | None) -> str:
    """The text of the paragraph on Jinja line `lineno`, tags included, as Word shows it."""
    lines = source.split("\n")
    if lineno is None or not 1 <= lineno <= len(lines):
        return ""
    text = html.unescape(_TAGS.sub("", lines[lineno - 1])).strip()
    return text if len(text) <= 120 else text[:119] + "…"


def check_template(
    path: Path, samples: Samples | None = None, env: jinja2.Environment | None = None
) -> TemplateReport:
    """Variables, syntax and unsafe access of one template, against `samples` if given."""
    from docgen.render.fast import analyse, unfaithful

    env = env or make_environment()
    report = TemplateReport(path.name, tuple(samples or ()))
    try:
        sources = template_sources(path)
    except DocgenError as exc:
        report.problems.append(str(exc))
        return report
    for source in sources:
        try:
            tree = env.parse(source)
            env.compile(tree)  # unknown filters and tests are found when compiling
        except jinja2.TemplateSyntaxError as exc:
            report.problems.append(
                _("lỗi cú pháp Jinja: {error} — đoạn: {paragraph}").format(
                    error=exc.message, paragraph=repr(paragraph_at(source, exc.lineno))
                )
            )
            continue
        analysis = analyse(source, env)  # its own tree: compile() has changed this one
        if analysis.broken:
            report.problems.append(unfaithful(analysis, paragraph_at(source, analysis.line)))
        walker = _Walker(set(env.globals))
        walker.walk(tree, {})
        for line, attrs in walker.unsafe:
            names = ", ".join(f"'{a}'" for a in attrs)
            report.problems.append(
                _(
                    "truy cập {names} không được phép (mẫu không được dùng nội bộ Python) "
                    "— đoạn: {paragraph}"
                ).format(names=names, paragraph=repr(paragraph_at(source, line)))
            )
        for steps, shown, line in walker.uses:
            missing = tuple(
                kind for kind, contexts in (samples or {}).items() if _missing(contexts, steps)
            )
            use = Use(shown, paragraph_at(source, line), missing)
            report.uses.append(use)
            if missing:
                report.problems.append(
                    _(
                        "biến '{variable}' không có trong dữ liệu ({kinds}) — đoạn: {paragraph}"
                    ).format(variable=shown, kinds=_kinds(missing), paragraph=repr(use.paragraph))
                )
    return report


def check_folder(folder: Path, samples: Mapping[str, Samples]) -> FolderReport:
    """Every .docx in `folder`, plus the templates the documents need that are missing."""
    env = make_environment()
    found = sorted(p for p in folder.glob("*.docx") if not p.name.startswith(("~$", ".")))
    reports = [check_template(p, samples.get(p.name), env) for p in found]
    names = {p.name for p in found}
    for name in sorted(set(samples) - names):
        reports.append(
            TemplateReport(
                name,
                tuple(samples[name]),
                problems=[_("thiếu tệp mẫu {path}").format(path=folder / name)],
            )
        )
    return FolderReport(reports)


# ---------------------------------------------------------------------------------------------
# Static analysis of the Jinja tree


class _Walker:
    """Collects variable paths (through loops and {% set %}) and unsafe attribute access."""

    def __init__(self, builtins: set[str]) -> None:
        self.builtins = builtins
        self.uses: list[tuple[tuple[Step, ...], str, int]] = []
        self.unsafe: list[tuple[int, list[str]]] = []

    def walk(self, node: nodes.Node, scope: dict[str, tuple[Step, ...] | None]) -> None:
        if isinstance(node, nodes.For):
            self.walk(node.iter, scope)
            inner = dict(scope)
            base = self._path(node.iter, scope)
            single = isinstance(node.target, nodes.Name)
            for name in _names(node.target):
                inner[name] = (*base, _EACH) if base is not None and single else None
            inner["loop"] = None
            for child in [*([node.test] if node.test else []), *node.body]:
                self.walk(child, inner)
            for child in node.else_:
                self.walk(child, scope)
        elif isinstance(node, nodes.Assign):
            self.walk(node.node, scope)
            value = self._path(node.node, scope)
            for name in _names(node.target):
                scope[name] = value if isinstance(node.target, nodes.Name) else None
        elif isinstance(node, nodes.Macro | nodes.CallBlock | nodes.With | nodes.AssignBlock):
            inner = dict(scope)
            for target in _bound(node):
                for name in _names(target):
                    inner[name] = None
            inner["caller"] = None
            for child in node.iter_child_nodes():
                if child not in _bound(node):
                    self.walk(child, inner)
            if isinstance(node, nodes.AssignBlock):
                for name in _names(node.target):
                    scope[name] = None
        elif isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Name):
            self._chain(node, scope)
        else:
            for child in node.iter_child_nodes():
                self.walk(child, scope)

    def _chain(self, node: nodes.Expr, scope: dict[str, tuple[Step, ...] | None]) -> None:
        """Record `a.b['c'].d` once as a whole; walk what is not part of the chain."""
        steps: list[Step] = []
        unsafe: list[str] = []
        current: nodes.Node = node
        while isinstance(current, nodes.Getattr | nodes.Getitem):
            found = current.attr if isinstance(current, nodes.Getattr) else _const_step(current.arg)
            if found is None:  # x[i]: a variable index stands for any item
                assert isinstance(current, nodes.Getitem)
                self.walk(current.arg, scope)
                steps.insert(0, _ANY)
                current = current.node
                continue
            step: Step = found
            if isinstance(step, str) and step.startswith("_"):
                unsafe.insert(0, step)
            steps.insert(0, step)
            current = current.node
        if unsafe:  # reported as such, not also as a variable the data lacks
            self.unsafe.append((node.lineno, unsafe))
        if not isinstance(current, nodes.Name):
            self.walk(current, scope)
            return
        if current.ctx != "load" or unsafe:
            return
        name = current.name
        if name in scope:
            base = scope[name]
            if base is None:
                return  # a loop, macro or {% set %} variable we cannot follow
            path = (*base, *steps)
        elif name in self.builtins:
            return
        else:
            path = (name, *steps)
        shown = name + "".join(
            s if s == _ANY else f".{s}" if isinstance(s, str) else f"[{s}]" for s in steps
        )
        self.uses.append((path, shown, node.lineno))

    def _path(
        self, node: nodes.Node, scope: dict[str, tuple[Step, ...] | None]
    ) -> tuple[Step, ...] | None:
        """The data path an expression stands for, when it is a plain chain of names."""
        steps: list[Step] = []
        current = node
        while isinstance(current, nodes.Getattr | nodes.Getitem):
            step = current.attr if isinstance(current, nodes.Getattr) else _const_step(current.arg)
            if step is None:
                return None
            steps.insert(0, step)
            current = current.node
        if not isinstance(current, nodes.Name):
            return None
        if current.name in scope:
            base = scope[current.name]
            return None if base is None else (*base, *steps)
        return (current.name, *steps)


def _const_step(node: nodes.Node) -> Step | None:
    if isinstance(node, nodes.Const) and isinstance(node.value, str | int):
        return node.value if not isinstance(node.value, bool) else None
    return None


def _names(target: nodes.Node) -> Iterator[str]:
    if isinstance(target, nodes.Name):
        yield target.name
    elif isinstance(target, nodes.Tuple | nodes.List):
        for item in target.items:
            yield from _names(item)


def _bound(node: nodes.Node) -> list[nodes.Node]:
    """Names a block binds for its body: macro arguments, `with` targets, `set` blocks."""
    if isinstance(node, nodes.Macro | nodes.CallBlock):
        return list(node.args)
    if isinstance(node, nodes.With):
        return list(node.targets)
    if isinstance(node, nodes.AssignBlock):
        return [node.target]
    return []


# ---------------------------------------------------------------------------------------------
# Does the data provide a path?

_ABSENT = object()


def _missing(contexts: Iterable[Mapping[str, Any]], steps: Sequence[Step]) -> bool:
    """True when no context provides the path (and at least one could be looked into)."""
    results = [_provides(dict(c), steps) for c in contexts]
    return bool(results) and not any(r is not False for r in results)


def _provides(value: Any, steps: Sequence[Step]) -> bool | None:
    """True, False, or None when it cannot be told (the path goes through an empty list)."""
    if not steps:
        return True
    step, rest = steps[0], steps[1:]
    if step in (_EACH, _ANY):
        items = value
        if isinstance(value, dict):
            items = list(value) if step == _EACH else list(value.values())
        if not isinstance(items, list | tuple) or not items:
            return None if isinstance(items, list | tuple) else False
        results = [_provides(item, rest) for item in items[:50]]
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    child = _child(value, step)
    return False if child is _ABSENT else _provides(child, rest)


def _child(value: Any, step: Step) -> Any:
    """Jinja's lookup: attribute or key, whichever the value has."""
    if isinstance(value, Mapping) and step in value:
        return value[step]
    if isinstance(step, int) and isinstance(value, list | tuple):
        return value[step] if -len(value) <= step < len(value) else _ABSENT
    if isinstance(step, str) and not step.startswith("_") and hasattr(value, step):
        return getattr(value, step)
    return _ABSENT
