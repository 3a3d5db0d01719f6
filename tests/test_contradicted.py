"""An answer the note's landmarks contradict (``tether.resolve.contradicted``): the quote taken
elsewhere while it stands verbatim where the landmarks put the passage is refused, both places
shown. Hand-made notes for each condition, a review's counterexample, and a fresh Suite B case
that showed it (session 12)."""

from __future__ import annotations

from dataclasses import replace

from conftest import bench_module, require_shared
from tether.offsets import OffsetUnit
from tether.resolve import Method, ResolveOptions, Resolver, Status
from tether.resolve.describe import describe_context
from tether.resolve.landmarks import LandmarkRules
from tether.selectors import Annotation, TextPosition, TextQuote
from tether.textmodel.model import DocumentText

OFF = ResolveOptions(contradicted=False)
QUOTE = "by the"
#: The annotated sentence, and a parallel one in another section whose words differ by one.
PASSAGE = "The output is equal to the input prefixed by the minimal-length array giving its size. "
PARALLEL = ("The list output is equal to the inputs prefixed by the minimal-length array giving "
            "its size. ")
INSERT = "provided that it holds fewer than 2^64 bytes, "


def _para(n: int) -> str:
    return f"Paragraph {n} restates the setting in words of its own, number {n * 7}. "


def _doc(passage: str, paragraphs: dict[int, str] | None = None) -> DocumentText:
    body = [(paragraphs or {}).get(n) or _para(n) for n in range(40)]
    body.insert(12, passage)
    body.insert(33, PARALLEL)
    return DocumentText.from_page_texts(["".join(body)], model="pdfjs-2.11")


def _annotation(old: DocumentText, ident: str, start: int, end: int) -> Annotation:
    prefix, suffix = describe_context(old.text, start, end)
    return Annotation(ident, TextQuote(old.text[start:end], prefix, suffix),
                      TextPosition(old.to_utf16(start), old.to_utf16(end)))


def _note(old: DocumentText, quote_at: int) -> list[Annotation]:
    """The annotation of ``QUOTE`` at code point ``quote_at`` of ``old``, and a landmark on every
    other paragraph (its opening words, unique)."""
    anns = [_annotation(old, "target", quote_at, quote_at + len(QUOTE))]
    for n in range(0, 40, 2):
        at = old.text.index(f"Paragraph {n} restates")
        anns.append(_annotation(old, f"p{n}", at, at + len(f"Paragraph {n} restates the")))
    return anns


def _case(new_passage: str) -> tuple[DocumentText, list[Annotation], int]:
    old, new = _doc(PASSAGE), _doc(new_passage)
    quote_at = old.text.index(PASSAGE) + PASSAGE.index(QUOTE)
    return new, _note(old, quote_at), new.text.index(new_passage) + new_passage.index(QUOTE)


def _target(results):
    return next(r for r in results if r.id == "target")


EDITED = PASSAGE.replace("input prefixed", "input, " + INSERT + "prefixed")


def test_the_copy_the_context_prefers_gives_way_to_the_one_the_landmarks_put() -> None:
    """Refused, then placed by the landmarks on the passage: the quote's only copy in its
    bracket, rare enough in the whole text."""
    new, note, passage = _case(EDITED)
    copy = new.text.index(PARALLEL) + PARALLEL.index(QUOTE)
    before = _target(Resolver(new, OFF).resolve_all(note))
    assert before.status.is_anchored and before.start == copy  # the wrong anchor
    res = _target(Resolver(new).resolve_all(note))
    assert (res.status, res.method, res.start) == (Status.DRIFTED, Method.LANDMARKS, passage)
    # The landmarks themselves are untouched.
    assert all(r.status.is_anchored for r in Resolver(new).resolve_all(note) if r.id != "target")


def test_a_second_copy_in_the_bracket_leaves_it_refused_with_both_places_shown() -> None:
    """The paragraph before the passage also holds the quote: the placement rule needs the
    quote once in the bracket, so the refusal stands; the rule itself counts only the copy
    where the stored position puts it."""
    common = {11: _para(11).replace("in words", "by the words")}
    old, new = _doc(PASSAGE, common), _doc(EDITED, common)
    note = _note(old, old.text.index(PASSAGE) + PASSAGE.index(QUOTE))
    passage = new.text.index(EDITED) + EDITED.index(QUOTE)
    copy = new.text.index(PARALLEL) + PARALLEL.index(QUOTE)
    assert _target(Resolver(new, OFF).resolve_all(note)).start == copy  # the wrong anchor
    res = _target(Resolver(new).resolve_all(note))
    assert res.status is Status.AMBIGUOUS
    assert {c.start for c in res.rivals} == {copy, passage}
    assert "landmarks" in (res.reason or "") and "verbatim" in (res.reason or "")


def test_alone_the_annotation_has_no_landmarks_and_keeps_its_answer() -> None:
    new, note, _ = _case(EDITED)
    copy = new.text.index(PARALLEL) + PARALLEL.index(QUOTE)
    assert Resolver(new).resolve_all(note[:1])[0].start == copy


def test_a_copy_in_the_bracket_away_from_where_the_position_puts_it_does_not_count() -> None:
    """The annotated sentence reworded (the quote gone from it), and the quote standing in the
    same bracket, but well past where the stored position puts it."""
    moved = ("The output is equal to the input, led with the minimal-length array giving its "
             "size. " + "It is read one element after another, unless stated otherwise. " * 3
             + "It is read by the parser.")
    new, note, _ = _case(moved)
    copy = new.text.index(PARALLEL) + PARALLEL.index(QUOTE)
    off = _target(Resolver(new, OFF).resolve_all(note))
    assert off.start == copy
    assert _target(Resolver(new).resolve_all(note)) == off


def test_a_copy_there_by_chance_does_not_count() -> None:
    """With the chance limit at 0, no copy is rare enough: the answer stands."""
    new, note, _ = _case(EDITED)
    strict = replace(ResolveOptions(), landmark_rules=LandmarkRules(max_chance_copies=0.0))
    off = _target(Resolver(new, replace(strict, contradicted=False)).resolve_all(note))
    assert off.start == new.text.index(PARALLEL) + PARALLEL.index(QUOTE)
    assert _target(Resolver(new, strict).resolve_all(note)) == off


def test_a_moved_sentence_is_not_contradicted_by_a_copy_left_near_its_old_place() -> None:
    """A review's counterexample (session 12): "We then compare the proposed method …" moved to
    another section; the next sentence, "Using the proposed method …", now starts where it was
    (the bracket shrank by the sentence, so the offset slack takes it in). That copy's context
    agrees with neither stored side: it is not the passage, and the moved sentence keeps its
    answer (before the fix it was refused, then placed on the copy: a wrong anchor)."""
    moved = "We then compare the proposed method against two baselines on every benchmark. "
    after = "Using the proposed method requires a calibration step first. "
    body = [_para(n) for n in range(40)]
    old = DocumentText.from_page_texts(["".join(body[:12] + [moved, after] + body[12:])],
                                       model="pdfjs-2.11")
    new = DocumentText.from_page_texts(["".join(body[:12] + [after] + body[12:30] + [moved]
                                                + body[30:])], model="pdfjs-2.11")
    quote = "proposed method"
    at = old.text.index(moved) + moved.index(quote)
    note = [_annotation(old, "target", at, at + len(quote))] + _note(old, 0)[1:]
    res = _target(Resolver(new).resolve_all(note))
    assert (res.status, res.start) == (Status.DRIFTED, new.text.index(moved) + moved.index(quote))


def test_fresh_suite_b_edit_outside_span_is_placed_on_the_passage() -> None:
    """Suite B drawn with seed 5, edit-outside-span in the mechanics chapter: a word beside the
    annotated short quote was replaced, and a copy 4,771 units on, whose context now agreed
    better, was anchored. The scenario's other annotations are its landmarks: the answer is
    refused, and then placed on the passage (exact)."""
    suite_b, cases_module = bench_module("suite_b"), bench_module("cases")
    docs, cases = suite_b.suite_b(require_shared(), kinds=["edit-outside-span"],
                                  names=["mech-ch2"], seed=5)
    case = next(c for c in cases if c.id == "B:edit-outside-span/mech-ch2/4")
    note = [c for c in cases if c.doc == case.doc]
    k = note.index(case)
    anns = [c.annotation for c in note]
    before = Resolver(docs[case.doc], OFF).resolve_all(anns)[k]
    assert cases_module.verdict(case, before.span(OffsetUnit.UTF16)) == "wrong"
    res = Resolver(docs[case.doc]).resolve_all(anns)[k]
    assert res.method is Method.LANDMARKS
    assert cases_module.verdict(case, res.span(OffsetUnit.UTF16)) == "exact"
