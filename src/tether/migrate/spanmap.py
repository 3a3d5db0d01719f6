"""Carrying one old span through an :class:`~tether.migrate.align.Alignment` (pure).

Offsets are **code points** in the old / new text. Counts of "visible" characters leave out
whitespace and invisible format characters: PDF.js's spaces come and go when a paragraph
reflows, so they say nothing about whether the words survived.

:func:`map_span` answers: which of the span's characters survived (the *kept* pieces), where the
passage now is (the largest *cluster* of kept pieces, so a passage split by a long insertion or
a half moved elsewhere maps to its larger part), how much aligned text around it agrees (the
*support*: kept characters of the span and of its 32-character context on each side, placed
consistently), and what changed inside it (:class:`Change` list, in text order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tether.migrate.align import DELETE, EQUAL, INSERT, Alignment

#: Characters that do not count as evidence: whitespace and invisible format characters (soft
#: hyphen, zero-width space / joiners, word joiner, BOM).
_INVISIBLE = re.compile(r"[\s\u00ad\u200b\u200c\u200d\u2060\ufeff]+")
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
    """Text deleted from the old span or inserted into the new one, at ``old`` / ``new``
    (code points: where the deleted text started in the old text, or where the inserted text
    starts in the new text)."""

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
    characters of the old span; ``clusters``: how many separate places the kept pieces went to;
    ``changes``: what was deleted from / inserted into the passage. ``before_kept`` /
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
    changes: tuple[Change, ...] = ()
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
        return SpanMap(start, end, None, None, 0, total, 0,
                       (Change("delete", old[start:end], start, -1),) if end > start else ())
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
    changes = _changes(al, start, end, new_start, new_end)
    return SpanMap(start, end, new_start, new_end, weights[best_k], total, len(clusters),
                   changes, *ctx)


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


def _changes(al: Alignment, start: int, end: int, new_start: int, new_end: int
             ) -> tuple[Change, ...]:
    """Deletions from ``old[start:end]`` (including kept text that went outside the new span)
    and insertions into ``new[new_start:new_end]``, in order, adjacent ones merged."""
    out: list[Change] = []

    def add(op: str, text: str, o: int, n: int) -> None:
        if out and out[-1].op == op and (out[-1].old + len(out[-1].text) == o if op == "delete"
                                         else out[-1].new + len(out[-1].text) == n):
            prev = out[-1]
            out[-1] = Change(op, prev.text + text, prev.old, prev.new)
        elif text:
            out.append(Change(op, text, o, n))

    for s in al.segments_near(start, end, new_start, new_end):
        if s.op == INSERT:
            a, b = max(s.new_start, new_start), min(s.new_end, new_end)
            if a < b:
                add("insert", al.new[a:b], s.old_start, a)
            continue
        a, b = max(s.old_start, start), min(s.old_end, end)
        if a >= b:
            continue
        if s.op == DELETE:
            add("delete", al.old[a:b], a, s.new_start)
        elif s.op == EQUAL:
            na = s.new_start + a - s.old_start
            nb = na + b - a
            # kept text mapped outside the passage (another cluster) is gone from it
            lo, hi = max(na, new_start), min(nb, new_end)
            if lo >= hi:
                add("delete", al.old[a:b], a, na)
            else:
                if na < lo:
                    add("delete", al.old[a:a + lo - na], a, na)
                if hi < nb:
                    add("delete", al.old[a + hi - na:b], a + hi - na, hi)
    return tuple(out)
