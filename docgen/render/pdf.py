"""PDF copies of produced documents through LibreOffice, in one batch.

Offices send PDFs through their document management systems. LibreOffice is slow to start,
so every document of a run is converted by one process; a private profile lets parallel
runs (and a LibreOffice the user has open) coexist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from docgen.errors import DocgenError
from docgen.i18n import _, ngettext

#: Seconds a whole batch may take before it is abandoned (a hung soffice must not hang us).
TIMEOUT = 900


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


def convert(documents: Sequence[Path]) -> list[Path]:
    """Write `<name>.pdf` beside each .docx; returns the PDF paths, in the same order."""
    if not documents:
        return []
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as tmp:
        work = Path(tmp)
        inputs = []
        for i, doc in enumerate(documents):  # unique names: many folders hold 01-to-trinh.docx
            link = work / f"{i:06d}.docx"
            shutil.copyfile(doc, link)
            inputs.append(link)
        profile = (work / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "pdf"),
            *map(str, inputs),
        ]
        env = dict(os.environ, HOME=str(work))
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT, env=env, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise DocgenError(
                ngettext(
                    "LibreOffice không chuyển xong PDF sau {n} giây",
                    "LibreOffice không chuyển xong PDF sau {n} giây",
                    TIMEOUT,
                ).format(n=TIMEOUT)
            ) from exc
        out = []
        for i, doc in enumerate(documents):
            pdf = work / "pdf" / f"{i:06d}.pdf"
            if not pdf.is_file():
                detail = (result.stderr or result.stdout).strip()[-300:]
                raise DocgenError(
                    _("LibreOffice không chuyển được {name} sang PDF: {detail}").format(
                        name=doc.name, detail=detail
                    )
                )
            target = doc.with_suffix(".pdf")
            shutil.move(pdf, target)
            out.append(target)
        return out
