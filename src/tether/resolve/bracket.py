"""Brackets: a refused annotation placed between two landmarks of the same note.

A *bracket* is the new text between the nearest landmarks (:mod:`tether.resolve.landmarks`)
before and after a refused annotation's stored position: where the passage should now be.

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
  new text (a changed candidate only with ``changed_candidates``, off: see there); with
  ``unique_beside_lookalikes``, changed candidates that differ from the quote by more than
  ``max_edit_ratio`` are not counted when the quote occurs verbatim once in the whole new text;
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

Units as in :mod:`tether.resolve.landmarks`: old and new offsets compared in the stored unit;
slices of the new text in code points.

Pure: resolutions and the new text in, :class:`Placement` proposals out; the caller
(:class:`tether.resolve.placing.LandmarkPlacing`, via ``Resolver.resolve_all``) turns them
into resolutions.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from tether.offsets import OffsetUnit
from tether.resolve.describe import unit_name
from tether.resolve.landmarks import (
    DEFAULT_RULES,
    Landmark,
    LandmarkRules,
    Landmarks,
    Uniqueness,
    group_key,
    with_landmarks,
)
from tether.resolve.normalize import strip_ignorable
from tether.resolve.result import Candidate, Resolution, Status


@dataclass(frozen=True)
class Placement:
    """A refused annotation (``index``) placed on ``candidate`` between two landmarks;
    ``reason`` names them (for the report)."""

    index: int
    candidate: Candidate
    reason: str


def place_by_landmarks(resolutions: Sequence[Resolution], text: str,
                       rules: LandmarkRules = DEFAULT_RULES,
                       occurs_once: Callable[[str], bool] | None = None) -> list[Placement]:
    """Placements for the refused annotations of ``resolutions`` (one document's) that the
    rule in the module docstring allows. ``text`` is the new document text (code points).
    ``occurs_once(quote)``: whether a landmark's quote occurs exactly once in ``text``, by an
    index when the caller has one (the resolver's gram index; without it, each landmark asked
    costs a scan of the whole text, and in a repetitive document a refusal may ask dozens).
    Anchored annotations are never changed."""
    targets = [i for i, r in enumerate(resolutions) if r.rivals and r.status in (
        Status.AMBIGUOUS, Status.ORPHANED) and group_key(r) is not None]
    out = []
    for i, res, marks, unique in with_landmarks(resolutions, targets, text, rules,
                                                 occurs_once):
        placed = _place(res, marks, text, unique, rules)
        if placed is not None:
            out.append(Placement(i, *placed))
    return out


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


def bracket_of(res: Resolution, marks: Landmarks, unique: Uniqueness, rules: LandmarkRules,
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
    if marks.displaced_between(before, after):
        return None  # a passage moved out of or into the bracket: its order is not kept
    old_gap = after.old_start - before.old_end
    growth = (after.new_start - before.new_end) - old_gap
    if abs(growth) > max_gap_change_ratio * old_gap + rules.offset_slack:
        return None
    return Bracket(before, after, old_gap, growth)


def _place(res: Resolution, marks: Landmarks, text: str, unique: Uniqueness,
           rules: LandmarkRules) -> tuple[Candidate, str] | None:
    """The candidate of ``res`` the rule allows, with the reason; None when it allows none."""
    pos, quote = res.annotation.position, res.annotation.quote
    assert pos is not None and quote is not None
    bracket = bracket_of(res, marks, unique, rules, rules.max_gap_change_ratio)
    if bracket is None:
        return None
    before, after = bracket.before, bracket.after
    unit = pos.unit
    needle = strip_ignorable(quote.exact)
    inside = [c for c in res.rivals if bracket.holds(c.span(unit))]
    if (len(inside) > 1 and rules.unique_beside_lookalikes and unique.flat.count(needle) == 1
            and any(strip_ignorable(c.exact) == needle for c in inside)):
        # The quote's one verbatim copy in the whole text is in the bracket: a candidate
        # changed beyond ``max_edit_ratio`` beside it is look-alike text, not a second place.
        # (Where the quote recurs, such a changed candidate may be the passage edited in place
        # while a verbatim sibling survived: a table's repeated row.)
        inside = [c for c in inside if not _lookalike(needle, c, rules.max_edit_ratio)]
    if len(inside) != 1:
        return None
    cand = inside[0]
    found = strip_ignorable(cand.exact)
    verbatim = found == needle
    if not verbatim and not rules.changed_candidates:
        return None
    if not verbatim and _lookalike(needle, cand, rules.max_edit_ratio):
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


def _lookalike(needle: str, cand: Candidate, max_edit_ratio: float) -> bool:
    """Whether ``cand`` differs from the quote (``needle``, whitespace stripped) in more than
    ``max_edit_ratio`` of the quote's visible characters (the share the cascade allows a
    changed quote unless both stored context sides agree almost exactly around it)."""
    found = strip_ignorable(cand.exact)
    return found != needle and Levenshtein.distance(needle, found) > max_edit_ratio * len(needle)


def place_chains(resolutions: Sequence[Resolution], text: str,
                 is_target: Callable[[Resolution], bool],
                 rechain: Callable[[Resolution], Resolution | None],
                 rules: LandmarkRules = DEFAULT_RULES,
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
               if r.status == Status.ORPHANED and group_key(r) is not None and is_target(r)]
    out = []
    for i, res, marks, unique in with_landmarks(resolutions, targets, text, rules,
                                                 occurs_once):
        bracket = bracket_of(res, marks, unique, rules, rules.chain_max_gap_change_ratio)
        if bracket is None:
            continue
        found = rechain(res)
        if found is None:
            continue
        span = found.span(res.annotation.position.unit)  # type: ignore[union-attr]
        if span is not None and bracket.holds(span):
            out.append((i, found, bracket))
    return out
