"""Correction 8 of the fixtures' truth method (session 13): a passage found by its surroundings.

The classifier (``make_update_cases.classify``) looks for the *quote*: A, where the whole-text
alignment put its characters; B, the quote's best fuzzy window anywhere in the new text. Where a
section was rewritten in another format and reordered, both can miss a passage a reader finds at
once. The Italian thesis v3 → v4 turned its numbered bibliography ("[14] H.V. hamme …
Comparative Study, IEEE Transactions on Instrumentation and Measurement.41 (1992) 226–232.")
into author–year entries in another order ("J. Schoukens, H. Van hamme, P. Pintelon. 1992.
«… Comparative Study». IEEE Transactions on Instrumentation and Measurement 41: 226–32."):

* A keeps nothing of a short quote there (the entry moved; the alignment follows other text);
* B's window for "Measurement." is the best of a dozen "… and Measurement" in other entries,
  whose context disagrees, so the classifier's own acceptance of B fails;

and the case becomes ``deleted`` (kept 0.0), although "Measurement" stands in its entry, one
full stop lost. On the fresh DEV-style draws (``devset.py --seed-base 100``–``800``, session 13)
that one document pair made 23 of tether's 65 "wrong" anchors, 16 of them in its
bibliography.

On DEV and those eight draws this correction turns 22 ``deleted`` cases findable (none of DEV's
own): 10 of tether's "wrong" anchors become found (6 reformatted references, 2 hyphenated
"in un-" rejoined by the thesis's reflow, 2 passages edited in place around a kept start), 11
of its refusals become misses, and one answer stays wrong. On Suite A it changes one case
(yellow paper v2→v3 "x for Px), it" → "x for any x), it").

:func:`by_surroundings` looks for the passage *with its surroundings*: the old text
``SURROUNDINGS`` code points either side of the quote, its best ``partial_ratio`` window in the
new text. That window must be good (``WINDOW_MIN_RATIO``) and the only one (no other window,
disjoint from it, within ``WINDOW_MARGIN`` of its ratio: the entry, not the journal name it
shares with others); the quote's characters it keeps (a character diff with semantic cleanup,
as ``search_whole``) must be at least ``EDITED_MIN_KEPT`` of the quote, and their stored context
must agree (``CONTEXT_MIN_RATIO``) — the classifier's own thresholds for accepting B. One
guard from a read-only review (session 13), which ran the correction on every quote position
of the nine version pairs and found it taking, for a deleted item of a list (an exercise, a
table row, a page header, a formula), the slot where the next item now stands: a kept
character that alignment A traces to OLD text outside the quote is not counted as kept (it is
the neighbour's copy of the items' shared template). On that sweep the guard cut the wrong
truths from 16 (6 places) to 4 (3 places: a deleted EIP reference whose slot holds a new one,
two quotes of a deleted gas-cost row put on the row after it, a long quote of a deleted
exercise) and the correction's hits from 280 to 172; on the draws it leaves 3 borderline cases
deleted. (A second guard measured with it — refuse the window when A traces more than half of
it to other OLD text — changed nothing more but 8 right hits lost, and was dropped.) What is
left of that failure mode is a deleted item whose slot now holds a *new* item of the same
template (text A leaves unaligned): there only the item's own words tell, and a truth span
there would count an anchor on the new item as found.

Like corrections 1–3 it only turns a ``deleted`` case into a findable one (``edited`` where it
overlaps A's candidate, else ``moved``); ``pre_existing_copy`` then checks the span as it checks
every correction's.

Offsets here are code points of OLD (the passage ``s``–``e``, its surroundings) and of NEW (the
window, the kept characters); the case's spans are written in UTF-16 by :meth:`Passage.span`.
"""

from __future__ import annotations

from typing import Any

import make_update_cases as M
from missed_passage import found_after_all
from passage import Passage
from rapidfuzz import fuzz

#: Old code points taken either side of the quote: a stored context's 32 characters plus the
#: slack ``make_update_cases.context_ratio`` reads (48).
SURROUNDINGS = 48
#: Least ``partial_ratio`` of the surroundings' window for it to count (out of 100).
WINDOW_MIN_RATIO = 70.0
#: Another window, disjoint from the best, this close to its ratio makes the place uncertain.
WINDOW_MARGIN = 10.0


def _window(needle: str, new: str) -> tuple[float, int, int] | None:
    """The best ``partial_ratio`` window of ``needle`` in ``new``: (ratio, start, end in NEW
    code points), or None below ``WINDOW_MIN_RATIO``."""
    hit = fuzz.partial_ratio_alignment(needle, new, score_cutoff=WINDOW_MIN_RATIO)
    return None if hit is None else (hit.score, hit.dest_start, hit.dest_end)


def by_surroundings(case: dict, p: Passage, dmp: Any) -> bool:
    """Make a ``deleted`` case findable when its surroundings' unique window keeps the quote."""
    if case["category"] != "deleted":
        return False
    old, new, s, e = p.old, p.new, p.s, p.e
    a, b = max(0, s - SURROUNDINGS), min(len(old), e + SURROUNDINGS)
    needle = old[a:b]
    best = _window(needle, new)
    if best is None:
        return False
    ratio, w0, w1 = best
    # The runner-up, found with the best window blanked out (same length: offsets kept).
    second = _window(needle, new[:w0] + "\0" * (w1 - w0) + new[w1:])
    if second is not None and second[0] > ratio - WINDOW_MARGIN:
        return False
    diffs = dmp.diff_main(needle, new[w0:w1], False)
    dmp.diff_cleanupSemantic(diffs)
    pairs, i, j = [], a, w0
    for op, text in diffs:
        if op == 0:
            pairs += [(ii, jj) for ii, jj in zip(range(i, i + len(text)),
                                                 range(j, j + len(text)), strict=True)
                      if s <= ii < e]
        if op != 1:
            i += len(text)
        if op != -1:
            j += len(text)
    # Only the largest cluster counts, as in ``search_whole``: kept characters strewn over a
    # window (a DOI prefix here, a journal name there) are not the passage.
    kept = sorted(jj for _, jj in next(iter(M.clusters(pairs)), []))
    # A character alignment A traces to other OLD text is that text's, not the quote's: in a
    # list whose item was deleted, the next item's template ("Exercise 1.", "…gas to pay
    # for a", a page header) would otherwise count as the quote kept.
    kept = [j for j in kept if p.inv[j] < 0 or s <= p.inv[j] < e]
    if len(kept) < M.EDITED_MIN_KEPT * (e - s):
        return False
    if M.context_ratio(old, s, e, new, kept[0], kept[-1] + 1) < M.CONTEXT_MIN_RATIO:
        return False
    in_place = p.in_place
    overlap = bool(in_place) and in_place[0] <= kept[-1] and kept[0] <= in_place[-1]
    return found_after_all(case, p.exact, "by_surroundings",
                           category="edited" if overlap else "moved", new=p.span(kept),
                           kept_fraction=round(len(kept) / (e - s), 4))
