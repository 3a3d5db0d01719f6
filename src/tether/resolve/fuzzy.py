"""Step 3: approximate search — seed and extend, never a whole-document alignment.

1. *Seed*: the grams of ``prefix + quote + suffix`` (view form) that occur in the document index
   vote for where the quote would start (a diagonal). Context grams matter: they find the place
   of a short or heavily edited quote whose own grams are gone.
2. *Cluster*: votes whose diagonals lie within the allowed edit count of each other form one
   region (an insertion or deletion inside the quote shifts the diagonal by its length). The
   regions with most distinct votes are kept, plus the region at the stored position if any.
3. *Extend*: in each region's window, Myers' bit-parallel search (:mod:`tether.resolve.align`)
   finds the quote's best occurrence with at most ``max_errors`` edits.

Cost per annotation: one dict lookup per needle gram, then O(window) integer steps per region.
Deciding whether a found place is good enough is not done here (:mod:`tether.resolve.decide`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from tether.resolve.align import best_alignment
from tether.resolve.evidence import Match, Query
from tether.resolve.index import GRAM_LEN, DocumentIndex, Seed
from tether.resolve.result import Method

#: Regions aligned per annotation. Each costs one window pass; real cases need one or two (the
#: edited original, perhaps a similar copy), the rest guard against a busy vote.
MAX_REGIONS = 6
#: How far (view characters) a fuzzy match's ends may move to fit the stored context better.
BOUNDARY_SLACK = 3
#: A region supported by a single gram is noise unless nothing better exists.
MIN_VOTES = 2


@dataclass(frozen=True, slots=True)
class _Region:
    low: int  # smallest diagonal (view index where the quote would start)
    high: int  # largest diagonal
    centre: int
    votes: int


def fuzzy_matches(
    index: DocumentIndex, query: Query, max_errors: int, taken: list[Match]
) -> list[Match]:
    """Approximate occurrences of ``query.quote`` (``0 < errors <= max_errors`` typically; an
    exact one is returned only when step 2 missed it) not overlapping ``taken``."""
    if max_errors <= 0:
        return []
    needle = query.prefix + query.quote + query.suffix
    regions = _regions(index.seeds(needle, origin=len(query.prefix)), max_errors)
    slack = max_errors + GRAM_LEN
    if query.hint is not None:
        hint = index.view.from_source(query.hint)
        if not any(r.low - slack <= hint <= r.high + slack for r in regions):
            regions.append(_Region(hint, hint, hint, 0))
    found: list[Match] = []
    m = len(query.quote)
    view = index.view.text
    for region in regions:
        lo = max(0, region.low - slack)
        hi = min(len(view), region.high + m + slack)
        for a, b, errors in _align_avoiding(view, query.quote, lo, hi, max_errors,
                                            region.centre, taken + found):
            found.append(_fit_boundaries(index, query, a, b, errors))
    return found


def _fit_boundaries(index: DocumentIndex, query: Query, a: int, b: int, errors: int) -> Match:
    """Among spans within ``BOUNDARY_SLACK`` of ``[a, b)`` that cost no more edits, the one the
    stored context fits best.

    Why: at a changed boundary, substituting the document's next character for the quote's last
    one costs the same single edit as dropping it (``"valid.7"`` → ``"valid.1"`` of
    ``"1.3.3"``); the context tells which reading is right.
    """
    best = query.evaluate(index, a, b, errors, Method.FUZZY)
    if errors == 0:
        return best
    view = index.view.text
    quote = query.quote
    for move_end in (True, False):
        a, b = best.view_start, best.view_end
        for d in range(-BOUNDARY_SLACK, BOUNDARY_SLACK + 1):
            a2, b2 = (a, b + d) if move_end else (a + d, b)
            if d == 0 or not 0 <= a2 < b2 <= len(view):
                continue
            e = Levenshtein.distance(quote, view[a2:b2], score_cutoff=errors)
            if e <= errors:
                alt = query.evaluate(index, a2, b2, e, Method.FUZZY)
                if alt.score > best.score:
                    best = alt
    return best


def _regions(seeds: list[Seed], max_errors: int) -> list[_Region]:
    """Clusters of seed diagonals, most-voted first (at most ``MAX_REGIONS``)."""
    if not seeds:
        return []
    seeds.sort(key=lambda s: s.diagonal)
    tolerance = max(GRAM_LEN, max_errors)
    clusters: list[list[Seed]] = [[seeds[0]]]
    for seed in seeds[1:]:
        if seed.diagonal - clusters[-1][-1].diagonal <= tolerance:
            clusters[-1].append(seed)
        else:
            clusters.append([seed])
    regions = [
        _Region(c[0].diagonal, c[-1].diagonal, c[len(c) // 2].diagonal,
                len({s.offset for s in c}))
        for c in clusters
    ]
    regions.sort(key=lambda r: -r.votes)
    strong = [r for r in regions if r.votes >= MIN_VOTES]
    return (strong or regions[:1])[:MAX_REGIONS]


def _align_avoiding(
    view: str, quote: str, lo: int, hi: int, max_errors: int, centre: int, taken: list[Match]
) -> list[tuple[int, int, int]]:
    """Best alignment in ``view[lo:hi]``; if it lands on an already known candidate, try the
    parts of the window before and after that candidate instead (one level deep)."""
    hit = _align(view, quote, lo, hi, max_errors, centre)
    if hit is None:
        return []
    clash = next((t for t in taken if hit[0] < t.view_end and t.view_start < hit[1]), None)
    if clash is None:
        return [hit]
    out = []
    for a, b in ((lo, clash.view_start), (clash.view_end, hi)):
        if b - a >= len(quote) - max_errors:
            part = _align(view, quote, a, b, max_errors, centre)
            if part is not None and not any(
                part[0] < t.view_end and t.view_start < part[1] for t in taken
            ):
                out.append(part)
    return out


def _align(
    view: str, quote: str, lo: int, hi: int, max_errors: int, centre: int
) -> tuple[int, int, int] | None:
    found = best_alignment(quote, view[lo:hi], max_errors, expected_start=centre - lo)
    if found is None:
        return None
    return lo + found.start, lo + found.end, found.errors
