"""A nearer rival that keeps more of the stored text: refuse a short quote accepted far from its
stored place when a candidate much nearer that place keeps more of the whole stored text —
prefix, quote and suffix — in order around it.

Why: the cascade weighs a candidate's context by comparing each stored side with the text
*right beside* it. When the annotated passage was edited in place around the quote (words
inserted between the prefix and the quote, or a word of the quote and of the suffix cut), those
comparisons fail at the right place, and a copy of a short quote elsewhere — a stock phrase
repeated in another section, whose context happens to share words with the stored one — wins on
context alone. Measured on a held-out draw (``devset.py --seed-base 100``, session 11), never
seen while the other rules were tuned:

* yellow paper v1 → v2 "a pseudo-random": v2 inserted "the block nonce," between the stored
  prefix and the quote; the mining section's "… and the second item being a pseudo-random
  num-ber cryptographically dependent" 32,170 units away was anchored over the passage
  3,782 units away, which still has all of the stored prefix 14 characters before it;
* co519 v1 → v2 "introduction and": "Recall the introduction and elimination rules for
  disjunction" became "Recall the introduction rules for disjunction"; the quantifier section's
  "introduction and elimination rules for quantification" 8,322 units away was anchored.

Counted over the whole stored text (:func:`kept`: view characters in matching blocks of at
least ``MIN_PIECE``, step 4's own alignment, :func:`~tether.resolve.blocks.matching_blocks`),
the passage keeps more than the copy (69 against 64, 38 against 37), and it lies clearly nearer
the stored position. The evidence then points both ways, so the answer is refused as
``ambiguous``: this rule never anchors by itself (the lesson of :mod:`tether.resolve.pagebreak`:
weaker evidence may only say that two places fit about equally well). Strictly more: on a tie
(a sentence moved whose twin stays near the old place, both keeping the same stored text) the
answer stands — a review showed the refusal then placed by the landmarks on the twin
(:meth:`~tether.resolve.cascade.Resolver.resolve_all`), a wrong anchor.

Scope, kept narrow on purpose: a quote shorter than ``distinctive_quote`` (a longer one found
verbatim is strong evidence on its own), accepted more than ``position_tiebreak_reach`` from its
stored start, and a rival no farther than ``position_tiebreak_ratio`` of that distance — the
thresholds :func:`~tether.resolve.decide.separated_by_position` uses for "clearly nearer" —
that keeps all but ``max_edit_ratio`` of the quote in one piece. That last condition leaves a
quote moved on its own alone: the place it was cut from keeps the stored context, and the
look-alike lines around it scraps of the quote, but not the quote (Suite B relocate-span in
program listings, ``case '*' : return …`` lines, accepted by ``second_look``'s ``cut_move``: two
answers there turned ambiguous without it, one of them still when scraps were counted together).

All positions are match-view indices (:mod:`tether.resolve.normalize`; whitespace removed).
"""

from __future__ import annotations

from tether.resolve.blocks import matching_blocks
from tether.resolve.decide import Verdict
from tether.resolve.evidence import Match, Query
from tether.resolve.index import DocumentIndex
from tether.resolve.options import ResolveOptions

#: The shortest run of stored text that counts as kept: shorter common runs occur between any
#: two texts by chance (a syllable, "the").
MIN_PIECE = 5
#: View characters an edit may have put between a context side and the quote (or cut from
#: them): the window around a candidate reaches this far past each stored side's length.
EDIT_ROOM = 32


def kept(index: DocumentIndex, q: Query, c: Match) -> tuple[int, int, bool]:
    """What of the stored text (prefix + quote + suffix, view form) stands in order around
    candidate ``c``, counting the matching blocks of ``MIN_PIECE`` or more in a window reaching
    ``EDIT_ROOM`` past each stored side: how many view characters in all, the longest stretch of
    the quote in one block, and whether blocks fall on both context sides."""
    view = index.view.text
    stored = q.prefix + q.quote + q.suffix
    lo = max(0, c.view_start - len(q.prefix) - EDIT_ROOM)
    hi = min(len(view), c.view_end + len(q.suffix) + EDIT_ROOM)
    quote_start, quote_end = len(q.prefix), len(q.prefix) + len(q.quote)
    total = quote_piece = 0
    before = after = False
    for q_start, q_end, _ in matching_blocks(stored, view, lo, hi, MIN_PIECE):
        total += q_end - q_start
        quote_piece = max(quote_piece, min(q_end, quote_end) - max(q_start, quote_start))
        before = before or quote_start - q_start >= MIN_PIECE
        after = after or q_end - quote_end >= MIN_PIECE
    return total, quote_piece, before and after


def unless_nearer_keeps_more(index: DocumentIndex, q: Query, verdict: Verdict,
                             candidates: list[Match], opt: ResolveOptions) -> Verdict:
    """``verdict``, or ``ambiguous`` when its accepted answer is a short quote far from its
    stored place and a candidate clearly nearer keeps more of the stored text."""
    best = verdict.best
    assert best is not None
    far = best.distance
    if (len(q.quote) >= opt.distinctive_quote or far is None
            or far <= opt.position_tiebreak_reach or not (q.prefix and q.suffix)):
        return verdict
    nearer = [c for c in candidates
              if c.distance is not None and c.distance <= opt.position_tiebreak_ratio * far
              and not (c.view_start < best.view_end and best.view_start < c.view_end)]
    if not nearer:
        return verdict
    mine, _, _ = kept(index, q, best)
    enough_of_quote = (1.0 - opt.max_edit_ratio) * len(q.quote)
    for c in nearer:
        theirs, quote_piece, both_sides = kept(index, q, c)
        if theirs > mine and quote_piece >= enough_of_quote and both_sides:
            return Verdict(None, (best, c), True, _reason(mine, theirs, far, c.distance))
    return verdict


def _reason(mine: int, theirs: int, far: int, near: int | None) -> str:
    return (f"the best place is {far} code points from the stored position, but a place {near} "
            f"code points from it keeps as much of the stored text ({theirs} characters of "
            f"prefix, quote and suffix in order, against {mine}): the passage may have been "
            "edited in place, and the other place be a copy")
