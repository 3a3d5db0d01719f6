"""The result of aligning two versions of a text: diff operations placed in both, with lookups.

Pure (no IO). Every offset here is a **code point** index into the ``old`` or ``new`` string
(Python ``str`` indices). :func:`tether.migrate.align.align_texts` makes an :class:`Alignment`;
:mod:`tether.migrate.spanmap` and :mod:`tether.migrate.core` read it through the lookups
(:meth:`Alignment.equal_in_old`, :meth:`~Alignment.equal_in_new`, :meth:`~Alignment.slot`, …).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["DELETE", "EQUAL", "INSERT", "AlignStats", "Alignment", "Op", "Segment"]

DELETE, EQUAL, INSERT = -1, 0, 1
#: One diff operation as diff-match-patch has it: (DELETE | EQUAL | INSERT, text).
Op = tuple[int, str]


@dataclass(frozen=True)
class AlignStats:
    """How an alignment went. Character counts are code points.

    ``token_splits``: token stretches cut at unique anchors because a direct LCS would not fit
    in the time left; ``token_given_up``: token stretches left unaligned (no anchors, no time);
    ``regions``: changed regions with text on both sides; ``regions_refined``: those aligned
    character by character; ``regions_skipped``: those left as replacements for lack of time.
    """

    old_chars: int
    new_chars: int
    kept_chars: int
    seconds: float
    token_splits: int = 0
    token_given_up: int = 0
    regions: int = 0
    regions_refined: int = 0
    regions_skipped: int = 0

    @property
    def complete(self) -> bool:
        """True when the time guard gave nothing up."""
        return not (self.token_given_up or self.regions_skipped)

    def to_dict(self) -> dict[str, object]:
        return {"old_chars": self.old_chars, "new_chars": self.new_chars,
                "kept_chars": self.kept_chars, "seconds": round(self.seconds, 3),
                "complete": self.complete, "token_splits": self.token_splits,
                "token_given_up": self.token_given_up, "regions": self.regions,
                "regions_refined": self.regions_refined,
                "regions_skipped": self.regions_skipped}


@dataclass(frozen=True, slots=True)
class Segment:
    """One diff operation placed in both texts: ``old[old_start:old_end]`` (empty for an insert)
    and ``new[new_start:new_end]`` (empty for a delete); ``op`` is DELETE, EQUAL or INSERT."""

    op: int
    old_start: int
    old_end: int
    new_start: int
    new_end: int


@dataclass
class Alignment:
    """The alignment of ``old`` and ``new``: diff operations in order, with offset lookups.

    Invariant: the EQUAL segments' old ranges and new ranges are both increasing and hold equal
    text; DELETE segments cover every other old character, INSERT segments every other new one.
    """

    old: str
    new: str
    segments: list[Segment]
    stats: AlignStats
    _eq: list[Segment] = field(init=False, repr=False)
    _eq_old: list[int] = field(init=False, repr=False)
    _eq_new: list[int] = field(init=False, repr=False)
    _seg_old: list[int] = field(init=False, repr=False)
    _seg_new: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._eq = [s for s in self.segments if s.op == EQUAL]
        self._eq_old = [s.old_start for s in self._eq]
        self._eq_new = [s.new_start for s in self._eq]
        self._seg_old = [s.old_start for s in self.segments]
        self._seg_new = [s.new_start for s in self.segments]

    @classmethod
    def from_diffs(cls, old: str, new: str, diffs: Sequence[Op], stats: AlignStats
                   ) -> Alignment:
        segments, i, j = [], 0, 0
        for op, text in diffs:
            n = len(text)
            if not n:
                continue
            if op == EQUAL:
                segments.append(Segment(EQUAL, i, i + n, j, j + n))
                i, j = i + n, j + n
            elif op == DELETE:
                segments.append(Segment(DELETE, i, i + n, j, j))
                i += n
            else:
                segments.append(Segment(INSERT, i, i, j, j + n))
                j += n
        if (i, j) != (len(old), len(new)):
            raise ValueError("the diff does not cover both texts")
        return cls(old, new, segments, stats)

    def equal_in_old(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Kept pieces of ``old[start:end]`` as ``(old_start, old_end, new_start)``, in order."""
        return [(a, b, s.new_start + a - s.old_start)
                for s, a, b in self._clip(self._eq, self._eq_old, start, end, old=True)]

    def equal_in_new(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Kept pieces of ``new[start:end]`` as ``(new_start, new_end, old_start)``, in order."""
        return [(a, b, s.old_start + a - s.new_start)
                for s, a, b in self._clip(self._eq, self._eq_new, start, end, old=False)]

    def equal_before(self, old_pos: int) -> Segment | None:
        """The last EQUAL segment ending at or before ``old_pos``."""
        k = bisect.bisect_right(self._eq_old, old_pos) - 1
        while k >= 0 and self._eq[k].old_end > old_pos:
            k -= 1
        return self._eq[k] if k >= 0 else None

    def equal_after(self, old_pos: int) -> Segment | None:
        """The first EQUAL segment starting at or after ``old_pos``."""
        k = bisect.bisect_left(self._eq_old, old_pos)
        return self._eq[k] if k < len(self._eq) else None

    def slot(self, start: int, end: int) -> tuple[int, int]:
        """Where ``old[start:end]`` sits in the new text: from the new position of ``start``
        (or, if ``start`` is not kept, the end of the kept text before it) to the new position
        of ``end`` (or the start of the kept text after it). Code points."""
        k = bisect.bisect_right(self._eq_old, start) - 1
        if k >= 0 and self._eq[k].old_end > start:
            lo = self._eq[k].new_start + start - self._eq[k].old_start
        else:
            lo = self._eq[k].new_end if k >= 0 else 0
        k = bisect.bisect_right(self._eq_old, end) - 1
        if k >= 0 and self._eq[k].old_end >= end:
            hi = self._eq[k].new_start + end - self._eq[k].old_start
        else:
            hi = self._eq[k + 1].new_start if k + 1 < len(self._eq) else len(self.new)
        return lo, max(lo, hi)

    @staticmethod
    def _clip(eq: list[Segment], starts: list[int], start: int, end: int, *, old: bool
              ) -> list[tuple[Segment, int, int]]:
        out = []
        k = max(bisect.bisect_right(starts, start) - 1, 0)
        while k < len(eq):
            s = eq[k]
            s0, s1 = (s.old_start, s.old_end) if old else (s.new_start, s.new_end)
            if s0 >= end:
                break
            a, b = max(s0, start), min(s1, end)
            if a < b:
                out.append((s, a, b))
            k += 1
        return out
