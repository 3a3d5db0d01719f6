"""Step 4: heavily edited passages found by the pieces of them that survived in order."""

from __future__ import annotations

import json
import random
import re
from collections import Counter

import pytest

from conftest import require_shared
from tether.resolve import Method, ResolveOptions, Resolver, Status
from tether.resolve.cascade import describe_context
from tether.selectors import Annotation, TextPosition, TextQuote
from tether.textmodel.model import DocumentText

HEAD = ("Annotations on PDF documents are stored as selectors that describe the highlighted "
        "text. ")
PASSAGE = ("When a new version of the document is published, paragraphs move, sentences are "
           "rewritten and page breaks fall elsewhere, so stored offsets no longer point at the "
           "same words. ")
TAIL = ("The resolver therefore checks the stored position first, then searches for the quote, "
        "and only then tries an approximate match whose score must clear a floor. A wrong "
        "anchor is worse than an orphan: a highlight that silently sits on other words misleads "
        "the reader, whereas an orphan is at least visible in the sidebar. ")
# The passage's second half, rewritten beyond what an edit-distance match allows.
REWRITE = ("whereupon every stored character offset silently points at whatever text now "
           "happens to sit there instead. ")


def doc(*parts: str) -> DocumentText:
    return DocumentText.from_page_texts(["".join(parts)], model="test")


def annotate(d: DocumentText, needle: str) -> Annotation:
    s = d.text.index(needle)
    e = s + len(needle)
    prefix, suffix = describe_context(d.text, s, e)
    return Annotation("a", TextQuote(d.text[s:e], prefix, suffix),
                      TextPosition(d.to_utf16(s), d.to_utf16(e)))


def first_half(passage: str, share: float) -> str:
    """The words of ``passage`` that make up its first ``share`` of characters."""
    cut = passage.index(" ", int(share * len(passage)))
    return passage[: cut + 1]


def test_passage_whose_second_third_was_rewritten_is_found_as_fuzzy() -> None:
    old = doc(HEAD, PASSAGE, TAIL)
    ann = annotate(old, PASSAGE.strip())
    kept = first_half(PASSAGE, 0.62)
    new = doc("Preface. ", HEAD, kept, REWRITE, TAIL)
    res = Resolver(new).resolve(ann)
    assert (res.status, res.method) == (Status.FUZZY, Method.FUZZY)
    assert res.reason is not None and res.reason.startswith("heavily edited:")
    assert "prefix agrees" in res.reason
    assert res.start == new.text.index(kept)
    assert res.score is not None and res.score < 0.8  # honest: a repair should be reviewed
    # Off, or below the floor for a chain with one agreeing end: refused.
    assert Resolver(new, ResolveOptions(chain=False)).resolve(ann).status == Status.ORPHANED
    strict = ResolveOptions(chain_min_coverage=0.7)
    assert Resolver(new, strict).resolve(ann).status == Status.ORPHANED


def test_passage_with_less_than_half_left_is_refused() -> None:
    old = doc(HEAD, PASSAGE, TAIL)
    ann = annotate(old, PASSAGE.strip())
    new = doc(HEAD, first_half(PASSAGE, 0.4), REWRITE, TAIL)
    res = Resolver(new).resolve(ann)
    assert res.status == Status.ORPHANED and res.start is None


def test_passage_split_up_is_refused() -> None:
    old = doc(HEAD, PASSAGE, TAIL)
    ann = annotate(old, PASSAGE.strip())
    kept = first_half(PASSAGE, 0.55)
    rest = PASSAGE[len(kept):]
    # The start stays (with its prefix); the end moved far away, with the text after it.
    new = doc(HEAD, kept, "A new paragraph comes in here. ", TAIL * 3, "Moved: ", rest, TAIL)
    res = Resolver(new).resolve(ann)
    assert res.status == Status.ORPHANED
    assert res.reason is not None and "split up" in res.reason
    # Most of it stayed (62 %, at least ``chain_split_coverage``): that is the passage, and the
    # piece that moved away does not make it ambiguous.
    kept = first_half(PASSAGE, 0.62)
    rest = PASSAGE[len(kept):]
    new = doc(HEAD, kept, "A new paragraph comes in here. ", TAIL * 3, "Moved: ", rest, TAIL)
    res = Resolver(new).resolve(ann)
    assert res.status == Status.FUZZY and res.start is not None
    assert res.reason is not None and "survives in order here" in res.reason
    assert res.start == new.text.index(kept.strip()[:20])
    never = ResolveOptions(chain_split_coverage=2.0, split_margin=False)
    assert Resolver(new, never).resolve(ann).status == Status.ORPHANED


def test_an_orphans_reason_names_the_page_of_what_survives() -> None:
    """A refused heavily edited passage has no candidate to show: its reason is what a reader
    finds it by, so it names the page (1-based, as the report prints pages) of the best
    surviving stretch — both pages when it crosses a break, where the start and the end went
    when the passage was split up, and none when too little survives to be more than chance."""
    old = doc(HEAD, PASSAGE, TAIL)
    ann = annotate(old, PASSAGE.strip())

    def reason(*pages: str) -> str:
        res = Resolver(DocumentText.from_page_texts(list(pages), model="test")).resolve(ann)
        assert res.status == Status.ORPHANED and res.reason is not None
        return res.reason

    kept = first_half(PASSAGE, 0.4)
    assert re.fullmatch(
        r"only \d+% of the quote survives in order in one place \(on page 3; 1 piece; "
        r"prefix agrees\); \d+% is needed",
        reason(HEAD + TAIL, TAIL, HEAD + kept + REWRITE + TAIL))
    # The stretch runs across the break between pages 2 and 3.
    cut = kept.index(" ", len(kept) // 2) + 1
    assert "(on pages 2–3; 1 piece;" in reason(
        HEAD + TAIL, HEAD + kept[:cut], kept[cut:] + REWRITE + TAIL)
    # A few words in common with a rewritten sentence: no page to send the reader to.
    few = first_half(PASSAGE, 0.15)
    assert "page" not in reason(HEAD + TAIL, HEAD + few + REWRITE + REWRITE + TAIL)
    split = first_half(PASSAGE, 0.55)
    assert reason(HEAD + split + "A new paragraph comes in here. " + TAIL, TAIL * 2,
                  "Moved: " + PASSAGE[len(split):] + TAIL) == (
        "the quote's start and end survive in different places (the start on page 1, the end "
        "on page 3): the passage was split up")


def test_uneven_split_is_the_larger_piece() -> None:
    # 56 % stays with its prefix; the last 28 % moved far away (the words between were cut):
    # not an even split (``split_margin``), so the larger piece is the passage.
    old = doc(HEAD, PASSAGE, TAIL)
    ann = annotate(old, PASSAGE.strip())
    kept = first_half(PASSAGE, 0.56)
    rest = PASSAGE[PASSAGE.index(" ", int(0.72 * len(PASSAGE))) + 1:]
    new = doc(HEAD, kept, "A new paragraph comes in here. ", TAIL * 3, "Moved: ", rest, TAIL)
    res = Resolver(new).resolve(ann)
    assert res.status == Status.FUZZY and res.start == new.text.index(kept.strip()[:20])
    off = Resolver(new, ResolveOptions(split_margin=False)).resolve(ann)
    assert off.status == Status.ORPHANED
    assert off.reason is not None and "split up" in off.reason


def test_surviving_part_with_a_look_alike_elsewhere_is_refused() -> None:
    old = doc(HEAD, PASSAGE, TAIL)
    ann = annotate(old, PASSAGE.strip())
    kept = first_half(PASSAGE, 0.62)
    new = doc(HEAD, kept, REWRITE, TAIL, "Elsewhere: ", kept, "something else entirely. ")
    res = Resolver(new).resolve(ann)
    assert not res.status.is_anchored


# --- mutations of a real document ------------------------------------------------------------

@pytest.fixture(scope="module")
def paper() -> list[str]:
    """Page texts of the Ethereum yellow paper (CC BY-SA), first twelve pages."""
    path = require_shared() / "corpus" / "versions" / "eth-yellowpaper" / "v4.pdfjs-pages.json"
    return [p["text"] for p in json.loads(path.read_text(encoding="utf-8"))["pages"]][:12]


def _spans(pages: list[str], n: int, seed: int) -> list[tuple[int, int]]:
    """Word-aligned spans of 200-400 code points, unique in the document, on one page."""
    text = "".join(pages)
    d = DocumentText.from_page_texts(pages, "pdfjs-2.11")
    rng = random.Random(seed)
    words = [m.span() for m in re.finditer(r"\S+", text)]
    out: list[tuple[int, int]] = []
    while len(out) < n:
        i = rng.randrange(len(words) - 120)
        j = i
        while j + 1 < len(words) and words[j + 1][1] - words[i][0] <= 400:
            j += 1
        s, e = words[i][0], words[j][1]
        if e - s >= 200 and d.page_of(s) == d.page_of(e - 1) and text.count(text[s:e]) == 1:
            out.append((s, e))
    return out


def _replace(pages: list[str], s: int, e: int, new: str) -> list[str]:
    out, base = [], 0
    for t in pages:
        if base <= s < base + len(t):
            out.append(t[: s - base] + new + t[e - base :])
        else:
            out.append(t)
        base += len(t)
    return out


def _filler(rng: random.Random, n: int) -> str:
    """``n`` characters of words that are not in the paper (a rewrite with new wording)."""
    words = []
    while sum(len(w) + 1 for w in words) < n:
        words.append("".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou")
                             for _ in range(rng.randint(2, 4))))
    return " ".join(words) + " "


@pytest.mark.parametrize("kept_share", [0.6, 0.75])
def test_rewritten_tail_found_at_the_original_place(paper: list[str], kept_share: float) -> None:
    old = DocumentText.from_page_texts(paper, "pdfjs-2.11")
    rng = random.Random(11)
    statuses: Counter[Status] = Counter()
    for s, e in _spans(paper, 30, seed=7):
        quote = old.text[s:e]
        cut = s + quote.index(" ", int(kept_share * len(quote))) + 1
        prefix, suffix = describe_context(old.text, s, e)
        ann = Annotation("a", TextQuote(quote, prefix, suffix),
                         TextPosition(old.to_utf16(s), old.to_utf16(e)))
        new = DocumentText.from_page_texts(
            _replace(paper, cut, e, _filler(rng, e - cut)), "pdfjs-2.11")
        res = Resolver(new).resolve(ann)
        statuses[res.status] += 1
        if res.status.is_anchored:
            assert res.status == Status.FUZZY
            # At the original place: starting at (or, when the quote's first words are common,
            # a little after) the quote's start, inside the part that survived.
            assert res.start is not None and s - 3 <= res.start < cut, (quote, res.exact)
    assert statuses[Status.FUZZY] >= 27, statuses


def test_mostly_deleted_passages_are_refused(paper: list[str]) -> None:
    old = DocumentText.from_page_texts(paper, "pdfjs-2.11")
    rng = random.Random(12)
    for s, e in _spans(paper, 30, seed=8):
        quote = old.text[s:e]
        cut = s + quote.index(" ", int(0.4 * len(quote))) + 1
        prefix, suffix = describe_context(old.text, s, e)
        ann = Annotation("a", TextQuote(quote, prefix, suffix),
                         TextPosition(old.to_utf16(s), old.to_utf16(e)))
        for replacement in ("", _filler(rng, e - cut)):
            new = DocumentText.from_page_texts(_replace(paper, cut, e, replacement), "pdfjs-2.11")
            res = Resolver(new).resolve(ann)
            assert not res.status.is_anchored, (quote, res.exact, res.reason)
