"""The pre-existing copy rule's conditions one by one (:mod:`tether.resolve.copies`), on small
hand-made documents.

The base case: a definition holding "the miner rewards a nominated beneficiary" is deleted by an
update, and the introduction, between two landmarks of the note (``L1`` and ``L2``), kept a
copy of the phrase that the old version had too. The cascade anchors the copy; the landmarks
show it was there before, so the rule refuses it. Every other test changes one thing (the
stored position, a landmark moved in or out, the bracket's length, the answer's method) and
checks the rule then stays out — and, where a number decides, that it flags the case again on
the other side of that number — so each test fails if its condition is removed or inverted.
(``tests/test_copies.py`` checks the rule on the real eth-yellowpaper update.)

All text is ASCII: UTF-16 units and code points coincide, so the lengths below are both.
"""

from __future__ import annotations

import dataclasses

import pytest
from test_resolve_steps import annotate, make_doc, span_of

from tether.offsets import OffsetUnit
from tether.resolve import Method, ResolveOptions, Resolver, Status
from tether.resolve.copies import CopyRules, PreexistingCopy, preexisting_copies
from tether.resolve.landmarks import find_landmarks
from tether.resolve.result import Resolution
from tether.selectors import Annotation

QUOTE = "the miner rewards a nominated beneficiary"  # 41 characters
HEAD = "Annotations on PDF documents are stored as selectors that describe the highlighted text. "
L1 = "A position selector counts characters from the start of the document text. "
COPY = "In the introduction we note that " + QUOTE + " for each block. "
FILL = "Page breaks fall elsewhere in every new version of a paper, as they always do. "
L2 = "The resolver therefore checks the stored position first of all. "
MID = "A wrong anchor is worse than an orphan for a careful reader. "
L3 = "Paragraphs move and sentences are rewritten between the versions. "
DEFINITION = "Formally, " + QUOTE + " with the block reward Omega. "
L4 = "Context on either side of a quote helps to find it again later. "
TAIL = "An orphan is at least visible in the sidebar of the reader. "
#: Another annotated sentence, for a landmark that moves (8 characters shorter than ``FILL``:
#: one in the other's place, the bracket keeps its length).
X = "Every landmark is an annotation anchored with certainty, nothing less. "

LANDMARKS = (L1, L2, L3, L4)
#: Each annotated sentence's id.
IDS = {L1: "L1", L2: "L2", L3: "L3", L4: "L4", X: "X"}
OLD = [HEAD, L1, COPY, FILL, L2, MID, L3, DEFINITION, L4, TAIL]
#: The update: the definition deleted, everything else kept.
NEW = [HEAD, L1, COPY, FILL, L2, MID, L3, L4, TAIL]


def _note(old: list[str], marks: tuple[str, ...] = LANDMARKS,
          gone_at: tuple[str, int] = (QUOTE, 1)) -> list[Annotation]:
    """The annotations made on the old text: each of ``marks`` (its sentence without the
    closing ". "), then ``gone`` on the ``gone_at`` occurrence (text, n-th) — by default the
    definition's phrase (the introduction's copy is the first)."""
    doc = make_doc(["".join(old)])
    anns = [annotate(doc, *span_of(doc, m[:-2]), IDS[m]) for m in marks]
    return [*anns, annotate(doc, *span_of(doc, *gone_at), "gone")]


#: The cascade without ``cut_out``: where an update cut the annotated phrase out of its
#: definition, that rule already refuses the copy elsewhere on its own (the stored context now
#: meets there), and these tests judge the whole-note rule on the copy taken.
CASCADE = ResolveOptions(cut_out=False)


def _answers(new: list[str], note: list[Annotation]) -> tuple[Resolver, list[Resolution]]:
    """The cascade's answers one at a time (what the whole-note pass judges)."""
    r = Resolver(make_doc(["".join(new)]), CASCADE)
    return r, [r.resolve(a) for a in note]


def _flagged(new: list[str], note: list[Annotation],
             rules: CopyRules | None = None) -> list[PreexistingCopy]:
    """The rule's findings (default numbers) on the cascade's answers for ``note``."""
    r, single = _answers(new, note)
    gone = single[-1]
    assert gone.status.is_anchored and gone.method is not Method.POSITION  # judged at all
    return preexisting_copies(single, r.index.source, rules or CopyRules(),
                              occurs_once=r._occurs_once)


def _filler(n: int) -> str:
    """``n`` characters of words, ending with a space."""
    return ("more words here " * (n // 16 + 1))[: n - 1] + " "


def _copy_span(new: list[str]) -> tuple[int, int]:
    text = "".join(new)
    at = text.index(QUOTE)
    return at, at + len(QUOTE)


def test_a_copy_the_old_bracket_held_is_refused() -> None:
    """The base case, end to end and as the pure function's finding."""
    note = _note(OLD)
    doc = make_doc(["".join(NEW)])
    off = Resolver(doc, ResolveOptions(preexisting_copies=None)).resolve_all(note)[-1]
    assert off.status == Status.DRIFTED and off.span(OffsetUnit.UTF16) == _copy_span(NEW)
    res = Resolver(doc).resolve_all(note)[-1]
    assert res.status == Status.ORPHANED and res.reason is not None
    assert "already had this copy" in res.reason and "'L1' and 'L2'" in res.reason
    assert [c.span(OffsetUnit.UTF16) for c in res.rivals] == [_copy_span(NEW)]

    [found] = _flagged(NEW, note)
    old_gap = len(". " + COPY + FILL)
    assert (found.index, found.before.id, found.after.id) == (len(note) - 1, "L1", "L2")
    assert (found.old_gap, found.growth, found.length) == (old_gap, 0, len(QUOTE))
    # The answer is itself a landmark (verbatim, found once), displaced from the chain: the
    # displaced-landmark condition must not count the annotation itself.
    _, single = _answers(NEW, note)
    [group] = find_landmarks(single).values()
    assert [m.id for m in group.displaced] == ["gone"]


def test_an_answer_found_by_position_is_not_judged() -> None:
    note = _note(OLD)
    r, single = _answers(NEW, note)
    assert preexisting_copies(single, r.index.source, occurs_once=r._occurs_once) != []
    # The same answer, had step 1 found it at the stored position: never a copy.
    single[-1] = dataclasses.replace(single[-1], method=Method.POSITION)
    assert preexisting_copies(single, r.index.source, occurs_once=r._occurs_once) == []


# --- the stored position must lie outside the bracket's old text --------------------------------

def test_a_passage_edited_in_its_own_bracket_is_not_judged() -> None:
    """The annotation is on the introduction's phrase itself, which the update hyphenated: the
    answer (fuzzy, so no landmark) lies where it was stored, between the same landmarks; the
    bracket kept its length (one character more), but its old text holds the stored
    position."""
    note = _note(OLD, gone_at=(QUOTE, 0))
    hyphenated = COPY.replace("nominated", "nom-inated")
    new = [HEAD, L1, hyphenated, FILL, L2, MID, L3, L4, TAIL]
    r, single = _answers(new, note)
    assert single[-1].status == Status.FUZZY and single[-1].method is Method.FUZZY
    text = "".join(new)
    assert single[-1].span(OffsetUnit.UTF16) == (text.index("the miner"),
                                                 text.index(" for each"))
    assert preexisting_copies(single, r.index.source, occurs_once=r._occurs_once) == []


def test_a_bracket_widened_past_a_repeated_landmark_holds_the_stored_position() -> None:
    """``L2`` also stands at the end of both texts, so its quote is not found once in the new
    one: the copy's bracket runs from ``L1`` to ``L3``, and that holds the definition, from
    which the update cut the phrase (42 characters, within the bracket's shrink limit). Had
    the bracket stayed ``L1``–``L2`` (``L2`` said once) the copy would be flagged; so the
    stored position checked against the widened bracket is what keeps it. (The copy is
    hyphenated, "nom-inated", so the answer is fuzzy and no landmark: a verbatim one would
    tie with ``L2`` for the chain.)"""
    hyphenated = COPY.replace("nominated", "nom-inated")
    cut = DEFINITION.replace(QUOTE + " ", "")
    old = [HEAD, L1, hyphenated, FILL, L2, DEFINITION, L3, MID, L4, TAIL]
    new = [HEAD, L1, hyphenated, FILL, L2, cut, L3, MID, L4, TAIL]
    r, single = _answers(new + [L2], _note(old + [L2], gone_at=(QUOTE, 0)))
    assert single[1].status == Status.ANCHORED and single[-1].status == Status.FUZZY
    assert preexisting_copies(single, r.index.source, occurs_once=r._occurs_once) == []
    [found] = _flagged(new, _note(old, gone_at=(QUOTE, 0)))
    assert (found.before.id, found.after.id, found.growth) == ("L1", "L2", 0)
    # With ``cut_out`` the cascade refuses the copy by itself: the definition's context meets.
    default = Resolver(make_doc(["".join(new + [L2])])).resolve(_note(old + [L2],
                                                                     gone_at=(QUOTE, 0))[-1])
    assert default.status is Status.ORPHANED


# --- no displaced landmark between the two ------------------------------------------------------

@pytest.mark.parametrize(("old", "new"), [
    # ``X``, stored after ``L4``, now stands between ``L1`` and ``L2`` in place of ``FILL``
    # (8 characters shorter: the bracket kept its length).
    ([HEAD, L1, COPY, FILL, L2, MID, L3, DEFINITION, L4, X, TAIL],
     [HEAD, L1, COPY, X, L2, MID, L3, L4, TAIL]),
    # The mirror: ``X`` stood between ``L1`` and ``L2`` and moved after ``L4``, ``FILL``
    # taking its place.
    ([HEAD, L1, COPY, X, L2, MID, L3, DEFINITION, L4, TAIL],
     [HEAD, L1, COPY, FILL, L2, MID, L3, L4, X, TAIL]),
], ids=["moved-in", "moved-out"])
def test_a_landmark_moved_across_the_bracket_stops_the_rule(old: list[str],
                                                            new: list[str]) -> None:
    """A passage moved into (or out of) the bracket, so the copy there may be one too. Not
    annotated, ``X`` says nothing, and the copy is flagged."""
    assert len(FILL) - len(X) == 8
    note = _note(old, (*LANDMARKS, X))
    r, single = _answers(new, note)
    [group] = find_landmarks(single).values()
    assert sorted(m.id for m in group.displaced) == ["X", "gone"]
    assert _flagged(new, note) == []
    assert len(_flagged(new, _note(old))) == 1


# --- the bracket kept its length -----------------------------------------------------------------

@pytest.mark.parametrize(("grown", "flagged"), [(20, True), (21, False)])
def test_the_bracket_may_grow_by_half_the_quote(grown: int, flagged: bool) -> None:
    """Half the 41-character quote is 20.5: text inserted after the copy, 20 characters are a
    kept length, 21 a passage that may have moved in."""
    new = [HEAD, L1, COPY, _filler(grown), FILL, L2, MID, L3, L4, TAIL]
    found = _flagged(new, _note(OLD))
    assert [f.growth for f in found] == ([grown] if flagged else [])
    if not flagged:  # only the growth limit stood in the way
        assert len(_flagged(new, _note(OLD), CopyRules(max_growth_share=1.0))) == 1


@pytest.mark.parametrize(("lost", "flagged"), [(42, True), (43, False)])
def test_the_bracket_may_shrink_by_the_quote_and_a_hundredth_of_it(lost: int,
                                                                  flagged: bool) -> None:
    """The old bracket is 172 characters: it may lose 41 + 1.72. Cut from ``FILL``, after the
    copy, 42 characters are a kept length (only thanks to the 1 % of the gap), 43 are not."""
    new = [HEAD, L1, COPY, FILL[lost:], L2, MID, L3, L4, TAIL]
    assert len(". " + COPY + FILL) == 172
    found = _flagged(new, _note(OLD))
    assert [f.growth for f in found] == ([-lost] if flagged else [])
    if flagged:  # the gap's share is needed: the quote's length alone is 41
        assert _flagged(new, _note(OLD), CopyRules(max_shrink_gap=0.0)) == []
    else:  # only the shrink limit stood in the way
        assert len(_flagged(new, _note(OLD), CopyRules(max_shrink_gap=0.02))) == 1


# --- the answer fits in the old bracket ----------------------------------------------------------

@pytest.mark.parametrize(("short", "flagged"), [(24, False), (25, True)])
def test_the_old_bracket_must_have_room_for_the_copy(short: int, flagged: bool) -> None:
    """No copy stood between ``L1`` and ``L2``: a short remark did (``short`` characters), and
    the update put the phrase there (moved from the definition) — the bracket grew by 18 or 19,
    less than half the quote. The phrase starts 2 characters after ``L1``: in an old bracket
    of 26 (". " and the remark) it would end 17 beyond ``L2`` — more than the 16 of slack,
    either way the offset is read — so it was never there; in one of 27 it ends 16 beyond,
    within the slack a reflowed line takes, and the rule flags it (the numbers cannot tell
    this move from a copy that was there)."""
    remark = _filler(short)
    old = [HEAD, L1, remark, L2, MID, L3, DEFINITION, L4, TAIL]
    new = [HEAD, L1, QUOTE + ". ", L2, MID, L3, L4, TAIL]
    found = _flagged(new, _note(old, gone_at=(QUOTE, 0)))
    growth = len(QUOTE + ". ") - len(remark)
    assert growth <= len(QUOTE) / 2
    assert [(f.old_gap, f.growth, f.offset) for f in found] == (
        [(2 + short, growth, 2)] if flagged else [])
    if not flagged:  # only the offset's fit stood in the way
        assert len(_flagged(new, _note(old, gone_at=(QUOTE, 0)),
                            CopyRules(offset_slack=17))) == 1


@pytest.mark.parametrize("inserted", ["before", "after"])
def test_the_copy_may_stand_at_its_offset_or_that_less_the_growth(inserted: str) -> None:
    """20 characters inserted in the bracket (less than half the quote) shift the copy when
    inserted before it, not when inserted after: the old copy is looked for at both offsets.
    Here each reading alone would miss it by more than the slack: a copy ending 2 characters
    before ``L2``, text inserted before it, ends 18 beyond the old bracket at its new offset;
    a copy starting 2 characters after ``L1``, text inserted after it, starts 18 before the
    old bracket at its offset less the growth."""
    slack = CopyRules().offset_slack
    if inserted == "before":
        ending = "In the introduction we note that " + QUOTE + ". "
        old = [HEAD, L1, FILL, ending, L2, MID, L3, DEFINITION, L4, TAIL]
        new = [HEAD, L1, _filler(20), FILL, ending, L2, MID, L3, L4, TAIL]
    else:
        starting = QUOTE + " for each block, as the introduction notes. "
        old = [HEAD, L1, starting, FILL, L2, MID, L3, DEFINITION, L4, TAIL]
        new = [HEAD, L1, starting, FILL, _filler(20), L2, MID, L3, L4, TAIL]
    [found] = _flagged(new, _note(old))
    assert found.growth == 20
    if inserted == "before":
        assert found.offset + found.length - found.old_gap == 18 > slack
    else:
        assert found.offset - found.growth == -18 < -slack
