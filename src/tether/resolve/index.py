"""Per-document search structures, built once and shared by every annotation resolved against it.

Why: 10,000 annotations on a 1,000-page document must not each scan the document. The match view
(:class:`~tether.resolve.normalize.KeyView`) is built eagerly (linear, cheap). The q-gram index is
built on first need (only annotations that leave step 1 use it): the view's ``GRAM_LEN``-grams
at every ``GRAM_STEP``-th position, so the index holds ``len / GRAM_STEP`` postings. A needle
then finds

* its exact occurrences by looking up, for each residue modulo ``GRAM_STEP``, its rarest gram
  (a needle of at least ``GRAM_LEN + GRAM_STEP - 1`` characters always has a gram that sits on a
  sampled position of any occurrence);
* *seeds* for approximate search: every needle gram that occurs in the index votes for the
  diagonal ``view position - needle offset``, i.e. for where the needle would start.

All positions here are **view** indices unless a name says ``source`` (code points in
``doc.text``).
"""

from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from tether.resolve.normalize import KeyView, build_view
from tether.resolve.votes import HIT_SHIFT, GramKeys, clusters
from tether.resolve.votes import ends as array_ends
from tether.textmodel.model import DocumentText

#: Characters per gram. Eight view characters (whitespace removed) is a word or two of prose,
#: rare enough that most grams have a handful of postings, short enough that a lightly edited
#: quote keeps many intact grams.
GRAM_LEN = 8
#: Index every third view position: a third of the memory and build time of a full index; exact
#: search still works for needles of ``GRAM_LEN + GRAM_STEP - 1`` characters and more, and a
#: region of an edited quote votes as soon as it keeps ten characters intact.
GRAM_STEP = 3
#: A gram with more postings than this (a running header, ``"function"`` in a CS text) says
#: nothing about where a needle is; it is skipped as a seed.
MAX_POSTINGS = 64
#: Clusters of votes measured per needle (the biggest by hit count); callers use a handful.
MAX_REGIONS_MEASURED = 24
#: Needles at least this long (characters) are voted for through numpy
#: (:mod:`tether.resolve.votes`): a fixed ~50 µs of array calls, against ~1 µs per needle
#: character for the dict loop (measured on the yellow paper: equal at ~120 characters).
NUMPY_NEEDLE = 128
#: Long needles a document votes for through the dict before its numpy keys are built.
NUMPY_AFTER = 8
#: Needles shorter than this cannot be found through the sampled index.
MIN_INDEXED_NEEDLE = GRAM_LEN + GRAM_STEP - 1
#: Exact search looks up this many candidate grams per residue and uses the rarest.
RAREST_OF = 16
#: Running headers and footers: a text of ``FURNITURE_GRAM`` view characters found within
#: ``FURNITURE_EDGE`` view characters of the start or end of at least ``FURNITURE_MIN_PAGES``
#: pages and ``FURNITURE_MIN_SHARE`` of all pages. Sixteen characters is longer than most
#: words; the share keeps a phrase that happens to open three pages of a short text (measured:
#: "…al quantification" in a 7-page lecture note) from counting as a header, while alternating
#: even/odd headers still do.
FURNITURE_GRAM = 16
FURNITURE_EDGE = 160
FURNITURE_MIN_PAGES = 4
FURNITURE_MIN_SHARE = 0.4


class DocumentIndex:
    """The match view of ``doc.text`` plus a lazily built gram index over it."""

    def __init__(self, doc: DocumentText, fold: bool = True) -> None:
        self.doc = doc
        self.fold = fold
        self.source = doc.text
        self.view: KeyView = build_view(self.source, fold)
        # The last ``regions`` query and its answer: steps 3 and 4 ask the same one in a row.
        self._last_regions: tuple[tuple[str, int, int, int], tuple[Region, ...]] | None = None
        self._last_hits: tuple[tuple[str, int], tuple[list[int], list[int]]] | None = None
        self._last_hits_np: tuple[tuple[str, int], Any] | None = None
        self._last_unique: str | None = None  # the last needle find_exact found exactly once
        self._long_votes = 0  # long needles voted for so far (see array_keys)

    @cached_property
    def grams(self) -> dict[str, list[int]]:
        """Gram → sorted view positions (multiples of ``GRAM_STEP``)."""
        text = self.view.text
        table: dict[str, list[int]] = {}
        add = table.setdefault  # one call per gram: ~10 % faster than get, test, then set
        # The build makes tens of thousands of lists, none in a cycle: the cyclic collector
        # would run dozens of times over every object of the process for nothing (measured:
        # up to half the build time in a process holding a text model).
        collecting = gc.isenabled()
        gc.disable()
        try:
            for i in range(0, len(text) - GRAM_LEN + 1, GRAM_STEP):
                add(text[i : i + GRAM_LEN], []).append(i)
        finally:
            if collecting:
                gc.enable()
        return table

    def array_keys(self, build: bool = False) -> GramKeys | None:
        """:attr:`gram_keys` when built; with ``build``, built once this document has asked for
        ``NUMPY_AFTER`` long needles' votes (its one-off cost, ~5 ms per 150,000 characters,
        pays off only over several). Either way the answers are the same."""
        if "gram_keys" in self.__dict__:
            return self.gram_keys
        if not build:
            return None
        self._long_votes += 1
        return self.gram_keys if self._long_votes >= NUMPY_AFTER else None

    @cached_property
    def gram_keys(self) -> GramKeys | None:
        """The sampled grams as sorted numpy keys, for the votes (:mod:`tether.resolve.votes`);
        None without numpy or for a view of more than 255 distinct characters."""
        return GramKeys.build(self.view.text, GRAM_LEN, GRAM_STEP)

    @cached_property
    def page_starts(self) -> list[int]:
        """The view index where each page's text starts, in page order (non-decreasing; an
        empty page starts where the next one does)."""
        view = self.view
        return [view.from_source(page.start) for page in self.doc.pages]

    @cached_property
    def furniture(self) -> frozenset[str]:
        """``FURNITURE_GRAM``-character view texts repeated at the edges of several pages.

        Why: Hypothesis 2022 cut 32 characters of context from the whole document text, so a
        context near a page break holds the next page's running header (``"ETHEREUM: A SECURE
        DECENTRA…"``). In a new version the page breaks move, and that header then "agrees" with
        the text beside the wrong occurrence. Context beyond such text is not evidence.
        """
        view = self.view
        seen: Counter[str] = Counter()  # pages whose edges hold each gram (counted in C)
        for page in self.doc.pages:
            a, b = view.from_source(page.start), view.from_source(page.end)
            grams: set[str] = set()
            for lo, hi in ((a, min(b, a + FURNITURE_EDGE)), (max(a, b - FURNITURE_EDGE), b)):
                edge = view.text[lo:hi]
                grams.update(edge[i : i + FURNITURE_GRAM]
                             for i in range(len(edge) - FURNITURE_GRAM + 1))
            seen.update(grams)
        least = max(FURNITURE_MIN_PAGES, FURNITURE_MIN_SHARE * len(self.doc.pages))
        return frozenset(g for g, n in seen.items() if n >= least)

    def trim_prefix(self, prefix: str) -> str:
        """The part of a view-form prefix after the last running header/footer text in it."""
        furniture = self.furniture
        if not _holds_any(prefix, furniture):
            return prefix
        for i in range(len(prefix) - FURNITURE_GRAM, -1, -1):
            if prefix[i : i + FURNITURE_GRAM] in furniture:
                return prefix[i + FURNITURE_GRAM :]
        return prefix

    def trim_suffix(self, suffix: str) -> str:
        """The part of a view-form suffix before the first running header/footer text in it."""
        furniture = self.furniture
        if not _holds_any(suffix, furniture):
            return suffix
        for i in range(len(suffix) - FURNITURE_GRAM + 1):
            if suffix[i : i + FURNITURE_GRAM] in furniture:
                return suffix[:i]
        return suffix

    def find_exact(self, needle: str) -> list[int]:
        """Every start (view index) where ``needle`` occurs in the view, overlaps included."""
        starts = sorted(self._occurrences(needle, None))
        if len(starts) == 1:
            self._last_unique = needle
        return starts

    def occurs_more_than_once(self, needle: str) -> bool:
        """Whether ``needle`` occurs twice or more in the view (``len(find_exact(needle)) > 1``,
        stopping at the second occurrence: in repetitive text — dot leaders, a document that
        repeats itself — a needle can have thousands of postings to verify).

        Shortcut, exact: a needle holding the last needle :meth:`find_exact` found exactly once
        occurs at most once (each occurrence of it would place that one at a different start).
        The common asker holds it: the stretch of stored text agreeing around a verbatim quote
        just found once."""
        unique = self._last_unique
        if unique is not None and unique in needle:
            return False
        return len(self._occurrences(needle, 2)) > 1

    def _occurrences(self, needle: str, limit: int | None) -> set[int]:
        """Starts of ``needle`` in the view (all of them, or at least ``limit`` when there are
        that many)."""
        text = self.view.text
        if len(needle) < MIN_INDEXED_NEEDLE:
            if limit is None:
                return set(find_all(text, needle))
            first = text.find(needle)
            return set() if first < 0 else {first} | (
                {second} if (second := text.find(needle, first + 1)) >= 0 else set())
        get = self.grams.get
        starts: set[int] = set()
        last = len(needle) - GRAM_LEN
        for residue in range(GRAM_STEP):
            # Any occurrence starting at s with (s + residue) % GRAM_STEP == 0 puts *every* needle
            # offset of this residue on a sampled view position, so any of those grams' postings
            # lists all such occurrences (each is then verified): the rarest of the first few
            # is taken for speed, and a gram with no posting rules the whole residue out.
            # (The first gram is looked at apart: it is usually unique, or absent.)
            chosen = get(needle[residue : residue + GRAM_LEN])
            if chosen is None:
                continue
            at = residue
            if len(chosen) > 1:
                for i in range(residue + GRAM_STEP,
                               min(last + 1, residue + RAREST_OF * GRAM_STEP), GRAM_STEP):
                    postings = get(needle[i : i + GRAM_LEN])
                    if postings is None:
                        chosen = None
                        break
                    if len(postings) < len(chosen):
                        chosen, at = postings, i
                        if len(postings) == 1:
                            break
            for p in chosen or ():
                s = p - at
                if s >= 0 and text.startswith(needle, s):
                    starts.add(s)
                    if limit is not None and len(starts) >= limit:
                        return starts
        return starts

    def regions(self, needle: str, origin: int, end: int, tolerance: int) -> list[Region]:
        """Where ``needle[origin:end]`` (the quote in ``prefix + quote + suffix``) would start,
        by the votes of ``needle``'s grams.

        Every gram of ``needle`` with at most ``MAX_POSTINGS`` postings votes for the diagonal
        ``posting - (offset - origin)``. Votes within ``tolerance`` of each other (an insertion
        or deletion shifts the diagonal by its length) form one region; a region's ``votes`` is
        the number of distinct needle offsets behind it. Most-voted first.
        """
        memo = (needle, origin, end, tolerance)
        if self._last_regions is not None and self._last_regions[0] == memo:
            return list(self._last_regions[1])
        out = self._regions(needle, origin, end, tolerance)
        self._last_regions = (memo, tuple(out))
        return out

    def _regions(self, needle: str, origin: int, end: int, tolerance: int) -> list[Region]:
        last = end - GRAM_LEN  # the last gram offset inside the quote
        if len(needle) >= NUMPY_NEEDLE and self.array_keys(build=True) is not None:
            # numpy: same regions, no Python step per hit
            found = self._hits_np(needle, origin)
            if not len(found):
                return []
            votes_of = _Votes(found, origin, last)  # one for all regions: each has its range
            out = [Region(low, high, centre, votes, votes_of, a, b)
                   for low, high, centre, votes, a, b in clusters(
                       found, _SHIFT, tolerance, MAX_REGIONS_MEASURED)]
            out.sort(key=lambda r: -r.votes)
            return out
        hits, diagonals = self._hits(needle, origin)
        if not hits:
            return []
        cuts = [k for k, (a, b) in enumerate(zip(diagonals, diagonals[1:], strict=False), 1)
                if b - a > tolerance]
        # (first, end) of each cluster in ``hits``; hits bound votes from above, so only the
        # biggest clusters are measured (stable sort: ties keep diagonal order).
        groups = sorted(zip([0, *cuts], [*cuts, len(hits)], strict=True),
                        key=lambda g: g[0] - g[1])
        mask = _OFFSET_MASK
        votes_of = _Votes(hits, origin, last)
        out = [Region(diagonals[a], diagonals[b - 1], diagonals[(a + b) // 2],
                      len({h & mask for h in hits[a:b]}), votes_of, a, b)
               for a, b in groups[:MAX_REGIONS_MEASURED]]
        out.sort(key=lambda r: -r.votes)
        return out

    def _hits_np(self, needle: str, origin: int) -> Any:
        """:meth:`_hits`'s sorted hits as a numpy array (:mod:`tether.resolve.votes`), with the
        same one-needle memo."""
        memo = self._last_hits_np
        if memo is not None and memo[0] == (needle, origin):
            return memo[1]
        keys = self.array_keys()
        assert keys is not None
        found = keys.hits(needle, origin, MAX_POSTINGS, _SHIFT)
        self._last_hits_np = ((needle, origin), found)
        return found

    def _hits(self, needle: str, origin: int) -> tuple[list[int], list[int]]:
        """``(hits, diagonals)`` of ``needle``'s voting grams, sorted by hit (a hit's needle
        offset is ``hit & _OFFSET_MASK``); the last answer is kept: steps 3 and 4 ask for the
        same needle with different tolerances."""
        if self._last_hits is not None and self._last_hits[0] == (needle, origin):
            return self._last_hits[1]
        get = self.grams.get
        # A hit is one int, diagonal << _SHIFT | offset, so one sort orders them by diagonal.
        # Comprehensions throughout: a Python loop step per needle gram costs twice as much.
        voting = [(postings, ((i - origin) << _SHIFT) - i)
                  for i in range(len(needle) - GRAM_LEN + 1)
                  if (postings := get(needle[i : i + GRAM_LEN])) is not None
                  and len(postings) <= MAX_POSTINGS]
        hits = [(p << _SHIFT) - shift for postings, shift in voting for p in postings]
        hits.sort()
        answer = hits, [h >> _SHIFT for h in hits]
        self._last_hits = ((needle, origin), answer)
        return answer


#: Needle offsets are packed in the low bits of a hit (needles are far shorter).
_SHIFT = HIT_SHIFT
_OFFSET_MASK = (1 << _SHIFT) - 1


@dataclass(slots=True)  # not frozen: see Region
class _Votes:
    """A needle's hits (sorted packed ints) and the quote's gram offsets ``origin..last``: kept
    so :attr:`Region.head` / :attr:`Region.tail` are measured only for the regions that are
    asked (most callers read a handful of the regions measured). Shared by the needle's
    regions, each of which holds its range of the hits (no copy per region)."""

    hits: Any  # list[int], or a numpy int64 array from the numpy votes
    origin: int
    last: int

    def ends(self, first: int, end: int) -> tuple[int | None, int | None]:
        """:attr:`Region.head` and :attr:`Region.tail` of the region of ``hits[first:end]``."""
        lo, hi = self.origin, self.last
        hits = self.hits[first:end]
        if not isinstance(hits, list):
            return array_ends(hits, _SHIFT, lo, hi)
        inside = sorted((o, h >> _SHIFT) for h in hits
                        if lo <= (o := h & _OFFSET_MASK) <= hi)
        if not inside:
            return None, None
        third = max(1, len(inside) // 3)
        head = sorted(d for _, d in inside[:third])
        tail = sorted(d for _, d in inside[-third:])
        return head[len(head) // 2], tail[len(tail) // 2]


# Not frozen (treat as immutable): a frozen dataclass sets each field through
# object.__setattr__, and 24 regions per query then cost ~80 µs instead of ~20 µs. Equality
# and hashing are the frozen class's (the four measured fields).
@dataclass(slots=True, unsafe_hash=True)
class Region:
    """A cluster of votes: diagonals ``low..high`` (view indices where the needle's origin would
    start), ``centre`` the median vote, ``votes`` the distinct needle offsets voting.

    ``head`` / ``tail`` are the median diagonals voted by the first / last third of the voting
    grams inside the quote (None when no gram inside the quote voted): where its start and its
    end are, even when an edit inside the quote changed its length, and robust to a stray vote
    from text repeated nearby. Measured when read.
    """

    low: int
    high: int
    centre: int
    votes: int
    evidence: _Votes | None = field(default=None, compare=False, repr=False)
    #: The region's range of ``evidence.hits``.
    first: int = field(default=0, compare=False, repr=False)
    end: int = field(default=0, compare=False, repr=False)

    def ends(self) -> tuple[int | None, int | None]:
        """``(head, tail)`` in one measurement."""
        return (None, None) if self.evidence is None else self.evidence.ends(self.first,
                                                                              self.end)

    @property
    def head(self) -> int | None:
        return self.ends()[0]

    @property
    def tail(self) -> int | None:
        return self.ends()[1]


def _holds_any(text: str, grams: frozenset[str]) -> bool:
    """Whether some ``FURNITURE_GRAM``-character piece of ``text`` is in ``grams`` (one C-level
    pass over precomputed slices: no Python step per piece)."""
    if not grams or len(text) < FURNITURE_GRAM:
        return False
    return not grams.isdisjoint(map(text.__getitem__, _gram_slices(len(text))))


@lru_cache(maxsize=256)
def _gram_slices(length: int) -> tuple[slice, ...]:
    """The slices of every ``FURNITURE_GRAM``-character piece of a text of ``length``."""
    return tuple(slice(i, i + FURNITURE_GRAM) for i in range(length - FURNITURE_GRAM + 1))


def find_all(text: str, needle: str, start: int = 0, end: int | None = None) -> list[int]:
    """Every index of ``needle`` in ``text[start:end]`` (overlaps included), as ``text`` indices."""
    out: list[int] = []
    find = text.find
    stop = len(text) if end is None else end
    pos = find(needle, start, stop)
    while pos != -1:
        out.append(pos)
        pos = find(needle, pos + 1, stop)
    return out
