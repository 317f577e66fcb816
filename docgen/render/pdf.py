"""PDF copies of produced documents through LibreOffice, in bounded batches.

Offices send PDFs through their document management systems. LibreOffice is slow to start
(about 2 s), so documents are converted many to one `soffice` call; but one call converts at
most 246 files of a longer list and still exits 0 (LibreOffice 7.4), so the documents are cut
into batches of at most `MAX_BATCH`, each with its own time-out. Every PDF is checked (it
exists and is a whole PDF file); a document whose PDF is missing is converted once more on its
own, by a fresh LibreOffice, and if it fails again the error names it with what LibreOffice
said. A private profile lets parallel runs (and a LibreOffice the user has open) coexist.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import DocgenError
from docgen.i18n import _, ngettext

#: Files per soffice call: below the 246 that LibreOffice 7.4 converts of a longer list.
MAX_BATCH = 200
#: Seconds a batch may take: start-up, plus a generous allowance per document; a hung soffice
#: is killed after that and its documents are retried one by one.
START_SECONDS = 120
SECONDS_PER_DOCUMENT = 30

#: Lines of soffice's output that are not reasons (progress and a harmless warning).
_NOISE = ("convert ", "Warning: failed to launch javaldx", "overwriting ")


def find_soffice() -> str:
    """The LibreOffice binary, or a clear error naming the package to install."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise DocgenError(
        _(
            "không tìm thấy LibreOffice (lệnh soffice) để chuyển sang PDF; trên Debian/Ubuntu hãy "
            "cài gói libreoffice-writer-nogui (apt-get install libreoffice-writer-nogui)"
        )
    )


def is_pdf(path: Path) -> bool:
    """Whether `path` is a whole PDF file: its header, and the end-of-file mark near its end
    (a LibreOffice killed while writing leaves a file without it)."""
    try:
        with path.open("rb") as f:
            if f.read(5) != b"%PDF-":
                return False
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - 1024))
            return b"%%EOF" in f.read()
    except OSError:
        return False


@dataclass(frozen=True)
class Outcome:
    """What one soffice call said: its exit status (None: killed after its time-out)."""

    returncode: int | None
    output: str
    seconds: int

    def reason(self) -> str:
        """LibreOffice's own words, without progress lines; or what happened to it."""
        if self.returncode is None:
            return ngettext(
                "LibreOffice không chuyển xong sau {n} giây",
                "LibreOffice không chuyển xong sau {n} giây",
                self.seconds,
            ).format(n=self.seconds)
        said = [
            line.strip()
            for line in self.output.splitlines()
            if line.strip() and not line.startswith(_NOISE)
        ]
        if said:
            return " ".join(said)[-300:]
        if self.returncode < 0:
            return _("LibreOffice dừng đột ngột (tín hiệu {signal})").format(
                signal=-self.returncode
            )
        return _("LibreOffice không tạo ra tệp PDF và không báo lý do (mã thoát {code})").format(
            code=self.returncode
        )


class Runner:
    """Runs `soffice --convert-to pdf` calls on up to `jobs` threads, each call a LibreOffice
    process with a profile of its slot (a profile is made on first use, about a second; it is
    kept for the slot's next calls), or a fresh profile for a retry. Every process is killed
    with what it started after its time-out, and all of them on an interruption (Ctrl+C,
    SIGTERM turned into an exception): no LibreOffice outlives the run."""

    def __init__(self, soffice: str, work: Path, jobs: int) -> None:
        self.soffice = soffice
        self.work = work
        self.jobs = max(1, jobs)
        self.slots: queue.SimpleQueue[Path] = queue.SimpleQueue()
        for slot in range(self.jobs):
            self.slots.put(work / f"profile-{slot}")
        self.live: set[subprocess.Popen[str]] = set()
        self.lock = threading.Lock()
        self.stopped = False
        self.fresh = itertools.count()

    def map(self, calls: Sequence[Sequence[Path]], outdir: Path, fresh: bool) -> list[Outcome]:
        """One soffice call per item of `calls` (input files), in parallel; their outcomes."""
        if self.jobs == 1 or len(calls) <= 1:
            return [self.run(inputs, outdir, fresh) for inputs in calls]
        pool = ThreadPoolExecutor(max_workers=min(self.jobs, len(calls)))
        try:
            futures = [pool.submit(self.run, inputs, outdir, fresh) for inputs in calls]
            return [f.result() for f in futures]
        except BaseException:
            self.stop()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def run(self, inputs: Sequence[Path], outdir: Path, fresh: bool) -> Outcome:
        profile = self.work / f"profile-retry-{next(self.fresh)}" if fresh else self.slots.get()
        try:
            return self._call(profile, inputs, outdir, timeout_for(len(inputs)))
        finally:
            if not fresh:
                self.slots.put(profile)

    def _call(self, profile: Path, inputs: Sequence[Path], outdir: Path, timeout: int) -> Outcome:
        command = [
            self.soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, inputs),
        ]
        with self.lock:
            if self.stopped:
                return Outcome(None, "", timeout)
            process = start_group(command, self.work, stdin=subprocess.DEVNULL)
            self.live.add(process)
        try:
            output, _unused = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(process)
            process.communicate()
            return Outcome(None, "", timeout)
        except BaseException:  # Ctrl+C, SIGTERM: leave no LibreOffice behind
            self.stop()
            raise
        finally:
            with self.lock:
                self.live.discard(process)
        return Outcome(process.returncode, output, timeout)

    def stop(self) -> None:
        """Kill every running soffice; no new one starts."""
        with self.lock:
            self.stopped = True
            running = list(self.live)
        for process in running:
            kill_group(process)


def start_group(
    command: Sequence[str], home: Path, stdin: int, stderr: int = subprocess.STDOUT
) -> subprocess.Popen[str]:
    """Start `command` (LibreOffice, or what runs it) in its own process group, so that
    killing the group kills soffice.bin too; HOME is `home` (LibreOffice writes there)."""
    return subprocess.Popen(
        command,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=dict(os.environ, HOME=str(home)),
        start_new_session=True,
    )


def kill_group(process: subprocess.Popen[str]) -> None:
    """Kill a process started in its own session and everything it started."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(ValueError, OSError):  # another thread may be reading it
        process.wait()


def batches(count: int, jobs: int = 1, limit: int = MAX_BATCH) -> list[range]:
    """Indexes 0..count-1 cut into consecutive ranges of at most `limit`, as even as can be,
    and as many as a multiple of `jobs` (so that every job gets as much work)."""
    if count == 0:
        return []
    parts = -(-count // limit)
    parts = min(count, -(-parts // jobs) * jobs)
    step = -(-count // parts)
    return [range(start, min(start + step, count)) for start in range(0, count, step)]


def timeout_for(documents: int) -> int:
    return START_SECONDS + SECONDS_PER_DOCUMENT * documents


def convert(
    documents: Sequence[Path], labels: Sequence[str] | None = None, jobs: int = 1
) -> list[Path]:
    """Write `<name>.pdf` beside each .docx; returns the PDF paths, in the same order.

    Up to `jobs` LibreOffice processes convert at once, each with its own profile (all under
    one temporary folder, removed afterwards).

    `labels` name the documents in errors (default: their file names). Every PDF is checked;
    each failing document is tried once more alone, then reported with LibreOffice's reason
    (all failures at once). Nothing is moved beside the documents unless every one converted.
    """
    if not documents:
        return []
    names = list(labels) if labels is not None else [d.name for d in documents]
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as tmp:
        work = Path(tmp)
        inputs = []
        for i, doc in enumerate(documents):  # unique names: many folders hold 01-to-trinh.docx
            link = work / "in" / f"{i:06d}.docx"
            link.parent.mkdir(exist_ok=True)
            shutil.copyfile(doc, link)
            inputs.append(link)
        outdir = work / "pdf"
        produced = [outdir / f"{i:06d}.pdf" for i in range(len(documents))]
        runner = Runner(soffice, work, jobs)
        parts = batches(len(documents), runner.jobs)
        runner.map([[inputs[i] for i in part] for part in parts], outdir, fresh=False)
        missing = [i for i in range(len(documents)) if not is_pdf(produced[i])]
        for i in missing:
            produced[i].unlink(missing_ok=True)
        if len(missing) == len(documents) > 1:  # nothing at all: LibreOffice itself fails?
            first = runner.map([[inputs[missing[0]]]], outdir, fresh=True)[0]
            if not is_pdf(produced[missing[0]]):  # then one message, not a retry of each
                raise DocgenError(
                    failure_message([(names[missing[0]], first.reason())])
                    + "\n"
                    + ngettext(
                        "(LibreOffice không chuyển được văn bản nào trong {n} văn bản)",
                        "(LibreOffice không chuyển được văn bản nào trong {n} văn bản)",
                        len(documents),
                    ).format(n=len(documents))
                )
            missing = missing[1:]
        retried = runner.map([[inputs[i]] for i in missing], outdir, fresh=True)
        failures = [
            (names[i], outcome.reason())
            for i, outcome in zip(missing, retried, strict=True)
            if not is_pdf(produced[i])
        ]
        if failures:
            raise DocgenError(failure_message(failures))
        out = []
        for doc, pdf in zip(documents, produced, strict=True):
            target = doc.with_suffix(".pdf")
            shutil.move(pdf, target)
            out.append(target)
        return out


def failure_message(failures: Sequence[tuple[str, str]]) -> str:
    if len(failures) == 1:
        name, reason = failures[0]
        return _("LibreOffice không chuyển được {name} sang PDF: {detail}").format(
            name=name, detail=reason
        )
    head = ngettext(
        "LibreOffice không chuyển được {n} văn bản sang PDF:",
        "LibreOffice không chuyển được {n} văn bản sang PDF:",
        len(failures),
    ).format(n=len(failures))
    return "\n".join([head, *(f"  - {name}: {reason}" for name, reason in failures)])
