"""Step 2: every place the quote occurs unchanged, whitespace (and folded typography) ignored.

Each occurrence becomes a :class:`~tether.resolve.evidence.Match` with ``errors == 0``; telling
several apart (prefix/suffix agreement, then the position hint) is the decision's job
(:mod:`tether.resolve.decide`), which sees step-3 candidates too.
"""

from __future__ import annotations

import heapq

from tether.resolve.evidence import Match, Query
from tether.resolve.index import DocumentIndex
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


def exact_matches(index: DocumentIndex, query: Query) -> tuple[list[Match], int]:
    """``(scored occurrences, total number of occurrences)`` of ``query.quote`` in the view."""
    starts = index.find_exact(query.quote)
    total = len(starts)
    if total > MAX_SCORED_OCCURRENCES:
        starts = _narrow(index, query, starts)
    m = len(query.quote)
    return [query.evaluate(index, s, s + m, 0, Method.QUOTE) for s in starts], total


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
        kept.update(heapq.nsmallest(NEAREST_KEPT, starts, key=lambda s: abs(s - hint_view)))
    return sorted(kept)
