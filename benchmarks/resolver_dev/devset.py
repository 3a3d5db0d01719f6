"""Build the resolver's development set: oracle selections on the nine update pairs, with truth.

Kept apart from the acceptance test (``fixtures/updates``, seeds 1000+): the same documents and
version pairs, other seeds — for each ``vN`` (N = 1..3) of each document, ``hypo.mjs sample
vN.pdf`` with seed N (400 selections of 20–600 code units) and seed 10 + N (300 of 3–30), i.e.
6,300 selections. Truth for ``vN → vN+1`` comes from the fixtures' own method
(``scripts/make_update_cases.py``: ``align`` then ``classify``), so the categories (intact /
edited / moved / recurs / deleted) mean what they mean in the acceptance test — with
:mod:`truth`'s corrections of that method, each corrected case marked ``truth_fix`` (session 5:
25 of 6,300 cases — a passage kept in place around an insertion of 41+ characters, a short quote
whose search window swamped it, a repeated string paired with the wrong copy in a reordered
bibliography; session 8: 13 more whose truth span was a copy of OLD's other text, 9 of them now
``deleted``; and one alternatives span, a table of contents' dot leader, that only the
whole-text search supported, on 29 visible characters — 27 dots and "Ri":
:func:`truth.thin_search`; session 9: 34 cases whose ``alternatives`` / ``occurrences`` held spans
that are not the passage, :func:`truth.other_copies`, and 6 more :func:`truth.pre_existing_copy`,
all running-header quotes of the yellow paper placed on another page's header, 3 of them now
``deleted``; session 10: 1 ``intact`` case whose truth was a verbatim copy in a new Remark that A
reached across the insertion, now ``edited`` at the exercise it annotated,
:func:`across_insertion.across_insertion`). ``truth_fix`` names every correction applied,
joined by ``+``. ``--no-fix`` leaves them out (the set as built before session 5).

The set is written to a cache folder outside the repository (``--out``, default
``$TETHER_DEVSET`` or ``~/.cache/tether/resolver-dev``): it quotes the co519 lecture notes at
length, which may not be redistributed. Needs ``../shared`` and the PDF.js oracle
(``--oracle``, default ``$TETHER_ORACLE`` or ``/tmp/oracle``; see fixtures/README.md). About
three minutes; deterministic. ``--from DIR`` re-derives the truth for the selections of an
existing set instead of drawing them (no oracle needed; the same result).

Run: ``python benchmarks/resolver_dev/devset.py [--oracle DIR] [--shared DIR] [--out DIR]
[--from DIR] [--no-fix]``, then ``python benchmarks/resolver_dev/score.py``.
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
import truth  # noqa: E402
from diff_match_patch import diff_match_patch  # noqa: E402

#: (kind, seed for vN, --n, --min-len, --max-len)
DRAWS = (("sample", 0, 400, 20, 600), ("short", 10, 300, 3, 30))


def default_out() -> Path:
    return Path(os.environ.get("TETHER_DEVSET") or Path.home() / ".cache/tether/resolver-dev")


def draw(oracle: M.Oracle, vdir: Path, n: int, seed_base: int = 0
         ) -> list[tuple[str, dict, dict]]:
    """(kind, annotation, selectors) for the selections ``hypo.mjs sample`` draws on vN, with
    ``DRAWS``' seeds moved by ``seed_base`` (0: DEV itself)."""
    out = []
    for kind, base, count, lo, hi in DRAWS:
        drawn = oracle.run("sample", str(vdir / f"v{n}.pdf"), "--n", str(count), "--seed",
                           str(seed_base + base + n), "--min-len", str(lo), "--max-len",
                           str(hi))
        for smp in drawn["samples"]:
            sel = {s["type"]: s for s in smp["selectors"]}
            pos, quote = sel["TextPositionSelector"], sel["TextQuoteSelector"]
            ann = {"id": f"{kind}:{smp['id']}", "kind": kind,
                   "position": {"start": pos["start"], "end": pos["end"]}}
            out.append((kind, ann, {"exact": quote["exact"], "prefix": quote["prefix"],
                                    "suffix": quote["suffix"], "start": pos["start"],
                                    "end": pos["end"]}))
    return out


def redraw(pair: dict) -> list[tuple[str, dict, dict]]:
    """The same (kind, annotation, selectors) from an existing set's pair (no oracle needed)."""
    return [(c["sample"], {"id": c["id"], "kind": c["sample"],
                           "position": {"start": c["selectors"]["start"],
                                        "end": c["selectors"]["end"]}}, c["selectors"])
            for c in pair["cases"]]


def build_pair(drawn: list[tuple[str, dict, dict]], vdir: Path, doc: str, n: int,
               fix: bool = True) -> dict:
    """Selections on vN and their truth on vN+1 (offsets in UTF-16 code units); ``fix`` applies
    :mod:`truth`'s corrections of the fixtures' method (each corrected case says which in
    ``truth_fix``)."""
    old = M.load_text(vdir / f"v{n}.pdfjs-pages.json")
    new = M.load_text(vdir / f"v{n + 1}.pdfjs-pages.json")
    mapping, _ = M.align(old, new)
    mo, mn = M.Utf16Map(old), M.Utf16Map(new)
    nows = M.strip_spaces(new)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = M.CHAR_TIMEOUT_S
    inv = truth.inverse(mapping, len(new))
    cases = []
    for _kind, ann, selectors in drawn:
        case = M.classify(ann, old, new, mapping, mo, mn, nows, dmp)
        if fix:
            truth.refine(case, old, new, mapping, mo, mn, nows, dmp, inv)
        case["selectors"] = selectors
        cases.append(case)
    return {"doc": doc, "old": n, "new": n + 1, "cases": cases}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--oracle", type=Path,
                    default=Path(os.environ.get("TETHER_ORACLE", "/tmp/oracle")))
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("TETHER_SHARED", ROOT.parent / "shared")))
    ap.add_argument("--out", type=Path, default=default_out())
    ap.add_argument("--from", dest="source", type=Path, metavar="DIR",
                    help="re-derive the truth of an existing set's selections (no oracle)")
    ap.add_argument("--seed-base", type=int, default=0, metavar="K",
                    help="draw with every seed moved by K: a fresh held-out set, never tuned "
                         "on (0, the default, is DEV; K must stay under 990, the fixtures' "
                         "seeds being 1000+)")
    ap.add_argument("--no-fix", action="store_true",
                    help="the fixtures' truth method as it is, without truth.py's corrections")
    args = ap.parse_args()
    if not 0 <= args.seed_base < 990:
        ap.error("--seed-base must be in [0, 990): the acceptance fixtures use seeds 1000+")
    oracle = None if args.source else M.Oracle(args.oracle)
    args.out.mkdir(parents=True, exist_ok=True)
    for doc in M.DOCS:
        for n in (1, 2, 3):
            vdir = args.shared / "corpus" / "versions" / doc
            if args.source:
                src = args.source / f"{doc}-v{n}.json"
                drawn = redraw(json.loads(src.read_text(encoding="utf-8")))
            else:
                assert oracle is not None
                drawn = draw(oracle, vdir, n, args.seed_base)
            pair = build_pair(drawn, vdir, doc, n, fix=not args.no_fix)
            counts: dict[str, int] = {}
            for c in pair["cases"]:
                counts[c["category"]] = counts.get(c["category"], 0) + 1
            # ASCII JSON: a 32-unit context can hold a lone surrogate (a split math letter).
            (args.out / f"{doc}-v{n}.json").write_text(json.dumps(pair), encoding="ascii")
            fixes: dict[str, int] = {}
            for c in pair["cases"]:
                for f in truth.markers(c):  # "a+b": each correction counted
                    fixes[f] = fixes.get(f, 0) + 1
            print(f"{doc} v{n}→v{n + 1}: {dict(sorted(counts.items()))} truth fixes "
                  f"{dict(sorted(fixes.items()))}", flush=True)


if __name__ == "__main__":
    main()
