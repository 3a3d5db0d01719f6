"""Suite A's truth (``fixtures/updates``) with :mod:`truth`'s corrections, and tether scored on it.

The acceptance fixtures' truth comes from ``scripts/make_update_cases.py`` (``align`` then
``classify``). Session 5 found that method calls some passages *deleted* that a reader calls
the same passage edited in place (:func:`truth.rejoin_in_place`: a passage counted only up to
an insertion of 41+ characters — a running header where the page now breaks, a new table row or
sentence), and :mod:`truth` corrects that and two other artefacts with the classifier's own
thresholds, only ever turning a ``deleted`` case findable or accepting one more span. Session 8
audited the other direction (:func:`truth.pre_existing_copy`): a truth span that alignment A
traces to OLD's *other* text (a copy that was there all along and survived, while the annotated
passage was deleted) is not the passage; the case is re-decided without it — usually
``deleted`` — so that correction can *add* a "wrong" verdict. So can :func:`truth.thin_search`
(session 8): a span that only the whole-text search B supports, accepted on the quote's length
although B kept fewer than 40 visible characters of it and neither context side agrees (a
deleted Mist reference placed on the " 2016. URL https://github.com/eth" tail of a new one).
Session 9 (:func:`truth.other_copies`): the ``alternatives`` / ``occurrences`` an anchor may land
on besides the truth lose the spans that are not the passage (old text from elsewhere, or a
verbatim copy whose context disagrees) — which also adds "wrong" verdicts. Session 13
(:func:`truth.by_surroundings`): a ``deleted`` passage found by its surroundings' one window in
the new text (one case: the yellow paper v2→v3 "x for Px), it" → "x for any x), it").

Without ``--write`` this shows which committed cases the corrections would change and tether's
figures on the committed and on the corrected truth (found / exact / wrong / refused per
category, :func:`tether.evaluate.score_case`). ``--write`` writes the corrected truth into the
fixtures: each changed case in ``vN-to-vM.truth.json`` (marked ``truth_fix``, the file's
``counts`` and a ``corrections`` note), the Hypothesis rows' ``category`` / ``verdict`` in
``vN-to-vM.hypothesis.json`` (re-judged by ``make_update_cases.verdict`` from the committed
spans; Hypothesis is not re-run) and ``summary.json``. Applied to the fixtures as
``make_update_cases.py`` wrote them (commit 3537b47 and before) it gives the committed files
byte for byte; applied again it changes nothing (a case corrected by 1–3 is no longer
``deleted``; one corrected by 4 or 5 is marked so and left alone).
``--chain-max-gap N`` sets step 4's ``ResolveOptions.chain_max_gap`` for the scoring.

Run: ``python benchmarks/resolver_dev/suite_a_truth.py [--write] [--chain-max-gap N]``
(≈ 2 minutes; needs ``../shared``).
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
from tether.resolve import ResolveOptions, Resolver
from tether.textmodel.model import DocumentText

CATEGORIES = ("intact", "edited", "moved", "deleted")
UPDATES = ROOT / "fixtures" / "updates"
CORRECTIONS = (
    "Corrected by benchmarks/resolver_dev/truth.py (cases marked truth_fix; "
    "python benchmarks/resolver_dev/suite_a_truth.py --write): a deleted passage whose in-place "
    "clusters, rejoined across insertions of at most a quarter of the quote (or 40 code "
    "points), keep >= 0.5 of it is edited (rejoin_in_place); a short deleted quote compared "
    "with its unwidened search window (tight_search); the best-context verbatim copy of an "
    "intact quote whose own context disagrees is accepted (accept_context_twins); a truth span "
    "more than half of whose visible characters alignment A traces to OLD text outside the "
    "annotated passage (context agreeing at least as well with that text) is a copy that was "
    "there all along, not the passage: the case is re-decided without it (an alternatives span, "
    "or a verbatim copy with context ratio >= 60 agreeing no better with another OLD copy), "
    "else deleted; the rejected spans are listed in not_the_passage with the OLD span they "
    "trace to (pre_existing_copy); a moved or alternatives span that is the whole-text search's "
    "placement, disjoint from the in-place candidate, with context ratio < 60 and fewer than 40 "
    "visible characters of the quote kept rests on text many passages share: the case is "
    "re-decided without it (the in-place candidate if it keeps >= 0.5, or a verbatim copy as the "
    "classifier accepts one), else deleted; the span is listed in not_the_passage (thin_search); "
    "an alternatives or occurrences span that is OLD's other text (traced by A as above, or a "
    "verbatim copy of the quote, not aligned into the passage, whose context on both sides "
    "agrees better with another OLD copy of the quote) is not accepted, nor an occurrence with "
    "context ratio < 60 holding none of the passage's own text: they move to not_the_passage "
    "(other_copies; a truth span found so is re-decided as by pre_existing_copy); an intact "
    "case whose verbatim copy A reached by jumping over an insertion that holds the passage's "
    "edited form is moved to that form (across_insertion); a deleted passage whose surroundings "
    "(48 code points either side) have one partial_ratio window in the new text, of ratio >= 70 "
    "and 10 more than any other, keeping >= 0.5 of the quote in one cluster (characters A "
    "traces to OLD text outside the quote not counted) with context ratio >= 60, is edited "
    "there, or moved when outside the in-place candidate (by_surroundings). "
    "truth_fix names every correction applied, joined by '+'.")


def dump(path: Path, obj: object) -> None:
    """As make_update_cases.py writes its fixtures."""
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def counts_of(items: list[dict], key: str) -> dict[str, int]:
    """Counts of ``key``'s values in first-seen order (as make_update_cases.py builds them)."""
    out: dict[str, int] = {}
    for item in items:
        out[item[key]] = out.get(item[key], 0) + 1
    return out


def correct_pair(path: Path, shared: Path) -> tuple[list[dict], list[dict]]:
    """(committed cases, corrected cases) of one ``vN-to-vM.truth.json``."""
    doc = path.parent.name
    old_v, new_v = path.name.split(".truth.json")[0].split("-to-")
    vdir = shared / "corpus" / "versions" / doc
    old = M.load_text(vdir / f"{old_v}.pdfjs-pages.json")
    new = M.load_text(vdir / f"{new_v}.pdfjs-pages.json")
    mapping, _ = M.align(old, new)
    mo, mn, nows = M.Utf16Map(old), M.Utf16Map(new), M.strip_spaces(new)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = M.CHAR_TIMEOUT_S
    committed = json.loads(path.read_text(encoding="utf-8"))["cases"]
    fixed = copy.deepcopy(committed)
    inv = truth.inverse(mapping, len(new))
    for case in fixed:
        truth.refine(case, old, new, mapping, mo, mn, nows, dmp, inv)
    return committed, fixed


def write_pair(path: Path, fixed: list[dict], summary: list[dict]) -> int:
    """Write one pair's corrected truth and Hypothesis verdicts; the number of changed cases."""
    data = json.loads(path.read_text(encoding="utf-8"))
    changed = sum(a != b for a, b in zip(data["cases"], fixed, strict=True))
    if not changed:
        if data.get("corrections") not in (None, CORRECTIONS):  # an older note: bring it up to date
            data["corrections"] = CORRECTIONS
            dump(path, data)
        return 0
    data["counts"] = counts_of(fixed, "category")
    data["cases"] = fixed
    # The note on the corrections goes right after the method it corrects.
    data = {k2: v for k, v in data.items()
            for k2, v in ((k, v), ("corrections", CORRECTIONS)) if k2 == k or k == "method"}
    dump(path, data)
    hyp_path = path.with_name(path.name.replace(".truth.", ".hypothesis."))
    hyp = json.loads(hyp_path.read_text(encoding="utf-8"))
    verdicts = []
    for case, row in zip(fixed, hyp["results"], strict=True):
        assert case["id"] == row["id"]
        row["category"], row["verdict"] = case["category"], M.verdict(case, row)
        verdicts.append({"v": f"{case['category']}/{row['verdict']}"})
    hyp["verdicts"] = dict(sorted(counts_of(verdicts, "v").items()))
    dump(hyp_path, hyp)
    pair = path.name.split(".truth.json")[0]
    entry = next(e for e in summary if e["doc"] == path.parent.name and e["pair"] == pair)
    entry["counts"], entry["hypothesis"] = data["counts"], counts_of(verdicts, "v")
    return changed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--chain-max-gap", type=int, default=None)
    ap.add_argument("--write", action="store_true",
                    help="write the corrected truth into fixtures/updates")
    args = ap.parse_args()
    options = (ResolveOptions() if args.chain_max_gap is None
               else ResolveOptions(chain_max_gap=args.chain_max_gap))
    totals = {k: {c: CategoryScore() for c in CATEGORIES} for k in ("committed", "corrected")}
    summary = json.loads((UPDATES / "summary.json").read_text(encoding="utf-8"))
    written = 0
    for path in sorted(UPDATES.glob("*/*-to-*.truth.json")):
        doc = path.parent.name
        old_v, new_v = path.name.split(".truth.json")[0].split("-to-")
        committed, fixed = correct_pair(path, args.shared)
        vdir = args.shared / "corpus" / "versions" / doc
        text = DocumentText.from_pdfjs_pages_json(
            (vdir / f"{new_v}.pdfjs-pages.json").read_text(encoding="utf-8"))
        anns = load_annotations(path.with_name(f"{old_v}.md")).annotations
        results = {r.annotation.id: r for r in Resolver(text, options).resolve_all(anns)}
        for case, fix in zip(committed, fixed, strict=True):
            res = results[case["id"]]
            span = res.span(OffsetUnit.UTF16)
            answer = Answer(*span) if span else Answer(None, None)
            for kind, c in (("committed", case), ("corrected", fix)):
                if c["category"] in CATEGORIES:
                    one = CategoryScore()
                    score_case(c, answer, one)
                    score_case(c, answer, totals[kind][c["category"]])
                    if one.wrong:
                        print(f"WRONG ({kind} truth) {doc} {old_v}-{new_v} {case['id']} "
                              f"{c['category']} {res.status.value}: {(res.reason or '')[:80]}")
            if fix != case:
                print(f"{fix['truth_fix']}: {doc} {old_v}-{new_v} {case['id']} "
                      f"{case['category']} -> {fix['category']} (kept {case['kept_fraction']} "
                      f"-> {fix['kept_fraction']}; tether {res.status.value})")
        if args.write:
            written += write_pair(path, fixed, summary)
    for kind, scores in totals.items():
        print(f"{kind:9s} " + "  ".join(
            f"{c} {s.found}/{s.cases} found, {s.exact} exact, {s.wrong} wrong, {s.refused} refused"
            for c, s in scores.items()))
    if args.write:
        if written:
            dump(UPDATES / "summary.json", summary)
        print(f"wrote the corrected truth: {written} cases changed")


if __name__ == "__main__":
    sys.exit(main())
