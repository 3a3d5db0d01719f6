"""Speed (issue 6): every figure a ratio against a baseline measured in the same run.

Parts (``--parts``, default all):

- ``check``: ``tether check`` of a real 42-page paper with 150 annotations (eth-yellowpaper v3
  note against v4) against the *extraction floor* — PyMuPDF's own glyph extraction
  (``page.get_text("rawdict")`` of every page) of the same PDF in the same process. Measured in
  process (the check's whole work: read the note, extract, resolve, render the table) and as a
  command (start-up included, against a process that imports PyMuPDF and runs the floor). Both
  wall-clock and CPU time; medians of ``--repeat`` interleaved runs. Both text-model
  implementations when the compiled one is built (Cython, ``setup.py``), interleaved in the same
  run, and their ratio. ``--baseline-rev REV`` also measures the text model of a git revision
  (e.g. the one before this work) in the same run.
- ``match``: per-case matching time of tether's resolver (public API), ``reanchor`` and
  ``approx-string-match`` (Node; skipped with a message when absent) on the same cases — the
  real update cases of ``fixtures/updates`` on the new versions' PDF.js page texts — exact
  (intact / moved passages) and fuzzy (edited) separately, with each one's accuracy.
- ``scale``: 1k and 10k annotations on 100- and 1,000-page PDFs built with PyMuPDF from corpus
  texts in a temporary folder; ``tether check`` as a command, end to end, with peak memory
  (``ru_maxrss`` of the child); a PNG plot (``--plot``).
- ``cache``: a check with an empty text cache against a second check of the same PDF.

Run: ``python benchmarks/speed.py [--parts check,match,scale,cache] [--repeat 5]`` (needs
``../shared``; ``pip install -e ".[bench]"`` for reanchor and matplotlib).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
# The command line imports PyMuPDF without its layout add-ons; do the same here so in-process
# and command figures measure the same library.
from tether.textmodel.pymupdf_lean import import_pymupdf_lean  # noqa: E402

import_pymupdf_lean()

import pymupdf  # noqa: E402

PAPER = "corpus/versions/eth-yellowpaper/v4.pdf"
NOTE = ROOT / "fixtures" / "updates" / "eth-yellowpaper" / "v3.md"
FLOOR_CODE = ("import sys\n"
              "from tether.textmodel.pymupdf_lean import import_pymupdf_lean\n"
              "import_pymupdf_lean()\n"
              "import pymupdf\n"
              "with pymupdf.open(sys.argv[1]) as d:\n"
              "    for p in d: p.get_text('rawdict')\n")


def clocks(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """``(wall seconds, CPU seconds of this process, result)`` of ``fn()``."""
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w, time.process_time() - c, out


def floor(pdf: Path) -> None:
    with pymupdf.open(pdf) as doc:
        for page in doc:
            page.get_text("rawdict")


def child(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int, int]:
    """Run ``cmd``: ``(wall s, CPU s (user + system), peak RSS in MiB, exit code)``."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[:4]}… exited {proc.returncode}: {err[-2000:]}")
    return (time.perf_counter() - t, usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss // 1024, proc.returncode)


def med(xs: list[float]) -> float:
    return statistics.median(xs)


# ----------------------------------------------------------------------------------- check
def check_in_process(pdf: Path, note: Path, cache: Any = None) -> dict[str, float]:
    """One check's parts, as the CLI does them (table rendering included)."""
    from rich.console import Console

    from tether.check import CheckRun, gather_files, group_by_pdf, resolve_document
    from tether.gcpause import collector_paused
    from tether.report.table import render_run
    from tether.textmodel.load import load_text

    out: dict[str, float] = {}
    w0, c0 = time.perf_counter(), time.process_time()
    run = CheckRun()
    files = gather_files([note], run)
    run.documents = group_by_pdf(files, pdf, run)
    out["read_w"], out["read_c"] = time.perf_counter() - w0, time.process_time() - c0
    # As the command runs a document: with the cyclic collector paused
    # (``tether.batch.document.process_document``; see ``tether.gcpause``).
    with collector_paused():
        w, c, text = clocks(lambda: load_text(pdf, with_boxes=False, cache=cache))
        out["model_w"], out["model_c"] = w, c
        w, c, _ = clocks(lambda: resolve_document(run.documents[0], text))
        out["resolve_w"], out["resolve_c"] = w, c
    w, c, _ = clocks(lambda: render_run(Console(file=io.StringIO(), width=120), run))
    out["render_w"], out["render_c"] = w, c
    out["total_w"] = time.perf_counter() - w0
    out["total_c"] = time.process_time() - c0
    return out


def implementations() -> dict[str, Any]:
    """The text-model implementations to time: the compiled one (when built and current, see
    ``tether.textmodel.pdfjs211.implementation``) and the pure-Python one."""
    from tether.textmodel.pdfjs211 import implementation as impl

    out = {}
    if impl.compiled_status() is None:
        out["cython"] = impl.compiled_engine()
    out["python"] = impl.pure_engine()
    return out


@contextlib.contextmanager
def use_engine(engine: Any) -> Iterator[None]:
    """Make ``load_text`` extract with ``engine`` (the driver's default is chosen once per
    process, so the benchmark swaps it to time both implementations in one process)."""
    from tether.textmodel.pdfjs211 import extract

    saved = extract.engine
    extract.engine = lambda: engine
    try:
        yield
    finally:
        extract.engine = saved


def part_check(args: argparse.Namespace) -> list[str]:
    pdf = args.shared / PAPER
    engines = implementations()
    rows: dict[str, list[dict[str, float]]] = {name: [] for name in engines}
    floors: list[tuple[float, float]] = []
    for engine in engines.values():  # warm imports and caches of the interpreter, not of tether
        with use_engine(engine):
            check_in_process(pdf, NOTE)
    for i in range(args.repeat):
        # Each timed part starts from a collected heap, so that what the previous part left for
        # the cyclic collector is not charged to the next one.
        gc.collect()
        w, c, _ = clocks(lambda: floor(pdf))
        floors.append((w, c))
        # Alternate which implementation runs right after the floor: that one measurably pays
        # for the floor's garbage (millions of freed dicts) in its first parts.
        order = list(engines.items())
        for name, engine in order if i % 2 == 0 else order[::-1]:
            gc.collect()
            with use_engine(engine):
                rows[name].append(check_in_process(pdf, NOTE))
    fw, fc = med([f[0] for f in floors]), med([f[1] for f in floors])
    out = [f"In process, median of {args.repeat} interleaved runs, each part from a collected "
           f"heap, extraction and resolving with the cyclic collector paused as the command runs "
           f"them (floor: {fw:.2f} s wall, {fc:.2f} s CPU); text model implementations: "
           f"{', '.join(engines)}:"]
    for name in engines:
        out += ["", *check_table(rows[name], floors, name)]
    if len(engines) > 1:
        ratio = med([c["model_c"] / p["model_c"]
                     for c, p in zip(rows["cython"], rows["python"], strict=True)])
        whole = med([c["total_c"] / p["total_c"]
                     for c, p in zip(rows["cython"], rows["python"], strict=True)])
        out += ["", f"Compiled ÷ pure Python (CPU, same run): text model {ratio:.2f}, "
                    f"whole check {whole:.2f}."]
    if args.baseline_rev:
        out.append(baseline(args, pdf))
    out += ["", command_figures(args, pdf, list(engines))]
    return out


def check_table(rows: list[dict[str, float]], floors: list[tuple[float, float]],
                name: str) -> list[str]:
    """The per-part table of one implementation's runs, each against its run's floor."""
    fw, fc = med([f[0] for f in floors]), med([f[1] for f in floors])
    ratio_w = med([r["total_w"] / f[0] for r, f in zip(rows, floors, strict=True)])
    ratio_c = med([r["total_c"] / f[1] for r, f in zip(rows, floors, strict=True)])
    model_w = med([r["model_w"] / f[0] for r, f in zip(rows, floors, strict=True)])
    model_c = med([r["model_c"] / f[1] for r, f in zip(rows, floors, strict=True)])
    out = [
        "| what | wall s | CPU s | × floor (wall) | × floor (CPU) |",
        "|---|---|---|---|---|",
        f"| floor: PyMuPDF `get_text(\"rawdict\")`, every page | {fw:.2f} | {fc:.2f} | 1.00 "
        "| 1.00 |",
    ]
    for key, label in (("model", f"text model (pdfjs-2.11, {name})"), ("resolve", "resolve 150"),
                       ("render", "table report"), ("read", "read the note")):
        w = med([r[f"{key}_w"] for r in rows])
        c = med([r[f"{key}_c"] for r in rows])
        out.append(f"| {label} | {w:.2f} | {c:.2f} | {w / fw:.2f} | {c / fc:.2f} |")
    out.append(f"| **`tether check`, whole ({name})** | {med([r['total_w'] for r in rows]):.2f} | "
               f"{med([r['total_c'] for r in rows]):.2f} | **{ratio_w:.2f}** | "
               f"**{ratio_c:.2f}** |")
    out += ["", f"Text model alone ({name}), per-run ratios: {model_w:.2f} × floor (wall), "
                f"{model_c:.2f} × (CPU)."]
    return out


def baseline(args: argparse.Namespace, pdf: Path) -> str:
    """The text model of ``--baseline-rev`` against the floor, in a child process."""
    tmp = Path(tempfile.mkdtemp(prefix="tether-baseline-"))
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline_rev, "src"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        code = (
            "import sys, time, statistics, pymupdf\n"
            "from tether.textmodel.load import load_text\n"
            "pdf = sys.argv[1]; rw, rc = [], []\n"
            "for _ in range(int(sys.argv[2])):\n"
            "    w, c = time.perf_counter(), time.process_time()\n"
            "    with pymupdf.open(pdf) as d:\n"
            "        for p in d: p.get_text('rawdict')\n"
            "    fw, fc = time.perf_counter() - w, time.process_time() - c\n"
            "    w, c = time.perf_counter(), time.process_time()\n"
            "    load_text(pdf, with_boxes=False)\n"
            "    rw.append((time.perf_counter() - w) / fw)\n"
            "    rc.append((time.process_time() - c) / fc)\n"
            "print(statistics.median(rw), statistics.median(rc))\n")
        env = {**os.environ, "PYTHONPATH": str(tmp / "src")}
        res = subprocess.run([sys.executable, "-c", code, str(pdf), str(args.repeat)],
                             capture_output=True, text=True, env=env, check=True)
        w, c = map(float, res.stdout.split())
        return (f"Text model at `{args.baseline_rev}` (before this work), same machine, same "
                f"run: {w:.2f} × floor (wall), {c:.2f} × (CPU).")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def command_figures(args: argparse.Namespace, pdf: Path, names: list[str]) -> str:
    """``tether check`` as a command (start-up included) against a floor command, for each
    implementation (``TETHER_PURE_PYTHON=1`` selects the pure one), interleaved."""
    base = {**os.environ, "TETHER_CACHE_DIR": tempfile.mkdtemp(prefix="tether-speed-cache-")}
    envs = {name: {**base, "TETHER_PURE_PYTHON": "1" if name == "python" else "0"}
            for name in names}
    cmd = [sys.executable, "-m", "tether.cli", "check", str(NOTE), "--pdf", str(pdf), "--json"]
    fl: list[tuple] = []
    cold: dict[str, list[tuple]] = {name: [] for name in names}
    warm: list[tuple] = []
    try:
        for _ in range(args.repeat):
            fl.append(child([sys.executable, "-c", FLOOR_CODE, str(pdf)], base))
            for name in names:
                cold[name].append(child([*cmd, "--no-cache"], envs[name]))
            warm.append(child(cmd, base))  # the first fills the cache; median = warm
    finally:
        shutil.rmtree(base["TETHER_CACHE_DIR"], ignore_errors=True)
    f = med([x[0] for x in fl])
    b = med([x[0] for x in warm])
    parts = [f"`tether check --no-cache` ({name}) {med([x[0] for x in cold[name]]):.2f} s "
             f"(**{med([x[0] for x in cold[name]]) / f:.2f} ×**)" for name in names]
    return (f"As commands (Python start-up and imports included; median of {args.repeat}): "
            f"floor process {f:.2f} s; {'; '.join(parts)}; `tether check` with its text cached "
            f"{b:.2f} s ({b / f:.2f} ×).")


# ----------------------------------------------------------------------------------- match
#: reanchor repeats only the cases it answers faster than this (seconds): its verbatim ones.
REANCHOR_REPEAT_BELOW = 0.05


def part_match(args: argparse.Namespace) -> list[str]:
    from cases import suite_a, verdict

    from tether.offsets import OffsetUnit
    from tether.resolve import Resolver

    docs, cases, hypo, _ = suite_a(args.shared)
    groups = {"exact": ("intact", "moved"), "fuzzy": ("edited",), "gone": ("deleted",)}
    total = len(cases)
    if args.match_sample:  # reanchor's approximate search takes seconds per edited case
        rnd = random.Random(6)
        keep: list = []
        for cats in groups.values():
            group = [c for c in cases if c.category in cats]
            keep += rnd.sample(group, min(args.match_sample, len(group)))
        cases = sorted(keep, key=lambda c: c.id)
    doc_ids = sorted(docs)
    # tether: one Resolver per document (its index build timed apart), then per case.
    t_build: dict[str, float] = {}
    resolvers = {}
    for d in doc_ids:
        t = time.perf_counter()
        resolvers[d] = Resolver(docs[d])
        t_build[d] = time.perf_counter() - t
    t_tether: dict[str, float] = {}
    a_tether: dict[str, Any] = {}
    # ``--match-repeat`` passes over all cases (never the same case twice in a row, which would
    # find the resolver's per-needle memo warm); each case's fastest pass counts, for tether and
    # approx-string-match alike: on a shared machine the slower passes measure the other jobs.
    for _ in range(args.match_repeat):
        for c in cases:
            t = time.perf_counter()
            res = resolvers[c.doc].resolve(c.annotation)
            t = time.perf_counter() - t
            t_tether[c.key] = min(t, t_tether.get(c.key, t))
            a_tether[c.key] = res.span(OffsetUnit.UTF16)
    # tether's index is built on first need inside resolve(); charge its build to the cases
    # anyway: a fair per-case figure includes amortised setup.
    setup_tether = sum(t_build.values())
    # reanchor
    t_re: dict[str, float] = {}
    a_re: dict[str, Any] = {}
    setup_re = 0.0
    try:
        if "reanchor" not in args.match_peers:
            raise ImportError
        import reanchor

        prepared = {}
        for d in doc_ids:
            t = time.perf_counter()
            prepared[d] = reanchor.prepare_document(docs[d].text)
            setup_re += time.perf_counter() - t
        # The same passes as tether's, but a case reanchor takes seconds on (its approximate
        # rung: edited and deleted passages) only once; those ratios are in the thousands.
        for p in range(args.match_repeat):
            for c in cases:
                if p and t_re[c.key] >= REANCHOR_REPEAT_BELOW:
                    continue
                q = c.annotation.quote
                sel = reanchor.TextQuoteSelector(exact=q.exact, prefix=q.prefix,
                                                 suffix=q.suffix)
                t = time.perf_counter()
                found = reanchor.resolve_quote(prepared[c.doc], sel)
                t = time.perf_counter() - t
                t_re[c.key] = min(t, t_re.get(c.key, t))
                doc = docs[c.doc]
                a_re[c.key] = None if found is None else (doc.to_utf16(found.start),
                                                          doc.to_utf16(found.end))
        from importlib.metadata import version

        re_note = (f"reanchor {version('reanchor')} (the same passes, but a case over "
                   f"{REANCHOR_REPEAT_BELOW * 1000:.0f} ms only once)")
    except ImportError:
        re_note = ("reanchor not measured (--match-peers)" if "reanchor" not in args.match_peers
                   else "reanchor not installed (pip install -e '.[bench]'): skipped")
    # approx-string-match through Node
    t_asm: dict[str, float] = {}
    asm_note = (asm_times(args, docs, doc_ids, cases, t_asm) if "asm" in args.match_peers
                else "approx-string-match not measured (--match-peers)")
    n = len(cases)
    from tether.resolve.implementation import describe as resolver_implementation

    out = [f"{n} cases (a seeded sample of {args.match_sample or n} per group from the {total} "
           "of Suite A, the real update cases: 9 version pairs of 3 documents); "
           f"per-case medians of each case's fastest of {args.match_repeat} passes (tether, "
           f"approx-string-match); tether's resolver: {resolver_implementation()} "
           "(`TETHER_PURE_RESOLVER=1` for the pure one); setup per document not included in "
           "the per-case figures "
           f"(tether `Resolver(doc)`: {setup_tether / len(doc_ids) * 1000:.0f} ms per document; "
           f"reanchor `prepare_document`: {setup_re / len(doc_ids) * 1000:.0f} ms). "
           f"{re_note}; {asm_note}.", "",
           "| cases | n | tether ms | reanchor ms | asm ms | reanchor ÷ tether | asm ÷ tether "
           "| tether found / wrong | reanchor found / wrong | Hypothesis found / wrong |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for name, cats in groups.items():
        sel = [c for c in cases if c.category in cats]
        if not sel:
            continue

        def tally(answers: dict[str, Any], sel: list = sel) -> str:
            if not answers:
                return "–"
            vs = [verdict(c, answers.get(c.key)) for c in sel]
            found = sum(v in ("exact", "found") for v in vs)
            wrong = sum(v in ("wrong", "piece") for v in vs)
            return f"{found} / {wrong}"

        tt = med([t_tether[c.key] for c in sel]) * 1000
        tr = med([t_re[c.key] for c in sel]) * 1000 if t_re else float("nan")
        ta = med([t_asm[c.key] for c in sel]) * 1000 if t_asm else float("nan")
        out.append(f"| {name} ({', '.join(cats)}) | {len(sel)} | {tt:.2f} | {tr:.2f} | "
                   f"{ta:.2f} | {tr / tt:.1f} | {ta / tt:.1f} | {tally(a_tether)} | "
                   f"{tally(a_re)} | {tally(hypo)} |")
    tot_t = sum(t_tether.values())
    out += ["", f"Totals: tether {tot_t:.2f} s (+ {setup_tether:.2f} s setup); reanchor "
            f"{sum(t_re.values()):.2f} s (+ {setup_re:.2f} s); approx-string-match "
            f"{sum(t_asm.values()):.2f} s. \"Hypothesis found / wrong\": the committed answers "
            "of Hypothesis 2022's own anchoring (approx-string-match plus its scoring) on these "
            "cases (`fixtures/updates/*.hypothesis.json`)."]
    return out


def asm_times(args: argparse.Namespace, docs: dict, doc_ids: list[str], cases: list,
              out: dict[str, float]) -> str:
    modules = args.node_modules
    node = shutil.which("node")
    if node is None or not (modules / "approx-string-match").is_dir():
        return (f"approx-string-match not found ({modules}/approx-string-match or node "
                "missing): skipped")
    index = {d: i for i, d in enumerate(doc_ids)}
    payload = {"texts": [docs[d].text for d in doc_ids], "cases": [
        {"text": index[c.doc], "quote": c.annotation.quote.exact,
         "maxErrors": min(256, len(c.annotation.quote.exact.encode("utf-16-le")) / 4)}
        for c in cases]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False,
                                     encoding="utf-8") as fh:
        json.dump(payload, fh)
    try:
        res = subprocess.run([node, str(ROOT / "benchmarks" / "asm_time.mjs"), str(modules),
                              fh.name, str(args.match_repeat)],
                             capture_output=True, text=True, check=True)
    finally:
        os.unlink(fh.name)
    data = json.loads(res.stdout)
    for c, s in zip(cases, data["seconds"], strict=True):
        out[c.key] = s
    return (f"approx-string-match {data['version']} (Node {subprocess.run([node, '--version'], capture_output=True, text=True).stdout.strip()}), "  # noqa: E501
            "whole document text, maxErrors = min(256, quote length / 2) as Hypothesis uses it")


# ----------------------------------------------------------------------------------- scale
def corpus_text(shared: Path) -> str:
    """Plain prose for synthetic pages: the yellow paper and the thesis (PDF.js page texts)."""
    parts = []
    for rel in ("corpus/versions/eth-yellowpaper/v4.pdfjs-pages.json",
                "corpus/versions/music-esprit-thesis-it/v4.pdfjs-pages.json"):
        data = json.loads((shared / rel).read_text(encoding="utf-8"))
        parts += [p["text"] for p in data["pages"]]
    text = " ".join(parts)
    # Helvetica (a standard font) draws Latin-1; keep the rest out of the synthetic pages.
    return "".join(ch if " " <= ch <= "\xff" else " " for ch in text)


def build_pdf(path: Path, pages: int, text: str, chars_per_page: int = 2600) -> None:
    doc = pymupdf.open()
    n = len(text)
    for i in range(pages):
        start = (i * chars_per_page * 7919) % max(1, n - chars_per_page)
        page = doc.new_page(width=595, height=842)
        page.insert_textbox(pymupdf.Rect(50, 50, 545, 792), text[start:start + chars_per_page],
                            fontsize=9, fontname="helv")
    doc.save(path, garbage=3, deflate=True)
    doc.close()


def make_annotations(text_doc: Any, count: int, seed: int) -> list[dict]:
    """Hypothesis API annotations on ``text_doc``: mostly intact, some with a stale position
    (drifted), a few with an edited quote (fuzzy) and a few not in the text (orphaned)."""
    rnd = random.Random(seed)
    text = text_doc.text
    out = []
    for i in range(count):
        length = rnd.randint(20, 160)
        start = rnd.randrange(0, len(text) - length - 1)
        exact = text[start:start + length]
        prefix, suffix = text[max(0, start - 32):start], text[start + length:start + length + 32]
        kind = rnd.random()
        s16, e16 = text_doc.to_utf16(start), text_doc.to_utf16(start + length)
        if kind < 0.10:  # stale position: a check must search for the quote
            s16, e16 = s16 + 500, e16 + 500
        elif kind < 0.15:  # an edited quote: the fuzzy step
            k = rnd.randrange(1, len(exact) - 1)
            exact = exact[:k] + "x" + exact[k + 1:]
            s16, e16 = s16 + 7, e16 + 7
        elif kind < 0.17:  # not in the document
            exact = "".join(rnd.choice("qwxzjk ") for _ in range(length))
        out.append({"id": f"a{i}", "uri": "urn:x-pdf:bench", "target": [{
            "source": "urn:x-pdf:bench", "selector": [
                {"type": "TextPositionSelector", "start": s16, "end": e16},
                {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix,
                 "suffix": suffix}]}]})
    return out


def part_scale(args: argparse.Namespace) -> list[str]:
    from tether.textmodel.load import load_text

    tmp = Path(tempfile.mkdtemp(prefix="tether-scale-"))
    env = {**os.environ, "TETHER_CACHE_DIR": str(tmp / "cache")}
    rows = []
    try:
        text = corpus_text(args.shared)
        for pages in args.pages:
            pdf = tmp / f"doc{pages}.pdf"
            build_pdf(pdf, pages, text)
            doc = load_text(pdf, with_boxes=False)
            fw, fc, _ = clocks(lambda pdf=pdf: floor(pdf))
            for count in args.annotations:
                ann = tmp / f"ann{pages}-{count}.json"
                ann.write_text(json.dumps(make_annotations(doc, count, seed=pages + count)),
                               encoding="utf-8")
                cmd = [sys.executable, "-m", "tether.cli", "check", str(ann), "--pdf", str(pdf),
                       "--json", "--no-cache"]
                runs = [child(cmd, env) for _ in range(args.scale_repeat)]
                w = med([r[0] for r in runs])
                c = med([r[1] for r in runs])
                rss = max(r[2] for r in runs)
                rows.append({"pages": pages, "annotations": count, "chars": len(doc.text),
                             "wall": w, "cpu": c, "rss": rss, "floor_w": fw, "floor_c": fc})
                print(f"  scale: {pages} pages, {count} annotations: {w:.2f} s wall, {c:.2f} s "
                      f"CPU, {rss} MiB", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out = ["| pages | chars | annotations | `tether check` wall s | CPU s | peak RSS MiB "
           "| floor s (in process) | ms per annotation (CPU, above the 1k run) |",
           "|---|---|---|---|---|---|---|---|"]
    base = {r["pages"]: r for r in rows if r["annotations"] == min(args.annotations)}
    for r in rows:
        b = base[r["pages"]]
        per = ((r["cpu"] - b["cpu"]) / (r["annotations"] - b["annotations"]) * 1000
               if r["annotations"] != b["annotations"] else float("nan"))
        out.append(f"| {r['pages']} | {r['chars']} | {r['annotations']} | {r['wall']:.2f} | "
                   f"{r['cpu']:.2f} | {r['rss']} | {r['floor_w']:.2f} | "
                   f"{'–' if per != per else f'{per:.2f}'} |")
    if args.plot and plot(rows, args.plot):
        out += ["", f"Plot: `{args.plot.relative_to(ROOT) if args.plot.is_relative_to(ROOT) else args.plot}`."]  # noqa: E501
    return out


def plot(rows: list[dict], path: Path) -> bool:
    """Draw the scaling plot to ``path``; False (and a message) when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed (pip install -e '.[bench]'): no plot", file=sys.stderr)
        return False
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for pages in sorted({r["pages"] for r in rows}):
        rs = sorted((r for r in rows if r["pages"] == pages), key=lambda r: r["annotations"])
        ax1.plot([r["annotations"] for r in rs], [r["wall"] for r in rs], "o-",
                 label=f"{pages} pages")
    for count in sorted({r["annotations"] for r in rows}):
        rs = sorted((r for r in rows if r["annotations"] == count), key=lambda r: r["pages"])
        ax2.plot([r["pages"] for r in rs], [r["wall"] for r in rs], "s-",
                 label=f"{count} annotations")
        ax2.plot([r["pages"] for r in rs], [r["floor_w"] for r in rs], ":", color="grey")
    ax1.set(xlabel="annotations", ylabel="tether check, wall s", title="growth in annotations")
    ax2.set(xlabel="pages", ylabel="tether check, wall s",
            title="growth in pages (dotted: extraction floor)")
    for ax in (ax1, ax2):
        ax.axhline(15, color="red", lw=0.8, ls="--")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    return True


# ----------------------------------------------------------------------------------- cache
def part_cache(args: argparse.Namespace) -> list[str]:
    from tether.textmodel.cache import TextCache

    pdf = args.shared / PAPER
    cold, warm = [], []
    for _ in range(args.repeat):
        root = tempfile.mkdtemp(prefix="tether-speed-cache-")
        try:
            cache = TextCache(root)
            cold.append(check_in_process(pdf, NOTE, cache))
            warm.append(check_in_process(pdf, NOTE, cache))
        finally:
            shutil.rmtree(root, ignore_errors=True)
    a, b = med([r["total_w"] for r in cold]), med([r["total_w"] for r in warm])
    ma, mb = med([r["model_w"] for r in cold]), med([r["model_w"] for r in warm])
    return [f"In process, median of {args.repeat}: first check (empty cache: extract + store) "
            f"{a:.2f} s, of which text {ma:.2f} s; second check of the same PDF {b:.2f} s, of "
            f"which text {mb:.3f} s (hash the PDF, read the entry): **{a / b:.1f} × faster** "
            f"overall, text {ma / mb:.0f} × faster."]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--parts", default="check,match,scale,cache")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scale-repeat", type=int, default=1)
    ap.add_argument("--pages", type=lambda s: [int(x) for x in s.split(",")], default=[100, 1000])
    ap.add_argument("--annotations", type=lambda s: [int(x) for x in s.split(",")],
                    default=[1000, 10000])
    ap.add_argument("--baseline-rev", default=None,
                    help="also measure the text model of this git revision (e.g. 684edec)")
    ap.add_argument("--match-sample", type=int, default=60,
                    help="cases per group in the matching part (0: all)")
    ap.add_argument("--match-repeat", type=int, default=3,
                    help="passes over the matching cases; each case's fastest counts")
    ap.add_argument("--match-peers", type=lambda s: set(s.split(",")), default={"reanchor", "asm"},
                    help="peers measured in the matching part (reanchor,asm)")
    ap.add_argument("--node-modules", type=Path, default=Path("/tmp/oracle/node_modules"))
    ap.add_argument("--plot", type=Path, default=ROOT / "benchmarks" / "speed_scaling.png")
    args = ap.parse_args()
    if not (args.shared / "corpus").is_dir():
        print(f"no corpus at {args.shared}", file=sys.stderr)
        return 2
    parts = {"check": part_check, "match": part_match, "scale": part_scale, "cache": part_cache}
    titles = {"check": "`tether check` against the extraction floor",
              "match": "Matching: tether vs reanchor vs approx-string-match",
              "scale": "Scaling: annotations × pages", "cache": "Text cache"}
    print(f"<!-- python benchmarks/speed.py --parts {args.parts} --repeat {args.repeat}; "
          f"{time.strftime('%Y-%m-%d %H:%M')}; load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} -->")
    for name in args.parts.split(","):
        print(f"\n### {titles[name]}\n")
        print("\n".join(parts[name](args)), flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"\nPeak RSS of this process: {peak} MiB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
