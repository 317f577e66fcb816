"""`docgen init DIR`: a new workspace (config, sample data, templates) ready to validate and render.

The skeleton files ship as package data in docgen/skeleton/; the .docx templates are written by
the template builders, so a new workspace always gets the templates of the installed docgen.
Everything is made in a temporary folder beside DIR and moved into place only when complete.
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

from docgen.errors import OutputError
from docgen.i18n import _
from docgen.render.output import commit

#: The skeleton's round file; it is written as data/rounds/<year>.yaml.
ROUND_SKELETON = "NAM.yaml"


@dataclass(frozen=True)
class InitResult:
    """What `init` wrote: the workspace folder, its files (relative), files it overwrote."""

    folder: Path
    files: list[Path]
    overwritten: list[Path]


def skeleton() -> Traversable:
    """The packaged skeleton folder (docgen/skeleton)."""
    return files("docgen") / "skeleton"


def init_workspace(target: Path, force: bool = False, year: int | None = None) -> InitResult:
    """Create a workspace in `target`; a non-empty `target` is refused unless `force`.

    With `force`, the workspace's files replace files of the same name in `target`; other files
    there are left alone. `year` (default: this year) is the sample round's year.
    """
    if target.exists() and not target.is_dir():
        raise OutputError(_("{path} đã có và không phải là thư mục.").format(path=target))
    occupied = target.is_dir() and any(target.iterdir())
    if occupied and not force:
        raise OutputError(
            _(
                "thư mục {path} không trống; không ghi gì. Chọn một thư mục mới (hoặc trống), "
                "hoặc dùng --force để ghi đè các tệp cùng tên."
            ).format(path=target)
        )
    folder = target.resolve()
    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        stage = parent / f".{folder.name}.docgen-init-{os.getpid()}-{secrets.token_hex(4)}"
        stage.mkdir()  # not tempfile.mkdtemp: the workspace gets the usual permissions (umask)
    except OSError as exc:
        raise OutputError(
            _("không tạo được thư mục trong {path}: {reason}").format(
                path=parent, reason=exc.strerror
            )
        ) from exc
    try:
        written = _write(stage, year or date.today().year)
        overwritten: list[Path] = []
        if not folder.is_dir():
            stage.rename(folder)  # the usual case: the whole workspace appears at once
        else:  # an empty folder (perhaps the shell's current one) or --force: file by file
            _refuse_conflicts(folder, written)  # before anything is replaced
            overwritten = [p for p in written if (folder / p).exists()]
            commit(folder, stage, written)  # all or nothing
    except OSError as exc:
        raise OutputError(
            _("không ghi được {path}: {reason}").format(path=target, reason=exc.strerror or exc)
        ) from exc
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return InitResult(target, written, overwritten)


def _refuse_conflicts(folder: Path, written: list[Path]) -> None:
    """Every place a workspace file goes must be free or a file (a folder where a file goes,
    or a file where a folder goes, is refused): found before any file is replaced."""
    conflicts: list[str] = []
    for rel in written:
        for depth in range(1, len(rel.parts)):
            above = folder.joinpath(*rel.parts[:depth])
            if above.exists() and not above.is_dir():
                conflicts.append(_("{path} là một tệp, cần là thư mục").format(path=above))
        dest = folder / rel
        if dest.is_dir() or (dest.is_symlink() and not dest.is_file()):
            conflicts.append(_("{path} là một thư mục, cần là tệp").format(path=dest))
    if conflicts:
        unique = list(dict.fromkeys(conflicts))
        raise OutputError(
            _("không ghi gì vào {path}: {conflicts}").format(
                path=folder, conflicts="; ".join(unique)
            )
        )


def _write(stage: Path, year: int) -> list[Path]:
    """Write the whole workspace into `stage`; returns the files written, relative to it."""
    from docgen.layout.build import build_all

    values = {"year": year, "prev_year": year - 1, "next_year": year + 1}
    written: list[Path] = []

    def copy(node: Traversable, rel: Path) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                copy(child, rel / child.name)
                continue
            name = f"{year}.yaml" if child.name == ROUND_SKELETON else child.name
            dest = stage / rel / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            text = Template(child.read_text(encoding="utf-8")).substitute(values)
            dest.write_text(text, encoding="utf-8")
            written.append(rel / name)

    copy(skeleton(), Path())
    templates = stage / "templates"
    paths = build_all(templates)
    written.extend(p.relative_to(stage) for p in paths)
    return written
