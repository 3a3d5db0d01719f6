"""Landmarks from the same note: refusals placed between confidently anchored neighbours.

A note holds many annotations of one PDF. Those the cascade anchored with certainty (a verbatim
quote, found once in the new text, long enough not to recur by chance) are *landmarks*: each
pairs its stored start (old text) with its resolved start (new text). Taken in the order of the
old text, the landmarks that keep their order in the new text (the longest such chain) map the
old text onto the new one wherever an update kept the order. An annotation the cascade refused
(``ambiguous``, or ``orphaned`` with candidates) has a landmark just before and just after its
stored position; between their new places, its *bracket*, the passage should now be.

:func:`place_by_landmarks` places a refused annotation on one of the cascade's own candidates
(its ``rivals``) only when all of these hold (numbers in :class:`LandmarkRules`):

* landmarks on both sides: the nearest landmark of the chain that ends before the stored span
  and the nearest that starts after it, each with a quote found once in the new text, and the
  first ending before the second starts in the new text;
* no *displaced* landmark (one breaking the chain's order: a passage moved) has its old span
  between the two or its new span between their new places;
* the bracket kept its size: the new text between the landmarks differs in length from the
  old text between them by at most ``max_gap_change_ratio`` of the old length (plus
  ``offset_slack``);
* the candidate is the only one of the cascade's candidates in the bracket, and it is the quote
  *verbatim* (whitespace ignored), and the quote occurs verbatim exactly once in the bracket's
  new text (a changed candidate only with ``changed_candidates``, off: see there);
* it sits where the stored position puts it: its offset from the landmark before it differs
  from the stored one by at most the bracket's change in length plus ``offset_slack``;
* it is not there by chance: the quote's other copies in the document, spread evenly, would put
  at most ``max_chance_copies`` in a bracket this long.

:func:`place_chains` uses the same bracket for a heavily edited passage (session 7): an
``orphaned`` quote whose best step-4 chain has no agreeing context at either end, and keeps
between ``chain_min_coverage`` and ``chain_bare_coverage`` of the quote, is accepted when that
chain lies inside its bracket; the bracket's text may then change length by up to
``CHAIN_MAX_GAP_CHANGE_RATIO`` of itself (landmarks keep their order, so it never shrinks by more
than that). The chain itself comes from the caller (:mod:`tether.resolve.placing`).

Units: stored positions are in the annotation's own unit (``TextPosition.unit``: UTF-16 code
units for Hypothesis and Obsidian, code points when a reader says so); resolved spans are taken
in that same unit (:meth:`Resolution.span`, :meth:`Candidate.span`), so old and new offsets are
always compared in one unit. Only annotations that share a unit and a stored document
fingerprint (or all have none) are each other's landmarks: annotations made on different
versions of a PDF do not share one old text. Text slices of the new document use code points
(``Resolution.start``/``end``).

Pure: resolutions and the new text in, :class:`Placement` proposals out; the caller
(:class:`tether.resolve.placing.LandmarkPlacing`, via ``Resolver.resolve_all``) turns them
into resolutions.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from tether.offsets import OffsetUnit
from tether.resolve.describe import unit_name
from tether.resolve.normalize import strip_ignorable
from tether.resolve.result import Candidate, Resolution, Status

#: A landmark's quote has at least this many visible characters (whitespace ignored): a shorter
#: one recurs by chance too often to pin the text down (the cascade's ``SHORT_QUOTE``).
LANDMARK_MIN_QUOTE = 16
#: The new text between the two landmarks may be longer or shorter than the old text between
#: them by at most this share of the old length (plus ``OFFSET_SLACK``): where an update
#: rewrote more, a copy in the bracket is too likely new text. Measured without the limit: DEV
#: +1 intact, +2 edited more (co519-logic v1, a 292-unit bracket that grew by 641), DEV notes
#: thinned to 10–300 annotations +226 placements, no wrong one; half keeps a margin.
MAX_GAP_CHANGE_RATIO = 0.5
#: The same limit for a step-4 chain placed between landmarks (:func:`place_chains`): it keeps
#: over half of a quote of 48+ characters in rare blocks, which new text does not repeat by
#: chance, so only a bracket rewritten beyond recognition is left out: the text between the
#: landmarks more than doubled (a bracket that shrank is never left out at 1.0 — its landmarks
#: keep their order, so it cannot shrink by more than its length; the chain must still fit in
#: it). Measured against 0.5 (issue 5, session 7): Suite A
#: moved +1 (a thesis reference reformatted and moved within a bracket that grew by 84 %),
#: DEV edited +1, no wrong anchor; unlimited: DEV +2 more, no wrong anchor either; the best
#: bare chain of a deleted passage in a bracket is the same at every value (0.493 / 0.473).
CHAIN_MAX_GAP_CHANGE_RATIO = 1.0
#: The candidate's offset from the landmark before it may differ from the stored one by at
#: most the bracket's change in length plus this many units: text that only grew or shrank by
#: N units in total moves what follows by about N (a few more when a line was reflowed;
#: measured: 14 units in a 79-unit bracket that changed length by 1, co519-logic v3).
OFFSET_SLACK = 16
#: The quote's other verbatim copies in the new text, were they spread evenly, would put at most
#: this many in the bracket (their count times the bracket's share of the text, whitespace
#: ignored): a word found once in a long bracket can be there by chance while the annotated
#: passage was deleted. Measured in DEV notes thinned to 10–300 annotations: without the limit,
#: a deleted "into" placed on another "into" 2,000 units on (chance 1.4–3.5); 1.0 also places
#: running headers ("ETHEREUM: A SECURE DECENTRALISED…", chance 0.6: DEV +1 intact, +2 moved,
#: all right); half asks the lone copy to be at least twice as likely the passage as chance.
MAX_CHANCE_COPIES = 0.5
#: A changed candidate may differ from the stored quote in at most this share of its visible
#: characters (the cascade's ``MAX_EDIT_RATIO``); only with ``changed_candidates``.
MAX_EDIT_RATIO = 0.25


@dataclass(frozen=True)
class LandmarkRules:
    """The numbers of the rule (defaults: the constants above)."""

    min_quote: int = LANDMARK_MIN_QUOTE
    max_gap_change_ratio: float = MAX_GAP_CHANGE_RATIO
    offset_slack: int = OFFSET_SLACK
    max_edit_ratio: float = MAX_EDIT_RATIO
    max_chance_copies: float = MAX_CHANCE_COPIES
    chain_max_gap_change_ratio: float = CHAIN_MAX_GAP_CHANGE_RATIO
    #: Also place a quote the cascade found only *changed* (its own refused candidate, the only
    #: one in the bracket, no verbatim copy there). Off: with the other limits as set, Suite A
    #: +2 edited (both right) but DEV 1 wrong anchor and, in DEV notes thinned to 10–300
    #: annotations, 152 wrong of 1,050 placements: deleted passages placed on a surviving
    #: neighbour ("Rselfdestruct 24000" on the next table row "Gselfdestruct 5000"; "representing
    #: an" on "representing in"), which no number here tells from the right ones.
    changed_candidates: bool = False


@dataclass(frozen=True)
class Landmark:
    """A confidently anchored annotation: ``index`` in the resolutions list; ``old_*`` its
    stored span and ``new_*`` its resolved span, both in the stored unit; ``cp_*`` the resolved
    span in code points of the new text."""

    index: int
    id: str
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    cp_start: int
    cp_end: int


@dataclass(frozen=True)
class Placement:
    """A refused annotation (``index``) placed on ``candidate`` between two landmarks;
    ``reason`` names them (for the report)."""

    index: int
    candidate: Candidate
    reason: str


def _group_key(res: Resolution) -> tuple[OffsetUnit, str | None] | None:
    pos = res.annotation.position
    if pos is None:
        return None
    return pos.unit, res.annotation.fingerprint


@dataclass(frozen=True)
class Landmarks:
    """The landmarks of one group: ``chain``, the consistent ones sorted by old start, and
    ``displaced``, the eligible ones left out of it (moved, or anchored wrongly)."""

    chain: list[Landmark]
    displaced: list[Landmark]
    #: The chain's old starts (increasing), for bisection.
    starts: list[int]


def find_landmarks(resolutions: Sequence[Resolution],
                   rules: LandmarkRules = LandmarkRules()) -> dict[tuple, Landmarks]:
    """The landmarks of each group (unit, stored fingerprint).

    Eligible: ``anchored`` or ``drifted`` (the quote unchanged up to whitespace), a stored
    position, a quote of at least ``min_quote`` visible characters. Consistent: the longest
    chain of eligible ones whose starts increase strictly in both texts; the others that break
    its order are *displaced*. (That a bracketing landmark's quote occurs once in the new text
    is checked only for the two that bracket a refusal, :func:`place_by_landmarks`: a search of
    the whole text per annotation would cost more than the rest of a large note's check.)"""
    groups: dict[tuple, list[Landmark]] = {}
    for i, res in enumerate(resolutions):
        if res.status not in (Status.ANCHORED, Status.DRIFTED):
            continue
        key = _group_key(res)
        quote, pos = res.annotation.quote, res.annotation.position
        if key is None or quote is None or pos is None:
            continue
        if len(strip_ignorable(quote.exact)) < rules.min_quote:
            continue
        new = res.span(key[0])
        assert new is not None and res.start is not None and res.end is not None
        groups.setdefault(key, []).append(Landmark(i, res.id, pos.start, pos.end, new[0],
                                                   new[1], res.start, res.end))
    out = {}
    for k, marks in groups.items():
        chain = _longest_chain(marks)
        kept = {m.index for m in chain}
        starts = [m.old_start for m in chain]
        out[k] = Landmarks(chain, [m for m in marks
                                   if m.index not in kept and not _fits(m, chain, starts)],
                           starts)
    return out


def _fits(mark: Landmark, chain: list[Landmark], starts: list[int]) -> bool:
    """Whether ``mark`` (not in ``chain``; ``starts`` its old starts) keeps the chain's order:
    its new start lies between those of the chain's landmarks on either side of its old start
    (an annotation overlapping another, or one of two at the same stored start, is left out of
    the chain without having moved)."""
    k = bisect.bisect_left(starts, mark.old_start)
    return ((k == 0 or chain[k - 1].new_start <= mark.new_start)
            and (k == len(chain) or mark.new_start <= chain[k].new_start))


def _longest_chain(marks: list[Landmark]) -> list[Landmark]:
    """The longest chain whose starts increase strictly in both texts (patience sorting,
    O(n log n)). Spans may overlap (highlights do). Deterministic: the marks are sorted by
    their spans (then their index) first."""
    # Same old start: new starts descending, so a strictly increasing run takes at most one.
    order = sorted(marks, key=lambda m: (m.old_start, -m.new_start, m.old_end, m.new_end,
                                         m.index))
    tails: list[int] = []  # tails[n]: least new start ending a chain of length n + 1
    tail_at: list[int] = []  # ... and its position in ``order``
    back = [-1] * len(order)
    for j, m in enumerate(order):
        n = bisect.bisect_left(tails, m.new_start)  # the chain it extends has length n
        back[j] = tail_at[n - 1] if n else -1
        if n == len(tails):
            tails.append(m.new_start)
            tail_at.append(j)
        else:
            tails[n], tail_at[n] = m.new_start, j
    chain = []
    j = tail_at[-1] if tail_at else -1
    while j >= 0:
        chain.append(order[j])
        j = back[j]
    return chain[::-1]


def place_by_landmarks(resolutions: Sequence[Resolution], text: str,
                       rules: LandmarkRules = LandmarkRules(),
                       occurs_once: Callable[[str], bool] | None = None) -> list[Placement]:
    """Placements for the refused annotations of ``resolutions`` (one document's) that the
    rule in the module docstring allows. ``text`` is the new document text (code points).
    ``occurs_once(quote)``: whether a landmark's quote occurs exactly once in ``text``, by an
    index when the caller has one (the resolver's gram index; without it, each landmark asked
    costs a scan of the whole text, and in a repetitive document a refusal may ask dozens).
    Anchored annotations are never changed."""
    targets = [i for i, r in enumerate(resolutions) if r.rivals and r.status in (
        Status.AMBIGUOUS, Status.ORPHANED) and _group_key(r) is not None]
    out = []
    for i, res, marks, unique in _with_landmarks(resolutions, targets, text, rules,
                                                 occurs_once):
        placed = _place(res, marks, text, unique, rules)
        if placed is not None:
            out.append(Placement(i, *placed))
    return out


def _with_landmarks(resolutions: Sequence[Resolution], targets: list[int], text: str,
                    rules: LandmarkRules, occurs_once: Callable[[str], bool] | None,
                    ) -> Iterator[tuple[int, Resolution, Landmarks, _Uniqueness]]:
    """Each of ``targets`` (indices of ``resolutions``) whose group has landmarks, with them
    and the shared uniqueness test; nothing computed when there is no target."""
    if not targets:
        return
    groups = find_landmarks(resolutions, rules)
    unique = _Uniqueness(text, resolutions, occurs_once)
    for i in targets:
        res = resolutions[i]
        marks = groups.get(_group_key(res))  # type: ignore[arg-type]
        if marks is not None:
            yield i, res, marks, unique


class _Uniqueness:
    """Whether a landmark's quote occurs once in the new text, memoized; ``flat``: the new
    text without whitespace (also for counting a refused quote's copies)."""

    def __init__(self, text: str, resolutions: Sequence[Resolution],
                 occurs_once: Callable[[str], bool] | None) -> None:
        self.flat = strip_ignorable(text)
        self.resolutions = resolutions
        self.occurs_once = occurs_once or self._scan
        self.known: dict[int, bool] = {}

    def _scan(self, quote: str) -> bool:
        needle = strip_ignorable(quote)
        first = self.flat.find(needle)
        return first >= 0 and self.flat.find(needle, first + 1) < 0

    def __call__(self, mark: Landmark) -> bool:
        if mark.index not in self.known:
            quote = self.resolutions[mark.index].annotation.quote
            assert quote is not None
            self.known[mark.index] = self.occurs_once(quote.exact)
        return self.known[mark.index]


@dataclass(frozen=True)
class Bracket:
    """Where the landmarks put a refused annotation: between ``before`` and ``after`` (chain
    landmarks, each quote found once in the new text, no displaced landmark between them, the
    text between them changed length by at most ``max_gap_change_ratio``). ``old_gap`` and
    ``growth`` in the stored unit: the stored text between them and its change in length."""

    before: Landmark
    after: Landmark
    old_gap: int
    growth: int

    def holds(self, span: tuple[int, int]) -> bool:
        """Whether ``span`` (new text, the stored unit) lies between the two landmarks."""
        return self.before.new_end <= span[0] and span[1] <= self.after.new_start

    def describe(self, unit: OffsetUnit) -> str:
        """The bracket for a reason: its two landmarks and how its stored text (told in
        ``unit``, the stored offsets' unit) changed length."""
        units = unit_name(unit)
        return (f"between landmarks of the same note, {self.before.id!r} and {self.after.id!r} "
                f"(anchored with certainty, in the same order as stored; the stored text "
                f"between them, {self.old_gap} {units}, changed length by {self.growth:+d})")


def _bracket(res: Resolution, marks: Landmarks, unique: _Uniqueness, rules: LandmarkRules,
             max_gap_change_ratio: float) -> Bracket | None:
    """The bracket of ``res`` (the module docstring's first three conditions, the gap's change
    limited by ``max_gap_change_ratio``), or None."""
    pos = res.annotation.position
    assert pos is not None
    chain, starts = marks.chain, marks.starts
    # The nearest landmark of the chain on each side of the stored span (not overlapping it)
    # whose quote occurs once in the new text.
    k = bisect.bisect_left(starts, pos.end)
    while k < len(chain) and not unique(chain[k]):
        k += 1
    j = bisect.bisect_right(starts, pos.start) - 1
    while j >= 0 and (chain[j].old_end > pos.start or not unique(chain[j])):
        j -= 1
    if j < 0 or k == len(chain):
        return None  # a landmark on one side only: nothing bounds the other
    before, after = chain[j], chain[k]
    if before.new_end > after.new_start:
        return None
    if any(before.old_end < m.old_end and m.old_start < after.old_start
           or before.new_end < m.new_end and m.new_start < after.new_start
           for m in marks.displaced):
        return None  # a passage moved out of or into the bracket: its order is not kept
    old_gap = after.old_start - before.old_end
    growth = (after.new_start - before.new_end) - old_gap
    if abs(growth) > max_gap_change_ratio * old_gap + rules.offset_slack:
        return None
    return Bracket(before, after, old_gap, growth)


def _place(res: Resolution, marks: Landmarks, text: str, unique: _Uniqueness,
           rules: LandmarkRules) -> tuple[Candidate, str] | None:
    """The candidate of ``res`` the rule allows, with the reason; None when it allows none."""
    pos, quote = res.annotation.position, res.annotation.quote
    assert pos is not None and quote is not None
    bracket = _bracket(res, marks, unique, rules, rules.max_gap_change_ratio)
    if bracket is None:
        return None
    before, after = bracket.before, bracket.after
    unit = pos.unit
    needle = strip_ignorable(quote.exact)
    inside = [c for c in res.rivals if bracket.holds(c.span(unit))]
    if len(inside) != 1:
        return None
    cand = inside[0]
    found = strip_ignorable(cand.exact)
    verbatim = found == needle
    if not verbatim and not rules.changed_candidates:
        return None
    if not verbatim and Levenshtein.distance(needle, found) > rules.max_edit_ratio * len(needle):
        return None
    # The bracket's new text holds the quote verbatim exactly once when the candidate is
    # verbatim, and not at all when it is changed.
    between = strip_ignorable(text[before.cp_end : after.cp_start])
    if between.count(needle) != (1 if verbatim else 0):
        return None
    # The other copies of the quote in the document, spread evenly, would put this many in a
    # bracket of this length: a common word is found once in a long bracket by chance.
    others = unique.flat.count(needle) - (1 if verbatim else 0)
    chance = others * len(between) / max(1, len(unique.flat))
    if chance > rules.max_chance_copies:
        return None
    old_gap, growth = bracket.old_gap, bracket.growth
    offset_error = (cand.span(unit)[0] - before.new_end) - (pos.start - before.old_end)
    if abs(offset_error) > abs(growth) + rules.offset_slack:
        return None
    units = unit_name(unit)
    reason = (f"placed between landmarks of the same note, {before.id!r} and {after.id!r} "
              f"(anchored with certainty, in the same order as stored): the only "
              f"{'verbatim' if verbatim else 'changed'} candidate between them; the stored text "
              f"between them, {old_gap} {units}, "
              f"changed length by {growth:+d}, and this place is {offset_error:+d} from where "
              f"the stored position puts it; chance copies {chance:.3f}")
    return cand, reason


def place_chains(resolutions: Sequence[Resolution], text: str,
                 is_target: Callable[[Resolution], bool],
                 rechain: Callable[[Resolution], Resolution | None],
                 rules: LandmarkRules = LandmarkRules(),
                 occurs_once: Callable[[str], bool] | None = None,
                 ) -> list[tuple[int, Resolution, Bracket]]:
    """Heavily edited passages found between landmarks (the cascade's ``chain_in_bracket``):
    for each refusal ``is_target`` picks (an ``orphaned`` passage long enough for step 4) that
    has a bracket, ``rechain(res)`` is step 4's answer with the coverage a chain needs when its
    stored context agrees at an end (None when it still refuses); it is kept when its span lies
    in the bracket (the bracket's change in length limited by ``chain_max_gap_change_ratio``
    instead of ``max_gap_change_ratio``). Returns (index, that answer, the bracket). Like
    :func:`place_by_landmarks`, it depends only on the annotations anchored with certainty,
    never on another placement."""
    targets = [i for i, r in enumerate(resolutions)
               if r.status == Status.ORPHANED and _group_key(r) is not None and is_target(r)]
    out = []
    for i, res, marks, unique in _with_landmarks(resolutions, targets, text, rules,
                                                 occurs_once):
        bracket = _bracket(res, marks, unique, rules, rules.chain_max_gap_change_ratio)
        if bracket is None:
            continue
        found = rechain(res)
        if found is None:
            continue
        span = found.span(res.annotation.position.unit)  # type: ignore[union-attr]
        if span is not None and bracket.holds(span):
            out.append((i, found, bracket))
    return out
