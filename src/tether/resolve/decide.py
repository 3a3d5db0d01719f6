"""Choosing among candidates: accept one, call it ambiguous, or refuse.

Precision first: a wrong anchor is worse than an orphan. So a candidate is *admissible* only
with enough evidence for its kind (:func:`objection`), and even the best admissible candidate is
refused as ``ambiguous`` when another candidate comes within ``ambiguity_margin`` of its score —
unless the stored position separates them clearly (``position_tiebreak_ratio``), the best
outweighs every rival on all the text evidence (``run_tiebreak``), or the stored text counted
with its whitespace does (``second_look.by_stored_text``). Step 4's chains have
their own rule (:func:`chain_objection`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tether.resolve.chain import Chain, falls_short, needed_coverage
from tether.resolve.describe import count_of
from tether.resolve.evidence import Match, Query
from tether.resolve.options import ResolveOptions

#: A refusal's reason names the page of step 4's best chain only when at least this share of
#: the quote survives there: below it the stretch is as likely a coincidence (a word or two), and
#: naming its page would send the reader after it. On Suites A + B every edited or moved passage
#: refused by step 4 keeps 25 % or more (23 of them); 72 deleted passages keep less.
PAGE_SHOWN_COVERAGE = 0.25


# Not frozen (treat as immutable): a frozen dataclass sets each field through
# ``object.__setattr__``, and every resolution past step 1 builds one or more.
@dataclass(slots=True, unsafe_hash=True)
class Verdict:
    """``best`` is set when a candidate is accepted; ``rivals`` are the ones it had to beat (for
    ambiguous: every tied candidate, best included) or, for a refusal, the closest candidates."""

    best: Match | None
    rivals: tuple[Match, ...]
    ambiguous: bool
    reason: str | None


def objection(c: Match, q: Query, opt: ResolveOptions) -> str | None:
    """Why ``c`` lacks the evidence to be accepted, or None when it is admissible."""
    m = len(q.quote)
    if c.errors == 0:
        if m >= opt.distinctive_quote or not q.has_context:
            return None
        # A run is enough on its own, except for a quote that recurs (RECURRING_QUOTE) with no
        # context side agreeing closely: that one falls through to the context rules below.
        if c.run >= opt.short_run and not (
                max(c.context_sides(), default=0.0) < opt.context_recur
                and c.recurrences(opt.recurring_quote) >= opt.recurring_quote):
            return None
        agree = [s >= opt.context_agree for s in c.context_sides()]
        if m < opt.short_quote and not (
            all(agree) or any(s >= opt.context_strong for s in c.context_sides())
        ):
            return (f"a {m}-character quote needs its whole stored context to agree, or one "
                    f"side to agree almost exactly")
        if any(agree):
            return None
        return (f"the quote occurs verbatim but its context differs on both sides, and "
                f"{m} characters are too few to stand alone")
    agree = [s >= opt.context_agree for s in c.context_sides()]
    bracketed = _bracketed(c, q, opt)
    if m < (opt.min_bracketed_quote if bracketed else opt.min_fuzzy_quote):
        return f"a {m}-character quote is never matched approximately" + (
            "" if bracketed else " unless both context sides agree almost exactly")
    limit = opt.bracketed_edit_ratio if bracketed else opt.max_edit_ratio
    if c.errors > max(limit, opt.max_edit_ratio) * m:
        return f"{c.errors} edits exceed {opt.max_edit_ratio:.0%} of the quote"
    if m >= opt.distinctive_quote and c.errors <= opt.near_verbatim_ratio * m:
        return None  # as distinctive as a verbatim quote of this length, which stands alone
    if not q.has_context:
        return "no stored context to confirm an approximate match"
    if m < opt.distinctive_quote and not all(agree) and c.run < opt.short_run:
        return "a changed quote this short needs its whole stored context to agree"
    if not any(agree):
        return "the stored context agrees on neither side"
    if c.score < opt.score_floor:
        return f"score {c.score:.2f} is below the floor {opt.score_floor:.2f}"
    return None


def _bracketed(c: Match, q: Query, opt: ResolveOptions) -> bool:
    """A short quote between two stored context sides that both agree almost exactly: the place
    is certain, so the quote itself may have changed by up to ``bracketed_edit_ratio``."""
    return (len(q.quote) < opt.chain_min_quote and c.prefix_sim is not None
            and c.suffix_sim is not None
            and min(c.prefix_sim, c.suffix_sim) >= opt.context_strong)


def decide(candidates: list[Match], q: Query, opt: ResolveOptions) -> Verdict:
    """The verdict over all candidates found for one annotation."""
    if not candidates:
        return Verdict(None, (), False, None)
    if len(candidates) == 1:  # the common case (one verbatim occurrence): no ranking, no rivals
        only = candidates[0]
        why = objection(only, q, opt)
        if why is None:
            return Verdict(only, (), False, None)
        return Verdict(None, tuple(candidates[: opt.max_rivals]), False, why)
    ranked = sorted(candidates, key=lambda c: (-c.score, c.errors, c.view_start))
    best = next((c for c in ranked if objection(c, q, opt) is None), None)
    if best is None:
        top = ranked[0]
        return Verdict(None, tuple(ranked[: opt.max_rivals]), False, objection(top, q, opt))
    tied = [c for c in ranked if c is not best and c.score > best.score - opt.ambiguity_margin]
    if not tied:
        return Verdict(best, (), False, None)
    group = [best, *tied]
    # The stored position only breaks a tie of the text evidence itself (true duplicates with the
    # same context); a candidate whose text fits better is never overruled by mere nearness.
    if max(c.text_score for c in group) - min(c.text_score for c in group) <= opt.text_tie:
        nearest = separated_by_position(group, opt.position_tiebreak_ratio,
                                         opt.position_tiebreak_reach)
        if nearest is not None and objection(nearest, q, opt) is None:
            return Verdict(nearest, (), False, None)
    elif opt.run_tiebreak and all(_outweighs(best, c, opt) for c in tied):
        return Verdict(best, (), False,
                       f"{len(group)} places score within {opt.ambiguity_margin:.2f}; this one "
                       f"fits better on every part of the text evidence and keeps "
                       f"{best.run} characters of the stored text verbatim, found nowhere else")
    return Verdict(
        None, tuple(group[: opt.max_rivals]), True,
        f"{len(group)} places fit about equally well (scores {group[0].score:.2f}–"
        f"{group[-1].score:.2f}) and the stored position does not single one out",
    )


def _outweighs(best: Match, rival: Match, opt: ResolveOptions) -> bool:
    """Whether ``best`` beats ``rival`` on every kind of text evidence although their scores
    are within ``ambiguity_margin`` (``run_tiebreak``): the stored text agrees verbatim around
    ``best`` in a stretch found nowhere else (``short_run``) and around ``rival`` in none; ``best``
    is at least as good on the quote and on each stored context side (so no weighting of the
    parts could prefer ``rival``); and its text score leads by more than ``text_tie``."""
    if best.run < opt.short_run or rival.run >= opt.short_run:
        return False
    if best.text_score - rival.text_score <= opt.text_tie:
        return False
    mine, theirs = (best.quote_sim, *best.context_sides()), (rival.quote_sim,
                                                             *rival.context_sides())
    return all(a >= b for a, b in zip(mine, theirs, strict=True))


def separated_by_position(group: list[Match], ratio: float, reach: int) -> Match | None:
    """The member nearest the stored position if it is within ``reach`` code points of it and
    every other member is at least 1/``ratio`` times farther, else None."""
    if any(c.distance is None for c in group):
        return None
    by_distance = sorted(group, key=lambda c: c.distance or 0)
    nearest, others = by_distance[0], by_distance[1:]
    assert nearest.distance is not None
    if nearest.distance <= reach and all(
        nearest.distance <= ratio * (o.distance or 0) for o in others
    ):
        return nearest
    return None


def chain_objection(chains: list[Chain], others: list[Match], opt: ResolveOptions,
                    chain_pages: Callable[[Chain], tuple[int, int]] | None = None) -> str | None:
    """Why the best of ``chains`` (step 4, most coverage first) is not acceptable, or None.

    ``others`` are the candidates steps 2 and 3 found (and refused): one of them elsewhere whose
    quote similarity comes near the chain's coverage is a rival, like another chain.
    ``chain_pages`` gives the 0-based first and last page a chain's text lies on: the reason
    then says where the surviving text is, when a quarter or more of the quote survives there
    (``PAGE_SHOWN_COVERAGE``). An orphan refused here has no candidate to show, so its reason
    is what a reader finds the passage by.
    """
    best = chains[0]

    def on(c: Chain) -> str:
        """``"on page 5"`` / ``"on pages 5–6"`` (1-based, as the report prints pages), or ``""``
        where no page is named."""
        if chain_pages is None or c.coverage < PAGE_SHOWN_COVERAGE:
            return ""
        first, last = (p + 1 for p in chain_pages(c))
        return f"on page {first}" if first == last else f"on pages {first}–{last}"

    where = on(best)
    aside = f" ({where})" if where else ""
    if falls_short(best, opt):
        if best.coverage >= needed_coverage(best, opt):  # enough kept, but too thin a piece
            return (f"{best.coverage:.0%} of the quote survives in one place{aside}, but as "
                    f"one piece of {best.quote_length - best.lead - best.trail} characters and "
                    f"the stored context agrees at neither end; a single piece needs "
                    f"{opt.chain_bare_piece}")
        return (f"only {best.coverage:.0%} of the quote survives in order in one place "
                f"({f'{where}; ' if where else ''}{count_of(best.pieces, 'piece')}; "
                f"{best.ends}); {needed_coverage(best, opt):.0%} is needed")
    for c in chains[1:]:
        if best.coverage >= opt.chain_split_coverage:
            break  # most of the quote is here: another surviving piece is what moved away
        if opt.split_margin and best.coverage - c.coverage > opt.chain_margin:
            continue  # not an even split: the smaller piece is what moved away
        if ((c.head and not best.head) or (c.tail and not best.tail)) and not best.continues(c):
            return _split_up(*sorted((best, c), key=lambda k: k.lead), on)
    floor = best.coverage - opt.chain_margin
    # A rival holds the same quote text elsewhere; more of the same passage (``continues``) or
    # another part of it (no shared text) is not one.
    rivals = [c.coverage for c in chains[1:]
              if c.coverage > floor and best.shares_text(c) and not best.continues(c)]
    rivals += [o.quote_sim for o in others
               if not best.overlaps(o.view_start, o.view_end) and o.quote_sim > floor]
    if rivals:
        return (f"{best.coverage:.0%} of the quote survives in order in one place{aside}, but "
                f"another place keeps {max(rivals):.0%}")
    return None


def _split_up(start: Chain, end: Chain, on: Callable[[Chain], str]) -> str:
    """The reason for a passage whose start (the chain with less of the quote before it) and
    end survive in different places; the pages come early, as the table shows a reason's first
    70 characters."""
    head, tail = on(start), on(end)
    if not (head and tail):
        return ("the quote's start and end survive in different places (the passage was "
                "split up)")
    where = f"both {head}" if head == tail else f"the start {head}, the end {tail}"
    return (f"the quote's start and end survive in different places ({where}): the passage "
            f"was split up")
