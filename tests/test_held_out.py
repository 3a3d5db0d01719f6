"""The wrong anchors that fresh draws showed (session 11), as tests: DEV drawn with other seeds
(``devset.py --seed-base 100``) — a nearer rival that keeps more of the stored text
(``tether.resolve.nearer``, each of its conditions also on hand-made texts) and a stored
position confirmed only by filler (``cascade._position_confirmed``, ``FILLER_TIE``) — and
Suite B drawn with other seeds (``accuracy.py --seed``) — a long quote's verbatim copy taken
over the passage edited in place (``second_look.unless_in_place``, now for quotes of any
length)."""

from __future__ import annotations

import pytest

from conftest import bench_module, require_shared, version_pages
from tether.offsets import OffsetUnit
from tether.resolve import Method, ResolveOptions, Resolver, Status
from tether.resolve.describe import describe_context
from tether.selectors import Annotation, TextPosition, TextQuote
from tether.textmodel.model import DocumentText

OFF = ResolveOptions(nearer_rival=False, verbatim_side=False)


def _doc(*pages: str) -> DocumentText:
    return DocumentText.from_page_texts(list(pages), model="pdfjs-2.11")


def _stored(old: DocumentText, start_utf16: int, end_utf16: int) -> Annotation:
    """What Hypothesis 2022 stores for UTF-16 units ``[start, end)`` of ``old``: the held-out
    draws' selectors, rebuilt from the shared text (the same strings; checked when drawn)."""
    start, end = old.from_utf16(start_utf16), old.from_utf16(end_utf16)
    prefix, suffix = describe_context(old.text, start, end)
    return Annotation("a", TextQuote(old.text[start:end], prefix, suffix),
                      TextPosition(start_utf16, end_utf16))


def _annotate(old: DocumentText, quote: str, nth: int = 0) -> Annotation:
    """The annotation Hypothesis stores for the ``nth`` occurrence of ``quote`` in ``old``."""
    start = -1
    for _ in range(nth + 1):
        start = old.text.index(quote, start + 1)
    return _stored(old, old.to_utf16(start), old.to_utf16(start + len(quote)))


def _versions(document: str, old: int) -> tuple[DocumentText, DocumentText]:
    return (DocumentText.from_page_texts(version_pages(document, old), model="pdfjs-2.11"),
            DocumentText.from_page_texts(version_pages(document, old + 1), model="pdfjs-2.11"))


# ------------------------------------------------------------------------ the held-out cases
@pytest.mark.parametrize(("document", "old_version", "stored", "copy", "passage"), [
    # "the second item being the block nonce, a pseudo-random number": v2 inserted "the block
    # nonce," between the stored prefix and the quote; the mining section's "… the second item
    # being a pseudo-random num-ber cryptographically dependent" won on context.
    ("eth-yellowpaper", 1, (63886, 63901), (31716, 31731), (67668, 67683)),
    # "Recall the introduction and elimination rules for disjunction" lost "and elimination";
    # the quantifier section's "introduction and elimination rules for quantification" won.
    ("co519-logic-partD", 1, (10590, 10606), (2268, 2284), (11956, 11968)),
])
def test_a_copy_elsewhere_is_refused_when_the_edited_passage_keeps_as_much(
        document: str, old_version: int, stored: tuple[int, int], copy: tuple[int, int],
        passage: tuple[int, int]) -> None:
    old, new = _versions(document, old_version)
    ann = _stored(old, *stored)
    assert Resolver(new, OFF).resolve(ann).span(OffsetUnit.UTF16) == copy  # the wrong anchor
    res = Resolver(new).resolve(ann)
    assert res.status is Status.AMBIGUOUS
    assert {c.span(OffsetUnit.UTF16) for c in res.rivals} == {copy, passage}
    assert "may have been edited in place" in (res.reason or "")


def test_a_dot_leader_alone_does_not_confirm_a_stored_position() -> None:
    """Italian thesis v3 → v4, ". . . ." in a contents line's dot leader: the contents moved,
    the stored position now lands in another line's dots, and the stored suffix (dots only)
    agreed there. Only filler confirms it, and the search prefers the line the prefix names:
    neither is taken."""
    old, new = _versions("music-esprit-thesis-it", 3)
    ann = _stored(old, 415, 422)
    assert Resolver(new).resolve(ann).status is Status.AMBIGUOUS


def test_a_filler_context_against_the_search_refuses_rather_than_moves() -> None:
    """A form's applicant "Name: ____" after its heading was reworded: the stored offsets still
    hold the field, and only its suffix (underscores) agrees there; the search, left with the
    edited heading, prefers the co-applicant's field (a review's counterexample to moving
    there). Neither is taken; before session 11 the position was."""
    line = "_" * 40

    def form(heading: str) -> DocumentText:
        return _doc(f"APPLICATION FORM\n{heading}\nName: {line}\nSignature: {line}\n"
                    f"Section 2: Co-applicant\nName: {line}\nSignature: {line}\n"
                    "Return this form by May.")

    old, new = form("Section 1: Applicant"), form("Your details (main).")
    res = Resolver(new).resolve(_annotate(old, "Name: ______"))
    assert res.status is Status.AMBIGUOUS
    assert old.text.index("Name: ") in {c.start for c in res.rivals}


# ------------------------------------------------------------------- the rule's conditions
FILLER = "".join(f"Paragraph {n} restates the setting in words of its own, number {n * 7}. "
                 for n in range(60))
COPY = ("In the mining section the proof is an array whose first item is the mixhash, and the "
        "second item being a pseudo-random number cryptographically dependent on the header. ")
PASSAGE = ("The validity function evaluates to an array with the first item being the mixHash "
           "and the second item being {insert}a pseudo-random number cryptographically "
           "dependent on H and d. ")
QUOTE = "a pseudo-random"


def _rule_case(filler: str = FILLER, quote: str = QUOTE, insert: str = "the block nonce, "):
    """COPY, filler, then the annotated PASSAGE; NEW inserts ``insert`` before the quote."""
    old = _doc(COPY + filler + PASSAGE.format(insert="") + FILLER)
    new = _doc(COPY + filler + PASSAGE.format(insert=insert) + FILLER)
    ann = _annotate(old, quote, nth=1)
    return new, ann, new.text.index(quote, len(COPY) + len(filler))


def test_rule_refuses_the_far_copy() -> None:
    new, ann, passage = _rule_case()
    assert Resolver(new, OFF).resolve(ann).start == COPY.index(QUOTE)
    res = Resolver(new).resolve(ann)
    assert res.status is Status.AMBIGUOUS
    assert {c.start for c in res.rivals} == {COPY.index(QUOTE), passage}


def test_rule_leaves_a_copy_that_is_not_clearly_farther() -> None:
    # "Clearly nearer" is ``position_tiebreak_ratio`` of the copy's distance: the passage is 17
    # code points off its stored start, the copy ~3,900, so a ratio under 17 / 3,900 leaves it.
    new, ann, passage = _rule_case()
    far = abs(COPY.index(QUOTE) - new.text.index(QUOTE, len(COPY) + len(FILLER)) + 17)
    strict = ResolveOptions(position_tiebreak_ratio=16 / far)
    assert Resolver(new, strict).resolve(ann).start == COPY.index(QUOTE)
    loose = ResolveOptions(position_tiebreak_ratio=18 / far)
    assert Resolver(new, loose).resolve(ann).status is Status.AMBIGUOUS


def test_rule_leaves_a_passage_that_keeps_less() -> None:
    # The passage's prefix rewritten as well: the copy keeps more of the stored text.
    old = _doc(COPY + FILLER + PASSAGE.format(insert="") + FILLER)
    new = _doc(COPY + FILLER + PASSAGE.format(insert="").replace(
        "with the first item being the mixHash and the second item being",
        "whose second element, after the nonce, is") + FILLER)
    ann = _annotate(old, QUOTE, nth=1)
    res = Resolver(new).resolve(ann)
    assert res.start == COPY.index(QUOTE) == Resolver(new, OFF).resolve(ann).start


def test_rule_leaves_a_quote_long_enough_to_stand_alone() -> None:
    long_quote = "a pseudo-random number cryptographically dependent"  # ≥ distinctive_quote
    new, ann, _ = _rule_case(quote=long_quote)
    assert Resolver(new).resolve(ann).start == Resolver(new, OFF).resolve(ann).start


# --------------------------------------------------------- Suite B drawn with other seeds
def _suite_b_case(seed: int, case_id: str):
    """One case of Suite B drawn with ``seed`` (only its mutation and document are built), and
    its new document."""
    kind, name, _ = case_id.removeprefix("B:").split("/")
    docs, cases = bench_module("suite_b").suite_b(require_shared(), kinds=[kind], names=[name],
                                                  seed=seed)
    case = next(c for c in cases if c.id == case_id)
    return case, docs[case.doc]


@pytest.mark.parametrize(("seed", "case_id"), [
    # A 141-character line of an infix-to-postfix slide that the notes show again as an
    # exercise; "movement" was inserted into the annotated one.
    (2, "B:copy-edit-inside-span/ds-stack-queue/5"),
    # A reference listed twice in the bibliography; the annotated entry was copy-edited.
    (9, "B:copy-edit-inside-span/phd-datavoids/7"),
])
def test_a_long_quotes_old_copy_is_not_taken_over_the_passage_edited_in_place(
        seed: int, case_id: str) -> None:
    case, doc = _suite_b_case(seed, case_id)
    ann = case.annotation
    assert ann.quote is not None and len(ann.quote.exact) >= ResolveOptions().distinctive_quote
    before = Resolver(doc, ResolveOptions(in_place=False)).resolve(ann)
    assert before.status.is_anchored and before.span(OffsetUnit.UTF16) != case.truth
    res = Resolver(doc).resolve(ann)
    assert res.status is Status.AMBIGUOUS
    assert case.truth in {c.span(OffsetUnit.UTF16) for c in res.rivals}


@pytest.mark.parametrize(("seed", "case_id"), [
    # A 53-character line of a linked-list listing moved on its own; where it was, the stored
    # context now surrounds the queue version of the same line ("queue" for "stack").
    (6, "B:relocate-span/ds-list/3"),
    (11, "B:relocate-span/eth-yellowpaper/4"),
])
def test_a_long_quote_moved_verbatim_is_not_taken_for_the_look_alike_left_behind(
        seed: int, case_id: str) -> None:
    case, doc = _suite_b_case(seed, case_id)
    ann = case.annotation
    assert ann.quote is not None and len(ann.quote.exact) >= ResolveOptions().distinctive_quote
    res = Resolver(doc).resolve(ann)
    # Was: the look-alike, fuzzy. Now both places are shown and neither is taken.
    assert res.status is Status.AMBIGUOUS
    assert case.truth in {c.span(OffsetUnit.UTF16) for c in res.rivals}


def test_a_long_passage_edited_at_its_stored_place_keeps_its_answer() -> None:
    """decoy-survives-edit, seed 14: the annotated passage was copy-edited where it stands, and
    a verbatim copy of the old wording was inserted elsewhere. Still found, at its place."""
    case, doc = _suite_b_case(14, "B:decoy-survives-edit/ds-stack-queue/1")
    res = Resolver(doc).resolve(case.annotation)
    assert res.status is Status.FUZZY
    assert bench_module("cases").verdict(case, res.span(OffsetUnit.UTF16)) == "found"


def test_a_deleted_passage_is_not_anchored_on_a_parallel_one() -> None:
    """delete-span, seed 3: the stack ADT's "remove and return the item on the top of the
    stack …" was deleted, and the queue ADT's "… at front of queue" (62 % of it in order)
    was taken for it. Its stored prefix and suffix now meet where it was."""
    case, doc = _suite_b_case(3, "B:delete-span/ds-stack-queue/0")
    ann = case.annotation
    assert case.category == "deleted"
    assert Resolver(doc, ResolveOptions(cut_out=False)).resolve(ann).status is Status.FUZZY
    res = Resolver(doc).resolve(ann)
    assert res.status is Status.ORPHANED
    assert "passage was deleted there" in (res.reason or "")


@pytest.mark.parametrize("stored", [(270, 402), (348, 484)])
def test_dot_leaders_meeting_do_not_count_as_a_cut(stored: tuple[int, int]) -> None:
    """Italian thesis v3 → v4, a contents entry with its dot leaders (DEV and a held-out
    draw): the stored context's dots meet in every contents line; the entry is still found."""
    old, new = _versions("music-esprit-thesis-it", 3)
    res = Resolver(new).resolve(_stored(old, *stored))
    assert res.status is Status.FUZZY, res.reason


# -------------------------------------------- the review's counterexamples (session 11)
def test_a_tie_on_the_stored_text_leaves_a_moved_sentence_alone() -> None:
    """A sentence moved to the conclusions while its twin stays near the old place: both keep
    the same stored text, so ``nearer`` does not refuse (strictly more is needed) — refused,
    the landmarks would have placed it on the twin."""
    first = "The first experiment used the default parameters of the solver throughout."
    moved = "With them the solver converges quickly when the step size is small, as Figure 2 shows."
    twin = "Its variant converges quickly when the step size is small, as Figure 3 shows."
    second = "The second experiment varied the mesh resolution between runs."
    filler = " ".join(f"Paragraph {i} discusses an unrelated matter of implementation at some "
                      "length." for i in range(12))
    old = _doc(f"Section 1. {first} {moved} {twin} {second}\n{filler}\nSection 9. Conclusions "
               "follow. The end.")
    new_moved = moved.replace("With them the solver", "In the final tests the solver")
    new = _doc(f"Section 1. {first} {twin} {second}\n{filler}\nSection 9. Conclusions follow. "
               f"{new_moved} The end.")
    note = [_annotate(old, first), _annotate(old, "converges quickly"), _annotate(old, second)]
    res = Resolver(new).resolve_all(note)[1]
    assert res.start == new.text.index("converges quickly", new.text.index("In the final"))


def test_a_row_of_numbers_confirms_its_stored_position() -> None:
    """Two matrices share their last rows; only the note after the second changed. A context of
    varied digits is evidence (not filler), so the row stays at its stored position."""
    rows = "0.25 0.50 0.00 0.25\n0.25 0.00 0.50 0.25\n0.00 0.25 0.25 0.50\n"
    first = "Table 1: transition matrix P.\n0.50 0.25 0.25 0.00\n" + rows
    second = "Table 2: transition matrix Q, lazier.\n0.75 0.25 0.00 0.00\n" + rows
    tail = "We now compare the mixing times of the two chains in the next section.\n"
    old = _doc(first + "Each row sums to one.\n" + second + "Each row sums to one, so the "
               "matrix is stochastic.\n" + tail)
    new = _doc(first + "Each row sums to one.\n" + second + "Q is again stochastic, but no "
               "longer doubly stochastic.\n" + tail)
    ann = _annotate(old, "0.00 0.25 0.25 0.50", nth=1)
    res = Resolver(new).resolve(ann)
    assert (res.status, res.method) == (Status.ANCHORED, Method.POSITION)


def test_a_listing_shown_twice_keeps_its_edited_second_copy() -> None:
    """The second listing's line was edited and a paragraph inserted earlier; the first
    listing's context meets where the line would be, but the answer's own context agrees on
    both sides, and that cut is not nearer the stored place: ``cut_out`` leaves it."""
    listing = "def load(path):\n    data = read(path)\n{check}    return parse(data)\n"
    head = "A short tutorial on loading files in Python. We start simple and then add checks.\n"
    body = ("Listing 1:\n" + listing.format(check="") + "The function above trusts its input.\n"
            "Trusting input is risky, so the second version validates the data first.\n"
            "Listing 2:\n{second}The function above validates its input before use.\n")
    line = "    check(data, strict=True)\n"
    old = _doc(head + body.format(second=listing.format(check=line)))
    inserted = "This revised edition adds a section on error handling and explains each listing.\n"
    new = _doc(head + inserted + body.format(
        second=listing.format(check=line.replace("True", "False"))))
    res = Resolver(new).resolve(_annotate(old, "check(data, strict=True)"))
    assert res.status is Status.FUZZY
    assert new.text[res.start:res.end] == "check(data, strict=False)"


# ------------------------------------------------ fresh draws, read in session 12
@pytest.mark.parametrize(("stored", "title"), [
    # ". . . . ." after "Algoritmo ESPRIT": the contents grew a line, so the stored offsets
    # (+1 as whitespace changed) now fall in "Modello Armonico"'s dots (``--seed-base 400``).
    ((509, 518), "Algoritmo ESPRIT"),
    # ". . . . . . . . . . . ." after "Algoritmo MUSIC" (``--seed-base 500``).
    ((411, 434), "Algoritmo MUSIC"),
])
def test_a_dot_leader_quote_is_not_confirmed_by_its_dots(stored: tuple[int, int],
                                                         title: str) -> None:
    """Italian thesis v3 → v4, a quote of dots whose stored context is the entry's title and
    page number around the dot leader. At the stored position the context sides agree 31 of 32
    — every character but the title's last and the page's, the ones that tell contents lines
    apart. Agreement only in the filler does not confirm the position: neither place is taken,
    the line the context names among those shown."""
    old, new = _versions("music-esprit-thesis-it", 3)
    res = Resolver(new).resolve(_stored(old, *stored))
    assert res.status is Status.AMBIGUOUS
    # Where each place's dot leader begins: one is the stored title's line.
    lines = {new.text[:c.start].rstrip(". ").rsplit("\n", 1)[-1] for c in res.rivals}
    assert any(line.endswith(title) for line in lines), lines


def test_a_filler_quote_confirmed_beyond_its_dots_keeps_its_stored_position() -> None:
    """The same kind of quote in an unchanged contents line: its title and page number agree
    at the stored position, which is kept."""
    line = "Chapter {n} {title} " + ". " * 30 + "{page}\n"
    titles = ["Introduction", "Methods", "Results", "Discussion"]
    text = "Contents\n" + "".join(line.format(n=n, title=t, page=3 + 7 * n)
                                  for n, t in enumerate(titles))
    old, new = _doc(text), _doc(text + "Index of names follows.\n")
    quote = ". " * 12
    at = old.text.index(quote, old.text.index("Results"))
    res = Resolver(new).resolve(_stored(old, old.to_utf16(at), old.to_utf16(at + len(quote))))
    assert (res.status, res.method, res.start) == (Status.ANCHORED, Method.POSITION, at)


def test_a_quote_edited_in_place_is_a_candidate_beside_the_votes_centre() -> None:
    """Italian thesis v1 → v2, the contents line ". . 8Algoritmo MUSIC" became "9Algoritmo
    MUSIC", and the next line reads ". . 9Algoritmo ESPRIT": both readings cost one edit and
    lie in one voted window, whose single alignment went to the one nearer the votes' centre
    (the next line), so the passage edited in place was never scored (``--seed-base 400``).
    Aligned at the stored position too, it wins on its context."""
    old, new = _versions("music-esprit-thesis-it", 1)
    res = Resolver(new).resolve(_stored(old, 382, 396))
    assert res.status is Status.FUZZY
    assert (res.start, new.text[res.end:res.end + 6]) == (382, " MUSIC")


# -------------------------------------------- the review's counterexamples (session 12)
def _contents(toc: str) -> DocumentText:
    """Paragraphs, a table of contents and more paragraphs, on one page."""
    para = "".join(f"Paragraph {n} restates the setting in words of its own, number {n * 7}. "
                   for n in range(12))
    return _doc(para + toc + para.replace("Paragraph", "Section"))


def _dots(n: int) -> str:
    return ". " * n


def _between(old: DocumentText, start: int, end: int) -> Annotation:
    return _stored(old, old.to_utf16(start), old.to_utf16(end))


def test_two_contents_lines_swapped_keep_the_entry_not_the_stored_offsets() -> None:
    """"Glow" and "Rsclear" swapped and every page renumbered: at the stored offsets stand the
    Glow line's dots and page, 4 edits from "ear . . . 17"; the entry itself, 1 edit, stays
    the answer (only an equally good reading at the stored place is a candidate)."""
    old = _contents(f"Glow {_dots(29)}17Rsclear {_dots(25)}17Gmid {_dots(17)}20Modello "
                    f"Armonico {_dots(26)}22Stima Spettrale {_dots(19)}24")
    new = _contents(f"Rsclear {_dots(25)}18Glow {_dots(29)}18Gmid {_dots(17)}21Modello "
                    f"Armonico {_dots(26)}23Stima Spettrale {_dots(19)}25")
    start = old.text.index("Rsclear") + 4
    res = Resolver(new).resolve(_between(old, start, old.text.index("Gmid")))
    assert (res.status, res.start) == (Status.FUZZY, new.text.index("Rsclear") + 4)


def test_a_deleted_contents_line_is_not_found_in_the_line_before() -> None:
    """"Gbase" deleted, the later pages renumbered: its stored place holds the line before's
    dots and page, "ase . . . 4" with its three letters gone (3 edits of 18, all of them what
    named the entry): not an equally good reading at the stored place."""
    old = _contents(f"Filtro di Kalman {_dots(22)}4Gsset {_dots(20)}4Gbase {_dots(14)}4Stima "
                    f"Spettrale {_dots(12)}7Rete di Distribuzione {_dots(28)}7Gsreset "
                    f"{_dots(17)}7")
    new = _contents(f"Filtro di Kalman {_dots(22)}4Gsset {_dots(20)}4Stima Spettrale "
                    f"{_dots(12)}8Rete di Distribuzione {_dots(28)}8Gsreset {_dots(17)}8")
    start = old.text.index("Gbase") + 2
    res = Resolver(new).resolve(_between(old, start, old.text.index("Stima")))
    assert not res.status.is_anchored


def test_two_contents_lines_swapped_do_not_turn_a_refusal_into_another_line() -> None:
    """"Risultati … 13" and "Gverylow … 16" swapped: ". . . . . 16" stands verbatim at the
    Gverylow line; the Risultati line's ". . . . . 13" (1 edit) at the stored place is not
    added beside a verbatim candidate."""
    head, ris, gv = (f"Algoritmo MUSIC {_dots(20)}11", f"Risultati {_dots(23)}13",
                     f"Gverylow {_dots(29)}16")
    tail = f"Glow {_dots(11)}19Gbase {_dots(14)}19Gsreset {_dots(26)}22Gmid {_dots(30)}23"
    old, new = _contents(head + ris + gv + tail), _contents(head + gv + ris + tail)
    end = old.text.index("Glow")
    res = Resolver(new).resolve(_between(old, end - len(". . . . . 16"), end))
    gverylow = new.text.index("Risultati", new.text.index("Gverylow")) - len(". . . . . 16")
    assert res.start in (None, gverylow)
    assert gverylow in {c.start for c in res.rivals} | {res.start}
