"""Measure the pre-existing-copy test (:mod:`tether.resolve.copies`) on Suites A, B and DEV.

Resolves each document's annotations with the defaults but without the rule
(``ResolveOptions(preexisting_copies=None)``: the cascade, then the landmark placements), then asks
:func:`~tether.resolve.copies.preexisting_copies` which *accepted* answers it flags with
permissive numbers (any change of the bracket's length, any quote length), and prints every
flagged answer with its truth verdict (exact / found: right; wrong / piece: wrong), the
bracket's change in length, the answer's length and its offset. DEV notes are also thinned
to ``--thin`` annotations (``--draws`` random notes per size, seeded): fewer landmarks,
longer brackets, more moved passages inside one. A table then counts, per suite and for each
set of numbers (symmetric limits, the shrink allowances tried, and the defaults of
:class:`~tether.resolve.copies.CopyRules`), the right / wrong / unscored answers the rule
would refuse. The offset condition is asked throughout. Nothing in the resolver changes.

Run: ``python benchmarks/resolver_dev/copy_sweep.py [--devset DIR] [--share 0.5 ...]
[--min-quote 0 ...] [--thin 10 30 100 300] [--draws 30] [--list-thinned]`` (≈ 1 min).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ (cases, suite_b)

import score as S  # noqa: E402
from cases import suite_a, verdict  # noqa: E402
from devset import ROOT, default_out  # noqa: E402
from suite_b import suite_b  # noqa: E402

from tether.evaluate import Answer, CategoryScore, score_case  # noqa: E402
from tether.offsets import OffsetUnit  # noqa: E402
from tether.resolve import Resolution, Resolver  # noqa: E402
from tether.resolve.copies import CopyRules, preexisting_copies  # noqa: E402
from tether.resolve.normalize import strip_ignorable  # noqa: E402
from tether.resolve.options import ResolveOptions  # noqa: E402
from tether.selectors import Annotation  # noqa: E402
from tether.textmodel.model import DocumentText  # noqa: E402

PERMISSIVE = CopyRules(min_quote=0, max_growth_share=1e9, max_shrink_share=1e9)
DEFAULT = CopyRules()
#: Resolver options with the rule off: the answers it is asked of.
OFF = ResolveOptions(preexisting_copies=None)


def flagged(doc: DocumentText, anns: list[Annotation]) -> tuple[list, list]:
    """The default answers and the permissive rule's findings for one document."""
    resolver = Resolver(doc, OFF)
    # The answers without the rule (what ``resolve_all`` gives with it off).
    results = resolver.place_refusals([resolver.resolve(a) for a in anns])
    found = preexisting_copies(results, resolver.index.source, PERMISSIVE,
                               resolver.options.landmark_rules, resolver._occurs_once)
    return results, found


def dev_verdict(case: dict, res: Resolution) -> str:
    """exact / found / wrong for a DEV case (its category in brackets when not scored)."""
    if case["category"] not in S.CATEGORIES:
        return f"({case['category']})"
    one, span = CategoryScore(), res.span(OffsetUnit.UTF16)
    score_case(case, Answer(*span) if span else Answer(None, None), one)
    return "wrong" if one.wrong else "exact" if one.exact else "found"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset", type=Path, default=default_out())
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--share", type=float, nargs="*", default=[0.25, 0.5, 0.75, 1.0])
    ap.add_argument("--min-quote", type=int, nargs="*", default=[0, 8, 16])
    ap.add_argument("--thin", type=int, nargs="*", default=[10, 30, 100, 300],
                    help="DEV notes thinned to these sizes too")
    ap.add_argument("--draws", type=int, default=30, help="random thinned notes per size")
    ap.add_argument("--list-thinned", action="store_true",
                    help="list the thinned notes' flagged answers too (else only counts)")
    args = ap.parse_args()
    rows = []  # (suite, id, category, verdict, finding, exact)
    da, ca, _, _ = suite_a(args.shared)
    db, cb = suite_b(args.shared)
    accepted = {"A": 0, "B": 0, "DEV": 0}
    for suite, docs, cases in (("A", da, ca), ("B", db, cb)):
        by_doc: dict[str, list] = {}
        for c in cases:
            by_doc.setdefault(c.doc, []).append(c)
        for doc, cs in by_doc.items():
            results, found = flagged(docs[doc], [c.annotation for c in cs])
            accepted[suite] += sum(r.status.is_anchored for r in results)
            for f in found:
                c, r = cs[f.index], results[f.index]
                rows.append((suite, c.id, c.category, verdict(c, r.span(OffsetUnit.UTF16)), f,
                             r.exact, visible(r)))
    rng = random.Random(20261126)
    for size in args.thin:
        accepted[f"DEV/{size}"] = 0
    for pair in S.load_pairs(args.devset):
        doc, anns = S.pair_inputs(args.shared, pair)
        resolver = Resolver(doc, OFF)
        single = [resolver.resolve(a) for a in anns]  # each answer alone: before placing
        # The whole note, then notes thinned to ``size`` annotations (``draws`` each): fewer
        # landmarks, longer brackets, more moved passages inside one.
        draws = [("DEV", list(range(len(anns))))] + [
            (f"DEV/{size}", sorted(rng.sample(range(len(anns)), size)))
            for size in args.thin if size < len(anns) for _ in range(args.draws)]
        for suite, picked in draws:
            results = resolver.place_refusals([single[i] for i in picked])
            accepted[suite] += sum(r.status.is_anchored for r in results)
            found = preexisting_copies(results, resolver.index.source, PERMISSIVE,
                                       resolver.options.landmark_rules, resolver._occurs_once)
            for f in found:
                case, r = pair["cases"][picked[f.index]], results[f.index]
                rows.append((suite, f"{pair['doc']} v{pair['old']}: {case['id']}",
                             case["category"], dev_verdict(case, r), f, r.exact, visible(r)))
    print(f"accepted answers: {accepted}")
    print("every answer the permissive test flags (growth/length = |change| / answer length):")
    for suite, cid, cat, v, f, exact, _ in rows:
        if "/" in suite and not args.list_thinned and abs(f.growth) > 2 * f.length:
            continue  # thinned notes: only answers near the limits tried
        print(f"  {suite:3s} {cid} {cat} {v}: growth {f.growth:+d} of old gap {f.old_gap}, "
              f"length {f.length} ({abs(f.growth) / f.length:.2f}), offset {f.offset}, "
              f"landmarks {f.before.id!r}..{f.after.id!r}; {exact!r:.60}")
    print("refused by the rule (right / wrong / not scored), per suite:")
    configs = [(f"|growth| <= {x:.2f} x length, min_quote {mq:2d}",
                CopyRules(min_quote=mq, max_growth_share=x, max_shrink_share=x))
               for x in args.share for mq in args.min_quote]
    configs += [(f"growth in [-{x:.1f} x length - {g:.3f} x old gap, +0.5 x length], "
                 f"min_quote 16", CopyRules(max_shrink_share=x, max_shrink_gap=g))
                for x in (1.0, 1.5, 2.0) for g in (0.0, 0.005, 0.01, 0.02)]
    configs.append(("defaults (" + ", ".join(f"{k} {v}" for k, v in vars(DEFAULT).items())
                    + ")", DEFAULT))
    for name, rules in configs:
        tally = {s: [0, 0, 0] for s in accepted}
        for suite, _, _, v, f, _, shown in rows:
            if shown >= rules.min_quote and rules.kept_length(f.growth, f.length, f.old_gap):
                tally[suite][0 if v in ("exact", "found") else 1 if v in ("wrong", "piece")
                             else 2] += 1
        print(f"  {name}: " + "  ".join(f"{s} {r}/{w}/{n}" for s, (r, w, n) in tally.items()))


def visible(res: Resolution) -> int:
    """The quote's visible characters (whitespace ignored)."""
    assert res.annotation.quote is not None
    return len(strip_ignorable(res.annotation.quote.exact))


if __name__ == "__main__":
    main()
