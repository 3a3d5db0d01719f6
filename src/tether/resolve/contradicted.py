"""Answers the landmarks contradict: the quote accepted elsewhere while it stands verbatim where
the note's landmarks put the passage.

The cascade weighs each annotation alone. When the annotated passage's context was edited (a
word inserted before a short quote, a line of a program listing rewritten) and the quote also
stands elsewhere with context that happens to agree better (the same line in a parallel
function, the same clause in a parallel definition), it anchors that other copy. The note's
*landmarks* (:mod:`tether.resolve.landmarks`: its annotations anchored with certainty, in the
order they were stored) still tell where the passage should be: between the landmarks before
and after its stored position, its *bracket* (:func:`tether.resolve.bracket.bracket_of`).

:func:`contradicted` flags an accepted answer when all of these hold:

* it was found by a search (not at its stored position, not by the landmarks themselves);
* its stored position has a bracket (the rules of :mod:`tether.resolve.bracket`: landmarks on
  both sides, each quote found once, no displaced landmark between them), the answer lies
  outside it, and the text between the landmarks did not shrink by more than
  ``offset_slack``. When a passage leaves its bracket, the bracket shrinks by its length, and
  a parallel copy left behind falls where the stored position puts the passage (a second
  review, session 12: an opcode table's JUMPI row moved, its "has the effect" placed on the
  JUMP row's; 29 of 293 generated moves in parallel text anchored wrong that way);
* not every stored context side stands verbatim beside the answer: such an answer is the
  passage, moved or not (the same review: a function of a listing moved whole);
* the quote stands verbatim (whitespace ignored) inside the bracket where the stored position
  puts it: its offset from the landmark before it exceeds the stored one by at most the
  bracket's growth plus ``offset_slack`` (text inserted before it) and falls short of it by at
  most ``offset_slack``;
* a whole stored context side stands verbatim beside it there: the passage, its context
  edited on the other side. Without this, a copy that merely happens to follow where a passage
  was cut out counted (a review, session 12: a sentence moved to another page, its quote
  "proposed method" also in the next sentence, which the landmarks' slack — the bracket shrank
  by the sentence's length — let in), and so did a look-alike whose sides both agree closely
  but neither verbatim (the same review: an opcode table's "OR 2 1" row moved, "XOR 2 1" left
  near its old place); the placement rule then anchored them there, wrong;
* that copy is not there by chance: the quote's copies in the whole text, spread evenly, would
  put at most ``max_chance_copies`` in that stretch of allowed offsets.

The evidence then points two ways, so the answer is refused as ``ambiguous``, both places
shown. The refusal is never placed by the landmarks (``LandmarkPlacing.place_refusals``): their
offsets cannot tell a passage from a parallel copy a row away (a third review, session 12: a
block moved out of its bracket next to a parallel copy while text was added elsewhere in the
bracket, past the shrink guard: 13 of about 1,100 generated moves placed on the copy).

Off by default (``whole_note.CONTRADICTED``, its measurements): on fresh Suite B seeds it took
one wrong anchor in fifty (edit-outside-span in a textbook: a word beside the annotated short
quote replaced, a copy whose context then agreed better anchored instead), on DEV-style draws
none, while the reviews' notes show it refusing right answers.

Units as in :mod:`tether.resolve.landmarks`: old and new offsets compared in the stored unit.
Pure: resolutions and a copy finder in, :class:`Contradiction` findings out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tether.resolve.bracket import Bracket, bracket_of
from tether.resolve.describe import unit_name
from tether.resolve.landmarks import LandmarkRules, with_landmarks
from tether.resolve.normalize import strip_ignorable
from tether.resolve.result import Candidate, Method, Resolution, Status
from tether.selectors import Annotation

#: Finds the annotation's quote's verbatim copies (whitespace ignored) in the new text between
#: two code points that keep a whole stored context side verbatim:
#: ``copies_between(annotation, start, end)``, as candidates.
CopyFinder = Callable[[Annotation, int, int], list[Candidate]]


@dataclass(frozen=True)
class Contradiction:
    """An accepted answer (``index``) outside its bracket, and the quote's ``copies`` inside it
    where the stored position puts it, nearest first (the nearest ``offset_error`` units from
    there). Several when the stored position cannot tell them apart (the bracket changed length
    by more than their distance): all are shown, none is chosen."""

    index: int
    copies: tuple[Candidate, ...]
    bracket: Bracket
    offset_error: int

    def reason(self, res: Resolution) -> str:
        unit = res.annotation.position.unit  # type: ignore[union-attr]
        units = unit_name(unit)
        where = ("" if len(self.copies) == 1
                 else f" ({len(self.copies)} copies within the bracket's change in length)")
        return (f"the evidence picks a place outside what the landmarks allow: "
                f"{self.bracket.describe(unit)}, and the quote stands there verbatim{where}, "
                f"{self.offset_error:+d} {units} from where the stored position puts it; the "
                f"passage's context may have been edited there, and the other place be a copy")


def contradicted(resolutions: Sequence[Resolution], text: str, copies_between: CopyFinder,
                 both_verbatim: Callable[[Resolution], bool], rules: LandmarkRules,
                 occurs_once: Callable[[str], bool] | None = None) -> list[Contradiction]:
    """The accepted answers of ``resolutions`` (one document's) that the rule in the module
    docstring flags. ``text``: the new text (code points); ``both_verbatim(res)``: whether every
    stored context side stands verbatim beside the answer; ``occurs_once`` as in
    :func:`tether.resolve.bracket.place_by_landmarks`."""
    targets = [i for i, r in enumerate(resolutions)
               if r.status in (Status.DRIFTED, Status.FUZZY)
               and r.method not in (Method.POSITION, Method.LANDMARKS)
               and r.annotation.quote is not None and r.annotation.position is not None]
    out = []
    for i, res, marks, unique in with_landmarks(resolutions, targets, text, rules, occurs_once):
        if any(m.index == i for m in marks.chain):
            continue  # a landmark: in its own bracket
        bracket = bracket_of(res, marks, unique, rules, rules.max_gap_change_ratio)
        pos, quote = res.annotation.position, res.annotation.quote
        assert pos is not None and quote is not None
        span = res.span(pos.unit)
        if (bracket is None or span is None or bracket.holds(span)
                or bracket.growth < -rules.offset_slack or both_verbatim(res)):
            continue
        # Text inserted before the passage moves it on by up to the growth, text inserted
        # after it not at all: the offsets allowed, from where the stored position puts it.
        low, high = -rules.offset_slack, max(0, bracket.growth) + rules.offset_slack
        needle = strip_ignorable(quote.exact)
        # Copies spread evenly would put this many among the offsets allowed.
        chance = unique.flat.count(needle) * (high - low + 1) / max(1, len(unique.flat))
        if not needle or chance > rules.max_chance_copies:
            continue
        before = bracket.before
        stored_offset = pos.start - before.old_end
        errors = ((c.span(pos.unit)[0] - before.new_end - stored_offset, c)
                  for c in copies_between(res.annotation, before.cp_end, bracket.after.cp_start))
        near = sorted(((e, c) for e, c in errors if low <= e <= high),
                      key=lambda ec: (abs(ec[0]), ec[0]))
        if near:
            out.append(Contradiction(i, tuple(c for _, c in near), bracket, near[0][0]))
    return out
