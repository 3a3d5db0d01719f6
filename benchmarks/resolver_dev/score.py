"""Score the resolver on the development set built by ``devset.py``.

Per sample kind (long selections, short ones) and in all: intact passages resolved to the exact
new span, edited and moved passages found (overlapping the truth or another verbatim
occurrence), deleted passages refused, and wrong anchors — the acceptance test's scoring
(:mod:`tether.evaluate`). ``recurs`` cases (the quote recurs elsewhere without its context)
count neither way. Also the resolver's CPU time per annotation (index build included).

Options: ``--set name=value`` (a :class:`~tether.resolve.ResolveOptions` field, repeatable);
``--sweep SPEC ...`` scores one configuration per SPEC (``"name=value,name=value"``, ``""`` for
the defaults); ``--wrong`` lists every wrong anchor; ``--refusals`` counts refusals of findable
passages by reason.

Run: ``python benchmarks/resolver_dev/score.py [--set chain=False] [--wrong] [--refusals]``
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from devset import default_out

from tether.evaluate import Answer, CategoryScore, merge, score_case
from tether.offsets import OffsetUnit
from tether.resolve import Resolution, ResolveOptions, Resolver
from tether.selectors import Annotation, TextPosition, TextQuote
from tether.textmodel.model import DocumentText

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("sample", "short")
CATEGORIES = ("intact", "edited", "moved", "deleted")


def load_pairs(folder: Path) -> list[dict]:
    files = sorted(folder.glob("*-v[0-9].json"))
    if not files:
        sys.exit(f"error: no development set in {folder} (run devset.py first)")
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def pair_inputs(shared: Path, pair: dict) -> tuple[DocumentText, list[Annotation]]:
    """One DEV pair's new document (the shared ``vN.pdfjs-pages.json``) and its annotations."""
    pages = shared / "corpus" / "versions" / pair["doc"] / f"v{pair['new']}.pdfjs-pages.json"
    doc = DocumentText.from_pdfjs_pages_json(pages.read_text(encoding="utf-8"))
    anns = []
    for case in pair["cases"]:
        s = case["selectors"]
        anns.append(Annotation(case["id"], TextQuote(s["exact"], s["prefix"], s["suffix"]),
                               TextPosition(s["start"], s["end"])))
    return doc, anns


def run(pairs: list[dict], shared: Path, options: ResolveOptions
        ) -> tuple[dict[str, dict[str, CategoryScore]], list[tuple[dict, dict, Resolution]],
                   float]:
    """Scores per kind and category, every (pair, case, resolution), CPU ms per annotation."""
    scores = {k: {c: CategoryScore() for c in CATEGORIES} for k in KINDS}
    rows = []
    cpu, count = 0.0, 0
    for pair in pairs:
        doc, anns = pair_inputs(shared, pair)
        t0 = time.process_time()
        results = Resolver(doc, options).resolve_all(anns)
        cpu += time.process_time() - t0
        count += len(anns)
        for case, res in zip(pair["cases"], results, strict=True):
            rows.append((pair, case, res))
            if case["category"] not in CATEGORIES:
                continue
            span = res.span(OffsetUnit.UTF16)
            score_case(case, Answer(*span) if span else Answer(None, None),
                       scores[case["sample"]][case["category"]])
    return scores, rows, 1000 * cpu / max(1, count)


def summary(scores: dict[str, dict[str, CategoryScore]]) -> list[str]:
    total = {c: CategoryScore() for c in CATEGORIES}
    lines = []
    for kind in (*KINDS, "all"):
        part = total if kind == "all" else scores[kind]
        if kind != "all":
            merge(total, part)
        i, e, m, d = (part[c] for c in CATEGORIES)
        lines.append(
            f"{kind:6s} intact exact {i.exact}/{i.cases} ({i.rate('exact'):.2%})  edited found "
            f"{e.found}/{e.cases} ({e.rate('found'):.2%})  moved found {m.found}/{m.cases}  "
            f"deleted refused {d.refused}/{d.cases} ({d.rate('refused'):.2%})  wrong "
            f"{sum(s.wrong for s in part.values())}")
    return lines


def parse_options(items: list[str]) -> ResolveOptions:
    kw = {}
    for item in filter(None, (p.strip() for s in items for p in s.split(","))):
        name, _, value = item.partition("=")
        kw[name.strip()] = ast.literal_eval(value.strip())
    return ResolveOptions(**kw)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset", type=Path, default=default_out())
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--sweep", nargs="+", metavar="SPEC")
    ap.add_argument("--wrong", action="store_true")
    ap.add_argument("--refusals", action="store_true")
    args = ap.parse_args()
    pairs = load_pairs(args.devset)
    if args.sweep is not None:
        for spec in args.sweep:
            scores, _, ms = run(pairs, args.shared, parse_options([*args.set, spec]))
            print(f"{spec or 'defaults':40s} | {summary(scores)[-1]} | {ms:.2f} ms/ann",
                  flush=True)
        return
    scores, rows, ms = run(pairs, args.shared, parse_options(args.set))
    print("\n".join(summary(scores)))
    print(f"CPU {ms:.2f} ms per annotation (index build included), {len(rows)} annotations")
    fixes = Counter(f for _, c, _ in rows for f in (c.get("truth_fix") or "").split("+") if f)
    if fixes:
        print(f"truth corrected by truth.py: {dict(sorted(fixes.items()))}")
    if args.wrong:
        for pair, case, res in rows:
            if case["category"] not in CATEGORIES or not res.status.is_anchored:
                continue
            s = CategoryScore()
            score_case(case, Answer(*res.span(OffsetUnit.UTF16)), s)
            if s.wrong:
                truth = case["new"]["exact"][:60] if case.get("new") else None
                print(f"WRONG {pair['doc']} v{pair['old']} {case['id']} {case['category']} "
                      f"kept={case.get('kept_fraction')} {res.status.value}: "
                      f"{case['selectors']['exact'][:60]!r} -> {res.exact[:60]!r} "
                      f"(truth {truth!r}) | {res.reason}")
    if args.refusals:
        reasons: Counter[tuple[str, str]] = Counter()
        for _, case, res in rows:
            if case["category"] in ("intact", "edited", "moved") and not res.status.is_anchored:
                reasons[(case["category"], re.sub(r"\d+(\.\d+)?", "N", res.reason or "")[:90])] += 1
        for (cat, reason), n in reasons.most_common():
            print(f"{n:5d}  {cat:7s} {reason}")


if __name__ == "__main__":
    main()
