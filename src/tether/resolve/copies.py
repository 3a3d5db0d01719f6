"""Copies the landmarks show were already there: an accepted quote that is not the passage.

A passage deleted by an update leaves nothing to find, but its quote, with context that agrees,
may also stand verbatim elsewhere in the document (a definition restated in the introduction):
the cascade then anchors that copy. Only the old text shows that the copy was there before,
and a check has only the new text — except through the note's *landmarks*
(:mod:`tether.resolve.landmarks`), which map old offsets onto new ones wherever the update
kept the order.

:func:`preexisting_copies` flags an accepted answer (any anchored status, not one found at
its stored position) when all of these hold (numbers in :class:`CopyRules`):

* the quote has at least ``min_quote`` visible characters: a passage moved into a bracket
  grows it by its length, and a shorter one grows it by less than a reflowed line shifts text;
* the answer lies in a *bracket*: between the nearest landmarks of the chain before and after
  it in the new text (not the annotation itself), each with a quote found once in the new
  text, in the same order in both texts, no *displaced* landmark (other than the annotation
  itself) between them in either text;
* the stored position lies outside the bracket's old counterpart: the annotated passage was
  elsewhere in the old text;
* the bracket kept its length: the new text between the landmarks is at most
  ``max_growth_share`` of the quote's length longer than the old text between them (a passage
  moved into the bracket would have grown it by about its whole length) and at most
  ``max_shrink_share`` of it plus ``max_shrink_gap`` of the old text between them shorter;
* the answer fits in the old bracket at the same offset from the landmark before it (or that
  offset less the bracket's change in length), give or take ``offset_slack``: the old text
  most likely held the same copy there.

Such an answer is a copy the old version already had, not where the annotated passage went;
the caller (:meth:`tether.resolve.placing.LandmarkPlacing.place_refusals`) refuses it. Never
flagged: an annotation in the landmark chain (its neighbours' old span holds its stored
position), a placement between landmarks (it lies in its stored position's bracket).

Known blind spots (a right answer refused, never a wrong one accepted): two passages of about
the same length that swapped places across a landmark, neither holding another annotation,
leave both brackets' lengths unchanged; and annotations without a stored fingerprint are
grouped as one version (as the landmarks are), so in a note mixing versions their "old"
offsets may come from different texts. Neither occurs in the measured suites.

Units: stored positions and resolved spans in the annotation's own unit (as in
:mod:`tether.resolve.landmarks`). Pure: resolutions in, :class:`PreexistingCopy` findings out.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tether.resolve.describe import unit_name
from tether.resolve.landmarks import (
    Landmark,
    LandmarkRules,
    Landmarks,
    Uniqueness,
    find_landmarks,
    group_key,
)
from tether.resolve.normalize import strip_ignorable
from tether.resolve.result import Method, Resolution

#: The quote has at least this many visible characters (whitespace ignored): the landmarks'
#: own floor, which is also what a reflowed line shifts text by (``OFFSET_SLACK``): a shorter
#: passage moved into a bracket changes its length by no more than edits around it do.
MIN_QUOTE = 16
#: The bracket may have grown by at most this share of the quote's length: a passage moved in
#: grows it by about its length, a copy that was there by about nothing; half is the midpoint.
#: Measured (issue 5, session 9, ``copy_sweep.py``): of the right answers in such a bracket on
#: Suites A, B and DEV (whole notes and notes thinned to 10–300 annotations), all but one grew
#: it by 2.2 × their length or more (the other shrank it by 5.4 ×, see ``MAX_SHRINK_GAP``).
MAX_GROWTH_SHARE = 0.5
#: The bracket may have shrunk by at most this share of the quote's length (it lost no more
#: than the quote could have been) ...
MAX_SHRINK_SHARE = 1.0
#: ... plus this share of the old text between the landmarks: an update that reflows a section
#: (hyphenated words joined, lines re-broken) shortens all of it a little, in proportion to its
#: length, and shrinking never looks like a passage moved in. Measured (``copy_sweep.py``):
#: DEV's yellow paper v2 'rewards a nom-inated' (deleted; its copy stands in the introduction,
#: which the v3 reflow shortened by 0.4–0.9 % in whole and thinned notes: 14 units of 2,068,
#: 0.74 × the 19-unit quote; up to 29 of 4,597) is refused in the whole DEV note and in 13 of
#: the 15 thinned notes (10–300 annotations, 30 draws each) where it lies in such a bracket
#: (8 without this share; the other two brackets shrank by 1.4 % and 8.6 %); no right answer
#: on Suites A, B or DEV lies in a bracket that shrank by less than 57 % of its gap (a thesis
#: passage moved into a bracket that lost 1,337 of 2,349 units).
MAX_SHRINK_GAP = 0.01
#: Units of play for the answer's offset in the old bracket (a reflowed line).
OFFSET_SLACK = 16


@dataclass(frozen=True)
class CopyRules:
    """The numbers of the rule (defaults: the constants above)."""

    min_quote: int = MIN_QUOTE
    max_growth_share: float = MAX_GROWTH_SHARE
    max_shrink_share: float = MAX_SHRINK_SHARE
    max_shrink_gap: float = MAX_SHRINK_GAP
    offset_slack: int = OFFSET_SLACK

    def kept_length(self, growth: int, length: int, old_gap: int) -> bool:
        """Whether a bracket of ``old_gap`` units that changed length by ``growth`` kept its
        length for an answer ``length`` units long."""
        return (-self.max_shrink_share * length - self.max_shrink_gap * old_gap <= growth
                <= self.max_growth_share * length)


@dataclass(frozen=True)
class PreexistingCopy:
    """An accepted answer (``index``) lying between ``before`` and ``after`` whose old
    counterpart does not hold its stored position. ``old_gap``, ``growth`` (the change in
    length of the text between them), ``offset`` (the answer's start less ``before``'s end, in
    the new text) and ``length`` (the answer's) in the stored unit."""

    index: int
    before: Landmark
    after: Landmark
    old_gap: int
    growth: int
    offset: int
    length: int

    def reason(self, res: Resolution) -> str:
        """Why ``res`` (the flagged answer) is refused, for the report."""
        units = unit_name(res.stored_unit)
        return (f"where the quote was found (page {(res.page or 0) + 1}) lies "
                f"between landmarks of the same note, {self.before.id!r} and "
                f"{self.after.id!r} (anchored with certainty, in the same order as stored), "
                f"whose stored text does not hold the stored position and kept its length "
                f"({self.old_gap} {units}, changed by {self.growth:+d}; a passage moved there "
                f"would have added its {self.length}): the old version already had this copy, "
                f"so it is not where the annotated passage went")


def preexisting_copies(resolutions: Sequence[Resolution], text: str,
                       rules: CopyRules = CopyRules(),
                       landmark_rules: LandmarkRules | None = None,
                       occurs_once: Callable[[str], bool] | None = None,
                       ) -> list[PreexistingCopy]:
    """The accepted answers of ``resolutions`` (one document's) that the rule in the module
    docstring flags. ``text``: the new text (code points); ``landmark_rules`` (default:
    :class:`LandmarkRules`'s) and ``occurs_once`` as in
    :func:`tether.resolve.bracket.place_by_landmarks`."""
    targets = [i for i, r in enumerate(resolutions)
               if r.status.is_anchored and r.method is not Method.POSITION
               and group_key(r) is not None and r.annotation.quote is not None
               and len(strip_ignorable(r.annotation.quote.exact)) >= rules.min_quote]
    if not targets:
        return []
    groups = find_landmarks(resolutions, landmark_rules or LandmarkRules())
    unique = _Lazy(lambda: Uniqueness(text, resolutions, occurs_once))
    chains: dict[tuple, _Chain] = {}
    out = []
    for i in targets:
        key = group_key(resolutions[i])
        marks = groups.get(key) if key is not None else None
        if key is None or marks is None:
            continue
        if key not in chains:
            chains[key] = _Chain(marks)
        found = _flag(i, resolutions[i], chains[key], unique, rules)
        if found is not None:
            out.append(found)
    return out


class _Lazy:
    """The landmarks' uniqueness test, built when first asked: most answers are decided
    without it, and building it strips the whole text."""

    def __init__(self, build: Callable[[], Uniqueness]) -> None:
        self.build: Callable[[], Uniqueness] | None = build
        self.test: Uniqueness | None = None

    def __call__(self, mark: Landmark) -> bool:
        if self.test is None:
            assert self.build is not None
            self.test, self.build = self.build(), None
        return self.test(mark)


class _Chain:
    """A group's landmarks with what every answer's search reads: the chain's new starts
    (strictly increasing) and, for each landmark, the greatest old end up to it."""

    def __init__(self, marks: Landmarks) -> None:
        self.marks = marks
        self.new_starts = [m.new_start for m in marks.chain]
        self.max_old_end = list(itertools.accumulate((m.old_end for m in marks.chain), max))
        self.indices = {m.index for m in marks.chain}


def _flag(i: int, res: Resolution, group: _Chain, unique: _Lazy,
          rules: CopyRules) -> PreexistingCopy | None:
    """The finding for answer ``i`` (``res``) under the module docstring's rule, or None."""
    if i in group.indices:
        return None  # in the chain: its neighbours there bracket its stored position too
    pos = res.annotation.position
    span = res.span(pos.unit) if pos is not None else None
    assert pos is not None and span is not None
    marks, new_starts = group.marks, group.new_starts
    chain = marks.chain
    j = bisect.bisect_right(new_starts, span[0]) - 1
    k = bisect.bisect_left(new_starts, span[1])
    # The bracket's landmarks are chain[j] or before it and chain[k] or after it: when even
    # these bounds put the stored position in the old bracket, no uniqueness need be asked
    # (most answers: their passage did not move past a landmark).
    if j < 0 or k == len(chain) or not (pos.end <= group.max_old_end[j]
                                        or chain[k].old_start <= pos.start):
        return None
    while j >= 0 and (chain[j].new_end > span[0] or not unique(chain[j])):
        j -= 1
    while k < len(chain) and not unique(chain[k]):
        k += 1
    if j < 0 or k == len(chain):
        return None  # a landmark on one side only: nothing bounds the other
    before, after = chain[j], chain[k]
    if before.new_end > after.new_start or before.old_end > after.old_start:
        return None
    if not (pos.end <= before.old_end or after.old_start <= pos.start):
        return None  # the stored position is in the old bracket: the passage may be this one
    if marks.displaced_between(before, after, skip=i):
        return None  # a passage moved out of or into the bracket: its order is not kept
    old_gap = after.old_start - before.old_end
    growth = (after.new_start - before.new_end) - old_gap
    length = span[1] - span[0]
    if not rules.kept_length(growth, length, old_gap):
        return None
    offset = span[0] - before.new_end
    # In the old text the copy would start at ``offset`` (the text changed after it) or at
    # ``offset - growth`` (before it); either way it must fit in the old bracket.
    if not any(-rules.offset_slack <= o and o + length <= old_gap + rules.offset_slack
               for o in (offset, offset - growth)):
        return None
    return PreexistingCopy(i, before, after, old_gap, growth, offset, length)
