"""Property tests: random notes (markdown around blocks, CRLF, BOM, Unicode) and random updates.

Oracle: the note rendered the way the plugin renders it (tests/formats_notegen.py, independent
of tether's writer) with the new values must equal tether's minimal edit, byte for byte; the
difference from the original must lie inside the selector values and the PREFIX line; and a
re-parse must give the new values with the same ids, comments and tags.
"""

from __future__ import annotations

from formats_notegen import BlockSpec, NoteSpec, render_note
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tether.formats import ObsidianNote, SelectorUpdate, js_trim, parse_note
from tether.offsets import OffsetUnit
from tether.selectors import TextPosition, TextQuote

# Characters that stress the format: JSON escapes, controls (not CR: see below), markup
# characters of the note, JS-vs-Python whitespace, non-BMP, CJK, line/paragraph separators.
_SPECIAL = list('"\\/*=%>^`#[]|, \t\n\x00\x01\x08\x0b\x0c\x1c\x1d\x1f\x7f\x85\xa0'
                "\u2028\u2029\ufeff\u3000é–’文字𝑥🙂")
_CHARS = st.one_of(st.sampled_from(_SPECIAL),
                   st.characters(codec="utf-8", exclude_characters="\r"))
TEXT = st.text(_CHARS, max_size=40)
EXACT = st.text(_CHARS, min_size=1, max_size=60)
# A CR before a line break cannot survive in a note line (it reads as CRLF); such values are
# refused by the writer, tested in test_formats_obsidian.py. Generated values avoid CR.
WORD = st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=8)
MD_LINE = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=30).map(
    lambda s: "x" + s if s.startswith((">", "^", "-")) else s)
MARKDOWN = st.lists(MD_LINE, max_size=4).map(lambda lines: "".join(ln + "\n" for ln in lines))
OFFSET = st.integers(0, 10**7)


@st.composite
def block_specs(draw: st.DrawFn, ident: str) -> BlockSpec:
    page_note = draw(st.booleans()) and draw(st.booleans())  # ~1 in 4
    start = draw(OFFSET)
    return BlockSpec(
        ident,
        exact=None if page_note else draw(EXACT),
        prefix=draw(TEXT), suffix=draw(TEXT),
        start=None if draw(st.integers(0, 5)) == 0 else start,
        end=start + draw(st.integers(0, 500)),
        comment=draw(st.text(st.characters(codec="utf-8", exclude_characters="\r"),
                             max_size=30)),
        tags=tuple(draw(st.lists(WORD, max_size=3))),
        include_prefix=draw(st.booleans()), include_postfix=draw(st.booleans()),
        highlight_marks=draw(st.booleans()),
        extra_value=draw(TEXT),
    )


@st.composite
def notes(draw: st.DrawFn) -> NoteSpec:
    n = draw(st.integers(1, 4))
    ids = draw(st.lists(WORD, min_size=n, max_size=n, unique=True))
    blocks = tuple(draw(block_specs(i)) for i in ids)
    between = tuple(draw(MARKDOWN) for _ in blocks)
    return NoteSpec(blocks, between=between, tail=draw(MARKDOWN), crlf=draw(st.booleans()),
                    bom=draw(st.booleans()))


@st.composite
def notes_and_updates(draw: st.DrawFn) -> tuple[NoteSpec, dict[str, SelectorUpdate]]:
    spec = draw(notes())
    updates = {}
    for b in spec.blocks:
        if b.exact is not None and draw(st.booleans()):
            start = draw(OFFSET)
            updates[b.id] = SelectorUpdate(start, start + draw(st.integers(0, 500)),
                                           draw(EXACT), draw(TEXT), draw(TEXT))
    return spec, updates


def _mask(note: ObsidianNote) -> str:
    """The note text with every editable region (selector values, PREFIX line) blanked."""
    regions = []
    for b in note.blocks:
        if b.spans is not None:
            for obj, keys in ((b.spans.position_node, ("start", "end")),
                              (b.spans.quote_node, ("exact", "prefix", "suffix"))):
                for key in keys:
                    node = obj.get(key) if obj is not None else None
                    if node is not None:
                        regions.append((b.to_file(node.start), b.to_file(node.end)))
        if b.markdown is not None:
            regions.append((b.to_file(b.markdown.start("star")),
                            b.to_file(b.markdown.end("end_star"))))
    out, pos = [], 0
    for s, e in sorted(regions):
        out += [note.text[pos:s], "\x00"]
        pos = e
    return "".join(out) + note.text[pos:]


def _expected_quote(b: BlockSpec) -> TextQuote:
    return TextQuote(b.exact or "",
                     js_trim(b.prefix) if b.include_prefix else b.prefix,
                     js_trim(b.suffix) if b.include_postfix else b.suffix)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes())
def test_generated_notes_parse_and_round_trip(spec: NoteSpec) -> None:
    text = render_note(spec)
    note = parse_note(text)
    assert note.render({}) == text
    assert note.encode(text) == text.encode("utf-8")
    assert [a.id for a in note.annotations] == [b.id for b in spec.blocks]
    for ann, b in zip(note.annotations, spec.blocks, strict=True):
        assert not ann.problems, ann.problems
        assert ann.comment == b.comment and ann.tags == b.tags
        if b.exact is None:
            assert ann.quote is None and ann.position is None
            continue
        assert ann.quote == _expected_quote(b)
        want_pos = TextPosition(b.start, b.end, OffsetUnit.UTF16) if b.start is not None else None
        assert ann.position == want_pos


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes_and_updates())
def test_updates_change_only_selectors_and_prefix_line(
        case: tuple[NoteSpec, dict[str, SelectorUpdate]]) -> None:
    spec, updates = case
    text = render_note(spec)
    note = parse_note(text)
    result = note.apply_updates(updates)
    assert not result.skipped, result.skipped

    # 1. exactly what the plugin would have written with the new values
    new_blocks = tuple(
        b.updated(*(lambda u: (u.start, u.end, u.exact, u.prefix, u.suffix))(updates[b.id]))
        if b.id in updates else b for b in spec.blocks)
    new_spec = NoteSpec(new_blocks, between=spec.between, tail=spec.tail, crlf=spec.crlf,
                        bom=spec.bom)
    assert result.text == render_note(new_spec)

    # 2. outside selector values and the PREFIX/HIGHLIGHT/POSTFIX line, nothing moved
    new_note = parse_note(result.text)
    assert _mask(new_note) == _mask(note)

    # 3. re-parsing gives the new values, same ids, comments, tags
    assert [a.id for a in new_note.annotations] == [a.id for a in note.annotations]
    for old, new, b in zip(note.annotations, new_note.annotations, new_blocks, strict=True):
        assert (new.comment, new.tags) == (old.comment, old.tags)
        assert not new.problems
        if b.exact is not None:
            assert new.quote == _expected_quote(b)
            if b.start is not None:
                assert new.position == TextPosition(b.start, b.end, OffsetUnit.UTF16)
            if b.id in updates:
                u = updates[b.id]
                assert new.extra["json_quote"] == TextQuote(u.exact, u.prefix, u.suffix)
