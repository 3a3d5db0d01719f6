"""Corrections 1–3 of the fixtures' truth method (session 5): passages the classifier missed.

``make_update_cases.classify`` decides each case from a whole-text alignment; these three find
the passage (or a copy of it) where the classifier's own thresholds say it is, although its
procedure lost it. They only ever turn a ``deleted`` case into a findable one or accept one
more span, so they can only remove a "wrong" verdict. :mod:`truth` applies them.

1. :func:`rejoin_in_place` — a long passage edited in place counts only its largest *cluster*
   of aligned characters, clusters being split wherever the new text has more than
   ``MOVE_GAP`` (40) characters between two kept ones. An insertion of 41+ characters in the
   middle of a 500-character passage (a row added to a fee table, a running header where the
   page now breaks) thus makes it "deleted" although 80–98 % of it is kept, in order, in one
   place. Consecutive in-place clusters are joined across an insertion of at most
   ``REJOIN_SHARE`` of the quote's length.
2. :func:`tight_search` — the search for a moved quote compares it with its best
   ``partial_ratio`` window *widened* by a third of the quote plus 8 characters, then runs
   ``diff_cleanupSemantic``; for a quote of a few characters the widening outweighs the quote and
   the cleanup erases its only equality ("tones," against "…levels of tones». The Bell…" keeps
   0 characters). Short quotes (under ``MOVED_MIN_NOWS`` visible characters) that kept nothing
   are compared with the window itself (:func:`best_window`); the classifier's own acceptance
   then applies (half the quote kept, context ratio ≥ ``CONTEXT_MIN_RATIO``).
3. :func:`accept_context_twins` — the alignment pairs repeated text arbitrarily where a section
   was reordered (a bibliography renumbered into author–year order): a 3-character "and" or a
   doubled DOI prefix is then "intact" on another reference's copy whose context does not agree
   (ratio < ``CONTEXT_MIN_RATIO``), while a verbatim copy with agreeing context exists. That copy
   is accepted (``occurrences``: found, not exact), as the classifier already accepts the best
   context copy of a quote it calls ``moved``.

Offsets are code points; ``span`` turns NEW code points into a span dict (:meth:`Passage.span`).
"""

from __future__ import annotations

from typing import Any

import make_update_cases as M
from passage import mark
from rapidfuzz import fuzz

#: A gap between two consecutive in-place clusters (new code points) is an insertion into the
#: passage, not a break, when it is at most this share of the quote's length (or ``MOVE_GAP``).
REJOIN_SHARE = 0.25


def found_after_all(case: dict, exact: str, name: str, **fields: Any) -> bool:
    """Record a ``deleted`` case found after all: its new ``fields`` (category, span, kept
    fraction), correction ``name``, and ``text_equal`` / ``nows_equal`` as the classifier sets
    them for the span against the quote ``exact``."""
    case.update(fields)
    mark(case, name)
    case.pop("pieces", None)
    got = case["new"]["exact"]
    case["text_equal"] = got == exact
    case["nows_equal"] = M.strip_spaces(got)[0] == M.strip_spaces(exact)[0]
    return True


def rejoin_in_place(case: dict, old: str, new: str, mapping: list[int], s: int, e: int,
                    span: Any) -> bool:
    """Make a ``deleted`` case ``edited`` when its rejoined in-place clusters keep ≥ half of it."""
    if case["category"] != "deleted":
        return False
    n = e - s
    pairs = sorted((i - s, mapping[i]) for i in range(s, e) if mapping[i] >= 0)
    reach = max(M.MOVE_GAP, REJOIN_SHARE * n)
    groups: list[list[tuple[int, int]]] = []
    for p in pairs:  # the alignment is monotone: sorted by old index is sorted by new index
        if groups and p[1] - groups[-1][-1][1] <= reach:
            groups[-1].append(p)
        else:
            groups.append([p])
    best = max(groups, key=len, default=[])
    if len(best) < M.EDITED_MIN_KEPT * n:
        return False
    chosen = [j for _, j in best]
    return found_after_all(case, old[s:e], "rejoin_in_place", category="edited", new=span(chosen),
                  kept_fraction=round(len(best) / n, 4))


def best_window(exact: str, new: str, lo: int, hi: int, dmp: Any) -> list[int]:
    """NEW code points of ``new[lo:hi]`` that keep characters of ``exact``: its best
    ``partial_ratio`` window there, diffed unwidened (``diff_cleanupSemantic`` then has the
    quote's own characters to keep, not a window three times its size)."""
    hit = fuzz.partial_ratio_alignment(exact, new[lo:hi], score_cutoff=M.SEARCH_MIN_SCORE)
    if hit is None:
        return []
    w0, w1 = lo + hit.dest_start, lo + hit.dest_end
    diffs = dmp.diff_main(exact, new[w0:w1], False)
    dmp.diff_cleanupSemantic(diffs)
    kept, j = [], w0
    for op, text in diffs:
        if op == 0:
            kept += range(j, j + len(text))
        if op != -1:
            j += len(text)
    return kept


def tight_search(case: dict, old: str, new: str, mapping: list[int], s: int, e: int, span: Any,
                 dmp: Any) -> bool:
    """Make a short ``deleted`` case ``edited``/``moved`` when its unwidened window qualifies."""
    exact = old[s:e]
    if case["category"] != "deleted" or len(M.strip_spaces(exact)[0]) >= M.MOVED_MIN_NOWS:
        return False
    kept = best_window(exact, new, 0, len(new), dmp)
    if not kept or len(kept) < M.EDITED_MIN_KEPT * len(exact):
        return False
    if M.context_ratio(old, s, e, new, kept[0], kept[-1] + 1) < M.CONTEXT_MIN_RATIO:
        return False
    overlap = any(kept[0] <= mapping[i] <= kept[-1] for i in range(s, e))  # classify's test
    return found_after_all(case, exact, "tight_search", category="edited" if overlap else "moved",
                  new=span(kept), kept_fraction=round(len(kept) / len(exact), 4))


def accept_context_twins(case: dict, old: str, new: str, s: int, e: int, mn: M.Utf16Map,
                         nows: tuple[str, list[int]], span: Any) -> bool:
    """Accept the best-context verbatim copy of an ``intact`` quote whose own context disagrees."""
    if case["category"] != "intact" or case["exact_count_new"] < 2:
        return False
    ts, te = mn.to_cp(case["new"]["start_utf16"]), mn.to_cp(case["new"]["end_utf16"])
    if M.context_ratio(old, s, e, new, ts, te) >= M.CONTEXT_MIN_RATIO:
        return False
    quote = M.strip_spaces(old[s:e])[0]
    hay, idx = nows
    occ = [(idx[k], idx[k + len(quote) - 1] + 1) for k in M.find_all(hay, quote)]
    scored = sorted(((M.context_ratio(old, s, e, new, a, b), a, b) for a, b in occ
                     if b <= ts or a >= te), reverse=True)
    if not scored or scored[0][0] < M.CONTEXT_MIN_RATIO:
        return False
    _, a, b = scored[0]
    case["occurrences"] = [span((a, b))]
    mark(case, "accept_context_twins")
    return True
