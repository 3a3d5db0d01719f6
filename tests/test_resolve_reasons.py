"""The reasons a resolution gives, read by people in tables and reports: they must say what
happened (a quote shifted by whitespace is not "different in whitespace") and count right."""

from __future__ import annotations

from test_resolve_steps import PROSE, annotate, make_doc, resolve, span_of

from tether.offsets import OffsetUnit
from tether.resolve import Method, Resolution, Status
from tether.resolve.describe import REASON_EDIT_CHARS, change_reason, count_of, signed_move

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
    assert res.reason == ("the quote is unchanged, moved by +1 UTF-16 unit as whitespace before "
                          "it changed")


def test_whitespace_changed_inside_the_quote_keeps_its_reason() -> None:
    start, res = _after("no longer", "no  longer")
    assert res.status == Status.DRIFTED and res.method == Method.POSITION
    assert res.start == start and res.exact == QUOTE.replace("no longer", "no  longer")
    assert res.reason == ("the stored quote differs from the text at its position only in "
                          "whitespace")


def test_counts_agree_with_their_nouns() -> None:
    assert [count_of(n, "edit") for n in (0, 1, 2)] == ["0 edits", "1 edit", "2 edits"]
    assert [signed_move(n, OffsetUnit.CODE_POINT) for n in (-2, -1, 0, 1, 7)] == [
        "-2 code points", "-1 code point", "+0 code points", "+1 code point", "+7 code points"]
    assert [signed_move(n, OffsetUnit.UTF16) for n in (-1, 5)] == [
        "-1 UTF-16 unit", "+5 UTF-16 units"]


def test_a_move_is_told_in_the_unit_of_the_stored_offsets() -> None:
    """A quote moved past a new math letter (two UTF-16 units, one code point): the reason
    gives the difference people see between the stored and the new UTF-16 offsets (it said
    "+4 code points" beside offsets 5 apart), and code points for code-point offsets (W3C)."""
    old = make_doc(["Let 𝑥 be given. " + "".join(PROSE[:3]), *PROSE[3:]])
    new = make_doc(["Let 𝑥 and 𝑦 be given. " + "".join(PROSE[:3]), *PROSE[3:]])
    start, end = span_of(old, QUOTE)
    for unit, want in ((OffsetUnit.UTF16, "+7 UTF-16 units"), (OffsetUnit.CODE_POINT,
                                                                "+6 code points")):
        ann = annotate(old, start, end, unit=unit)
        res = resolve(new, ann)
        assert res.status == Status.DRIFTED, res
        stored = ann.position.start
        got = res.start_utf16 if unit is OffsetUnit.UTF16 else res.start
        assert got - stored == int(want.split()[0]), (got, stored)
        assert res.reason == f"the quote moved by {want}", res.reason


def test_a_one_character_edit_reads_one_edit() -> None:
    _, res = _after("same words", "same world")
    assert res.status == Status.FUZZY
    assert res.reason.startswith("the quoted text changed: 2 edits in ")  # "ds" → "ld"
    _, res = _after("same words", "same wordz")
    assert res.status == Status.FUZZY
    assert res.reason.startswith("the quoted text changed: 1 edit in "), res.reason


def test_edits_read_as_insertions_deletions_and_replacements() -> None:
    """An insertion read "''→'Boutellieran…'" (the yellow paper v1 → v2); a long one repeated
    a whole rewritten sentence."""
    long = "XYZ-123-XYZ-456-XYZ-789-XYZ-000-XYZ"
    reason = change_reason("the cat sat on a mat", "the cat sat " + long + " on mat", 36)
    assert reason.startswith("the quoted text changed: 36 edits in 15 characters: ")
    inserted, deleted = reason.split(": ")[2].split(", ")
    assert inserted == f"inserted '{long[: REASON_EDIT_CHARS - 1]}…'"
    assert deleted == "deleted 'a'"
    assert change_reason("same words", "same world", 2).endswith(": inserted 'l', deleted 's'")
