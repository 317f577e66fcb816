"""A warm converter: one LibreOffice kept running, so that a PDF preview needs no start-up.

    with WarmConverter() as converter:          # starts LibreOffice (about 2-3 s), once
        pdf = converter.convert(docx, out_dir)  # then each document: its conversion only

LibreOffice runs under a small bridge (docgen/render/unobridge.py) started with a Python that
has LibreOffice's UNO module (`python3-uno` on Debian/Ubuntu); both are one process group
with a private profile in a temporary folder. A LibreOffice that died is started again and
a conversion that does not finish within the time-out is killed, LibreOffice restarted and
the document tried once more; a second failure is a DocgenError naming the document with
LibreOffice's reason. `close()` (or leaving the `with` block) shuts it down and removes the
profile; if docgen dies, the bridge sees its input end and stops LibreOffice.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import math
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from docgen.errors import DocgenError
from docgen.i18n import _, ngettext
from docgen.render import pdf
from docgen.render.pdf import failure_message, find_soffice, is_pdf, kill_group, start_group

BRIDGE = Path(__file__).with_name("unobridge.py")
#: Seconds LibreOffice may take to start and accept connections.
START_SECONDS = 120
#: Seconds one document may take to convert (a preview: one document).
CONVERT_SECONDS = 120


def has_uno(python: str) -> bool:
    try:
        result = subprocess.run(
            [python, "-c", "import uno"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


@functools.cache
def uno_python() -> str | None:
    """A Python that can `import uno`: $DOCGEN_UNO_PYTHON, this one, LibreOffice's own
    (program/python beside soffice), or the system's python3; None if there is none."""
    chosen = os.environ.get("DOCGEN_UNO_PYTHON")
    if chosen:
        return chosen if has_uno(chosen) else None
    if importlib.util.find_spec("uno") is not None:
        return sys.executable
    candidates = []
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        program = Path(soffice).resolve().parent
        candidates += [program / "python", program / "python.exe"]
    candidates += [Path(p) for p in (shutil.which("python3"), "/usr/bin/python3") if p]
    for candidate in dict.fromkeys(candidates):
        if candidate.is_file() and has_uno(str(candidate)):
            return str(candidate)
    return None


class WarmConverter:
    """One LibreOffice kept running for many conversions; thread-safe (one at a time).

    It starts on first use (or `start()`); `convert(docx, out_dir)` writes
    `out_dir/<stem>.pdf` and returns its path. Use it as a context manager, or call `close()`.
    """

    def __init__(
        self, start_seconds: float = START_SECONDS, convert_seconds: float = CONVERT_SECONDS
    ) -> None:
        self.soffice = find_soffice()
        python = uno_python()
        if python is None:
            raise DocgenError(
                _(
                    "không tìm thấy Python có mô-đun uno của LibreOffice để giữ LibreOffice chạy "
                    "sẵn; trên Debian/Ubuntu hãy cài gói python3-uno (apt-get install "
                    "python3-uno), hoặc đặt DOCGEN_UNO_PYTHON"
                )
            )
        self.python = python
        self.start_seconds = start_seconds
        self.convert_seconds = convert_seconds
        self.home = Path(tempfile.mkdtemp(prefix="docgen-warm-"))
        self.lock = threading.Lock()
        self.bridge: subprocess.Popen[str] | None = None
        self.replies: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self.office_pid: int | None = None
        self.starts = 0
        self._finalizer = weakref.finalize(self, _shut, [None], self.home)

    # ------------------------------------------------------------------ life cycle

    def __enter__(self) -> WarmConverter:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start LibreOffice now, if it is not running (else the first convert starts it)."""
        with self.lock:
            self._ensure()

    def close(self) -> None:
        """Shut LibreOffice down and remove its profile; the converter can start again."""
        with self.lock:
            self._stop()
        shutil.rmtree(self.home, ignore_errors=True)

    def alive(self) -> bool:
        return self.bridge is not None and self.bridge.poll() is None

    def _ensure(self) -> None:
        if self.alive():
            return
        self._stop()
        self.home.mkdir(parents=True, exist_ok=True)
        profile = self.home / f"profile-{self.starts}"  # a fresh one: the last may be damaged
        self.starts += 1
        bridge = start_group(  # one process group with its LibreOffice
            [self.python, str(BRIDGE), self.soffice, profile.as_uri()],
            self.home,
            stdin=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.bridge = bridge
        self._finalizer.detach()
        self._finalizer = weakref.finalize(self, _shut, [bridge], self.home)
        replies: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self.replies = replies
        threading.Thread(target=_read, args=(bridge, replies), daemon=True).start()
        answer = self._answer(self.start_seconds)
        if answer is None or not answer.get("ready"):
            self._stop()
            reason = (answer or {}).get("error") or _("LibreOffice không khởi động được")
            raise DocgenError(
                _("không giữ được LibreOffice chạy sẵn: {reason}").format(reason=reason)
            )
        self.office_pid = int(answer["office"])

    def _answer(self, seconds: float) -> dict[str, Any] | None:
        """The bridge's next reply; None if it died or said nothing within `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                line = self.replies.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if line is None:
                return None
            try:
                reply = json.loads(line)
            except ValueError:  # not the bridge's (a library's warning): not an answer
                continue
            if isinstance(reply, dict):
                return reply

    def _stop(self) -> None:
        if self.bridge is not None:
            _shut([self.bridge], None)
        self.bridge = None
        self.office_pid = None

    # ------------------------------------------------------------------ conversion

    def convert(self, docx: Path, out_dir: Path) -> Path:
        """Write `out_dir/<docx stem>.pdf` (whole, or not at all) and return its path."""
        target = out_dir / f"{docx.stem}.pdf"
        reason = self.try_convert(docx, target)
        if reason:
            raise DocgenError(
                _("LibreOffice không chuyển được {name} sang PDF: {detail}").format(
                    name=docx.name, detail=reason
                )
            )
        return target

    def try_convert(self, docx: Path, target: Path) -> str:
        """Write the PDF of `docx` to `target` (whole, or not at all): '' when done, else
        LibreOffice's reason, after one more try by a fresh LibreOffice."""
        partial = target.with_name(f".{target.stem}.{os.getpid()}.{threading.get_ident()}.part")
        with self.lock:
            try:
                reason = ""
                for _attempt in range(2):
                    reason = self._once(docx.resolve(), partial.resolve())
                    if not reason and is_pdf(partial):
                        os.replace(partial, target)
                        return ""
                    reason = reason or _("LibreOffice không tạo ra tệp PDF")
                    self._stop()
            finally:
                partial.unlink(missing_ok=True)
        return reason

    def _once(self, docx: Path, pdf: Path) -> str:
        """One request to the bridge: '' when it said it wrote the PDF, else the reason."""
        self._ensure()
        assert self.bridge is not None and self.bridge.stdin is not None
        try:
            self.bridge.stdin.write(json.dumps({"in": str(docx), "out": str(pdf)}) + "\n")
            self.bridge.stdin.flush()
        except OSError:
            return _("LibreOffice dừng đột ngột")
        answer = self._answer(self.convert_seconds)
        if answer is None:
            if self.alive():
                seconds = math.ceil(self.convert_seconds)
                return ngettext(
                    "LibreOffice không chuyển xong sau {n} giây",
                    "LibreOffice không chuyển xong sau {n} giây",
                    seconds,
                ).format(n=seconds)
            return _("LibreOffice dừng đột ngột")
        return "" if answer.get("ok") else str(answer.get("error", ""))


def _read(bridge: subprocess.Popen[str], replies: queue.SimpleQueue[str | None]) -> None:
    """Every line the bridge writes, then None when it has gone."""
    assert bridge.stdout is not None
    with contextlib.suppress(OSError, ValueError):
        for line in bridge.stdout:
            replies.put(line)
    replies.put(None)


def _shut(bridges: list[subprocess.Popen[str] | None], home: Path | None) -> None:
    """Kill a bridge with its LibreOffice (their process group); remove the folder."""
    for bridge in bridges:
        if bridge is None:
            continue
        kill_group(bridge)
        with contextlib.suppress(OSError, ValueError):
            if bridge.stdin is not None:
                bridge.stdin.close()
    if home is not None:
        shutil.rmtree(home, ignore_errors=True)


def convert_many(
    documents: Sequence[Path], labels: Sequence[str] | None = None, jobs: int = 1
) -> list[Path]:
    """`<name>.pdf` beside each .docx by `jobs` warm converters (started at once, each taking
    the next document, closed at the end); failures are named all at once with LibreOffice's
    reasons, and then no PDF of this call is left beside the documents."""
    names = list(labels) if labels is not None else [d.name for d in documents]
    targets = [d.with_suffix(".pdf") for d in documents]
    converters = [WarmConverter() for _ in range(max(1, min(jobs, len(documents))))]
    failures: dict[int, str] = {}
    todo = iter(range(len(documents)))
    lock = threading.Lock()

    def work(converter: WarmConverter) -> None:
        converter.start()
        while True:
            with lock:
                i = next(todo, None)
                if i is None or stop.is_set():
                    return
            reason = converter.try_convert(documents[i], targets[i])
            if reason:
                with lock:
                    failures[i] = reason

    stop = threading.Event()
    errors: list[BaseException] = []

    def guarded(converter: WarmConverter) -> None:
        try:
            work(converter)
        except BaseException as exc:  # LibreOffice would not start: stop every thread
            errors.append(exc)
            stop.set()

    threads = [threading.Thread(target=guarded, args=(c,), daemon=True) for c in converters]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        stop.set()
        for c in converters:
            c.close()
    if errors or failures:
        for target in targets:
            target.unlink(missing_ok=True)
    if errors:
        raise errors[0]
    if failures:
        raise DocgenError(failure_message([(names[i], failures[i]) for i in sorted(failures)]))
    return targets


def convert(
    documents: Sequence[Path], labels: Sequence[str] | None = None, jobs: int = 1
) -> list[Path]:
    """`<name>.pdf` beside each .docx, on `jobs` LibreOffices: warm converters when a Python
    with LibreOffice's uno is there (measured faster: no start-up per batch, see the README's
    performance section), else `soffice --convert-to` processes in batches (render.pdf).
    DOCGEN_PDF=processes or DOCGEN_PDF=warm chooses."""
    if not documents:
        return []
    way = os.environ.get("DOCGEN_PDF", "")
    if way == "processes" or (way != "warm" and uno_python() is None):
        return pdf.convert(documents, labels, jobs)
    return convert_many(documents, labels, jobs)
