"""Landmarks from the same note: refusals placed between confidently anchored neighbours.

A note holds many annotations of one PDF. Those the cascade anchored with certainty (a verbatim
quote, found once in the new text, long enough not to recur by chance) are *landmarks*: each
pairs its stored start (old text) with its resolved start (new text). Taken in the order of the
old text, the landmarks that keep their order in the new text (the longest such chain) map the
old text onto the new one wherever an update kept the order. An annotation the cascade refused
(``ambiguous``, or ``orphaned`` with candidates) has a landmark just before and just after its
stored position; between their new places, its *bracket*, the passage should now be.

The rules that place a refused annotation in its bracket are in :mod:`tether.resolve.bracket`;
their numbers (:class:`LandmarkRules`) are here, with the landmarks they depend on.

Units: stored positions are in the annotation's own unit (``TextPosition.unit``: UTF-16 code
units for Hypothesis and Obsidian, code points when a reader says so); resolved spans are taken
in that same unit (:meth:`Resolution.span`, :meth:`Candidate.span`), so old and new offsets are
always compared in one unit. Only annotations that share a unit and a stored document
fingerprint (or all have none) are each other's landmarks: annotations made on different
versions of a PDF do not share one old text. Text slices of the new document use code points
(``Resolution.start``/``end``).

Pure: resolutions and the new text in, landmarks out.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from tether.offsets import OffsetUnit
from tether.resolve.normalize import strip_ignorable
from tether.resolve.result import Resolution, Status

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
#: characters (the cascade's ``MAX_EDIT_RATIO``); only with ``changed_candidates``. Also where
#: ``unique_beside_lookalikes`` stops counting a changed candidate as a rival.
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
    #: A verbatim candidate of a quote found *exactly once in the whole new text* is placed
    #: even when the bracket also holds changed candidates that differ from the quote by more
    #: than ``max_edit_ratio`` (look-alike text, not a candidate place of the passage): the
    #: yellow paper v3→v4 "A′s ≡As ∪{Ia}", kept verbatim with a new formula line
    #: "A′a ≡Aa ∪{r}" inserted right after it (4 edits of 11 characters). Both conditions are
    #: needed: without the uniqueness, DEV notes thinned to 300 annotations placed "environment.
    #: μ′s[0]" (an opcode table row, 5 copies in the text) on a sibling row while the passage,
    #: edited by a third, was the changed candidate beside it (4 of 120 thinned notes, wrong).
    #: Measured against off (session 10): Suite A intact +1 (that case, exact), nothing else on
    #: Suites A + B (``answer_identity.py``: 1 of 2,494 differs) nor on DEV, whole notes or
    #: thinned to 10 / 30 / 100 / 300 annotations (100 draws each): the rule never fires there.
    unique_beside_lookalikes: bool = True


#: The rule's numbers as set above (a shared default: the rules are frozen).
DEFAULT_RULES = LandmarkRules()


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


def group_key(res: Resolution) -> tuple[OffsetUnit, str | None] | None:
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

    def displaced_between(self, before: Landmark, after: Landmark, skip: int = -1) -> bool:
        """Whether a displaced landmark (other than resolution ``skip``) has its old span
        between ``before`` and ``after`` or its new span between their new places: a passage
        moved out of or into that stretch, so its order is not kept."""
        return any(m.index != skip
                   and (before.old_end < m.old_end and m.old_start < after.old_start
                        or before.new_end < m.new_end and m.new_start < after.new_start)
                   for m in self.displaced)


def find_landmarks(resolutions: Sequence[Resolution],
                   rules: LandmarkRules = DEFAULT_RULES) -> dict[tuple, Landmarks]:
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
        key = group_key(res)
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


def with_landmarks(resolutions: Sequence[Resolution], targets: list[int], text: str,
                   rules: LandmarkRules, occurs_once: Callable[[str], bool] | None,
                   ) -> Iterator[tuple[int, Resolution, Landmarks, Uniqueness]]:
    """Each of ``targets`` (indices of ``resolutions``) whose group has landmarks, with them
    and the shared uniqueness test; nothing computed when there is no target."""
    if not targets:
        return
    groups = find_landmarks(resolutions, rules)
    unique = Uniqueness(text, resolutions, occurs_once)
    for i in targets:
        res = resolutions[i]
        marks = groups.get(group_key(res))  # type: ignore[arg-type]
        if marks is not None:
            yield i, res, marks, unique


class Uniqueness:
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
