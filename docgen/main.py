"""The library API the CLI is a thin layer over; tests call it directly.

ws = load_workspace(Path("config.yaml"), Path("data"))
written = render_dossiers(ws, Path("templates"), Path("out"))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import load_config
from .context import DocumentJob, dossier_jobs, word_style
from .data import Round, Submission, Workspace, load_data
from .errors import DocgenError
from .output import staged
from .render import Renderer
from .rules import Verdict, check
from .schema import suggest


def load_workspace(config_path: Path, data_dir: Path) -> Workspace:
    """Load and validate config and data; raises ValidationError listing every problem."""
    if not config_path.is_file():
        raise DocgenError(f"không tìm thấy tệp cấu hình {config_path}")
    return load_data(load_config(config_path), data_dir)


@dataclass(frozen=True)
class Dossier:
    """One unit's dossier in one round: its folder (relative to the output) and documents."""

    round: Round
    submission: Submission
    folder: Path
    jobs: list[DocumentJob]


def select_rounds(ws: Workspace, round_ids: Sequence[str]) -> list[Round]:
    """The rounds asked for (all when none), in a stable order; unknown ids are errors."""
    if not round_ids:  # chronological: by last year, annual before the period ending then
        return sorted(ws.rounds.values(), key=lambda r: (r.years[-1:], r.kind == "period", r.id))
    unknown = [r for r in round_ids if r not in ws.rounds]
    if unknown:
        hints = [suggest(r, list(ws.rounds)) for r in unknown]
        raise DocgenError(
            f"không có đợt khen thưởng {', '.join(repr(r) for r in unknown)}"
            f" ({'; '.join(h for h in hints if h) or 'các đợt: ' + ', '.join(sorted(ws.rounds))})"
        )
    return [ws.rounds[r] for r in dict.fromkeys(round_ids)]


def plan_dossiers(
    ws: Workspace, round_ids: Sequence[str] = (), unit_ids: Sequence[str] = ()
) -> list[Dossier]:
    """Every dossier the selection asks for, with its documents' contexts computed."""
    rounds = select_rounds(ws, round_ids)
    unknown = [u for u in unit_ids if u not in ws.units]
    if unknown:
        raise DocgenError(
            f"không có đơn vị {', '.join(repr(u) for u in unknown)} "
            f"({suggest(unknown[0], list(ws.units)) or 'xem data/units.yaml'})"
        )
    dossiers = []
    for rnd in rounds:
        for sub in rnd.submissions:
            if unit_ids and sub.unit not in unit_ids:
                continue
            folder = Path(rnd.id) / sub.unit
            dossiers.append(Dossier(rnd, sub, folder, dossier_jobs(ws, rnd, sub)))
    if unit_ids:
        found = {d.submission.unit for d in dossiers}
        missing = [u for u in unit_ids if u not in found]
        if missing:
            raise DocgenError(
                f"đơn vị {', '.join(missing)} không có hồ sơ trong đợt đã chọn "
                f"({', '.join(r.id for r in rounds)})"
            )
    return dossiers


def check_rounds(ws: Workspace, round_ids: Sequence[str] = ()) -> list[Verdict]:
    """Every nomination of the selected rounds judged against the plan's standards."""
    return check(ws, select_rounds(ws, round_ids))


def ineligible_in(ws: Workspace, dossiers: Sequence[Dossier]) -> list[Verdict]:
    """The nominations of these dossiers that fail the plan's standards."""
    chosen = {(d.round.id, d.submission.unit) for d in dossiers}
    rounds = [ws.rounds[r] for r in dict.fromkeys(d.round.id for d in dossiers)]
    return [
        v for v in check(ws, rounds) if (v.round_id, v.submission_unit) in chosen and not v.eligible
    ]


def ineligible_message(verdicts: Sequence[Verdict]) -> str:
    """The failing nominations with the reasons that failed, one per line."""
    lines = []
    for v in verdicts:
        failed = "; ".join(r.text for r in v.reasons if not r.ok)
        lines.append(
            f"  - đợt {v.round_id}, hồ sơ {v.submission_unit}: {v.nominee} ({v.award}): {failed}"
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
) -> list[Dossier]:
    """Render the selected dossiers into out_dir/<round>/<unit>/, all or nothing.

    Nominations that fail the plan's standards stop the run unless `allow_ineligible`.
    Documents are rendered on up to `jobs` processes (default: every CPU); `pdf` adds a PDF
    copy of each, `xlsx` the Danh sách as a spreadsheet, `merge` the whole dossier as one
    document (00-ho-so-day-du.docx).
    """
    dossiers = plan_dossiers(ws, round_ids, unit_ids)
    failing = ineligible_in(ws, dossiers)
    if failing and not allow_ineligible:
        raise DocgenError(
            f"{len(failing)} đề nghị không đạt tiêu chuẩn của kế hoạch (xem 'docgen check'); "
            "dùng --allow-ineligible để vẫn lập hồ sơ:\n" + ineligible_message(failing)
        )
    write_documents(
        ws,
        templates_dir,
        out_dir,
        [(d.folder, d.jobs) for d in dossiers],
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
    batches: Sequence[tuple[Path, Sequence[DocumentJob]]],
    *,
    force: bool = False,
    jobs: int | None = None,
    pdf: bool = False,
    xlsx: bool = False,
    merge: bool = False,
    merged_name: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Render every batch into its folder under out_dir, all or nothing.

    `merge` adds to each folder one document holding all of the folder's documents in file
    name order (named `merged_name`, default 00-ho-so-day-du.docx; see docgen.merge).

    Everything (documents, PDF copies, spreadsheets) is made in a staging folder first, so
    a failure at any step leaves the previous output as it was.
    """
    renderer = Renderer(templates_dir, word_style(ws.config))
    for name in sorted({j.template for _, batch in batches for j in batch}):
        renderer.prepare(name)  # a missing or broken template is reported before any work
    if pdf:
        from .pdf import find_soffice

        find_soffice()  # a missing LibreOffice is reported before any work too
    with staged(out_dir, [folder for folder, _ in batches], force) as stage:
        for folder, _ in batches:
            (stage / folder).mkdir(parents=True)
        tasks = (
            (job.template, job.context, stage / folder / job.filename)
            for folder, batch in batches
            for job in batch
        )
        count = sum(len(b) for _, b in batches)
        advance = (lambda n: progress(n, count)) if progress else None  # (done now, total)
        renderer.render_many(tasks, jobs, count=count, progress=advance)
        if xlsx:
            from .xlsx import write_nominee_list

            for folder, batch in batches:
                for job in batch:
                    if job.template == "danh-sach.docx":
                        dest = stage / folder / Path(job.filename).with_suffix(".xlsx")
                        write_nominee_list(job.context, dest)
        merged: list[Path] = []
        if merge:
            from .merge import MERGED_DOSSIER, merge_documents, merged_title

            name = merged_name or MERGED_DOSSIER
            for folder, batch in batches:
                parts = [stage / folder / f for f in sorted(job.filename for job in batch)]
                target = stage / folder / name
                merged.append(merge_documents(parts, target, title=merged_title(name)))
        if pdf:
            from .pdf import convert

            convert(
                [stage / folder / job.filename for folder, batch in batches for job in batch]
                + merged
            )


@dataclass(frozen=True)
class DecisionRun:
    """A round's decision documents and the nominations they leave out."""

    round: Round
    folder: Path
    jobs: list[DocumentJob]
    excluded: list[Verdict]


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
    from .decision import FOLDER, decision_jobs

    runs = []
    for rnd in select_rounds(ws, round_ids):
        jobs, excluded = decision_jobs(ws, rnd)
        runs.append(DecisionRun(rnd, Path(rnd.id) / FOLDER, jobs, excluded))
    from .merge import MERGED_DECISION

    write_documents(
        ws,
        templates_dir,
        out_dir,
        [(r.folder, r.jobs) for r in runs],
        force=force,
        pdf=pdf,
        merge=merge,
        merged_name=MERGED_DECISION,
    )
    return runs


def schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of config.yaml and each data file, keyed by output file name."""
    from .config import Config
    from .data import PeopleFile, UnitsFile
    from .plan import plan_schema
    from .schema import json_schema

    return {
        "config.schema.json": json_schema(Config, "docgen config.yaml"),
        "units.schema.json": json_schema(UnitsFile, "docgen data/units.yaml"),
        "people.schema.json": json_schema(PeopleFile, "docgen data/people.yaml"),
        "round.schema.json": json_schema(Round, "docgen data/rounds/*.yaml"),
        "plan.schema.json": plan_schema(),
    }


def write_schemas(target: Path) -> list[Path]:
    """Write the JSON Schemas (published with the package, for editors' validation)."""
    import json

    from .errors import OutputError

    written = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas().items():
            path = target / name
            text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise OutputError(f"không ghi được JSON Schema vào {target}: {exc.strerror}") from exc
    return written
