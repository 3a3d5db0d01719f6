"""A NumPy transcription of reanchor's Sellers alignment, returning identical results.

reanchor 0.3's approximate rung (``reanchor.search._align_in_window``) is a pure-Python
dynamic programme over needle × window. On PDF texts with quotes of up to 600 characters it
takes up to a minute per quote (measured: 850 s for the 150 annotations of one update pair),
which would make this benchmark an overnight job. This module computes the same recurrence a
row at a time with NumPy and returns the same ``ApproximateMatch`` — same distance, same window,
same tie-breaking — so the accuracy figures are reanchor's own. ``check_equivalence`` compares
the two on random and real inputs; ``accuracy.py`` runs it before every use and
``--reanchor-pure`` skips the swap altogether.

Why a row vectorises: with ``t[j] = min(sub[j], del[j])`` (substitution wins ties) the row is
``next[j] = min(ceiling, min_k≤j (t[k] + j − k))`` — a running minimum of ``t[k] − k``. The
insertion step is taken only when strictly cheaper, so a cell's origin is that of the last ``k``
where ``t[k] − k`` reached the running minimum. Cells at the ceiling may get another origin than
in the original, but no alignment within ``max_distance`` descends from one (costs never
decrease along a path), and the final pick only looks at cells within ``max_distance``.
"""

from __future__ import annotations

import random

import numpy as np


def align_in_window(haystack: str, needle: str, from_index: int, to_index: int,
                    max_distance: int):  # -> reanchor.search.ApproximateMatch | None
    from reanchor.search import ApproximateMatch

    width = to_index - from_index
    if width <= 0:
        return None
    ceiling = max_distance + 1
    window = np.frombuffer(haystack[from_index:to_index].encode("utf-32-le", "surrogatepass"),
                           dtype=np.uint32)
    codes = [ord(ch) for ch in needle]
    cost = np.zeros(width + 1, dtype=np.int64)
    origin = np.arange(width + 1, dtype=np.int64)
    idx = np.arange(width + 1, dtype=np.int64)
    big = np.int64(1 << 40)
    for i, code in enumerate(codes, 1):
        sub = cost[:-1] + (window != code)
        dele = cost[1:] + 1
        take_del = dele < sub
        t = np.empty(width + 1, dtype=np.int64)
        t[0] = min(i, ceiling)
        t[1:] = np.where(take_del, dele, sub)
        t_origin = np.empty(width + 1, dtype=np.int64)
        t_origin[0] = 0
        t_origin[1:] = np.where(take_del, origin[1:], origin[:-1])
        u = t - idx
        running = np.minimum.accumulate(u)
        before = np.empty(width + 1, dtype=np.int64)
        before[0] = big
        before[1:] = running[:-1]
        reset = np.where(u <= before, idx, 0)
        last = np.maximum.accumulate(reset)
        origin = t_origin[last]
        cost = np.minimum(running + idx, ceiling)
    row = cost[1:]
    best = int(row.min())
    if best > max_distance:
        return None
    best_end = int(width - np.flatnonzero(row[::-1] == best)[0])  # last j with the minimum
    return ApproximateMatch(start=from_index + int(origin[best_end]),
                            end=from_index + best_end, distance=best)


def check_equivalence(texts: list[str], trials: int = 300, seed: int = 7) -> int:
    """Compare with reanchor's own ``_align_in_window`` on ``trials`` inputs (random strings
    over small alphabets, and slices of ``texts`` with edited needles); raises on any
    difference. Returns the number of inputs compared."""
    from reanchor import search

    original = getattr(search, "_tether_original_align", search._align_in_window)
    rng = random.Random(seed)
    n = 0
    for k in range(trials):
        if k % 2 == 0 or not texts:
            alpha = "ab" if k % 4 == 0 else "abcd "
            hay = "".join(rng.choice(alpha) for _ in range(rng.randint(0, 60)))
            needle = "".join(rng.choice(alpha) for _ in range(rng.randint(1, 15)))
        else:
            text = rng.choice(texts)
            a = rng.randrange(max(1, len(text) - 400))
            hay = text[a : a + rng.randint(20, 400)]
            b = rng.randrange(max(1, len(hay)))
            needle = list(hay[b : b + rng.randint(1, 120)]) or ["x"]
            for _ in range(rng.randint(0, 6)):
                p = rng.randrange(len(needle))
                op = rng.random()
                if op < 0.4:
                    needle[p] = rng.choice("etaoin ")
                elif op < 0.7 and len(needle) > 1:
                    del needle[p]
                else:
                    needle.insert(p, rng.choice("xyz"))
            needle = "".join(needle)
        lo = rng.randint(0, max(0, len(hay) // 3))
        hi = rng.randint(lo, len(hay))
        maxd = rng.randint(0, max(1, len(needle) // 2))
        want = original(hay, needle, lo, hi, maxd)
        got = align_in_window(hay, needle, lo, hi, maxd)
        if want != got:
            raise AssertionError(f"NumPy alignment differs: {hay!r} {needle!r} {lo} {hi} {maxd}:"
                                 f" {want} vs {got}")
        n += 1
    return n


def install() -> None:
    """Make reanchor use :func:`align_in_window` (idempotent)."""
    from reanchor import search

    if not hasattr(search, "_tether_original_align"):
        search._tether_original_align = search._align_in_window  # type: ignore[attr-defined]
    search._align_in_window = align_in_window  # type: ignore[assignment]
