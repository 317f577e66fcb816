"""Write a run's output atomically: a temporary folder, moved into place only on success.

An existing output folder is never overwritten without `force`, and a failed or interrupted
run leaves the previous output exactly as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError


def check_targets(out_dir: Path, targets: list[Path], force: bool) -> None:
    """Refuse before any work if a target exists and `force` is not given."""
    existing = [t for t in targets if (out_dir / t).exists()]
    if existing and not force:
        shown = ", ".join(str(out_dir / t) for t in existing[:5])
        more = f" và {len(existing) - 5} thư mục khác" if len(existing) > 5 else ""
        raise OutputError(
            f"thư mục kết quả đã tồn tại: {shown}{more}. "
            "Dùng --force để ghi đè, hoặc chọn --out khác."
        )


@contextmanager
def staged(out_dir: Path, targets: list[Path], force: bool) -> Iterator[Path]:
    """Yield a staging folder; on success move each target from it into `out_dir`."""
    check_targets(out_dir, targets, force)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"không tạo được thư mục {out_dir}: {exc.strerror}") from exc
    stage = Path(tempfile.mkdtemp(prefix=".docgen-", dir=out_dir))
    try:
        yield stage
        _commit(out_dir, stage, targets)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _commit(out_dir: Path, stage: Path, targets: list[Path]) -> None:
    """Swap staged targets in; old versions go to the stage and vanish with it."""
    old_dir = stage / ".old"
    moved: list[tuple[Path, Path | None, bool]] = []
    try:
        for i, target in enumerate(targets):
            final = out_dir / target
            backup: Path | None = None
            if final.exists():
                backup = old_dir / str(i)
                backup.parent.mkdir(parents=True, exist_ok=True)
                final.rename(backup)
            moved.append((final, backup, False))
            final.parent.mkdir(parents=True, exist_ok=True)
            (stage / target).rename(final)
            moved[-1] = (final, backup, True)
    except OSError as exc:
        for final, backup, placed in reversed(moved):  # put everything back as it was
            if placed:
                shutil.rmtree(final, ignore_errors=True)
            if backup is not None:
                backup.rename(final)
        raise OutputError(f"không ghi được kết quả vào {out_dir}: {exc}") from exc
