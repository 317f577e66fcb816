"""Documents made for the page in the background, each job in its own fresh temporary folder.

A job is known by an opaque random id; its files are served by their number in the job's
list, never by a path taken from a request. Jobs older than `TTL` seconds, and every job when
the server stops, are deleted with their folders.
"""

from __future__ import annotations

import secrets
import shutil
import sys
import tempfile
import threading
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import DocgenError, Problem, ValidationError
from docgen.i18n import _

#: Seconds a finished job's files are kept.
TTL = 2 * 3600
#: Jobs running at once; more are refused with a message (the machine has few CPUs).
MAX_RUNNING = 4

Progress = Callable[[int, int], None]
#: The work of a job: writes into the given (not yet existing) output folder.
Work = Callable[[Path, Progress], None]


@dataclass
class Job:
    """One run of document making: its state, read by the page while it runs."""

    id: str
    title: str
    root: Path
    zip_name: str
    created: float = field(default_factory=time.time)
    state: str = "running"  # running | done | failed
    done: int = 0
    total: int = 0
    error: str = ""
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def out(self) -> Path:
        return self.root / "out"

    def file(self, number: int) -> Path:
        """The job's file by its number in `files`; KeyError for any other number."""
        if self.state != "done" or not 0 <= number < len(self.files):
            raise KeyError(number)
        return self.out / self.files[number]

    def archive(self) -> Path:
        """Every file of the job in one zip (made once)."""
        target = self.root / "ket-qua.zip"
        with self.lock:
            if not target.exists():
                tmp = self.root / "ket-qua.zip.part"
                with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                    for rel in self.files:
                        zf.write(self.out / rel, rel.as_posix())
                tmp.rename(target)
        return target


class Jobs:
    """The server's jobs, under one temporary folder removed when the server stops."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="docgen-web-"))
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, title: str, zip_name: str, work: Work) -> Job:
        self.expire()
        with self._lock:
            running = sum(1 for j in self._jobs.values() if j.state == "running")
            if running >= MAX_RUNNING:
                raise DocgenError(
                    _("đang có {n} lượt lập văn bản chưa xong; hãy chờ một lát rồi thử lại").format(
                        n=running
                    )
                )
            job_id = secrets.token_urlsafe(16)
            root = self.root / job_id
            root.mkdir()
            job = Job(job_id, title, root, zip_name)
            self._jobs[job_id] = job
        threading.Thread(target=self._run, args=(job, work), daemon=True).start()
        return job

    def get(self, job_id: str) -> Job:
        """The job of this id; KeyError when there is none (or it expired)."""
        with self._lock:
            return self._jobs[job_id]

    def expire(self, now: float | None = None) -> None:
        limit = (now or time.time()) - TTL
        with self._lock:
            old = [j for j in self._jobs.values() if j.state != "running" and j.created < limit]
            for job in old:
                del self._jobs[job.id]
        for job in old:
            shutil.rmtree(job.root, ignore_errors=True)

    def close(self) -> None:
        """Remove every job's files (the server is stopping)."""
        with self._lock:
            self._jobs.clear()
        shutil.rmtree(self.root, ignore_errors=True)

    @staticmethod
    def _run(job: Job, work: Work) -> None:
        def progress(done: int, total: int) -> None:
            job.done, job.total = done, total

        try:
            work(job.out, progress)
            job.files = sorted(p.relative_to(job.out) for p in job.out.rglob("*") if p.is_file())
            job.done = job.total = max(job.total, len(job.files))
            job.state = "done"
        except ValidationError as exc:
            job.error = _("Dữ liệu có lỗi, chưa lập được văn bản.")
            job.problems = exc.problems
            job.state = "failed"
        except DocgenError as exc:
            job.error = str(exc)
            job.state = "failed"
        except Exception:  # a bug: the page says so plainly, the server's log has the detail
            traceback.print_exc(file=sys.stderr)
            job.error = _("Có lỗi không mong muốn khi lập văn bản; chi tiết ở cửa sổ chạy docgen.")
            job.state = "failed"
