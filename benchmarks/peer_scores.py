"""Each peer's own confidence in the answer it gives, per case (issue 5, point 4's fair comparison).

A peer with a confidence can be made stricter: refuse whenever its confidence is below a
threshold. :mod:`precision_curve` sweeps that threshold; this module gets, for every case of
Suites A and B, the span the peer picks **and its confidence**, and caches both in
``fixtures/accuracy/<matcher>.scores.json`` (keyed by :func:`peers.query_key`, like the answer
caches), so the sweep and its test need neither Node nor a reanchor run.

- ``hypothesis``: the oracle's own ``anchorSelectors`` (``hypothesis_anchor.mjs --scores``), which
  returns the ``score`` of the match ``matchQuote`` picked — (50 · quote + 20 · prefix + 20 ·
  suffix + 2 · position) / 92, each part 1 − errors / length from approx-string-match — and its
  quote ``errors``. An answer by the position check (the stored position still holds the quote)
  has no score: it counts as 1.0, the highest ``matchQuote`` can give.
- ``reanchor``: ``resolve_quote`` with ``min_confidence=0`` (everything else default), so the
  best candidate comes back with its ``confidence`` even where the default (0.5) refuses it;
  ``min_confidence`` is only applied after the search, so the span is the default run's whenever
  the confidence is ≥ 0.5 (checked against ``reanchor.json``).
- ``dmp``: diff-match-patch's ``match_main`` returns a location only. Its ``match_bitap`` keeps
  the score of the location it returns in ``score_threshold`` (errors / pattern length +
  distance from the expected place / ``Match_Distance``; 0 best, ``Match_Threshold`` 0.5 worst);
  the installed library's own function is re-compiled with one line that keeps that value
  (:func:`_scoring_dmp`). A case's confidence is 1 − the worst score over the quote's 32-unit
  slices (a slice found at exactly the expected place scores 0).

Every cached span is checked against the committed answer cache on every case (``check``).

Run: ``python benchmarks/peer_scores.py [--oracle /tmp/oracle] [--jobs 2] [--only NAME]``
(needs ``../shared``; hypothesis ~1 min, dmp ~10 min, reanchor ~8 min on 2 cores).
"""

from __future__ import annotations

import argparse
import inspect
import json
import multiprocessing
import os
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers  # noqa: E402
from cases import Case, suite_a  # noqa: E402
from diff_match_patch import diff_match_patch  # noqa: E402
from peers import Query, Span  # noqa: E402
from suite_b import suite_b  # noqa: E402

from tether.textmodel.model import DocumentText  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures" / "accuracy"
PEERS = ("hypothesis", "reanchor", "dmp")
VERSIONS = {"hypothesis": "hypothesis-2022 (oracle hypo.mjs)",
            "reanchor": "reanchor {v}, min_confidence=0",
            "dmp": "dom-anchor-text-quote 4, match_bitap score"}
Entry = dict[str, object]


def score_path(name: str) -> Path:
    return OUT / f"{name}.scores.json"


def version(name: str) -> str:
    return VERSIONS[name].format(v=peers.reanchor_version() or "?")


def load_scores(name: str) -> dict[str, Entry]:
    """The committed scores of peer ``name`` by query key (``{}`` if none)."""
    path = score_path(name)
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["scores"]


def save_scores(name: str, scores: dict[str, Entry]) -> None:
    """One entry per line, keys sorted (diffs stay readable)."""
    lines = [f"  {json.dumps(k)}: {json.dumps(scores[k], sort_keys=True)}"
             for k in sorted(scores)]
    head = json.dumps({"matcher": name, "version": version(name)})[:-1]
    score_path(name).write_text(f'{head}, "scores": {{\n' + ",\n".join(lines) + "\n}}\n",
                                encoding="utf-8")


def confidence(name: str, entry: Entry) -> float | None:
    """The peer's confidence in its answer (higher = surer), ``None`` when it refuses at any
    threshold (no span)."""
    if entry["span"] is None:
        return None
    if name == "hypothesis":
        return 1.0 if entry["method"] == "position" else float(entry["score"])  # type: ignore[arg-type]
    if name == "reanchor":
        return float(entry["confidence"])  # type: ignore[arg-type]
    return 1.0 - max(entry["slice_scores"])  # type: ignore[type-var,operator]


def span_of(entry: Entry) -> Span | None:
    s = entry["span"]
    return None if s is None else (int(s[0]), int(s[1]))  # type: ignore[index]


# ----------------------------------------------------------------------------- Hypothesis
def hypothesis_scores(oracle: Path, docs: dict[str, DocumentText], queries: Sequence[Query],
                      raw: dict[str, list[dict]]) -> dict[str, Entry]:
    out = peers.run_hypothesis_raw(oracle, docs, queries, raw, scores=True)
    return {k: dict(v) for k, v in out.items()}  # type: ignore[call-overload]


# ----------------------------------------------------------------------------- reanchor
_DOCS: dict[str, DocumentText] = {}
_PREPARED: dict[str, object] = {}


def _reanchor_scored(q: Query) -> tuple[str, Entry]:
    import reanchor

    doc = _DOCS[q.doc]
    prepared = _PREPARED.get(q.doc)
    if prepared is None:
        prepared = _PREPARED[q.doc] = reanchor.prepare_document(doc.text)
    sel = reanchor.TextQuoteSelector(exact=peers.from_units(q.exact),
                                     prefix=peers.from_units(q.prefix),
                                     suffix=peers.from_units(q.suffix))
    found = reanchor.resolve_quote(prepared, sel,  # type: ignore[arg-type]
                                   reanchor.ResolveOptions(min_confidence=0.0))
    if found is None:
        return q.key, {"span": None}
    return q.key, {"span": [doc.to_utf16(found.start), doc.to_utf16(found.end)],
                   "confidence": found.confidence, "method": found.method,
                   "distance": found.distance}


def reanchor_scores(docs: dict[str, DocumentText], queries: Sequence[Query], jobs: int
                    ) -> dict[str, Entry]:
    """As :func:`peers.run_reanchor` (fork pool, longest quotes first), min_confidence 0."""
    import reanchor_numpy

    reanchor_numpy.check_equivalence([d.text for d in list(docs.values())[:4]])
    reanchor_numpy.install()
    _DOCS.clear()
    _DOCS.update(docs)
    _PREPARED.clear()
    order = sorted(queries, key=lambda q: (-len(q.exact), q.key))
    out: dict[str, Entry] = {}
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for i, (key, entry) in enumerate(pool.imap_unordered(_reanchor_scored, order,
                                                             chunksize=1)):
            out[key] = entry
            if i % 250 == 249:
                print(f"  reanchor {i + 1}/{len(order)}", file=sys.stderr, flush=True)
    return out


# ----------------------------------------------------------------------------- dmp
def _scoring_dmp() -> type:
    """A ``diff_match_patch`` subclass whose ``match_bitap`` is the installed library's own,
    re-compiled with one added line: before returning, it keeps ``score_threshold`` (by then
    the score of the location returned, which the library computes and drops) in
    ``self.last_score``."""
    src = textwrap.dedent(inspect.getsource(diff_match_patch.match_bitap))
    tail = "    return best_loc\n"
    assert src.count("return best_loc") == 1 and src.endswith(tail), "unexpected match_bitap"
    src = src[: -len(tail)] + "    self.last_score = score_threshold\n" + tail
    namespace: dict[str, object] = {}
    exec(compile(src, inspect.getsourcefile(diff_match_patch) or "dmp", "exec"),
         vars(sys.modules[diff_match_patch.__module__]), namespace)

    class ScoringDmp(diff_match_patch):
        match_bitap = namespace["match_bitap"]

        def match_main(self, text, pattern, loc):  # type: ignore[no-untyped-def]
            self.last_score = 0.0  # the shortcuts: an exact match at the expected place
            found = super().match_main(text, pattern, loc)
            self.log.append((pattern, found, self.last_score if found != -1 else None))
            return found

    return ScoringDmp


def dmp_scores(docs: dict[str, DocumentText], queries: Sequence[Query]) -> dict[str, Entry]:
    """:func:`peers.dmp_anchor` unchanged, run with the scoring class; the last calls of a
    case that found a span are its quote's slices (one ``match_main`` each, in order)."""
    cls = _scoring_dmp()
    units: dict[str, str] = {}
    out: dict[str, Entry] = {}
    original = peers.diff_match_patch
    log: list[tuple[str, int, float | None]] = []

    def make() -> diff_match_patch:
        d = cls()
        d.log = log
        return d

    peers.diff_match_patch = make  # type: ignore[assignment,misc]
    try:
        for q in queries:
            text16 = units.get(q.doc)
            if text16 is None:
                text16 = units[q.doc] = peers.to_units(docs[q.doc].text)
            log.clear()
            exact16 = peers.to_units(q.exact)
            span = peers.dmp_anchor(text16, exact16, peers.to_units(q.prefix),
                                    peers.to_units(q.suffix), q.start)
            if span is None:
                out[q.key] = {"span": None}
                continue
            n = len(peers._SLICE_RE.findall(exact16))
            slices = log[-n:]
            assert "".join(p for p, _, _ in slices) == exact16, q.key
            context = log[:-n]
            out[q.key] = {"span": list(span), "slice_scores": [s for _, _, s in slices],
                          "context_score": context[-1][2] if context else None}
    finally:
        peers.diff_match_patch = original  # type: ignore[misc]
    return out


# ----------------------------------------------------------------------------- all
def load_cases(shared: Path) -> tuple[dict[str, DocumentText], list[Case],
                                      dict[str, Span | None], dict[str, list[dict]]]:
    """Suites A and B as :mod:`accuracy` builds them (truth read from the fixtures now), with
    Hypothesis's committed Suite A answers and the notes' raw selectors."""
    docs, cases, hypo, raw = suite_a(shared)
    docs_b, cases_b = suite_b(shared)
    docs.update(docs_b)
    return docs, cases + cases_b, hypo, raw


def committed_answers(name: str, hypo_a: dict[str, Span | None]) -> dict[str, Span | None]:
    cache = json.loads((OUT / f"{name}.json").read_text(encoding="utf-8"))["answers"]
    out = {k: (tuple(v) if v is not None else None) for k, v in cache.items()}
    if name == "hypothesis":
        out.update(hypo_a)
    return out  # type: ignore[return-value]


def check(name: str, scores: dict[str, Entry], cases: Sequence[Case],
          committed: dict[str, Span | None]) -> tuple[int, list[str]]:
    """Every case's answer at the peer's default threshold (hypothesis and dmp: none;
    reanchor: 0.5) must be its committed answer. Returns (identical, differing ids)."""
    floor = 0.5 if name == "reanchor" else float("-inf")
    same, bad = 0, []
    for c in cases:
        e = scores.get(c.key)
        if e is None:
            bad.append(c.id)
            continue
        conf = confidence(name, e)
        ans = span_of(e) if conf is not None and conf >= floor else None
        if ans == committed.get(c.key, "missing"):
            same += 1
        else:
            bad.append(c.id)
    return same, bad


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("TETHER_SHARED", ROOT.parent / "shared")))
    ap.add_argument("--oracle", type=Path, default=None)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", choices=PEERS, action="append")
    args = ap.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        print(f"peer_scores: the shared corpus is not at {args.shared}", file=sys.stderr)
        return 2
    docs, cases, hypo_a, raw = load_cases(args.shared)
    queries = [c.query() for c in cases]
    status = 0
    for name in args.only or PEERS:
        t = time.perf_counter()
        if name == "hypothesis":
            oracle, why = peers.find_oracle(args.oracle)
            if oracle is None:
                print(f"hypothesis: not run: {why}", file=sys.stderr)
                status = 1
                continue
            scores = hypothesis_scores(oracle, docs, queries, raw)
        elif name == "reanchor":
            scores = reanchor_scores(docs, queries, args.jobs)
        else:
            scores = dmp_scores(docs, queries)
        same, bad = check(name, scores, cases, committed_answers(name, hypo_a))
        print(f"{name}: {len(scores)} cases in {time.perf_counter() - t:.0f} s; "
              f"{same}/{len(cases)} answers identical to the committed ones"
              + (f"; differing: {bad[:8]}" if bad else ""))
        if bad:
            status = 1
        save_scores(name, scores)
    return status


if __name__ == "__main__":
    sys.exit(main())
