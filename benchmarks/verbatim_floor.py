"""How far tether's verbatim lane is from 10 × reanchor (issue 6, point 2): a toy floor.

In ``speed.py``'s order (its seeded sample of Suite A, every case in turn, ``--repeat`` passes,
each case's fastest counting), for the verbatim cases (intact, moved) it times:

* a *toy* lane that does the least a verbatim answer needs — normalise the quote
  (:func:`tether.resolve.normalize.key`), look it up in the gram index, check the stored suffix
  beside a single occurrence, map it back to the source and build the
  :class:`~tether.resolve.Resolution` — and none of the evidence a right answer also needs
  (the stored position, the prefix, whitespace fitting, the in-place and position rules, the
  reason);
* tether's ``Resolver.resolve``;
* reanchor's ``resolve_quote`` on its prepared document.

The toy runs first for each case, so it starts as cold as tether does in ``speed.py``; the same
cases repeated back to back (warm) are timed too. Needs ``../shared`` and reanchor
(``pip install -e ".[bench]"``).

Run: ``python benchmarks/verbatim_floor.py [--repeat 5]``
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from functools import partial
from pathlib import Path

from cases import suite_a

from tether.resolve import Method, Resolution, Resolver, Status
from tether.resolve.normalize import key

ROOT = Path(__file__).resolve().parents[1]
#: speed.py's sample: this many cases per group, drawn with this seed.
SAMPLE, SEED = 60, 6


def toy(r: Resolver, ann) -> Resolution | None:
    quote = ann.quote
    k = key(quote.exact)
    starts = r.index.find_exact(k)
    if len(starts) != 1:
        return None
    at = starts[0]
    r.index.view.text.startswith(key(quote.suffix), at + len(k))
    s, e = r.index.view.to_source(at, at + len(k))
    return Resolution(ann, Status.DRIFTED, Method.QUOTE, 1.0, s, e, s, e, r.doc.page_of(s),
                      r.index.source[s:e], "", "", (), "moved", None)


def main() -> None:
    import reanchor

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    docs, cases, _, _ = suite_a(args.shared)
    rnd = random.Random(SEED)
    keep: list = []
    for cats in (("intact", "moved"), ("edited",), ("deleted",)):
        group = [c for c in cases if c.category in cats]
        keep += rnd.sample(group, min(SAMPLE, len(group)))
    cases = sorted(keep, key=lambda c: c.id)
    resolvers = {d: Resolver(docs[d]) for d in sorted(docs)}
    prepared = {d: reanchor.prepare_document(docs[d].text) for d in sorted(docs)}
    best: dict[str, dict[str, float]] = {"toy": {}, "tether": {}, "reanchor": {}}

    def clock(name: str, key_: str, fn) -> None:
        t = time.perf_counter()
        fn()
        t = time.perf_counter() - t
        best[name][key_] = min(t, best[name].get(key_, t))

    for _ in range(args.repeat):
        for c in cases:
            r = resolvers[c.doc]
            if c.category in ("intact", "moved"):
                q = c.annotation.quote
                sel = reanchor.TextQuoteSelector(exact=q.exact, prefix=q.prefix, suffix=q.suffix)
                clock("toy", c.key, partial(toy, r, c.annotation))
                clock("reanchor", c.key, partial(reanchor.resolve_quote, prepared[c.doc], sel))
            clock("tether", c.key, partial(r.resolve, c.annotation))
    verbatim = [c for c in cases if c.category in ("intact", "moved")]
    warm: dict[str, dict[str, float]] = {"toy": {}, "tether": {}}
    for c in verbatim:
        r = resolvers[c.doc]
        for _ in range(20):
            for name, fn in (("toy", partial(toy, r, c.annotation)),
                             ("tether", partial(r.resolve, c.annotation))):
                t = time.perf_counter()
                fn()
                t = time.perf_counter() - t
                warm[name][c.key] = min(t, warm[name].get(c.key, t))
    med = {n: statistics.median(v[c.key] for c in verbatim) * 1e6 for n, v in best.items()}
    print(f"{len(verbatim)} verbatim cases, median of each case's fastest of {args.repeat} "
          f"passes in speed.py's order (µs): toy {med['toy']:.1f}, tether {med['tether']:.1f}, "
          f"reanchor {med['reanchor']:.1f} (reanchor ÷ toy {med['reanchor'] / med['toy']:.1f}, "
          f"÷ tether {med['reanchor'] / med['tether']:.1f}); the same cases repeated back to "
          f"back: toy {statistics.median(warm['toy'].values()) * 1e6:.1f}, tether "
          f"{statistics.median(warm['tether'].values()) * 1e6:.1f}")


if __name__ == "__main__":
    main()
