"""How well one candidate place fits an annotation: quote, context and position evidence.

A candidate is a span of the match view (see :mod:`tether.resolve.normalize`). Its evidence:

* ``quote_sim`` = 1 − edits / quote length (both in view characters, whitespace ignored);
* ``prefix_sim`` / ``suffix_sim`` = how well the stored context matches the text right before /
  after the candidate (1 − edits / context length), None when the annotation stored none;
* ``distance`` = code points between the candidate's start and the stored position (None when
  there is no usable stored position).

The combined ``score`` uses Hypothesis's weights (quote 50, prefix 20, suffix 20, position 2) so
figures are comparable with what users know, but only over the parts the annotation has, and
with the position part spread over the whole document: after an edit the stored offset is only a
rough hint, so it may break ties, never outvote text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from tether.resolve.index import DocumentIndex
from tether.resolve.normalize import fit_whitespace
from tether.resolve.result import Method

QUOTE_WEIGHT = 50.0
CONTEXT_WEIGHT = 20.0
POSITION_WEIGHT = 2.0
#: Verbatim runs (:attr:`Match.run`) this long are checked for uniqueness in the document; below
#: it they are too short to matter to any rule.
RUN_CHECKED = 16
#: The stored context may be compared with a few characters more or fewer of document text, so
#: an insertion or deletion right next to the quote costs one edit, not a shifted comparison.
CONTEXT_SLACK = 4


# Not frozen (treat as immutable; equality and hash stay those of the fields): a frozen
# dataclass sets each of its 13 fields through ``object.__setattr__`` (~3 µs per Match against
# ~0.7 µs), and every occurrence scored builds one.
@dataclass(slots=True, unsafe_hash=True)
class Match:
    """One candidate with its evidence. ``view_*`` are match-view indices; ``start``/``end`` are
    code points in the document text (whitespace fitted to the stored quote)."""

    view_start: int
    view_end: int
    start: int
    end: int
    errors: int
    quote_sim: float
    prefix_sim: float | None
    suffix_sim: float | None
    distance: int | None
    score: float
    text_score: float
    method: Method
    #: The query and document this match was found for: :attr:`run` is measured there on first
    #: read, :meth:`recurrences` counted (None: a match made without them; its run is 0).
    _run_from: tuple[Query, DocumentIndex] | None = field(default=None, compare=False,
                                                          repr=False)
    _run: int = field(default=-1, compare=False, repr=False)  # -1: not measured yet

    @property
    def run(self) -> int:
        """The longest stretch of stored text (prefix + quote + suffix, view characters) that
        agrees verbatim here, includes at least part of the quote and occurs nowhere else in the
        document (else 0): for an unchanged quote, the quote plus the context agreeing right next
        to it on both sides; for a changed one, the longer of (agreeing prefix + the quote's
        unchanged start) and (the quote's unchanged end + agreeing suffix).

        Measured on first read (:meth:`Query.run_at`): only short quotes' rules read it, and its
        uniqueness check is the dearest part of scoring a long verbatim occurrence. The answer
        does not depend on when it is measured (the index's memo only shortens the search)."""
        if self._run < 0:
            source = self._run_from
            self._run = 0 if source is None else source[0].run_at(
                source[1], self.view_start, self.view_end, self.errors)
        return self._run

    def recurrences(self, limit: int) -> int:
        """How many times the query's quote (its match-view form) occurs in the match view,
        overlapping occurrences and this one included, counted up to ``limit`` (0 for a match
        made without a document)."""
        source = self._run_from
        if source is None:
            return 0
        query, index = source
        text, quote, count, at = index.view.text, query.quote, 0, -1
        while count < limit and (at := text.find(quote, at + 1)) >= 0:
            count += 1
        return count

    def context_sides(self) -> list[float]:
        """Similarities of the context sides the annotation stored."""
        return [s for s in (self.prefix_sim, self.suffix_sim) if s is not None]


def prefix_similarity(stored: str, view: str, at: int) -> float | None:
    """Similarity of ``stored`` (a view-form prefix) to the view text ending at ``at``."""
    if not stored:
        return None
    if at >= len(stored) and view.startswith(stored, at - len(stored), at):
        return 1.0  # agrees exactly: the best of the compared lengths has no edit
    window = view[max(0, at - len(stored) - CONTEXT_SLACK) : at]
    return _best_similarity(stored, [window[len(window) - k :] for k in _lengths(stored, window)])


def suffix_similarity(stored: str, view: str, at: int) -> float | None:
    """Similarity of ``stored`` (a view-form suffix) to the view text starting at ``at``."""
    if not stored:
        return None
    if view.startswith(stored, at):
        return 1.0  # agrees exactly: the best of the compared lengths has no edit
    window = view[at : at + len(stored) + CONTEXT_SLACK]
    return _best_similarity(stored, [window[:k] for k in _lengths(stored, window)])


def _lengths(stored: str, window: str) -> range:
    hi = min(len(window), len(stored) + CONTEXT_SLACK)
    return range(min(hi, max(0, len(stored) - CONTEXT_SLACK)), hi + 1)


def _best_similarity(stored: str, pieces: list[str]) -> float:
    best = min(Levenshtein.distance(stored, p) for p in pieces)
    return max(0.0, 1.0 - best / len(stored))


def combine(
    quote_sim: float,
    prefix_sim: float | None,
    suffix_sim: float | None,
    distance: int | None,
    doc_length: int,
) -> tuple[float, float]:
    """``(score, text_score)``: weighted means over the available parts, with and without the
    position part."""
    num = QUOTE_WEIGHT * quote_sim
    den = QUOTE_WEIGHT
    if prefix_sim is not None:  # (the two sides written out: same operations in the same order)
        num += CONTEXT_WEIGHT * prefix_sim
        den += CONTEXT_WEIGHT
    if suffix_sim is not None:
        num += CONTEXT_WEIGHT * suffix_sim
        den += CONTEXT_WEIGHT
    text_score = num / den
    if distance is None:
        return text_score, text_score
    # ``max(0.0, 1.0 - distance / max(1, doc_length))`` without the two builtin calls (same
    # value: ``max`` keeps its first argument unless a later one is greater)
    pos = 1.0 - distance / (doc_length if doc_length > 1 else 1)
    return (num + POSITION_WEIGHT * (pos if pos > 0.0 else 0.0)) / (den + POSITION_WEIGHT), \
        text_score


@dataclass(slots=True, unsafe_hash=True)  # not frozen, for the same reason as Match
class Query:
    """One annotation in the form the search steps use.

    ``exact`` is the stored quote; ``quote``/``prefix``/``suffix`` its match-view forms; ``hint``
    the stored start in code points (None when absent or unusable).
    """

    exact: str
    quote: str
    prefix: str
    suffix: str
    hint: int | None

    @property
    def has_context(self) -> bool:
        return bool(self.prefix or self.suffix)

    def evaluate(
        self, index: DocumentIndex, view_start: int, view_end: int, errors: int, method: Method
    ) -> Match:
        """Evidence for the view span ``[view_start, view_end)`` matched with ``errors`` edits."""
        view = index.view
        start, end = view.to_source(view_start, view_end)
        start, end = fit_whitespace(index.source, start, end, self.exact)
        ps = prefix_similarity(self.prefix, view.text, view_start)
        ss = suffix_similarity(self.suffix, view.text, view_end)
        qs = 1.0 - errors / len(self.quote)
        qs = qs if qs > 0.0 else 0.0  # max(0.0, qs) without the call
        distance = None if self.hint is None else abs(start - self.hint)
        score, text_score = combine(qs, ps, ss, distance, len(index.source))
        return Match(view_start, view_end, start, end, errors, qs, ps, ss, distance, score,
                     text_score, method, (self, index))

    def run_at(self, index: DocumentIndex, view_start: int, view_end: int, errors: int) -> int:
        """:attr:`Match.run` of the view span ``[view_start, view_end)`` matched with
        ``errors`` edits."""
        view = index.view.text
        before = common_end(self.prefix, view, view_start)
        after = common_start(self.suffix, view, view_end)
        if errors == 0:
            a, b = view_start - before, view_end + after
        else:
            found = view[view_start:view_end]
            head = common_start(self.quote, found, 0)
            tail = common_end(self.quote, found, len(found))
            if before + head >= tail + after:
                a, b = view_start - before, view_start + head
            else:
                a, b = view_end - tail, view_end + after
        # A stretch found elsewhere too (a DOI prefix, a repeated formula) says nothing about
        # *this* place; only a unique one counts, like a verbatim quote standing on its own.
        if b - a >= RUN_CHECKED and index.occurs_more_than_once(view[a:b]):
            return 0
        return b - a


def common_end(stored: str, view: str, at: int) -> int:
    """Length of the longest common end of ``stored`` and ``view[:at]``."""
    lo, hi = 0, min(len(stored), at)
    if hi <= 0:
        return 0
    if stored.endswith(view[at - hi : at]):
        return hi  # the whole overlap agrees (the common case: one comparison)
    while lo < hi:  # binary search on slice equality: C-speed comparisons, O(log n) of them
        mid = (lo + hi + 1) // 2
        if stored[len(stored) - mid :] == view[at - mid : at]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def common_start(stored: str, view: str, at: int) -> int:
    """Length of the longest common start of ``stored`` and ``view[at:]``."""
    lo, hi = 0, min(len(stored), len(view) - at)
    if hi <= 0:
        return 0
    if stored.startswith(view[at : at + hi]):
        return hi  # the whole overlap agrees (the common case: one comparison)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stored[:mid] == view[at : at + mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo
