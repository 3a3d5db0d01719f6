"""A verbatim context side elsewhere: refuse a short quote accepted where neither stored context
side agrees verbatim when another verbatim occurrence of the quote has one side verbatim in full.

Why: a short quote that recurs is told apart by its context alone, and the cascade weighs each
side by its similarity to the stored one. Where the annotated occurrence had a word of its
context replaced (or a line of a listing rewritten beside it), its similarity can fall below
that of a parallel occurrence whose context differs throughout, a few characters at a time
(the stack's ``malloc(sizeof`` line beside the queue's: "stack" for "queue" on both sides).
The parallel one then wins on similarity, while the annotated one still holds a whole stored
side, 32 characters, verbatim. Similarity spread over scattered characters and a whole side
kept verbatim point two ways; neither is taken (``ambiguous``, both shown), and the landmarks do
not place the refusal either (``LandmarkPlacing.place_refusals``: their offsets cannot tell a
row from its parallel row; a third review, session 12, had such refusals placed on the parallel
row after the passage moved). Measured on fresh Suite B seeds (session 12): many-occurrences in
program listings, 8 wrong anchors refused on seeds 2–51 and 4 on the untouched seeds 52–81, no
right answer changed; Suites A + B, DEV and seven DEV-style draws unchanged. In the reviews'
adversarial notes (a passage moved and its context edited by 3–5 characters on each side, a
parallel copy keeping a whole side verbatim nearby) it refuses right answers too.

Scope: a quote shorter than ``distinctive_quote``, accepted verbatim (a changed quote is weaker
evidence than the verbatim rival already), with at least one context side stored, where no
stored side agrees at ``context_strong`` (about one changed character in 32): a passage whose
sides were each touched by a character or two, moved or shifted, is still the passage (a
second review, session 12: half of such generated cases in the yellow paper's tables were
refused when any side short of verbatim counted, and some of those refusals were then placed
on the parallel row by the landmarks); the rival is a verbatim occurrence not overlapping it.

All similarities as :class:`~tether.resolve.evidence.Match` holds them (view form; 1.0 only
for a side that agrees character for character).
"""

from __future__ import annotations

from tether.resolve.decide import Verdict
from tether.resolve.evidence import Match, Query
from tether.resolve.options import ResolveOptions


def unless_side_verbatim_elsewhere(q: Query, verdict: Verdict, candidates: list[Match],
                                   opt: ResolveOptions) -> Verdict:
    """``verdict``, or ``ambiguous`` as the module docstring says."""
    best = verdict.best
    assert best is not None
    if len(q.quote) >= opt.distinctive_quote or best.errors or not q.has_context:
        return verdict
    if max(best.context_sides()) >= opt.context_strong:
        return verdict
    for c in candidates:
        if (c.errors == 0 and _verbatim_side(c)
                and not (c.view_start < best.view_end and best.view_start < c.view_end)):
            return Verdict(None, (best, c), True, REASON)
    return verdict


def _verbatim_side(c: Match) -> bool:
    return c.prefix_sim == 1.0 or c.suffix_sim == 1.0


REASON = ("the best place agrees with neither stored context side verbatim, while another "
          "copy of the quote keeps a whole side verbatim: the passage's context may have been "
          "edited, and the best place be a parallel passage")
