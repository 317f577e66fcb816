"""Benchmark: PDF conversion (one soffice, all jobs, warm), previews cold and warm, and a
national-size round through render_dossiers.

    .venv/bin/python bench/pdf.py                  # 200 PDFs; round of 1,000 units (8,000 docs)
    .venv/bin/python bench/pdf.py --national       # round of 3,300 units: 26,400 documents
    .venv/bin/python bench/pdf.py --skip-pdf       # the round only

Generates a workspace like bench/render.py (config.yaml of the repository, N units each
nominating itself and four people: 8 documents a unit), then measures in one run:

* PDF conversion of the first `--pdf-documents` documents (200: a round's dossiers, where
  LibreOffice's start-up is a small part): `render.pdf.convert` with one soffice process,
  with `--jobs` processes (each its own profile), docgen's own path on `--jobs` jobs
  (`render.warm.convert`, what `dossier --pdf` calls: warm converters started and closed
  within the timing, or processes without python3-uno; the target is on this one), and
  `--jobs` warm converters started beforehand (their start shown apart, as for a server),
  in `--pdf-rounds` alternating runs, the best of each kind counting,
  with the machine's two-process ceiling for pure interpreter work measured in the same run;
* one document's preview (`main.preview_pdf`): cold (a fresh LibreOffice and profile, as
  without a converter) and warm (a started WarmConverter), median of `--rounds`;
* the round: one fresh process loads the workspace once (the YAML size guards are lifted
  for it: a national round's files exceed them), then `render_dossiers` renders the dossiers
  of the first 1,000 documents, then of every unit, on `--jobs` jobs; time per document,
  and the peak RSS of the process and of its largest worker during each (peak counters
  reset after loading and between the two).

Ratios are what matters: they are measured in one run on one machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from render import PROC, ROOT, ceilings, write_workspace  # noqa: E402

from docgen.render.renderer import cpu_count  # noqa: E402

PEOPLE = 4  # 8 documents a unit, as the national estimate (3,300 units × 8)

_ROUND = """
import gc, json, shutil, sys, time
from pathlib import Path
sys.path[:0] = [{root!r}]
import docgen.render.renderer
import docgen.workspace.yamlio as yamlio
yamlio.MAX_NODES, yamlio.MAX_BYTES = 10**9, 10**10  # a national round's files are larger
docgen.render.renderer.MIN_DOCUMENTS_PER_WORKER = 1  # workers for the small run too: same shape
from docgen.main import load_workspace, render_dossiers
{proc}
config = Path({config!r})
start = time.perf_counter()
ws = load_workspace(config, config.parent / "data")
results = {{"load_s": time.perf_counter() - start, "units": len(ws.units), "runs": []}}
units = sorted(ws.units)
for count in ({small}, len(units) * {per_unit}):
    chosen = units[: count // {per_unit}]
    gc.collect()
    reset_peak()
    before = kib("self", "VmRSS")
    out = Path({out!r}) / str(count)
    start = time.perf_counter()
    with WorkerPeaks() as workers:
        dossiers = render_dossiers(
            ws, Path({templates!r}), out, unit_ids=chosen if len(chosen) < len(units) else (),
            allow_ineligible=True, jobs={jobs},
        )
    seconds = time.perf_counter() - start
    results["runs"].append({{
        "documents": sum(len(d.files) for d in dossiers), "seconds": seconds, "before": before,
        "parent": kib("self", "VmHWM"), "workers": workers.peak}})
    shutil.rmtree(out)
print(json.dumps(results))
"""


def national(config: Path, jobs: int, small: int, out: Path) -> dict[str, object]:
    script = _ROUND.format(
        proc=PROC,
        root=str(ROOT),
        config=str(config),
        out=str(out),
        templates=str(ROOT / "templates"),
        small=small,
        per_unit=4 + PEOPLE,
        jobs=jobs,
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    values: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return values


def copies(docs: list[Path], folder: Path) -> list[Path]:
    """The documents copied under `folder` (each run converts its own copies)."""
    shutil.rmtree(folder, ignore_errors=True)
    made = []
    for i, doc in enumerate(docs):
        copy = folder / f"{i // 8}" / doc.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(doc, copy)
        made.append(copy)
    return made


def warm_pool(converters: list[object], docs: list[Path]) -> float:
    """Seconds for `converters` (started WarmConverters) to convert `docs`, one thread each
    taking the next document."""
    from docgen.render.warm import WarmConverter

    todo = list(reversed(docs))
    lock = threading.Lock()

    def work(converter: WarmConverter) -> None:
        while True:
            with lock:
                if not todo:
                    return
                doc = todo.pop()
            converter.convert(doc, doc.parent)

    start = time.perf_counter()
    threads = [threading.Thread(target=work, args=(c,)) for c in converters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000, help="units of the round (8 docs each)")
    parser.add_argument("--national", action="store_true", help="3,300 units: 26,400 documents")
    parser.add_argument("--small", type=int, default=1000, help="documents of the smaller run")
    parser.add_argument("--pdf-documents", type=int, default=200, help="documents to PDF")
    parser.add_argument("--pdf-rounds", type=int, default=2, help="alternating PDF runs (best)")
    parser.add_argument("--jobs", type=int, default=cpu_count(), help="'all jobs' (CPUs)")
    parser.add_argument("--rounds", type=int, default=3, help="previews timed (median)")
    parser.add_argument("--skip-pdf", action="store_true", help="the round only")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: temp)")
    args = parser.parse_args()
    if args.national:
        args.units = 3300
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-pdf-", dir=args.work))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> None:
    t0 = time.perf_counter()
    config = write_workspace(work / "ws", args.units, PEOPLE)
    print(
        f"docgen PDF and round benchmark: {args.units:,} units, {args.units * (4 + PEOPLE):,} "
        f"documents; {cpu_count()} CPUs, --jobs {args.jobs}; data written in "
        f"{time.perf_counter() - t0:.1f} s"
    )
    targets: list[tuple[str, str, str, bool, str]] = []
    if not args.skip_pdf:
        targets += pdf_figures(args, config, work)
    targets += round_figures(args, config, work)

    print("\nTargets (ratios within this run):")
    for what, value, wanted, ok, note in targets:
        print(f"  {what:<40} {value:>16}  ({wanted:<9}) {'met' if ok else 'NOT MET'}{note}")


def pdf_figures(
    args: argparse.Namespace, config: Path, work: Path
) -> list[tuple[str, str, str, bool, str]]:
    from docgen.main import load_workspace, preview_pdf, render_dossiers
    from docgen.render import pdf
    from docgen.render.warm import WarmConverter, uno_python
    from docgen.render.warm import convert as docgen_convert

    units_needed = -(-args.pdf_documents // (4 + PEOPLE))
    # the first units only: loading the whole round is the round part's business
    small = write_workspace(work / "pdf-ws", units_needed, PEOPLE)
    ws = load_workspace(small, small.parent / "data")
    render_dossiers(ws, ROOT / "templates", work / "docx", allow_ineligible=True, jobs=1)
    docs = sorted((work / "docx").rglob("*.docx"))[: args.pdf_documents]
    n = len(docs)

    start = time.perf_counter()
    converters = [WarmConverter() for _ in range(args.jobs)]
    starting = [threading.Thread(target=c.start) for c in converters]
    for t in starting:
        t.start()
    for t in starting:
        t.join()
    warm_start = time.perf_counter() - start
    try:
        # the kinds alternate and the best of each counts: the load of other processes on
        # the machine then disturbs every kind alike instead of whichever ran at that moment
        runs: dict[str, list[float]] = {"one": [], "all": [], "docgen": [], "warm": []}
        made: dict[str, list[Path]] = {}
        for _ in range(args.pdf_rounds):
            for label, jobs in (("one", 1), ("all", args.jobs)):
                batch = copies(docs, work / label)
                start = time.perf_counter()
                made[label] = pdf.convert(batch, jobs=jobs)
                runs[label].append(time.perf_counter() - start)
            # what `dossier --pdf --jobs N` calls: its converters started and closed within
            batch = copies(docs, work / "docgen")
            start = time.perf_counter()
            made["docgen"] = docgen_convert(batch, jobs=args.jobs)
            runs["docgen"].append(time.perf_counter() - start)
            batch = copies(docs, work / "warm")
            runs["warm"].append(warm_pool(list(converters), batch))
            made["warm"] = [d.with_suffix(".pdf") for d in batch]
        timings = {label: min(times) for label, times in runs.items()}
        same_pages = sum(
            page_count(a) == page_count(b) == page_count(c) == page_count(d)
            for a, b, c, d in zip(
                made["one"], made["all"], made["docgen"], made["warm"], strict=True
            )
        )

        sample = docs[0]
        cold_times, warm_times = [], []
        for _ in range(args.rounds):
            start = time.perf_counter()
            preview_pdf(sample)
            cold_times.append(time.perf_counter() - start)
        preview_pdf(sample, converters[0])  # the document's first conversion: fonts, caches
        for _ in range(args.rounds):
            start = time.perf_counter()
            preview_pdf(sample, converters[0])
            warm_times.append(time.perf_counter() - start)
    finally:
        for c in converters:
            c.close()
    cold_s, warm_s = statistics.median(cold_times), statistics.median(warm_times)
    cpu_ceiling, _files = ceilings(work / "ceiling", 200, 50_000, 3)

    def line(label: str, seconds: float, note: str = "") -> None:
        print(f"  {label:<44} {n / seconds:>6.2f} docs/s {seconds / n:>7.3f} s/doc  {note}")

    print(
        f"\nPDF conversion of {n} documents (LibreOffice {soffice_version()}; best of "
        f"{args.pdf_rounds} alternating runs):"
    )
    line("one soffice process", timings["one"], f"{timings['one']:.1f} s")
    line(f"{args.jobs} soffice processes", timings["all"], f"{timings['all']:.1f} s")
    way = "warm converters" if uno_python() else "soffice processes (no python3-uno)"
    line(
        f"docgen's path, {args.jobs} jobs: {way}",
        timings["docgen"],
        f"{timings['docgen']:.1f} s, their start included",
    )
    line(
        f"{args.jobs} warm converters, started beforehand",
        timings["warm"],
        f"{timings['warm']:.1f} s (+ starting them: {warm_start:.1f} s)",
    )
    print(f"  same page count on all four paths: {same_pages} of {n}")
    print(
        f"\nPreview of {sample.name} (median of {args.rounds}): cold {cold_s:.2f} s, "
        f"warm {warm_s:.2f} s"
    )
    print(f"\nCeiling, 2 processes vs 1, pure interpreter work: {cpu_ceiling:.2f}x")
    scaling = timings["one"] / timings["docgen"]
    speedup = cold_s / warm_s
    return [
        (
            f"PDF, docgen on {args.jobs} jobs vs one process",
            f"{scaling:.2f}x faster",
            ">= 1.7x",
            scaling >= 1.7,
            f"; {args.jobs} soffice processes {timings['one'] / timings['all']:.2f}x, "
            f"{args.jobs} warm started beforehand {timings['one'] / timings['warm']:.2f}x; "
            f"ceiling {cpu_ceiling:.2f}x",
        ),
        ("preview, warm vs cold", f"{speedup:.1f}x faster", ">= 5x", speedup >= 5, ""),
    ]


def round_figures(
    args: argparse.Namespace, config: Path, work: Path
) -> list[tuple[str, str, str, bool, str]]:
    values = national(config, args.jobs, args.small, work / "round")
    runs = values["runs"]
    assert isinstance(runs, list)
    small, big = runs
    print(
        f"\nRound of {values['units']:,} units in one process (workspace loaded once, in "
        f"{values['load_s']:.1f} s), render_dossiers on {args.jobs} jobs:"
    )
    for r in runs:
        workers = f", largest worker {r['workers'] / 1024:.1f} MB" if r["workers"] else ""
        print(
            f"  {r['documents']:>7,} documents: {r['seconds']:7.2f} s, "
            f"{r['seconds'] / r['documents'] * 1000:.3f} ms/doc; peak RSS "
            f"{r['parent'] / 1024:.1f} MB (before: {r['before'] / 1024:.1f} MB){workers}"
        )
    per_doc = (big["seconds"] / big["documents"]) / (small["seconds"] / small["documents"])
    growth = max(big[k] - small[k] for k in ("parent", "workers")) / 1024
    label = f"{big['documents']:,} vs {small['documents']:,} docs"
    note = "" if args.national else " (not the national size: run with --national)"
    return [
        (f"time per doc, {label}", f"{per_doc:.2f}x", "<= 1.1x", per_doc <= 1.1, note),
        (f"peak RSS, {label}", f"+{growth:.1f} MB", "<= 20 MB", growth <= 20, note),
    ]


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(li.split()[-1] for li in info.stdout.splitlines() if li.startswith("Pages")))


def soffice_version() -> str:
    from docgen.render.pdf import find_soffice

    result = subprocess.run([find_soffice(), "--version"], capture_output=True, text=True)
    return " ".join(result.stdout.split()[1:2]) or "?"


if __name__ == "__main__":
    main()
