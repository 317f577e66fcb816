"""Output folders: atomic runs, interrupted runs, and runs into the same folder at once.

A run renders into a hidden stage folder inside the output folder and swaps its results in
only when everything is rendered, under a lock on the output folder. So an interrupted or
failed run leaves the previous output as it was, and of two runs at once the folder ends up
with one run's complete output, never a mix of both and never a half-written folder.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docgen.errors import OutputError
from docgen.render import output

from .conftest import CONFIG, FIXTURES, ROOT, TEMPLATES
from .docx_text import text

ROUNDS = 6  # dossier folders per run: copies of the fixture's round under other ids


def workspace(dest: Path, marker: str, rounds: int = ROUNDS) -> Path:
    """The `mini` fixture with `rounds` copies of its round; `marker` is printed in every
    document (it ends the movement's name), so each document tells which run wrote it."""
    shutil.copytree(FIXTURES / "mini", dest)
    config = CONFIG.read_text(encoding="utf-8")
    start = config.index("  name: ", config.index("movement:"))
    end = config.index("\n", start)
    (dest / "config.yaml").write_text(config[:end] + f" {marker}" + config[end:], encoding="utf-8")
    source = dest / "data" / "rounds" / "2022.yaml"
    text_ = source.read_text(encoding="utf-8")
    for i in range(1, rounds):
        (source.parent / f"2022-{i}.yaml").write_text(
            text_.replace('id: "2022"', f'id: "2022-{i}"'), encoding="utf-8"
        )
    return dest


def start(ws: Path, out: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "docgen",
            "--config",
            str(ws / "config.yaml"),
            "--templates",
            str(TEMPLATES),
            "dossier",
            "--out",
            str(out),
            *args,
        ],
        cwd=ws,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    return proc.returncode, err


def markers(out: Path) -> dict[str, set[str]]:
    """Which run wrote each dossier folder (every document of a folder must agree)."""
    found: dict[str, set[str]] = {}
    for doc in sorted(out.rglob("*.docx")):
        words = text(doc)
        which = {m for m in ("RUN-A", "RUN-B", "RUN-C") if m in words}
        assert len(which) == 1, (doc, which)
        found.setdefault(str(doc.parent.relative_to(out)), set()).update(which)
    return found


def assert_one_complete_set(out: Path) -> str:
    folders = markers(out)
    assert sorted(folders) == sorted(
        ["2022/phuong-song-hien", *(f"2022-{i}/phuong-song-hien" for i in range(1, ROUNDS))]
    )
    for folder in folders:
        assert len(list((out / folder).iterdir())) == 5, folder
    runs = set().union(*folders.values())
    assert len(runs) == 1, f"a mix of runs: {folders}"
    assert not [p for p in out.iterdir() if p.name.startswith(".docgen")], "stage left behind"
    return runs.pop()


@pytest.mark.parametrize("attempt", range(3))
def test_runs_at_once_with_force_leave_one_complete_set(tmp_path: Path, attempt: int) -> None:
    out = tmp_path / "out"
    spaces = [workspace(tmp_path / m, m) for m in ("RUN-A", "RUN-B", "RUN-C")]
    first = start(spaces[0], out)
    assert finish(first)[0] == 0
    procs = [start(ws, out, "--force") for ws in spaces]
    results = [finish(p) for p in procs]
    assert [code for code, _ in results] == [0, 0, 0], results
    assert_one_complete_set(out)


def test_runs_at_once_without_force_one_wins_the_other_refuses(tmp_path: Path) -> None:
    out = tmp_path / "out"
    procs = [start(workspace(tmp_path / m, m), out) for m in ("RUN-A", "RUN-B")]
    results = sorted(finish(p) for p in procs)
    assert [code for code, _ in results] == [0, 1], results
    assert results[1][1].startswith("Lỗi: thư mục kết quả đã tồn tại: ")
    assert_one_complete_set(out)


def test_interrupted_run_keeps_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert finish(start(workspace(tmp_path / "a", "RUN-A"), out))[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    slow = workspace(tmp_path / "b", "RUN-B", rounds=60)  # long enough to be interrupted
    for _ in range(20):
        proc = start(slow, out, "--force")
        deadline = time.monotonic() + 60
        while not any(p.name.startswith(".docgen-") for p in out.iterdir()):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.002)
        proc.send_signal(signal.SIGINT)
        code, err = finish(proc)
        if code != 0:  # interrupted while rendering (not already swapping in)
            break
    else:
        pytest.skip("every run finished before the interrupt arrived")
    assert code == 130, err
    assert "Đã dừng" in err, err  # click turns Ctrl+C into its Abort: "Đã dừng."
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in out.iterdir()) == ["2022", *(f"2022-{i}" for i in range(1, 6))]


# ---------------------------------------------------------------------------------------------
# docgen.render.output.staged directly


def previous(out: Path) -> dict[str, bytes]:
    (out / "a").mkdir(parents=True)
    (out / "a" / "x.txt").write_text("cũ a")
    (out / "b").mkdir()
    (out / "b" / "x.txt").write_text("cũ b")
    return snapshot(out)


def snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_interrupt_while_rendering_removes_the_stage(tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = previous(out)
    with pytest.raises(KeyboardInterrupt), output.staged(out, [Path("a"), Path("b")], True) as st:
        (st / "a").mkdir()
        (st / "a" / "x.txt").write_text("mới")
        raise KeyboardInterrupt
    assert snapshot(out) == before


def test_interrupt_while_swapping_puts_everything_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    before = previous(out)
    real = Path.rename
    calls = 0

    def rename(self: Path, target: Path) -> Path:
        nonlocal calls
        calls += 1
        if calls == 3:  # a's old version moved out, a's new one in, then Ctrl+C
            raise KeyboardInterrupt
        return real(self, target)

    with pytest.raises(KeyboardInterrupt), output.staged(out, [Path("a"), Path("b")], True) as st:
        for name in ("a", "b"):
            (st / name).mkdir()
            (st / name / "x.txt").write_text("mới")
        monkeypatch.setattr(Path, "rename", rename)
    monkeypatch.undo()
    assert snapshot(out) == before


def test_failed_run_into_a_new_folder_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"
    with pytest.raises(RuntimeError), output.staged(out, [Path("a")], False) as st:
        (st / "a").mkdir()
        raise RuntimeError("rendering failed")
    assert not out.exists()


def test_output_that_became_present_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with (
        pytest.raises(OutputError, match="đã tồn tại"),
        output.staged(out, [Path("a")], False) as st,
    ):
        (st / "a").mkdir()
        (out / "a").mkdir()  # another run finished first
        (out / "a" / "x.txt").write_text("của lần chạy kia")
    assert snapshot(out) == {"a/x.txt": "của lần chạy kia".encode()}


# ---------------------------------------------------------------------------------------------
# SIGTERM and SIGKILL in real processes: no worker outlives the run, no stage is left.


def children(pid: int) -> set[int]:
    """Processes whose parent is `pid` (read from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def rendering_with_workers(tmp_path: Path, out: Path) -> tuple[subprocess.Popen[str], set[int]]:
    """A run of 600 documents on 3 processes, caught while its workers render."""
    slow = workspace(tmp_path / "slow", "RUN-B", rounds=120)
    proc = start(slow, out, "--force", "--jobs", "3")
    deadline = time.monotonic() + 90
    while True:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the workers never started"
        workers = children(proc.pid)
        if len(workers) >= 2 and any(p.name.startswith(".docgen-") for p in out.iterdir()):
            return proc, workers
        time.sleep(0.01)


def gone(pids: set[int], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while any(alive(p) for p in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


LINUX_PROC = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def interrupted_run(
    tmp_path: Path,
) -> tuple[Path, dict[str, bytes], subprocess.Popen[str], set[int]]:
    """A previous run's output, and a second run with --force caught with its workers busy."""
    out = tmp_path / "out"
    assert finish(start(workspace(tmp_path / "a", "RUN-A"), out))[0] == 0
    before = snapshot(out)
    proc, workers = rendering_with_workers(tmp_path, out)
    return out, before, proc, workers


@LINUX_PROC
def test_sigterm_cleans_up_like_ctrl_c(tmp_path: Path) -> None:
    out, before, proc, workers = interrupted_run(tmp_path)
    proc.send_signal(signal.SIGTERM)
    code, err = finish(proc)
    assert code == 143, err
    assert err.strip() == "Đã dừng (nhận tín hiệu SIGTERM); kết quả cũ được giữ nguyên.", err
    assert gone(workers), "a worker outlived the run"
    assert snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".docgen")], "stage left behind"


@LINUX_PROC
def test_sigkill_of_the_parent_ends_the_workers_and_the_next_run_sweeps(tmp_path: Path) -> None:
    out, before, proc, workers = interrupted_run(tmp_path)
    proc.kill()  # as the OOM killer does: no handler runs, nothing is cleaned up
    proc.wait(timeout=30)
    assert gone(workers), "a worker outlived its killed parent"
    # the pipes the caller gave are closed by every process: reading them ends
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read() == "" and "Traceback" not in proc.stderr.read()
    stale = [p for p in out.iterdir() if p.name.startswith(".docgen-")]
    assert stale, "the killed run had a stage (else this test shows nothing)"
    assert {k: v for k, v in snapshot(out).items() if not k.startswith(".docgen-")} == before
    # the next run removes the dead run's stage and leaves a live run's alone
    live, held = output._new_stage(out)
    try:
        code, err = finish(start(workspace(tmp_path / "c", "RUN-C"), out, "--force"))
        assert code == 0, err
        left = [p for p in out.iterdir() if p.name.startswith(".docgen-")]
        assert left == [live]
    finally:
        os.close(held)
        live.rmdir()
    assert assert_one_complete_set(out) == "RUN-C"


def test_a_killed_writers_temporary_file_is_swept_but_not_a_live_ones(tmp_path: Path) -> None:
    dead = tmp_path / ".docgen-0123456789ab.xlsx"
    dead.write_bytes(b"half")
    live, held = output._new_temp(tmp_path, ".xlsx")
    try:
        output.write_file(tmp_path / "ke-hoach.xlsx", b"whole")
        assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, "ke-hoach.xlsx"]
    finally:
        os.close(held)
    assert output.remove_stale(tmp_path) == [live]


# ---------------------------------------------------------------------------------------------
# The environment (issue 16.10): a file-size limit or a full disk while rendering


def _limit_file_size() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (8 * 1024, 8 * 1024))


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_file_size_limit_while_rendering_is_a_plain_message(tmp_path: Path, jobs: str) -> None:
    """`ulimit -f`: every document is larger than the limit; in this process and in workers."""
    ws = workspace(tmp_path / "ws", "RUN-A", rounds=30)  # 150 documents: workers with --jobs 2
    out = tmp_path / "out"
    command = ["dossier", "--out", str(out), "--jobs", jobs]
    proc = subprocess.run(
        [sys.executable, "-m", "docgen", "--templates", str(TEMPLATES), *command],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limit_file_size,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert re.fullmatch(
        rf"Lỗi: không ghi được {re.escape(str(out))}/\.docgen-\w+/2022[-\d]*/phuong-song-hien/"
        r"0[1-4][-\w]*\.docx: File too large\n",
        proc.stderr,
    ), proc.stderr
    assert not out.exists()  # the run made it, and took it away again


def test_full_disk_anywhere_is_a_plain_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An OSError from any writer (here the merge's) ends as one line, exit 1."""
    import errno

    from docgen.cli import main
    from docgen.render import merge

    ws = workspace(tmp_path / "ws", "RUN-A", rounds=1)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out" / "x"))

    monkeypatch.setattr(merge, "merge_documents", full)
    monkeypatch.chdir(ws)
    monkeypatch.setattr(
        sys, "argv", ["docgen", "--templates", str(TEMPLATES), "dossier", "--merge"]
    )
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert err == f"Lỗi: lỗi đọc/ghi tệp: {tmp_path / 'out' / 'x'}: No space left on device\n"
    assert not (ws / "out").exists()
