"""Obsidian Annotator notes: reading (plugin load rules, leniency, problems) and minimal writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from formats_notegen import BlockSpec, NoteSpec, render_block, render_note

from conftest import FIXTURES, require_shared
from tether.formats import (
    FormatError,
    ObsidianNote,
    SelectorUpdate,
    js_trim,
    load_annotations,
    parse_note,
    read_note,
)
from tether.formats.jsonedit import js_string
from tether.offsets import OffsetUnit
from tether.selectors import TextPosition, TextQuote


def _corpus_notes() -> list[Path]:
    shared = require_shared()
    notes = sorted((shared / "corpus" / "vaults").glob("*/**/*.md"))
    notes += sorted((shared / "corpus" / "seed").glob("*.md"))
    return notes


def _fixture_notes() -> list[Path]:
    if not FIXTURES.is_dir():
        return []
    return sorted(p for p in FIXTURES.rglob("*.md")
                  if "```annotation-json" in p.read_text(encoding="utf-8", errors="replace"))


def _identity_updates(note: ObsidianNote) -> dict[str, SelectorUpdate]:
    """Updates equal to what each block's JSON already says."""
    out = {}
    for ann in note.annotations:
        if ann.position is not None and "json_quote" in ann.extra:
            q = ann.extra["json_quote"]
            out[ann.id] = SelectorUpdate(ann.position.start, ann.position.end, q.exact,
                                         q.prefix, q.suffix)
    return out


# --- corpus: byte identity and counts -------------------------------------------------------

def test_corpus_notes_round_trip_byte_identical(tmp_path: Path) -> None:
    notes = _corpus_notes() + _fixture_notes()
    assert len(notes) >= 9
    for path in notes:
        raw = path.read_bytes()
        note = read_note(path)
        assert note.encode(note.render({})) == raw, path
        same = note.apply_updates(_identity_updates(note))
        assert same.applied == [] and not same.skipped, path
        assert note.encode(same.text) == raw, path
        # and through load_annotations on a copy (format detection, stamps)
        copy = tmp_path / path.name
        copy.write_bytes(raw)
        loaded = load_annotations(copy)
        assert loaded.format == "obsidian"
        assert loaded.encode(loaded.render({})) == raw


def test_vault_notes_counts() -> None:
    shared = require_shared()
    total = with_both = page_notes = 0
    for prov_path in sorted((shared / "corpus" / "vaults").glob("*/provenance.json")):
        prov = json.loads(prov_path.read_text(encoding="utf-8"))
        note = read_note(prov_path.parent / prov["md"])
        anns = note.annotations
        assert len(anns) == prov["n_annotations"], prov["md"]
        assert sum(a.quote is not None for a in anns) == prov["n_quote"], prov["md"]
        assert all(not a.problems and not a.extra["warnings"] for a in anns), prov["md"]
        assert note.target and note.target.endswith(".pdf")
        for a in anns:
            assert a.fingerprint in prov["ann_fingerprints"]
            if a.quote is None:
                assert a.position is None and a.extra["kind"] == "page-note"
                page_notes += 1
            else:
                assert a.position is not None and a.position.unit == OffsetUnit.UTF16
                with_both += 1
        total += len(anns)
    # 193 highlights carry quote + position; 11 more blocks are page notes (no target).
    assert (total, with_both, page_notes) == (204, 193, 11)


def test_seed_note() -> None:
    shared = require_shared()
    note = read_note(shared / "corpus" / "seed" / "fmed-09-948210.md")
    assert [a.id for a in note.annotations] == ["l51cn59wpwk", "6p8zx9j7etm", "qy2wzzzl0jj"]
    a = note.annotations[0]
    assert a.position == TextPosition(1815, 2562, OffsetUnit.UTF16)
    assert a.quote is not None and a.quote.prefix == "ersity, Shenyang,Liaoning, China"
    assert a.fingerprint == "1455ef1424e7f677bd06bd25c76a7fca"
    assert a.source == "vault:/hematology-theroy/papers/yanxiaojing/fmed-09-948210.pdf"
    assert note.target == "fmed-09-948210.pdf"
    # JSON exact keeps its trailing space; the markdown's trimmed HIGHLIGHT does not win
    assert a.quote.exact.endswith("wasachieved. ")


def test_control_character_in_real_prefix_survives_and_is_not_trimmed() -> None:
    shared = require_shared()
    path = next((shared / "corpus" / "vaults" / "mech-ch2").glob("**/CH2_note.md"))
    note = read_note(path)
    a = next(a for a in note.annotations if a.quote and "\x1d" in a.quote.prefix)
    # markdown prefix wins: trimmed like JS trim (U+001D is not JS whitespace)
    assert a.quote.prefix == ")( \x1d gxz)( \x1d gxy)p2p2p2Fig. 2–4"
    assert a.extra["json_quote"].prefix == ")( \x1d gxz)( \x1d gxy)p2p2p2Fig. 2–4 "
    upd = SelectorUpdate(a.position.start, a.position.end, a.quote.exact,
                         "\x1d" + a.extra["json_quote"].prefix, a.quote.suffix)
    text = note.render({a.id: upd})
    assert '"prefix":"\\u001d)( \\u001d gxz)' in text
    assert "%%PREFIX%%\x1d)( \x1d gxz)" in text


# --- plugin load rules -------------------------------------------------------------------

def test_markdown_wins_for_context_comment_tags_json_wins_for_exact() -> None:
    block = render_block(BlockSpec("abc", exact=" JSON exact ", prefix="json prefix ",
                                   suffix=" json suffix", comment="json comment",
                                   tags=("jsontag",)))
    block = (block.replace("%%PREFIX%%json prefix", "%%PREFIX%%md prefix")
             .replace("%%POSTFIX%%json suffix", "%%POSTFIX%%md suffix")
             .replace("==JSON exact==", "==md highlight==")
             .replace(">%%COMMENT%%\n>json comment", ">%%COMMENT%%\n>md comment\n>line 2")
             .replace(">#jsontag", ">#one, #two,  #three "))
    note = parse_note("---\nannotation-target: p.pdf\n---\n" + block)
    (a,) = note.annotations
    assert a.quote == TextQuote(" JSON exact ", "md prefix", "md suffix")
    assert a.extra["json_quote"] == TextQuote(" JSON exact ", "json prefix ", " json suffix")
    assert a.extra["highlight"] == "md highlight"
    assert a.comment == "md comment\nline 2"
    assert a.tags == ("one", "two", "three")


def test_highlight_used_when_json_has_no_exact() -> None:
    block = render_block(BlockSpec("abc", exact="the highlight"))
    block = block.replace('"exact":"the highlight",', "")
    (a,) = parse_note(block).annotations
    assert a.quote is not None and a.quote.exact == "the highlight" and not a.problems


@pytest.mark.parametrize(("include_prefix", "include_postfix", "marks"),
                         [(False, False, False), (True, False, True), (False, True, False)])
def test_options_off_are_read_and_kept(include_prefix: bool, include_postfix: bool,
                                       marks: bool) -> None:
    spec = BlockSpec("abc", include_prefix=include_prefix, include_postfix=include_postfix,
                     highlight_marks=marks, prefix="json prefix ", suffix=" json suffix")
    text = render_note(NoteSpec((spec,)))
    note = parse_note(text)
    (a,) = note.annotations
    assert a.quote == TextQuote("quoted text",
                                "json prefix" if include_prefix else "json prefix ",
                                "json suffix" if include_postfix else " json suffix")
    upd = SelectorUpdate(3, 9, "new exact", "new prefix ", " new suffix")
    new = note.render({"abc": upd})
    assert new == render_note(NoteSpec((spec.updated(3, 9, "new exact", "new prefix ",
                                                     " new suffix"),)))


def test_front_matter_target_and_type() -> None:
    text = ('\ufeff---\r\ntitle: x\r\nannotation-target: "[[paper one.pdf]]"\r\n'
            "annotation-target-type: pdf\r\n---\r\n")
    note = parse_note(text)
    assert note.target == "[[paper one.pdf]]" and note.target_type == "pdf"
    assert note.annotations == []
    assert note.render({}) == text


@pytest.mark.parametrize(("front", "target"), [
    ("annotation-target:\n  - paper.pdf\n  - other.pdf\n", "paper.pdf"),  # a List property
    ("annotation-target:\n- 'paper one.pdf'\ntitle: x\n", "paper one.pdf"),
    ('annotation-target: ["Smith, Jones - 2019.pdf", b.pdf]\n', "Smith, Jones - 2019.pdf"),
    ("annotation-target: [paper.pdf]\n", "paper.pdf"),
    ("annotation-target: [[paper.pdf]]\n", "[[paper.pdf]]"),  # a wiki link, not a list
    ("annotation-target:\ntitle: x\n", ""),
])
def test_front_matter_list_target_gives_its_first_item(front: str, target: str) -> None:
    """Obsidian Annotator takes the first item of a list annotation-target (MetaEdit, List
    properties); a comma inside a quoted item is part of the file name."""
    assert parse_note(f"---\n{front}---\n").target == target


# --- leniency and problems ----------------------------------------------------------------

def _three_blocks(middle: str) -> str:
    return (render_block(BlockSpec("first")) + "\nSome *markdown* [[link]]\n" + middle
            + "\n## heading\n" + render_block(BlockSpec("last")))


@pytest.mark.parametrize(("middle", "expected"), [
    (render_block(BlockSpec("bad")).replace('"created"', 'created'),
     "annotation JSON is invalid: expected a property name"),
    (render_block(BlockSpec("bad")).replace("\n>```\n", "\n>``\n"), "never closed"),
    (render_block(BlockSpec("bad")).replace("^bad\n", ""), "no '^id' line"),
    (render_block(BlockSpec("bad")).replace('"start":10', '"start":"10"'),
     "start/end must be integers"),
    (render_block(BlockSpec("bad")).replace('"target":[{', '"target":{"x":[{')
     .replace("}]}]", "}]}]}"), "'target' is an object"),
    (render_block(BlockSpec("bad")).replace(
        ',{"type":"TextQuoteSelector","exact":"quoted text","prefix":"before ",'
        '"suffix":" after"}', ""), "without a TextQuoteSelector"),
    (render_block(BlockSpec("bad")).replace("{", "[", 1), "annotation JSON is invalid"),
    (render_block(BlockSpec("bad")).replace(">```annotation-json\n>{",
                                            ">```annotation-json\n>```\n>{"), "is empty"),
])
def test_malformed_block_is_reported_and_others_load(middle: str, expected: str) -> None:
    note = parse_note(_three_blocks(middle), path="n.md")
    ids = [a.id for a in note.annotations]
    assert ids[0] == "first" and ids[-1] == "last" and len(ids) == 3
    bad = note.annotations[1]
    assert bad.problems and expected in bad.problems[0], bad.problems
    assert bad.problems[0].startswith("n.md:")  # file and line named
    for a in (note.annotations[0], note.annotations[2]):
        assert not a.problems and a.quote == TextQuote("quoted text", "before", "after")
    assert note.render({}) == note.text
    result = note.apply_updates({bad.id: SelectorUpdate(1, 2, "x"),
                                 "last": SelectorUpdate(1, 5, "x")})
    assert bad.id in result.skipped and result.applied == ["last"]


def test_invalid_json_message_points_at_the_line() -> None:
    text = "# t\n" + render_block(BlockSpec("bad")).replace('"uri":', '"uri" ')
    (a,) = parse_note(text, path="n.md").annotations
    assert a.problems[0].startswith("n.md:5:"), a.problems
    assert "expected ':'" in a.problems[0]


def test_duplicate_id_second_is_a_problem() -> None:
    note = parse_note(render_block(BlockSpec("dup")) + render_block(BlockSpec("dup")))
    first, second = note.annotations
    assert not first.problems and "duplicate block id ^dup" in second.problems[0]
    new = note.render({"dup": SelectorUpdate(0, 4, "abcd", "", "")})
    assert new.count('"exact":"abcd"') == 1


def test_page_note_has_no_selectors_and_no_problems() -> None:
    note = parse_note(render_block(BlockSpec("pn", exact=None, comment="page comment")))
    (a,) = note.annotations
    assert a.quote is None and a.position is None and not a.problems
    assert a.comment == "page comment" and a.extra["kind"] == "page-note"
    assert "pn" in note.apply_updates({"pn": SelectorUpdate(0, 1, "x")}).skipped


def test_lenient_layouts_warn_but_load() -> None:
    block = render_block(BlockSpec("abc"))
    no_tags = block.replace("\n>%%TAGS%%\n>", "")
    glued = "text right before\n" + block.lstrip("\n")
    last_no_newline = block.rstrip("\n")
    for text, warning in ((no_tags, "no %%TAGS%%"), (glued, "no blank line"),
                          (last_no_newline, None)):
        (a,) = parse_note(text).annotations
        assert not a.problems and a.quote is not None
        if warning:
            assert any(warning in w for w in a.extra["warnings"])
        assert parse_note(text).render({}) == text


def test_long_comment_without_tags_section() -> None:
    # the plugin's full pattern backtracks quadratically here; the reader must not
    comment = "\n".join(["*x*", "**bold** *", "%%COMMENT%%", "* item"] * 1000)
    block = render_block(BlockSpec("abc", comment=comment)).replace("\n>%%TAGS%%\n>", "")
    note = parse_note(block)
    (a,) = note.annotations
    assert a.comment == comment and a.quote == TextQuote("quoted text", "before", "after")
    new = note.render({"abc": SelectorUpdate(1, 2, "NEW", "P", "S")})
    assert "\n>*%%PREFIX%%P%%HIGHLIGHT%% ==NEW== %%POSTFIX%%S*\n" in new


def test_missing_markdown_line_uses_json_only() -> None:
    block = render_block(BlockSpec("abc", prefix="p ", suffix=" s"))
    lines = [ln for ln in block.split("\n") if not ln.startswith(">*")]
    note = parse_note("\n".join(lines))
    (a,) = note.annotations
    assert a.quote == TextQuote("quoted text", "p ", " s") and not a.problems
    assert a.extra["warnings"]
    new = note.render({"abc": SelectorUpdate(1, 2, "q", "pp", "ss")})
    assert parse_note(new).annotations[0].quote == TextQuote("q", "pp", "ss")


# --- writing ---------------------------------------------------------------------------------

def test_crlf_and_bom_kept_on_update() -> None:
    spec = NoteSpec((BlockSpec("a1"), BlockSpec("a2", comment="c\nd")),
                    between=("intro\n", "\n# between\n"), crlf=True, bom=True)
    text = render_note(spec)
    note = parse_note(text)
    assert [a.comment for a in note.annotations] == ["", "c\nd"]
    upd = SelectorUpdate(100, 110, "line one\nline two", "pre\n fix", "suf")
    new = note.render({"a2": upd})
    expected = render_note(NoteSpec(
        (spec.blocks[0], spec.blocks[1].updated(100, 110, "line one\nline two", "pre\n fix",
                                                "suf")),
        between=spec.between, crlf=True, bom=True))
    assert new == expected
    assert "\r\n>line two== " in new and "\n>" not in new.replace("\r\n>", "")
    again = parse_note(new).annotations[1]
    assert again.quote == TextQuote("line one\nline two", "pre\n fix", "suf")


def test_no_position_selector_updates_quote_only() -> None:
    note = parse_note(render_block(BlockSpec("q", start=None)))
    result = note.apply_updates({"q": SelectorUpdate(5, 9, "new", "a", "b")})
    assert result.applied == ["q"] and "no position added" in result.notes["q"]
    assert "TextPositionSelector" not in result.text
    assert parse_note(result.text).annotations[0].quote == TextQuote("new", "a", "b")


def test_missing_context_keys_are_added_after_the_last_member() -> None:
    block = render_block(BlockSpec("q", prefix="", suffix=""))
    block = block.replace(',"prefix":"","suffix":""', "")
    note = parse_note(block)
    new = note.render({"q": SelectorUpdate(10, 21, "quoted text", "P", "")})
    assert '"exact":"quoted text","prefix":"P"}' in new


def test_lone_surrogates_are_json_escapes_and_u_fffd_in_markdown() -> None:
    # Hypothesis cuts 32 UTF-16 units of context, which can split a pair (𝑥 = D835 DC65):
    # JSON.stringify writes \ud835, the plugin's UTF-8 markdown line holds U+FFFD.
    note = parse_note(render_block(BlockSpec("q")))
    result = note.apply_updates({"q": SelectorUpdate(1, 2, "x", "", "tail \ud835")})
    assert result.applied == ["q"]
    assert '"suffix":"tail \\ud835"' in result.text
    assert "%%POSTFIX%%tail \ufffd*" in result.text
    again = parse_note(result.text)
    assert again.annotations[0].extra["json_quote"].suffix == "tail \ud835"


def test_update_values_that_the_note_cannot_hold_are_refused() -> None:
    note = parse_note(render_block(BlockSpec("q")))
    bad = {
        "q": SelectorUpdate(1, 2, "x", "a%%HIGHLIGHT%%b", ""),
    }
    result = note.apply_updates(bad)
    assert "q" in result.skipped and result.text == note.text
    for upd in (SelectorUpdate(1, 2, "x\r\ny", "", ""), SelectorUpdate(2, 1, "x"),
                SelectorUpdate(1, 2, "")):
        res = note.apply_updates({"q": upd})
        assert "q" in res.skipped and res.text == note.text, upd
    with pytest.raises(FormatError, match="cannot apply 1 update"):
        note.render({"nope": SelectorUpdate(1, 2, "x")})


def test_unit_override() -> None:
    note = parse_note(render_block(BlockSpec("q")), unit=OffsetUnit.CODE_POINT)
    assert note.unit == OffsetUnit.CODE_POINT
    assert note.annotations[0].position == TextPosition(10, 21, OffsetUnit.CODE_POINT)


def test_read_note_errors(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot read"):
        read_note(tmp_path / "missing.md")
    # bytes that are not UTF-8 do not hide the note: they are kept (and flag the block that
    # holds them, see tests/test_bad_input.py); UTF-16 is refused whole
    bad = tmp_path / "latin1.md"
    bad.write_bytes("caf\xe9\n".encode("latin-1"))
    note = read_note(bad)
    assert note.annotations == [] and note.encode(note.text) == bad.read_bytes()
    bad.write_bytes("caf\xe9\n".encode("utf-16"))
    with pytest.raises(FormatError, match="the file is UTF-16"):
        read_note(bad)


# --- the JavaScript helpers ---------------------------------------------------------------

def test_js_string_matches_json_stringify() -> None:
    assert js_string('a"b\\c\n\r\t\b\f') == '"a\\"b\\\\c\\n\\r\\t\\b\\f"'
    assert js_string("\x00\x1d\x1f\x7f") == '"\\u0000\\u001d\\u001f\x7f"'
    assert js_string("é𝑥\u2028\u2029/") == '"é𝑥\u2028\u2029/"'
    assert js_string("\ud800x\udfff") == '"\\ud800x\\udfff"'
    assert js_string("é𝑥\x7f", ascii_only=True) == json.dumps("é𝑥\x7f")
    sample = "".join(chr(c) for c in range(0, 0x3000, 7)) + "𝑥🙂"
    assert js_string(sample) == json.dumps(sample, ensure_ascii=False)


def test_js_trim_differs_from_python_strip() -> None:
    assert js_trim("\x1d a \x1c") == "\x1d a \x1c"
    assert js_trim("\ufeff\u3000 a\u2028\n") == "a"
    assert js_trim("\x85a") == "\x85a"
