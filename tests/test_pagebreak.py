"""Stored context across a page break (:mod:`tether.resolve.pagebreak`).

The real case: yellow paper v2 → v3, ``icgaj8qtvm`` "the first three". v2 has the phrase in the
text and again in a footnote; v3's page break falls right before the text's copy, so the page's
footnotes and the next page's running header stand between the stored prefix and it, while the
footnote's copy keeps part of the prefix ("each of") and almost all the suffix. Without the
bridge the footnote's copy won on context (a wrong anchor found by the session-9 truth audit).

The synthetic cases pin down each condition of the bridge on a small document with a running
header, so each test fails if its condition stops working.
"""

from __future__ import annotations

import pytest
from test_resolve_steps import annotate, span_of

from conftest import FIXTURES, version_pages
from tether.formats import load_annotations
from tether.offsets import OffsetUnit
from tether.resolve import Resolver, Status
from tether.resolve.index import DocumentIndex
from tether.resolve.normalize import key
from tether.resolve.pagebreak import (
    BRIDGE_REACH,
    PAGE_LABEL,
    body_start,
    bridged_prefix,
    bridged_suffix,
)
from tether.textmodel.model import DocumentText

HEADER = "PROCEEDINGS OF THE SOCIETY FOR MADE-UP RESULTS "
FILLER = ("Each section restates its assumptions before the proofs begin, and the proofs "
          "follow the order in which the lemmas were stated. ")
PREFIX = "taking the low-order bits of eachof"   # ends the body of page 2
QUOTE = "the first three"
SUFFIX = " pairs of bytes in a hash of the sequence"


def _pages(*, follower: str = "", gap: str = "", third_body: str | None = None) -> list[str]:
    """Six pages with a running header and page number; page 2's body ends with ``PREFIX`` (+
    ``follower``), then ``gap`` (a footnote), and page 3's body starts with the passage."""
    body3 = third_body if third_body is not None else QUOTE + SUFFIX + ". " + FILLER
    pages = [HEADER + f"{n} " + FILLER * 3 for n in range(6)]
    pages[2] = HEADER + "2 " + FILLER * 3 + PREFIX + follower + gap
    pages[3] = HEADER + "3 " + body3
    return pages


def _index(pages: list[str]) -> DocumentIndex:
    return DocumentIndex(DocumentText.from_page_texts(pages, model="pdfjs-2.11"))


def _view_at(index: DocumentIndex, needle: str, page: int) -> int:
    """View index of ``needle`` (view form) in page ``page``."""
    start = index.page_starts[page]
    at = index.view.text.find(key(needle), start)
    assert at >= 0
    return at


def test_prefix_is_bridged_at_the_next_page_body_start() -> None:
    index = _index(_pages(gap="1 A footnote about the hash function used here."))
    at = _view_at(index, QUOTE, 3)
    assert bridged_prefix(index, key(PREFIX), key(QUOTE), at)


def test_no_bridge_when_the_prefix_still_holds_its_quote() -> None:
    # The prefix is followed by (an edited copy of) the quote: that copy is the passage.
    index = _index(_pages(follower=" the first thre pairs", gap=" 1 A footnote."))
    at = _view_at(index, QUOTE, 3)
    assert not bridged_prefix(index, key(PREFIX), key(QUOTE), at)


def test_no_bridge_away_from_the_body_start() -> None:
    index = _index(_pages(gap="1 A footnote.", third_body="Lemma 4 holds. " + QUOTE + SUFFIX))
    at = _view_at(index, QUOTE, 3)
    assert not bridged_prefix(index, key(PREFIX), key(QUOTE), at)


def test_no_bridge_beyond_the_reach() -> None:
    long_gap = "1 " + "A very long footnote that goes on. " * (BRIDGE_REACH // 25)
    index = _index(_pages(gap=long_gap))
    at = _view_at(index, QUOTE, 3)
    assert not bridged_prefix(index, key(PREFIX), key(QUOTE), at)


def test_suffix_is_bridged_when_it_starts_the_next_page_body() -> None:
    # The passage ends page 2's body; its suffix starts page 3's, after the header.
    pages = _pages(third_body=SUFFIX.strip() + ". " + FILLER)
    pages[2] = HEADER + "2 " + FILLER * 3 + PREFIX + " " + QUOTE + "1 A footnote."
    index = _index(pages)
    end = _view_at(index, PREFIX + QUOTE, 2) + len(key(PREFIX + QUOTE))
    assert bridged_suffix(index, key(SUFFIX), key(QUOTE), end)
    # ... but not when the suffix there is still preceded by the quote (its own copy).
    pages[3] = HEADER + "3 " + QUOTE + SUFFIX + ". " + FILLER
    index = _index(pages)
    assert not bridged_suffix(index, key(SUFFIX), key(QUOTE), end)


def test_body_start_skips_the_running_header_only() -> None:
    index = _index(_pages())
    page = index.page_starts[3]
    at = _view_at(index, QUOTE, 3)
    assert body_start(index, page, at)
    assert not body_start(index, page, page + 5)  # inside the header
    # past the body's start: the page number and PAGE_LABEL body characters are not header
    assert not body_start(index, page, at + PAGE_LABEL)


def test_a_bridge_never_stands_in_for_all_the_evidence() -> None:
    """A deleted sentence whose prefix ended page 2, and the quote's words opening page 3 by
    chance: only the prefix would agree there (across the break), the suffix does not, so the
    bridge is not granted and the short quote stays refused rather than anchored on the wrong
    words."""
    quote = "the results"
    old_pages = _pages(third_body=FILLER * 2)
    old_pages[2] = (HEADER + "2 " + FILLER * 3 + "As the survey shows, " + quote
                    + " were never replicated by anyone else. 1 A footnote.")
    old = DocumentText.from_page_texts(old_pages, model="pdfjs-2.11")
    ann = annotate(old, *span_of(old, quote))
    new_pages = _pages(third_body=quote + " of section two carry over unchanged. " + FILLER)
    new_pages[2] = HEADER + "2 " + FILLER * 3 + "As the survey shows, 1 A footnote."
    new = DocumentText.from_page_texts(new_pages, model="pdfjs-2.11")
    res = Resolver(new).resolve(ann)
    assert res.start is None, (res.status, res.reason)


@pytest.mark.corpus
def test_the_text_copy_after_a_page_break_beats_a_footnote_copy() -> None:
    doc = DocumentText.from_page_texts(version_pages("eth-yellowpaper", 3), model="pdfjs-2.11")
    notes = load_annotations(FIXTURES / "updates" / "eth-yellowpaper" / "v2.md").annotations
    ann = next(a for a in notes if a.id == "icgaj8qtvm")
    res = Resolver(doc).resolve(ann)
    assert res.status is Status.DRIFTED
    # The text's own copy at the top of page 6 (index 5), not the footnote's at 27337 on page 5.
    assert res.span(OffsetUnit.UTF16) == (27475, 27490)
    assert res.page == 5
    # The context shown beside it is the running header: the reason says where the stored
    # prefix was found.
    assert "stored prefix ends the previous page's text" in (res.reason or "")
