"""Corrections of the fixtures' truth method (``scripts/make_update_cases.py``) for DEV.

``make_update_cases.classify`` decides each case from a whole-text alignment. Auditing DEV's
wrong anchors (session 5) found three ways it misjudges a passage that a reader would call the
same; corrections 1–3 below use the classifier's own thresholds and only ever turn a ``deleted``
case into a findable one or accept one more span, so they can only remove a "wrong" verdict.
Corrections 4 and 5 (session 8) go the other way: a truth span that is not the annotated passage
at all is taken away, so it can *add* a "wrong" verdict (an anchor there was counted found).
Correction 6 (session 9) takes away accepted spans besides the truth that are not the passage.
Correction 7 (session 10) moves a truth span from a verbatim copy that is not the passage to the
passage's edited form. The acceptance fixtures (``fixtures/updates``) carry the same corrections
(``suite_a_truth.py --write``: since session 6, 6 of 1,350 cases :func:`rejoin_in_place`; since
session 8, 2 more :func:`pre_existing_copy` and 1 :func:`thin_search`, which also takes a span
away; since session 9, 5 :func:`other_copies` and 1 more :func:`pre_existing_copy`, a verbatim
copy whose context says it is another old copy's). A case's ``truth_fix`` names every correction
that applied, joined by ``+`` (:func:`markers`).

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
   are compared with the window itself; the classifier's own acceptance then applies (half the
   quote kept, context ratio ≥ ``CONTEXT_MIN_RATIO``).
3. :func:`accept_context_twins` — the alignment pairs repeated text arbitrarily where a section
   was reordered (a bibliography renumbered into author–year order): a 3-character "and" or a
   doubled DOI prefix is then "intact" on another reference's copy whose context does not agree
   (ratio < ``CONTEXT_MIN_RATIO``), while a verbatim copy with agreeing context exists. That copy
   is accepted (``occurrences``: found, not exact), as the classifier already accepts the best
   context copy of a quote it calls ``moved``.
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
   is OLD's other text — traced by A (:func:`traced_elsewhere`), or a verbatim copy A does not
   align into the passage whose context on both sides agrees better with another OLD copy of
   the quote (:meth:`Passage.copy_of_other`: a footnote quoting the passage's sentence, moved
   before it) — and an occurrence whose context ratio is under ``CONTEXT_MIN_RATIO`` and that
   holds none of the passage's own text (the classifier's own bar for a verbatim copy to be the
   passage: "(230)", now another equation's number). Such spans move to ``not_the_passage``. A
   truth span that is OLD's other text in the second way is re-decided by
   :func:`pre_existing_copy`, whose test it now shares.
7. :func:`across_insertion.across_insertion` (session 10, its own module) — A pairs repeated text
   arbitrarily across an insertion too: where NEW inserts, right next to the passage, text that
   holds a verbatim copy of the quote, A can keep the passage's neighbour in place, mark the
   passage's edited form inserted and pair the quote with the copy (co519 v3→v4 "∀x.(P(x)" of
   Exercise 1.1 on a new Remark's restatement; the exercise now reads "∀x.P(x)"). An ``intact``
   truth span whose context disagrees is moved to the edited form in that inserted run when it
   keeps half the quote and its context agrees (ratio ≥ ``CONTEXT_MIN_RATIO``, both sides better
   than the copy's); the copy goes to ``not_the_passage``. Since session 10: 1 DEV case, none of
   Suite A.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import make_update_cases as M
from rapidfuzz import fuzz

#: A gap between two consecutive in-place clusters (new code points) is an insertion into the
#: passage, not a break, when it is at most this share of the quote's length (or ``MOVE_GAP``).
REJOIN_SHARE = 0.25

#: A truth span is OLD's other text when more than this share of its visible characters are
#: aligned by A to OLD characters outside the annotated passage. A real move is a deletion plus
#: an insertion in the diff, so moved text is mostly unaligned: only chance fragments get paired
#: with other old text (a shared URL tail, "harmo-nic" in a reordered bibliography — at most
#: 0.43 of a truth span on Suite A), while a copy that survived is aligned whole (1.0 on both
#: Suite A cases). Half is the natural cut: then most of the span *is* that other text.
PRE_EXISTING_SHARE = 0.5


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
    case.update(category="edited", new=span(chosen), kept_fraction=round(len(best) / n, 4))
    _mark(case, "rejoin_in_place")
    case.pop("pieces", None)
    got = case["new"]["exact"]
    case["text_equal"] = got == old[s:e]
    case["nows_equal"] = M.strip_spaces(got)[0] == M.strip_spaces(old[s:e])[0]
    return True


def tight_search(case: dict, old: str, new: str, mapping: list[int], s: int, e: int, span: Any,
                 dmp: Any) -> bool:
    """Make a short ``deleted`` case ``edited``/``moved`` when its unwidened window qualifies."""
    exact = old[s:e]
    if case["category"] != "deleted" or len(M.strip_spaces(exact)[0]) >= M.MOVED_MIN_NOWS:
        return False
    hit = fuzz.partial_ratio_alignment(exact, new, score_cutoff=M.SEARCH_MIN_SCORE)
    if hit is None:
        return False
    diffs = dmp.diff_main(exact, new[hit.dest_start:hit.dest_end], False)
    dmp.diff_cleanupSemantic(diffs)
    kept, j = [], hit.dest_start
    for op, text in diffs:
        if op == 0:
            kept += range(j, j + len(text))
        if op != -1:
            j += len(text)
    if len(kept) < M.EDITED_MIN_KEPT * len(exact):
        return False
    if M.context_ratio(old, s, e, new, kept[0], kept[-1] + 1) < M.CONTEXT_MIN_RATIO:
        return False
    overlap = any(kept[0] <= mapping[i] <= kept[-1] for i in range(s, e))  # classify's test
    case.update(category="edited" if overlap else "moved", new=span(kept),
                kept_fraction=round(len(kept) / len(exact), 4))
    _mark(case, "tight_search")
    case.pop("pieces", None)
    got = case["new"]["exact"]
    case["text_equal"] = got == exact
    case["nows_equal"] = M.strip_spaces(got)[0] == M.strip_spaces(exact)[0]
    return True


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
    _mark(case, "accept_context_twins")
    return True


def inverse(mapping: list[int], new_len: int) -> list[int]:
    """Alignment A read backwards: each new code point's old code point, or -1 (inserted)."""
    inv = [-1] * new_len
    for i, j in enumerate(mapping):
        if j >= 0:
            inv[j] = i
    return inv


def traced_elsewhere(old: str, new: str, inv: list[int], s: int, e: int, a: int, b: int
                     ) -> tuple[int, int] | None:
    """The OLD span (code points) that ``new[a:b]`` is a surviving copy of, if it is one.

    More than ``PRE_EXISTING_SHARE`` of its visible characters aligned to OLD outside the
    passage ``old[s:e]``; no other copy of its text in the inserted (unaligned) run next to it —
    a diff places an insertion arbitrarily among repeats: "substituted for x in P" + "– that is
    the meaning of the phrase where t is free for x in P" may pair OLD's "for x in P" with
    either copy, so A does not say which one is new; and its context agreeing at least as well
    with that OLD text's as with the passage's (where A pairs repeated text arbitrarily — a
    reordered section — the context says which copy it is).
    """
    visible = [j for j in range(a, b) if new[j] not in M.HYPO_SPACES]
    src = [inv[j] for j in visible if inv[j] >= 0 and not s <= inv[j] < e]
    if not visible or len(src) <= PRE_EXISTING_SHARE * len(visible):
        return None
    lo, hi = a, b
    while lo > 0 and inv[lo - 1] < 0:
        lo -= 1
    while hi < len(new) and inv[hi] < 0:
        hi += 1
    text = M.strip_spaces(new[a:b])[0]
    if text in M.strip_spaces(new[lo:a])[0] or text in M.strip_spaces(new[b:hi])[0]:
        return None
    qs, qe = min(src), max(src) + 1
    if M.context_ratio(old, qs, qe, new, a, b) < M.context_ratio(old, s, e, new, a, b):
        return None
    return qs, qe


def markers(case: dict) -> list[str]:
    """The corrections a case's ``truth_fix`` names (``"a+b"`` when several applied)."""
    fix = case.get("truth_fix")
    return fix.split("+") if fix else []


def _mark(case: dict, name: str) -> None:
    """Add correction ``name`` to the case's ``truth_fix`` (in the order they applied)."""
    names = markers(case)
    if name not in names:
        names.append(name)
    case["truth_fix"] = "+".join(names)


def two_sided_context(old: str, s: int, e: int, new: str, ns: int, ne: int) -> float:
    """Both sides of :func:`make_update_cases.context_ratio` added (0..200): which of two copies
    a span's surroundings belong to, when one side alone agrees with both."""
    def cut(t: str, a: int, b: int) -> str:
        return M.strip_spaces(t[max(0, a):max(0, b)])[0]
    before = fuzz.ratio(cut(old, s - 48, s)[-32:], cut(new, ns - 48, ns)[-32:])
    after = fuzz.ratio(cut(old, e, e + 48)[:32], cut(new, ne, ne + 48)[:32])
    return before + after


class Passage:
    """One case's annotated passage ``old[s:e]`` (code points) and what tells it from other text.

    ``occ``: the quote's verbatim copies in NEW (spaces ignored; code-point spans, in order);
    ``old_copies``: its verbatim copies in OLD outside the passage. Both lazy: most cases never
    need them."""

    def __init__(self, old: str, new: str, mapping: list[int], inv: list[int], s: int, e: int,
                 mo: M.Utf16Map, mn: M.Utf16Map, nows: tuple[str, list[int]]) -> None:
        self.old, self.new, self.mapping, self.inv = old, new, mapping, inv
        self.s, self.e, self.mo, self.mn, self.nows = s, e, mo, mn, nows
        self.exact = old[s:e]
        self.nows_q = M.strip_spaces(self.exact)[0]

    @cached_property
    def occ(self) -> list[tuple[int, int]]:
        hay, idx = self.nows
        n = len(self.nows_q)
        return [(idx[k], idx[k + n - 1] + 1) for k in M.find_all(hay, self.nows_q)]

    @cached_property
    def old_copies(self) -> list[tuple[int, int]]:
        hay, idx = M.strip_spaces(self.old)
        n = len(self.nows_q)
        copies = [(idx[k], idx[k + n - 1] + 1) for k in M.find_all(hay, self.nows_q)]
        return [c for c in copies if c[1] <= self.s or c[0] >= self.e]

    def cp(self, x: dict) -> tuple[int, int]:
        return self.mn.to_cp(x["start_utf16"]), self.mn.to_cp(x["end_utf16"])

    def span(self, c: tuple[int, int]) -> dict:
        return {"start_utf16": self.mn.to_utf16(c[0]), "end_utf16": self.mn.to_utf16(c[1]),
                "exact": self.new[c[0]:c[1]]}

    def holds_passage(self, a: int, b: int) -> bool:
        """More than ``PRE_EXISTING_SHARE`` of ``new[a:b]``'s visible characters are A-aligned
        into the passage: whatever else it is, it is the passage's own text."""
        visible = [j for j in range(a, b) if self.new[j] not in M.HYPO_SPACES]
        inside = sum(self.s <= self.inv[j] < self.e for j in visible)
        return bool(visible) and inside > PRE_EXISTING_SHARE * len(visible)

    def aligned(self, oa: int, ob: int) -> bool:
        """More than ``PRE_EXISTING_SHARE`` of ``old[oa:ob]``'s visible characters survive
        where A aligns them."""
        visible = [i for i in range(oa, ob) if self.old[i] not in M.HYPO_SPACES]
        kept = sum(self.mapping[i] >= 0 for i in visible)
        return bool(visible) and kept > PRE_EXISTING_SHARE * len(visible)

    def copy_of_other(self, a: int, b: int) -> tuple[int, int] | None:
        """The OLD copy of the quote that ``new[a:b]`` — a verbatim copy A does not align into
        the passage — is, if its context (both sides) agrees better with that copy's.

        A moved copy is unaligned, so :func:`traced_elsewhere` cannot say whose it is. The
        yellow paper v2 had "the first three pairs of bytes in a Keccak-256 hash of the byte
        sequence" twice, in the text and quoted in a footnote; v3 moved the footnote before the
        text, and the whole-text search took the footnote's copy for the text's (the suffix
        agrees with both; the prefix, "…in this case is “each of", only with the footnote's).
        Only an OLD copy that A leaves unaligned (moved or deleted, as this one) counts: one that
        A aligns survived there, so it is not this copy (co519 v2 set "Exercise 1.3. Prove
        ∃x.(P ∨Q) `∃x.P ∨∃x.Q" twice; v3 keeps the second in place and moves the first, whose
        context then happens to agree a little better with the second's)."""
        if M.strip_spaces(self.new[a:b])[0] != self.nows_q or self.holds_passage(a, b):
            return None
        own = two_sided_context(self.old, self.s, self.e, self.new, a, b)
        scored = [(two_sided_context(self.old, *c, self.new, a, b), c) for c in self.old_copies
                  if not self.aligned(*c)]
        best = max(scored, default=None)
        return best[1] if best is not None and best[0] > own else None

    def other_text(self, x: dict) -> dict | None:
        """``x`` with the OLD span (``old_utf16``) it is a copy of, if it is OLD's other text."""
        a, b = self.cp(x)
        got = (traced_elsewhere(self.old, self.new, self.inv, self.s, self.e, a, b)
               or self.copy_of_other(a, b))
        return None if got is None else {**x, "old_utf16": [self.mo.to_utf16(c) for c in got]}

    def not_passage(self, x: dict, occurrence: bool) -> dict | None:
        """``x`` annotated with why it is not the passage, or None if it may be.

        Any span: OLD's other text (:meth:`other_text`). An other verbatim ``occurrence``
        besides: one whose context ratio is under ``CONTEXT_MIN_RATIO`` and which holds none of
        the passage's own text — the classifier's own bar for a verbatim copy to be the passage
        (yellow paper v1→v2 "(230)": equation 230 is now L(n)'s number, context ratio 25)."""
        got = self.other_text(x)
        if got is not None or not occurrence:
            return got
        a, b = self.cp(x)
        ratio = M.context_ratio(self.old, self.s, self.e, self.new, a, b)
        if ratio < M.CONTEXT_MIN_RATIO and not self.holds_passage(a, b):
            return {**x, "context_ratio": round(ratio, 1)}
        return None


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
        x = p.span(o)
        ratio = M.context_ratio(old, p.s, p.e, new, *o)
        # A moved copy of OLD's other text is unaligned, so A cannot say whose it is; its
        # context can: one agreeing better with another OLD copy of the quote is that copy
        # (a table row moved within the table: "Amount of gas to" of Gjumpdest's row).
        if (x != case["new"] and not p.other_text(x)
                and all(M.context_ratio(old, *c, new, *o) <= ratio for c in p.old_copies)):
            copies.append((ratio, o, x))
    copies.sort(key=lambda c: (c[0], c[1]), reverse=True)  # as the classifier sorts them
    for key in ("alternatives", "occurrences", "text_equal", "nows_equal", "context_ratio"):
        case.pop(key, None)
    if alts:  # the classifier's other candidate, A's (in place) or B's, keeping >= half
        in_place = M.clusters([(i - p.s, p.mapping[i]) for i in range(p.s, p.e)
                               if p.mapping[i] >= 0])
        cand_a = sorted(j for _, j in next(iter(in_place), []))
        a_span = (cand_a[0], cand_a[-1] + 1) if cand_a else None
        kept = ("in_place_fraction" if p.cp(alts[0]) == a_span else "search_fraction")
        case.update(category="edited", new=alts[0], kept_fraction=case[kept])
    elif copies and (copies[0][0] >= M.CONTEXT_MIN_RATIO
                     or (len(copies) == 1 and len(p.nows_q) >= M.MOVED_MIN_NOWS)):
        case.update(category="moved", new=copies[0][2], kept_fraction=1.0,
                    context_ratio=round(copies[0][0], 1))
    else:
        case.update(category="deleted", new=None, kept_fraction=case["in_place_fraction"])
    rejected += _verbatim_fields(case, p, rejected)
    case["not_the_passage"] = rejected
    _mark(case, "pre_existing_copy")
    return True


def _verbatim_fields(case: dict, p: Passage, rejected: list[dict]) -> list[dict]:
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


def thin_search(case: dict, p: Passage, dmp: Any, span: Any) -> bool:
    """Re-decide a case whose B span (truth or alternative) rests on a few shared characters.

    Only the classifier's own decisions are looked at (no ``truth_fix``): the corrections above
    accept a span on agreeing context or on A. B is recomputed (``search_whole``, deterministic)
    only for a span whose context disagrees, so the cost is a handful of searches per pair.
    """
    if case["category"] not in ("edited", "moved") or not case["new"] or case.get("truth_fix"):
        return False
    old, new, mapping, s, e, cp = p.old, p.new, p.mapping, p.s, p.e, p.cp
    exact = p.exact

    # A span that A's in-place candidate overlaps is A's evidence too (the classifier then calls
    # it edited); only a span disjoint from it — moved, or an alternative — rests on B alone.
    in_place = M.clusters([(i - s, mapping[i]) for i in range(s, e) if mapping[i] >= 0])
    cand_a = sorted(j for _, j in next(iter(in_place), []))
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
        _mark(case, "thin_search")
        return True
    for key in ("alternatives", "occurrences", "text_equal", "nows_equal", "context_ratio"):
        case.pop(key, None)
    # As the classifier without B: A's largest in-place cluster, then a verbatim copy.
    scored = sorted(((M.context_ratio(old, s, e, new, *o), o) for o in p.occ), reverse=True)
    if len(cand_a) >= M.EDITED_MIN_KEPT * (e - s):
        case.update(category="edited", new=span(cand_a),
                    kept_fraction=round(len(cand_a) / (e - s), 4))
    elif scored and (scored[0][0] >= M.CONTEXT_MIN_RATIO
                     or (len(p.occ) == 1 and len(p.nows_q) >= M.MOVED_MIN_NOWS)):
        case.update(category="moved", new=span(scored[0][1]), kept_fraction=1.0,
                    context_ratio=round(scored[0][0], 1))
    else:
        case.update(category="deleted", new=None, kept_fraction=case["in_place_fraction"])
    rejected += _verbatim_fields(case, p, rejected)
    case["not_the_passage"] = rejected
    _mark(case, "thin_search")
    return True


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
    _mark(case, "other_copies")
    return True


def refine(case: dict, old: str, new: str, mapping: list[int], mo: M.Utf16Map, mn: M.Utf16Map,
           nows: tuple[str, list[int]], dmp: Any, inv: list[int]) -> str | None:
    """Apply the corrections above to one classified case; the ones applied (``truth_fix``).

    ``inv`` is :func:`inverse` of ``mapping``. :func:`pre_existing_copy` runs on every outcome
    of 1–3 too (a span :func:`tight_search` found can be a surviving copy); :func:`thin_search`
    on the classifier's own decisions only; :func:`other_copies` last, on every case (a case
    that 4 or 5 decided is left alone by 1–5 when applied again; one that 7 decided is no
    longer ``intact``, so 7 leaves it alone).
    """
    from across_insertion import across_insertion  # its own module; it imports this one

    s, e = mo.to_cp(case["old"]["start_utf16"]), mo.to_cp(case["old"]["end_utf16"])
    passage = Passage(old, new, mapping, inv, s, e, mo, mn, nows)
    fixed = False
    if not {"pre_existing_copy", "thin_search"} & set(markers(case)):
        # (decided; tight_search would find the surviving copy again)

        def span(c: list[int] | tuple[int, int]) -> dict:
            ns, ne = (c[0], c[-1] + 1) if isinstance(c, list) else c
            return {"start_utf16": mn.to_utf16(ns), "end_utf16": mn.to_utf16(ne),
                    "exact": new[ns:ne]}

        fixed = (rejoin_in_place(case, old, new, mapping, s, e, span)
                 or tight_search(case, old, new, mapping, s, e, span, dmp)
                 or accept_context_twins(case, old, new, s, e, mn, nows, span)
                 or across_insertion(case, passage, dmp))
        fixed = pre_existing_copy(case, passage) or fixed
        fixed = thin_search(case, passage, dmp, span) or fixed
    fixed = other_copies(case, passage) or fixed
    return case["truth_fix"] if fixed else None
