"""Suite A's truth with :mod:`truth`'s corrections applied in memory, and tether scored on both.

The committed fixtures (``fixtures/updates/*/*.truth.json``) are left as they are; this shows
which of their cases the three corrections would change and what tether's figures would be
(found / exact / wrong / refused per category, :func:`tether.evaluate.score_case`).
``--chain-max-gap N`` sets step 4's ``chain.MAX_GAP`` for the run (an experiment: session 5
measured 64 against the default 32).

Run: ``python benchmarks/resolver_dev/suite_a_truth.py [--chain-max-gap 64]`` (≈ 1 minute).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

from devset import ROOT, M, truth  # devset puts scripts/ (make_update_cases) on the path
from diff_match_patch import diff_match_patch

from tether.evaluate import Answer, CategoryScore, score_case
from tether.formats import load_annotations
from tether.offsets import OffsetUnit
from tether.resolve import chain as chain_module
from tether.resolve.cascade import Resolver  # pure: what --chain-max-gap's patch reaches
from tether.textmodel.model import DocumentText

CATEGORIES = ("intact", "edited", "moved", "deleted")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--chain-max-gap", type=int, default=None)
    args = ap.parse_args()
    if args.chain_max_gap is not None:
        chain_module.MAX_GAP = args.chain_max_gap
    totals = {k: {c: CategoryScore() for c in CATEGORIES} for k in ("committed", "corrected")}
    for path in sorted((ROOT / "fixtures" / "updates").glob("*/*-to-*.truth.json")):
        doc = path.parent.name
        old_v, new_v = path.name.split(".truth.json")[0].split("-to-")
        vdir = args.shared / "corpus" / "versions" / doc
        old = M.load_text(vdir / f"{old_v}.pdfjs-pages.json")
        new = M.load_text(vdir / f"{new_v}.pdfjs-pages.json")
        mapping, _ = M.align(old, new)
        mo, mn, nows = M.Utf16Map(old), M.Utf16Map(new), M.strip_spaces(new)
        dmp = diff_match_patch()
        dmp.Diff_Timeout = M.CHAR_TIMEOUT_S
        text = DocumentText.from_pdfjs_pages_json(
            (vdir / f"{new_v}.pdfjs-pages.json").read_text(encoding="utf-8"))
        anns = load_annotations(path.with_name(f"{old_v}.md")).annotations
        results = {r.annotation.id: r for r in Resolver(text).resolve_all(anns)}
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            fixed = copy.deepcopy(case)
            fix = truth.refine(fixed, old, new, mapping, mo, mn, nows, dmp)
            res = results[case["id"]]
            span = res.span(OffsetUnit.UTF16)
            answer = Answer(*span) if span else Answer(None, None)
            for kind, c in (("committed", case), ("corrected", fixed)):
                if c["category"] in CATEGORIES:
                    one = CategoryScore()
                    score_case(c, answer, one)
                    score_case(c, answer, totals[kind][c["category"]])
                    if one.wrong:
                        print(f"WRONG ({kind} truth) {doc} {old_v}-{new_v} {case['id']} "
                              f"{c['category']} {res.status.value}: {(res.reason or '')[:80]}")
            if fix:
                print(f"{fix}: {doc} {old_v}-{new_v} {case['id']} {case['category']} -> "
                      f"{fixed['category']} (tether {res.status.value})")
    for kind, scores in totals.items():
        print(f"{kind:9s} " + "  ".join(
            f"{c} {s.found}/{s.cases} found, {s.exact} exact, {s.wrong} wrong, {s.refused} refused"
            for c, s in scores.items()))


if __name__ == "__main__":
    sys.exit(main())
