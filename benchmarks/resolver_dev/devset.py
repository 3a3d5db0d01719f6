"""Build the resolver's development set: oracle selections on the nine update pairs, with truth.

Kept apart from the acceptance test (``fixtures/updates``, seeds 1000+): the same documents and
version pairs, other seeds — for each ``vN`` (N = 1..3) of each document, ``hypo.mjs sample
vN.pdf`` with seed N (400 selections of 20–600 code units) and seed 10 + N (300 of 3–30), i.e.
6,300 selections. Truth for ``vN → vN+1`` comes from the fixtures' own method
(``scripts/make_update_cases.py``: ``align`` then ``classify``), so the categories (intact /
edited / moved / recurs / deleted) mean exactly what they mean in the acceptance test.

The set is written to a cache folder outside the repository (``--out``, default
``$TETHER_DEVSET`` or ``~/.cache/tether/resolver-dev``): it quotes the co519 lecture notes at
length, which may not be redistributed. Needs ``../shared`` and the PDF.js oracle
(``--oracle``, default ``$TETHER_ORACLE`` or ``/tmp/oracle``; see fixtures/README.md). About
three minutes; deterministic.

Run: ``python benchmarks/resolver_dev/devset.py [--oracle DIR] [--shared DIR] [--out DIR]``,
then ``python benchmarks/resolver_dev/score.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import make_update_cases as M  # noqa: E402
from diff_match_patch import diff_match_patch  # noqa: E402

#: (kind, seed for vN, --n, --min-len, --max-len)
DRAWS = (("sample", 0, 400, 20, 600), ("short", 10, 300, 3, 30))


def default_out() -> Path:
    return Path(os.environ.get("TETHER_DEVSET") or Path.home() / ".cache/tether/resolver-dev")


def build_pair(oracle: M.Oracle, vdir: Path, doc: str, n: int) -> dict:
    """Selections on vN and their truth on vN+1 (offsets in UTF-16 code units)."""
    old = M.load_text(vdir / f"v{n}.pdfjs-pages.json")
    new = M.load_text(vdir / f"v{n + 1}.pdfjs-pages.json")
    mapping, _ = M.align(old, new)
    mo, mn = M.Utf16Map(old), M.Utf16Map(new)
    nows = M.strip_spaces(new)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = M.CHAR_TIMEOUT_S
    cases = []
    for kind, base, count, lo, hi in DRAWS:
        drawn = oracle.run("sample", str(vdir / f"v{n}.pdf"), "--n", str(count), "--seed",
                           str(base + n), "--min-len", str(lo), "--max-len", str(hi))
        for smp in drawn["samples"]:
            sel = {s["type"]: s for s in smp["selectors"]}
            pos, quote = sel["TextPositionSelector"], sel["TextQuoteSelector"]
            ann = {"id": f"{kind}:{smp['id']}", "kind": kind,
                   "position": {"start": pos["start"], "end": pos["end"]}}
            case = M.classify(ann, old, new, mapping, mo, mn, nows, dmp)
            case["selectors"] = {"exact": quote["exact"], "prefix": quote["prefix"],
                                 "suffix": quote["suffix"], "start": pos["start"],
                                 "end": pos["end"]}
            cases.append(case)
    return {"doc": doc, "old": n, "new": n + 1, "cases": cases}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--oracle", type=Path,
                    default=Path(os.environ.get("TETHER_ORACLE", "/tmp/oracle")))
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("TETHER_SHARED", ROOT.parent / "shared")))
    ap.add_argument("--out", type=Path, default=default_out())
    args = ap.parse_args()
    oracle = M.Oracle(args.oracle)
    args.out.mkdir(parents=True, exist_ok=True)
    for doc in M.DOCS:
        for n in (1, 2, 3):
            pair = build_pair(oracle, args.shared / "corpus" / "versions" / doc, doc, n)
            counts: dict[str, int] = {}
            for c in pair["cases"]:
                counts[c["category"]] = counts.get(c["category"], 0) + 1
            # ASCII JSON: a 32-unit context can hold a lone surrogate (a split math letter).
            (args.out / f"{doc}-v{n}.json").write_text(json.dumps(pair), encoding="ascii")
            print(f"{doc} v{n}→v{n + 1}: {dict(sorted(counts.items()))}", flush=True)


if __name__ == "__main__":
    main()
