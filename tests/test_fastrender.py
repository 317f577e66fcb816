"""The prepared-template renderer gives docxtpl's documents, deterministically, on any cores.

docxtpl (DocxTemplate → render → save, per document) is the reference: every template in the
repository is rendered with the example data both ways and the documents compared paragraph
by paragraph, cell by cell, and part by part as canonical XML.
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import docx
import jinja2
import pytest
from docxtpl import DocxTemplate
from lxml import etree

from docgen.certificate.contexts import blank_context, certificate_context
from docgen.documents.decision import decision_jobs
from docgen.documents.dossier import dossier_jobs, word_style
from docgen.documents.plan import TEMPLATE as PLAN_TEMPLATE
from docgen.documents.plan import load_plan, plan_context
from docgen.errors import DocgenError, TemplateError
from docgen.layout.certificate import BLANK, CERTIFICATE
from docgen.main import load_workspace, render_dossiers
from docgen.register.rounds import round_decision
from docgen.render import renderer as render_module
from docgen.render.fast import analyse
from docgen.render.renderer import Renderer, Task, make_environment
from docgen.vnformat import WordStyle

from .conftest import CONFIG, ROOT, TEMPLATES
from .docx_text import paragraphs, tables
from .test_dossier import templates_with_extra


def example_documents() -> Iterator[tuple[str, WordStyle, dict[str, Any]]]:
    """Every document the example data gives: dossiers, decisions, both plans."""
    ws = load_workspace(CONFIG, ROOT / "data")
    style = word_style(ws.config)
    for rnd in ws.rounds.values():
        for sub in rnd.submissions:
            for job in dossier_jobs(ws, rnd, sub):
                yield job.template, style, job.context
        try:
            jobs, _ = decision_jobs(ws, rnd)
        except DocgenError:
            continue
        for job in jobs:
            yield job.template, style, job.context
    for plan in sorted((ROOT / "data" / "plans").glob("*.yaml")):
        yield PLAN_TEMPLATE, WordStyle(), plan_context(load_plan(plan))
    # the certificates of the 2022 decision, whole and for the example blank profile
    _decision, awards = round_decision(ws, ws.rounds["2022"], "1205", date(2023, 4, 12))
    profile = ws.config.certificate.blanks["phoi-mau"]
    for n, award in enumerate(awards, start=1):
        award = replace(award, book_number=f"{n:03d}/2023")
        yield CERTIFICATE, style, certificate_context(award)
        yield BLANK, style, blank_context(award, profile)


EXAMPLES = list(example_documents())


def with_docxtpl(path: Path, style: WordStyle, context: dict[str, Any]) -> bytes:
    """The usual docxtpl loop body, as docgen rendered before."""
    template = DocxTemplate(str(path))
    template.render(context, jinja_env=make_environment(style), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def canonical(data: bytes) -> bytes:
    return bytes(etree.tostring(etree.fromstring(data), method="c14n"))


def assert_same_document(ours: bytes, reference: bytes, tmp_path: Path) -> None:
    """Same parts, same text in every paragraph and table cell, same XML."""
    a, b = tmp_path / "ours.docx", tmp_path / "docxtpl.docx"
    a.write_bytes(ours)
    b.write_bytes(reference)
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        assert za.testzip() is None
        assert sorted(za.namelist()) == sorted(zb.namelist())
        names = zb.namelist()
        for name in names:
            if name.startswith("word/") and name.endswith(".xml"):
                assert paragraphs(a, name) == paragraphs(b, name), name
            if name.endswith((".xml", ".rels")):
                assert canonical(za.read(name)) == canonical(zb.read(name)), name
            else:
                assert za.read(name) == zb.read(name), name
    assert tables(a) == tables(b)


def test_examples_cover_every_template() -> None:
    assert {t for t, _, _ in EXAMPLES} == {p.name for p in TEMPLATES.glob("*.docx")}


@pytest.mark.parametrize(
    ("template", "style", "context"),
    EXAMPLES,
    ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(EXAMPLES)],
)
def test_every_template_renders_like_docxtpl(
    template: str, style: WordStyle, context: dict[str, Any], tmp_path: Path
) -> None:
    ours = Renderer(TEMPLATES, style).render_bytes(template, context)
    assert_same_document(ours, with_docxtpl(TEMPLATES / template, style, context), tmp_path)


def test_committed_templates_skip_docxtpl_lxml_pass() -> None:
    """The speed-up relies on this: fix_tables is provably a no-op for docgen's templates."""
    renderer = Renderer(TEMPLATES, WordStyle())
    for path in sorted(TEMPLATES.glob("*.docx")):
        for part, analysis in renderer.prepare(path.name).parts():
            assert analysis.skip_tree, (path.name, part, analysis.reason)


# ----------------------------------------------------------------------------- edge cases


def build(path: Path, make: Any) -> Path:
    document = docx.Document()
    make(document)
    document.save(str(path))
    return path


def both_ways(path: Path, context: dict[str, Any], tmp_path: Path) -> bytes:
    ours = Renderer(path.parent, WordStyle()).render_bytes(path.name, context)
    assert_same_document(ours, with_docxtpl(path, WordStyle(), context), tmp_path)
    return ours


def test_column_tags_get_docxtpl_table_fix(tmp_path: Path) -> None:
    def make(d: Any) -> None:
        table = d.add_table(rows=2, cols=3)
        for cell, text in zip(
            table.rows[0].cells, ["{%tc for c in cols %}", "{{ c }}", "{%tc endfor %}"], strict=True
        ):
            cell.text = text
        table.rows[1].cells[0].text = "static"

    path = build(tmp_path / "tc.docx", make)
    (_, analysis), *_ = Renderer(tmp_path, WordStyle()).prepare(path.name).parts()
    assert not analysis.tables_fixed
    for cols in (["a"], ["a", "b", "c", "d", "e"]):
        both_ways(path, {"cols": cols}, tmp_path)


def test_table_whose_rows_may_all_disappear_is_fixed_by_docxtpl(tmp_path: Path) -> None:
    def make(d: Any) -> None:
        table = d.add_table(rows=3, cols=2)
        table.rows[0].cells[0].text = "{%tr for x in xs %}"
        table.rows[1].cells[0].text = "{{ x }}"
        table.rows[2].cells[0].text = "{%tr endfor %}"

    path = build(tmp_path / "rows.docx", make)
    (_, analysis), *_ = Renderer(tmp_path, WordStyle()).prepare(path.name).parts()
    assert "disappear" in analysis.reason
    both_ways(path, {"xs": []}, tmp_path)  # docxtpl then drops the whole w:tblGrid
    both_ways(path, {"xs": ["a", "b"]}, tmp_path)


def test_headers_core_properties_and_line_breaks(tmp_path: Path) -> None:
    def make(d: Any) -> None:
        d.sections[0].header.paragraphs[0].text = "Trang của {{ name }}"
        d.core_properties.title = "Hồ sơ {{ name }}"
        d.add_paragraph("{{ text }}")

    path = build(tmp_path / "header.docx", make)
    for text in ("một dòng", "hai\ndòng, một\ttab", "đoạn\amới", "trang\fmới"):
        both_ways(path, {"name": "A & B <C>", "text": text}, tmp_path)


def test_footnotes_are_left_to_docxtpl(tmp_path: Path) -> None:
    path = build(tmp_path / "fn.docx", lambda d: d.add_paragraph("{{ name }}"))
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    parts["word/footnotes.xml"] = (
        f'<w:footnotes xmlns:w="{w}"><w:footnote w:id="1"><w:p><w:r><w:t>{{{{ name }}}}'
        "</w:t></w:r></w:p></w:footnote></w:footnotes>"
    ).encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
    )
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>',
    )
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    ours = both_ways(path, {"name": "Nông Văn A"}, tmp_path)
    with zipfile.ZipFile(io.BytesIO(ours)) as zf:
        assert b"N\xc3\xb4ng V\xc4\x83n A" in zf.read("word/footnotes.xml")


@pytest.mark.parametrize(
    ("source", "why"),
    [
        ("<w:body><w:p {% if x %}a='1'{% endif %}/></w:body>", "inside an XML tag"),
        ("<w:body>{% if x %}<w:p>{% endif %}</w:p></w:body>", "not balanced"),
        ("<w:body><w:p>{{ x|safe }}</w:p></w:body>", "|safe"),
        ("<w:body>{% macro m() %}<w:p/>{% endmacro %}</w:body>", "Macro"),
        ("<w:body><w:{{ x }}/></w:body>", "not a plain tag"),
        ("<w:body>{% if x %}</w:body><w:body>{% endif %}</w:body>", "root"),
    ],
)
def test_analysis_refuses_what_it_cannot_prove(source: str, why: str) -> None:
    analysis = analyse(source, make_environment(WordStyle()))
    assert not analysis.well_formed and why in analysis.reason


def test_analysis_accepts_blocks_across_runs() -> None:
    source = (
        "<w:body><w:p><w:r><w:t>{% if x %}a</w:t></w:r><w:r><w:t>b{% endif %}</w:t></w:r>"
        "</w:p></w:body>"
    )
    assert analyse(source, make_environment(WordStyle())).skip_tree


# ------------------------------------------------------------------------------ determinism


def test_same_input_same_bytes_with_fixed_zip_metadata() -> None:
    template, style, context = EXAMPLES[0]
    first = Renderer(TEMPLATES, style).render_bytes(template, context)
    second = Renderer(TEMPLATES, style).render_bytes(template, context)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        infos = zf.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def read_tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_dossiers_are_byte_identical_across_runs_and_job_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render_module, "MIN_DOCUMENTS_PER_WORKER", 1)  # use workers even here
    monkeypatch.setattr(render_module, "CHUNK", 2)
    ws = load_workspace(CONFIG, ROOT / "data")
    kw: dict[str, Any] = {"allow_ineligible": True}
    render_dossiers(ws, TEMPLATES, tmp_path / "a", jobs=1, **kw)
    render_dossiers(ws, TEMPLATES, tmp_path / "b", jobs=1, **kw)
    render_dossiers(ws, TEMPLATES, tmp_path / "c", jobs=2, **kw)
    a = read_tree(tmp_path / "a")
    assert len(a) > 20
    assert a == read_tree(tmp_path / "b") == read_tree(tmp_path / "c")


# ------------------------------------------------------------------------------- processes


def test_render_many_in_processes(tmp_path: Path) -> None:
    renderer = Renderer(TEMPLATES, EXAMPLES[0][1])
    tasks = [(t, c, tmp_path / f"{i:03d}.docx") for i, (t, s, c) in enumerate(EXAMPLES[:40])]
    assert renderer.render_many(iter(tasks), jobs=2) == len(tasks)
    for name, context, dest in tasks:
        assert dest.read_bytes() == renderer.render_bytes(name, context)


class MadeWhere:
    """A task group that records which process made its contexts (a file per making)."""

    def __init__(self, tasks: list[Task], log: Path, index: int) -> None:
        self.items, self.log, self.index = tasks, log, index

    def __len__(self) -> int:
        return len(self.items)

    def tasks(self) -> Iterator[Task]:
        (self.log / f"{self.index:03d}-{os.getpid()}").touch()
        yield from self.items


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_render_groups_makes_contexts_where_they_are_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    import multiprocessing

    monkeypatch.setattr(render_module, "MIN_DOCUMENTS_PER_WORKER", 1)
    monkeypatch.setattr(render_module, "CHUNK", 4)
    if method == "spawn":  # as on a system without fork: contexts are made here and sent
        monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    renderer = Renderer(TEMPLATES, EXAMPLES[0][1])
    log = tmp_path / "log"
    log.mkdir()
    tasks = [(t, c, tmp_path / f"{i:03d}.docx") for i, (t, s, c) in enumerate(EXAMPLES[:40])]
    groups = [MadeWhere(tasks[i : i + 3], log, i // 3) for i in range(0, len(tasks), 3)]
    seen: list[int] = []
    assert renderer.render_groups(groups, jobs=2, progress=seen.append) == len(tasks)
    assert sum(seen) == len(tasks)
    for name, context, dest in tasks:
        assert dest.read_bytes() == renderer.render_bytes(name, context)
    made = sorted(p.name.split("-") for p in log.iterdir())
    assert [int(i) for i, _ in made] == list(range(len(groups)))  # each group made once
    pids = {int(pid) for _, pid in made}
    if method == "fork":
        assert pids - {os.getpid()}  # the worker made the contexts of its share itself
    else:
        assert pids == {os.getpid()}


def test_a_dead_worker_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renderer = Renderer(TEMPLATES, EXAMPLES[0][1])
    parent, render_bytes = os.getpid(), renderer.render_bytes

    def dies_in_worker(name: str, context: dict[str, Any]) -> bytes:
        if os.getpid() != parent:
            os._exit(3)  # as if the OOM killer took it
        return render_bytes(name, context)

    monkeypatch.setattr(renderer, "render_bytes", dies_in_worker)
    tasks = [(t, c, tmp_path / f"{i:03d}.docx") for i, (t, s, c) in enumerate(EXAMPLES[:40])]
    with pytest.raises(DocgenError, match=r"dừng đột ngột \(mã 3\)"):
        renderer.render_many(tasks, jobs=2)


def test_worker_exceptions_that_cannot_travel_keep_their_text() -> None:
    class Odd(Exception):
        def __init__(self, a: int, b: int) -> None:
            super().__init__(f"{a}/{b}")

    back = pickle.loads(render_module._portable(Odd(1, 2)))
    assert isinstance(back, DocgenError) and str(back) == "Odd: 1/2"
    error = TemplateError("mẫu x.docx: lỗi")
    assert str(pickle.loads(render_module._portable(error))) == "mẫu x.docx: lỗi"


def test_a_worker_failure_stops_the_run_and_keeps_old_output(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render_module, "MIN_DOCUMENTS_PER_WORKER", 1)
    monkeypatch.setattr(render_module, "CHUNK", 1)
    ws = load_workspace(mini / "config.yaml", mini / "data")
    out = tmp_path / "out"
    render_dossiers(ws, TEMPLATES, out, jobs=2)
    before = read_tree(out)
    broken = templates_with_extra(tmp_path, "bao-cao-thanh-tich.docx", "{{ khong_co }}")
    with pytest.raises(TemplateError, match=r"bao-cao-thanh-tich\.docx: biến không có"):
        render_dossiers(ws, broken, out, force=True, jobs=2)
    assert read_tree(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".docgen")]


def test_template_errors_read_as_with_docxtpl(tmp_path: Path) -> None:
    template, style, context = next(e for e in EXAMPLES if e[0] == "to-trinh.docx")
    for n, text in enumerate(["Tổng cộng: {{ khong_co }} người", "{{ ''.__class__ }}"]):
        (tmp_path / str(n)).mkdir()
        folder = templates_with_extra(tmp_path / str(n), template, text)
        with pytest.raises(TemplateError) as ours:
            Renderer(folder, style).render_bytes(template, context)
        with pytest.raises(jinja2.TemplateError) as reference:
            with_docxtpl(folder / template, style, context)
        expected = render_module._describe(template, reference.value)
        # ours adds the paragraph when docxtpl has none to give (runtime errors have no line)
        assert str(ours.value).split("\n    gần đoạn: ")[0] == expected.split("\n    gần đoạn: ")[0]


def test_template_errors_keep_their_messages(tmp_path: Path) -> None:
    folder = templates_with_extra(tmp_path, "to-trinh.docx", "{% if %}")
    with pytest.raises(TemplateError, match=r"mẫu to-trinh\.docx: lỗi cú pháp Jinja"):
        Renderer(folder, WordStyle()).prepare("to-trinh.docx")
    (tmp_path / "hong.docx").write_text("không phải Word")
    with pytest.raises(TemplateError, match=r"mẫu hong\.docx: không đọc được tệp Word"):
        Renderer(tmp_path, WordStyle()).prepare("hong.docx")
    with pytest.raises(TemplateError, match="không tìm thấy mẫu văn bản"):
        Renderer(tmp_path, WordStyle()).prepare("khong-co.docx")


# --------------------------------------------------------------------------------- start-up

_LOADED = """
import sys
from docgen.cli import main
sys.argv = ["docgen", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = {m.split(".")[0] for m in sys.modules} & {"docxtpl", "lxml", "docx"}
locales = sys.modules.get("babel.localedata")
print(sorted(heavy), sorted(getattr(locales, "_cache", {})), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["validate"]])
def test_start_up_loads_no_rendering_libraries(args: list[str], mini: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _LOADED, *args], cwd=mini, capture_output=True, text=True
    )
    assert result.stderr.strip().splitlines()[-1] == "[] []"
