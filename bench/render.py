"""Benchmark: docxtpl's usual loop vs docgen's renderer, on one job and on every CPU.

    .venv/bin/python bench/render.py                 # 1,000 units, 10,000 documents
    .venv/bin/python bench/render.py --units 200     # quicker

Generates a workspace (config.yaml of the repository, N units each nominating itself and six
people: 10 documents a unit), computes every document's context once, then renders the same
documents three ways and measures two floors:

* naive: ``DocxTemplate(path) → render → save`` per document (docgen before), on a sample
  (``--naive-sample``) whose rate is extrapolated to the whole set;
* docgen, 1 job, and docgen, all jobs (``Renderer.render_groups``, one group a unit, the
  contexts ready as for the naive loop);
* floor: copying the template .docx per document, and writing the same zip from
  pre-rendered XML (compressing the rendered parts, copying pre-compressed others);
* the whole ``docgen dossier`` run (``render_dossiers``: checks, staging, and contexts made
  by whichever process renders the dossier), on 1 job and on all jobs;
* peak RSS while a fresh process (and its workers) renders with ``render_dossiers`` the
  dossiers of 100 and then of 10,000 documents of the same loaded workspace;
* ``docgen --help`` against ``python -c "import click"``.

The documents of the naive sample are compared with docgen's, paragraph by paragraph and
cell by cell. Ratios are what matters: they are measured in one run on one machine.
Output goes to a temporary folder (``--work`` chooses where: the file system's cost of
creating files is part of every figure; ``--work /dev/shm`` leaves it out).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.render.renderer import Renderer, Task, cpu_count  # noqa: E402

PEOPLE_PER_UNIT = 6
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FAMILY = ["Nông", "Hoàng", "Bế", "Lục", "Đinh", "Triệu", "La", "Lương", "Hà", "Vi"]
GIVEN = ["Văn Minh", "Thị Hoa", "Văn An", "Thị Mai", "Văn Hùng", "Thị Lan", "Đức Thành", "Thu Hà"]


# ------------------------------------------------------------------------------------- data


def write_workspace(folder: Path, units: int, people: int = PEOPLE_PER_UNIT) -> Path:
    """config.yaml of the repository and generated data/ for `units` units, each nominating
    itself and `people` people (4 + `people` documents a unit); returns config."""
    data = folder / "data"
    (data / "rounds").mkdir(parents=True)
    shutil.copy(ROOT / "config.yaml", folder / "config.yaml")
    unit_lines, people_lines, subs = ["units:"], ["people:"], ["submissions:"]
    for u in range(units):
        uid = f"don-vi-{u:04d}"
        ward = u % 2 == 1
        name = f"Ủy ban nhân dân phường Số {u}" if ward else f"Phòng Chuyên môn Số {u}"
        head = f"{FAMILY[u % 10]} {GIVEN[u % 8]}"
        title = "Chủ tịch UBND phường" if ward else "Trưởng phòng"
        unit_lines += [
            f"  - id: {uid}",
            f"    name: {name}",
            f"    kind: {'ward' if ward else 'office'}",
            f"    symbol: {'UBND' if ward else 'PCM'}",
            f"    head: {{name: {head}, title: {title}}}",
            f"    par_index: {{2021: 93.5, 2022: {90 + u % 10}.25}}",
        ]
        members = [f"{FAMILY[(u + i) % 10]} {GIVEN[(u + 3 * i) % 8]} {i}" for i in range(5)]
        roles = ["Chủ tịch Hội đồng", "Thư ký Hội đồng", "Ủy viên", "Ủy viên", "Ủy viên"]
        subs += [
            f"  - unit: {uid}",
            f'    proposal: {{number: "{u % 90 + 10}", date: 2023-02-20}}',
            "    meeting:",
            f'      number: "{u % 9 + 1:02d}"',
            "      date: 17/02/2023",
            '      start: "14:00"',
            '      end: "16:30"',
            f"      place: Hội trường {name}",
            "      members:",
            *(
                f'        - {{name: {m}, position: Công chức, role: "{r}"}}'
                for m, r in zip(members, roles, strict=True)
            ),
            f"      chair: {members[0]}",
            f"      secretary: {members[1]}",
            "    nominations:",
            f"      - collective: {uid}",
            "        award: giay_khen_tp",
            "        votes: 5",
            "        achievements:",
            "          - Tỷ lệ hồ sơ trực tuyến toàn trình đạt 68,5%; 100% hồ sơ đúng hạn.",
            "          - Số hóa 1.528 hồ sơ, kết quả giải quyết thủ tục hành chính, đạt 82%.",
            '          - Mô hình "Một cửa số & Dữ liệu <mở>" được nhân rộng.',
        ]
        for p in range(people):
            pid = f"can-bo-{u:04d}-{p}"
            people_lines += [
                f"  - id: {pid}",
                f"    name: {FAMILY[(u + p) % 10]} {GIVEN[(u * 7 + p) % 8]}",
                f"    gender: {'nữ' if p % 2 else 'nam'}",
                f"    birth_year: {1970 + (u + p) % 30}",
                "    ethnicity: Tày",
                "    position: Chuyên viên",
                f"    unit: {uid}",
                "    ratings: {2021: HTTNV, 2022: HTXSNV}",
            ]
            subs += [
                f"      - person: {pid}",
                f"        award: {'bang_khen_tinh' if p == 0 else 'giay_khen_tp'}",
                "        votes: 4",
                "        achievements:",
                "          - Hoàn thành xuất sắc nhiệm vụ được giao, 100% hồ sơ đúng hạn.",
                "          - Tham mưu số hóa hồ sơ hộ tịch, hướng dẫn người dân dịch vụ công.",
            ]
    (data / "units.yaml").write_text("\n".join(unit_lines) + "\n", encoding="utf-8")
    (data / "people.yaml").write_text("\n".join(people_lines) + "\n", encoding="utf-8")
    header = ['id: "2022"', "kind: annual", "year: 2022"]
    (data / "rounds" / "2022.yaml").write_text("\n".join(header + subs) + "\n", encoding="utf-8")
    return folder / "config.yaml"


def document_tasks(ws: Any) -> Iterator[tuple[str, dict[str, Any], str]]:
    """(template, context, relative file name) of every dossier document, computed lazily."""
    from docgen.documents.dossier import dossier_jobs

    for rnd in ws.rounds.values():
        for sub in rnd.submissions:
            for job in dossier_jobs(ws, rnd, sub):
                yield job.template, job.context, f"{sub.unit}/{job.filename}"


def style_of(config: Path) -> Any:
    from docgen.documents.dossier import word_style
    from docgen.workspace.config import load_config

    return word_style(load_config(config))


# ----------------------------------------------------------------------------------- timing

Docs = list[tuple[str, dict[str, Any], str]]


def fresh(folder: Path, docs: Docs) -> Path:
    """An empty output folder with a sub-folder per unit, as ``docgen dossier`` writes them.

    Dirty pages of earlier runs are flushed first so that their write-back does not land
    in this run's time.
    """
    shutil.rmtree(folder, ignore_errors=True)
    for unit in {Path(f).parent for _, _, f in docs}:
        (folder / unit).mkdir(parents=True, exist_ok=True)
    os.sync()
    return folder


def naive(templates: Path, style: Any, docs: Docs, out: Path) -> float:
    """docxtpl's usual loop, as docgen did it: one DocxTemplate per document."""
    from docxtpl import DocxTemplate

    from docgen.render.renderer import make_environment

    env = make_environment(style)
    start = time.perf_counter()
    for name, context, file in docs:
        template = DocxTemplate(str(templates / name))
        template.render(context, jinja_env=env, autoescape=True)
        template.save(str(out / file))
    return time.perf_counter() - start


class Ready:
    """One unit's documents as a task group whose contexts are already made."""

    def __init__(self, tasks: list[Task]) -> None:
        self.items = tasks

    def __len__(self) -> int:
        return len(self.items)

    def tasks(self) -> list[Task]:
        return self.items


def docgen(templates: Path, style: Any, docs: Docs, out: Path, jobs: int) -> tuple[float, float]:
    """A new Renderer prepares the templates, then render_groups renders the documents (one
    group per unit, contexts ready, as for the naive loop).

    Returns the seconds in all and the seconds spent preparing the templates.
    """
    start = time.perf_counter()
    renderer = Renderer(templates, style)
    for name in sorted({d[0] for d in docs}):
        renderer.prepare(name)
    prepared = time.perf_counter()
    units: dict[str, list[Task]] = {}
    for name, context, file in docs:
        units.setdefault(str(Path(file).parent), []).append((name, context, out / file))
    renderer.render_groups([Ready(t) for t in units.values()], jobs=jobs)
    return time.perf_counter() - start, prepared - start


def pipeline(ws: Any, templates: Path, out: Path, jobs: int) -> float:
    """``docgen dossier`` on a loaded workspace: checks, staging, and the contexts made by
    the process that renders each dossier (render_dossiers)."""
    from docgen.main import render_dossiers

    start = time.perf_counter()
    render_dossiers(ws, templates, out, force=True, allow_ineligible=True, jobs=jobs)
    return time.perf_counter() - start


class Floors:
    """Writing the documents without rendering them, against docgen with templates ready."""

    def __init__(self, templates: Path, style: Any, docs: Docs) -> None:
        from docgen.render.fast import STATIC_LEVEL, zip_entry

        self.templates, self.docs = templates, docs
        self.renderer = Renderer(templates, style)
        static: dict[str, dict[str, Any]] = {}
        self.rendered: list[tuple[list[Any], dict[str, bytes], str]] = []
        for name, context, file in docs:
            with zipfile.ZipFile(io.BytesIO(self.renderer.render_bytes(name, context))) as zf:
                parts = {n: zf.read(n) for n in zf.namelist()}
            if name not in static:  # untouched parts: compressed once, as docgen does
                dynamic = set(self.renderer.prepare(name).dynamic_parts)
                static[name] = {
                    n: zip_entry(n, data, STATIC_LEVEL)
                    for n, data in parts.items()
                    if n not in dynamic
                }
            entries = [static[name].get(n, n) for n in parts]
            xml = {n: data for n, data in parts.items() if n not in static[name]}
            self.rendered.append((entries, xml, file))

    def copy(self, out: Path) -> float:
        start = time.perf_counter()
        for name, _, file in self.docs:
            shutil.copyfile(self.templates / name, out / file)
        return time.perf_counter() - start

    def write_zip(self, out: Path) -> float:
        from docgen.render.fast import RENDERED_LEVEL, write_zip, zip_entry

        start = time.perf_counter()
        for entries, xml, file in self.rendered:
            members = (
                e if not isinstance(e, str) else zip_entry(e, xml[e], RENDERED_LEVEL)
                for e in entries
            )
            (out / file).write_bytes(write_zip(members))
        return time.perf_counter() - start

    def docgen(self, out: Path) -> float:
        tasks: list[Task] = [(name, context, out / file) for name, context, file in self.docs]
        start = time.perf_counter()
        self.renderer.render_many(tasks, jobs=1)
        return time.perf_counter() - start


# ---------------------------------------------------------------------------- text identity


def _texts(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    from lxml import etree

    def text(p: Any) -> str:
        out = []
        for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
            out.append(
                node.text or "" if node.tag == f"{W}t" else "\t" if node.tag == f"{W}tab" else "\n"
            )
        return "".join(out)

    paragraphs: list[str] = []
    tables: list[list[list[str]]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in sorted(zf.namelist()):
            if name.startswith("word/") and name.endswith(".xml"):
                root = etree.fromstring(zf.read(name))
                paragraphs += [f"{name}: {text(p)}" for p in root.iter(f"{W}p")]
                if name == "word/document.xml":
                    for tbl in root.iter(f"{W}tbl"):
                        tables.append(
                            [
                                [
                                    "\n".join(text(p) for p in tc.iterfind(f"{W}p"))
                                    for tc in tr.iterfind(f"{W}tc")
                                ]
                                for tr in tbl.iterfind(f"{W}tr")
                            ]
                        )
    return paragraphs, tables


def same_text(a: Path, b: Path, files: list[str]) -> int:
    """How many documents differ in any paragraph or table cell."""
    return sum(_texts((a / f).read_bytes()) != _texts((b / f).read_bytes()) for f in files)


# ----------------------------------------------------------------------------------- memory

#: /proc readers for the measuring scripts below (and bench/pdf.py's): RSS fields of a
#: process, its children, and the highest VmHWM of any child while a block runs.
PROC = """
import os, threading

def kib(pid, field):
    with open(f"/proc/{pid}/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith(field + ":"))

def children():
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as f:
            yield from f.read().split()

class WorkerPeaks:
    \"\"\"Samples every 10 ms the VmHWM of this process's children; `.peak` in KiB.\"\"\"
    def __enter__(self):
        self.workers, self.stop = {}, threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()
        return self
    def sample(self):
        while not self.stop.wait(0.01):
            for pid in children():
                try:
                    self.workers[pid] = max(self.workers.get(pid, 0), kib(pid, "VmHWM"))
                except (OSError, StopIteration):
                    pass
    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.peak = max(self.workers.values(), default=0)

def reset_peak():
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # peak RSS (VmHWM) counts from here on
"""

_PEAK = """
import json, sys
from pathlib import Path
sys.path[:0] = [{root!r}]
import docgen.render.renderer
from docgen.main import load_workspace, render_dossiers
{proc}
config, out = Path({config!r}), Path({out!r})
ws = load_workspace(config, config.parent / "data")
units = sorted(ws.units)[: {count} // 10]  # ten documents a unit
docgen.render.renderer.MIN_DOCUMENTS_PER_WORKER = 1  # workers even for 100 documents: same shape
loaded = kib("self", "VmRSS")
reset_peak()  # loading the YAML peaks higher than rendering
with WorkerPeaks() as workers:
    dossiers = render_dossiers(
        ws, Path({templates!r}), out, unit_ids=units, allow_ineligible=True, jobs={jobs}
    )
done = sum(len(d.files) for d in dossiers)
print(json.dumps({{"done": done, "loaded": loaded, "parent": kib("self", "VmHWM"),
                  "workers": workers.peak}}))
"""


def peak_rss(config: Path, templates: Path, count: int, jobs: int, out: Path) -> dict[str, int]:
    """RSS (KiB) of a fresh process once its workspace is loaded, and its peak (and its
    workers' peak) while render_dossiers renders the dossiers of `count` documents."""
    script = _PEAK.format(
        proc=PROC,
        root=str(ROOT),
        config=str(config),
        out=str(out),
        templates=str(templates),
        count=count,
        jobs=jobs,
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    values: dict[str, int] = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["done"] == count, values
    return values


def _burn(n: int) -> None:
    """Pure interpreter work: no memory traffic to speak of, no files."""
    x = 0
    for i in range(n):
        x += i * i % 7


def _write_files(folder: str, count: int, data: bytes) -> None:
    """`count` files of `data`, ten a folder, as docgen writes dossiers."""
    for i in range(count):
        if i % 10 == 0:
            os.makedirs(f"{folder}/{i // 10}", exist_ok=True)
        with open(f"{folder}/{i // 10}/{i}.docx", "wb") as f:
            f.write(data)


def ceilings(out: Path, files: int, size: int, rounds: int) -> tuple[float, float]:
    """What two processes gain over one on this machine, whatever the program: for pure
    interpreter work, and for writing `files` files of `size` bytes under `out` (the file
    system may serialise creating files). Best of `rounds` each; fork, as docgen's workers."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    data = os.urandom(size)

    def timed(target: Any, args: list[tuple[Any, ...]]) -> float:
        start = time.perf_counter()
        processes = [context.Process(target=target, args=a) for a in args]
        for p in processes:
            p.start()
        for p in processes:
            p.join()
        return time.perf_counter() - start

    cpu: dict[int, list[float]] = {1: [], 2: []}
    disk: dict[int, list[float]] = {1: [], 2: []}
    steps = 10_000_000
    for _ in range(rounds):
        for n in (1, 2):
            cpu[n].append(timed(_burn, [(steps // n,)] * n))
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            os.sync()
            shares = [(f"{out}/{k}", files // n, data) for k in range(n)]
            disk[n].append(timed(_write_files, shares))
    shutil.rmtree(out, ignore_errors=True)
    return min(cpu[1]) / min(cpu[2]), min(disk[1]) / min(disk[2])


def startup() -> tuple[float, float]:
    """Median seconds of `docgen --help` and of `python -c "import click"`."""
    script = Path(sys.executable).parent / "docgen"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "docgen"]

    def median(args: list[str]) -> float:
        times = []
        for _ in range(11):
            start = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    return median([*command, "--help"]), median([sys.executable, "-c", "import click"])


# ------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000, help="units (10 documents each)")
    parser.add_argument("--naive-sample", type=int, default=200, help="documents for docxtpl")
    parser.add_argument("--floor-sample", type=int, default=2000, help="documents for floors")
    parser.add_argument("--jobs", type=int, default=cpu_count(), help="'all jobs' (CPUs)")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each kind")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: temp)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="docgen-bench-", dir=args.work))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> None:
    templates = ROOT / "templates"
    t0 = time.perf_counter()
    config = write_workspace(work / "ws", args.units)
    style = style_of(config)
    from docgen.main import load_workspace

    ws = load_workspace(config, config.parent / "data")
    docs = list(document_tasks(ws))
    n = len(docs)
    sample = docs[:: max(1, n // args.naive_sample)][: args.naive_sample]  # every template
    floor_docs = docs[: args.floor_sample]  # whole dossiers, ten files a folder as in real runs
    print(
        f"docgen render benchmark: {args.units:,} units, {n:,} documents "
        f"({', '.join(sorted({d[0] for d in docs}))}); {cpu_count()} CPUs; "
        f"data and contexts ready in {time.perf_counter() - t0:.1f} s"
    )

    naive_s = naive(templates, style, sample, fresh(work / "naive", sample))
    # runs alternate, and the best of each kind counts: a disk's write-back or another
    # process then disturbs both kinds alike instead of whichever ran at that moment
    one: list[tuple[float, float]] = []
    many: list[tuple[float, float]] = []
    for _ in range(args.rounds):
        one.append(docgen(templates, style, docs, fresh(work / "one", docs), 1))
        many.append(docgen(templates, style, docs, fresh(work / "all", docs), args.jobs))
    (one_s, one_prep), (all_s, all_prep) = min(one), min(many)
    whole: dict[int, list[float]] = {1: [], args.jobs: []}
    for i in range(args.rounds):
        for jobs in whole:
            whole[jobs].append(pipeline(ws, templates, work / f"dossier-{jobs}-{i}", jobs))
            shutil.rmtree(work / f"dossier-{jobs}-{i}")
    whole_one, whole_all = min(whole[1]), min(whole[args.jobs])
    differ = same_text(work / "naive", work / "one", [f for _, _, f in sample])
    identical = all(
        (work / "one" / f).read_bytes() == (work / "all" / f).read_bytes() for _, _, f in docs
    )
    size = sum((work / "one" / f).stat().st_size for _, _, f in docs) // n
    for folder in ("naive", "one", "all"):
        shutil.rmtree(work / folder)
    floors = Floors(templates, style, floor_docs)
    timings: dict[str, list[float]] = {"copy": [], "zip": [], "docgen": []}
    for _ in range(args.rounds):
        timings["copy"].append(floors.copy(fresh(work / "floor", floor_docs)))
        timings["zip"].append(floors.write_zip(fresh(work / "floor", floor_docs)))
        timings["docgen"].append(floors.docgen(fresh(work / "floor", floor_docs)))
    copy_s, zip_s, ready_s = (min(timings[k]) for k in ("copy", "zip", "docgen"))
    shutil.rmtree(work / "floor")

    def line(label: str, seconds: float, count: int, note: str = "") -> float:
        ms = seconds / count * 1000
        print(f"  {label:<44} {count / seconds:>8,.0f} docs/s {ms:>7.3f} ms/doc  {note}")
        return ms

    print(
        f"\nRendering every document, files written under {work.parent} "
        f"(best of {args.rounds} alternating runs):"
    )
    naive_ms = line(
        "naive docxtpl loop (sample, extrapolated)",
        naive_s,
        len(sample),
        f"{len(sample)} in {naive_s:.1f} s; all {n:,}: ~{naive_s / len(sample) * n:,.0f} s",
    )
    one_ms = line("docgen, 1 job", one_s, n, f"{one_s:.2f} s, preparing templates {one_prep:.2f} s")
    all_ms = line(
        f"docgen, {args.jobs} jobs",
        all_s,
        n,
        f"{all_s:.2f} s, preparing templates {all_prep:.2f} s",
    )
    print(f"\nFloors, on {len(floor_docs):,} of the documents (best of {args.rounds} runs):")
    line("copy the template .docx", copy_s, len(floor_docs))
    floor_ms = line("write the zip of pre-rendered XML", zip_s, len(floor_docs))
    ready_ms = line("docgen, 1 job, templates already prepared", ready_s, len(floor_docs))

    print(
        f"\nWhole dossier runs (render_dossiers on the loaded workspace: checks, staging, "
        f"contexts made\nby the process that renders them; best of {args.rounds}):"
    )
    line("docgen dossier, 1 job", whole_one, n, f"{whole_one:.2f} s")
    line(f"docgen dossier, {args.jobs} jobs", whole_all, n, f"{whole_all:.2f} s")

    print("\nMemory: peak RSS of a fresh process (and its workers) once the workspace is loaded,")
    print("while render_dossiers renders the dossiers of the first units (ten documents each):")
    big = min(10_000, n)
    growth = 0.0
    for jobs in sorted({1, args.jobs}):
        peaks = {
            count: peak_rss(config, templates, count, jobs, work / "mem" / f"{jobs}-{count}")
            for count in (100, big)
        }
        for count, m in peaks.items():
            workers = f", largest worker {m['workers'] / 1024:.1f} MB" if jobs > 1 else ""
            print(
                f"  {jobs} job(s), {count:>6,} documents: {m['parent'] / 1024:6.1f} MB "
                f"(before rendering: {m['loaded'] / 1024:.1f} MB){workers}"
            )
        for key in ("parent", "workers") if jobs > 1 else ("parent",):
            growth = max(growth, (peaks[big][key] - peaks[100][key]) / 1024)
    shutil.rmtree(work / "mem")

    cpu_ceiling, file_ceiling = ceilings(work / "ceiling", n, size, args.rounds)
    help_s, click_s = startup()
    print(
        f"\nStart-up (median of 11): docgen --help {help_s * 1000:.0f} ms, "
        f"python -c 'import click' {click_s * 1000:.0f} ms"
    )

    speedup, ratio, scaling = naive_ms / one_ms, ready_ms / floor_ms, one_ms / all_ms
    start = help_s / click_s

    def target(what: str, value: str, wanted: str, ok: bool, note: str = "") -> None:
        print(f"  {what:<34} {value:>16}  ({wanted:<9}) {'met' if ok else 'NOT MET'}{note}")

    print("\nTargets (ratios within this run):")
    target("docgen 1 job vs naive docxtpl", f"{speedup:.1f}x faster", ">= 30x", speedup >= 30)
    print(f"    document text (paragraphs, table cells) differs in {differ} of {len(sample)}")
    target("docgen 1 job vs zip floor", f"{ratio:.2f}x the time", "<= 2x", ratio <= 2)
    rendering = (one_s - one_prep) / (all_s - all_prep)
    target(
        f"{args.jobs} jobs vs 1 job",
        f"{scaling:.2f}x faster",
        ">= 1.7x",
        scaling >= 1.7,
        f"; rendering phase alone {rendering:.2f}x; byte-identical output: {identical}",
    )
    whole_scaling = whole_one / whole_all
    target(
        f"docgen dossier, {args.jobs} jobs vs 1",
        f"{whole_scaling:.2f}x faster",
        ">= 1.7x",
        whole_scaling >= 1.7,
    )
    print(
        f"    ceilings, 2 processes vs 1 on this machine: pure interpreter work "
        f"{cpu_ceiling:.2f}x;\n    writing {n:,} files of {size:,} bytes under {work.parent} "
        f"{file_ceiling:.2f}x"
    )
    target(f"peak RSS {big:,} vs 100 documents", f"+{growth:.1f} MB", "<= 20 MB", growth <= 20)
    target("docgen --help vs import click", f"{start:.2f}x the time", "< 2x", start < 2)
    print(
        "\nThe naive rate is measured on a sample and extrapolated; the docgen runs cover every"
        "\ndocument. The zip floor writes the same entries docgen writes (rendered parts"
        "\ncompressed per document, the others pre-compressed), so that ratio is the cost of"
        "\nrendering over the cost of writing."
    )


if __name__ == "__main__":
    main()
