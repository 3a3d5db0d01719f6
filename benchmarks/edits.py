"""Mechanical text edits with offset tracking, span sampling and Hypothesis-style selectors.

All offsets here are **code points** of a document's whole text (pages concatenated, no
separator) unless a name ends in ``16`` (UTF-16 code units, what Hypothesis stores).

An :class:`EditSet` holds non-touching edits ``[start, end) → text`` of one text. Points that
must be tracked (span boundaries, page starts) are *protected*: no edit may straddle one. A
tracked point maps to the new text with :meth:`EditSet.map`; an insertion exactly at the point
goes before it (``side="after"``: a span start or a page start keeps the inserted text in
front) or after it (``side="before"``: a span end).
"""

from __future__ import annotations

import bisect
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from peers import from_units, to_units

from tether.offsets import Utf16Index

#: Hypothesis's ``describe()`` context length (UTF-16 units each side, from the whole text).
CONTEXT = 32


@dataclass(frozen=True, order=True)
class Edit:
    start: int
    end: int
    text: str = ""

    @property
    def delta(self) -> int:
        return len(self.text) - (self.end - self.start)


class EditSet:
    """Non-touching edits of ``text`` (two edits may not overlap or share an end point)."""

    def __init__(self, text: str, protect: Sequence[int] = ()) -> None:
        self.text = text
        self.edits: list[Edit] = []
        self._starts: list[int] = []
        self.protected = sorted(set(protect))

    def protect(self, *points: int) -> None:
        for p in points:
            bisect.insort(self.protected, p)

    def can(self, start: int, end: int) -> bool:
        if not 0 <= start <= end <= len(self.text):
            return False
        i = bisect.bisect_right(self.protected, start)
        if i < len(self.protected) and self.protected[i] < end:
            return False  # would straddle a tracked point
        k = max(0, bisect.bisect_left(self._starts, start) - 1)
        while k < len(self.edits) and self.edits[k].start <= end:
            e = self.edits[k]
            if max(e.start, start) <= min(e.end, end):
                return False
            k += 1
        return True

    def add(self, start: int, end: int, text: str) -> bool:
        """Add the edit if it conflicts with nothing; returns whether it was added."""
        if (start == end and not text) or not self.can(start, end):
            return False
        k = bisect.bisect_left(self._starts, start)
        self.edits.insert(k, Edit(start, end, text))
        self._starts.insert(k, start)
        return True

    def apply(self) -> str:
        out, pos = [], 0
        for e in self.edits:
            out.append(self.text[pos : e.start])
            out.append(e.text)
            pos = e.end
        out.append(self.text[pos:])
        return "".join(out)

    def map(self, p: int, side: str) -> int:
        """New offset of tracked point ``p`` (``side``: ``"after"`` or ``"before"`` an
        insertion at ``p``)."""
        d = 0
        for e in self.edits:
            if e.start > p:
                break
            if e.start < p < e.end:
                raise ValueError(f"edit {e} straddles tracked point {p}")
            if e.end < p or (e.end == p and (e.start < e.end or side == "after")):
                d += e.delta
        return p + d

    def placed(self, edit_start: int) -> int:
        """Where the replacement text of the edit starting at ``edit_start`` begins in the
        new text."""
        d = 0
        for e in self.edits:
            if e.start >= edit_start:
                break
            d += e.delta
        return edit_start + d

    def count_inside(self, s: int, e: int) -> int:
        return sum(1 for x in self.edits if s <= x.start and x.end <= e
                   and not (x.start == x.end and x.start in (s, e)))


def page_starts(pages: Sequence[str]) -> list[int]:
    out, n = [], 0
    for t in pages:
        out.append(n)
        n += len(t)
    return out


def split_pages(edits: EditSet, starts: Sequence[int], new_text: str) -> list[str]:
    bounds = [edits.map(p, "after") for p in starts] + [len(new_text)]
    bounds[0] = 0
    return [new_text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


# ----------------------------------------------------------------------------- words
def is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def word_starts(text: str, lo: int, hi: int) -> list[int]:
    """Positions in [lo, hi) where a word starts: after a space, at the text's start, or at a
    CJK character (CJK text has no spaces between words)."""
    out = []
    for i in range(lo, hi):
        c = text[i]
        if c.isspace():
            continue
        if i == 0 or text[i - 1].isspace() or is_cjk(c) or is_cjk(text[i - 1]):
            out.append(i)
    return out


def word_ends(text: str, lo: int, hi: int, boundary: int) -> list[int]:
    """Positions in (lo, hi] where a word ends: before a space, at ``boundary`` (the page's
    end: pages are joined with no separator), or at a CJK character."""
    out = []
    for i in range(lo + 1, hi + 1):
        c = text[i - 1]
        if c.isspace():
            continue
        if i == boundary or i == len(text) or text[i].isspace() or is_cjk(c) or is_cjk(text[i]):
            out.append(i)
    return out


def nows_key(s: str) -> str:
    """Whitespace removed and case folded: how the benchmark decides whether text survived."""
    return "".join(s.split()).casefold()


# ----------------------------------------------------------------------------- spans
@dataclass
class Sampler:
    """Draws word-aligned spans inside one page, not starting at the page's first character
    (Hypothesis's position check fails there by a known quirk), keeping ``zones`` disjoint."""

    text: str
    starts: list[int]
    rng: random.Random
    margin: int = 150

    def __post_init__(self) -> None:
        self.zones: list[tuple[int, int]] = []
        self.ends = self.starts[1:] + [len(self.text)]

    def free(self, a: int, b: int) -> bool:
        return all(b <= z0 or z1 <= a for z0, z1 in self.zones)

    def reserve(self, a: int, b: int) -> None:
        self.zones.append((a, b))

    def span(self, min_len: int, max_len: int, tries: int = 60,
             accept=None) -> tuple[int, int] | None:
        weights = [max(0, e - s - min_len) for s, e in zip(self.starts, self.ends, strict=True)]
        if not any(weights):
            return None
        for _ in range(tries):
            p = self.rng.choices(range(len(self.starts)), weights)[0]
            lo, hi = self.starts[p], self.ends[p]
            length = self.rng.randint(min_len, max_len)
            a = self.rng.randint(lo + 1, max(lo + 1, hi - min_len))
            ws = word_starts(self.text, a, min(hi, a + 40))
            if not ws:
                continue
            s = ws[0]
            ends = word_ends(self.text, s, min(hi, s + max_len), hi)
            ends = [e for e in ends if e - s >= min_len]
            if not ends:
                continue
            e = min(ends, key=lambda x: abs(x - s - length))
            if not self.free(s - self.margin, e + self.margin):
                continue
            if accept is not None and not accept(s, e):
                continue
            self.reserve(s - self.margin, e + self.margin)
            return s, e
        return None

    def point(self, lo: int = 0, hi: int | None = None, avoid_page: int | None = None,
              tries: int = 60) -> int | None:
        """A free word-start position in [lo, hi) outside every zone (for insertions)."""
        hi = len(self.text) if hi is None else hi
        if hi - lo < 2:
            return None
        for _ in range(tries):
            a = self.rng.randrange(lo, hi)
            if avoid_page is not None and self.page_of(a) == avoid_page:
                continue
            ws = word_starts(self.text, a, min(hi, a + 40))
            if ws and self.free(ws[0] - self.margin, ws[0] + self.margin):
                return ws[0]
        return None

    def page_of(self, p: int) -> int:
        return bisect.bisect_right(self.starts, p) - 1


def vocabulary(text: str) -> list[str]:
    words = {w.strip(".,;:()[]\"'") for w in text.split()}
    return sorted(w for w in words if 3 <= len(w) <= 12 and w.isalpha())


# ----------------------------------------------------------------------------- selectors
class Describer:
    """Selectors for spans of one text, as Hypothesis 2022 stores them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.units = to_units(text)
        self.index = Utf16Index(text)

    def __call__(self, s: int, e: int) -> tuple[str, str, str, int, int]:
        """(exact, prefix, suffix, start16, end16) for ``text[s:e]``: context cut in UTF-16
        units from the whole text, so a prefix or suffix may hold half a surrogate pair (a
        lone surrogate in the Python string)."""
        s16, e16 = self.index.to_utf16(s), self.index.to_utf16(e)
        return (self.text[s:e], from_units(self.units[max(0, s16 - CONTEXT) : s16]),
                from_units(self.units[e16 : e16 + CONTEXT]), s16, e16)


def describe(text: str, s: int, e: int) -> tuple[str, str, str, int, int]:
    """One-off :class:`Describer` call."""
    return Describer(text)(s, e)
