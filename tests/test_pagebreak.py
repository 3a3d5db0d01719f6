"""A rival across a page break (:mod:`tether.resolve.pagebreak`): evidence that only refuses.

The real case: yellow paper v2 → v3, ``icgaj8qtvm`` "the first three". v2 has the phrase in the
text and again in a footnote; v3's page break falls right before the text's copy, so the page's
footnotes and the next page's running header stand between the stored prefix and it, while the
footnote's copy keeps part of the prefix ("each of") and almost all the suffix. Without the rule
the footnote's copy is anchored (a wrong anchor found by the session-9 truth audit); with it the
two places are reported as ``ambiguous``.

The synthetic cases pin down each condition on a small document with a running header, and the
counterexamples two reviews built against a first version that *anchored* the page-start copy:
each must not end on the wrong words.
"""

from __future__ import annotations

import pytest
from test_resolve_steps import annotate, span_of

from conftest import FIXTURES, version_pages
from tether.formats import load_annotations
from tether.offsets import OffsetUnit
from tether.resolve import ResolveOptions, Resolver, Status
from tether.resolve.index import DocumentIndex
from tether.resolve.normalize import key
from tether.resolve.pagebreak import (
    BRIDGE_REACH,
    body_start,
    bridged_prefix,
)
from tether.textmodel.model import DocumentText

HEADER = "PROCEEDINGS OF THE SOCIETY FOR MADE-UP RESULTS "
FILLER = ("Each section restates its assumptions before the proofs begin, and the proofs "
          "follow the order in which the lemmas were stated. ")
PREFIX = "taking the low-order bits of eachof"   # ends the body of page 2
QUOTE = "the first three"
SUFFIX = " pairs of bytes in a hash of the sequence"


def _plain_pages(count: int) -> list[str]:
    """``count`` pages of filler, each opening with the running header and its number."""
    return [HEADER + f"{n} " + FILLER * 3 for n in range(count)]


def _pages(*, follower: str = "", gap: str = "", third_body: str | None = None) -> list[str]:
    """Six pages with a running header and page number; page 2's body ends with ``PREFIX`` (+
    ``follower``), then ``gap`` (a footnote), and page 3's body starts with the passage."""
    body3 = third_body if third_body is not None else QUOTE + SUFFIX + ". " + FILLER
    pages = _plain_pages(6)
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


def test_no_bridge_across_two_breaks() -> None:
    # A short page between: the prefix lies two pages before the candidate.
    pages = _pages(gap="1 A footnote.")
    pages.insert(3, HEADER + "3 A short page.")
    index = _index(pages)
    at = _view_at(index, QUOTE, 4)
    assert not bridged_prefix(index, key(PREFIX), key(QUOTE), at)


def test_no_bridge_for_a_context_cut_to_a_page_label() -> None:
    # An annotation that opened a page stored the header and page label as its prefix; trimmed
    # of the header, "3" is left, and a "3" occurs on any page.
    pages = _pages(gap=" See Section 3 for the proof.")
    index = _index(pages)
    at = _view_at(index, QUOTE, 3)
    assert not bridged_prefix(index, "3", key(QUOTE), at)


def _resolved(old_pages: list[str], new_pages: list[str], quote: str, nth: int = 0):
    """Resolve, against ``new_pages``, what Hypothesis would store for the ``nth`` ``quote``
    of ``old_pages``; returns the resolution and the new document."""
    old = DocumentText.from_page_texts(old_pages, model="pdfjs-2.11")
    new = DocumentText.from_page_texts(new_pages, model="pdfjs-2.11")
    return Resolver(new).resolve(annotate(old, *span_of(old, quote, nth))), new


def test_a_quote_opening_the_next_page_is_not_taken_for_a_deleted_one() -> None:
    """The annotated passage opened page 3 and is gone; page 5 now opens with the same words,
    and page 4 ends with a chance "3" (the old prefix's page label): orphaned, not anchored."""
    old = _plain_pages(7)
    old[3] = HEADER + "3 " + QUOTE + " pairs of bytes in a hash of the sequence. " + FILLER * 2
    old[5] = HEADER + "5 " + FILLER + QUOTE + " chapters are an overview of the field. " + FILLER
    new = _plain_pages(7)
    new[4] = HEADER + "4 " + FILLER * 3 + "See Section 3 for the proof."
    new[5] = HEADER + "5 " + QUOTE + " chapters are an overview of the field. " + FILLER * 2
    res, _ = _resolved(old, new, QUOTE)
    assert res.start is None, (res.status, res.reason)


def test_a_prefix_left_mid_page_bridges_nothing() -> None:
    """The sentence was rewritten in place: its prefix survives mid-page, followed by other
    words; an unrelated "the first three chapters" opens the next page. Only the prefix would
    agree there, so nothing is bridged and the quote stays orphaned."""
    lead = "The checksum is computed by taking the low-order bits of each of "
    old = _plain_pages(7)
    old[2] = (HEADER + "2 " + FILLER + lead + QUOTE + " pairs of bytes in a hash of the "
              "sequence. " + FILLER * 5)
    old[4] = HEADER + "4 " + FILLER + QUOTE + " chapters are an overview of the field. " + FILLER
    new = _plain_pages(7)
    new[2] = HEADER + "2 " + FILLER + lead + "its sixteen-bit words, added modulo a prime. " \
        + FILLER * 5
    new[3] = HEADER + "3 " + QUOTE + " chapters are an overview of the field. " + FILLER * 2
    res, _ = _resolved(old, new, QUOTE)
    assert res.start is None, (res.status, res.reason)


def test_a_suffix_across_the_break_is_not_credited() -> None:
    """The sentence lost its start and its end now opens page 3: an unrelated "the first
    three" 500 characters before the break has no agreeing prefix, and the suffix found across
    the break is not credited to it (only a prefix is bridged)."""
    tail = " pairs of bytes in a hash of the sequence give the checksum. "
    old = _plain_pages(7)
    old[2] = (HEADER + "2 " + FILLER * 2 + "We read " + QUOTE + " chapters as an overview. "
              + FILLER + "It is computed by taking the low-order bits of each of " + QUOTE
              + tail + FILLER)
    new = _plain_pages(7)
    new[2] = (HEADER + "2 " + FILLER * 2 + "We read " + QUOTE + " chapters as an overview. "
              + FILLER * 2 + "1 A footnote.")
    new[3] = HEADER + "3 " + tail.strip() + FILLER * 2
    res, _ = _resolved(old, new, QUOTE, nth=1)
    assert res.start is None, (res.status, res.reason)


def test_a_moved_passage_is_not_lost_to_a_copy_at_a_page_start() -> None:
    """The passage that opened page 3 now follows a new opening sentence; a restatement with
    the same suffix opens page 5, after a chance "3": the passage is still found, not the copy."""
    sentence = QUOTE + " pairs of bytes in a hash of the sequence. "
    old = _plain_pages(7)
    old[3] = HEADER + "3 " + sentence + FILLER * 2
    old[5] = HEADER + "5 " + FILLER + "As said, " + sentence + FILLER
    new = _plain_pages(7)
    new[3] = HEADER + "3 A new opening sentence comes first here. " + sentence + FILLER * 2
    new[4] = HEADER + "4 " + FILLER * 3 + "See Section 3 for the proof."
    new[5] = HEADER + "5 " + sentence + FILLER * 2
    res, doc = _resolved(old, new, QUOTE)
    assert res.start is None or res.start == span_of(doc, QUOTE, 0)[0], (res.page, res.reason)


def test_body_start_skips_the_running_header_only() -> None:
    index = _index(_pages())
    page = index.page_starts[3]
    at = _view_at(index, QUOTE, 3)
    assert body_start(index, page, at)
    assert not body_start(index, page, page + 5)  # inside the header
    assert not body_start(index, page, page + 30)  # inside it, the rest of it header text
    # past the body's start: a letter of the body is not a page label
    assert not body_start(index, page, at + 1)
    # ... nor is a word made of roman numerals' letters ("mix", "I"): only a label's shape is
    for word in ("mix ", "I "):
        index = _index(_pages(third_body=word + QUOTE + SUFFIX + ". " + FILLER))
        at = _view_at(index, QUOTE, 3)
        assert not body_start(index, index.page_starts[3], at), word
    for label in ("xiv", "12-3"):  # a label before the header, as some layouts print it
        pages = _pages()
        pages[3] = label + " " + pages[3].replace("3 ", "", 1)
        index = _index(pages)
        assert body_start(index, index.page_starts[3], _view_at(index, QUOTE, 3)), label


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


LEAD = "It is computed by taking the low-order bits of each of"


@pytest.mark.parametrize("inserted", [", in short, ", " exactly "])
def test_words_inserted_before_the_quote_in_place_keep_its_prefix(inserted: str) -> None:
    """The passage keeps its place on page 3 with words inserted between its prefix and the
    quote; a restatement of quote + suffix opens page 4. The prefix still has its quote soon
    after it, so it is not bridged to the restatement: the passage is found."""
    old = _plain_pages(8)
    old[3] = HEADER + "3 " + FILLER * 2 + LEAD + " " + QUOTE + SUFFIX + ". " + FILLER
    old[5] = HEADER + "5 " + FILLER + "Recall that " + QUOTE + SUFFIX + " are summed. " + FILLER
    new = _plain_pages(8)
    new[3] = (HEADER + "3 " + FILLER * 2 + LEAD + inserted + QUOTE + SUFFIX + ". " + FILLER
              + "1 A footnote.")
    new[4] = HEADER + "4 " + QUOTE + SUFFIX + " are summed, as recalled later. " + FILLER * 2
    res, doc = _resolved(old, new, QUOTE)
    assert res.start == span_of(doc, QUOTE + SUFFIX + ". ")[0], (res.page, res.reason)


def test_a_footnote_mark_inserted_before_the_quote_keeps_its_prefix() -> None:
    """The passage stays on page 3 (moved by a new sentence), a footnote mark now between its
    prefix and the quote (so the prefix is followed by a note's number, as at a body's end); a
    restatement opens page 4. The quote follows the prefix within a few characters: the
    passage is found."""
    old = _plain_pages(8)
    old[3] = HEADER + "3 " + FILLER * 2 + LEAD + " " + QUOTE + SUFFIX + ". " + FILLER
    old[5] = HEADER + "5 " + FILLER + "Recall that " + QUOTE + SUFFIX + " are summed. " + FILLER
    new = _plain_pages(8)
    new[3] = (HEADER + "3 A new sentence opens the section. " + FILLER * 2 + LEAD + "2 "
              + QUOTE + SUFFIX + ". " + FILLER + "2 A footnote.")
    new[4] = HEADER + "4 " + QUOTE + SUFFIX + " are summed, as recalled later. " + FILLER * 2
    res, doc = _resolved(old, new, QUOTE)
    assert res.start == span_of(doc, QUOTE + SUFFIX + ". ")[0], (res.page, res.reason)


def test_a_prefix_recurring_mid_sentence_before_a_break_bridges_nothing() -> None:
    """The passage's own prefix was reworded (page 1); the old prefix's words recur near the
    end of page 3 with the sentence going on after them; a copy of quote + suffix opens page
    4. The page's body does not end after those words, so nothing is bridged."""
    x = "as noted in the preliminary remarks, "
    old = _plain_pages(7)
    old[1] = HEADER + "1 " + FILLER + x + QUOTE + SUFFIX + " are summed. " + FILLER * 2
    new = _plain_pages(7)
    new[1] = (HEADER + "1 " + FILLER + "as we saw in the opening remarks, " + QUOTE + SUFFIX
              + " are summed. " + FILLER * 2)
    new[3] = HEADER + "3 " + FILLER * 3 + x + "we skip the rest. 1 A footnote."
    new[4] = HEADER + "4 " + QUOTE + SUFFIX + " are discarded. " + FILLER * 2
    res, doc = _resolved(old, new, QUOTE)
    assert res.start == span_of(doc, QUOTE + SUFFIX + " are summed")[0], (res.page, res.reason)


def test_a_caption_between_columns_is_not_a_page_break() -> None:
    """Two-column page 3 in PDF.js order: the prefix ends the left column, a figure caption,
    then the quote tops the right column; a restatement opens page 4. The passage is found."""
    half = FILLER * 2
    old = _plain_pages(8)
    old[3] = HEADER + "3 " + half + LEAD + " " + QUOTE + SUFFIX + ". " + half
    old[5] = HEADER + "5 " + FILLER + "Recall that " + QUOTE + SUFFIX + " are summed. " + FILLER
    new = _plain_pages(8)
    new[3] = (HEADER + "3 " + half + LEAD + " Figure 2: The layout of the hash table used by "
              "the checksum. " + QUOTE + SUFFIX + ". " + half + "1 A footnote.")
    new[4] = HEADER + "4 " + QUOTE + SUFFIX + " are summed, as recalled later. " + FILLER * 2
    res, doc = _resolved(old, new, QUOTE)
    assert res.start == span_of(doc, QUOTE + SUFFIX + ". ")[0], (res.page, res.reason)


def test_the_rule_only_refuses() -> None:
    """A passage that moved to the top of page 3 while a footnote on page 2 restates it with
    part of the prefix: without the rule the footnote is anchored; with it the two places are
    ``ambiguous`` — the page-start copy is never anchored on this evidence."""
    lead = "taking the low-order bits of each of "
    old = _plain_pages(8)
    note = ("1 The low-order bits are the operand modulo 2048, and the operand is in this "
            "case each of " + QUOTE + " pairs ofbytes in a hash of the sequence.")
    old[2] = HEADER + "2 " + FILLER * 2 + lead + QUOTE + SUFFIX + ". " + FILLER + note
    new = _plain_pages(8)
    new[2] = HEADER + "2 " + FILLER * 2 + lead.strip() + note
    new[3] = HEADER + "3 " + QUOTE + SUFFIX + ". " + FILLER * 2
    old_doc = DocumentText.from_page_texts(old, model="pdfjs-2.11")
    new_doc = DocumentText.from_page_texts(new, model="pdfjs-2.11")
    ann = annotate(old_doc, *span_of(old_doc, QUOTE, 0))
    off = Resolver(new_doc, ResolveOptions(page_breaks=False)).resolve(ann)
    assert off.start == span_of(new_doc, QUOTE, 0)[0]  # the footnote's copy: wrong
    res = Resolver(new_doc).resolve(ann)
    assert res.status is Status.AMBIGUOUS and res.start is None
    assert {c.start for c in res.rivals} == {span_of(new_doc, QUOTE, k)[0] for k in (0, 1)}
    assert "page break" in (res.reason or "")


@pytest.mark.corpus
def test_a_footnote_copy_is_not_anchored_over_the_text_copy_after_a_page_break() -> None:
    doc = DocumentText.from_page_texts(version_pages("eth-yellowpaper", 3), model="pdfjs-2.11")
    notes = load_annotations(FIXTURES / "updates" / "eth-yellowpaper" / "v2.md").annotations
    ann = next(a for a in notes if a.id == "icgaj8qtvm")
    off = Resolver(doc, ResolveOptions(page_breaks=False)).resolve(ann)
    assert off.span(OffsetUnit.UTF16) == (27337, 27352)  # the footnote's copy (page 5)
    res = Resolver(doc).resolve(ann)
    assert res.status is Status.AMBIGUOUS
    # Both places are shown: the footnote's copy and the text's own at the top of page 6.
    assert {c.span(OffsetUnit.UTF16) for c in res.rivals} == {(27337, 27352), (27475, 27490)}
    assert "stored prefix ends the previous page's text" in (res.reason or "")
