"""Check a repair with Hypothesis's own anchoring (the PDF.js oracle) and record the verdict.

Copies a note annotated on one version to a temporary folder, runs ``tether repair`` against the
next version, and asks ``../shared/tools/pdfjs-oracle``'s ``anchor`` how Hypothesis 2022 (as in
Obsidian Annotator) anchors every annotation of the repaired note. Writes
``fixtures/repair/<doc>-<old>-to-<new>.oracle.json``: for each repaired annotation its id, the
repaired selectors and the oracle's verdict. ``tests/test_repair_cli.py`` repeats the repair
without Node and asserts it still produces exactly these selectors, all anchored by position.

Usage: ``python scripts/verify_repair_with_oracle.py [--oracle /tmp/oracle]`` (the oracle folder
must have had ``npm ci``; see its README).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tether.check import check_paths
from tether.formats import read_note
from tether.repair.plan import plan_repairs
from tether.repair.run import execute

ROOT = Path(__file__).resolve().parents[1]
CASES = [("eth-yellowpaper", "v1", "v2")]


def selectors_json(note_path: Path) -> list[dict]:
    """The note's annotations in the oracle's ``[{id, selectors}]`` form (ids = block ids)."""
    out = []
    for ann in read_note(note_path).annotations:
        sels = []
        if ann.position:
            sels.append({"type": "TextPositionSelector", "start": ann.position.start,
                         "end": ann.position.end})
        if ann.quote:
            sels.append({"type": "TextQuoteSelector", "exact": ann.quote.exact,
                         "prefix": ann.quote.prefix, "suffix": ann.quote.suffix})
        out.append({"id": ann.id, "selectors": sels})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--oracle", type=Path, default=Path("/tmp/oracle"))
    args = ap.parse_args()
    hypo = args.oracle / "hypo.mjs"
    if not hypo.is_file():
        print(f"no oracle at {args.oracle} (copy ../shared/tools/pdfjs-oracle, npm ci)",
              file=sys.stderr)
        return 2
    out_dir = ROOT / "fixtures" / "repair"
    out_dir.mkdir(parents=True, exist_ok=True)
    for doc, old, new in CASES:
        new_pdf = ROOT / "fixtures" / "pdfs" / doc / f"{new}.pdf"
        with tempfile.TemporaryDirectory() as tmp:
            note = Path(tmp) / f"{old}.md"
            shutil.copyfile(ROOT / "fixtures" / "updates" / doc / f"{old}.md", note)
            outcomes = execute(plan_repairs(check_paths([note], pdf=new_pdf).documents),
                               backup=False)
            changed = sorted(outcomes[0].changed)
            after = {a.id: a for a in read_note(note).annotations}
            sel_path = Path(tmp) / "sel.json"
            sel_path.write_text(json.dumps(selectors_json(note), ensure_ascii=False))
            proc = subprocess.run(["node", str(hypo), "anchor", str(new_pdf), str(sel_path)],
                                  capture_output=True, text=True, check=True)
            verdicts = {r["id"]: r for r in json.loads(proc.stdout)["results"]}
            rows = []
            for i in changed:
                a, v = after[i], verdicts[i]
                rows.append({"id": i, "start": a.position.start, "end": a.position.end,
                             "exact": a.quote.exact, "status": v["status"],
                             "method": v.get("method"), "globalStart": v.get("globalStart"),
                             "globalEnd": v.get("globalEnd")})
        by_position = sum(1 for r in rows if r["method"] == "position")
        result = {"doc": doc, "old": f"{old}.pdf", "new": f"{new}.pdf",
                  "oracle": "pdfjs-oracle anchor --model hypothesis-2022",
                  "repaired": len(rows), "anchored_by_position": by_position, "cases": rows}
        path = out_dir / f"{doc}-{old}-to-{new}.oracle.json"
        path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
        print(f"{path.relative_to(ROOT)}: {by_position}/{len(rows)} repaired annotations "
              "anchored by position by Hypothesis")
        for r in rows:
            if r["method"] != "position":
                print(f"  {r['id']}: {r['status']} by {r['method']} at {r['start']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
