"""A rival across a page break: refuse an answer that another place, once its stored prefix is
found before the page break in front of it, would fit as well.

Why: when a new version's page breaks move, an annotated passage can come to start the next
page while its stored prefix still ends the previous page's body. PDF.js gives a page's text in
reading order — body, then footnotes and footer — so between the prefix and the passage now lie
the previous page's footnotes and the next page's running header. Compared character by
character, the context disagrees at the right place, and a copy of the quote elsewhere (a
footnote restating the sentence) can win on context alone (measured: yellow paper v2 → v3
"the first three", ``icgaj8qtvm``: the copy in a footnote was anchored, a wrong anchor, over the
text's own copy at the top of the next page).

This evidence only ever *refuses*. A first version counted the bridged prefix as agreeing and
so anchored the page-start copy; two reviews then built small documents on which that anchored
wrong words while the cascade alone was right (session 10: words inserted between the prefix
and the quote in place, a prefix recurring mid-sentence before a break, a two-column page whose
prefix ends the left column, a restatement opening a later page). A prefix found "somewhere
before a page break" is weaker evidence than one right beside the quote, so it may say that
two places fit about equally well — ``ambiguous`` — but never pick one.

A candidate's stored prefix is *bridged* (:func:`bridged_prefix`) when:

* the candidate starts a page's body (:func:`body_start`: only running header/footer text and
  a page label lie between the page start and it);
* the stored prefix (≥ ``MIN_BRIDGED`` view characters) occurs on the page before, ending within
  ``BRIDGE_REACH`` view characters of the break, where its page's body may end (:func:`_ends_body`:
  the page ends there, or a footnote mark or running-header text follows);
* no occurrence of the prefix anywhere still has the quote soon after it (``FOLLOWER_WINDOW``):
  such a prefix belongs to that copy, which is the passage;
* the candidate's stored suffix agrees where it stands (``OTHER_SIDE_AGREES``): the break
  explains the one side that disagrees, it does not stand in for all the evidence.

An accepted answer is then refused as ``ambiguous`` (:func:`unless_bridged`) when a bridged
candidate elsewhere, scored with its prefix agreeing, comes within ``ambiguity_margin`` of it
and has the evidence to be accepted itself.

All positions are match-view indices (:mod:`tether.resolve.normalize`; whitespace removed).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right

from rapidfuzz import fuzz

from tether.resolve.decide import Verdict, objection
from tether.resolve.evidence import Match, Query, combine
from tether.resolve.index import FURNITURE_EDGE, FURNITURE_GRAM, DocumentIndex
from tether.resolve.options import CONTEXT_AGREE, ResolveOptions

#: The most view characters between a stored prefix and the page break that the page's
#: footnotes and footer may take: room for a long footnote block, a third of a two-column page
#: (the measured case needs 276).
BRIDGE_REACH = 1500
#: Characters at a page's start that need not be running header text: a page number or label
#: next to the header — no more, and only a label's shape (``LABEL_SHAPE``: "6", "12-3",
#: "xiv"), so that a candidate starting a word or two into the body ("I", "mix") is not taken
#: for one starting it.
PAGE_LABEL = 6
LABEL_SHAPE = re.compile(r"[0-9][0-9.\-–]*|x{0,3}(?:ix|iv|v?i{0,3})")
#: What may follow a prefix that ends its page's body: a footnote's number or mark.
NOTE_START = frozenset("0123456789*†‡§¶")
#: A prefix "still has its quote" when the quote matches in the text this many view characters
#: past the prefix (the quote's length and this more: words inserted in place) at
#: ``FOLLOWER_SIMILAR`` or more (rapidfuzz ``partial_ratio``, 0–1).
FOLLOWER_WINDOW = 32
FOLLOWER_SIMILAR = 0.8
#: The suffix agrees beside the candidate (the default ``context_agree``).
OTHER_SIDE_AGREES = CONTEXT_AGREE
#: A stored prefix shorter than this (view characters, after the running header is trimmed from
#: it) is never bridged: the part of a context cut at an old page break can be a page label
#: alone ("3"), found by chance anywhere.
MIN_BRIDGED = FURNITURE_GRAM


def unless_bridged(index: DocumentIndex, q: Query, verdict: Verdict, candidates: list[Match],
                   opt: ResolveOptions) -> Verdict:
    """``verdict``, or ``ambiguous`` when a candidate other than its answer, its stored prefix
    bridged across a page break, would fit about as well (module doc). Never accepts."""
    best = verdict.best
    if best is None or len(q.prefix) < MIN_BRIDGED:
        return verdict
    floor = best.score - opt.ambiguity_margin
    for c in candidates:
        if (c is best or c.prefix_sim is None or c.prefix_sim >= 1.0 or c.suffix_sim is None
                or c.suffix_sim < OTHER_SIDE_AGREES
                or (c.view_start < best.view_end and best.view_start < c.view_end)):
            continue
        score, text_score = combine(c.quote_sim, 1.0, c.suffix_sim, c.distance,
                                    len(index.source))
        if score <= floor or not bridged_prefix(index, q.prefix, q.quote, c.view_start):
            continue
        rival = dataclasses.replace(c, prefix_sim=1.0, score=score, text_score=text_score)
        if objection(rival, q, opt) is not None:
            continue
        return Verdict(None, (best, c), True,
                       f"2 places fit about equally well: one scoring {best.score:.2f}, and "
                       f"one that starts a page whose stored prefix ends the previous page's "
                       f"text, before the page break ({score:.2f} counting it)")
    return verdict


def bridged_prefix(index: DocumentIndex, prefix: str, quote: str, at: int) -> bool:
    """Whether ``prefix`` (a stored prefix, view form) is found across the one page break
    right before view index ``at`` (a candidate's start), having lost its own quote (module
    doc)."""
    if len(prefix) < MIN_BRIDGED:
        return False
    starts = index.page_starts
    k = bisect_right(starts, at) - 1
    if k <= 0 or not body_start(index, starts[k], at):
        return False
    text, page = index.view.text, starts[k]
    lo = max(starts[k - 1], page - BRIDGE_REACH - len(prefix))
    ends = [at_prefix + len(prefix) for at_prefix in index.find_exact(prefix)]
    if not any(_ends_body(index, end, page) for end in ends if lo + len(prefix) <= end <= page):
        return False
    window = len(quote) + FOLLOWER_WINDOW
    return not any(fuzz.partial_ratio(quote, text[end : end + window]) >= 100 * FOLLOWER_SIMILAR
                   for end in ends)


def _ends_body(index: DocumentIndex, end: int, page: int) -> bool:
    """Whether a page's body may end at view index ``end`` (on the page before the one
    starting at ``page``): the page ends there, or a footnote's number or mark, or running
    header/footer text, follows."""
    text = index.view.text
    return (end == page or text[end] in NOTE_START
            or text[end : end + FURNITURE_GRAM] in index.furniture)


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
