"""Corrections 4–6 of the fixtures' truth method (sessions 8–9): spans that are not the passage.

Corrections 4 and 5 take away a truth span that is not the annotated passage at all, so they can
*add* a "wrong" verdict (an anchor there was counted found); the case is re-decided without it
by the classifier's own acceptance (:func:`redecide`). Correction 6 takes away accepted spans
besides the truth that are not the passage. Each such span moves to ``not_the_passage``.
:mod:`truth` applies them.

4. :func:`pre_existing_copy` — candidate B (the quote's best fuzzy place anywhere in the new
   text) and the verbatim-recurrence fallback look only at the new text, so they can land on a
   copy of the quote that OLD already had elsewhere and that survived, while the annotated
   passage itself was deleted ("that the" of a deleted footnote placed on the main text's own
   "that the" a page earlier, whose context happens to agree). Alignment A says where each new
   character came from: a truth span more than ``PRE_EXISTING_SHARE`` of whose visible
   characters A aligns to OLD characters *outside* the annotated passage — and whose context
   agrees at least as well with that OLD text's as with the passage's — is that other text, not
   the passage. The case is re-decided without such spans by the classifier's own acceptance (an
   A ``alternatives`` span, or a verbatim copy with context ratio ≥ ``CONTEXT_MIN_RATIO`` whose
   context agrees no better with another OLD copy of the quote); failing that it is ``deleted``.
5. :func:`thin_search` (session 8) — the classifier accepts candidate B "when long enough or its
   context agrees": a quote of ``MOVED_MIN_NOWS`` (40) visible characters needs no agreeing
   context, as that many characters matching in order do not happen by chance. But it measures
   the *quote*, not what B kept of it. B can keep well under 40 characters of a longer quote —
   text that many passages share — and pass on the quote's length alone: a deleted
   bibliography entry "Mist re-lease 0.8.0, 2016. URL https://github.com/eth" (48 visible)
   placed on " 2016. URL https://github.com/eth", the tail of a *new* reference (EIP-100),
   30 visible characters of boilerplate that every 2016 GitHub reference ends with, neither
   context side agreeing. A's alignment cannot see this (the span is inserted text). A truth
   span (or ``alternatives`` span) that is B's placement, whose context ratio is under
   ``CONTEXT_MIN_RATIO`` and which keeps fewer than ``MOVED_MIN_NOWS`` visible characters of
   the quote, is not evidence of the passage: the case is re-decided as the classifier would
   without B (A's in-place candidate if it keeps >= ``EDITED_MIN_KEPT``; else a verbatim copy
   accepted as the classifier accepts one; else ``deleted``), the span kept in
   ``not_the_passage``.
6. :func:`other_copies` (session 9) — the classifier lists every other verbatim occurrence of
   the quote as ``occurrences`` and the loser of its two candidates as ``alternatives``, and the
   scoring accepts an anchor on either, without asking whether they are the passage. Many are
   OLD's other text: another "directly" of the yellow paper, the row above's "≡ s(91)I", the
   same exercise v3 already set a page earlier. :meth:`Passage.not_passage` rejects a span that
   is OLD's other text — traced by A (:func:`passage.traced_elsewhere`), or a verbatim copy A
   does not align into the passage whose context on both sides agrees better with another OLD
   copy of the quote (:meth:`Passage.copy_of_other`: a footnote quoting the passage's sentence,
   moved before it) — and an occurrence whose context ratio is under ``CONTEXT_MIN_RATIO`` and
   that holds none of the passage's own text (the classifier's own bar for a verbatim copy to
   be the passage: "(230)", now another equation's number). Such spans move to
   ``not_the_passage``. A truth span that is OLD's other text in the second way is re-decided by
   :func:`pre_existing_copy`, whose test it now shares.
"""

from __future__ import annotations

from typing import Any

import make_update_cases as M
from passage import Passage, mark

#: The fields the classifier sets for a decided span; a re-decided case gets them anew.
REDECIDED_FIELDS = ("alternatives", "occurrences", "text_equal", "nows_equal", "context_ratio")


def verbatim_fields(case: dict, p: Passage, rejected: list[dict]) -> list[dict]:
    """A re-decided case's ``text_equal`` / ``nows_equal`` / ``occurrences`` as the classifier
    sets them, for its new span if it has one: every other verbatim copy that may be the
    passage (:meth:`Passage.not_passage`); the ones that may not and are not in ``rejected``
    already, to be listed as ``not_the_passage``."""
    if not case["new"]:
        return []
    got = case["new"]["exact"]
    case["text_equal"] = got == p.exact
    case["nows_equal"] = M.strip_spaces(got)[0] == p.nows_q
    ns, ne = p.cp(case["new"])
    seen = {p.cp(x) for x in rejected}
    others, more = [], []
    for o in p.occ:
        if o[1] <= ns or o[0] >= ne:
            x = p.span(o)
            bad = p.not_passage(x, occurrence=True)
            if not bad:
                others.append(x)
            elif o not in seen:
                more.append(bad)
    if others:
        case["occurrences"] = others
    return more


def redecide(case: dict, p: Passage, rejected: list[dict], name: str,
             edited: tuple[dict, float] | None, copies: list[tuple[float, tuple[int, int]]]
             ) -> bool:
    """Decide a case again without the spans in ``rejected``, as the classifier decides one.

    ``edited``: the candidate left that keeps ≥ ``EDITED_MIN_KEPT`` of the quote (span dict,
    kept fraction), if any — the case is ``edited`` there. Else ``copies``, the quote's verbatim
    copies in NEW that may be the passage ((context ratio, code-point span), best first): the
    best one is the ``moved`` passage if its context agrees (ratio ≥ ``CONTEXT_MIN_RATIO``), or
    if it is the only one and the quote has ``MOVED_MIN_NOWS`` visible characters. Else the case
    is ``deleted``. ``rejected``, and the other copies that are not the passage, become
    ``not_the_passage``; ``truth_fix`` gains ``name``.
    """
    for key in REDECIDED_FIELDS:
        case.pop(key, None)
    if edited is not None:
        case.update(category="edited", new=edited[0], kept_fraction=edited[1])
    elif copies and (copies[0][0] >= M.CONTEXT_MIN_RATIO
                     or (len(copies) == 1 and len(p.nows_q) >= M.MOVED_MIN_NOWS)):
        ratio, o = copies[0]
        case.update(category="moved", new=p.span(o), kept_fraction=1.0,
                    context_ratio=round(ratio, 1))
    else:
        case.update(category="deleted", new=None, kept_fraction=case["in_place_fraction"])
    case["not_the_passage"] = rejected + verbatim_fields(case, p, rejected)
    mark(case, name)
    return True


def pre_existing_copy(case: dict, p: Passage) -> bool:
    """Re-decide an ``edited``/``moved`` case whose truth span is OLD's other, surviving text."""
    if case["category"] not in ("edited", "moved") or not case["new"]:
        return False
    first = p.other_text(case["new"])
    if first is None:
        return False
    rejected = [first]
    alts = []
    for x in case.get("alternatives", []):  # the loser of A and B, both keeping >= half
        src = p.other_text(x)
        if src:
            rejected.append(src)
        else:
            alts.append(x)
    old, new = p.old, p.new
    copies = []  # the quote's verbatim copies (spaces ignored) that are not OLD's other text
    for o in p.occ:
        ratio = M.context_ratio(old, p.s, p.e, new, *o)
        # A moved copy of OLD's other text is unaligned, so A cannot say whose it is; its
        # context can: one agreeing better with another OLD copy of the quote is that copy
        # (a table row moved within the table: "Amount of gas to" of Gjumpdest's row).
        x = p.span(o)
        if (x != case["new"] and not p.other_text(x)
                and all(M.context_ratio(old, *c, new, *o) <= ratio for c in p.old_copies)):
            copies.append((ratio, o))
    copies.sort(reverse=True)  # as the classifier sorts them
    edited = None
    if alts:  # the classifier's other candidate, A's (in place) or B's, keeping >= half
        cand_a = p.in_place
        a_span = (cand_a[0], cand_a[-1] + 1) if cand_a else None
        kept = "in_place_fraction" if p.cp(alts[0]) == a_span else "search_fraction"
        edited = (alts[0], case[kept])
    return redecide(case, p, rejected, "pre_existing_copy", edited, copies)


def thin_search(case: dict, p: Passage, dmp: Any) -> bool:
    """Re-decide a case whose B span (truth or alternative) rests on a few shared characters.

    Only the classifier's own decisions are looked at (no ``truth_fix``): corrections 1–4 (run
    before, :mod:`truth`) accept a span on agreeing context or on A. B is recomputed
    (``search_whole``, deterministic) only for a span whose context disagrees, so the cost is a
    handful of searches per pair.
    """
    if case["category"] not in ("edited", "moved") or not case["new"] or case.get("truth_fix"):
        return False
    old, new, s, e, cp = p.old, p.new, p.s, p.e, p.cp
    exact = p.exact

    # A span that A's in-place candidate overlaps is A's evidence too (the classifier then calls
    # it edited); only a span disjoint from it — moved, or an alternative — rests on B alone.
    cand_a = p.in_place
    spans = [x for x in (case["new"], *case.get("alternatives", []))
             if not cand_a or cp(x)[1] <= cand_a[0] or cp(x)[0] > cand_a[-1]]
    weak = [x for x in spans if M.context_ratio(old, s, e, new, *cp(x)) < M.CONTEXT_MIN_RATIO]
    if not weak:
        return False
    kept = sorted(M.search_whole(exact, new, dmp), key=lambda q: q[1])
    if not kept or len(M.strip_spaces("".join(exact[i] for i, _ in kept))[0]) >= M.MOVED_MIN_NOWS:
        return False
    b_span = (kept[0][1], kept[-1][1] + 1)
    rejected = [x for x in weak if cp(x) == b_span]
    if not rejected:
        return False
    if case["new"] not in rejected:  # only an alternative goes; the truth stands
        alts = [x for x in case["alternatives"] if x not in rejected]
        case.pop("alternatives")
        if alts:
            case["alternatives"] = alts
        case["not_the_passage"] = rejected
        mark(case, "thin_search")
        return True
    # As the classifier without B: A's largest in-place cluster, then a verbatim copy.
    edited = None
    if len(cand_a) >= M.EDITED_MIN_KEPT * (e - s):
        edited = (p.span(cand_a), round(len(cand_a) / (e - s), 4))
    scored = sorted(((M.context_ratio(old, s, e, new, *o), o) for o in p.occ), reverse=True)
    return redecide(case, p, rejected, "thin_search", edited, scored)


def other_copies(case: dict, p: Passage) -> bool:
    """Take the spans that are not the passage out of what the scoring accepts besides the truth.

    The classifier lists every other verbatim occurrence of the quote, and the loser of its two
    candidates, as ``occurrences`` / ``alternatives`` ("an anchor there is not wrong"), without
    asking whether they are the passage. Some are OLD's other text (:meth:`Passage.other_text`:
    another "directly" of the yellow paper, the same Exercise 1.2 that co519 v3 already had
    earlier), some a verbatim copy whose context disagrees (:meth:`Passage.not_passage`). They
    move to ``not_the_passage``; an anchor there is wrong.
    """
    if not case.get("new"):
        return False
    rejected = []
    for key in ("alternatives", "occurrences"):
        if key not in case:
            continue
        kept = []
        for x in case[key]:
            bad = None if x == case["new"] else p.not_passage(x, key == "occurrences")
            (rejected if bad else kept).append(bad or x)
        if kept:
            case[key] = kept
        else:
            del case[key]
    if not rejected:
        return False
    case["not_the_passage"] = [*case.get("not_the_passage", []), *rejected]
    mark(case, "other_copies")
    return True
