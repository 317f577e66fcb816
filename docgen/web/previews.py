"""The server's one warm LibreOffice for PDF previews.

Started in the background when the server starts (the page answers meanwhile; a preview asked
before it is ready waits for it), so that a preview costs a conversion, not LibreOffice's
start-up; shut down with the server. Without LibreOffice's Python bridge (python3-uno) each
preview starts a fresh LibreOffice, as `main.preview_pdf` does without a converter.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from docgen import main as api
from docgen.errors import DocgenError

if TYPE_CHECKING:
    from docgen.main import WarmConverter

#: Seconds a preview waits for the warm LibreOffice to finish starting before going cold.
READY_SECONDS = 150


class Previews:
    """PDF previews, warm when `warm` (started now in a thread) and the bridge is there."""

    def __init__(self, warm: bool = True) -> None:
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._closed = False
        self.converter: WarmConverter | None = None
        self.cold_reason = ""  # why previews start a fresh LibreOffice each, when they do
        if warm:
            threading.Thread(target=self._start, name="docgen-warm-preview", daemon=True).start()
        else:
            self._ready.set()

    def _start(self) -> None:
        try:
            converter: WarmConverter | None = api.warm_converter()
        except DocgenError as exc:
            converter, self.cold_reason = None, str(exc)
        with self._lock:
            if self._closed and converter is not None:
                converter.close()
            elif not self._closed:
                self.converter = converter
        self._ready.set()

    def wait(self, seconds: float = READY_SECONDS) -> bool:
        """Whether the warm LibreOffice is ready (or known not to come) within `seconds`."""
        return self._ready.wait(seconds)

    def pdf(self, docx: Path) -> bytes:
        """The PDF bytes of one document: by the warm LibreOffice, or a fresh one without it."""
        self.wait()
        return api.preview_pdf(docx, self.converter)

    def close(self) -> None:
        """Stop the warm LibreOffice (and one still starting, once it has started)."""
        with self._lock:
            self._closed = True
            converter, self.converter = self.converter, None
        if converter is not None:
            converter.close()
