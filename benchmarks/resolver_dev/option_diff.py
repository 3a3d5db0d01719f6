"""What would an option change? Every answer that differs between the default options and
``--set`` overrides, case by case, with the verdict before and after.

A rule is kept or dropped by what it changes, not by its totals: this resolves each document's
annotations twice (``Resolver.resolve_all``, as ``check`` does: the landmark rules included),
once with :class:`~tether.resolve.ResolveOptions`' defaults and once with the overrides, and
scores only the answers that differ (status or span). Sets: Suite A (``--suite-a``), Suite B's
mutations (``--suite-b suite``) or the same recipe at other seeds (``--suite-b 2-21``: each
seed a fresh draw of 1,144 cases), and DEV-style draws built by ``devset.py`` (``--devset
DIR``, repeatable).

Verdicts are the benchmarks' own: ``cases.verdict`` for the suites (``exact``, ``found``,
``refused``, ``wrong``, ``piece``), :func:`tether.evaluate.score_case` for DEV-style draws
(``exact``, ``found``, ``refused``, ``wrong``; their ``recurs`` cases count neither way). A
refusal is right for a deleted passage and a miss otherwise, so a deleted passage that an
override anchors counts twice: one right answer lost *and* one wrong anchor made (do not
subtract the two columns). ``exact`` counts answers that gained or lost the truth's exact span,
right answers both ways (a worse span is invisible to right/wrong).

Run: ``python benchmarks/resolver_dev/option_diff.py --set distinctive_quote=3 --suite-a
--suite-b 2-21 --devset /tmp/dev [--list]`` (needs ``../shared``).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from score import CATEGORIES, load_pairs, pair_inputs, parse_options

from tether.evaluate import Answer, CategoryScore, score_case
from tether.offsets import OffsetUnit
from tether.resolve import Resolution, ResolveOptions, Resolver
from tether.selectors import Annotation
from tether.textmodel.model import DocumentText

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

#: One changed answer: (set, case id, category, verdict before, verdict after, the new answer).
Change = tuple[str, str, str, str, str, Resolution]


def outcome(category: str, verdict: str) -> str:
    """``right``, ``wrong`` or ``missed``: a verdict as the goal counts it (a refusal is right
    only for a deleted passage; ``piece`` is a wrong anchor on a surviving fragment)."""
    if verdict in ("exact", "found"):
        return "right"
    if verdict == "refused":
        return "right" if category == "deleted" else "missed"
    return "wrong"


def _differ(a: Resolution, b: Resolution) -> bool:
    return (a.status, a.start, a.end) != (b.status, b.start, b.end)


def _both(doc: DocumentText, anns: Sequence[Annotation], new: ResolveOptions
          ) -> Iterator[tuple[int, Resolution, Resolution]]:
    """The index, default answer and overridden answer of each annotation whose answer differs."""
    before = Resolver(doc).resolve_all(anns)
    after = Resolver(doc, new).resolve_all(anns)
    for i, (a, b) in enumerate(zip(before, after, strict=True)):
        if _differ(a, b):
            yield i, a, b


def suite_changes(tag: str, docs: dict, cases: list, new: ResolveOptions) -> Iterator[Change]:
    """The changed answers of one suite (Suite A, or one Suite B seed)."""
    from cases import verdict

    by_doc: dict[str, list] = {}
    for c in cases:
        by_doc.setdefault(c.doc, []).append(c)
    for doc_id, group in by_doc.items():
        for i, a, b in _both(docs[doc_id], [c.annotation for c in group], new):
            c = group[i]
            yield (tag, c.id, c.category, verdict(c, a.span(OffsetUnit.UTF16)),
                   verdict(c, b.span(OffsetUnit.UTF16)), b)


def _dev_verdict(case: dict, res: Resolution) -> str:
    score = CategoryScore()
    span = res.span(OffsetUnit.UTF16)
    score_case(case, Answer(*span) if span else Answer(None, None), score)
    if score.wrong:
        return "wrong"
    return "exact" if score.exact else "found" if score.found else "refused"


def devset_changes(folder: Path, shared: Path, new: ResolveOptions) -> Iterator[Change]:
    """The changed answers of one DEV-style draw (``recurs`` cases left out)."""
    for pair in load_pairs(folder):
        doc, anns = pair_inputs(shared, pair)
        tag = f"{folder.name}:{pair['doc']} v{pair['old']}"
        for i, a, b in _both(doc, anns, new):
            case = pair["cases"][i]
            if case["category"] in CATEGORIES:
                yield (tag, case["id"], case["category"], _dev_verdict(case, a),
                       _dev_verdict(case, b), b)


def seeds(spec: str) -> list[int]:
    """``"2-21"`` → 2..21, ``"5"`` → 5, ``"suite"`` → Suite B's own seed (``mutations.SEED``)."""
    if spec == "suite":
        from mutations import SEED

        return [SEED]
    low, _, high = spec.partition("-")
    return list(range(int(low), int(high or low) + 1))


def report(name: str, changes: list[Change], listing: bool) -> str:
    """One line per set: right answers gained and lost, wrong anchors made and undone (refused
    or turned right), exact spans gained and lost."""
    moves = Counter((outcome(cat, v0), outcome(cat, v1)) for _, _, cat, v0, v1, _ in changes)
    exact = Counter((v0 == "exact", v1 == "exact") for _, _, _, v0, v1, _ in changes)
    if listing:
        for tag, cid, cat, v0, v1, res in changes:
            print(f"  {tag} {cid} {cat}: {v0} -> {v1} ({res.status.value}) "
                  f"{(res.reason or '')[:100]}")
    gained = sum(n for (a, b), n in moves.items() if b == "right" and a != "right")
    lost = sum(n for (a, b), n in moves.items() if a == "right" and b != "right")
    made = sum(n for (a, b), n in moves.items() if b == "wrong" and a != "wrong")
    undone = sum(n for (a, b), n in moves.items() if a == "wrong" and b != "wrong")
    return (f"{name}: {len(changes)} answers differ; right +{gained} −{lost}, "
            f"wrong +{made} −{undone}, exact +{exact[False, True]} −{exact[True, False]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", action="append", required=True, metavar="NAME=VALUE")
    ap.add_argument("--suite-a", action="store_true")
    ap.add_argument("--suite-b", metavar="SEEDS",
                    help="seeds, e.g. 2-21, or 'suite' for Suite B itself")
    ap.add_argument("--devset", type=Path, action="append", default=[], metavar="DIR")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--list", action="store_true", help="print every changed answer")
    args = ap.parse_args()
    new = parse_options(args.set)
    print(f"overrides: {', '.join(args.set)}")
    if args.suite_a:
        from cases import suite_a

        docs, cases = suite_a(args.shared)[:2]
        print(report("Suite A", list(suite_changes("A", docs, cases, new)), args.list),
              flush=True)
    if args.suite_b:
        from suite_b import suite_b

        changes: list[Change] = []
        for seed in seeds(args.suite_b):
            docs, cases = suite_b(args.shared, seed=seed)
            changes += suite_changes(f"B{seed}", docs, cases, new)
        print(report(f"Suite B seeds {args.suite_b}", changes, args.list), flush=True)
    for folder in args.devset:
        print(report(folder.name, list(devset_changes(folder, args.shared, new)), args.list),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
