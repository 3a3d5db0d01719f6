"""Step 2: the places the quote occurs unchanged, whitespace (and folded typography) ignored.

Each occurrence becomes a :class:`~tether.resolve.evidence.Match` with ``errors == 0``; telling
several apart (prefix/suffix agreement, then the position hint) is the decision's job
(:mod:`tether.resolve.decide`), which sees step-3 candidates too.

Speed: a quote long enough for the gram index is found through it. A shorter one (a word or
two) is looked for only where its stored context's grams vote (``prefix + quote + suffix``), not
by scanning the document: an occurrence without a single intact 8-character piece of context
around it could never be accepted (short quotes need their context), nor come near the score of
one that has it. Without stored context, the whole view is scanned.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from tether.resolve.evidence import (
    Match,
    Query,
    common_end,
    common_start,
    prefix_similarity,
    suffix_similarity,
)
from tether.resolve.index import GRAM_LEN, MIN_INDEXED_NEEDLE, DocumentIndex, find_all
from tether.resolve.result import Method

#: Scoring context costs a few microseconds per occurrence; a one-letter quote may occur
#: 100,000 times. Above this many, only occurrences touched by a piece of the stored context (or
#: nearest the stored position) are scored — the others cannot win on evidence anyway.
MAX_SCORED_OCCURRENCES = 200
#: Characters of stored context that must sit right next to an occurrence to keep it when there
#: are too many to score.
CONTEXT_PROBE = 4
#: How many occurrences nearest the stored position survive that narrowing regardless.
NEAREST_KEPT = 8
#: Around each context vote, a short quote is looked for this far (view characters) beyond the
#: voted place: edits in the context shift the vote by a few characters.
VOTE_SLACK = 2 * GRAM_LEN


def exact_matches(index: DocumentIndex, query: Query, starts: list[int] | None = None
                  ) -> tuple[list[Match], int | None]:
    """``(scored occurrences, number of occurrences in the document or None if not counted)``.
    ``starts``: ``index.find_exact(query.quote)`` when the caller has it already (for a quote
    of ``MIN_INDEXED_NEEDLE`` characters or more)."""
    m = len(query.quote)
    if m < MIN_INDEXED_NEEDLE and query.has_context:
        starts = _near_context(index, query)
        total = None
    else:
        if starts is None:
            starts = index.find_exact(query.quote)
        total = len(starts)
        if total > MAX_SCORED_OCCURRENCES:
            starts = _narrow(index, query, starts)
    by_quote = Method.QUOTE  # read once (an enum member read through its class is a slow hook)
    return [query.evaluate(index, s, s + m, 0, by_quote) for s in starts], total


def _near_context(index: DocumentIndex, query: Query) -> list[int]:
    text = index.view.text
    m = len(query.quote)
    needle = query.prefix + query.quote + query.suffix
    starts: set[int] = set()
    origin = len(query.prefix)
    for region in index.regions(needle, origin, origin + m, GRAM_LEN):
        lo = max(0, region.low - VOTE_SLACK)
        hi = min(len(text), region.high + m + VOTE_SLACK)
        starts.update(find_all(text, query.quote, lo, hi))
    return sorted(starts)


def _narrow(index: DocumentIndex, query: Query, starts: list[int]) -> list[int]:
    text = index.view.text
    m = len(query.quote)
    before = query.prefix[-CONTEXT_PROBE:]
    after = query.suffix[:CONTEXT_PROBE]
    kept = {
        s for s in starts
        if (before and s >= len(before) and text.startswith(before, s - len(before)))
        or (after and text.startswith(after, s + m))
    }
    if query.hint is not None:
        hint_view = index.view.from_source(query.hint)
        kept.update(sorted(starts, key=lambda s: abs(s - hint_view))[:NEAREST_KEPT])
    return sorted(kept)


#: View characters of each stored context side that must occur verbatim right next to a
#: bracketed candidate (:func:`bracketed_matches`); a 12-character run of prose or formula is
#: rare, and three edits into a 32-character side still leave one intact near the quote.
BRACKET_PROBE = 12
#: Above this many occurrences of either probe, the probes are boilerplate: no bracket search.
MAX_BRACKET_PROBES = 32


def bracketed_matches(index: DocumentIndex, query: Query, max_errors: int) -> list[Match]:
    """The text between the stored prefix's last and the suffix's first ``BRACKET_PROBE``
    characters, wherever both occur verbatim this close together, as a candidate with the edits
    that turn the quote into it (at most ``max_errors``).

    Why: step 3 aligns the quote alone, and when an edit inside a short quote is long (a word
    replaced by a longer one) its best alignment stops short of the change, leaving a span
    whose suffix no longer agrees; the context, not the quote, says where the passage is.
    Whether such a candidate is good enough is still :func:`~tether.resolve.decide.objection`'s
    call (both sides must agree almost exactly for the larger edit allowance).
    """
    k = BRACKET_PROBE
    m = len(query.quote)
    if len(query.prefix) < k or len(query.suffix) < k or max_errors <= 0:
        return []
    before = index.find_exact(query.prefix[-k:])
    after = index.find_exact(query.suffix[:k])
    if not before or not after or max(len(before), len(after)) > MAX_BRACKET_PROBES:
        return []
    view = index.view.text
    out: list[Match] = []
    for b in before:
        start = b + k
        for end in after:
            if not m - max_errors <= end - start <= m + max_errors or end <= start:
                continue
            errors = Levenshtein.distance(query.quote, view[start:end], score_cutoff=max_errors)
            if errors <= max_errors:
                out.append(query.evaluate(index, start, end, errors,
                                          Method.QUOTE if errors == 0 else Method.FUZZY))
    return out


def truncated_matches(index: DocumentIndex, query: Query, least: int, strong: float
                      ) -> list[tuple[Match, str]]:
    """Where the quote lost its start or its end: its end survives verbatim right before the
    stored suffix (or its start right after the stored prefix), at least ``least`` view
    characters of it but not all, and that context side agrees at ``strong`` or better there.
    Each candidate comes with the end the quote lost (``"start"`` / ``"end"``); its ``errors``
    are the lost characters. Found through the same verbatim probes as
    :func:`bracketed_matches` (a side of boilerplate, probed more than ``MAX_BRACKET_PROBES``
    times, is skipped).
    """
    k, m, view = BRACKET_PROBE, len(query.quote), index.view.text
    out: list[tuple[Match, str]] = []
    for lost, context in (("start", query.suffix), ("end", query.prefix)):
        if len(context) < k:
            continue
        places = index.find_exact(context[:k] if lost == "start" else context[-k:])
        if len(places) > MAX_BRACKET_PROBES:
            continue
        for at in places:
            if lost == "start":  # the quote's end, then the suffix from ``at``
                kept = common_end(query.quote, view, at)
                lo, hi, sim = at - kept, at, suffix_similarity(query.suffix, view, at)
            else:  # the prefix up to ``at + k``, then the quote's start
                kept = common_start(query.quote, view, at + k)
                lo, hi, sim = at + k, at + k + kept, prefix_similarity(query.prefix, view, at + k)
            if least <= kept < m and (sim or 0.0) >= strong:
                out.append((query.evaluate(index, lo, hi, m - kept, Method.FUZZY), lost))
    return out


def cut_points(index: DocumentIndex, query: Query, strong: float) -> list[int]:
    """View positions where the stored prefix is now directly followed by the stored suffix,
    both agreeing at ``strong`` or better: the quote was cut out of that place."""
    k = BRACKET_PROBE
    if len(query.prefix) < k or len(query.suffix) < k:
        return []
    view = index.view.text
    return [at + k for at in index.find_exact(query.prefix[-k:] + query.suffix[:k])
            if min(prefix_similarity(query.prefix, view, at + k) or 0.0,
                   suffix_similarity(query.suffix, view, at + k) or 0.0) >= strong]
