"""The reasons a resolution gives, read by people in tables and reports: they must say what
happened (a quote shifted by whitespace is not "different in whitespace") and count right."""

from __future__ import annotations

from test_resolve_steps import PROSE, annotate, make_doc, resolve, span_of

from tether.resolve import Method, Status
from tether.resolve.describe import count_of, signed_code_points

QUOTE = "stored offsets no longer point at the same words"


def test_a_quote_shifted_by_whitespace_before_it_says_so() -> None:
    """The thesis v1 → v2 case (a space inserted before a verbatim quote): the reason said the
    quote "differs ... only in whitespace", which it does not."""
    old = make_doc(PROSE)
    start, end = span_of(old, QUOTE)
    ann = annotate(old, start, end)
    moved = PROSE[:2] + [PROSE[2].replace("so stored", "so  stored")] + PROSE[3:]
    res = resolve(make_doc(moved), ann)
    assert res.status == Status.DRIFTED and res.method == Method.POSITION
    assert res.exact == QUOTE and res.start == start + 1
    assert res.reason == ("the quote is unchanged, moved by +1 code point as whitespace before "
                          "it changed")


def test_whitespace_changed_inside_the_quote_keeps_its_reason() -> None:
    old = make_doc(PROSE)
    start, end = span_of(old, QUOTE)
    ann = annotate(old, start, end)
    inside = PROSE[:2] + [PROSE[2].replace("no longer", "no  longer")] + PROSE[3:]
    res = resolve(make_doc(inside), ann)
    assert res.status == Status.DRIFTED and res.method == Method.POSITION
    assert res.start == start and res.exact == QUOTE.replace("no longer", "no  longer")
    assert res.reason == ("the stored quote differs from the text at its position only in "
                          "whitespace")


def test_counts_agree_with_their_nouns() -> None:
    assert [count_of(n, "edit") for n in (0, 1, 2)] == ["0 edits", "1 edit", "2 edits"]
    assert [signed_code_points(n) for n in (-2, -1, 0, 1, 7)] == [
        "-2 code points", "-1 code point", "+0 code points", "+1 code point", "+7 code points"]


def test_a_one_character_edit_reads_one_edit() -> None:
    old = make_doc(PROSE)
    start, end = span_of(old, QUOTE)
    ann = annotate(old, start, end)
    edited = PROSE[:2] + [PROSE[2].replace("same words", "same world")] + PROSE[3:]
    res = resolve(make_doc(edited), ann)
    assert res.status == Status.FUZZY
    assert res.reason.startswith("the quoted text changed: 2 edits in ")  # "ds" → "ld"
    edited = PROSE[:2] + [PROSE[2].replace("same words", "same wordz")] + PROSE[3:]
    res = resolve(make_doc(edited), ann)
    assert res.status == Status.FUZZY
    assert res.reason.startswith("the quoted text changed: 1 edit in "), res.reason
