"""Stored context across a page break: a passage that moved onto the next page.

Why: when a new version's page breaks move, an annotated passage can come to start the next
page while its stored prefix still ends the previous page's body. PDF.js gives a page's text in
reading order — body, then footnotes and footer — so between the prefix and the passage now lie
the previous page's footnotes and the next page's running header. Compared character by
character, the context disagrees at the right place, and a copy of the quote elsewhere (a
footnote restating the sentence) can win on context alone (measured: yellow paper v2 → v3
"the first three", ``icgaj8qtvm``: the copy in a footnote won over the text's own copy at the
top of the next page). The same holds, mirrored, for a passage that came to end a page.

A stored context side is *bridged* — counted as agreeing exactly — when it is found verbatim on
the other side of one page break and the candidate sits at that break:

* prefix: the candidate starts a page's body (:func:`body_start`: only running header/footer
  text and at most ``PAGE_LABEL`` other characters lie between the page start and it) and the
  stored prefix ends within ``BRIDGE_REACH`` view characters before that page start;
* suffix: the candidate ends within ``BRIDGE_REACH`` view characters before a page start and
  the stored suffix starts that page's body.

and the context found there has lost its own quote: the text on its quote's side does not
resemble the quote (``FOLLOWER_SIMILAR``). A prefix still followed by the quote (or an edited
copy of it) belongs to that copy, which is the passage; the candidate at the page break is then
a duplicate and gets no credit from it.

Only a candidate whose *other* stored side agrees where it stands (``OTHER_SIDE_AGREES``) is
bridged: the page break must explain the one side that disagrees, not stand in for all the
evidence. Without it a short common quote ("the results") that happens to open the next page
would be credited with the prefix of a deleted passage that ended the page before.

All positions are match-view indices (:mod:`tether.resolve.normalize`; whitespace removed).
"""

from __future__ import annotations

from bisect import bisect_right

from rapidfuzz.distance import Levenshtein

from tether.resolve.index import FURNITURE_EDGE, FURNITURE_GRAM, DocumentIndex
from tether.resolve.options import CONTEXT_AGREE

#: The most view characters between a passage (or context) and the page break that the page's
#: footnotes and footer may take: room for a long footnote block, a third of a two-column page
#: (the measured case needs 276). Not tuned: every answer on Suite A + B and DEV is the same for
#: any reach from 300 to 4,000 (session 10).
BRIDGE_REACH = 1500
#: Characters at a page's start that need not be running header text: a page number or label
#: ("6", "xiv", "A-12") next to the header.
PAGE_LABEL = 6
#: The text beside a context found across a break "still holds the quote" at this similarity
#: (1 − edits / quote length) or more: then that context is the quote's own, not a bridge.
#: Looser guards move the ends of fuzzy answers whose context is found twice (0.9: three on
#: Suite A, two of them in a table of contents' dot leaders; none becomes wrong); 0.3 changes
#: none.
FOLLOWER_SIMILAR = 0.5
#: The other stored side agrees beside the candidate (the default ``context_agree``).
OTHER_SIDE_AGREES = CONTEXT_AGREE


def bridged_sides(index: DocumentIndex, prefix: str, suffix: str, quote: str, view_start: int,
                  view_end: int, prefix_sim: float | None, suffix_sim: float | None
                  ) -> tuple[bool, bool]:
    """Which stored context side of the candidate ``[view_start, view_end)`` (view indices) is
    bridged across a page break (module doc), given the sides' similarities there
    (``prefix_sim`` / ``suffix_sim``, None when not stored): at most one, and only while the
    other agrees."""
    if prefix_sim is None or suffix_sim is None:
        return False, False
    if prefix_sim < 1.0 and suffix_sim >= OTHER_SIDE_AGREES and bridged_prefix(
            index, prefix, quote, view_start):
        return True, False
    if suffix_sim < 1.0 and prefix_sim >= OTHER_SIDE_AGREES and bridged_suffix(
            index, suffix, quote, view_end):
        return False, True
    return False, False


def bridge_note(before: bool, after: bool) -> str | None:
    """The clause a reason adds for a bridged side (:func:`bridged_sides`): the context shown
    beside such an answer is header or footnote text, so the reader is told where the stored
    context was found."""
    if before:
        return "its stored prefix ends the previous page's text, before the page break"
    if after:
        return "its stored suffix starts the next page's text, after the page break"
    return None


def bridged_prefix(index: DocumentIndex, prefix: str, quote: str, at: int) -> bool:
    """Whether ``prefix`` (a stored prefix, view form) is found across the page break right
    before view index ``at`` (a candidate's start), having lost its own quote (module doc)."""
    if not prefix:
        return False
    starts = index.page_starts
    k = bisect_right(starts, at) - 1
    if k <= 0 or at - starts[k] > FURNITURE_EDGE or not body_start(index, starts[k], at):
        return False
    text, page = index.view.text, starts[k]
    end = text.rfind(prefix, max(0, page - BRIDGE_REACH - len(prefix)), page)
    if end < 0:
        return False
    end += len(prefix)
    return not _resembles(quote, text[end : end + len(quote)])


def bridged_suffix(index: DocumentIndex, suffix: str, quote: str, at: int) -> bool:
    """Whether ``suffix`` (a stored suffix, view form) is found across the page break right
    after view index ``at`` (a candidate's end), having lost its own quote (module doc)."""
    if not suffix:
        return False
    starts = index.page_starts
    k = bisect_right(starts, at)
    if k >= len(starts) or starts[k] - at > BRIDGE_REACH:
        return False
    text, page = index.view.text, starts[k]
    found = text.find(suffix, page, page + FURNITURE_EDGE + len(suffix))
    if found < 0 or not body_start(index, page, found):
        return False
    return not _resembles(quote, text[max(0, found - len(quote)) : found])


def body_start(index: DocumentIndex, page: int, at: int) -> bool:
    """Whether view index ``at`` starts the body of the page starting at ``page``: everything
    in ``[page, at)`` is running header/footer text (:attr:`DocumentIndex.furniture`) except at
    most ``PAGE_LABEL`` characters, and the text from ``at`` on does not start with such text."""
    if at - page > FURNITURE_EDGE:
        return False
    text, furniture = index.view.text, index.furniture
    if text[at : at + FURNITURE_GRAM] in furniture:
        return False  # ``at`` is inside the header: the body starts later
    head = text[page:at]
    if len(head) <= PAGE_LABEL:
        return True
    covered = [False] * len(head)
    for i in range(len(head) - FURNITURE_GRAM + 1):
        if head[i : i + FURNITURE_GRAM] in furniture:
            covered[i : i + FURNITURE_GRAM] = [True] * FURNITURE_GRAM
    return covered.count(False) <= PAGE_LABEL


def _resembles(quote: str, found: str) -> bool:
    """Whether ``found`` (view text of about the quote's length) is a copy of ``quote``,
    verbatim or edited (``FOLLOWER_SIMILAR``)."""
    if not found:
        return False
    return 1.0 - Levenshtein.distance(quote, found) / len(quote) >= FOLLOWER_SIMILAR

