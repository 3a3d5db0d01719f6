"""Stored context across a page break: a passage that moved onto the next page.

Why: when a new version's page breaks move, an annotated passage can come to start the next
page while its stored prefix still ends the previous page's body. PDF.js gives a page's text in
reading order — body, then footnotes and footer — so between the prefix and the passage now lie
the previous page's footnotes and the next page's running header. Compared character by
character, the context disagrees at the right place, and a copy of the quote elsewhere (a
footnote restating the sentence) can win on context alone (measured: yellow paper v2 → v3
"the first three", ``icgaj8qtvm``: the copy in a footnote won over the text's own copy at the
top of the next page).

The stored prefix is *bridged* — counted as agreeing exactly — when it is found verbatim on the
other side of one page break from the candidate, the candidate right after that break: the
candidate starts a page's body (:func:`body_start`: only running header/footer text and a page
label lie between the page start and it), and the stored prefix lies on the page before, ending
within ``BRIDGE_REACH`` view characters of the break. A prefix shorter than ``MIN_BRIDGED`` is
never bridged. The prefix found there must have lost its own quote: no occurrence of it in reach
is followed by text resembling the quote (``FOLLOWER_SIMILAR``). A prefix still followed by the
quote (or an edited copy of it) belongs to that copy, which is the passage; the candidate at the
page break is then a duplicate and gets no credit from it.

Only a candidate whose stored *suffix* agrees where it stands (``OTHER_SIDE_AGREES``) is
bridged: the page break must explain the one side that disagrees, not stand in for all the
evidence. Without it a short common quote ("the results") that happens to open the next page
would be credited with the prefix of a deleted passage that ended the page before.

The mirror image — a passage that came to end a page, its stored suffix opening the next — is
not bridged. Where a page's body ends among its footnotes cannot be told, and crediting every
end near the break let step 3's boundary fitting move fuzzy answers' ends (session 10: eight
answers on Suite A + B, none better; even an end right at the break leaves a page label that may
or may not be the quote's); no case needed it.

All positions are match-view indices (:mod:`tether.resolve.normalize`; whitespace removed).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from rapidfuzz.distance import Levenshtein

from tether.resolve.index import FURNITURE_EDGE, FURNITURE_GRAM, DocumentIndex
from tether.resolve.options import CONTEXT_AGREE

#: The most view characters between a stored prefix and the page break that the page's
#: footnotes and footer may take: room for a long footnote block, a third of a two-column page
#: (the measured case needs 276). Not tuned: every answer on Suite A + B and DEV is the same for
#: any reach from 300 to 4,000 (session 10).
BRIDGE_REACH = 1500
#: Characters at a page's start that need not be running header text: a page number or label
#: next to the header — no more, and only a label's shape (``LABEL_SHAPE``: "6", "12-3",
#: "xiv"), so that a candidate starting a word or two into the body ("I", "mix") is not taken
#: for one starting it.
PAGE_LABEL = 6
LABEL_SHAPE = re.compile(r"[0-9][0-9.\-–]*|x{0,3}(?:ix|iv|v?i{0,3})")
#: The text after a prefix found across a break "still holds the quote" at this similarity
#: (1 − edits / quote length) or more: then that prefix is the quote's own, not a bridge.
#: Looser guards move the ends of fuzzy answers whose context is found twice (0.9: three on
#: Suite A, two of them in a table of contents' dot leaders; none becomes wrong); 0.3 changes
#: none.
FOLLOWER_SIMILAR = 0.5
#: The suffix agrees beside the candidate (the default ``context_agree``).
OTHER_SIDE_AGREES = CONTEXT_AGREE
#: A stored prefix shorter than this (view characters, after the running header is trimmed from
#: it) is never bridged: the part of a context cut at an old page break can be a page label
#: alone ("3"), found by chance anywhere.
MIN_BRIDGED = FURNITURE_GRAM
#: The clause a reason adds for a bridged prefix: the context shown beside such an answer is
#: header or footnote text, so the reader is told where the stored context was found.
BRIDGE_NOTE = "its stored prefix ends the previous page's text, before the page break"


def prefix_bridged(index: DocumentIndex, prefix: str, quote: str, view_start: int,
                   prefix_sim: float | None, suffix_sim: float | None) -> bool:
    """Whether the candidate starting at view index ``view_start`` has its stored ``prefix``
    (view form) bridged across a page break (module doc), given both context sides'
    similarities there (``prefix_sim`` / ``suffix_sim``, None when not stored): only while the
    suffix agrees and the prefix does not already."""
    return (prefix_sim is not None and suffix_sim is not None and prefix_sim < 1.0
            and suffix_sim >= OTHER_SIDE_AGREES
            and bridged_prefix(index, prefix, quote, view_start))


def bridged_prefix(index: DocumentIndex, prefix: str, quote: str, at: int) -> bool:
    """Whether ``prefix`` (a stored prefix, view form) is found across the one page break
    right before view index ``at`` (a candidate's start), having lost its own quote (module
    doc): ``at`` starts a page's body, and the prefix lies on the page before, ending within
    ``BRIDGE_REACH`` of the break; no occurrence there is still followed by the quote."""
    if len(prefix) < MIN_BRIDGED:
        return False
    starts = index.page_starts
    k = bisect_right(starts, at) - 1
    if k <= 0 or not body_start(index, starts[k], at):
        return False
    text, page = index.view.text, starts[k]
    found = False
    at_prefix = text.find(prefix, max(starts[k - 1], page - BRIDGE_REACH - len(prefix)), page)
    while at_prefix >= 0:
        end = at_prefix + len(prefix)
        if _resembles(quote, text[end : end + len(quote)]):
            return False  # this prefix still holds its quote: that copy is the passage
        found = True
        at_prefix = text.find(prefix, at_prefix + 1, page)
    return found


def body_start(index: DocumentIndex, page: int, at: int) -> bool:
    """Whether view index ``at`` starts the body of the page starting at ``page``: everything
    in ``[page, at)`` is running header/footer text (:attr:`DocumentIndex.furniture`) but for a
    page label (``PAGE_LABEL``, ``LABEL_SHAPE``), and no such text runs on at ``at``."""
    if at - page > FURNITURE_EDGE:
        return False
    text, furniture = index.view.text, index.furniture
    if any(text[i : i + FURNITURE_GRAM] in furniture
           for i in range(max(page, at - FURNITURE_GRAM + 1), at + 1)):
        return False  # header text runs on at ``at``: the body starts later
    head = text[page:at]
    covered = [False] * len(head)
    for i in range(len(head) - FURNITURE_GRAM + 1):
        if head[i : i + FURNITURE_GRAM] in furniture:
            covered[i : i + FURNITURE_GRAM] = [True] * FURNITURE_GRAM
    label = "".join(c for c, header in zip(head, covered, strict=True) if not header)
    return len(label) <= PAGE_LABEL and LABEL_SHAPE.fullmatch(label) is not None


def _resembles(quote: str, found: str) -> bool:
    """Whether ``found`` (view text of about the quote's length) is a copy of ``quote``,
    verbatim or edited (``FOLLOWER_SIMILAR``)."""
    if not found:
        return False
    return 1.0 - Levenshtein.distance(quote, found) / len(quote) >= FOLLOWER_SIMILAR
