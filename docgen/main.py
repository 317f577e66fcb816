"""The library API the CLI is a thin layer over; tests call it directly.

ws = load_workspace(Path("config.yaml"), Path("data"))
written = render_dossiers(ws, Path("templates"), Path("out"))
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.documents.dossier import DocumentJob, DocumentSet, dossier_documents, word_style
from docgen.errors import DocgenError
from docgen.i18n import _, ngettext
from docgen.render.output import staged
from docgen.render.renderer import Renderer, Task, cpu_count
from docgen.rules.standards import Verdict, check
from docgen.workspace.config import Config, load_config
from docgen.workspace.data import load_data
from docgen.workspace.model import Round, Submission, Workspace
from docgen.workspace.schema import parse_date, suggest

if TYPE_CHECKING:
    from docgen.register.records import AwardRecord
    from docgen.register.report import Report
    from docgen.render.templatecheck import FolderReport
    from docgen.render.warm import WarmConverter as WarmConverter  # the web page types with it
    from docgen.rules.history import History
    from docgen.workspace.config import BlankProfile


def load_workspace(config_path: Path, data_dir: Path) -> Workspace:
    """Load and validate config and data; raises ValidationError listing every problem."""
    if not config_path.is_file() and not config_path.exists():
        raise DocgenError(_("không tìm thấy tệp cấu hình {path}").format(path=config_path))
    return load_data(load_config(config_path), data_dir)


@dataclass(frozen=True)
class Dossier:
    """One unit's dossier in one round: its folder (relative to the output) and documents,
    whose contexts are made when they are rendered."""

    round: Round
    submission: Submission
    documents: DocumentSet

    @property
    def folder(self) -> Path:
        return self.documents.folder

    @property
    def files(self) -> list[str]:
        return self.documents.files


def select_rounds(ws: Workspace, round_ids: Sequence[str]) -> list[Round]:
    """The rounds asked for (all when none), in a stable order; unknown ids are errors."""
    if not round_ids:  # chronological: by last year, annual before the period ending then
        return sorted(ws.rounds.values(), key=lambda r: (r.years[-1:], r.kind == "period", r.id))
    unknown = [r for r in round_ids if r not in ws.rounds]
    if unknown:
        hints = "; ".join(h for h in (suggest(r, list(ws.rounds)) for r in unknown) if h)
        raise DocgenError(
            _("không có đợt khen thưởng {rounds} ({hint})").format(
                rounds=", ".join(repr(r) for r in unknown),
                hint=hints or _("các đợt: {rounds}").format(rounds=", ".join(sorted(ws.rounds))),
            )
        )
    return [ws.rounds[r] for r in dict.fromkeys(round_ids)]


def plan_dossiers(
    ws: Workspace,
    round_ids: Sequence[str] = (),
    unit_ids: Sequence[str] = (),
    history: History | None = None,
) -> list[Dossier]:
    """Every dossier the selection asks for (contexts are made later, when rendering);
    `history` (see load_history) lists earlier awards in the Báo cáo thành tích."""
    rounds = select_rounds(ws, round_ids)
    unknown = [u for u in unit_ids if u not in ws.units]
    if unknown:
        raise DocgenError(
            _("không có đơn vị {units} ({hint})").format(
                units=", ".join(repr(u) for u in unknown),
                hint=suggest(unknown[0], list(ws.units)) or _("xem data/units.yaml"),
            )
        )
    dossiers = []
    wanted = set(unit_ids)  # a list would make choosing k of n units cost k × n
    for rnd in rounds:
        for sub in rnd.submissions:
            if wanted and sub.unit not in wanted:
                continue
            folder = Path(rnd.id) / sub.unit
            documents = dossier_documents(ws, rnd, sub, folder, history)
            dossiers.append(Dossier(rnd, sub, documents))
    if unit_ids:
        found = {d.submission.unit for d in dossiers}
        missing = [u for u in unit_ids if u not in found]
        if missing:
            raise DocgenError(
                _("đơn vị {units} không có hồ sơ trong đợt đã chọn ({rounds})").format(
                    units=", ".join(missing), rounds=", ".join(r.id for r in rounds)
                )
            )
    return dossiers


def check_rounds(
    ws: Workspace, round_ids: Sequence[str] = (), register: Path | None = None
) -> list[Verdict]:
    """Every nomination of the selected rounds judged against the plan's standards, and with
    a `register`, against the awards it holds (repeats, required earlier awards)."""
    return check(ws, select_rounds(ws, round_ids), load_history(ws, register))


def ineligible_in(
    ws: Workspace, dossiers: Sequence[Dossier], history: History | None = None
) -> list[Verdict]:
    """The nominations of these dossiers that fail the plan's standards (and, with the
    register's `history`, repeat an award or lack a required earlier one)."""
    chosen = {(d.round.id, d.submission.unit) for d in dossiers}
    rounds = [ws.rounds[r] for r in dict.fromkeys(d.round.id for d in dossiers)]
    # a nominee the council voted down is left out of the dossier, not a reason to stop it
    return [
        v
        for v in check(ws, rounds, history)
        if (v.round_id, v.submission_unit) in chosen and not v.eligible and not v.voted_down
    ]


def ineligible_message(verdicts: Sequence[Verdict]) -> str:
    """The failing nominations with the reasons that failed, one per line."""
    lines = []
    for v in verdicts:
        failed = "; ".join(r.text for r in v.reasons if not r.ok)
        lines.append(
            _("  - đợt {round}, hồ sơ {unit}: {nominee} ({award}): {failed}").format(
                round=v.round_id,
                unit=v.submission_unit,
                nominee=v.nominee,
                award=v.award,
                failed=failed,
            )
        )
    return "\n".join(lines)


def render_dossiers(
    ws: Workspace,
    templates_dir: Path,
    out_dir: Path,
    round_ids: Sequence[str] = (),
    unit_ids: Sequence[str] = (),
    force: bool = False,
    allow_ineligible: bool = False,
    jobs: int | None = None,
    pdf: bool = False,
    xlsx: bool = False,
    merge: bool = False,
    progress: Callable[[int, int], None] | None = None,
    register: Path | None = None,
) -> list[Dossier]:
    """Render the selected dossiers into out_dir/<round>/<unit>/, all or nothing.

    Nominations that fail the plan's standards stop the run unless `allow_ineligible`.
    Documents are rendered on up to `jobs` processes (default: every CPU); `pdf` adds a PDF
    copy of each, `xlsx` the Danh sách as a spreadsheet, `merge` the whole dossier as one
    document (00-ho-so-day-du.docx). With a `register`, its awards are checked against and
    listed in each Báo cáo thành tích.
    """
    history = load_history(ws, register)
    dossiers = plan_dossiers(ws, round_ids, unit_ids, history)
    failing = ineligible_in(ws, dossiers, history)
    if failing and not allow_ineligible:
        n = len(failing)
        head = ngettext(
            "{n} đề nghị không đạt tiêu chuẩn của kế hoạch (xem 'docgen check'); "
            "dùng --allow-ineligible để vẫn lập hồ sơ:",
            "{n} đề nghị không đạt tiêu chuẩn của kế hoạch (xem 'docgen check'); "
            "dùng --allow-ineligible để vẫn lập hồ sơ:",
            n,
        ).format(n=n)
        raise DocgenError(head + "\n" + ineligible_message(failing))
    write_documents(
        ws,
        templates_dir,
        out_dir,
        [d.documents for d in dossiers],
        force=force,
        jobs=jobs,
        pdf=pdf,
        xlsx=xlsx,
        merge=merge,
        progress=progress,
    )
    return dossiers


def write_documents(
    ws: Workspace,
    templates_dir: Path,
    out_dir: Path,
    sets: Sequence[DocumentSet],
    *,
    force: bool = False,
    jobs: int | None = None,
    pdf: bool = False,
    xlsx: bool = False,
    merge: bool = False,
    merged_name: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Render every set into its folder under out_dir, all or nothing.

    `merge` adds to each folder one document holding all of the folder's documents in file
    name order (named `merged_name`, default 00-ho-so-day-du.docx; see docgen.merge).

    Everything (documents, PDF copies, spreadsheets) is made in a staging folder first, so
    a failure at any step leaves the previous output as it was.
    """
    renderer = Renderer(templates_dir, word_style(ws.config))
    for name in sorted(set().union(*(s.templates for s in sets))):
        renderer.prepare(name)  # a missing or broken template is reported before any work
    if pdf:
        from docgen.render.pdf import find_soffice

        find_soffice()  # a missing LibreOffice is reported before any work too
    with staged(out_dir, [s.folder for s in sets], force) as stage:
        for s in sets:
            (stage / s.folder).mkdir(parents=True)
        groups = [_Staged(stage, s) for s in sets]
        count = sum(len(s) for s in sets)
        advance = (lambda n: progress(n, count)) if progress else None  # (done now, total)
        renderer.render_groups(groups, jobs, progress=advance)
        if xlsx:
            from docgen.render.sheets import write_nominee_list

            for s in sets:
                if "danh-sach.docx" in s.templates:
                    for job in s.jobs():
                        if job.template == "danh-sach.docx":
                            dest = stage / s.folder / Path(job.filename).with_suffix(".xlsx")
                            write_nominee_list(job.context, dest)
        merged: list[Path] = []
        if merge:
            from docgen.render.merge import MERGED_DOSSIER, merge_documents, merged_title

            name = merged_name or MERGED_DOSSIER
            for s in sets:
                parts = [stage / s.folder / f for f in sorted(s.files)]
                target = stage / s.folder / name
                merged.append(merge_documents(parts, target, title=merged_title(name)))
        if pdf:
            from docgen.render.warm import convert

            made = [stage / s.folder / f for s in sets for f in s.files] + merged
            labels = [str(p.relative_to(stage)) for p in made]
            convert(made, labels=labels, jobs=jobs or cpu_count())


@dataclass(frozen=True)
class _Staged:
    """A document set as render tasks writing under the staging folder."""

    stage: Path
    documents: DocumentSet

    def __len__(self) -> int:
        return len(self.documents)

    def tasks(self) -> Iterator[Task]:
        folder = self.stage / self.documents.folder
        for job in self.documents.jobs():
            yield job.template, job.context, folder / job.filename


@dataclass(frozen=True)
class DecisionRun:
    """A round's decision documents and the nominations they leave out."""

    round: Round
    folder: Path
    jobs: list[DocumentJob]
    excluded: list[Verdict]

    @property
    def documents(self) -> DocumentSet:
        return DocumentSet.ready(self.folder, self.jobs)


def render_decisions(
    ws: Workspace,
    templates_dir: Path,
    out_dir: Path,
    round_ids: Sequence[str] = (),
    force: bool = False,
    pdf: bool = False,
    merge: bool = False,
) -> list[DecisionRun]:
    """Render each round's Quyết định, its list, and proposals to the superior; all or nothing."""
    from docgen.documents.decision import FOLDER, decision_jobs

    runs = []
    for rnd in select_rounds(ws, round_ids):
        jobs, excluded = decision_jobs(ws, rnd)
        runs.append(DecisionRun(rnd, Path(rnd.id) / FOLDER, jobs, excluded))
    from docgen.render.merge import MERGED_DECISION

    write_documents(
        ws,
        templates_dir,
        out_dir,
        [r.documents for r in runs],
        force=force,
        pdf=pdf,
        merge=merge,
        merged_name=MERGED_DECISION,
    )
    return runs


def warm_converter() -> WarmConverter:
    """A LibreOffice kept running for `preview_pdf`, started now (a few seconds); a web server
    makes one at start-up and calls its `close()` when it stops (or uses it as a context
    manager). Thread-safe: conversions take turns. Raises DocgenError (with the package to
    install) when LibreOffice or a Python with its `uno` module (python3-uno) is missing; the
    caller may then preview without a converter."""
    from docgen.render.warm import WarmConverter

    converter = WarmConverter()
    converter.start()
    return converter


def preview_pdf(docx: bytes | Path, converter: WarmConverter | None = None) -> bytes:
    """The PDF of one .docx (its bytes, or a path to it), for a preview; returns its bytes.

    With `converter` (from `warm_converter()`, kept by the caller), no LibreOffice has to
    start: about half a second a page or two. Without one, a fresh LibreOffice converts it
    (several seconds). Either way a failure is a DocgenError naming the document with
    LibreOffice's reason (a dead or hung LibreOffice is restarted and the document tried once
    more first); nothing is left behind.

        with warm_converter() as converter:
            pdf_bytes = preview_pdf(Path("out/2022/x/01-to-trinh.docx"), converter)
    """
    import tempfile

    from docgen.render.pdf import convert

    with tempfile.TemporaryDirectory(prefix="docgen-preview-") as tmp:
        work = Path(tmp)
        if isinstance(docx, bytes):
            source = work / "van-ban.docx"
            source.write_bytes(docx)
        elif docx.is_file():
            source = docx
        else:
            raise DocgenError(_("không tìm thấy văn bản {path}").format(path=docx))
        if converter is not None:
            made = converter.convert(source, work)
        else:
            copy = work / "in" / source.name
            copy.parent.mkdir()
            copy.write_bytes(source.read_bytes())
            made = convert([copy])[0]
        return made.read_bytes()


def schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of config.yaml and each data file, keyed by output file name."""
    from docgen.documents.plan import plan_schema
    from docgen.workspace.config import Config
    from docgen.workspace.model import PeopleFile, UnitsFile
    from docgen.workspace.schema import json_schema

    return {
        "config.schema.json": json_schema(Config, "docgen config.yaml"),
        "units.schema.json": json_schema(UnitsFile, "docgen data/units.yaml"),
        "people.schema.json": json_schema(PeopleFile, "docgen data/people.yaml"),
        "round.schema.json": json_schema(Round, "docgen data/rounds/*.yaml"),
        "plan.schema.json": plan_schema(),
    }


def write_schemas(target: Path, force: bool = False) -> list[Path]:
    """Write the JSON Schemas (published with the package, for editors' validation); an
    existing schema file is refused unless `force`, each file is written whole or not at all."""
    import json

    from docgen.errors import OutputError
    from docgen.render.output import check_file, write_file

    texts = {
        target / name: json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        for name, schema in schemas().items()
    }
    for path in texts:
        check_file(path, force)  # every one before any is written
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            _("không ghi được JSON Schema vào {target}: {error}").format(
                target=target, error=exc.strerror
            )
        ) from exc
    return [write_file(path, text.encode("utf-8")) for path, text in texts.items()]


def render_plan(plan_path: Path, templates_dir: Path, out: Path, force: bool = False) -> Path:
    """Render the plan file to `out` (never half-written: see output.write_file)."""
    from docgen import vnformat as vn
    from docgen.documents.plan import TEMPLATE, load_plan, plan_context
    from docgen.render.output import check_file, write_file

    check_file(out, force)  # before any work
    plan = load_plan(plan_path)
    renderer = Renderer(templates_dir, vn.WordStyle())
    renderer.path_of(TEMPLATE)  # a missing template is reported before any file is created
    context = plan_context(plan)
    return write_file(out, lambda tmp: renderer.render(TEMPLATE, context, tmp), force)


def check_templates(ws: Workspace, templates_dir: Path, base: Path) -> FolderReport:
    """Hold every template in `templates_dir` against the contexts this workspace would give
    it (`base`: the folder of config.yaml, where the default plan file lives)."""
    from docgen.documents.samples import sample_contexts
    from docgen.render.templatecheck import check_folder

    return check_folder(templates_dir, sample_contexts(ws, base))


@dataclass(frozen=True)
class RoundSummary:
    """A round at a glance: its deadline and how its nominations fare against the standards."""

    round: Round
    #: the first day too late for the units' proposals
    deadline: date
    #: days from `today` to the deadline (negative: that many days late)
    days_left: int
    dossiers: int
    passed: int
    failed: int


def summarize_rounds(
    ws: Workspace, today: date, register: Path | None = None
) -> list[RoundSummary]:
    """Every round in the usual order, with its deadline, days left and verdict counts (with
    a `register`, judged against its awards too, as `check_rounds`)."""
    from docgen.rules.standards import round_deadline

    history = load_history(ws, register)
    out = []
    for rnd in select_rounds(ws, ()):
        verdicts = check(ws, [rnd], history)
        failed = sum(1 for v in verdicts if not v.eligible)
        deadline = round_deadline(ws.config, rnd)
        out.append(
            RoundSummary(
                rnd,
                deadline,
                (deadline - today).days - 1,  # the deadline itself is already late
                len(rnd.submissions),
                len(verdicts) - failed,
                failed,
            )
        )
    return out


def export_data(ws: Workspace, out: Path, force: bool = False, nominations: bool = True) -> Path:
    """The workspace's data as the workbook `import_data` (and the data folder) reads back."""
    from docgen.render.output import check_file
    from docgen.workspace.workbook_export import export_workbook

    check_file(out, force)
    export_workbook(ws, out, nominations=nominations)
    return out


@dataclass(frozen=True)
class Imported:
    """A data file taken in: the workspace it makes, and where the previous data went."""

    workspace: Workspace
    backup: Path


def import_data(config_path: Path, data_dir: Path, upload: Path, name: str) -> Imported:
    """Make an uploaded workbook (.xlsx) or YAML data file part of the data folder, only if
    the whole data it makes is valid (ValidationError listing every problem otherwise, with
    nothing changed); the previous data folder is kept under sao-luu/ beside it, dated.

    A workbook becomes data/du-lieu.xlsx and replaces what its sheets hold (units.yaml,
    people.yaml, the round files' nominations); units.yaml, people.yaml keep their names;
    any other YAML file is a round file under data/rounds/.
    """
    from datetime import datetime

    from docgen.errors import ValidationError
    from docgen.workspace import replace
    from docgen.workspace.workbook import sheet_names

    target = replace.target_of(name)
    sheets = sheet_names(upload) if target.suffix == ".xlsx" else None
    candidate = replace.make_candidate(data_dir, upload, name, sheets)
    try:
        try:
            ws = load_workspace(config_path, candidate)
        except ValidationError as exc:
            raise ValidationError(replace.relocate(exc.problems, candidate, data_dir)) from None
        backup = replace.swap_in(data_dir, candidate, datetime.now())
    finally:
        replace.discard(candidate)
    return Imported(ws, backup)


def pdf_copies(documents: Sequence[Path]) -> list[Path]:
    """A PDF beside each produced .docx (LibreOffice; one batch), in the same order."""
    from docgen.render.pdf import convert

    return convert(documents)


def default_plan(base: Path) -> Path:
    """The plan file `docgen plan` uses when none is named (`base`: the folder of config.yaml)."""
    from docgen.documents.plan import DEFAULT_PLAN

    return base / DEFAULT_PLAN


# ---------------------------------------------------------------------------------------------
# The award register (sổ khen thưởng): the CLI's `docgen register …` and the web page call these


def register_path(config_path: Path, config: Config) -> Path:
    """Where the register is: config's `register.path`, relative to config.yaml's folder."""
    return config_path.parent / config.register.path


def register_location(config_path: Path) -> Path:
    """The register of the config at `config_path` (only config.yaml is read)."""
    if not config_path.is_file():
        raise DocgenError(_("không tìm thấy tệp cấu hình {path}").format(path=config_path))
    return register_path(config_path, load_config(config_path))


def load_history(ws: Workspace, register: Path | None) -> History | None:
    """Each unit's and person's earlier awards from the register, for the rules (None without
    a register path: the rules then ignore history; an empty register gives {})."""
    if register is None:
        return None
    from docgen.register.db import reading
    from docgen.register.history import workspace_history

    with reading(register) as conn:
        return workspace_history(conn, ws)


def record_decision(
    ws: Workspace, register: Path, round_id: str, number: str, day: date | str
) -> list[AwardRecord]:
    """Enter the round's signed decision (its number and date as the clerk gave them) with
    every awardee `docgen decision` lists, numbering the số sổ vàng; one transaction. A
    decision, round or awardee already in the register is refused, the register unchanged."""
    from docgen.register.db import connect
    from docgen.register.records import insert
    from docgen.register.rounds import round_decision

    if isinstance(day, str):
        day = parse_date(day, "--date")
    (rnd,) = select_rounds(ws, [round_id])
    decision, awards = round_decision(ws, rnd, number, day)
    with connect(register) as conn:
        return insert(conn, register, ws.config.register, [(decision, awards)])


def preview_decision(
    ws: Workspace, register: Path, round_id: str, number: str, day: date | str
) -> tuple[list[AwardRecord], list[str]]:
    """What `record_decision` would enter (số sổ vàng not yet numbered) and why it would be
    refused (empty: it would be entered); writes nothing (a page shows this before recording)."""
    from docgen.register.db import reading
    from docgen.register.records import conflicts
    from docgen.register.rounds import round_decision

    if isinstance(day, str):
        day = parse_date(day, "--date")
    (rnd,) = select_rounds(ws, [round_id])
    decision, awards = round_decision(ws, rnd, number, day)
    with reading(register) as conn:
        problems = conflicts(conn, [decision], awards) if conn is not None else []
    return awards, problems


def round_awards(ws: Workspace, register: Path, round_id: str) -> list[AwardRecord]:
    """The awardees of the round's recorded decision (for its certificates), in số sổ vàng
    order; a round not recorded yet is an error saying how to record it."""
    from docgen.register.db import connect
    from docgen.register.records import awards_of_round

    (rnd,) = select_rounds(ws, [round_id])
    with connect(register, create=False) as conn:
        found = awards_of_round(conn, ws.config.authority.name, rnd.id)
    if not found:
        raise DocgenError(
            _(
                "đợt {round} chưa có quyết định trong sổ khen thưởng {path} (ghi bằng 'docgen "
                "register record --round {round} --number … --date …')"
            ).format(round=rnd.id, path=register)
        )
    return found


@dataclass(frozen=True)
class Awardee:
    """One unit's or person's awards in the register, newest first."""

    key: str  # what `show_awardee` takes
    collective: bool
    name: str
    #: a person's position and unit at the time of the newest award ("" for a collective)
    where: str
    awards: list[AwardRecord]


def by_awardee(records: Sequence[AwardRecord]) -> list[Awardee]:
    """Awards grouped by awardee, in the order of each one's newest award (as found)."""
    groups: dict[tuple[str, str], list[AwardRecord]] = {}
    for r in records:
        groups.setdefault((r.kind, r.awardee_key), []).append(r)
    out = []
    for (kind, key), awards in groups.items():
        first = awards[0]
        where = ""
        if kind == "person" and first.unit_name:
            where = " ".join(f"{first.position} {first.unit_name}".split())
        out.append(Awardee(key, kind == "collective", first.name, where, awards))
    return out


def find_awards(register: Path, text: str) -> list[AwardRecord]:
    """Awards whose awardee's name, id or unit contains `text`, newest first."""
    from docgen.register.db import connect
    from docgen.register.records import find

    with connect(register, create=False) as conn:
        return find(conn, text)


def show_awardee(register: Path, key: str) -> list[AwardRecord]:
    """One unit's or person's awards (by the id `find` shows), newest first."""
    from docgen.register.db import connect
    from docgen.register.records import show

    with connect(register, create=False) as conn:
        return show(conn, key)


def import_awards(ws: Workspace, register: Path, xlsx: Path) -> list[AwardRecord]:
    """Enter past years' awards from a workbook (layout: docgen.register.workbook.SHEET);
    every bad cell is reported by sheet and cell, and nothing is entered unless all is valid."""
    from docgen.register.db import connect
    from docgen.register.records import insert
    from docgen.register.workbook import read_past_awards

    if not xlsx.is_file():
        raise DocgenError(_("không tìm thấy bảng tính {path}").format(path=xlsx))
    with connect(register) as conn:
        entries = read_past_awards(xlsx, str(xlsx), ws.config, conn)
        return insert(conn, register, ws.config.register, entries)


def export_awards(register: Path, xlsx: Path, force: bool = False) -> int:
    """Every award of the register into a workbook that `import_awards` reads back; returns
    the number of rows."""
    from docgen.register.db import connect
    from docgen.register.workbook import write_past_awards
    from docgen.render.output import check_file

    check_file(xlsx, force)
    with connect(register, create=False) as conn:
        return write_past_awards(conn, xlsx)


def backup_register(register: Path, target: Path, force: bool = False) -> Path:
    """A consistent copy of the register, taken while others may read or write it."""
    from docgen.register.db import backup
    from docgen.render.output import check_file

    check_file(target, force)
    if target.exists() and target.resolve() == register.resolve():
        raise DocgenError(
            _("tệp sao lưu không được trùng với sổ khen thưởng {path}").format(path=register)
        )
    return backup(register, target, force)


def register_report(
    register: Path, year: int, xlsx: Path | None = None, force: bool = False
) -> Report:
    """The year's statistics (decisions signed in `year`), and with `xlsx` a workbook of it
    with a bar chart per unit."""
    from docgen.register.db import connect
    from docgen.register.report import write_report, year_report
    from docgen.render.output import check_file

    if xlsx is not None:
        check_file(xlsx, force)
    with connect(register, create=False) as conn:
        report = year_report(conn, year)
    if xlsx is not None:
        write_report(report, xlsx)
    return report


# ---------------------------------------------------------------------------------------------
# Giấy khen certificates of a recorded decision: `docgen certificate` and the web page


@dataclass(frozen=True)
class CertificateRun:
    """A round's certificates: where they were written, for whom, in which files."""

    round: Round
    folder: Path
    awards: list[AwardRecord]
    files: list[str]
    merged: str


def blank_profile(ws: Workspace, name: str) -> BlankProfile:
    """The blank (phôi) profile `name` of config's certificate.blanks."""
    blanks = ws.config.certificate.blanks
    if name not in blanks:
        raise DocgenError(
            _("config.yaml không có mẫu phôi '{name}' trong certificate.blanks ({hint})").format(
                name=name,
                hint=suggest(name, list(blanks))
                or (
                    _("các mẫu phôi: {names}").format(names=", ".join(sorted(blanks)))
                    if blanks
                    else _("chưa khai báo mẫu phôi nào")
                ),
            )
        )
    return blanks[name]


def render_certificates(
    ws: Workspace,
    templates_dir: Path,
    out_dir: Path,
    round_id: str,
    *,
    register: Path,
    base: Path,
    blank: str | None = None,
    pdf: bool = False,
    force: bool = False,
) -> CertificateRun:
    """One Giấy khen per awardee of the round's recorded decision in
    out_dir/<round>/giay-khen/ (with `blank`, only the text for that pre-printed blank, in
    giay-khen-<blank>/), and all of them merged into one file for printing; all or nothing.

    The Quốc huy is config's certificate.emblem, relative to `base` (the folder of
    config.yaml); without one its room stays empty."""
    import tempfile

    from docgen.certificate.contexts import FOLDER, certificate_set
    from docgen.layout.certificate import CERTIFICATE, EMBLEM_MM, EMBLEM_SLOT
    from docgen.render.merge import MERGED_CERTIFICATES
    from docgen.render.picture import with_picture

    profile = blank_profile(ws, blank) if blank is not None else None
    (rnd,) = select_rounds(ws, [round_id])
    awards = round_awards(ws, register, rnd.id)
    folder = Path(rnd.id) / (f"{FOLDER}-{blank}" if blank is not None else FOLDER)
    documents = certificate_set(folder, awards, profile)
    emblem = ws.config.certificate.emblem.strip()
    with tempfile.TemporaryDirectory(prefix="docgen-emblem-") as tmp:
        source = templates_dir
        if profile is None and emblem:
            template = Renderer(templates_dir, word_style(ws.config)).path_of(CERTIFICATE)
            source = Path(tmp)
            with_picture(
                template,
                source / CERTIFICATE,
                bookmark=EMBLEM_SLOT,
                image=base / emblem,
                height_mm=EMBLEM_MM,
                what="config.yaml certificate.emblem",
            )
        write_documents(
            ws,
            source,
            out_dir,
            [documents],
            force=force,
            pdf=pdf,
            merge=True,
            merged_name=MERGED_CERTIFICATES,
        )
    return CertificateRun(rnd, folder, awards, documents.files, MERGED_CERTIFICATES)


def calibration_page(ws: Workspace, blank: str, out: Path, force: bool = False) -> Path:
    """A one-page PDF of the blank profile's paper: a millimetre grid and every field's box
    with its id, position and type, to fit the profile to a real blank (never half-written)."""
    from docgen.certificate.contexts import calibration_boxes
    from docgen.render.gridpage import grid_page
    from docgen.render.output import check_file, write_file

    profile = blank_profile(ws, blank)
    check_file(out, force)
    data = grid_page(
        float(profile.width),
        float(profile.height),
        calibration_boxes(profile),
        f"docgen certificate --calibrate {blank}: mm from the top-left corner",
    )
    return write_file(out, data, force)
