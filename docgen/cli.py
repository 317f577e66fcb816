"""Command line: a thin click layer over docgen.main; user errors are printed plainly."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from click.shell_completion import CompletionItem

from docgen import i18n
from docgen.errors import DocgenError
from docgen.i18n import N_, _

if TYPE_CHECKING:
    from docgen import main as api
    from docgen.register.records import AwardRecord
else:

    class _Api:
        """docgen.main on first use: `docgen --help` starts without loading data or Jinja."""

        def __getattr__(self, name: str) -> Any:
            from docgen import main

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
    help=N_("Mã đợt (lặp lại được; mặc định: tất cả)."),
)
UNIT_OPTION = click.option(
    "--unit",
    "units",
    multiple=True,
    shell_complete=_complete_unit,
    help=N_("Mã đơn vị (lặp lại được; mặc định: tất cả)."),
)


PDF_OPTION = click.option(
    "--pdf", is_flag=True, help=N_("Thêm bản PDF của mỗi văn bản (cần LibreOffice).")
)
MERGE_OPTION = click.option(
    "--merge",
    is_flag=True,
    help=N_("Thêm một tệp .docx (00-...-day-du.docx) ghép mọi văn bản của thư mục theo thứ tự."),
)


#: Untranslated (Vietnamese) help of every command and option, by object id.
_SOURCE_HELP: dict[int, str | None] = {}


def _localized(obj: object, current: str | None) -> str | None:
    source = _SOURCE_HELP.setdefault(id(obj), current)
    return _(source) if source else source


def localize(command: click.Command) -> None:
    """Put the help texts of `command` and its subcommands in the language in use."""
    command.help = _localized(command, command.help)
    for param in command.params:
        if isinstance(param, click.Option):
            param.help = _localized(param, param.help)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            localize(sub)


def use_language(lang: str | None) -> None:
    """Messages and help texts in `lang` ('vi', 'en'; None: from the environment)."""
    i18n.set_language(lang)
    localize(cli)


def _lang_callback(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if not ctx.resilient_parsing:
        use_language(value)


def _lang_from_args(args: list[str]) -> str | None:
    """`--lang X` / `--lang=X` before the command line's `--`, so `--help --lang en` works too."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
    return None


class Options:
    """Global options shared by every command."""

    def __init__(
        self,
        config: Path,
        data: Path | None,
        templates: Path | None,
        quiet: bool = False,
        verbose: bool = False,
    ) -> None:
        self.config = config
        self.quiet = quiet
        self.verbose = verbose
        base = config.parent
        self.data = data if data is not None else base / "data"
        self.templates = templates if templates is not None else base / "templates"


#: Options of the whole command line that may also be written after the subcommand
#: (`docgen dossier -q` as well as `docgen -q dossier`): flags, and options taking a value.
GLOBAL_FLAGS = ("-q", "--quiet", "-v", "--verbose")
GLOBAL_VALUES = ("--config", "--data", "--templates", "--lang")


def hoist_globals(args: list[str]) -> list[str]:
    """`args` with the global options written after the subcommand moved before it."""
    start = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            return args
        if arg in GLOBAL_VALUES:
            i += 2
            continue
        if not arg.startswith("-"):
            start = i
            break
        i += 1
    if start is None:
        return args
    moved: list[str] = []
    rest: list[str] = []
    i = start
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg in GLOBAL_FLAGS or arg.startswith(tuple(f"{o}=" for o in GLOBAL_VALUES)):
            moved.append(arg)
        elif arg in GLOBAL_VALUES and i + 1 < len(args):
            moved.extend(args[i : i + 2])
            i += 1
        else:
            rest.append(arg)
        i += 1
    return args[:start] + moved + rest


class _Group(click.Group):
    """The docgen group: global options are accepted after the subcommand too."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_globals(args))


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_("docgen: lập hồ sơ thi đua, khen thưởng (.docx) từ dữ liệu YAML."),
)
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("config.yaml"),
    show_default=True,
    help=N_("Tệp cấu hình (cơ quan, khen thưởng, tiêu chuẩn)."),
)
@click.option(
    "--data",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help=N_("Thư mục dữ liệu (mặc định: data/ cạnh tệp cấu hình)."),
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help=N_("Thư mục mẫu .docx (mặc định: templates/ cạnh tệp cấu hình)."),
)
@click.option(
    "--lang",
    type=click.Choice(i18n.LANGUAGES),
    default=None,
    is_eager=True,
    expose_value=False,
    callback=_lang_callback,
    help=N_("Ngôn ngữ thông báo: vi hoặc en (mặc định: theo DOCGEN_LANG, LANG; không có thì vi)."),
)
@click.option("--quiet", "-q", is_flag=True, help=N_("Chỉ in cảnh báo và lỗi."))
@click.option("--verbose", "-v", is_flag=True, help=N_("In thêm từng tệp đã ghi."))
@click.version_option(package_name="docgen", message="docgen %(version)s")
@click.pass_context
def cli(
    ctx: click.Context,
    config: Path,
    data: Path | None,
    templates: Path | None,
    quiet: bool,
    verbose: bool,
) -> None:
    ctx.obj = Options(config, data, templates, quiet=quiet, verbose=verbose and not quiet)


class _Progress:
    """A progress bar on an interactive terminal only: quiet when piped or with --quiet."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            label = _("Đang lập văn bản")
            self.bar = click.progressbar(length=total, label=label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@cli.command(help=N_("Kiểm tra cấu hình và dữ liệu, báo mọi lỗi cùng lúc."))
@click.pass_obj
def validate(opts: Options) -> None:
    ws = api.load_workspace(opts.config, opts.data)
    for warning in ws.warnings:  # shown even with --quiet: the documents would carry them
        click.echo(_("Cảnh báo: {problem}").format(problem=warning), err=True)
    subs = sum(len(r.submissions) for r in ws.rounds.values())
    click.echo(
        _(
            "Dữ liệu hợp lệ: {units} đơn vị, {people} cá nhân, "
            "{rounds} đợt khen thưởng, {submissions} hồ sơ."
        ).format(
            units=len(ws.units), people=len(ws.people), rounds=len(ws.rounds), submissions=subs
        )
    )


@cli.command(
    help=N_(
        "Lập hồ sơ đề nghị khen thưởng của từng đơn vị (tờ trình, biên bản, danh sách, báo cáo)."
    )
)
@ROUND_OPTION
@UNIT_OPTION
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    help=N_("Thư mục kết quả."),
)
@click.option("--force", is_flag=True, help=N_("Ghi đè hồ sơ đã có."))
@click.option(
    "--allow-ineligible",
    is_flag=True,
    help=N_("Vẫn lập hồ sơ cho đề nghị không đạt tiêu chuẩn (có cảnh báo)."),
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help=N_("Số tiến trình lập văn bản song song (mặc định: số CPU)."),
)
@PDF_OPTION
@click.option("--xlsx", is_flag=True, help=N_("Thêm Danh sách dạng bảng tính .xlsx."))
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
    ws = api.load_workspace(opts.config, opts.data)
    bar = _Progress(not opts.quiet)
    try:
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
            progress=bar,
            register=api.register_path(opts.config, ws.config),
        )
    finally:
        bar.close()
    from docgen.documents.unverified import in_dossiers, warning_lines

    for line in warning_lines(in_dossiers(ws, [d.submission for d in done])):
        click.echo(line, err=True)
    if allow_ineligible:
        failing = api.ineligible_in(
            ws, done, api.load_history(ws, api.register_path(opts.config, ws.config))
        )
        if failing:
            click.echo(
                _("Cảnh báo: đã lập hồ sơ cho {count} đề nghị không đạt tiêu chuẩn:").format(
                    count=len(failing)
                )
                + "\n"
                + api.ineligible_message(failing),
                err=True,
            )
    if opts.quiet:
        return
    total = sum(len(d.files) for d in done)
    click.echo(
        _("Đã lập {dossiers} hồ sơ, {documents} văn bản trong {out}/:").format(
            dossiers=len(done), documents=total, out=out
        )
    )
    for d in done:
        click.echo(
            _("  {folder}/  ({documents} văn bản)").format(folder=d.folder, documents=len(d.files))
        )
        if opts.verbose:
            for path in sorted((out / d.folder).iterdir()):
                click.echo(f"      {path.name}")


@cli.command(
    "check",
    help=N_(
        "Kiểm tra từng đề nghị theo tiêu chuẩn của kế hoạch; mã thoát 3 nếu có đề nghị không đạt."
    ),
)
@ROUND_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help=N_("Dạng kết quả."),
)
@click.option(
    "--xlsx",
    "xlsx_out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help=N_("Ghi thêm kết quả vào bảng tính .xlsx (để in, gửi đi)."),
)
@click.option("--force", is_flag=True, help=N_("Ghi đè tệp .xlsx đã có."))
@click.pass_obj
def check_cmd(
    opts: Options, rounds: tuple[str, ...], fmt: str, xlsx_out: Path | None, force: bool
) -> None:
    if xlsx_out is not None:
        _refuse_input_as_output(xlsx_out, opts)
        from docgen.render.output import check_file

        check_file(xlsx_out, force)  # before any work
    ws = api.load_workspace(opts.config, opts.data)
    register = api.register_path(opts.config, ws.config)
    verdicts = api.check_rounds(ws, rounds, register)
    if xlsx_out is not None:
        from docgen.i18n import using
        from docgen.render.sheets import write_check_report

        with using("vi"):  # a document to print and file: Vietnamese, reasons included
            write_check_report(api.check_rounds(ws, rounds, register), xlsx_out, force)
    if fmt == "json":
        import json

        click.echo(json.dumps([v.as_dict() for v in verdicts], ensure_ascii=False, indent=2))
    else:
        current = None
        for v in verdicts:
            if v.round_id != current:
                current = v.round_id
                click.echo(_("Đợt {round}").format(round=current))
            mark = _("ĐẠT") if v.eligible else _("KHÔNG ĐẠT")
            kind = _("tập thể") if v.collective else _("cá nhân")
            click.echo(
                _("  [{mark}] {nominee} ({kind}) - {award} - hồ sơ {unit}").format(
                    mark=mark, nominee=v.nominee, kind=kind, award=v.award, unit=v.submission_unit
                )
            )
            for r in v.reasons:
                click.echo(f"      {'!' if r.warning else '✓' if r.ok else '✗'} {r.text}")
        bad = sum(1 for v in verdicts if not v.eligible)
        click.echo(
            _("Tổng số: {total} đề nghị, {passed} đạt, {failed} không đạt.").format(
                total=len(verdicts), passed=len(verdicts) - bad, failed=bad
            )
        )
    if any(not v.eligible for v in verdicts):
        sys.exit(EXIT_INELIGIBLE)


@cli.command(
    help=N_("Lập Quyết định khen thưởng kèm danh sách, tiền thưởng; tờ trình đề nghị cấp trên.")
)
@ROUND_OPTION
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    help=N_("Thư mục kết quả (quyết định nằm trong <đợt>/quyet-dinh/)."),
)
@click.option("--force", is_flag=True, help=N_("Ghi đè quyết định đã có."))
@PDF_OPTION
@MERGE_OPTION
@click.pass_obj
def decision(
    opts: Options, rounds: tuple[str, ...], out: Path, force: bool, pdf: bool, merge: bool
) -> None:
    ws = api.load_workspace(opts.config, opts.data)
    done = api.render_decisions(ws, opts.templates, out, rounds, force, pdf=pdf, merge=merge)
    from docgen.documents.unverified import in_decisions, warning_lines

    for line in warning_lines(in_decisions(ws, [r.round for r in done])):
        click.echo(line, err=True)
    for run in done:
        if not opts.quiet:
            click.echo(
                _("Đợt {round}: {documents} văn bản trong {folder}/").format(
                    round=run.round.id, documents=len(run.jobs), folder=out / run.folder
                )
            )
            for job in run.jobs:
                click.echo(f"  {job.filename}")
        if run.excluded:  # a warning: shown even with --quiet
            click.echo(
                _("  Không đưa vào quyết định {count} đề nghị không đạt:").format(
                    count=len(run.excluded)
                )
                + "\n"
                + api.ineligible_message(run.excluded),
            )


@cli.command(help=N_("Lập văn bản Kế hoạch từ tệp YAML (mặc định: Kế hoạch 145/KH-UBND có sẵn)."))
@click.argument("plan_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help=N_("Tệp kết quả (mặc định: out/<tên tệp kế hoạch>.docx)."),
)
@click.option("--force", is_flag=True, help=N_("Ghi đè tệp đã có."))
@PDF_OPTION
@click.pass_obj
def plan(opts: Options, plan_file: Path | None, out: Path | None, force: bool, pdf: bool) -> None:
    source = plan_file or api.default_plan(opts.config.parent)
    target = out or Path("out") / f"{source.stem}.docx"
    if pdf:
        from docgen.render.pdf import find_soffice

        find_soffice()
    written = api.render_plan(source, opts.templates, target, force)
    click.echo(_("Đã lập kế hoạch: {path}").format(path=written))
    if pdf:
        from docgen.render.pdf import convert

        click.echo(_("Bản PDF: {path}").format(path=convert([written])[0]))


@cli.group("templates", help=N_("Mẫu văn bản .docx (kể cả mẫu người dùng tự sửa trong Word)."))
def templates_group() -> None:
    """Template commands (help text: see the decorator, translated at start-up)."""


@templates_group.command(
    "check",
    help=N_("Liệt kê biến mỗi mẫu dùng; báo biến dữ liệu không có, lỗi cú pháp, truy cập nội bộ."),
)
@click.pass_obj
def templates_check(opts: Options) -> None:
    from docgen.errors import TemplateError

    ws = api.load_workspace(opts.config, opts.data)
    report = api.check_templates(ws, opts.templates, opts.config.parent)
    click.echo(report.text())
    if report.problems:
        raise TemplateError(
            _("{count} vấn đề trong mẫu ở {folder}:").format(
                count=len(report.problems), folder=opts.templates
            )
            + "\n"
            + "\n".join(f"  - {p}" for p in report.problems)
        )
    click.echo(_("Mọi mẫu trong {folder} đều dùng được với dữ liệu.").format(folder=opts.templates))


@cli.command(
    "export-xlsx",
    help=N_("Ghi đơn vị, điểm, cá nhân, xếp loại và đề nghị vào một bảng tính Excel (.xlsx)."),
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("out/du-lieu.xlsx"),
    show_default=True,
    help=N_("Tệp bảng tính kết quả."),
)
@click.option("--force", is_flag=True, help=N_("Ghi đè tệp đã có."))
@click.option(
    "--no-nominations",
    is_flag=True,
    help=N_("Không ghi trang 'Đề nghị' (đề nghị vẫn nằm trong các tệp đợt)."),
)
@click.pass_obj
def export_xlsx(opts: Options, out: Path, force: bool, no_nominations: bool) -> None:
    from docgen.render.output import check_file

    check_file(out, force)  # before the data is loaded
    ws = api.load_workspace(opts.config, opts.data)
    api.export_data(ws, out, force, nominations=not no_nominations)
    moved = "units.yaml, people.yaml" + (
        "" if no_nominations else _(" và các khóa nominations trong rounds/*.yaml")
    )
    click.echo(
        _("Đã ghi {path}. Để dùng: đặt vào {data}/du-lieu.xlsx và xóa {moved}.").format(
            path=out, data=opts.data, moved=moved
        )
    )


@cli.command(
    "init", help=N_("Tạo bộ hồ sơ mới: config.yaml, dữ liệu mẫu có chú thích, mẫu .docx để tự sửa.")
)
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help=N_("Ghi vào thư mục không trống, đè các tệp cùng tên."))
def init_cmd(directory: Path, force: bool) -> None:
    from docgen.workspace.init import init_workspace

    result = init_workspace(directory, force)
    click.echo(
        _("Đã tạo bộ hồ sơ trong {directory}/ ({count} tệp):").format(
            directory=directory, count=len(result.files)
        )
    )
    for rel in result.files:
        mark = _("  (ghi đè)") if rel in result.overwritten else ""
        click.echo(f"  {rel.as_posix()}{mark}")
    cd = "" if directory.resolve() == Path.cwd().resolve() else f"cd {directory} && "
    click.echo(
        _("Tiếp theo: {cd}docgen validate && docgen check && docgen dossier").format(cd=cd)
        + "\n"
        + _(
            "Sửa các dòng '# SỬA:' trong config.yaml và thay dữ liệu mẫu trong data/"
            " (xem README.txt)."
        )
    )


def _refuse_input_as_output(path: Path, opts: Options) -> None:
    """A report is never written over the data it reports on, not even with --force."""
    from docgen.errors import OutputError

    try:
        target = path.resolve()
        inputs = opts.config.resolve(), Path(opts.data).resolve()
    except (RuntimeError, OSError):  # a symlink loop: the writer reports it
        return
    if target == inputs[0] or target.is_relative_to(inputs[1]):
        raise OutputError(
            _("{path} là tệp dữ liệu đầu vào (trong {data}); hãy chọn tệp kết quả khác.").format(
                path=path, data=opts.data
            )
        )


@cli.command(
    "schema",
    help=N_("Ghi JSON Schema của config.yaml và các tệp dữ liệu (để trình soạn thảo kiểm tra)."),
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("schemas"),
    show_default=True,
    help=N_("Thư mục ghi JSON Schema."),
)
@click.option("--force", is_flag=True, help=N_("Ghi đè tệp đã có."))
def schema_cmd(out: Path, force: bool) -> None:
    for path in api.write_schemas(out, force):
        click.echo(str(path))


#: Exit status after SIGTERM (what systemd, Docker and CI time-outs send): 128 + 15.
EXIT_TERMINATED = 143


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is so that it cleans up as after Ctrl+C."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def _console_fallback(encoding: str) -> Callable[[UnicodeError], tuple[str, int]]:
    """How to write what a legacy console code page (cp1258, cp1252…) cannot show: as near
    as it can — the letter with the tone marks it has (cp1258 has combining tones), else the
    bare letter, else '?' — rather than a UnicodeEncodeError traceback. (The error names
    "charmap", not the code page, so the handler is made for each stream's encoding.)"""
    import unicodedata

    def fits(text: str) -> bool:
        try:
            text.encode(encoding)
        except (UnicodeError, LookupError):
            return False
        return True

    def handler(exc: UnicodeError) -> tuple[str, int]:
        if not isinstance(exc, UnicodeEncodeError):
            raise exc
        shown = []
        for char in exc.object[exc.start : exc.end]:
            decomposed = unicodedata.normalize("NFD", char)
            base, marks = decomposed[0], decomposed[1:]
            kept: list[str] = []
            for mark in marks:
                joined = unicodedata.normalize("NFC", base + mark)
                if len(joined) == 1 and fits(joined):
                    base = joined
                elif fits(mark):
                    kept.append(mark)
            shown.append(base + "".join(kept) if fits(base) else "?")
        return "".join(shown), exc.end

    return handler


def _tolerant_console() -> None:
    """Messages never fail on a console that is not UTF-8 (Windows' redirected streams,
    PYTHONIOENCODING=cp1258): characters it lacks are approximated."""
    import codecs

    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or ""
        if encoding.lower().replace("_", "-").startswith("utf") or not encoding:
            continue
        if hasattr(stream, "reconfigure"):
            name = f"docgen-console-{encoding}"
            codecs.register_error(name, _console_fallback(encoding))
            stream.reconfigure(errors=name)


@cli.command(
    "serve",
    help=N_(
        "Mở trang web của bộ hồ sơ cho cán bộ văn phòng (tổng quan, dữ liệu, lập văn bản); "
        "Ctrl+C để dừng."
    ),
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help=N_("Địa chỉ mở trang; khác 127.0.0.1 thì cần mã truy cập in ra khi chạy."),
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help=N_("Cổng.")
)
@click.option("--open", "open_browser", is_flag=True, help=N_("Mở trang bằng trình duyệt."))
@click.pass_obj
def serve_cmd(opts: Options, host: str, port: int, open_browser: bool) -> None:
    from docgen.web.app import Settings
    from docgen.web.server import serve

    settings = Settings(opts.config, opts.data, opts.templates, host)
    serve(settings, port, open_browser, click.echo)


@cli.group(
    "register", help=N_("Sổ khen thưởng: ghi quyết định đã ký, tra cứu, nhập, xuất, thống kê.")
)
def register_group() -> None:
    """Register commands (help text: see the decorator, translated at start-up)."""


def _award_line(record: AwardRecord) -> str:
    d = record.decision
    return _("{date}  {award} {period} — {decision} của {authority}; số sổ vàng {book}").format(
        date=f"{d.date:%d/%m/%Y}",
        award=record.award_name,
        period=record.label,
        decision=d.reference,
        authority=d.authority,
        book=record.book_number,
    )


def _print_awards(records: list[AwardRecord]) -> None:
    """Grouped by awardee (in order of their newest award), each award newest first."""
    for who in api.by_awardee(records):
        where = f", {who.where}" if who.where else ""
        label = _("tập thể") if who.collective else _("cá nhân")
        click.echo(
            _("{name} ({kind}{where}) — mã: {key}").format(
                name=who.name, kind=label, where=where, key=who.key
            )
        )
        for a in who.awards:
            click.echo("  " + _award_line(a))


@register_group.command(
    "record",
    help=N_(
        "Ghi quyết định đã ký của một đợt (số, ngày do văn thư cấp) cùng mọi tập thể, cá nhân "
        "được khen; đánh số sổ vàng. Một giao dịch: ghi hết hoặc không ghi gì."
    ),
)
@click.option(
    "--round", "round_id", required=True, shell_complete=_complete_round, help=N_("Mã đợt.")
)
@click.option("--number", required=True, help=N_("Số quyết định ('1205' hoặc '1205/QĐ-UBND')."))
@click.option("--date", "day", required=True, help=N_("Ngày ký: dd/mm/yyyy hoặc yyyy-mm-dd."))
@click.pass_obj
def register_record(opts: Options, round_id: str, number: str, day: str) -> None:
    ws = api.load_workspace(opts.config, opts.data)
    register = api.register_path(opts.config, ws.config)
    stored = api.record_decision(ws, register, round_id, number, day)
    if opts.quiet:
        return
    decision = stored[0].decision
    click.echo(
        _("Đã ghi vào sổ {path}: {decision}, {count} tập thể, cá nhân:").format(
            path=register, decision=decision.reference, count=len(stored)
        )
    )
    for a in stored:
        click.echo(
            _("  số sổ vàng {book}: {name} — {award}").format(
                book=a.book_number, name=a.name, award=a.award_name
            )
        )


@register_group.command("find", help=N_("Tìm tập thể, cá nhân theo tên, mã hoặc đơn vị."))
@click.argument("text")
@click.pass_obj
def register_find(opts: Options, text: str) -> None:
    found = api.find_awards(api.register_location(opts.config), text)
    if not found:
        click.echo(_("Không tìm thấy '{text}' trong sổ khen thưởng.").format(text=text))
        return
    _print_awards(found)


@register_group.command(
    "show", help=N_("Các hình thức khen thưởng của một tập thể, cá nhân (theo mã).")
)
@click.argument("key", metavar="ID")
@click.pass_obj
def register_show(opts: Options, key: str) -> None:
    _print_awards(api.show_awardee(api.register_location(opts.config), key))


@register_group.command(
    "import",
    help=N_(
        "Nhập khen thưởng các năm trước từ bảng tính (trang 'Khen thưởng'); có lỗi thì không "
        "nhập gì."
    ),
)
@click.argument("xlsx", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def register_import(opts: Options, xlsx: Path) -> None:
    ws = api.load_workspace(opts.config, opts.data)
    register = api.register_path(opts.config, ws.config)
    stored = api.import_awards(ws, register, xlsx)
    decisions = len({a.decision.id for a in stored})
    click.echo(
        _("Đã nhập vào sổ {path}: {decisions} quyết định, {count} tập thể, cá nhân.").format(
            path=register, decisions=decisions, count=len(stored)
        )
    )


@register_group.command(
    "export", help=N_("Ghi toàn bộ sổ khen thưởng ra bảng tính (nhập lại được).")
)
@click.argument("xlsx", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help=N_("Ghi đè tệp đã có."))
@click.pass_obj
def register_export(opts: Options, xlsx: Path, force: bool) -> None:
    count = api.export_awards(api.register_location(opts.config), xlsx, force)
    click.echo(_("Đã ghi {count} dòng vào {path}.").format(count=count, path=xlsx))


@register_group.command(
    "backup", help=N_("Sao lưu sổ khen thưởng (bản nhất quán, kể cả khi đang có người dùng).")
)
@click.argument("target", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help=N_("Ghi đè tệp đã có."))
@click.pass_obj
def register_backup(opts: Options, target: Path, force: bool) -> None:
    path = api.backup_register(api.register_location(opts.config), target, force)
    click.echo(_("Đã sao lưu sổ khen thưởng vào {path}.").format(path=path))


@register_group.command(
    "report",
    help=N_(
        "Thống kê khen thưởng của một năm (quyết định ký trong năm): theo đơn vị, theo hình "
        "thức, tập thể và cá nhân, tiền thưởng."
    ),
)
@click.option("--year", type=int, required=True, help=N_("Năm ký quyết định."))
@click.option(
    "--xlsx",
    "xlsx_out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help=N_("Ghi thêm bảng tính .xlsx có biểu đồ cột theo đơn vị."),
)
@click.option("--force", is_flag=True, help=N_("Ghi đè tệp đã có."))
@click.pass_obj
def register_report_cmd(opts: Options, year: int, xlsx_out: Path | None, force: bool) -> None:
    from docgen import vnformat as vn

    report = api.register_report(api.register_location(opts.config), year, xlsx_out, force)
    click.echo(
        _("Khen thưởng năm {year}: {decisions} quyết định").format(
            year=year, decisions=report.decisions
        )
    )
    for title, lines in (
        (_("Theo đơn vị:"), report.by_unit),
        (_("Theo hình thức:"), report.by_award),
    ):
        click.echo(title)
        for line in lines:
            click.echo(
                _("  {label}: {collectives} tập thể, {persons} cá nhân, {money}").format(
                    label=line.label,
                    collectives=line.collectives,
                    persons=line.persons,
                    money=vn.format_money(line.money),
                )
            )
    t = report.total
    click.echo(
        _("Tổng cộng: {collectives} tập thể, {persons} cá nhân, tiền thưởng {money}.").format(
            collectives=t.collectives, persons=t.persons, money=vn.format_money(t.money)
        )
    )
    if xlsx_out is not None:
        click.echo(_("Đã ghi {path}.").format(path=xlsx_out))


@cli.command(
    "certificate",
    help=N_(
        "In Giấy khen cho mọi tập thể, cá nhân của quyết định đã ghi vào sổ (docgen register "
        "record), kèm một tệp ghép để in; --blank: chỉ in phần chữ lên phôi in sẵn."
    ),
)
@click.option(
    "--round", "round_id", default=None, shell_complete=_complete_round, help=N_("Mã đợt.")
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    help=N_("Thư mục kết quả (Giấy khen nằm trong <đợt>/giay-khen/)."),
)
@click.option(
    "--blank", default=None, metavar="PROFILE", help=N_("Tên mẫu phôi trong config.yaml.")
)
@click.option(
    "--calibrate",
    default=None,
    metavar="PROFILE",
    help=N_("In trang căn chỉnh (lưới mm và ô của từng trường) của mẫu phôi, dạng PDF."),
)
@PDF_OPTION
@click.option("--force", is_flag=True, help=N_("Ghi đè tệp đã có."))
@click.pass_obj
def certificate_cmd(
    opts: Options,
    round_id: str | None,
    out: Path,
    blank: str | None,
    calibrate: str | None,
    pdf: bool,
    force: bool,
) -> None:
    ws = api.load_workspace(opts.config, opts.data)
    if calibrate is not None:
        target = out / f"can-chinh-{calibrate}.pdf"
        api.calibration_page(ws, calibrate, target, force)
        click.echo(_("Đã ghi trang căn chỉnh {path}.").format(path=target))
        return
    if round_id is None:
        raise click.UsageError(_("cần --round (hoặc --calibrate PROFILE)"))
    run = api.render_certificates(
        ws,
        opts.templates,
        out,
        round_id,
        register=api.register_path(opts.config, ws.config),
        base=opts.config.parent,
        blank=blank,
        pdf=pdf,
        force=force,
    )
    if opts.quiet:
        return
    click.echo(
        _("Đợt {round}: {count} Giấy khen trong {folder}/ (in tất cả: {merged})").format(
            round=run.round.id, count=len(run.files), folder=out / run.folder, merged=run.merged
        )
    )
    for name, award in zip(run.files, run.awards, strict=True):
        click.echo(
            _("  {file}: {name}, số sổ vàng {book}").format(
                file=name, name=award.name, book=award.book_number
            )
        )


def main() -> None:
    """Entry point: every user error ends with a plain message and exit status 1; Ctrl+C and
    SIGTERM end the run with the previous output kept and nothing left behind."""
    import signal

    _tolerant_console()
    use_language(_lang_from_args(sys.argv[1:]))
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        cli.main(prog_name="docgen", standalone_mode=False)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, Terminated):
            _stopped(EXIT_TERMINATED)
        click.echo(_("Đã dừng."), err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except DocgenError as exc:
        click.echo(_("Lỗi: {error}").format(error=exc), err=True)
        sys.exit(1)
    except OSError as exc:  # the environment, not docgen: a full disk, a file-size limit
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(
            _("Lỗi: {error}").format(
                error=_("lỗi đọc/ghi tệp: {where}{reason}").format(
                    where=where, reason=exc.strerror or exc
                )
            ),
            err=True,
        )
        sys.exit(1)
    except Terminated:
        _stopped(EXIT_TERMINATED)
    except KeyboardInterrupt:
        _stopped(130)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stopped(code: int) -> NoReturn:
    if code == EXIT_TERMINATED:
        click.echo(_("Đã dừng (nhận tín hiệu SIGTERM); kết quả cũ được giữ nguyên."), err=True)
    else:
        click.echo(_("Đã dừng; kết quả cũ được giữ nguyên."), err=True)
    sys.exit(code)
