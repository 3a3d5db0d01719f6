"""Accuracy benchmark (issue 5): tether beside Hypothesis, reanchor and diff-match-patch.

Suite A: the 1,350 real update cases of ``fixtures/updates`` (texts: the shared corpus's
``vN.pdfjs-pages.json``; no PDF extraction). Suite B: mechanical mutations of real corpus texts
(:mod:`mutations`, :mod:`suite_b`; ≥ 1,000 seeded cases). Matchers (:mod:`peers`):

- ``tether``: ``Resolver(doc).resolve_all(annotations)`` per document (as a check of a whole
  note calls it) — the public API, so a re-run measures the resolver as it is now;
- ``hypothesis``: Hypothesis 2022 (the oracle's own ``anchorSelectors`` on page texts); Suite A
  from the committed ``fixtures/updates/*/*.hypothesis.json``;
- ``reanchor``: the PyPI package, default options, whole text (no position);
- ``dmp``: dom-anchor-text-quote's diff-match-patch ``match_main`` in 32-unit slices.

Peer answers are cached by input digest in ``fixtures/accuracy/<matcher>.json`` (committed, so
tests need neither Node nor an hour of reanchor); a missing answer is computed when the peer is
available, and ``--fresh-peers`` recomputes all. Scoring: :func:`cases.verdict`. A full run
(both suites) writes the figures to ``fixtures/accuracy/results.json``.

``--seed S`` draws Suite B with another seed than :data:`mutations.SEED` (an out-of-sample check:
the resolver's rules were tuned looking at the default suite). Such a run never touches
``fixtures/accuracy``: its peer caches and ``results.json`` go to ``--out DIR`` (default a new
temporary folder), which starts empty unless DIR holds an earlier run of the same seed.

Run: ``python benchmarks/accuracy.py [--shared ../shared] [--oracle /tmp/oracle] [--jobs 2]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mutations  # noqa: E402
import peers  # noqa: E402
from cases import Case, Tally, suite_a, verdict  # noqa: E402
from peers import AnswerCache, Span  # noqa: E402
from suite_b import KINDS, digest_cases, suite_b  # noqa: E402

from tether.offsets import OffsetUnit  # noqa: E402
from tether.resolve import Resolver  # noqa: E402
from tether.textmodel.model import DocumentText  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures" / "accuracy"
MATCHERS = ("tether", "hypothesis", "reanchor", "dmp")
CATEGORIES = ("intact", "edited", "moved", "deleted")
Answers = dict[str, Span | None]


def run_tether(docs: dict[str, DocumentText], cases: Sequence[Case]) -> tuple[Answers, float]:
    """tether's answers (UTF-16 spans) and the seconds spent (Resolver builds included)."""
    by_doc: dict[str, list[Case]] = {}
    for c in cases:
        by_doc.setdefault(c.doc, []).append(c)
    out: Answers = {}
    t = time.perf_counter()
    for doc_id, cs in by_doc.items():
        # One call per document, as a check of a whole note makes it (landmarks need the
        # others; a Suite B document is one scenario, so they never cross scenarios).
        results = Resolver(docs[doc_id]).resolve_all([c.annotation for c in cs])
        for c, res in zip(cs, results, strict=True):
            out[c.key] = res.span(OffsetUnit.UTF16)
    return out, time.perf_counter() - t


def score(cases: Sequence[Case], answers: dict[str, Answers]
          ) -> dict[tuple[str, str], dict[str, Tally]]:
    """(suite, group) and (suite, "cat:<category>") → matcher → tally. Cases a matcher has no
    answer for are left out of its tally (and flagged by the tables)."""
    out: dict[tuple[str, str], dict[str, Tally]] = {}
    for c in cases:
        for row in ((c.suite, c.group), (c.suite, "cat:" + c.category),
                    ("all", "cat:" + c.category)):
            for m, ans in answers.items():
                if c.key in ans:
                    out.setdefault(row, {}).setdefault(m, Tally()).add(c, verdict(c, ans[c.key]))
    return out


# ----------------------------------------------------------------------------- peers
def peer_answers(args: argparse.Namespace, name: str, docs: dict[str, DocumentText],
                 cases: Sequence[Case], notes: list[str]) -> Answers:
    """Cached answers of peer ``name`` for ``cases``, computing the missing ones if it can."""
    version = {"reanchor": peers.reanchor_version() or "?", "dmp": "dom-anchor-text-quote 4",
               "hypothesis": "hypothesis-2022 (oracle hypo.mjs)"}[name]
    cache = AnswerCache(args.out / f"{name}.json", name, version)
    keys = [c.key for c in cases]
    todo = keys if args.fresh_peers else cache.missing(keys)
    if name not in args.peers:
        todo = []
    queries = [c.query() for c in cases if c.key in set(todo)]
    t = time.perf_counter()
    if queries:
        if name == "hypothesis":
            oracle, why = peers.find_oracle(args.oracle)
            if oracle is None:
                notes.append(f"hypothesis: {len(queries)} cases not run: {why}")
                return {k: cache.answers[k] for k in keys if k in cache.answers}
            cache.answers.update(peers.run_hypothesis(oracle, docs, queries))
        elif name == "reanchor":
            if peers.reanchor_version() is None:
                notes.append(f"reanchor: {len(queries)} cases not run: `pip install reanchor`")
                return {k: cache.answers[k] for k in keys if k in cache.answers}
            _accelerate_reanchor(args, docs, notes)
            done = [0]

            def save(key: str, span: Span | None, sec: float) -> None:
                cache.answers[key] = span
                done[0] += 1
                if done[0] % 25 == 0:
                    cache.save(cache.answers.keys())
                    print(f"  reanchor {done[0]}/{len(queries)}", file=sys.stderr, flush=True)

            peers.run_reanchor(docs, queries, args.jobs, save)
        else:
            cache.answers.update(peers.run_dmp(docs, queries)[0])
        notes.append(f"{name}: ran {len(queries)} cases in {time.perf_counter() - t:.0f} s")
        cache.save(cache.answers.keys())
    return {k: cache.answers[k] for k in keys if k in cache.answers}


def _accelerate_reanchor(args: argparse.Namespace, docs: dict[str, DocumentText],
                         notes: list[str]) -> None:
    if args.reanchor_pure:
        return
    import reanchor_numpy

    texts = [d.text for d in list(docs.values())[:4]]
    n = reanchor_numpy.check_equivalence(texts)
    reanchor_numpy.install()
    notes.append(f"reanchor: Sellers alignment run by the NumPy transcription "
                 f"(identical to reanchor's own on {n} checked inputs; --reanchor-pure to skip)")


def hypothesis_check(args: argparse.Namespace, docs: dict[str, DocumentText],
                     cases: Sequence[Case], committed: Answers, raw: dict[str, list[dict]],
                     notes: list[str]) -> None:
    """Re-run the oracle on Suite A through the page-text runner: it must agree with the
    verdicts committed by ``scripts/make_update_cases.py`` (which anchored on the PDFs)."""
    oracle, why = peers.find_oracle(args.oracle)
    if oracle is None:
        notes.append(f"hypothesis: Suite A from the committed verdicts; runner not re-checked "
                     f"({why})")
        return
    got = peers.run_hypothesis(oracle, docs, [c.query() for c in cases], raw)
    same = sum(got.get(k) == v for k, v in committed.items())
    notes.append(f"hypothesis: page-text runner re-checked on Suite A: {same}/{len(committed)} "
                 "answers identical to the committed oracle verdicts")


# ----------------------------------------------------------------------------- tables
def _pct(x: float) -> str:
    return "—" if x != x else f"{100 * x:.1f}"


def cell(t: Tally | None, deleted: bool, n: int) -> str:
    if t is None or t.cases < n:
        return f"n/a ({n - (t.cases if t else 0)} missing)"
    if deleted:
        pieces = f" ({t.piece} on a piece)" if t.piece else ""
        return f"{_pct(t.rate('refused'))} · **{t.wrong}**{pieces}"
    return f"{_pct(t.rate('found'))} · {_pct(t.rate('exact'))} · **{t.wrong}** · {t.refused}"


def table(rows: list[tuple[str, str]], figures: dict, cases: Sequence[Case]) -> str:
    counts: dict[tuple[str, str], int] = {}
    for c in cases:
        counts[(c.suite, c.group)] = counts.get((c.suite, c.group), 0) + 1
        counts[(c.suite, "cat:" + c.category)] = counts.get((c.suite, "cat:" + c.category), 0) + 1
    head = "| class | n | " + " | ".join(MATCHERS) + " |\n|---|---|" + "---|" * len(MATCHERS)
    lines = [head]
    for label, key in rows:
        suite = key.split("/")[0]
        row = (suite, key.split("/", 1)[1])
        n = counts.get(row, 0)
        if not n:
            continue
        deleted = row[1] in ("delete-span", "deleted", "cat:deleted")
        cells = [cell(figures.get(row, {}).get(m), deleted, n) for m in MATCHERS]
        lines.append(f"| {label} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def headline(figures: dict, suites: Sequence[str]) -> str:
    """Per matcher: intact found, changed (edited + moved) found, wrong of all, deleted
    refused — the four figures of the issue."""
    lines = ["| matcher | intact found | edited + moved found | wrong (of all cases) | "
             "deleted refused |", "|---|---|---|---|---|"]
    for m in MATCHERS:
        agg = {k: Tally() for k in ("intact", "changed", "deleted", "all")}
        missing = False
        for s in suites:
            for cat in CATEGORIES:
                t = figures.get((s, "cat:" + cat), {}).get(m)
                full = figures.get((s, "cat:" + cat), {}).get("tether")
                if t is None or (full is not None and t.cases < full.cases):
                    missing = True
                    continue
                for k in ("changed" if cat in ("edited", "moved") else cat, "all"):
                    a = agg[k]
                    for f in ("cases", "found", "exact", "wrong", "piece", "refused"):
                        setattr(a, f, getattr(a, f) + getattr(t, f))
        if missing:
            lines.append(f"| {m} | n/a (answers missing) | | | |")
            continue
        lines.append(
            f"| {m} | {_pct(agg['intact'].rate('found'))} % | "
            f"{_pct(agg['changed'].rate('found'))} % | {_pct(agg['all'].rate('wrong'))} % "
            f"({agg['all'].wrong}) | {_pct(agg['deleted'].rate('refused'))} % |")
    return "\n".join(lines)


def report(cases: Sequence[Case], figures: dict, suites: Sequence[str]) -> str:
    out = []
    for s in [*suites, "all"] if len(suites) > 1 else suites:
        n = sum(c.suite == s or s == "all" for c in cases)
        name = "Suites A + B" if s == "all" else f"Suite {s}"
        out.append(f"**{name}** ({n} cases): headline\n\n" + headline(figures, [s]))
    if "A" in suites:
        rows = [(c, f"A/cat:{c}") for c in CATEGORIES]
        out.append("**Suite A** by category (cells: found % · exact % · **wrong** · refused; "
                   "deleted: refused % · **wrong**)\n\n" + table(rows, figures, cases))
    if "B" in suites:
        rows = [(k, f"B/{k}") for k in KINDS] + [(f"*all {c}*", f"B/cat:{c}")
                                                 for c in CATEGORIES]
        out.append("**Suite B** by mutation (same cells)\n\n" + table(rows, figures, cases))
    return "\n\n".join(out)


def losses(figures: dict) -> list[str]:
    """Classes where a peer finds more than tether, or tether anchors wrongly."""
    out = []
    for (suite, group), by in sorted(figures.items()):
        if suite == "all" or "tether" not in by or (suite == "A" and group.startswith("cat:")):
            continue  # (Suite A's groups are its categories)
        t = by["tether"]
        if t.wrong:
            out.append(f"{suite}/{group}: tether wrong {t.wrong}: {', '.join(t.wrong_ids[:6])}")
        deleted = group in ("delete-span", "deleted", "cat:deleted")
        for m, p in by.items():
            if m == "tether" or p.cases != t.cases:
                continue
            mine, theirs = ((t.refused, p.refused) if deleted else (t.found, p.found))
            if theirs > mine:
                out.append(f"{suite}/{group}: {m} {'refuses' if deleted else 'finds'} "
                           f"{theirs}/{p.cases}, tether {mine}/{t.cases}")
    return out


def figures_json(figures: dict) -> dict:
    return {f"{s}/{g}": {m: {k: getattr(t, k) for k in
                             ("cases", "found", "exact", "wrong", "piece", "refused")}
                         for m, t in by.items()}
            for (s, g), by in sorted(figures.items())}


# ----------------------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("TETHER_SHARED", ROOT.parent / "shared")))
    ap.add_argument("--oracle", type=Path, default=None,
                    help="copy of pdfjs-oracle with npm ci done (default /tmp/oracle)")
    ap.add_argument("--suite", choices=("A", "B", "all"), default="all")
    ap.add_argument("--jobs", type=int, default=2, help="reanchor worker processes")
    ap.add_argument("--fresh-peers", action="store_true", help="recompute every peer answer")
    ap.add_argument("--reanchor-pure", action="store_true",
                    help="run reanchor's own pure-Python alignment (hours)")
    ap.add_argument("--peers", default="hypothesis,reanchor,dmp",
                    help="peers whose missing answers may be computed (others: cache only)")
    ap.add_argument("--no-write", action="store_true", help="do not write results.json")
    ap.add_argument("--seed", type=int, default=mutations.SEED,
                    help=f"Suite B's seed (default {mutations.SEED}, the committed suite)")
    ap.add_argument("--out", type=Path, default=None,
                    help="folder of the peer caches and results.json (default "
                         "fixtures/accuracy; with another --seed, a new temporary folder)")
    args = ap.parse_args(argv)
    fresh_seed = args.seed != mutations.SEED
    if args.out is None:
        args.out = (Path(tempfile.mkdtemp(prefix=f"tether-accuracy-seed{args.seed}-"))
                    if fresh_seed else OUT)
    if fresh_seed and args.out.resolve() == OUT.resolve():
        # The committed caches and figures stand for the default suite only.
        print("accuracy: --seed other than the default never writes into fixtures/accuracy "
              "(--out DIR)", file=sys.stderr)
        return 2
    if not (args.shared / "corpus").is_dir():
        print(f"accuracy: the shared corpus is not at {args.shared} (--shared DIR)",
              file=sys.stderr)
        return 2
    suites = ["A", "B"] if args.suite == "all" else [args.suite]
    args.peers = set(args.peers.split(","))
    notes: list[str] = []
    docs: dict[str, DocumentText] = {}
    cases: list[Case] = []
    answers: dict[str, Answers] = {m: {} for m in MATCHERS}
    for s in suites:
        if s == "A":
            d, cs, hypo, raw = suite_a(args.shared)
            answers["hypothesis"].update(hypo)
            hypothesis_check(args, d, cs, hypo, raw, notes)
        else:
            d, cs = suite_b(args.shared, seed=args.seed)
        docs.update(d)
        cases += cs
        ans, sec = run_tether(d, cs)
        answers["tether"].update(ans)
        notes.append(f"tether: Suite {s}, {len(cs)} cases in {sec:.1f} s "
                     f"({1000 * sec / max(1, len(cs)):.0f} ms per case, Resolver builds included)")
        for m in ("hypothesis", "reanchor", "dmp") if s == "B" else ("reanchor", "dmp"):
            answers[m].update(peer_answers(args, m, d, cs, notes))
    figures = score(cases, answers)
    text = report(cases, figures, suites)
    print(text)
    print("\nWhere tether loses or errs:")
    for line in losses(figures) or ["nowhere"]:
        print(f"- {line}")
    print("\nNotes:")
    if fresh_seed:
        notes.append(f"Suite B drawn with seed {args.seed} (not the committed "
                     f"{mutations.SEED}); caches and results in {args.out}")
    for line in notes:
        print(f"- {line}")
    if (args.suite == "all" or args.out != OUT) and not args.no_write:
        keys = [c.key for c in cases]
        for m in ("hypothesis", "reanchor", "dmp"):
            path = args.out / f"{m}.json"
            if path.is_file():
                cache = json.loads(path.read_text(encoding="utf-8"))
                AnswerCache(path, m, cache["version"]).save(keys)  # drop stale entries
        b_cases = [c for c in cases if c.suite == "B"]
        results = {
            "schema": "tether.accuracy/1",
            "cases": {s: sum(c.suite == s for c in cases) for s in suites},
            "suite_b_digest": digest_cases(b_cases),
            "figures": figures_json(figures),
        }
        if fresh_seed:  # (absent from the committed file: it stays byte-identical)
            results["suite_b_seed"] = args.seed
        (args.out / "results.json").write_text(json.dumps(results, indent=1) + "\n",
                                               encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
