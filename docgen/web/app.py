"""The page's routes: server-rendered Jinja2 pages over docgen.main, nothing else.

Safety (the page takes files from people): bound to 127.0.0.1 it answers only requests
addressed to this machine's own names; bound to anything else, every request needs the token
printed at start. Every form that changes something carries a per-session CSRF token.
Uploads are limited in size and type and read with the CLI's own limits; downloads are
served by opaque job ids and file numbers from fresh temporary folders. Every failure is a
plain page in the language in use, never a traceback.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import shutil
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from werkzeug.exceptions import HTTPException

from docgen import i18n
from docgen import main as api
from docgen.errors import DocgenError, Problem, ValidationError
from docgen.i18n import N_, _
from docgen.web.jobs import Job, Jobs, Progress
from docgen.web.previews import Previews

#: Largest upload accepted: the workbook reader's own limit (20 MB) and room for the form.
MAX_UPLOAD = 21 * 1024 * 1024
#: Names this machine answers to when bound to the loopback address (a web page elsewhere
#: that makes the browser call 127.0.0.1 under its own name is refused: DNS rebinding).
LOCAL_NAMES = {"127.0.0.1", "localhost", "::1"}
CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
#: One upload is taken in at a time (each replaces the data folder).
_IMPORT_LOCK = threading.Lock()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    """The workspace the page serves and how it is reached."""

    config: Path
    data: Path
    templates: Path
    host: str = "127.0.0.1"
    #: required of every request when set (always set when not bound to loopback)
    token: str | None = None

    @property
    def base(self) -> Path:
        return self.config.parent


def new_token() -> str:
    return secrets.token_urlsafe(18)


def create_app(
    settings: Settings, jobs: Jobs | None = None, previews: Previews | None = None
) -> Flask:
    """The page's application; `jobs.close()` (app.extensions['docgen_jobs']) and
    `previews.close()` (app.extensions['docgen_previews']) when done. Without `previews`,
    each PDF preview starts a fresh LibreOffice (the server passes a warm one)."""
    if not is_loopback(settings.host) and not settings.token:
        raise DocgenError(
            _("máy chủ mở cho địa chỉ {host} phải có mã truy cập").format(host=settings.host)
        )
    app = Flask(__name__)
    app.secret_key = secrets.token_bytes(32)
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_UPLOAD,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="docgen_session",
    )
    app.extensions["docgen_jobs"] = jobs = jobs or Jobs()
    app.extensions["docgen_previews"] = previews = previews or Previews(warm=False)
    app.jinja_env.globals.update(
        _=i18n.gettext, ngettext=i18n.ngettext, csrf_token=_csrf_token, lang=i18n.language
    )
    app.jinja_env.filters["vn_date"] = lambda d: d.strftime("%d/%m/%Y")
    _guards(app, settings)
    _errors(app)
    _pages(app, settings, jobs, previews)
    return app


# ---------------------------------------------------------------------------------------------
# Safety


def _csrf_token() -> str:
    token = session.get("csrf")
    if not isinstance(token, str):
        token = session["csrf"] = secrets.token_urlsafe(24)
    return token


def _same(a: object, b: str) -> bool:
    return isinstance(a, str) and hmac.compare_digest(a.encode(), b.encode())


def _guards(app: Flask, settings: Settings) -> None:
    @app.before_request
    def guard() -> Any:
        if is_loopback(settings.host):
            name = urlsplit("//" + request.host).hostname or ""
            if name not in LOCAL_NAMES:
                abort(403, _("Trang chỉ mở được từ chính máy này (127.0.0.1, localhost)."))
        if settings.token and not session.get("auth"):
            given = request.args.get("token")
            if given is not None and _same(given, settings.token):
                session["auth"] = True
                return redirect(request.path)
            if request.endpoint not in ("login", "static"):
                return redirect(url_for("login"))
        if request.method in CHANGING and not _same(
            request.form.get("csrf"), session.get("csrf") or "\0"
        ):
            abort(403, _("Biểu mẫu đã hết hạn hoặc không gửi từ trang này; hãy tải lại trang."))
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; frame-ancestors 'self'; object-src 'self'"
        )
        return response

    @app.route("/dang-nhap", methods=["GET", "POST"])
    def login() -> Any:
        wrong = False
        if request.method == "POST":
            if settings.token and _same(request.form.get("token"), settings.token):
                session["auth"] = True
                return redirect(url_for("overview"))
            wrong = True
        return render_template("login.html", wrong=wrong), 403 if wrong else 200


#: Page titles of the HTTP errors a user can meet.
_HTTP_TITLES = {
    400: N_("Yêu cầu không hợp lệ"),
    403: N_("Không được phép"),
    404: N_("Không tìm thấy trang"),
    405: N_("Yêu cầu không hợp lệ"),
    413: N_("Tệp quá lớn"),
}


def _errors(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        title = _(_HTTP_TITLES.get(code, "Có lỗi xảy ra"))
        if code == 413:
            message = _(
                "Tệp tải lên lớn hơn {mb} MB; bảng tính dữ liệu chỉ cần vài chục KB."
            ).format(mb=MAX_UPLOAD // 1_048_576 - 1)
        elif code == 404:
            message = _("Địa chỉ này không có trên trang, hoặc kết quả đã bị xóa sau thời hạn.")
        elif isinstance(exc.description, str) and code == 403:
            message = exc.description
        else:
            message = _("Yêu cầu không hợp lệ; hãy quay lại trang trước và thử lại.")
        return render_template("error.html", title=title, message=message, problems=[]), code

    @app.errorhandler(DocgenError)
    def user_error(exc: DocgenError) -> tuple[str, int]:
        if isinstance(exc, ValidationError):
            return render_template(
                "error.html",
                title=_("Dữ liệu có lỗi"),
                message=_("Sửa các lỗi dưới đây (trong bảng tính hoặc tệp dữ liệu) rồi thử lại."),
                problems=rows(exc.problems),
            ), 422
        return render_template(
            "error.html", title=_("Chưa làm được"), message=str(exc), problems=[]
        ), 422

    @app.errorhandler(Exception)
    def bug(exc: Exception) -> tuple[str, int]:
        traceback.print_exception(exc, file=sys.stderr)
        return render_template(
            "error.html",
            title=_("Có lỗi xảy ra"),
            message=_(
                "Có lỗi không mong muốn; chi tiết ở cửa sổ chạy docgen. Dữ liệu không bị thay đổi."
            ),
            problems=[],
        ), 500


@dataclass(frozen=True)
class Row:
    """A problem as a row of the page's table: a workbook's sheet and cell, or a file's line."""

    file: str
    sheet: str
    cell: str
    line: str
    key: str
    message: str
    hint: str


def rows(problems: list[Problem]) -> list[Row]:
    out = []
    for p in problems:
        sheet, _sep, cell = p.cell.rpartition("!")
        out.append(
            Row(
                Path(p.file).name,
                sheet.strip("'"),
                cell,
                "" if p.line is None else str(p.line),
                p.path,
                p.message,
                p.hint,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Pages


def _pages(app: Flask, settings: Settings, jobs: Jobs, previews: Previews) -> None:
    def workspace() -> Any:
        return api.load_workspace(settings.config, settings.data)

    def register_of(ws: Any) -> Path:
        return api.register_path(settings.config, ws.config)

    @app.route("/")
    def overview() -> str:
        ws = workspace()
        today = date.today()
        summaries = api.summarize_rounds(ws, today, register_of(ws))
        in_rounds: dict[str, list[str]] = {}
        for s in summaries:
            for sub in s.round.submissions:
                in_rounds.setdefault(sub.unit, []).append(s.round.id)
        return render_template(
            "overview.html",
            ws=ws,
            summaries=summaries,
            today=today,
            units=sorted(ws.units.values(), key=lambda u: u.name),
            in_rounds=in_rounds,
            folder=settings.base.resolve().name,
        )

    @app.route("/dot/<round_id>")
    def round_page(round_id: str) -> str:
        ws = workspace()
        if round_id not in ws.rounds:
            abort(404)
        rnd = ws.rounds[round_id]
        verdicts = api.check_rounds(ws, [round_id], register_of(ws))
        unit = request.args.get("don-vi", "")
        shown = [v for v in verdicts if not unit or v.submission_unit == unit]
        shown.sort(key=lambda v: v.eligible)  # failures first, otherwise in the data's order
        return render_template(
            "round.html",
            ws=ws,
            rnd=rnd,
            verdicts=shown,
            all_count=len(verdicts),
            failed=sum(1 for v in verdicts if not v.eligible),
            unit=unit,
            units=[(s.unit, ws.units[s.unit].name) for s in rnd.submissions],
        )

    @app.route("/du-lieu")
    def data_page() -> str:
        return render_template("data.html", result=None, problems=[])

    @app.route("/du-lieu/du-lieu.xlsx")
    def data_download() -> Response:
        ws = workspace()
        folder = Path(tempfile.mkdtemp(prefix="docgen-xlsx-"))
        try:
            path = api.export_data(ws, folder / "du-lieu.xlsx")
            content = path.read_bytes()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        response = Response(
            content,
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response.headers["Content-Disposition"] = "attachment; filename=du-lieu.xlsx"
        return response

    @app.route("/du-lieu", methods=["POST"])
    def data_upload() -> tuple[str, int]:
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise DocgenError(_("chưa chọn tệp để tải lên"))
        name = upload.filename
        folder = Path(tempfile.mkdtemp(prefix="docgen-upload-"))
        try:
            path = folder / ("upload" + Path(name).suffix.lower()[:8])
            upload.save(path)
            try:
                with _IMPORT_LOCK:
                    done = api.import_data(settings.config, settings.data, path, name)
            except ValidationError as exc:
                return render_template(
                    "data.html", result=None, problems=rows(exc.problems), name=name
                ), 422
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        ws = done.workspace
        return render_template(
            "data.html",
            result=_(
                "Đã nhập {name}: {units} đơn vị, {people} cá nhân, {rounds} đợt. "
                "Dữ liệu cũ được lưu tại {backup}."
            ).format(
                name=Path(name).name,
                units=len(ws.units),
                people=len(ws.people),
                rounds=len(ws.rounds),
                backup=f"{done.backup.parent.name}/{done.backup.name}",
            ),
            problems=[],
        ), 200

    @app.route("/lap-van-ban")
    def make_page() -> str:
        ws = workspace()
        return render_template(
            "make.html",
            rounds=api.select_rounds(ws, ()),
            units=sorted(
                {s.unit for r in ws.rounds.values() for s in r.submissions},
                key=lambda u: ws.units[u].name,
            ),
            ws=ws,
        )

    @app.route("/lap-van-ban", methods=["POST"])
    def make() -> Response:
        ws = workspace()
        kind = request.form.get("kind", "")
        pdf = request.form.get("pdf") == "1"
        round_ids = [r for r in [request.form.get("round", "")] if r]
        unit_ids = [u for u in [request.form.get("unit", "")] if u]
        work: Callable[[Path, Progress], None]
        if kind == "dossier":
            allow = request.form.get("allow_ineligible") == "1"
            register = register_of(ws)
            history = api.load_history(ws, register)
            dossiers = api.plan_dossiers(ws, round_ids, unit_ids, history)  # unknown: an error
            failing = api.ineligible_in(ws, dossiers, history)
            if failing and not allow:
                raise DocgenError(
                    _(
                        "{n} đề nghị không đạt tiêu chuẩn của kế hoạch; chọn 'Vẫn lập hồ sơ khi "
                        "có đề nghị không đạt' để vẫn lập:"
                    ).format(n=len(failing))
                    + "\n"
                    + api.ineligible_message(failing)
                )
            title = _("Hồ sơ đề nghị khen thưởng") + _label(ws, round_ids, unit_ids)
            zip_name = "-".join(["ho-so", *round_ids, *unit_ids]) + ".zip"

            def work(out: Path, progress: Progress) -> None:
                api.render_dossiers(
                    workspace(),
                    settings.templates,
                    out,
                    round_ids,
                    unit_ids,
                    allow_ineligible=allow,
                    jobs=1,  # the server's threads must not fork: one process renders
                    pdf=pdf,
                    progress=progress,
                    register=register,
                )

        elif kind == "decision":
            api.select_rounds(ws, round_ids)
            title = _("Quyết định khen thưởng") + _label(ws, round_ids, [])
            zip_name = "-".join(["quyet-dinh", *round_ids]) + ".zip"

            def work(out: Path, progress: Progress) -> None:
                api.render_decisions(workspace(), settings.templates, out, round_ids, pdf=pdf)

        elif kind == "plan":
            title = _("Kế hoạch thi đua")
            zip_name = "ke-hoach.zip"
            source = api.default_plan(settings.base)

            def work(out: Path, progress: Progress) -> None:
                written = api.render_plan(source, settings.templates, out / f"{source.stem}.docx")
                if pdf:
                    api.pdf_copies([written])

        else:
            abort(400)
        job = jobs.start(title, zip_name, work)
        return redirect(url_for("job_page", job_id=job.id), 303)  # type: ignore[return-value]

    def job_of(job_id: str) -> Job:
        try:
            return jobs.get(job_id)
        except KeyError:
            abort(404)

    @app.route("/ket-qua/<job_id>")
    def job_page(job_id: str) -> str:
        job = job_of(job_id)
        return render_template(
            "job.html",
            job=job,
            problems=rows(job.problems),
            previewable=[f.suffix in (".docx", ".pdf") for f in job.files],
        )

    @app.route("/ket-qua/<job_id>/trang-thai")
    def job_status(job_id: str) -> Response:
        job = job_of(job_id)
        return jsonify(state=job.state, done=job.done, total=job.total)

    @app.route("/ket-qua/<job_id>/tat-ca.zip")
    def job_zip(job_id: str) -> Response:
        job = job_of(job_id)
        if job.state != "done":
            abort(404)
        return send_file(job.archive(), as_attachment=True, download_name=job.zip_name)

    def file_of(job_id: str, number: int) -> tuple[Job, Path]:
        """A job's file by its number in the job's list (404 for anything else)."""
        job = job_of(job_id)
        try:
            return job, job.file(number)
        except KeyError:
            abort(404)

    @app.route("/ket-qua/<job_id>/tep/<int:number>")
    def job_file(job_id: str, number: int) -> Response:
        _job, path = file_of(job_id, number)
        return send_file(path, as_attachment=True, download_name=path.name)

    @app.route("/ket-qua/<job_id>/xem/<int:number>")
    def preview_page(job_id: str, number: int) -> str:
        job, path = file_of(job_id, number)
        return render_template("preview.html", job=job, number=number, name=path.name)

    @app.route("/ket-qua/<job_id>/pdf/<int:number>")
    def preview_pdf(job_id: str, number: int) -> Response:
        job, path = file_of(job_id, number)
        pdf = _pdf_of(job, number, path, previews)
        return send_file(
            pdf, mimetype="application/pdf", download_name=path.with_suffix(".pdf").name
        )

    @app.route("/so-khen-thuong")
    def register_page() -> str:
        ws = workspace()
        register = register_of(ws)
        query = request.args.get("q", "").strip()
        found = api.find_awards(register, query) if query and register.exists() else []
        return render_template(
            "register.html",
            rounds=api.select_rounds(ws, ()),
            path=register.name,
            query=query,
            groups=api.by_awardee(found),
            recorded=[],
        )

    @app.route("/so-khen-thuong/ho-so")
    def awardee_page() -> str:
        ws = workspace()
        register = register_of(ws)
        key = request.args.get("ma", "")
        awards = api.show_awardee(register, key) if key and register.exists() else []
        if not awards:
            abort(404)
        (group,) = api.by_awardee(awards)
        return render_template("awardee.html", g=group)

    @app.route("/so-khen-thuong/xem-truoc", methods=["POST"])
    def register_preview() -> str:
        ws = workspace()
        form = {k: request.form.get(k, "").strip() for k in ("round", "number", "date")}
        awards, problems = api.preview_decision(
            ws, register_of(ws), form["round"], form["number"], form["date"]
        )
        return render_template("record_preview.html", form=form, awards=awards, problems=problems)

    @app.route("/so-khen-thuong/ghi", methods=["POST"])
    def register_record() -> str:
        ws = workspace()
        register = register_of(ws)
        with _IMPORT_LOCK:
            stored = api.record_decision(
                ws,
                register,
                request.form.get("round", ""),
                request.form.get("number", "").strip(),
                request.form.get("date", "").strip(),
            )
        return render_template(
            "register.html",
            rounds=api.select_rounds(ws, ()),
            path=register.name,
            query="",
            groups=[],
            recorded=stored,
        )


def _label(ws: Any, round_ids: list[str], unit_ids: list[str]) -> str:
    parts = [ws.rounds[r].label for r in round_ids] + [ws.units[u].name for u in unit_ids]
    return (" — " + ", ".join(parts)) if parts else ""


def _pdf_of(job: Job, number: int, path: Path, previews: Previews) -> Path:
    """The PDF of a job's document: itself, the one made beside it, or one made now (by the
    server's warm LibreOffice), kept for the next look."""
    if path.suffix == ".pdf":
        return path
    if path.suffix != ".docx":
        abort(404)
    beside = path.with_suffix(".pdf")
    if beside.is_file():
        return beside
    folder = job.root / "xem"
    target = folder / f"{number}.pdf"
    with job.lock:
        if not target.is_file():
            folder.mkdir(exist_ok=True)
            partial = folder / f"{number}.pdf.part"
            partial.write_bytes(previews.pdf(path))
            partial.replace(target)  # never a half-written PDF served later
    return target
