"""Carrying one old span through an :class:`~tether.migrate.alignment.Alignment` (pure).

Offsets are **code points** in the old / new text. Counts of "visible" characters leave out
whitespace and invisible format characters: PDF.js's spaces come and go when a paragraph
reflows, so they say nothing about whether the words survived.

:func:`map_span` answers: which of the span's characters survived (the *kept* pieces), where the
passage now is (the largest *cluster* of kept pieces, so a passage split by a long insertion or
a half moved elsewhere maps to its larger part), how much aligned text around it agrees (the
*support*: kept characters of the span and of its 32-character context on each side, placed
consistently). :func:`word_changes` says what changed inside a passage, word by word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from tether.migrate.align import SPACE_CLASS, TOKEN
from tether.migrate.alignment import Alignment

#: Characters that do not count as evidence: whitespace and invisible format characters (soft
#: hyphen, zero-width space / joiners, word joiner, BOM).
_INVISIBLE = re.compile(f"[{SPACE_CLASS}\u00ad\u200b\u200c\u200d\u2060\ufeff]+")
_EDGE_SPACE = re.compile(f"^[{SPACE_CLASS}]+|[{SPACE_CLASS}]+$")
#: Context characters each side that count towards the support (Hypothesis stores 32).
CONTEXT = 32
#: Inserted text longer than this (code points, about a few words) between two kept pieces splits
#: them into separate clusters: a passage cut by a new sentence or moved in halves is no longer
#: one passage, and only its larger part can stand for it (if it holds most of it).
MAX_GAP = 40


def visible(text: str) -> str:
    """``text`` without whitespace and invisible characters."""
    return _INVISIBLE.sub("", text)


def visible_len(text: str) -> int:
    return len(text) - sum(len(m) for m in _INVISIBLE.findall(text))




@dataclass(frozen=True, slots=True)
class Change:
    """Words deleted from the old passage or inserted into the new one; ``old`` / ``new`` are
    code points: where the change starts in the old and in the new text."""

    op: str  # "delete" | "insert"
    text: str
    old: int
    new: int

    def to_dict(self) -> dict[str, object]:
        return {"op": self.op, "text": self.text}


@dataclass(frozen=True)
class SpanMap:
    """Where ``old[old_start:old_end]`` went.

    ``new_start``/``new_end``: the passage in the new text (None when nothing survived).
    ``kept``: visible characters of the old span inside the new span; ``visible``: visible
    characters of the old span; ``clusters``: how many separate places the kept pieces went to.
    ``before_kept`` /
    ``before_visible`` (``after_…``): visible characters of the old context (32 code points)
    before (after) the span, and how many of them are kept on that side of the new span.
    """

    old_start: int
    old_end: int
    new_start: int | None
    new_end: int | None
    kept: int
    visible: int
    clusters: int
    before_kept: int = 0
    before_visible: int = 0
    after_kept: int = 0
    after_visible: int = 0

    @property
    def kept_fraction(self) -> float:
        return self.kept / self.visible if self.visible else 0.0

    @property
    def support(self) -> int:
        """Kept visible characters of the span and its context, placed consistently."""
        return self.kept + self.before_kept + self.after_kept

    def context_agrees(self, least: float) -> bool:
        """Whether at least ``least`` of each context side is kept beside the new span (a side
        with no visible context, at the document's start or end, agrees)."""
        return all(not total or kept >= least * total for kept, total in (
            (self.before_kept, self.before_visible), (self.after_kept, self.after_visible)))


def map_span(al: Alignment, start: int, end: int, *, max_gap: int = MAX_GAP,
             context: int = CONTEXT) -> SpanMap:
    """Map ``al.old[start:end]`` into ``al.new`` (see the module docstring)."""
    old, new = al.old, al.new
    total = visible_len(old[start:end])
    pieces = al.equal_in_old(start, end)
    if not pieces:
        return SpanMap(start, end, None, None, 0, total, 0)
    limit = max_gap
    clusters: list[list[tuple[int, int, int]]] = [[pieces[0]]]
    for p in pieces[1:]:
        q = clusters[-1][-1]
        if p[2] - (q[2] + q[1] - q[0]) > limit:
            clusters.append([p])
        else:
            clusters[-1].append(p)
    weights = [sum(visible_len(old[a:b]) for a, b, _ in c) for c in clusters]
    best_k = max(range(len(clusters)), key=lambda k: (weights[k], -k))
    best = clusters[best_k]
    first, last = best[0], best[-1]
    new_start, new_end = first[2], last[2] + last[1] - last[0]
    # A replaced stretch the span covers from its very start (or up to its very end) belongs to
    # the passage: take its new text too. A pure insertion at the boundary does not.
    if best_k == 0 and first[0] > start:
        before = al.equal_before(first[0])
        p_old, p_new = (before.old_end, before.new_end) if before else (0, 0)
        if p_old == start:
            new_start = p_new
    if best_k == len(clusters) - 1 and last[1] < end:
        after = al.equal_after(last[1])
        n_old, n_new = (after.old_start, after.new_start) if after else (len(old), len(new))
        if n_old == end:
            new_end = n_new
    ctx = _context_kept(al, start, end, new_start, new_end, context, limit)
    return SpanMap(start, end, new_start, new_end, weights[best_k], total, len(clusters), *ctx)


def _context_kept(al: Alignment, start: int, end: int, new_start: int, new_end: int,
                  context: int, limit: int) -> tuple[int, int, int, int]:
    """Visible characters of the old context before / after the span (``context`` code points
    each side) and how many of them are kept on the same side of the new span, within
    ``context + limit`` of it: ``(before_kept, before_visible, after_kept, after_visible)``."""
    b0 = max(0, start - context)
    e1 = min(len(al.old), end + context)
    before = after = 0
    for a, b, na in al.equal_in_old(b0, start):
        nb = na + b - a
        if nb <= new_start and new_start - nb <= context + limit:
            before += visible_len(al.old[a:b])
    for a, b, na in al.equal_in_old(end, e1):
        if na >= new_end and na - new_end <= context + limit:
            after += visible_len(al.old[a:b])
    return before, visible_len(al.old[b0:start]), after, visible_len(al.old[end:e1])


def word_changes(old: str, new: str, old_start: int = 0, new_start: int = 0
                 ) -> tuple[Change, ...]:
    """What turns passage ``old`` into ``new``, word by word (an LCS of whitespace / word
    tokens): for each changed stretch, the deleted words then the inserted ones. Stretches
    separated only by whitespace are one stretch ("a corrected" → "an amended"); stretches
    that differ only in whitespace (a reflowed line: "rules of" → "rulesof") are left out.
    Offsets are shifted by ``old_start`` / ``new_start`` (code points)."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    a_at, b_at = [0], [0]
    for t in a:
        a_at.append(a_at[-1] + len(t))
    for t in b:
        b_at.append(b_at[-1] + len(t))
    regions: list[list[int]] = []  # [a0, a1, b0, b1] in tokens
    for o in Indel.opcodes(a, b):
        if o.tag == "equal":
            continue
        if regions and not visible(old[a_at[regions[-1][1]]:a_at[o.src_start]]):
            regions[-1][1], regions[-1][3] = o.src_end, o.dest_end
        else:
            regions.append([o.src_start, o.src_end, o.dest_start, o.dest_end])
    out: list[Change] = []
    for a0, a1, b0, b1 in regions:
        gone, came = old[a_at[a0]:a_at[a1]], new[b_at[b0]:b_at[b1]]
        if visible(gone) == visible(came):
            continue
        for op, text in (("delete", gone), ("insert", came)):
            text = _EDGE_SPACE.sub("", text)
            if text:
                out.append(Change(op, text, old_start + a_at[a0], new_start + b_at[b0]))
    return tuple(out)
