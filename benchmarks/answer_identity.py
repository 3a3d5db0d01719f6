"""Are two resolvers' answers identical? Dump every accuracy case's resolution, then diff dumps.

Speed work must not change an answer. This dumps, for each of ``accuracy.py``'s cases (Suites A
and B, 2,494 cases), the whole ``Resolution.to_dict()`` (status, method, score, resolved span
in the stored unit with its exact/prefix/suffix, rivals, reason) plus the code-point and UTF-16
spans, the unrounded score, the edit distance and every rival's spans and score, for the
``tether`` that ``PYTHONPATH`` selects. Two dumps are then compared case by case.

    PYTHONPATH=/path/to/old/src python benchmarks/answer_identity.py dump old.json
    PYTHONPATH=src python benchmarks/answer_identity.py dump new.json
    python benchmarks/answer_identity.py diff old.json new.json   # exit 1 when any differ

``dump`` resolves one annotation at a time (``Resolver.resolve``), which isolates the cascade;
``dump --together`` resolves each document's annotations in one call
(``Resolver.resolve_all``, as ``check`` and ``accuracy.py`` do), so that rules reading the
other annotations of a note (the landmarks, :mod:`tether.resolve.placing`) are compared too.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parents[1]


def dump(shared: Path, out: Path, together: bool = False) -> int:
    from cases import suite_a
    from suite_b import suite_b

    import tether
    from tether.resolve import Resolver

    answers: dict[str, dict] = {}
    t = time.process_time()
    for suite in ("A", "B"):
        docs, cases = suite_a(shared)[:2] if suite == "A" else suite_b(shared)
        by_doc: dict[str, list] = {}
        for c in cases:
            by_doc.setdefault(c.doc, []).append(c)
        for doc_id, group in by_doc.items():
            resolver = Resolver(docs[doc_id])
            results = resolver.resolve_all([c.annotation for c in group]) if together \
                else [resolver.resolve(c.annotation) for c in group]
            for c, res in zip(group, results, strict=True):
                entry = res.to_dict()
                entry["spans"] = [res.start, res.end, res.start_utf16, res.end_utf16]
                entry["score_exact"] = res.score
                entry["edit_distance"] = res.edit_distance
                entry["rival_spans"] = [[r.start, r.end, r.start_utf16, r.end_utf16, r.page,
                                         r.score, r.exact] for r in res.rivals]
                answers[c.key] = entry
    out.write_text(json.dumps(answers, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    print(f"{len(answers)} cases from {tether.__file__} in {time.process_time() - t:.1f} s CPU "
          f"→ {out}")
    return 0


def diff(a: Path, b: Path) -> int:
    old = json.loads(a.read_text(encoding="utf-8"))
    new = json.loads(b.read_text(encoding="utf-8"))
    if old.keys() != new.keys():
        print(f"different case sets: {len(old.keys() ^ new.keys())} cases in one dump only")
        return 1
    differ = [k for k in old if old[k] != new[k]]
    print(f"{len(old)} cases, {len(differ)} differ")
    for k in differ[:20]:
        fields = [f for f in old[k] if old[k][f] != new[k].get(f)]
        print(f"  {k}: {', '.join(fields)}")
    return 1 if differ else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--shared", type=Path,
                   default=Path(os.environ.get("TETHER_SHARED", ROOT.parent / "shared")))
    d.add_argument("--together", action="store_true",
                   help="resolve each document's annotations in one call (resolve_all)")
    c = sub.add_parser("diff")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = ap.parse_args()
    if args.command == "dump":
        return dump(args.shared, args.out, args.together)
    return diff(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
