"""Write a run's output atomically: a temporary folder (or file), moved into place only on
success.

An existing output folder is never overwritten without `force`, and a failed or interrupted
run leaves the previous output exactly as it was. Two runs into the same folder at once render
side by side but swap their results in one at a time, under a lock on the output folder, so
the folder ends up holding one run's complete output, never a mix.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from docgen.errors import OutputError
from docgen.i18n import _, ngettext


def check_file(path: Path, force: bool) -> None:
    """Refuse before any work to write over a folder, or over a file without `force`."""
    if path.is_dir():
        raise OutputError(
            _("{path} là một thư mục; hãy chọn tên tệp {suffix}").format(
                path=path, suffix=path.suffix or ".docx"
            )
        )
    if path.exists() and not force:
        raise OutputError(
            _("tệp kết quả đã tồn tại: {path}. Dùng --force để ghi đè.").format(path=path)
        )


def write_file(path: Path, write: bytes | Callable[[Path], None], force: bool = True) -> Path:
    """Write one file whole or not at all: `write` (the bytes, or a function that writes a
    given path) goes to a hidden file beside `path`, renamed over it only when complete."""
    check_file(path, force)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale(folder)
        tmp, held = _new_temp(folder, path.suffix)
    except OSError as exc:
        raise OutputError(
            _("không ghi được vào thư mục {folder}: {reason}").format(
                folder=folder, reason=exc.strerror
            )
        ) from exc
    try:
        if isinstance(write, bytes):
            tmp.write_bytes(write)
        else:
            write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(
            _("không ghi được {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
        os.close(held)
    return path


#: Names of the hidden files and folders a run works in; left behind only by a killed run.
TEMP_PREFIX = ".docgen-"


def _new_temp(folder: Path, suffix: str) -> tuple[Path, int]:
    """An empty hidden file in `folder`, created with the user's umask (not 0600), and a
    descriptor holding its lock (it marks the file as in use, see remove_stale)."""
    while True:
        path = folder / f"{TEMP_PREFIX}{secrets.token_hex(6)}{suffix}"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        if _hold(fd, path):
            return path, fd


def _new_stage(out_dir: Path) -> tuple[Path, int]:
    """A hidden stage folder in `out_dir` and a descriptor holding its lock."""
    while True:
        stage = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=out_dir))
        fd = os.open(stage, os.O_RDONLY)
        if _hold(fd, stage):
            return stage, fd


def _hold(fd: int, path: Path) -> bool:
    """Lock `fd` (the file or folder just made at `path`) for as long as this process, or a
    worker it forks, keeps it open: the kernel releases the lock when they die, however they
    die. False (and `fd` closed) if another run's remove_stale took `path` first."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no locks, and nothing is swept
        return True
    with suppress(OSError):  # a file system without flock: not swept either
        fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        if os.path.samestat(os.fstat(fd), os.stat(path)):
            return True
    except OSError:
        pass
    os.close(fd)
    return False


def remove_stale(folder: Path) -> list[Path]:
    """Remove the hidden stage folders and temporary files that runs killed outright
    (SIGKILL, out of memory, power loss) left in `folder`; return them.

    A live run holds a lock on each of its own, so only those nobody holds are removed; they
    cannot be the result of any run (results are moved out of them before the lock goes).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return []
    removed: list[Path] = []
    try:
        entries = [e for e in folder.iterdir() if e.name.startswith(TEMP_PREFIX)]
    except OSError:
        return []
    for entry in entries:
        try:
            fd = os.open(entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # in use by a live run (or no flock here): leave it
            os.close(fd)
            continue
        try:
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
        finally:
            os.close(fd)
    return removed


def check_targets(out_dir: Path, targets: list[Path], force: bool) -> None:
    """Refuse before any work if a target exists and `force` is not given."""
    existing = [t for t in targets if (out_dir / t).exists()]
    if existing and not force:
        shown = ", ".join(str(out_dir / t) for t in existing[:5])
        more = len(existing) - 5
        if more > 0:
            message = ngettext(
                "thư mục kết quả đã tồn tại: {folders} và {n} thư mục khác. "
                "Dùng --force để ghi đè, hoặc chọn --out khác.",
                "thư mục kết quả đã tồn tại: {folders} và {n} thư mục khác. "
                "Dùng --force để ghi đè, hoặc chọn --out khác.",
                more,
            ).format(folders=shown, n=more)
        else:
            message = _(
                "thư mục kết quả đã tồn tại: {folders}. "
                "Dùng --force để ghi đè, hoặc chọn --out khác."
            ).format(folders=shown)
        raise OutputError(message)


@contextmanager
def staged(out_dir: Path, targets: list[Path], force: bool) -> Iterator[Path]:
    """Yield a staging folder; on success move each target from it into `out_dir`."""
    check_targets(out_dir, targets, force)
    created = not out_dir.exists()
    stage: Path | None = None
    held = -1
    done = False
    try:
        with _signals_held():  # Ctrl+C now would leave a stage folder nobody removes
            try:
                out_dir.mkdir(parents=True, exist_ok=True)
                remove_stale(out_dir)
                stage, held = _new_stage(out_dir)
            except OSError as exc:
                raise OutputError(
                    _("không tạo được thư mục {path}: {reason}").format(
                        path=out_dir, reason=exc.strerror
                    )
                ) from exc
        yield stage
        with _locked(out_dir), _signals_held():
            check_targets(out_dir, targets, force)  # another run may have written them meanwhile
            commit(out_dir, stage, targets)
        done = True
    finally:
        with _signals_held():
            if stage is not None:
                shutil.rmtree(stage, ignore_errors=True)
                os.close(held)
            if created and not done:
                _remove_if_empty(out_dir)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl+C (SIGINT) and SIGTERM back for file operations that must not be cut in half:
    creating and removing the stage, swapping results in. They arrive right after."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (waiting for another run to finish its swap).

    The lock is on the folder itself, so no lock file is left behind. Where folders cannot be
    locked (Windows, some network file systems) each target is still swapped atomically.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        with suppress(OSError):  # a file system without flock: no lock, still atomic swaps
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _remove_if_empty(folder: Path) -> None:
    """A failed run leaves no trace: the output folder it created goes if nothing is in it."""
    with suppress(OSError):  # not empty: another run is using it
        folder.rmdir()


def commit(out_dir: Path, stage: Path, targets: list[Path]) -> None:
    """Swap staged targets (files or folders) in; old versions go to the stage and vanish
    with it. All or nothing: a failure or Ctrl+C half-way puts back what was moved.

    A folder being replaced must hold only files the new version has too: a file someone put
    there (a scanned signed PDF, notes) or one this run no longer makes (last run's PDFs) is
    never deleted; the swap is refused, naming them, before anything moves.
    """
    _refuse_foreign(out_dir, stage, targets)
    old_dir = stage / ".old"
    moved: list[tuple[Path, Path | None, bool]] = []
    made: list[Path] = []  # folders made for the targets, removed again on failure
    try:
        for i, target in enumerate(targets):
            final = out_dir / target
            backup: Path | None = None
            if final.exists() or final.is_symlink():
                backup = old_dir / str(i)
                backup.parent.mkdir(parents=True, exist_ok=True)
                final.rename(backup)
            moved.append((final, backup, False))
            made.extend(_make_parents(final.parent, out_dir))
            (stage / target).rename(final)
            moved[-1] = (final, backup, True)
    except BaseException as exc:  # also Ctrl+C half-way: the old versions live in the stage
        for final, backup, placed in reversed(moved):  # put everything back as it was
            if placed:
                if final.is_dir() and not final.is_symlink():
                    shutil.rmtree(final, ignore_errors=True)
                else:
                    final.unlink(missing_ok=True)
            if backup is not None:
                backup.rename(final)
        for folder in reversed(made):
            _remove_if_empty(folder)
        if isinstance(exc, OSError):
            raise OutputError(
                _("không ghi được kết quả vào {path}: {reason}").format(path=out_dir, reason=exc)
            ) from exc
        raise


def _make_parents(folder: Path, top: Path) -> list[Path]:
    """mkdir -p `folder` (below `top`); the folders it made, outermost first."""
    missing: list[Path] = []
    while folder != top and not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _refuse_foreign(out_dir: Path, stage: Path, targets: list[Path]) -> None:
    """OutputError if an existing target folder has files its staged version lacks."""
    foreign: list[Path] = []
    for target in targets:
        old, new = out_dir / target, stage / target
        if old.is_dir() and not old.is_symlink() and new.is_dir():
            ours = {p.relative_to(new) for p in new.rglob("*")}
            foreign += [
                p
                for p in sorted(old.rglob("*"))
                if p.relative_to(old) not in ours and (p.is_symlink() or not p.is_dir())
            ]
    if foreign:
        shown = ", ".join(str(p) for p in foreign[:5])
        more = len(foreign) - 5
        raise OutputError(
            _(
                "--force không xóa tệp mà lần chạy này không tạo ra: {files}{more}. "
                "Hãy chuyển chúng ra khỏi thư mục kết quả (hoặc chọn --out khác); không ghi gì."
            ).format(
                files=shown,
                more=_(" và {n} tệp khác").format(n=more) if more > 0 else "",
            )
        )
