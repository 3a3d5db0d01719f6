"""Correction 7 of the fixtures' truth method (session 10): a verbatim copy that A reached by
jumping over an insertion holding the passage's edited form.

Alignment A (``make_update_cases.align``) is a diff: where NEW inserts text right next to the
passage and that text contains a verbatim copy of the quote, A may pair the passage with the copy
and call the passage's real, edited place inserted. co519 v3→v4 edited "Exercise 1.1. Prove
∀x.(P(x) ∧Q(x)) `∀x.P(x) is valid." to "…Prove ∀x.P(x) ∧Q(x) `∀x.P(x) is valid." and inserted
after it a Remark, "…so ∀x.P(x) ∧Q(x) is equivalent to ∀x.(P(x) ∧Q(x)) rather than…". A keeps
"Prove " in place, marks the edited exercise and the Remark's first 160 characters inserted, and
pairs the annotated "∀x.(P(x)" with the Remark's copy: the classifier calls it ``intact`` there
(its candidate A is verbatim, so it asks nothing more), although neither context side agrees
(ratio 46.9) while the exercise's "∀x.P(x)" — 7 of 8 characters, in the passage's own context —
agrees on both.

The test, with the classifier's own thresholds: an ``intact`` truth span whose context ratio is
under ``CONTEXT_MIN_RATIO``; the NEW text A marks inserted right next to it (before or after)
starts where A keeps the passage's own neighbour (OLD within ``NEIGHBOUR_REACH`` code points of
the passage); inside that inserted run the quote's best window
(:func:`missed_passage.best_window`, as :func:`missed_passage.tight_search` compares it) keeps at
least ``EDITED_MIN_KEPT`` of the quote, with context ratio at least ``CONTEXT_MIN_RATIO`` and
both context sides together agreeing better than the truth's
(:func:`passage.two_sided_context`). The case is then ``edited`` at that window (in place: A
keeps its context there) and A's span is listed in ``not_the_passage`` with its
``context_ratio``.

Why this narrow: a truth span lying in text A marks inserted is what every real move is (a move
is a deletion plus an insertion in the diff: 123 DEV truths, 111 of them ``moved``), and an A
span with inserted text on both sides is usually a passage whose surroundings were rewritten
(46 DEV truths); neither says the span is not the passage. Only the jump over an insertion that
holds the passage's edited form, in its context, does (1 DEV case, 0 of Suite A).
"""

from __future__ import annotations

from typing import Any

import make_update_cases as M
from missed_passage import best_window
from not_the_passage import verbatim_fields
from passage import Passage, mark, two_sided_context

#: A's kept neighbour of the passage is at most this many OLD code points before its start (or
#: after its end): the inserted run begins where the passage itself stood. (A space or a
#: one-character edit may sit between; the co519 case has 0.)
NEIGHBOUR_REACH = 3


def inserted_run(inv: list[int], a: int, b: int, before: bool) -> tuple[int, int, int] | None:
    """(start, end, neighbour): the run of NEW code points that A marks inserted right before
    ``new[a:b]`` (or after it), and the OLD index (code points) of the kept character bounding
    it on the far side; None if empty or if it reaches the text's end."""
    if before:
        lo = a
        while lo > 0 and inv[lo - 1] < 0:
            lo -= 1
        return (lo, a, inv[lo - 1]) if 0 < lo < a else None
    hi = b
    while hi < len(inv) and inv[hi] < 0:
        hi += 1
    return (b, hi, inv[hi]) if b < hi < len(inv) else None  # type: ignore[return-value]


def across_insertion(case: dict, p: Passage, dmp: Any) -> bool:
    """Move an ``intact`` truth span that A reached across an insertion holding the passage's
    edited form, in its context, to that form (see the module docstring)."""
    if case["category"] != "intact" or not case["new"]:
        return False
    old, new, s, e = p.old, p.new, p.s, p.e
    ns, ne = p.cp(case["new"])
    ratio = M.context_ratio(old, s, e, new, ns, ne)
    if ratio >= M.CONTEXT_MIN_RATIO:
        return False
    own = two_sided_context(old, s, e, new, ns, ne)
    best = None
    for before in (True, False):
        run = inserted_run(p.inv, ns, ne, before)
        if run is None:
            continue
        lo, hi, neighbour = run
        if not (s - NEIGHBOUR_REACH <= neighbour < s if before
                else e <= neighbour < e + NEIGHBOUR_REACH):
            continue
        kept = best_window(p.exact, new, lo, hi, dmp)
        if len(kept) < M.EDITED_MIN_KEPT * (e - s):
            continue
        a, b = kept[0], kept[-1] + 1
        two = two_sided_context(old, s, e, new, a, b)
        if (M.context_ratio(old, s, e, new, a, b) >= M.CONTEXT_MIN_RATIO and two > own
                and (best is None or two > best[0])):
            best = (two, kept)
    if best is None:
        return False
    kept = best[1]
    rejected = [{**case["new"], "context_ratio": round(ratio, 1)}]
    case.pop("occurrences", None)
    case.update(category="edited", new=p.span((kept[0], kept[-1] + 1)),
                kept_fraction=round(len(kept) / (e - s), 4))
    more = verbatim_fields(case, p, rejected)
    # A's span holds the passage by A's own account, so not_passage lets it through as an
    # occurrence: it is the span this correction rejects.
    others = [x for x in case.pop("occurrences", []) if p.cp(x) != (ns, ne)]
    if others:
        case["occurrences"] = others
    case["not_the_passage"] = [*case.get("not_the_passage", []), *rejected, *more]
    mark(case, "across_insertion")
    return True
