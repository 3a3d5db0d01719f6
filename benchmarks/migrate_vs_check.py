"""``tether migrate`` (old and new PDF) against ``tether check`` (new PDF only) on the update cases.

For every case set ``fixtures/updates/<doc>/vN-to-vM.truth.json`` (annotations sampled on vN with
the PDF.js/Hypothesis oracle, written as the Obsidian note ``vN.md``), runs

- ``check``: :func:`tether.check.check_paths` on the note against ``vM.pdf``, exactly as
  tests/test_update_cases.py does;
- ``migrate``: :func:`tether.migrate.migrate_paths` on the note with ``vN.pdf`` and ``vM.pdf``;

and scores both with :func:`tether.evaluate.score_answers` (intact → exact new span; edited and
moved → found = overlapping the truth; deleted → refused; wrong = an anchor off the truth or on
a deleted passage). The Hypothesis 2022 client's own answers (``vN-to-vM.hypothesis.json``,
recorded with the oracle) are scored the same way for reference. Time is the wall clock of each
call (PDF reading included: migrate reads two PDFs), given as a ratio migrate / check.

Run: ``python benchmarks/migrate_vs_check.py [--shared ../shared]`` (prints Markdown).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from tether.check import check_paths
from tether.evaluate import (
    CATEGORIES,
    Answer,
    CategoryScore,
    load_truth,
    merge,
    score_answers,
    update_pairs,
)
from tether.migrate import migrate_paths
from tether.migrate.workflow import MigratedResult
from tether.offsets import OffsetUnit

ROOT = Path(__file__).resolve().parents[1]
#: Per category, the rate that matters (as in tests/test_update_cases.py).
GOAL = {"intact": "exact", "edited": "found", "moved": "found", "deleted": "refused"}


def answers(run) -> dict[str, Answer]:
    out = {}
    for r in run.results:
        span = r.resolution.span(OffsetUnit.UTF16)
        out[r.resolution.id] = Answer(*span) if span else Answer(None, None)
    return out


def hypothesis_answers(path: Path) -> dict[str, Answer] | None:
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return {r["id"]: Answer(r.get("globalStart"), r.get("globalEnd"))
            if r.get("status") == "anchored" else Answer(None, None) for r in data["results"]}


def cell(s: CategoryScore, what: str) -> str:
    wrong = f", **{s.wrong} wrong**" if s.wrong else ""
    return f"{getattr(s, what)}/{s.cases} ({s.rate(what):.1%}){wrong}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    versions = args.shared / "corpus" / "versions"
    if not versions.is_dir():
        print(f"no shared corpus at {args.shared}", file=sys.stderr)
        return 2
    totals: dict[str, dict[str, CategoryScore]] = {"hypothesis": {}, "check": {}, "migrate": {}}
    evidence: Counter[str] = Counter()
    rows, t_check, t_migrate, t_align = [], 0.0, 0.0, 0.0
    for note, truth_path, new_pdf in update_pairs(ROOT / "fixtures" / "updates"):
        folder = versions / note.parent.name
        truth = load_truth(truth_path)
        t0 = time.perf_counter()
        checked = check_paths([note], pdf=folder / new_pdf)
        t1 = time.perf_counter()
        migrated = migrate_paths(folder / f"{note.stem}.pdf", folder / new_pdf, [note])
        t2 = time.perf_counter()
        for run in (checked, migrated):
            errs = [e.message for e in run.errors] + [d.error for d in run.documents if d.error]
            if errs:
                print(f"{note}: {errs}", file=sys.stderr)
                return 2
        t_check, t_migrate = t_check + t1 - t0, t_migrate + t2 - t1
        stats = migrated.migrator.alignment.stats if migrated.migrator else None
        t_align += stats.seconds if stats else 0.0
        per: dict[str, dict[str, CategoryScore]] = {
            "check": score_answers(truth, answers(checked)),
            "migrate": score_answers(truth, answers(migrated))}
        hyp = hypothesis_answers(truth_path.with_name(
            truth_path.name.replace(".truth.json", ".hypothesis.json")))
        if hyp is not None:
            per["hypothesis"] = score_answers(truth, hyp)
        for name, scores in per.items():
            merge(totals[name], scores)
        for r in migrated.results:
            if isinstance(r, MigratedResult):
                evidence[(r.evidence.source or "none") + (" (moved)" if r.evidence.moved
                                                          else "")] += 1
        rows.append((f"{note.parent.name} {truth_path.name.split('.')[0]}", per, t1 - t0,
                     t2 - t1, stats))

    print("| category (goal) | Hypothesis 2022 | tether check | tether migrate |")
    print("|---|---|---|---|")
    for cat in CATEGORIES:
        what = GOAL[cat]
        print(f"| {cat} ({what}) | " + " | ".join(
            cell(totals[n].get(cat, CategoryScore()), what)
            for n in ("hypothesis", "check", "migrate")) + " |")
    wrong = {n: sum(s.wrong for s in t.values()) for n, t in totals.items()}
    print(f"| **wrong anchors** | {wrong['hypothesis']} | {wrong['check']} | "
          f"{wrong['migrate']} |")
    print()
    print("Per case set (migrate − check, in cases; time in seconds, PDF reading included):\n")
    print("| case set | intact exact | edited found | moved found | deleted refused | check s "
          "| migrate s | align s | OLD kept |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, per, tc, tm, stats in rows:
        diffs = []
        for cat in CATEGORIES:
            c, m = per["check"][cat], per["migrate"][cat]
            what = GOAL[cat]
            d = getattr(m, what) - getattr(c, what)
            diffs.append(f"{getattr(m, what)}/{m.cases} ({d:+d})" if m.cases else "—")
        kept = f"{stats.kept_chars / stats.old_chars:.1%}" if stats else "—"
        align = f"{stats.seconds:.2f}" if stats else "—"
        print(f"| {name} | " + " | ".join(diffs) + f" | {tc:.1f} | {tm:.1f} | {align} | {kept} |")
    print()
    print(f"Time: check {t_check:.1f} s, migrate {t_migrate:.1f} s "
          f"(ratio {t_migrate / t_check:.2f}; of which alignment {t_align:.1f} s).")
    print("Evidence behind migrate's answers: "
          + ", ".join(f"{k} {v}" for k, v in sorted(evidence.items())) + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
