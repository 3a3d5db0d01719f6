"""Parallel batch runs (issue 10): ``tether check FOLDER`` with 1 worker against 2 (and Dask).

The folder (built in a temporary directory): 200 documents × 50 annotations. Each document is
its own PDF — a hard link (else a copy) of a fixture paper's *new* version (half the yellow
paper's 2018 version, 42 pages; half the Italian thesis's v2, 22 pages) — and a note of 50
blocks sampled (seeded, different for every document) from the 150 real annotations made on
the paper's *old* version (fixtures/updates/*/v1.md), so the resolver does real work: drifted,
fuzzy and orphaned annotations, not only exact positions.

Measured as commands, end to end (start-up, planning, workers, the JSON report): wall time and
CPU time (the command's and its workers', ``RUSAGE_CHILDREN``), median of ``--repeat``
interleaved rounds (1 worker, 2 workers, Dask with 2 workers in each round, so the machine's
load is shared alike):

- ``--no-cache``: every document's text extracted again (the real work of a cold run);
- warm cache: a fresh ``TETHER_CACHE_DIR`` filled beforehand; the 200 PDFs are two distinct
  contents, so the extraction is skipped and what remains is resolution (the other half).

The load average is printed before and after: this machine's 2 cores are shared with other
work, which bounds any speed-up. Every run's report must be identical (checked).

Run: ``python benchmarks/parallel.py [--docs 200] [--per-doc 50] [--repeat 3] [--cold-repeat N]
[--no-dask]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAPERS = ("eth-yellowpaper", "music-esprit-thesis-it")
BLOCK_START = re.compile(r"^>%%\n>```annotation-json", re.M)


def note_blocks(note: str) -> tuple[str, list[str]]:
    """The front matter and the annotation blocks of a note (text kept as is)."""
    starts = [m.start() for m in BLOCK_START.finditer(note)]
    ends = [*starts[1:], len(note)]
    return note[: starts[0]], [note[a:b] for a, b in zip(starts, ends, strict=True)]


def build_folder(root: Path, docs: int, per_doc: int) -> None:
    sources = {}
    for name in PAPERS:
        head, blocks = note_blocks(
            (ROOT / "fixtures" / "updates" / name / "v1.md").read_text(encoding="utf-8"))
        sources[name] = (head.replace("annotation-target: v1.pdf",
                                      "annotation-target: paper.pdf", 1), blocks)
    for i in range(docs):
        name = PAPERS[i % 2]
        head, blocks = sources[name]
        d = root / f"doc{i:03d}"
        d.mkdir()
        pdf = ROOT / "fixtures" / "pdfs" / name / "v2.pdf"
        try:
            os.link(pdf, d / "paper.pdf")
        except OSError:
            shutil.copyfile(pdf, d / "paper.pdf")
        chosen = random.Random(i).sample(blocks, per_doc)
        (d / "note.md").write_text(head + "".join(chosen), encoding="utf-8")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(folder: Path, args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the command and its workers, the JSON report)."""
    cpu = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "tether.cli", "check", str(folder), "--json",
                           *args], capture_output=True, text=True, env=env, timeout=3600)
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - cpu  # workers are waited for: a Dask LocalCluster's too
    if proc.returncode not in (0, 1):
        raise SystemExit(f"tether check {' '.join(args)} failed ({proc.returncode}): "
                         f"{proc.stderr[-2000:]}")
    return seconds, cpu, proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--per-doc", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cold-repeat", type=int, default=None,
                    help="rounds of the --no-cache runs (default: --repeat; they are the long "
                    "ones)")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask executor")
    args = ap.parse_args()

    configs = {"1 worker": ["--jobs", "1"], "2 workers": ["--jobs", "2"]}
    if not args.no_dask:
        configs["dask, 2 workers"] = ["--executor", "dask", "--jobs", "2"]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory(prefix="tether-parallel-") as tmp:
        folder = Path(tmp) / "vault"
        folder.mkdir()
        build_folder(folder, args.docs, args.per_doc)
        env = dict(os.environ, TETHER_CACHE_DIR=str(Path(tmp) / "cache"))
        results: dict[str, dict[str, list[float]]] = {"no-cache": {}, "warm cache": {}}
        cpus: dict[str, dict[str, list[float]]] = {"no-cache": {}, "warm cache": {}}
        reports: set[str] = set()
        _, _, report = run(folder, ["--jobs", "1"], env)  # fills the cache for the warm rounds
        reports.add(report)
        n_ann = sum(len(d["annotations"]) for d in json.loads(report)["documents"])
        print(f"{len(json.loads(report)['documents'])} documents, {n_ann} annotations")
        cold = args.repeat if args.cold_repeat is None else args.cold_repeat
        for r in range(max(cold, args.repeat)):
            for mode, extra in (("no-cache", ["--no-cache"]), ("warm cache", [])):
                if r >= (cold if mode == "no-cache" else args.repeat):
                    continue
                for label, cfg in configs.items():
                    seconds, cpu, report = run(folder, [*cfg, *extra], env)
                    reports.add(report)
                    results[mode].setdefault(label, []).append(seconds)
                    cpus[mode].setdefault(label, []).append(cpu)
                    print(f"round {r + 1} {mode:10} {label:16} {seconds:7.2f} s wall "
                          f"{cpu:7.2f} s CPU  load {os.getloadavg()[0]:.2f}", flush=True)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"reports identical across all runs: {len(reports) == 1}")
        for mode, by in results.items():
            if not by:
                continue
            base = statistics.median(by["1 worker"])
            print(f"\n{mode}: median of {len(by['1 worker'])}")
            for label, times in by.items():
                med, cpu = statistics.median(times), statistics.median(cpus[mode][label])
                print(f"  {label:16} {med:7.2f} s   ratio to 1 worker {med / base:.2f}   "
                      f"speed-up {base / med:.2f}x   CPU {cpu:.1f} s "
                      f"({', '.join(f'{t:.1f}' for t in times)})")


if __name__ == "__main__":
    main()
