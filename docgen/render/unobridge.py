"""A LibreOffice kept running, converting documents to PDF over its UNO interface.

Run by docgen.render.warm with a Python that has LibreOffice's `uno` module (on Debian and
Ubuntu the system python3 with the python3-uno package; elsewhere LibreOffice's own
program/python), which need not be the Python docgen runs on, so this file imports nothing
of docgen and only the standard library besides `uno`:

    python3 unobridge.py SOFFICE PROFILE_URL

It starts `SOFFICE` headless with that profile, listening on a private pipe, as its own child
(killing this process group kills both), connects, then prints one JSON line
``{"ready": true, "office": PID}`` and answers requests read from stdin, one JSON line each:
``{"in": "/path/a.docx", "out": "/path/a.pdf"}`` → ``{"ok": true}`` or ``{"error": "..."}``.
At the end of stdin (docgen closed it, or died) it shuts LibreOffice down and exits.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import uuid
from typing import Any

import uno  # type: ignore[import-not-found]  # LibreOffice's, see above

CONNECT_SECONDS = 120


def prop(name: str, value: Any) -> Any:
    p = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    p.Name = name
    p.Value = value
    return p


def say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def start(soffice: str, profile: str) -> tuple[subprocess.Popen[bytes], Any]:
    pipe = f"docgen-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:  # NoConnectException until LibreOffice listens
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    return office, desktop


def convert(desktop: Any, source: str, target: str) -> None:
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source),
        "_blank",
        0,
        (prop("Hidden", True), prop("ReadOnly", True), prop("UpdateDocMode", 0)),
    )
    if document is None:
        raise RuntimeError("source file could not be loaded")
    try:
        document.storeToURL(
            uno.systemPathToFileUrl(target), (prop("FilterName", "writer_pdf_Export"),)
        )
    finally:
        document.close(True)


def main() -> None:
    soffice, profile = sys.argv[1:3]
    try:
        office, desktop = start(soffice, profile)
    except Exception as exc:
        say({"error": f"LibreOffice did not start: {exc}"})
        return
    say({"ready": True, "office": office.pid})
    try:
        for line in sys.stdin:
            request = json.loads(line)
            try:
                convert(desktop, request["in"], request["out"])
            except Exception as exc:
                say({"error": getattr(exc, "Message", "") or str(exc) or type(exc).__name__})
            else:
                say({"ok": True})
    finally:
        with contextlib.suppress(Exception):  # already gone: nothing to shut down
            desktop.terminate()
        try:
            office.wait(timeout=10)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
