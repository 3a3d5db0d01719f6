"""The reasons a resolution gives, read by people in tables and reports: they must say what
happened (a quote shifted by whitespace is not "different in whitespace") and count right."""

from __future__ import annotations

from test_resolve_steps import PROSE, annotate, make_doc, resolve, span_of

from tether.resolve import Method, Resolution, Status
from tether.resolve.describe import count_of, signed_code_points

QUOTE = "stored offsets no longer point at the same words"


def _after(old: str, new: str) -> tuple[int, Resolution]:
    """The stored start of ``QUOTE`` (code points) and its resolution once the third sentence's
    ``old`` became ``new``."""
    doc = make_doc(PROSE)
    start, end = span_of(doc, QUOTE)
    changed = PROSE[:2] + [PROSE[2].replace(old, new)] + PROSE[3:]
    return start, resolve(make_doc(changed), annotate(doc, start, end))


def test_a_quote_shifted_by_whitespace_before_it_says_so() -> None:
    """The thesis v1 → v2 case (a space inserted before a verbatim quote): the reason said the
    quote "differs ... only in whitespace", which it does not."""
    start, res = _after("so stored", "so  stored")
    assert res.status == Status.DRIFTED and res.method == Method.POSITION
    assert res.exact == QUOTE and res.start == start + 1
    assert res.reason == ("the quote is unchanged, moved by +1 code point as whitespace before "
                          "it changed")


def test_whitespace_changed_inside_the_quote_keeps_its_reason() -> None:
    start, res = _after("no longer", "no  longer")
    assert res.status == Status.DRIFTED and res.method == Method.POSITION
    assert res.start == start and res.exact == QUOTE.replace("no longer", "no  longer")
    assert res.reason == ("the stored quote differs from the text at its position only in "
                          "whitespace")


def test_counts_agree_with_their_nouns() -> None:
    assert [count_of(n, "edit") for n in (0, 1, 2)] == ["0 edits", "1 edit", "2 edits"]
    assert [signed_code_points(n) for n in (-2, -1, 0, 1, 7)] == [
        "-2 code points", "-1 code point", "+0 code points", "+1 code point", "+7 code points"]


def test_a_one_character_edit_reads_one_edit() -> None:
    _, res = _after("same words", "same world")
    assert res.status == Status.FUZZY
    assert res.reason.startswith("the quoted text changed: 2 edits in ")  # "ds" → "ld"
    _, res = _after("same words", "same wordz")
    assert res.status == Status.FUZZY
    assert res.reason.startswith("the quoted text changed: 1 edit in "), res.reason
