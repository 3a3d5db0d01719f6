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

from rapidfuzz.distance import Levenshtein

from tether.resolve.align import best_alignment, best_alignment_by_ends, cannot_align
from tether.resolve.evidence import (
    Match,
    Query,
    combine,
    prefix_similarity,
    suffix_similarity,
)
from tether.resolve.index import GRAM_LEN, DocumentIndex, Region
from tether.resolve.options import MAX_EDIT_RATIO
from tether.resolve.result import Method

#: Regions aligned per annotation. Each costs one window pass; real cases need one or two (the
#: edited original, perhaps a similar copy), the rest guard against a busy vote.
MAX_REGIONS = 6
#: A region supported by a single gram is noise unless nothing better exists; one with less than
#: this share of the best region's votes is noise next to it.
MIN_VOTES = 2
MIN_VOTE_SHARE = 0.1
#: Window margin beyond a region's votes, in view characters, plus ``END_SLACK_SHARE`` of the
#: allowed edits: the votes already place the quote (context grams pin its ends), so the margin
#: only has to cover edits in the last few characters, which no gram sees.
END_SLACK = 2 * GRAM_LEN
END_SLACK_SHARE = 0.25
#: Quotes longer than this (view characters) are aligned by their ends
#: (:func:`~tether.resolve.align.best_alignment_by_ends`): a whole-pattern pass over a window
#: costs about 1 µs per character per 64 pattern characters in Python.
LONG_QUOTE = 256
#: How far (view characters) a fuzzy match's ends may move to fit the stored context better.
BOUNDARY_SLACK = 3


def fuzzy_matches(
    index: DocumentIndex, query: Query, max_errors: int, taken: list[Match]
) -> list[Match]:
    """Approximate occurrences of ``query.quote`` (``0 < errors <= max_errors`` typically; an
    exact one is returned only when step 2 missed it) not overlapping ``taken``."""
    if max_errors <= 0:
        return []
    slack = END_SLACK + int(END_SLACK_SHARE * max_errors)
    tolerance = max(GRAM_LEN, max_errors)
    needle = query.prefix + query.quote + query.suffix
    origin = len(query.prefix)
    regions = _strong(index.regions(needle, origin, origin + len(query.quote), tolerance))
    # A region around a known exact occurrence would only find that occurrence again, unless it
    # is wider than one quote: votes of two nearby copies (the edited original, and a verbatim
    # copy a page away) can chain into one region; it is then aligned around the copy.
    m = len(query.quote)
    marked = [(r, any(r.low - tolerance <= t.view_start <= r.high + tolerance for t in taken))
              for r in regions]
    marked = [(r, crowded) for r, crowded in marked if not crowded or r.high - r.low > m]
    if not marked and query.hint is not None and not taken:
        # No vote at all: the quote and its context all changed; look where it used to be.
        hint = index.view.from_source(query.hint)
        marked = [(Region(hint, hint, hint, 0), False)]
    found: list[Match] = []
    view = index.view.text
    keys = index.array_keys()
    # The quote and the view as one-byte codes: edlib aligns bytes several times faster. (The
    # quote's codes are a slice of the needle's, which the votes have just computed: one
    # character, one code.)
    coded = None if keys is None else (keys.code(needle)[origin : origin + m], keys.view_codes)
    # Every window searched below for a region lies within ``reach`` of its votes.
    reach = max(slack, max_errors + GRAM_LEN)
    hint_at = None if query.hint is None else index.view.from_source(query.hint)
    hint_searched = False  # whether a window aligned whole held the stored position
    for rank, (region, crowded) in enumerate(marked):
        by_ends = m > LONG_QUOTE and not crowded
        if by_ends:
            # Nothing to find anywhere near this region (exact, see cannot_align): skip it
            # before its ends are measured. The ends lie between region.low and region.high.
            lo, hi = max(0, region.low - reach), region.high + m + reach
            if cannot_align(query.quote, view[lo:hi], max_errors,
                            None if coded is None else (coded[0], coded[1][lo:hi])):
                continue
        # The ends of a crowded region belong to two places: align the whole window instead.
        head, tail = region.ends() if by_ends else (None, None)
        if head is not None and tail is not None:
            # Searching only the ends is cheap, so they get the full edit allowance as margin.
            hit = best_alignment_by_ends(query.quote, view, head, tail + m,
                                         max_errors + GRAM_LEN, max_errors, coded)
            if hit is not None and _clash(hit.start, hit.end, taken + found) is None:
                found.append(_fit_boundaries(index, query, hit.start, hit.end, hit.errors))
            if hit is not None or rank > 0:
                continue
            # The most-voted region gets the full alignment when its ends were rewritten.
        lo = max(0, region.low - slack)
        hi = min(len(view), region.high + m + slack)
        for a, b, errors in _align_avoiding(view, query.quote, lo, hi, max_errors,
                                            region.centre, taken + found, coded):
            found.append(_fit_boundaries(index, query, a, b, errors))
        hint_searched = hint_searched or (hint_at is not None and lo <= hint_at < hi)
    known = taken + found
    fewest = min((c.errors for c in known), default=0)
    if hint_searched and fewest > 0 and _clash(hint_at, hint_at + m, known) is None:
        # One window held the stored position and another place, and its one alignment went to
        # the place nearer the votes' centre; an equally good reading *at* the stored position
        # (the quote edited in place) is a candidate too, and the evidence decides. (Held-out
        # draw, session 12: the Italian thesis's contents line ". . 8Algoritmo" → "9Algoritmo",
        # anchored on the next line's "9Algoritmo", which cost the same one edit.) Equally good
        # only: a reading with more edits than the best one found is what is left at the old
        # place after a move or a deletion (a review: a swapped or deleted contents line taken
        # in the next line's dots, 3–4 edits against 1).
        lo, hi = max(0, hint_at - slack), min(len(view), hint_at + m + slack)
        hit = _align(view, query.quote, lo, hi, fewest, hint_at, coded)
        if (hit is not None and _clash(hit[0], hit[1], known) is None
                and _keeps_words(query.quote, view[hit[0]:hit[1]])):
            found.append(_fit_boundaries(index, query, *hit))
    return found


def _keeps_words(quote: str, found: str) -> bool:
    """Whether ``found`` keeps the quote's letters and digits, at most ``MAX_EDIT_RATIO`` of
    them changed. Where a quote is mostly filler, its edits can all fall on what identified it:
    the stored place of a deleted contents line "ase . . . . 4" holds the line before's
    ". . . 4", 3 edits of 18 (a review, session 12), all three the entry's letters."""
    words = "".join(c for c in quote if c.isalnum())
    kept = "".join(c for c in found if c.isalnum())
    return Levenshtein.distance(words, kept) <= MAX_EDIT_RATIO * len(words)


def _strong(regions: list[Region]) -> list[Region]:
    """The regions worth aligning (``regions`` is most-voted first)."""
    if not regions:
        return []
    least = max(MIN_VOTES, MIN_VOTE_SHARE * regions[0].votes)
    strong = [r for r in regions if r.votes >= least]
    return (strong or regions[:1])[:MAX_REGIONS]


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
    doc_length = len(index.source)
    for move_end in (True, False):
        a, b = best.view_start, best.view_end
        for d in range(-BOUNDARY_SLACK, BOUNDARY_SLACK + 1):
            a2, b2 = (a, b + d) if move_end else (a + d, b)
            if d == 0 or not 0 <= a2 < b2 <= len(view):
                continue
            e = Levenshtein.distance(quote, view[a2:b2], score_cutoff=errors)
            if e <= errors and _may_beat(best, query, e, move_end, doc_length, view,
                                         b2 if move_end else a2):
                alt = query.evaluate(index, a2, b2, e, Method.FUZZY)
                if alt.score > best.score:
                    best = alt
    return best


def _may_beat(best: Match, query: Query, errors: int, move_end: bool, doc_length: int,
              view: str, at: int) -> bool:
    """False when the span with ``errors`` edits that keeps ``best``'s start (``move_end``) or
    end and moves the other to view index ``at`` cannot score above ``best``: its evaluation
    (:meth:`Query.evaluate`, ~50 µs with its verbatim-run check) is then skipped.

    Exact, not a heuristic: the moved side's context similarity is computed as the evaluation
    computes it; the kept side's, and for a kept start the distance to the stored position, are
    ``best``'s (both depend only on the kept index). For a moved start the distance is taken as
    0: :func:`~tether.resolve.evidence.combine` falls with the distance (and is monotone in
    every similarity; IEEE rounding keeps that), so the bound is never below the real score.
    For a moved end the bound *is* the score the evaluation will give.
    """
    quote_sim = max(0.0, 1.0 - errors / len(query.quote))
    if move_end:
        prefix_sim, distance = best.prefix_sim, best.distance
        suffix_sim = suffix_similarity(query.suffix, view, at)
    else:
        prefix_sim = prefix_similarity(query.prefix, view, at)
        suffix_sim = best.suffix_sim
        distance = None if best.distance is None else 0
    bound, _ = combine(quote_sim, prefix_sim, suffix_sim, distance, doc_length)
    return bound > best.score


def _align_avoiding(
    view: str, quote: str, lo: int, hi: int, max_errors: int, centre: int, taken: list[Match],
    coded: tuple[bytes, bytes] | None = None,
) -> list[tuple[int, int, int]]:
    """Best alignment in ``view[lo:hi]``; if it lands on an already known candidate, try the
    parts of the window before and after that candidate instead (one level deep). ``coded``:
    the quote and the whole view as one-byte codes (:meth:`GramKeys.code`)."""
    hit = _align(view, quote, lo, hi, max_errors, centre, coded)
    if hit is None:
        return []
    clash = _clash(hit[0], hit[1], taken)
    if clash is None:
        return [hit]
    out = []
    for a, b in ((lo, clash.view_start), (clash.view_end, hi)):
        if b - a >= len(quote) - max_errors:
            part = _align(view, quote, a, b, max_errors, centre, coded)
            if part is not None and _clash(part[0], part[1], taken) is None:
                out.append(part)
    return out


def _clash(a: int, b: int, matches: list[Match]) -> Match | None:
    """A match overlapping the view span ``[a, b)``, if any."""
    return next((t for t in matches if a < t.view_end and t.view_start < b), None)


def _align(
    view: str, quote: str, lo: int, hi: int, max_errors: int, centre: int,
    coded: tuple[bytes, bytes] | None = None,
) -> tuple[int, int, int] | None:
    window = view[lo:hi]
    codes = None if coded is None else (coded[0], coded[1][lo:hi])
    if cannot_align(quote, window, max_errors, codes):  # exact: see its proof
        return None
    found = best_alignment(quote, window, max_errors, expected_start=centre - lo, coded=codes)
    if found is None:
        return None
    return lo + found.start, lo + found.end, found.errors
