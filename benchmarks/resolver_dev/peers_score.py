"""Score the peers (Hypothesis 2022, reanchor, dmp) beside tether on a DEV-format set.

Same inputs and scoring as ``score.py``: each pair's new document (the shared
``vN.pdfjs-pages.json``), the annotations' stored selectors (positions in UTF-16 units of the old
text), :func:`tether.evaluate.score_case` per sample kind and category; ``recurs`` cases count
neither way. Peers answer through ``benchmarks/peers.py``'s runners (Hypothesis through the
oracle's own ``anchorSelectors``; reanchor with the NumPy alignment, checked identical first;
dmp in Python). Their answers are cached in ``--cache`` (outside the repo: never fixtures/),
keyed by a digest of (document text, selector), so a re-run or another set sharing cases costs
nothing.

reanchor takes seconds per edited case, so ``--reanchor-sample N`` runs it on N cases drawn with
``--seed`` from the scored ones; its table then has tether's on the same cases beside it.

Run: ``python benchmarks/resolver_dev/peers_score.py --devset /tmp/hold100 [--peers ...]``
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from score import CATEGORIES, KINDS, ROOT, load_pairs, pair_inputs

from tether.evaluate import Answer, CategoryScore, merge, score_case
from tether.offsets import OffsetUnit
from tether.resolve import Resolver
from tether.textmodel.model import DocumentText

sys.path.insert(0, str(ROOT / "benchmarks"))
import peers  # noqa: E402
from peers import AnswerCache, Query, Span  # noqa: E402

PEERS = ("hypothesis", "reanchor", "dmp")
VERSIONS = {"hypothesis": "hypothesis-2022 (oracle hypo.mjs)", "dmp": "dom-anchor-text-quote 4"}
DEFAULT_CACHE = Path("/tmp/tether-peers-cache")
#: reanchor answers are written to the cache every this many, so an interrupted run keeps them.
SAVE_EVERY = 50

#: (query key, case identity "doc vOLD id", DEV case). Two cases may share a query key (same
#: selector, same document); the identity tells them apart.
Case = tuple[str, str, dict]


def collect(pairs: list[dict], shared: Path
            ) -> tuple[dict[str, DocumentText], list[Query], list[Case], dict[str, Span | None]]:
    """Documents by digest, one peer query per scored case, (key, case) pairs, and tether's
    answers (defaults, ``Resolver(doc).resolve_all`` per pair, as ``score.py``) by key."""
    docs: dict[str, DocumentText] = {}
    queries: list[Query] = []
    cases: list[Case] = []
    tether: dict[str, Span | None] = {}
    for pair in pairs:
        doc, anns = pair_inputs(shared, pair)
        digest = peers.text_digest(doc)
        docs[digest] = doc
        results = Resolver(doc).resolve_all(anns)
        for case, res in zip(pair["cases"], results, strict=True):
            if case["category"] not in CATEGORIES:
                continue
            s = case["selectors"]
            key = peers.query_key(digest, s["exact"], s["prefix"], s["suffix"], s["start"],
                                  s["end"])
            queries.append(Query(key, digest, s["exact"], s["prefix"], s["suffix"], s["start"],
                                 s["end"]))
            cases.append((key, f"{pair['doc']} v{pair['old']} {case['id']}", case))
            tether[key] = res.span(OffsetUnit.UTF16)
    return docs, queries, cases, tether


def peer_answers(name: str, args: argparse.Namespace, docs: dict[str, DocumentText],
                 queries: list[Query]) -> dict[str, Span | None]:
    """Answers of peer ``name`` for ``queries``, from the cache or computed (and cached)."""
    version = peers.reanchor_version() if name == "reanchor" else VERSIONS[name]
    if version is None:
        sys.exit("error: reanchor is not installed (`pip install reanchor`)")
    cache = AnswerCache(args.cache / f"{name}.json", name, version)
    todo = [q for q in queries if q.key not in cache.answers]
    t = time.perf_counter()
    if todo and name == "hypothesis":
        oracle, why = peers.find_oracle(args.oracle)
        if oracle is None:
            sys.exit(f"error: hypothesis: {why}")
        cache.answers.update(peers.run_hypothesis(oracle, docs, todo))
    elif todo and name == "reanchor":
        import reanchor_numpy

        n = reanchor_numpy.check_equivalence([d.text for d in list(docs.values())[:4]])
        reanchor_numpy.install()
        print(f"  reanchor: NumPy alignment identical to reanchor's own on {n} inputs",
              file=sys.stderr)
        done = [0]

        def save(key: str, span: Span | None, sec: float) -> None:
            cache.answers[key] = span
            done[0] += 1
            if done[0] % SAVE_EVERY == 0:
                cache.save(cache.answers.keys())
                print(f"  reanchor {done[0]}/{len(todo)} "
                      f"({time.perf_counter() - t:.0f} s)", file=sys.stderr, flush=True)

        peers.run_reanchor(docs, todo, args.jobs, save)
    elif todo:
        cache.answers.update(peers.run_dmp(docs, todo)[0])
    if todo:
        cache.save(cache.answers.keys())
        print(f"  {name}: ran {len(todo)} of {len(queries)} in {time.perf_counter() - t:.0f} s",
              file=sys.stderr, flush=True)
    return {q.key: cache.answers[q.key] for q in queries}


def tally(cases: list[Case], answers: dict[str, Span | None]
          ) -> tuple[dict[str, dict[str, CategoryScore]], set[str]]:
    """Scores per kind and category, and the identities of the wrong anchors."""
    scores = {k: {c: CategoryScore() for c in CATEGORIES} for k in KINDS}
    wrong = set()
    for key, ident, case in cases:
        span = answers[key]
        s = scores[case["sample"]][case["category"]]
        before = s.wrong
        score_case(case, Answer(*span) if span else Answer(None, None), s)
        if s.wrong > before:
            wrong.add(ident)
    return scores, wrong


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.1f}%)" if d else f"{n}/0"


def rows(name: str, scores: dict[str, dict[str, CategoryScore]]) -> list[str]:
    """One line per kind and one for all: intact exact, edited/moved found, deleted refused,
    wrong (count and % of the scored cases)."""
    out = []
    for kind in (*KINDS, "all"):
        part = {c: CategoryScore() for c in CATEGORIES}
        for k in (KINDS if kind == "all" else (kind,)):
            merge(part, scores[k])
        i, e, m, d = (part[c] for c in CATEGORIES)
        n = sum(s.cases for s in part.values())
        out.append(f"| {name} | {kind} | {_pct(i.exact, i.cases)} | {_pct(e.found, e.cases)} | "
                   f"{_pct(m.found, m.cases)} | {_pct(d.refused, d.cases)} | "
                   f"{_pct(sum(s.wrong for s in part.values()), n)} |")
    return out


def _said(answers: dict[str, Span | None], key: str, tether_span: Span | None) -> str:
    if key not in answers:
        return "?"
    return "=" if answers[key] == tether_span else str(answers[key] or "-")


HEADER = ("| matcher | kind | intact exact | edited found | moved found | deleted refused | "
          "wrong |\n|---|---|---|---|---|---|---|")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset", type=Path, required=True)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                    help=f"peer answer caches (default {DEFAULT_CACHE}); keep it outside the repo")
    ap.add_argument("--peers", nargs="*", default=list(PEERS), choices=PEERS)
    ap.add_argument("--oracle", type=Path, default=None, help="PDF.js oracle (default /tmp/oracle)")
    ap.add_argument("--jobs", type=int, default=2, help="reanchor worker processes")
    ap.add_argument("--reanchor-sample", type=int, default=None, metavar="N",
                    help="run reanchor on N scored cases drawn with --seed (default: all)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--wrong", action="store_true",
                    help="list tether's wrong anchors and the peers wrong on the same cases")
    args = ap.parse_args()
    if (args.cache.resolve().is_relative_to(ROOT)):
        ap.error("--cache must be outside the repository")
    pairs = load_pairs(args.devset)
    docs, queries, cases, tether = collect(pairs, args.shared)
    t_scores, t_wrong = tally(cases, tether)
    print(f"## {args.devset} ({len(cases)} scored cases, {len(pairs)} pairs)\n\n{HEADER}")
    print("\n".join(rows("tether", t_scores)))
    overlap = []
    peer_answers_of: dict[str, dict[str, Span | None]] = {}
    for name in args.peers:
        sub_q, sub_c = queries, cases
        if name == "reanchor" and args.reanchor_sample and args.reanchor_sample < len(cases):
            picked = set(random.Random(args.seed).sample(range(len(cases)), args.reanchor_sample))
            sub_q = [q for i, q in enumerate(queries) if i in picked]
            sub_c = [c for i, c in enumerate(cases) if i in picked]
            print("\n".join(rows(f"tether (reanchor's {len(sub_c)})", tally(sub_c, tether)[0])))
        answers = peer_answers(name, args, docs, sub_q)
        p_scores, p_wrong = tally(sub_c, answers)
        peer_answers_of[name] = answers
        print("\n".join(rows(name, p_scores)), flush=True)
        key_of = {ident: key for key, ident, _ in sub_c}
        both = p_wrong & t_wrong
        same = sum(answers[key_of[i]] == tether[key_of[i]] for i in both)
        overlap.append(f"{name}: {len(p_wrong)} wrong; {len(both)} of them also wrong for tether "
                       f"({same} at the same span); tether: {len(t_wrong & key_of.keys())} wrong "
                       f"on these {len(sub_c)} cases")
    print("\nwrong anchors shared with tether:\n" + "\n".join(f"- {o}" for o in overlap))
    if args.wrong:
        print("\ntether's wrong anchors (peer: span, '=' when tether's, '-' refused, '?' not run):")
        for key, ident, case in cases:
            if ident not in t_wrong:
                continue
            truth = case["new"] and (case["new"]["start_utf16"], case["new"]["end_utf16"])
            said = [f"{n} {_said(a, key, tether[key])}" for n, a in peer_answers_of.items()]
            print(f"- {ident} {case['sample']} {case['category']} tether {tether[key]} truth "
                  f"{truth} | {'; '.join(said)} | {case['selectors']['exact'][:50]!r}")


if __name__ == "__main__":
    main()
