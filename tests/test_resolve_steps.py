"""The cascade step by step on small hand-made documents: position, quote, fuzzy, refusals."""

from __future__ import annotations

import random

import pytest

from tether.offsets import OffsetUnit
from tether.resolve import Method, Resolution, ResolveOptions, Resolver, Status
from tether.resolve.cascade import describe_context
from tether.resolve.evidence import Query
from tether.resolve.index import DocumentIndex
from tether.selectors import Annotation, TextPosition, TextQuote
from tether.textmodel.model import DocumentText

PROSE = [
    "Annotations on PDF documents are stored as selectors that describe the highlighted text. ",
    "A position selector counts characters from the start of the document text, while a quote "
    "selector keeps the highlighted words with a little context on either side. ",
    "When a new version of the document is published, paragraphs move, sentences are rewritten "
    "and page breaks fall elsewhere, so stored offsets no longer point at the same words. ",
    "The resolver therefore checks the stored position first, then searches for the quote, and "
    "only then tries an approximate match whose score must clear a floor. ",
    "A wrong anchor is worse than an orphan: a highlight that silently sits on other words "
    "misleads the reader, whereas an orphan is at least visible in the sidebar. ",
]
CJK = [
    "註解儲存在文件之外，以選擇器描述被標示的文字。",
    "位置選擇器從文件開頭計算字元，引文選擇器則保存被標示的文字與兩側的少量上下文。",
    "文件發佈新版本時，段落會移動，句子會改寫，分頁也會落在別處。",
    "因此解析器先檢查儲存的位置，再搜尋引文，最後才嘗試近似比對。",
]


def make_doc(pages: list[str]) -> DocumentText:
    return DocumentText.from_page_texts(pages, model="test")


def annotate(doc: DocumentText, start: int, end: int, ident: str = "a",
             unit: OffsetUnit = OffsetUnit.UTF16) -> Annotation:
    """What Hypothesis 2022 would store for code points [start, end) of doc.text."""
    text = doc.text
    prefix, suffix = describe_context(text, start, end)
    if unit == OffsetUnit.UTF16:
        pos = TextPosition(doc.to_utf16(start), doc.to_utf16(end), unit)
    else:
        pos = TextPosition(start, end, unit)
    return Annotation(ident, TextQuote(text[start:end], prefix, suffix), pos)


def span_of(doc: DocumentText, needle: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = doc.text.index(needle, i + 1)
    return i, i + len(needle)


def resolve(doc: DocumentText, ann: Annotation, **opts: object) -> Resolution:
    return Resolver(doc, ResolveOptions(**opts)).resolve(ann)  # type: ignore[arg-type]


# --- step 1: position -------------------------------------------------------------------------

def test_exact_position_is_anchored() -> None:
    doc = make_doc(["".join(PROSE[:3]), "".join(PROSE[3:])])
    s, e = span_of(doc, "page breaks fall elsewhere")
    res = resolve(doc, annotate(doc, s, e))
    assert (res.status, res.method, res.score) == (Status.ANCHORED, Method.POSITION, 1.0)
    assert (res.start, res.end, res.page) == (s, e, 0)
    assert res.reason is None and res.rivals == ()


def test_whitespace_only_difference_at_the_position_is_drifted_by_position() -> None:
    doc = make_doc(["".join(PROSE)])
    s, e = span_of(doc, "stored offsets no longer point")
    ann = annotate(doc, s, e)
    assert ann.quote is not None
    stored = TextQuote("stored offsetsno longer  point", ann.quote.prefix, ann.quote.suffix)
    res = resolve(doc, Annotation("a", stored, ann.position))
    assert (res.status, res.method) == (Status.DRIFTED, Method.POSITION)
    assert (res.start, res.end) == (s, e)
    assert res.exact == "stored offsets no longer point"  # a repair rewrites exact
    assert res.reason is not None and "whitespace" in res.reason


def test_non_bmp_positions_are_utf16_and_converted() -> None:
    pages = ["Let 𝑥 ∈ 𝑋 and 𝑦 ∈ 𝑌 be given. ", "Then 𝑓(𝑥, 𝑦) is defined for every pair 𝑥, 𝑦."]
    doc = make_doc(pages)
    s, e = span_of(doc, "𝑓(𝑥, 𝑦) is defined")
    ann = annotate(doc, s, e)
    assert ann.position is not None
    assert ann.position.start == s + 4  # four astral characters before it count twice
    res = resolve(doc, ann)
    assert res.status == Status.ANCHORED
    assert res.span(OffsetUnit.CODE_POINT) == (s, e)
    assert res.span(OffsetUnit.UTF16) == (ann.position.start, ann.position.end)
    assert res.page == 1
    # The same span stored in code points (W3C) is read in code points.
    res_cp = resolve(doc, annotate(doc, s, e, unit=OffsetUnit.CODE_POINT))
    assert res_cp.status == Status.ANCHORED and res_cp.to_dict()["resolved"]["start"] == s


def test_position_splitting_a_surrogate_pair_falls_back_to_the_quote() -> None:
    doc = make_doc(["Let 𝑥 be the unknown quantity of the equation we want to solve here."])
    s, e = span_of(doc, "be the unknown quantity")
    ann = annotate(doc, s, e)
    assert ann.quote is not None
    broken = Annotation("a", ann.quote, TextPosition(5, 5 + (e - s), OffsetUnit.UTF16))
    res = resolve(doc, broken)
    assert (res.status, res.method) == (Status.DRIFTED, Method.QUOTE)
    assert (res.start, res.end) == (s, e)
    assert res.reason is not None and "surrogate pair" in res.reason


def test_page_start_span_is_anchored_by_tether() -> None:
    """Hypothesis's findPageByOffset quirk does not apply to tether's own step 1."""
    doc = make_doc([PROSE[0], PROSE[1]])
    start = doc.pages[1].start
    res = resolve(doc, annotate(doc, start, start + 20))
    assert (res.status, res.method) == (Status.ANCHORED, Method.POSITION)


# --- step 2: quote ----------------------------------------------------------------------------

def test_moved_quote_is_drifted_with_new_offsets() -> None:
    old = make_doc(["".join(PROSE)])
    s, e = span_of(old, "a highlight that silently sits on other words")
    ann = annotate(old, s, e)
    new = make_doc(["A new opening paragraph was added. " + "".join(PROSE)])
    res = resolve(new, ann)
    assert (res.status, res.method) == (Status.DRIFTED, Method.QUOTE)
    assert new.text[res.start : res.end] == old.text[s:e]
    assert res.start == s + len("A new opening paragraph was added. ")
    assert res.reason is not None and "+35" in res.reason
    assert res.prefix == new.text[res.start - 32 : res.start]


def test_quote_without_position_is_found_and_drifted() -> None:
    doc = make_doc(["".join(PROSE)])
    s, e = span_of(doc, "checks the stored position first")
    ann = annotate(doc, s, e)
    res = resolve(doc, Annotation("a", ann.quote, None))
    assert (res.status, res.method, res.start, res.end) == (Status.DRIFTED, Method.QUOTE, s, e)


def fifty_lines(word: str = "anchor") -> list[str]:
    rng = random.Random(5)
    subjects = ["the reader", "a student", "our editor", "the reviewer", "my colleague",
                "the archivist", "this tool", "every client", "the server", "your script"]
    verbs = ["moved", "checked", "dropped", "copied", "restored", "described", "kept", "lost"]
    lines = []
    for i in range(50):
        lines.append(f"In note {i}, {rng.choice(subjects)} {rng.choice(verbs)} the {word} "
                     f"near line {i * 7 + 3} of chapter {i % 9}. ")
    return lines


def test_one_word_repeated_fifty_times_is_told_apart_by_context() -> None:
    lines = fifty_lines()
    doc = make_doc(["".join(lines[:25]), "".join(lines[25:])])
    assert doc.text.count("anchor") == 50
    for nth in (0, 17, 31, 49):
        s, e = span_of(doc, "anchor", nth)
        ann = annotate(doc, s, e)
        # Drop the position: only the context can tell the fifty apart.
        res = resolve(doc, Annotation("a", ann.quote, None))
        assert (res.status, res.start, res.end) == (Status.DRIFTED, s, e), nth
        # And after an edit shifted every offset, with the stale position as a hint.
        shifted = make_doc(["Preface. " + "".join(lines[:25]), "".join(lines[25:])])
        res = resolve(shifted, ann)
        assert (res.status, res.start) == (Status.DRIFTED, s + len("Preface. ")), nth


def test_identical_passages_are_ambiguous_with_rivals() -> None:
    box = "Warning: keep this device away from water and heat sources at all times."
    doc = make_doc([PROSE[0] + box + PROSE[1], PROSE[2] + PROSE[0] + box + PROSE[1]])
    s, e = span_of(doc, box)
    ann = annotate(doc, s, e)
    # Both copies have the same quote and context; the stale position (doc shifted by a long
    # insertion) is far from both, so nothing separates them.
    moved = make_doc(["x" * 400 + PROSE[0] + box + PROSE[1], PROSE[2] + PROSE[0] + box + PROSE[1]])
    res = resolve(moved, ann)
    assert res.status == Status.AMBIGUOUS
    assert res.start is None and res.reason
    assert sorted(r.start for r in res.rivals) == [m.start() for m in
                                                   __import__("re").finditer(box, moved.text)]
    assert all(r.exact == box for r in res.rivals)
    assert {r.page for r in res.rivals} == {0, 1}


def test_identical_passages_near_the_stored_position_are_separated_by_it() -> None:
    box = "Warning: keep this device away from water and heat sources at all times."
    doc = make_doc([PROSE[0] + box + PROSE[1], PROSE[2] + PROSE[0] + box + PROSE[1]])
    s, e = span_of(doc, box, 1)
    ann = annotate(doc, s, e)
    assert ann.quote is not None
    # Whitespace drift of a few characters only (another text model): the position decides.
    drift = make_doc([PROSE[0] + box + PROSE[1], PROSE[2] + "  " + PROSE[0] + box + PROSE[1]])
    res = resolve(drift, ann)
    assert res.status == Status.DRIFTED and res.start == s + 2


# --- step 3: fuzzy ----------------------------------------------------------------------------

def test_copy_edit_inside_is_fuzzy_with_edit_distance_and_reason() -> None:
    old = make_doc(["".join(PROSE)])
    s, e = span_of(old, PROSE[2].strip())
    ann = annotate(old, s, e)
    new = make_doc(["".join(PROSE).replace("sentences are rewritten", "sentences get rewritten")])
    res = resolve(new, ann)
    assert (res.status, res.method) == (Status.FUZZY, Method.FUZZY)
    assert new.text[res.start : res.end] == PROSE[2].strip().replace("are", "get", 1)
    assert res.edit_distance == 3
    assert res.reason is not None and "'are'→'get'" in res.reason
    assert res.score is not None and 0.9 < res.score < 1


def test_two_thousand_character_quote_with_edits() -> None:
    rng = random.Random(11)
    body = "".join(rng.choice(PROSE) for _ in range(40))
    old = make_doc([body[: len(body) // 2], body[len(body) // 2 :]])
    s = old.text.index("A position selector", 3000)
    e = s + 2000
    ann = annotate(old, s, e)
    quote = old.text[s:e]
    edited = quote[:500] + "NEW WORDS HERE" + quote[520:1500] + quote[1530:]
    new_text = "A longer preamble. " + old.text[:s] + edited + old.text[e:]
    new = make_doc([new_text])
    res = resolve(new, ann)
    assert res.status == Status.FUZZY
    start = len("A longer preamble. ") + s
    assert (res.start, res.end) == (start, start + len(edited))
    assert res.edit_distance is not None and 20 <= res.edit_distance <= 50


def test_cjk_quote_found_exactly_and_approximately() -> None:
    old = make_doc(["".join(CJK[:2]), "".join(CJK[2:])])
    s, e = span_of(old, "段落會移動，句子會改寫")
    ann = annotate(old, s, e)
    moved = make_doc(["新增的前言。" + "".join(CJK[:2]), "".join(CJK[2:])])
    res = resolve(moved, ann)
    assert (res.status, res.start) == (Status.DRIFTED, s + len("新增的前言。"))
    s, e = span_of(old, CJK[1])
    ann = annotate(old, s, e)
    edited = make_doc(["".join(CJK[:2]).replace("少量上下文", "一些上下文"), "".join(CJK[2:])])
    res = resolve(edited, ann)
    assert res.status == Status.FUZZY and res.edit_distance == 2
    assert edited.text[res.start : res.end] == CJK[1].replace("少量", "一些")


def test_non_bmp_quote_resolved_after_edit_reports_utf16() -> None:
    pages = ["Intro text. Let 𝑥 ∈ 𝑋 and 𝑦 ∈ 𝑌 be given, and define the map 𝑓 on pairs. ",
             "Then 𝑓(𝑥, 𝑦) is defined for every pair 𝑥, 𝑦 in the product space 𝑋 × 𝑌 here."]
    old = make_doc(pages)
    s, e = span_of(old, "𝑓(𝑥, 𝑦) is defined for every pair 𝑥, 𝑦 in the product")
    ann = annotate(old, s, e)
    new = make_doc(["𝒜𝒜 " + pages[0], pages[1].replace("every pair", "each pair")])
    res = resolve(new, ann)
    assert res.status == Status.FUZZY
    assert new.text[res.start : res.end].startswith("𝑓(𝑥, 𝑦) is defined for each pair")
    d = res.to_dict()
    # Seven astral characters (𝒜𝒜 and 𝑥 𝑋 𝑦 𝑌 𝑓) precede it: each counts two UTF-16 units.
    assert d["resolved"]["start"] == new.to_utf16(res.start) == res.start + 7


def test_short_changed_quote_needs_all_of_its_context() -> None:
    old = make_doc(["".join(PROSE)])
    s, e = span_of(old, "silently sits")
    ann = annotate(old, s, e)
    # A typo fix inside a short quote, context intact on both sides: fuzzy.
    typo = make_doc(["Preface. " + "".join(PROSE).replace("silently sits", "silentely sits")])
    res = resolve(typo, ann)
    assert res.status == Status.FUZZY and typo.text[res.start : res.end] == "silentely sits"
    # The same change plus a rewrite on both sides of it: neither side of the context agrees,
    # and a short changed quote is then refused rather than guessed.
    rewrite = make_doc(["Preface. " + "".join(PROSE).replace(
        "a highlight that silently sits on other words misleads the reader",
        "a mark which silentely sits somewhere unexpected confuses people")])
    res = resolve(rewrite, ann)
    assert res.status == Status.ORPHANED and res.start is None
    assert res.reason is not None and "context" in res.reason


def test_short_quote_kept_by_an_unbroken_run_of_agreeing_context() -> None:
    old = make_doc(["".join(PROSE)])
    s, e = span_of(old, "silently sits")
    ann = annotate(old, s, e)
    assert ann.quote is not None
    # The suffix is rewritten, but the prefix agrees verbatim right up to the quote: 26 view
    # characters of prefix + "silent" make an unbroken run of 32, as distinctive as a 32-character
    # quote (``short_run``).
    rewrite = make_doc(["Preface. " + "".join(PROSE).replace(
        "silently sits on other words misleads the reader",
        "silentely sits somewhere unexpected confuses people")])
    res = resolve(rewrite, ann)
    assert res.status == Status.FUZZY and res.exact == "silentely sits"
    assert resolve(rewrite, ann, short_run=33).status == Status.ORPHANED
    # Verbatim, the same: the run is prefix + the whole quote.
    moved = make_doc(["Preface. " + "".join(PROSE).replace(
        "silently sits on other words misleads the reader",
        "silently sits somewhere unexpected confuses people")])
    res = resolve(moved, ann)
    assert res.status == Status.DRIFTED and res.exact == "silently sits"


def test_a_verbatim_run_counts_only_where_it_is_unique() -> None:
    entry = "Journal of Measurement. https://doi.org/https://doi.org/10.1109/19. "
    # The stored prefix was rewritten; the suffix (a DOI prefix) agrees: the run is the quote
    # plus the suffix, 12 + 32 view characters.
    q = Query("Measurement.", "Measurement.", "rewrittenprefix",
              "https://doi.org/https://doi.org/", None)
    for copies, run in ((1, 44), (2, 0)):
        d = make_doc(["".join(PROSE[:2]) + entry + "".join(PROSE[2:]) + entry * (copies - 1)])
        index = DocumentIndex(d)
        a = index.view.text.index("Measurement.")
        assert q.evaluate(index, a, a + 12, 0, Method.QUOTE).run == run


def test_short_quote_between_two_agreeing_context_sides_may_change_by_half() -> None:
    old = make_doc(["".join(PROSE)])
    s, e = span_of(old, "no longer point")
    ann = annotate(old, s, e)
    # "no longer point" → "now point": 5 edits in 13 view characters (over a quarter), with both
    # 32-character context sides intact.
    new = make_doc(["".join(PROSE).replace("no longer point", "now point")])
    res = resolve(new, ann)
    assert res.status == Status.FUZZY and res.exact == "now point"
    assert resolve(new, ann, bracketed_edit_ratio=0.0).status == Status.ORPHANED
    # One side of the context changed too: refused.
    worse = make_doc(["".join(PROSE).replace("so stored offsets no longer point",
                                             "and the offsets now point")])
    assert resolve(worse, ann).status == Status.ORPHANED


def test_tie_broken_by_the_stored_text_with_its_whitespace() -> None:
    sentence = "The resolver compares quotes with every space removed from both texts. "
    filler = "".join(PROSE)
    old = make_doc([filler + sentence + filler])
    s, e = span_of(old, "compares quotes with every")
    ann = annotate(old, s, e)
    # In the new version the sentence appears twice; only one copy keeps the line layout (here
    # "with every" run together as PDF.js does at a line end, in the stored text too).
    assert ann.quote is not None
    laid_out = sentence.replace("with every", "withevery")
    stored = Annotation("a", TextQuote(ann.quote.exact.replace("with every", "withevery"),
                                       ann.quote.prefix, ann.quote.suffix), None)
    new = make_doc([filler + laid_out + filler + sentence + filler])
    res = resolve(new, stored)
    assert res.status == Status.DRIFTED and res.start == new.text.index(laid_out) + 13
    # Both copies laid out alike: the tie stands.
    same = make_doc([filler + sentence + filler + sentence + filler])
    res = resolve(same, stored)
    assert res.status == Status.AMBIGUOUS and len(res.rivals) == 2


def test_deleted_passage_whose_neighbourhood_survives_is_orphaned() -> None:
    old = make_doc(["".join(PROSE)])
    s, e = span_of(old, PROSE[3].strip())
    ann = annotate(old, s, e)
    new = make_doc(["".join(PROSE).replace(PROSE[3], "")])
    res = resolve(new, ann)
    assert res.status == Status.ORPHANED
    assert res.reason is not None


def test_look_alike_passage_does_not_steal_an_edited_quote() -> None:
    base = "".join(PROSE)
    target = PROSE[3].strip()
    old = make_doc([base, PROSE[0] + PROSE[1]])
    s, e = span_of(old, target)
    ann = annotate(old, s, e)
    # The original is edited lightly; a look-alike (different edit) sits on another page.
    edited = target.replace("approximate match", "approximate search")
    decoy = target.replace("stored position", "saved position")
    new = make_doc([base.replace(target, edited), PROSE[0] + decoy + " " + PROSE[1]])
    res = resolve(new, ann)
    assert res.status == Status.FUZZY
    assert new.text[res.start : res.end] == edited


def test_edited_original_found_beside_a_nearby_verbatim_copy() -> None:
    # A verbatim copy shortly before the original; the quote repeats a phrase, and so does the
    # text between them, so the gram votes of both places chain into one region. That region
    # must still be searched around the copy (whose context agrees on neither side) for the
    # lightly edited original, or the copy wins as "drifted".
    target = ("Each step checks the stored quote, then the stored prefix, then the stored "
              "suffix, and only then the stored position, so the stored text decides before "
              "the offsets do.")
    between = "Here the stored text is compared again and the stored form is kept as it was. " * 3
    head = "".join(PROSE[:3]) + "Copy: " + target + " " + between
    old = make_doc([head + target + " " + PROSE[4]])
    s, e = span_of(old, target, nth=1)
    ann = annotate(old, s, e)
    edited = target.replace("before the offsets do", "before any offset does")
    new = make_doc([head + edited + " " + PROSE[4]])
    res = resolve(new, ann)
    assert res.status == Status.FUZZY and res.start == new.text.index(edited)


def test_short_changed_copy_refused_when_the_quote_moved_verbatim() -> None:
    code = ("switch (op) { case '+': return plus; case '-': return minus; case '/': return "
            "divide; case '*': return times; case '%': return mod; default: return none; } ")
    tail = "The table above maps every operator token to the name of its operation. "
    old = make_doc(["".join(PROSE[:2]) + code + tail + "".join(PROSE[2:])])
    s, e = span_of(old, "times; case '%': return")
    ann = annotate(old, s, e)
    # The span moved to the end without its context; what is left where it was
    # ("…return divide; case '*': return mod…") looks like it, 4 edits in 20.
    moved = code.replace("times; case '%': return ", "")
    new = make_doc(["".join(PROSE[:2]) + moved + tail + "".join(PROSE[2:])
                    + "Appendix: times; case '%': return. "])
    res = resolve(new, ann, cut_move=False)
    assert res.status == Status.AMBIGUOUS and len(res.rivals) == 2
    assert res.reason is not None and "verbatim once elsewhere" in res.reason
    # But "…return divide; case '*': return mod…" is where the stored prefix and suffix now meet:
    # the span was cut out there, so the verbatim occurrence is where it went (``cut_move``).
    res = resolve(new, ann)
    assert res.status == Status.DRIFTED and res.start == new.text.index("times; case '%'")
    assert res.reason is not None and "cut from" in res.reason
    # A change in place with all of the context agreeing is kept even though the quote also
    # occurs verbatim elsewhere (a word hyphenated at a new line end).
    s, e = span_of(old, "every operator")
    ann = annotate(old, s, e)
    new = make_doc(["".join(PROSE[:2]) + code + tail.replace("every operator", "every oper-ator")
                    + "".join(PROSE[2:]) + "Appendix: every operator. "])
    res = resolve(new, ann)
    assert res.status == Status.FUZZY and res.exact == "every oper-ator"


def test_hypothesis_would_anchor_a_look_alike_but_tether_refuses() -> None:
    """hypothesis/client#7571: without a score floor a poor match wins; tether orphans it."""
    old = make_doc(["".join(PROSE)])
    s, e = span_of(old, PROSE[4].strip())
    ann = annotate(old, s, e)
    rewritten = ("A misplaced highlight that quietly lands on other words can mislead a reader, "
                 "while a lost one at least shows up in a separate list. ")
    new = make_doc(["".join(PROSE[:4]) + rewritten])
    res = resolve(new, ann)
    assert res.status == Status.ORPHANED
    assert res.reason is not None


def test_fuzzy_can_be_switched_off() -> None:
    old = make_doc(["".join(PROSE)])
    s, e = span_of(old, PROSE[2].strip())
    ann = annotate(old, s, e)
    new = make_doc(["".join(PROSE).replace("sentences are rewritten", "sentences get rewritten")])
    assert resolve(new, ann, fuzzy=False).status == Status.ORPHANED


# --- invalid ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("ann", "needle"),
    [
        (Annotation("a", None, TextPosition(0, 4)), "TextQuoteSelector"),
        (Annotation("a", TextQuote(""), TextPosition(0, 4)), "empty"),
        (Annotation("a", TextQuote(" \n "), None), "whitespace"),
        (Annotation("a", TextQuote("Annotations"), None, problems=["bad JSON in block 3"]),
         "bad JSON"),
    ],
)
def test_invalid_annotations(ann: Annotation, needle: str) -> None:
    res = resolve(make_doc([PROSE[0]]), ann)
    assert res.status == Status.INVALID
    assert res.reason is not None and needle in res.reason
    assert res.start is None and res.span() is None
    assert res.to_dict()["resolved"] is None


def test_stale_position_past_the_end_falls_back_to_the_quote() -> None:
    doc = make_doc(["".join(PROSE)])
    s, e = span_of(doc, "checks the stored position first")
    ann = annotate(doc, s, e)
    assert ann.quote is not None
    stale = Annotation("a", ann.quote, TextPosition(len(doc.text) + 50, len(doc.text) + 83))
    res = resolve(doc, stale)
    assert (res.status, res.method, res.start) == (Status.DRIFTED, Method.QUOTE, s)
    assert res.reason is not None and "outside" in res.reason
    backwards = Annotation("b", ann.quote, TextPosition(e, s))
    res = resolve(doc, backwards)
    assert res.status == Status.DRIFTED and res.reason is not None and "> end" in res.reason


# --- issue 5: decisions added for recall, each with its switch ---------------------------------

def test_document_bound_twice_takes_the_copy_nearest_the_stored_position() -> None:
    body = ["".join(CJK), "".join(PROSE), "".join(CJK)]
    old = make_doc(body)
    s, e = span_of(old, "paragraphs move, sentences are rewritten")
    ann = annotate(old, s, e)
    # The whole document twice after a new first page: two identical copies, identical far
    # beyond the stored 32 units of context; the stored position is 300 characters off the first.
    preface = "A new preface page. " * 15
    new = make_doc([preface, *body, *body])
    res = resolve(new, ann)
    assert res.status == Status.DRIFTED
    assert res.start == len(preface) + s and res.exact == old.text[s:e]
    assert res.reason and "identical copies" in res.reason
    # Not when the copies are told apart only by the stored position within a short window.
    assert resolve(new, ann, twin_window=10**6).status == Status.AMBIGUOUS


def test_short_quote_bracketed_by_exact_context_matches_approximately() -> None:
    old = make_doc(["".join(PROSE)])
    s, e = span_of(old, "first")
    ann = annotate(old, s, e)
    # An OCR slip in a five-letter word: never matched approximately on its own, but both
    # context sides agree exactly, so the place is certain.
    new = make_doc(["".join(PROSE).replace("position first", "position fir5t")])
    res = resolve(new, ann)
    assert res.status == Status.FUZZY and res.exact == "fir5t"
    # (``truncated`` would still find "fir" next to the agreeing prefix.)
    assert resolve(new, ann, min_bracketed_quote=6, truncated=False).status == Status.ORPHANED


def test_long_quote_moved_with_one_edit_stands_on_its_own() -> None:
    old = make_doc(["".join(PROSE)])
    quote = "a highlight that silently sits on other words misleads the reader"
    s, e = span_of(old, quote)
    ann = annotate(old, s, e)
    # The sentence moved to the front with one word changed; neither context side survives.
    moved = quote.replace("silently", "quietly")
    rest = "".join(PROSE).replace("A wrong anchor is worse than an orphan: " + quote, "")
    new = make_doc(["Reworded: " + moved + ". Then " + rest])
    res = resolve(new, ann, chain=False)
    assert res.status == Status.FUZZY and res.exact == moved
    assert resolve(new, ann, chain=False, near_verbatim_ratio=0.0).status == Status.ORPHANED


def test_changed_short_quote_spans_what_lies_between_its_context() -> None:
    old = make_doc(["".join(PROSE)])
    s, e = span_of(old, "no longer point at the same")
    ann = annotate(old, s, e)
    # "no longer" → "not anymore" at the quote's start: aligning the quote alone cuts the new
    # words short ("nymore point…"); the text between the two intact context sides is the
    # passage.
    new = make_doc(["".join(PROSE).replace("no longer", "not anymore")])
    res = resolve(new, ann)
    assert res.status == Status.FUZZY and res.exact == "not anymore point at the same"
    assert resolve(new, ann, bracket_search=False).exact == "nymore point at the same"


def test_short_quote_absent_near_its_context_says_where_it_was_looked_for() -> None:
    old = make_doc(["".join(PROSE)])
    s, e = span_of(old, "floor")
    ann = annotate(old, s, e)
    new = make_doc(["".join(PROSE).replace("clear a floor", "clear a bar")])
    res = resolve(new, ann)
    assert res.status == Status.ORPHANED
    assert res.reason and "near any piece of its stored context" in res.reason


def test_occurs_more_than_once_agrees_with_find_exact() -> None:
    """The early-stopping uniqueness check gives the answer of counting every occurrence,
    for needles that occur never, once, twice and many times (short and indexed lengths)."""
    import random

    text = "".join(PROSE) + " dot leaders ........................ end " + "".join(PROSE[:2])
    index = DocumentIndex(make_doc([text]))
    view = index.view.text
    rnd = random.Random(5)
    needles = [view[s:s + n] for n in (3, 8, 16, 40) for s in
               (rnd.randrange(len(view) - n) for _ in range(60))]
    needles += ["........", "zzzzzzzzzzzzzzzz", view[:30]]
    for needle in needles:
        assert index.occurs_more_than_once(needle) == (len(index.find_exact(needle)) > 1), needle
    assert index.occurs_more_than_once("........")
