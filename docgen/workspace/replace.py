"""Replacing the data folder with an uploaded file, all or nothing.

An uploaded workbook (or YAML data file) is placed in a copy of the data folder beside it
(the candidate); the caller loads and checks the candidate exactly as it would the data
folder; only when the whole candidate is valid does it become the data folder, the previous
one kept under ``sao-luu/`` with the date and time in its name. Until then nothing in the
data folder changes.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from docgen.errors import DocgenError, OutputError, Problem
from docgen.i18n import _
from docgen.workspace.model import PEOPLE_FILE, ROUNDS_DIR, UNITS_FILE, WORKBOOK_FILE

#: Backups of replaced data folders, beside the data folder.
BACKUPS = "sao-luu"
#: What an upload may be: the data workbook, or a YAML data file.
ACCEPTED = (".xlsx", ".yaml")
_ROUND_FILE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}\.yaml$")


def target_of(name: str) -> Path:
    """Where an uploaded file of this name goes inside the data folder; refuses anything else.

    A workbook becomes du-lieu.xlsx whatever it was called; units.yaml and people.yaml keep
    their names; any other YAML file is a round file (a plain lower-case name).
    """
    base = Path(name.replace("\\", "/")).name.lower()
    suffix = Path(base).suffix
    if suffix not in ACCEPTED:
        raise DocgenError(
            _("chỉ nhận tệp Excel .xlsx hoặc tệp dữ liệu .yaml, không nhận '{name}'").format(
                name=Path(name).name
            )
        )
    if suffix == ".xlsx":
        return Path(WORKBOOK_FILE)
    if base in (UNITS_FILE, PEOPLE_FILE):
        return Path(base)
    if not _ROUND_FILE.match(base):
        raise DocgenError(
            _(
                "tên tệp đợt '{name}' không dùng được: chỉ chữ thường không dấu, số, '-', '_' "
                "và đuôi .yaml"
            ).format(name=Path(name).name)
        )
    return Path(ROUNDS_DIR) / base


def make_candidate(
    data_dir: Path, upload: Path, name: str, workbook_sheets: Sequence[str] | None
) -> Path:
    """A copy of `data_dir` beside it with the upload in place (see `target_of`).

    For a workbook, the YAML files its sheets replace are left out of the copy (units.yaml
    for the sheet 'Đơn vị', people.yaml for 'Cá nhân') and the round files lose the
    nominations its sheet 'Đề nghị' holds, so the data has one source, as export-xlsx says.
    `workbook_sheets`: the workbook's sheet names (None: unreadable, the loader will say).
    """
    target = target_of(name)
    try:
        work = Path(tempfile.mkdtemp(prefix=".docgen-nhap-", dir=data_dir.parent))
        candidate = work / data_dir.name
        shutil.copytree(data_dir, candidate, ignore=shutil.ignore_patterns(".*", "~$*"))
        (candidate / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(upload, candidate / target)
    except OSError as exc:
        raise OutputError(
            _("không chuẩn bị được dữ liệu mới bên cạnh {folder}: {reason}").format(
                folder=data_dir, reason=exc.strerror or exc
            )
        ) from exc
    if target.suffix == ".xlsx" and workbook_sheets is not None:
        from docgen.workspace.workbook_tables import NOMINATIONS, PEOPLE, UNITS

        names = {s.strip().casefold() for s in workbook_sheets}
        for sheet, file in ((UNITS.name, UNITS_FILE), (PEOPLE.name, PEOPLE_FILE)):
            if sheet.casefold() in names:
                (candidate / file).unlink(missing_ok=True)
        if NOMINATIONS.name.casefold() in names:
            for path in sorted((candidate / ROUNDS_DIR).glob("*.yaml")):
                strip_nominations(path)
    return candidate


def discard(candidate: Path) -> None:
    """Remove a candidate (and the temporary folder holding it)."""
    shutil.rmtree(candidate.parent, ignore_errors=True)


def relocate(problems: Sequence[Problem], candidate: Path, data_dir: Path) -> list[Problem]:
    """Problems found in the candidate, named as the data folder's files they will become."""
    names = {str(candidate): str(data_dir)}
    with suppress(ValueError):  # messages name files relative to where the user stands
        names[str(candidate.resolve().relative_to(Path.cwd().resolve()))] = str(data_dir)
    out = []
    for p in problems:
        file = p.file
        for old, new in names.items():
            if file.startswith(old):
                file = new + file[len(old) :]
                break
        out.append(replace(p, file=file))
    return out


def swap_in(data_dir: Path, candidate: Path, now: datetime) -> Path:
    """Make `candidate` the data folder; the previous one goes to sao-luu/du-lieu-<date time>.

    Two renames on one file system; if the second fails the first is undone.
    """
    backups = data_dir.parent / BACKUPS
    stamp = now.strftime("%Y-%m-%d-%H%M%S")
    backup = backups / f"{data_dir.name}-{stamp}"
    n = 1
    while backup.exists():
        n += 1
        backup = backups / f"{data_dir.name}-{stamp}-{n}"
    try:
        backups.mkdir(exist_ok=True)
        data_dir.rename(backup)
    except OSError as exc:
        raise OutputError(
            _("không sao lưu được {folder}: {reason}").format(
                folder=data_dir, reason=exc.strerror or exc
            )
        ) from exc
    try:
        candidate.rename(data_dir)
    except OSError as exc:
        backup.rename(data_dir)
        raise OutputError(
            _("không thay được {folder}: {reason}").format(
                folder=data_dir, reason=exc.strerror or exc
            )
        ) from exc
    return backup


def strip_nominations(path: Path) -> None:
    """Remove every submission's `nominations` key from a round file, comments elsewhere kept.

    The change is checked by parsing both texts: if anything but the nominations differs (an
    unusual layout), the user is asked to remove them by hand.
    """
    from docgen.workspace.yamlio import load_yaml

    value, source, found = load_yaml(path)
    if found or not isinstance(value, dict) or not isinstance(value.get("submissions"), list):
        return  # the loader reports it
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    starts = sorted(
        line
        for s in range(len(value["submissions"]))
        if isinstance(value["submissions"][s], dict)
        and "nominations" in value["submissions"][s]
        and (line := source.lines.get(("submissions", s, "nominations"))) is not None
    )
    if not starts:
        return
    drop: set[int] = set()
    for start in starts:
        first = start - 1  # 0-based index of the key's line
        indent = _indent(lines[first])
        last = first
        for i in range(first + 1, len(lines)):
            text = lines[i].strip()
            if not text or text.startswith("#"):
                continue
            own = _indent(lines[i])
            if own > indent or (own == indent and text.startswith("- ")):
                last = i
            else:
                break
        drop.update(range(first, last + 1))
    kept = "".join(line for i, line in enumerate(lines) if i not in drop)
    expected = _without_nominations(yaml.safe_load("".join(lines)))
    if yaml.safe_load(kept) != expected:
        raise DocgenError(
            _(
                "không tự bỏ được danh sách đề nghị trong {file} (bảng tính đã có trang "
                "'Đề nghị'); hãy xóa các khóa 'nominations' trong tệp này rồi tải lên lại"
            ).format(file=path.name)
        )
    path.write_text(kept, encoding="utf-8")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _without_nominations(value: Any) -> Any:
    for sub in value.get("submissions", []):
        if isinstance(sub, dict):
            sub.pop("nominations", None)
    return value
