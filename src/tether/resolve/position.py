"""Step 1: does the stored position still hold the stored quote?

tether's rule (:func:`check_position`): the stored span, converted from its unit to code points,
holds ``exact`` exactly → ``anchored``; it holds the same words up to whitespace / invisible
characters (the span starting at the stored start) → ``drifted`` by position, so a repair
rewrites ``exact`` and the end offset. Unlike Hypothesis, tether finds the span in the whole
document text, so a span starting exactly at a page start is checked like any other.

:func:`hypothesis_anchors_by_position` emulates the Hypothesis 2022 client's own rule, quirk
included, for tests that must show "Hypothesis would anchor this by position".
"""

from __future__ import annotations

from dataclasses import dataclass

from tether.offsets import OffsetError, OffsetUnit
from tether.resolve.index import DocumentIndex
from tether.resolve.normalize import fit_whitespace, key, same_up_to_whitespace
from tether.selectors import TextPosition
from tether.textmodel.model import DocumentText


# Not frozen (treat as immutable): every resolution builds one; a frozen dataclass sets each field
# through ``object.__setattr__``.
@dataclass(slots=True, unsafe_hash=True)
class StoredSpan:
    """The stored position in code points, or why it cannot be used.

    ``hint`` is a code-point offset near the stored start even when the span itself is unusable
    (out of range is clamped, a split surrogate pair rounds down), because it still says roughly
    where the annotation was.
    """

    start: int | None
    end: int | None
    hint: int | None
    problem: str | None = None


def stored_span(doc: DocumentText, position: TextPosition | None,
                bmp_only: bool | None = None) -> StoredSpan:
    """Convert a stored position to code points, reporting instead of raising. ``bmp_only``:
    whether ``doc.length_utf16 == len(doc.text)``, when the caller knows it already."""
    if position is None:
        return StoredSpan(None, None, None, "no position selector")
    start, end = position.start, position.end
    if bmp_only is None:
        bmp_only = doc.length_utf16 == len(doc.text)
    if bmp_only and 0 <= start <= end <= len(doc.text):
        # Every character is one UTF-16 unit: both units coincide and the span is in range.
        return StoredSpan(start, end, start)
    unit = position.unit
    if start > end:
        return StoredSpan(None, None, _rough_code_points(doc, start, unit),
                          f"stored start {start} > end {end}")
    try:
        # (a usable span's hint is its converted start: the start is converted once)
        start_cp = doc.convert(start, unit, OffsetUnit.CODE_POINT)
        end_cp = doc.convert(end, unit, OffsetUnit.CODE_POINT)
    except OffsetError as err:
        return StoredSpan(None, None, _rough_code_points(doc, start, unit),
                          f"stored position unusable: {err}")
    return StoredSpan(start_cp, end_cp, start_cp)


def _rough_code_points(doc: DocumentText, offset: int, unit: OffsetUnit) -> int:
    """The code point of stored ``offset`` clamped into the text (a split surrogate pair:
    the pair's start)."""
    limit = doc.length_utf16 if unit == OffsetUnit.UTF16 else len(doc.text)
    offset = min(max(offset, 0), limit)
    try:
        return doc.convert(offset, unit, OffsetUnit.CODE_POINT)
    except OffsetError:  # inside a surrogate pair: the pair's start
        return doc.convert(offset - 1, unit, OffsetUnit.CODE_POINT)


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see StoredSpan
class PositionMatch:
    """Step 1 succeeded: ``[start, end)`` in code points; ``exact`` False for whitespace drift."""

    start: int
    end: int
    exact: bool


def check_position(index: DocumentIndex, span: StoredSpan, exact: str) -> PositionMatch | None:
    """Step 1 on a converted span (``exact`` has visible characters)."""
    if span.start is None or span.end is None:
        return None
    text = index.source
    if text[span.start : span.end] == exact:
        return PositionMatch(span.start, span.end, True)
    view = index.view
    quote_key = key(exact, index.fold)
    k = view.from_source(span.start)
    if not view.text.startswith(quote_key, k):
        return None
    start, end = view.to_source(k, k + len(quote_key))
    start, end = fit_whitespace(text, start, end, exact)
    # The view may fold typography; only a whitespace difference keeps the position's claim.
    if not same_up_to_whitespace(text[start:end], exact):
        return None
    return PositionMatch(start, end, False)


def hypothesis_anchors_by_position(
    doc: DocumentText, exact: str, start_utf16: int, end_utf16: int
) -> bool:
    """Would the Hypothesis 2022 client (Obsidian Annotator 0.2.x) anchor by this position?

    Offsets are **UTF-16** code units (what it stores). Its rule: ``findPageByOffset(start)``
    takes the *first* page whose end (cumulative UTF-16 length) is ≥ ``start`` — so a span
    starting exactly at a page start is looked up on the previous page and fails — then compares
    JavaScript ``pageText.substring(start - pageOffset, end - pageOffset)`` with ``exact``.
    """
    if not doc.pages:
        return False
    page_start = page_end = 0
    units = b""
    for page in doc.pages:
        units = page.text.encode("utf-16-le", "surrogatepass")
        page_start, page_end = page_end, page_end + len(units) // 2
        if page_end >= start_utf16:
            break
    a, b = _js_substring_bounds(start_utf16 - page_start, end_utf16 - page_start,
                                len(units) // 2)
    return units[2 * a : 2 * b] == exact.encode("utf-16-le", "surrogatepass")


def _js_substring_bounds(a: int, b: int, length: int) -> tuple[int, int]:
    """``String.prototype.substring``: clamp both to ``[0, length]``, then order them."""
    a = min(max(a, 0), length)
    b = min(max(b, 0), length)
    return (a, b) if a <= b else (b, a)
