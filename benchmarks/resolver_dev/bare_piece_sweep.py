"""Measure step-4 floors for a bare chain (no agreeing context at either end): Suites A, B, DEV.

Session 8's truth audit (:func:`truth.thin_search`) made Suite A's eth v2→v3 ``ox75v601fkm`` a
deleted passage: its quote "Mist re-lease 0.8.0, 2016. URL https://github.com/eth" (a Mist
reference, deleted) is anchored by step 4 on " 2016. URL https://github.com/eth", the tail of a
*new* reference — one surviving piece of 30 view characters, coverage 0.604 against the bare
floor ``CHAIN_BARE_COVERAGE`` 0.6, the context agreeing at neither end. This script scores the
resolver under candidate rules, without changing it (the rule is patched in for the run):

* ``chain_bare_coverage=X`` — the existing floor raised (a :class:`ResolveOptions` field);
* ``one_piece_view=N`` — a bare chain of ONE piece must keep at least N view characters in it
  (``Chain.quote_length - lead - trail``), else it is never accepted, also not between
  landmarks (``chain_in_bracket`` re-resolves with the floor lowered);
* ``one_piece_coverage=X`` — a bare chain of one piece needs coverage X.

Per suite and category: found / exact / wrong / refused, and every case whose verdict changes
against the defaults. DEV is read from ``--devset`` (built by ``devset.py``).

Run: ``python benchmarks/resolver_dev/bare_piece_sweep.py [--devset DIR] SPEC ...`` where SPEC
is ``default``, ``chain_bare_coverage=0.61``, ``one_piece_view=40``, ``one_piece_coverage=0.7``
or several joined by ``,`` (≈ 10 s per SPEC).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ (cases, suite_b)

import score as S  # noqa: E402
from cases import suite_a, verdict  # noqa: E402
from devset import ROOT, default_out  # noqa: E402
from suite_b import suite_b  # noqa: E402

import tether.resolve.chain as chain_mod  # noqa: E402
from tether.evaluate import Answer, CategoryScore, score_case  # noqa: E402
from tether.offsets import OffsetUnit  # noqa: E402
from tether.resolve import ResolveOptions, Resolver  # noqa: E402

DEFAULT_NEEDED = chain_mod.needed_coverage


def patched(view: int | None, coverage: float | None) -> Callable:
    """``chain.needed_coverage`` with the one-piece rules (``falls_short`` looks it up at call
    time, so step 4 and the landmark re-resolution both see it)."""
    def needed(chain: chain_mod.Chain, opt: ResolveOptions) -> float:
        base = DEFAULT_NEEDED(chain, opt)
        if chain.head or chain.tail or chain.pieces != 1:
            return base
        if view is not None and chain.quote_length - chain.lead - chain.trail < view:
            return 2.0  # more than any chain keeps: refused
        return max(base, coverage) if coverage is not None else base
    return needed


def verdicts(spec: str, suites: list, pairs: list[dict], shared: Path) -> dict[tuple, tuple]:
    """(suite, case) → (category, verdict) under ``spec``."""
    kw: dict[str, float] = {}
    view = coverage = None
    for item in filter(None, spec.split(",")):
        if item == "default":
            continue
        name, _, value = item.partition("=")
        if name == "one_piece_view":
            view = int(value)
        elif name == "one_piece_coverage":
            coverage = float(value)
        else:
            kw[name] = float(value)
    chain_mod.needed_coverage = patched(view, coverage)
    try:
        opt = ResolveOptions(**kw)
        out: dict[tuple, tuple] = {}
        for suite, docs, cases in suites:
            by_doc: dict[str, list] = {}
            for c in cases:
                by_doc.setdefault(c.doc, []).append(c)
            for doc, cs in by_doc.items():
                results = Resolver(docs[doc], opt).resolve_all([c.annotation for c in cs])
                for c, r in zip(cs, results, strict=True):
                    out[(suite, c.id)] = (c.category, verdict(c, r.span(OffsetUnit.UTF16)))
        _, rows, _ = S.run(pairs, shared, opt)
        for pair, case, r in rows:
            if case["category"] not in S.CATEGORIES:
                continue
            one, span = CategoryScore(), r.span(OffsetUnit.UTF16)
            score_case(case, Answer(*span) if span else Answer(None, None), one)
            v = ("wrong" if one.wrong else "refused" if one.refused
                 else "exact" if one.exact else "found")
            out[("DEV", f"{pair['doc']} v{pair['old']}: {case['id']}")] = (case["category"], v)
        return out
    finally:
        chain_mod.needed_coverage = DEFAULT_NEEDED


def table(out: dict[tuple, tuple]) -> list[str]:
    tally: dict[tuple[str, str], dict[str, int]] = {}
    for (suite, _), (cat, v) in out.items():
        t = tally.setdefault((suite, cat), dict.fromkeys(("n", "found", "exact", "wrong",
                                                          "refused"), 0))
        t["n"] += 1
        t["found"] += v in ("exact", "found")
        t["exact"] += v == "exact"
        t["wrong"] += v in ("wrong", "piece")
        t["refused"] += v == "refused"
    return [f"  {s:3s} {c:8s} n={t['n']:5d} found={t['found']:5d} exact={t['exact']:5d} "
            f"wrong={t['wrong']:2d} refused={t['refused']:4d}"
            for (s, c), t in sorted(tally.items())]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset", type=Path, default=default_out())
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("specs", nargs="+")
    args = ap.parse_args()
    da, ca, _, _ = suite_a(args.shared)
    db, cb = suite_b(args.shared)
    suites = [("A", da, ca), ("B", db, cb)]
    pairs = S.load_pairs(args.devset)
    base = verdicts("default", suites, pairs, args.shared)
    print("default")
    print("\n".join(table(base)))
    for spec in args.specs:
        if spec == "default":
            continue
        out = verdicts(spec, suites, pairs, args.shared)
        print(spec)
        print("\n".join(table(out)))
        for key, (cat, v) in out.items():
            if v != base[key][1]:
                print(f"  changed: {key[0]} {key[1]} {cat}: {base[key][1]} -> {v}")


if __name__ == "__main__":
    main()
