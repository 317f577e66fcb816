"""Render .docx templates with docxtpl in a safe, strict Jinja environment, fast.

Always autoescape (docxtpl otherwise drops "&" and "<" silently) and StrictUndefined (a
missing value is an error, never a blank); sandboxed, because templates may come from users.

A :class:`Renderer` prepares each template once (docgen.fastrender: docxtpl's preprocessing
and a compiled Jinja template per part) and then only renders text and writes a zip per
document; :meth:`Renderer.render_many` spreads a batch over processes. Jinja, docxtpl and
lxml are imported on first use, so the CLI starts without them.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn, Protocol, TypeAlias

from docgen import vnformat as vn
from docgen.errors import DocgenError, OutputError, TemplateError
from docgen.i18n import _

if TYPE_CHECKING:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    from docgen.render.fast import PreparedTemplate, _Sources

__all__ = ["Renderer", "Task", "TaskGroup", "cpu_count", "make_environment"]

#: One document: template name, its context, the file to write.
Task: TypeAlias = tuple[str, dict[str, Any], Path]


class TaskGroup(Protocol):
    """Documents whose contexts are made together, only when rendered (one dossier).

    Workers are forked after the groups exist, so they make the contexts of the groups they
    are given themselves: the parent sends index ranges, never contexts.
    """

    def __len__(self) -> int: ...

    def tasks(self) -> Iterable[Task]: ...


#: Documents per message to a worker: pickled together, a dossier's shared data goes once.
CHUNK: Final = 32
#: Fewer documents than this per worker and starting the worker costs more than it saves.
MIN_DOCUMENTS_PER_WORKER: Final = 64
#: Chunks in flight per worker: one to render, one waiting (while this process renders its
#: own chunk), so it is never idle; few, so that memory stays flat.
IN_FLIGHT_PER_WORKER: Final = 2
#: How often an idle worker checks that its parent is still alive.
PARENT_CHECK_SECONDS: Final = 1.0
#: prctl(2) option: the signal this process gets when its parent dies.
PR_SET_PDEATHSIG: Final = 1


def make_environment(style: vn.WordStyle) -> SandboxedEnvironment:
    """The one Jinja environment every document is rendered with."""
    import jinja2

    from docgen.render.limits import BoundedSandbox

    env = BoundedSandbox(autoescape=True, undefined=jinja2.StrictUndefined)
    vn.register_filters(env, style)
    return env


def cpu_count() -> int:
    """CPUs this process may run on (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Renderer:
    """Renders named templates from one folder into .docx files.

    Templates are prepared on first use and kept; the same template and context always
    give the same bytes.
    """

    def __init__(self, templates_dir: Path, style: vn.WordStyle) -> None:
        self.templates_dir = templates_dir
        self.style = style
        self._env: SandboxedEnvironment | None = None
        self._sources: _Sources | None = None
        self._prepared: dict[str, PreparedTemplate] = {}

    @property
    def env(self) -> SandboxedEnvironment:
        if self._env is None:
            self._env = make_environment(self.style)
        return self._env

    def path_of(self, name: str) -> Path:
        path = self.templates_dir / name
        if not path.is_file():
            raise TemplateError(_("không tìm thấy mẫu văn bản {path}").format(path=path))
        return path

    def prepare(self, name: str) -> PreparedTemplate:
        """Read, patch and compile template `name` once; errors name the template."""
        prepared = self._prepared.get(name)
        if prepared is None:
            from docgen.render.fast import PreparedTemplate, _Sources

            path = self.path_of(name)
            if self._sources is None:
                self._sources = _Sources(self.env)
            from docgen.render.limits import check_package, time_limit

            try:
                check_package(path)
                with time_limit(_("chuẩn bị mẫu")):
                    prepared = PreparedTemplate(path, self._sources)
            except Exception as exc:
                _reraise(name, exc)
            self._prepared[name] = prepared
        return prepared

    def render_bytes(self, name: str, context: dict[str, Any]) -> bytes:
        """The .docx of template `name` rendered with `context`."""
        from docgen.render.limits import time_limit

        prepared = self._prepared.get(name) or self.prepare(name)
        try:
            with time_limit(_("dựng văn bản")):
                return prepared.render(context)
        except Exception as exc:
            line = _template_line(exc)
            _reraise(name, exc, prepared.paragraph_at(line) if line else "")

    def render(self, name: str, context: dict[str, Any], dest: Path) -> None:
        """Render template `name` with `context` into `dest`."""
        _write(dest, self.render_bytes(name, context))

    def render_many(
        self,
        tasks: Iterable[Task],
        jobs: int | None = None,
        count: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Render every task, on up to `jobs` processes (default: every CPU); return how many.

        This process renders too; each of the `jobs - 1` workers receives chunks of tasks
        (contexts, never documents) and writes the files itself. Only a few chunks are in
        flight and `tasks` is consumed lazily, so memory stays flat however many documents
        there are. With `count` (the number of tasks) small batches stay in this process,
        where they are faster. The first failure stops the batch and is raised here; the
        files already written are the caller's to discard (render_dossiers stages them).
        """
        advance = progress or (lambda n: None)  # `progress(n)`: n more documents are done
        workers = _worker_count(jobs, count)
        if workers == 1:
            done = 0
            for name, context, dest in tasks:
                self.render(name, context, dest)
                done += 1
                advance(1)
            return done
        chunks = (_Chunk(len(c), tasks=c) for c in _chunks(tasks, CHUNK))
        return _render_in_processes(self, chunks, workers, advance)

    def render_groups(
        self,
        groups: Sequence[TaskGroup],
        jobs: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Render every group's tasks, like render_many, but each process makes the contexts
        of the documents it renders: workers are sent index ranges of `groups` (which they
        inherit when forked), so no context is made twice or pickled, and none is held
        longer than its group takes to render. Where processes are spawned, not forked, the
        contexts are made here and sent as render_many sends them.
        """
        advance = progress or (lambda n: None)
        count = sum(len(g) for g in groups)
        workers = _worker_count(jobs, count)
        if workers == 1:
            tasks = (task for group in groups for task in group.tasks())
            return self.render_many(tasks, 1, count, advance)
        return _render_in_processes(self, _spans(groups), workers, advance, groups)


def _write(dest: Path, data: bytes) -> None:
    """Write one document; a full disk or a file-size limit is the user's to fix, plainly."""
    try:
        dest.write_bytes(data)
    except OSError as exc:
        raise OutputError(
            _("không ghi được {path}: {reason}").format(path=dest, reason=exc.strerror or exc)
        ) from exc


def _template_line(exc: BaseException) -> int | None:
    """The template line a runtime error happened on (Jinja maps its frames to '<template>')."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _reraise(name: str, exc: Exception, paragraph: str = "") -> NoReturn:
    """Raise docxtpl's, Jinja's, the zip reader's and expressions' errors as TemplateError."""
    import zipfile

    import jinja2
    from docx.opc.exceptions import OpcError

    where = _near(paragraph) if paragraph else ""
    if isinstance(exc, DocgenError):  # found by docgen itself (fast.unfaithful, limits)
        raise TemplateError(_in_template(name, str(exc)) + where) from exc
    if isinstance(exc, jinja2.TemplateError):
        text = _describe(name, exc)
        raise TemplateError(text if _near("") in text else text + where) from exc
    if _template_line(exc) is not None:
        # an expression in the template failed while rendering (x / 0, range(10**9), a filter
        # given the wrong kind of value): the template's fault, to be shown plainly
        what = _("biểu thức trong mẫu bị lỗi khi tính: {error}").format(
            error=f"{type(exc).__name__}: {exc}"
        )
        raise TemplateError(_in_template(name, what) + where) from exc
    if isinstance(exc, KeyError | ValueError | OSError | zipfile.BadZipFile | OpcError):
        # a .docx that is not a Word file, or a damaged one
        what = _("không đọc được tệp Word ({error})").format(error=exc)
        raise TemplateError(_in_template(name, what)) from exc
    raise exc


def _near(paragraph: str) -> str:
    """The line that shows where in the document a template error is."""
    return "\n    " + _("gần đoạn: {text}").format(text=paragraph)


def _in_template(name: str, what: str) -> str:
    return _("mẫu {name}: {problem}").format(name=name, problem=what)


def _describe(name: str, exc: jinja2.TemplateError) -> str:
    """Name the template, the problem, and the paragraph text around it."""
    import jinja2

    if isinstance(exc, jinja2.UndefinedError):
        what = _("biến không có trong dữ liệu: {error}").format(error=exc.message)
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        what = _("lỗi cú pháp Jinja: {error}").format(error=exc.message)
    elif isinstance(exc, jinja2.exceptions.SecurityError):
        what = _("mẫu truy cập thuộc tính không được phép: {error}").format(error=exc)
    else:
        what = str(exc)
    around = [
        line.strip()
        for line in getattr(exc, "docx_context", None) or []
        if isinstance(line, str) and line.strip()
    ]
    text = _in_template(name, what)
    if around:
        text += _near(" | ".join(around)[:300])
    return text


# ------------------------------------------------------------------------------ processes


def _worker_count(jobs: int | None, count: int | None) -> int:
    wanted = cpu_count() if jobs is None else jobs
    if wanted < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if count is not None:
        wanted = min(wanted, max(1, count // MIN_DOCUMENTS_PER_WORKER))
    return wanted


def _chunks(tasks: Iterable[Task], size: int) -> Iterator[list[Task]]:
    chunk: list[Task] = []
    for task in tasks:
        chunk.append(task)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Chunk:
    """Documents rendered together: explicit tasks, or groups[start:stop] of render_groups."""

    __slots__ = ("size", "span", "tasks")

    def __init__(
        self, size: int, tasks: list[Task] | None = None, span: tuple[int, int] | None = None
    ) -> None:
        self.size, self.tasks, self.span = size, tasks, span

    def resolve(self, groups: Sequence[TaskGroup] | None) -> Iterable[Task]:
        """The tasks, their contexts made now for a span."""
        if self.tasks is not None:
            return self.tasks
        assert groups is not None and self.span is not None
        start, stop = self.span
        return (task for group in groups[start:stop] for task in group.tasks())


def _spans(groups: Sequence[TaskGroup]) -> Iterator[_Chunk]:
    """Consecutive groups of about CHUNK documents in all (whole groups, at least one)."""
    start, size = 0, 0
    for i, group in enumerate(groups):
        size += len(group)
        if size >= CHUNK:
            yield _Chunk(size, span=(start, i + 1))
            start, size = i + 1, 0
    if start < len(groups):
        yield _Chunk(size, span=(start, len(groups)))


class _Worker:
    """A helper process with its own pipe: chunks of tasks go in, counts or errors come out.

    No threads and no shared queue (multiprocessing.Pool's worker-handler thread spins
    while results wait to be read, taking a core's share from the workers).
    """

    def __init__(
        self,
        context: Any,
        renderer: Renderer,
        groups: Sequence[TaskGroup] | None,
        others: Sequence[_Worker] = (),
    ) -> None:
        ours, theirs = context.Pipe()
        # under fork the worker inherits the prepared templates and the groups; spawn
        # pickles the arguments, so it gets the renderer's recipe and explicit tasks only
        self.fork = context.get_start_method() == "fork"
        seed: Any = renderer if self.fork else (renderer.templates_dir, renderer.style)
        self.groups = groups if self.fork else None
        # a forked worker inherits this process's ends of every pipe (its own and the earlier
        # workers'): it closes them, so that this process's death reads as end-of-file there
        inherited = [ours, *(w.conn for w in others)] if self.fork else []
        self.process = context.Process(
            target=_work, args=(theirs, seed, self.groups, os.getpid(), inherited), daemon=True
        )
        self.process.start()
        theirs.close()  # so that a dead worker reads as end-of-file here
        self.conn: Any = ours
        self.pending = 0

    def send(self, chunk: _Chunk, groups: Sequence[TaskGroup] | None) -> None:
        message: Any
        if chunk.span is not None and self.groups is not None:
            message = chunk.span  # the worker makes the contexts
        else:
            message = [(n, c, os.fspath(dest)) for n, c, dest in chunk.resolve(groups)]
        try:
            self.conn.send_bytes(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))
        except OSError:
            self._died()
        self.pending += 1

    def receive(self) -> int:
        """Documents written by the oldest pending chunk; its failure is raised here."""
        try:
            result = pickle.loads(self.conn.recv_bytes())
        except (EOFError, OSError):
            self._died()
        self.pending -= 1
        if isinstance(result, BaseException):
            raise result
        count: int = result
        return count

    def _died(self) -> NoReturn:
        """The pipe broke: the worker was killed (out of memory?) or crashed."""
        self.process.join(timeout=1)
        if self.process.exitcode is None:  # alive but deaf: no use waiting for it
            self.process.kill()
            self.process.join()
        raise DocgenError(
            _(
                "một tiến trình lập văn bản dừng đột ngột (mã {code}); kết quả cũ được giữ nguyên"
            ).format(code=self.process.exitcode)
        )

    def stop(self, kill: bool) -> None:
        if kill:
            self.process.kill()
        else:
            with suppress(OSError):
                self.conn.send_bytes(b"")
        self.process.join()
        self.conn.close()


def _work(
    conn: Any,
    seed: Renderer | tuple[Path, vn.WordStyle],
    groups: Sequence[TaskGroup] | None,
    parent: int,
    inherited: Sequence[Any] = (),
) -> None:
    """Worker process: render each chunk it is sent (tasks, or a span of the inherited
    `groups`), answer with a count or the exception. It ends with its parent, however the
    parent ends (SIGKILL, the kernel's OOM killer): never a process left holding the caller's
    terminal or pipes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    _die_with_parent(parent)
    for other in inherited:
        other.close()
    # the parent's objects (under fork: its whole workspace) are never garbage here: keep
    # the collector off them, or each full collection touches, and so copies, their pages
    gc.freeze()
    renderer = seed if isinstance(seed, Renderer) else Renderer(*seed)
    while True:
        try:
            while not conn.poll(PARENT_CHECK_SECONDS):
                if os.getppid() != parent:  # the parent is gone (where no signal says so)
                    return
            data = conn.recv_bytes()
        except (EOFError, OSError):  # the parent is gone
            return
        if not data:
            return
        message: tuple[int, int] | list[tuple[str, dict[str, Any], str]] = pickle.loads(data)
        try:
            if isinstance(message, tuple):
                chunk = _Chunk(0, span=message).resolve(groups)
            else:
                chunk = ((name, context, Path(dest)) for name, context, dest in message)
            done = 0
            for name, context, dest in chunk:
                _write(dest, renderer.render_bytes(name, context))
                done += 1
        except Exception as exc:
            conn.send_bytes(_portable(exc))
        else:
            conn.send_bytes(pickle.dumps(done))


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux: PR_SET_PDEATHSIG);
    elsewhere the end-of-file and parent-pid checks of _work do it."""
    if sys.platform.startswith("linux"):
        import ctypes

        with suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the request was made
        os._exit(0)


def _portable(exc: Exception) -> bytes:
    """The exception, pickled, if it comes back as itself (TemplateError keeps its message);
    else a DocgenError with its text, rather than an unpickling error in the parent."""
    try:
        data = pickle.dumps(exc)
        pickle.loads(data)
        return data
    except Exception:
        return pickle.dumps(DocgenError(f"{type(exc).__name__}: {exc}"))


def _render_in_processes(
    renderer: Renderer,
    chunks: Iterable[_Chunk],
    jobs: int,
    advance: Callable[[int], None],
    groups: Sequence[TaskGroup] | None = None,
) -> int:
    """Render on `jobs` processes: this one and `jobs - 1` workers fed a chunk at a time.

    A worker holds at most IN_FLIGHT_PER_WORKER chunks; when all are that busy this process
    renders the next chunk itself, so it is never idle and never far ahead of them.
    """
    import multiprocessing

    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    workers: list[_Worker] = []
    done = 0
    failed = True
    try:
        for _ in range(jobs - 1):
            workers.append(_Worker(context, renderer, groups, workers))
        for chunk in chunks:
            for w in workers:
                while w.pending and w.conn.poll():
                    n = w.receive()
                    done += n
                    advance(n)
            free = min(workers, key=lambda w: w.pending)
            if free.pending < IN_FLIGHT_PER_WORKER:
                free.send(chunk, groups)
            else:
                n = 0
                for name, context_, dest in chunk.resolve(groups):
                    renderer.render(name, context_, dest)
                    n += 1
                done += n
                advance(n)
        for w in workers:
            while w.pending:
                n = w.receive()
                done += n
                advance(n)
        failed = False
    finally:
        for w in workers:
            w.stop(kill=failed)  # after a failure or Ctrl-C, stop the others' chunks at once
    return done
