"""One case's annotated passage and the evidence the truth corrections share (:mod:`truth`).

Alignment A (``make_update_cases.align``) maps each OLD code point to the NEW one it survives
as, or -1 (deleted); :func:`inverse` reads it backwards. :class:`Passage` holds a case's
annotated ``old[s:e]`` (code points) with what tells it from other text: OLD's other text that
survived (:func:`traced_elsewhere`), or a verbatim copy whose surroundings agree better with
another OLD copy of the quote (:meth:`Passage.copy_of_other`, :func:`two_sided_context`).
:func:`markers` / :func:`mark` keep a case's ``truth_fix``: the corrections that applied, joined
by ``+``. All offsets here are code points unless a name says ``utf16``.
"""

from __future__ import annotations

from functools import cached_property

import make_update_cases as M
from rapidfuzz import fuzz

#: A truth span is OLD's other text when more than this share of its visible characters are
#: aligned by A to OLD characters outside the annotated passage. A real move is a deletion plus
#: an insertion in the diff, so moved text is mostly unaligned: only chance fragments get paired
#: with other old text (a shared URL tail, "harmo-nic" in a reordered bibliography — at most
#: 0.43 of a truth span on Suite A), while a copy that survived is aligned whole (1.0 on both
#: Suite A cases). Half is the natural cut: then most of the span *is* that other text.
PRE_EXISTING_SHARE = 0.5


def markers(case: dict) -> list[str]:
    """The corrections a case's ``truth_fix`` names (``"a+b"`` when several applied)."""
    fix = case.get("truth_fix")
    return fix.split("+") if fix else []


def mark(case: dict, name: str) -> None:
    """Add correction ``name`` to the case's ``truth_fix`` (in the order they applied)."""
    names = markers(case)
    if name not in names:
        names.append(name)
    case["truth_fix"] = "+".join(names)


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
    ``old_copies``: its verbatim copies in OLD outside the passage; ``in_place``: A's in-place
    candidate. All lazy: most cases never need them."""

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

    @cached_property
    def in_place(self) -> list[int]:
        """The NEW code points (ascending) of the classifier's candidate A: the largest cluster
        (``make_update_cases.clusters``) of the passage's characters that A keeps."""
        groups = M.clusters([(i - self.s, self.mapping[i]) for i in range(self.s, self.e)
                             if self.mapping[i] >= 0])
        return sorted(j for _, j in next(iter(groups), []))

    def cp(self, x: dict) -> tuple[int, int]:
        """A span dict's (start, end) in NEW code points."""
        return self.mn.to_cp(x["start_utf16"]), self.mn.to_cp(x["end_utf16"])

    def span(self, c: list[int] | tuple[int, int]) -> dict:
        """The span dict (UTF-16 offsets, ``exact``) of NEW code points ``c``: (start, end), or
        a list of kept code points (their first to their last)."""
        ns, ne = (c[0], c[-1] + 1) if isinstance(c, list) else c
        return {"start_utf16": self.mn.to_utf16(ns), "end_utf16": self.mn.to_utf16(ne),
                "exact": self.new[ns:ne]}

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
