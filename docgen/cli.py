"""Command line: a thin click layer over docgen.main; user errors are printed plainly."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.shell_completion import CompletionItem

from .errors import DocgenError

if TYPE_CHECKING:
    from . import main as api
else:

    class _Api:
        """docgen.main on first use: `docgen --help` starts without loading data or Jinja."""

        def __getattr__(self, name: str) -> Any:
            from . import main

            return getattr(main, name)

    api = _Api()

#: Exit status of `docgen check` when some nomination fails the standards (1 is a user error).
EXIT_INELIGIBLE = 3


def _ids(ctx: click.Context, kind: str, incomplete: str) -> list[CompletionItem]:
    """Round or unit ids for shell completion, read from the data the command line points at."""
    root = ctx.find_root().params
    config = Path(root.get("config") or "config.yaml")
    data = root.get("data") or config.parent / "data"
    try:
        ws = api.load_workspace(config, Path(data))
    except Exception:  # completion must never print errors into the user's shell
        return []
    if kind == "round":
        items = {r: rnd.label for r, rnd in ws.rounds.items()}
    else:
        items = {u: unit.name for u, unit in ws.units.items()}
    return [CompletionItem(k, help=v) for k, v in sorted(items.items()) if k.startswith(incomplete)]


def _complete_round(
    ctx: click.Context, _: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    return _ids(ctx, "round", incomplete)


def _complete_unit(ctx: click.Context, _: click.Parameter, incomplete: str) -> list[CompletionItem]:
    return _ids(ctx, "unit", incomplete)


ROUND_OPTION = click.option(
    "--round",
    "rounds",
    multiple=True,
    shell_complete=_complete_round,
    help="Mã đợt (lặp lại được; mặc định: tất cả).",
)
UNIT_OPTION = click.option(
    "--unit",
    "units",
    multiple=True,
    shell_complete=_complete_unit,
    help="Mã đơn vị (lặp lại được; mặc định: tất cả).",
)


PDF_OPTION = click.option(
    "--pdf", is_flag=True, help="Thêm bản PDF của mỗi văn bản (cần LibreOffice)."
)
MERGE_OPTION = click.option(
    "--merge",
    is_flag=True,
    help="Thêm một tệp .docx (00-...-day-du.docx) ghép mọi văn bản của thư mục theo thứ tự.",
)


class Options:
    """Global options shared by every command."""

    def __init__(self, config: Path, data: Path | None, templates: Path | None) -> None:
        self.config = config
        base = config.parent
        self.data = data if data is not None else base / "data"
        self.templates = templates if templates is not None else base / "templates"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("config.yaml"),
    show_default=True,
    help="Tệp cấu hình (cơ quan, khen thưởng, tiêu chuẩn).",
)
@click.option(
    "--data",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Thư mục dữ liệu (mặc định: data/ cạnh tệp cấu hình).",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Thư mục mẫu .docx (mặc định: templates/ cạnh tệp cấu hình).",
)
@click.version_option(package_name="docgen", message="docgen %(version)s")
@click.pass_context
def cli(ctx: click.Context, config: Path, data: Path | None, templates: Path | None) -> None:
    """docgen: lập hồ sơ thi đua, khen thưởng (.docx) từ dữ liệu YAML."""
    ctx.obj = Options(config, data, templates)


@cli.command()
@click.pass_obj
def validate(opts: Options) -> None:
    """Kiểm tra cấu hình và dữ liệu, báo mọi lỗi cùng lúc."""
    ws = api.load_workspace(opts.config, opts.data)
    subs = sum(len(r.submissions) for r in ws.rounds.values())
    click.echo(
        f"Dữ liệu hợp lệ: {len(ws.units)} đơn vị, {len(ws.people)} cá nhân, "
        f"{len(ws.rounds)} đợt khen thưởng, {subs} hồ sơ."
    )


@cli.command()
@ROUND_OPTION
@UNIT_OPTION
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    help="Thư mục kết quả.",
)
@click.option("--force", is_flag=True, help="Ghi đè hồ sơ đã có.")
@click.option(
    "--allow-ineligible",
    is_flag=True,
    help="Vẫn lập hồ sơ cho đề nghị không đạt tiêu chuẩn (có cảnh báo).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Số tiến trình lập văn bản song song (mặc định: số CPU).",
)
@PDF_OPTION
@click.option("--xlsx", is_flag=True, help="Thêm Danh sách dạng bảng tính .xlsx.")
@MERGE_OPTION
@click.pass_obj
def dossier(
    opts: Options,
    rounds: tuple[str, ...],
    units: tuple[str, ...],
    out: Path,
    force: bool,
    allow_ineligible: bool,
    jobs: int | None,
    pdf: bool,
    xlsx: bool,
    merge: bool,
) -> None:
    """Lập hồ sơ đề nghị khen thưởng của từng đơn vị (tờ trình, biên bản, danh sách, báo cáo)."""
    ws = api.load_workspace(opts.config, opts.data)
    done = api.render_dossiers(
        ws,
        opts.templates,
        out,
        rounds,
        units,
        force,
        allow_ineligible=allow_ineligible,
        jobs=jobs,
        pdf=pdf,
        xlsx=xlsx,
        merge=merge,
    )
    if allow_ineligible:
        chosen = {(d.round.id, d.submission.unit) for d in done}
        failing = [
            v
            for v in api.check_rounds(ws, sorted({d.round.id for d in done}))
            if (v.round_id, v.submission_unit) in chosen and not v.eligible
        ]
        if failing:
            click.echo(
                f"Cảnh báo: đã lập hồ sơ cho {len(failing)} đề nghị không đạt tiêu chuẩn:\n"
                + api.ineligible_message(failing),
                err=True,
            )
    total = sum(len(d.jobs) for d in done)
    click.echo(f"Đã lập {len(done)} hồ sơ, {total} văn bản trong {out}/:")
    for d in done:
        click.echo(f"  {d.folder}/  ({len(d.jobs)} văn bản)")


@cli.command("check")
@ROUND_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Dạng kết quả.",
)
@click.option(
    "--xlsx",
    "xlsx_out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Ghi thêm kết quả vào bảng tính .xlsx (để in, gửi đi).",
)
@click.pass_obj
def check_cmd(opts: Options, rounds: tuple[str, ...], fmt: str, xlsx_out: Path | None) -> None:
    """Kiểm tra từng đề nghị theo tiêu chuẩn của kế hoạch; mã thoát 3 nếu có đề nghị không đạt."""
    ws = api.load_workspace(opts.config, opts.data)
    verdicts = api.check_rounds(ws, rounds)
    if xlsx_out is not None:
        from .xlsx import write_check_report

        write_check_report(verdicts, xlsx_out)
    if fmt == "json":
        import json

        click.echo(json.dumps([v.as_dict() for v in verdicts], ensure_ascii=False, indent=2))
    else:
        current = None
        for v in verdicts:
            if v.round_id != current:
                current = v.round_id
                click.echo(f"Đợt {current}")
            mark = "ĐẠT" if v.eligible else "KHÔNG ĐẠT"
            kind = "tập thể" if v.collective else "cá nhân"
            click.echo(f"  [{mark}] {v.nominee} ({kind}) - {v.award} - hồ sơ {v.submission_unit}")
            for r in v.reasons:
                click.echo(f"      {'✓' if r.ok else '✗'} {r.text}")
        bad = sum(1 for v in verdicts if not v.eligible)
        click.echo(f"Tổng số: {len(verdicts)} đề nghị, {len(verdicts) - bad} đạt, {bad} không đạt.")
    if any(not v.eligible for v in verdicts):
        sys.exit(EXIT_INELIGIBLE)


@cli.command()
@ROUND_OPTION
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    help="Thư mục kết quả (quyết định nằm trong <đợt>/quyet-dinh/).",
)
@click.option("--force", is_flag=True, help="Ghi đè quyết định đã có.")
@PDF_OPTION
@MERGE_OPTION
@click.pass_obj
def decision(
    opts: Options, rounds: tuple[str, ...], out: Path, force: bool, pdf: bool, merge: bool
) -> None:
    """Lập Quyết định khen thưởng kèm danh sách, tiền thưởng; tờ trình đề nghị cấp trên."""
    ws = api.load_workspace(opts.config, opts.data)
    done = api.render_decisions(ws, opts.templates, out, rounds, force, pdf=pdf, merge=merge)
    for run in done:
        click.echo(f"Đợt {run.round.id}: {len(run.jobs)} văn bản trong {out / run.folder}/")
        for job in run.jobs:
            click.echo(f"  {job.filename}")
        if run.excluded:
            click.echo(
                f"  Không đưa vào quyết định {len(run.excluded)} đề nghị không đạt:\n"
                + api.ineligible_message(run.excluded),
            )


@cli.command()
@click.argument("plan_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Tệp kết quả (mặc định: out/<tên tệp kế hoạch>.docx).",
)
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@PDF_OPTION
@click.pass_obj
def plan(opts: Options, plan_file: Path | None, out: Path | None, force: bool, pdf: bool) -> None:
    """Lập văn bản Kế hoạch từ tệp YAML (mặc định: Kế hoạch 145/KH-UBND có sẵn)."""
    from .plan import DEFAULT_PLAN, render_plan

    source = plan_file or opts.config.parent / DEFAULT_PLAN
    target = out or Path("out") / f"{source.stem}.docx"
    if pdf:
        from .pdf import find_soffice

        find_soffice()
    written = render_plan(source, opts.templates, target, force)
    click.echo(f"Đã lập kế hoạch: {written}")
    if pdf:
        from .pdf import convert

        click.echo(f"Bản PDF: {convert([written])[0]}")


@cli.group("templates")
def templates_group() -> None:
    """Mẫu văn bản .docx (kể cả mẫu người dùng tự sửa trong Word)."""


@templates_group.command("check")
@click.pass_obj
def templates_check(opts: Options) -> None:
    """Liệt kê biến mỗi mẫu dùng; báo biến dữ liệu không có, lỗi cú pháp, truy cập nội bộ."""
    from .errors import TemplateError
    from .templatecheck import check_folder, workspace_contexts

    ws = api.load_workspace(opts.config, opts.data)
    report = check_folder(opts.templates, workspace_contexts(ws, opts.config.parent))
    click.echo(report.text())
    if report.problems:
        raise TemplateError(
            f"{len(report.problems)} vấn đề trong mẫu ở {opts.templates}:\n"
            + "\n".join(f"  - {p}" for p in report.problems)
        )
    click.echo(f"Mọi mẫu trong {opts.templates} đều dùng được với dữ liệu.")


@cli.command("export-xlsx")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("out/du-lieu.xlsx"),
    show_default=True,
    help="Tệp bảng tính kết quả.",
)
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@click.option(
    "--no-nominations",
    is_flag=True,
    help="Không ghi trang 'Đề nghị' (đề nghị vẫn nằm trong các tệp đợt).",
)
@click.pass_obj
def export_xlsx(opts: Options, out: Path, force: bool, no_nominations: bool) -> None:
    """Ghi đơn vị, điểm, cá nhân, xếp loại và đề nghị vào một bảng tính Excel (.xlsx)."""
    from .errors import OutputError
    from .xlsx import export_workbook

    if out.exists() and not force:
        raise OutputError(f"tệp kết quả đã tồn tại: {out}. Dùng --force để ghi đè.")
    ws = api.load_workspace(opts.config, opts.data)
    export_workbook(ws, out, nominations=not no_nominations)
    moved = "units.yaml, people.yaml" + (
        "" if no_nominations else " và các khóa nominations trong rounds/*.yaml"
    )
    click.echo(f"Đã ghi {out}. Để dùng: đặt vào {opts.data}/du-lieu.xlsx và xóa {moved}.")


@cli.command("init")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Ghi vào thư mục không trống, đè các tệp cùng tên.")
def init_cmd(directory: Path, force: bool) -> None:
    """Tạo bộ hồ sơ mới: config.yaml, dữ liệu mẫu có chú thích, mẫu .docx để tự sửa."""
    from .workspace import init_workspace

    result = init_workspace(directory, force)
    click.echo(f"Đã tạo bộ hồ sơ trong {directory}/ ({len(result.files)} tệp):")
    for rel in result.files:
        mark = "  (ghi đè)" if rel in result.overwritten else ""
        click.echo(f"  {rel.as_posix()}{mark}")
    cd = "" if directory.resolve() == Path.cwd().resolve() else f"cd {directory} && "
    click.echo(
        f"Tiếp theo: {cd}docgen validate && docgen check && docgen dossier\n"
        "Sửa các dòng '# SỬA:' trong config.yaml và thay dữ liệu mẫu trong data/ (xem README.txt)."
    )


@cli.command("schema")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path(__file__).parent / "schemas",
    show_default="docgen/schemas",
    help="Thư mục ghi JSON Schema.",
)
def schema_cmd(out: Path) -> None:
    """Ghi JSON Schema của config.yaml và các tệp dữ liệu (để trình soạn thảo kiểm tra)."""
    for path in api.write_schemas(out):
        click.echo(str(path))


def main() -> None:
    """Entry point: every user error ends with a plain message and exit status 1."""
    try:
        cli.main(prog_name="docgen", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Đã dừng.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except DocgenError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Đã dừng; kết quả cũ được giữ nguyên.", err=True)
        sys.exit(130)
