"""Where a resolved span sits on its pages: the characters' boxes merged into line rectangles.

Pure: takes a :class:`~tether.textmodel.model.DocumentText` *with boxes* and a code-point span,
returns rectangles. Coordinates are PyMuPDF's **unrotated** page space (origin top-left, y down,
points) — the space of :class:`~tether.textmodel.model.CharBox`, of ``Page.get_text("rawdict")``
and of ``Page.add_highlight_annot`` (which ignores ``/Rotate``). :func:`to_pixels` maps them onto
a rendered (rotated) page picture.

Invariant (what the tests check): every visible character of the span (not whitespace, box of
positive area) lies inside one of the returned rectangles of its page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tether.textmodel.model import CharBox, DocumentText

#: Two neighbouring characters share a line rectangle when their boxes overlap across the line
#: by at least this share of the smaller box (0.5: sub/superscripts of a line still merge,
#: the next line — overlap 0 — never does).
LINE_OVERLAP = 0.5
#: ... and the gap between them along the line is at most this many times the line height
#: (a word space is ~0.3 em, justified text up to ~1 em; a column jump is far more).
MAX_GAP = 1.5


@dataclass(frozen=True, slots=True)
class Rect:
    """An axis-aligned rectangle in unrotated page space (points, y down). ``reading`` is the
    direction of a vertical line of text in it: 1 downwards (glyph tops to the right, text
    turned 90° clockwise), -1 upwards; 0 for horizontal text or a single character."""

    x0: float
    y0: float
    x1: float
    y1: float
    reading: int = 0

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def contains(self, box: CharBox | Rect, tol: float = 0.01) -> bool:
        return (self.x0 - tol <= box.x0 and self.y0 - tol <= box.y0
                and box.x1 <= self.x1 + tol and box.y1 <= self.y1 + tol)


@dataclass(frozen=True, slots=True)
class PageRects:
    """The part of a span on one page: 0-based ``page`` and its line rectangles, in text
    order."""

    page: int
    rects: tuple[Rect, ...]


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _joins(run: Rect, box: CharBox, direction: str | None) -> str | None:
    """The direction (``"h"`` horizontal, ``"v"`` vertical: a line drawn at 90° / 270°) in which
    ``box`` continues the line ``run`` whose direction so far is ``direction`` (None: a single
    character), or None when it starts a new line."""
    if direction != "v":
        h = min(run.height, box.y1 - box.y0)
        if _overlap(run.y0, run.y1, box.y0, box.y1) >= LINE_OVERLAP * h:
            gap = max(box.x0 - run.x1, run.x0 - box.x1, 0.0)
            if gap <= MAX_GAP * max(run.height, box.y1 - box.y0):
                return "h"
    if direction != "h":
        w = min(run.width, box.x1 - box.x0)
        if _overlap(run.x0, run.x1, box.x0, box.x1) >= LINE_OVERLAP * w:
            gap = max(box.y0 - run.y1, run.y0 - box.y1, 0.0)
            if gap <= MAX_GAP * max(run.width, box.x1 - box.x0):
                return "v"
    return None


def merge_boxes(boxes: Iterable[CharBox]) -> list[Rect]:
    """Consecutive character boxes → line rectangles (the union of each run of boxes on one
    line). Boxes without area (PDF.js's inserted spaces) are skipped."""
    rects: list[Rect] = []
    run: Rect | None = None
    last: CharBox | None = None
    direction: str | None = None
    for b in boxes:
        if b.x1 - b.x0 <= 0 or b.y1 - b.y0 <= 0:
            continue
        joined = _joins(run, b, direction) if run is not None else None
        if run is not None and last is not None and joined is not None:
            reading = 0 if joined == "h" else (1 if b.y0 + b.y1 > last.y0 + last.y1 else -1)
            run = Rect(min(run.x0, b.x0), min(run.y0, b.y0), max(run.x1, b.x1),
                       max(run.y1, b.y1), run.reading if direction == "v" else reading)
            direction, last = joined, b
            continue
        if run is not None:
            rects.append(run)
        run, last, direction = Rect(b.x0, b.y0, b.x1, b.y1), b, None
    if run is not None:
        rects.append(run)
    return rects


def span_rects(text: DocumentText, start: int, end: int) -> list[PageRects]:
    """Line rectangles of the code-point span ``[start, end)`` of ``text``, per page (pages in
    order; a page with no visible character of the span is left out). Raises ``ValueError``
    when ``text`` has no character boxes."""
    if text.pages and start < end and not text.has_boxes:
        raise ValueError("the text model was loaded without character boxes")
    out: list[PageRects] = []
    for page in text.pages:
        lo, hi = max(start, page.start), min(end, page.end)
        if lo >= hi:
            continue
        chars = page.text[lo - page.start: hi - page.start]
        boxes = page.boxes[lo - page.start: hi - page.start]
        visible = [b for c, b in zip(chars, boxes, strict=True) if not c.isspace()]
        rects = merge_boxes(visible)
        if rects:
            out.append(PageRects(page.index, tuple(rects)))
    return out


def visible_boxes(text: DocumentText, start: int, end: int) -> dict[int, list[CharBox]]:
    """The boxes :func:`span_rects` must cover, per page: non-whitespace characters with a box
    of positive area (the invariant's left-hand side; the tests use it)."""
    out: dict[int, list[CharBox]] = {}
    for page in text.pages:
        lo, hi = max(start, page.start), min(end, page.end)
        for i in range(lo - page.start, hi - page.start):
            b = page.boxes[i]
            if not page.text[i].isspace() and b.x1 > b.x0 and b.y1 > b.y0:
                out.setdefault(page.index, []).append(b)
    return out


Matrix = tuple[float, float, float, float, float, float]


def to_pixels(rect: Rect, matrix: Matrix) -> Rect:
    """``rect`` mapped by ``matrix`` (a, b, c, d, e, f: ``x' = a·x + c·y + e``, ``y' = b·x +
    d·y + f``, PyMuPDF's convention), re-ordered: a rotation swaps corners."""
    a, b, c, d, e, f = matrix
    xs, ys = [], []
    for x, y in ((rect.x0, rect.y0), (rect.x1, rect.y1), (rect.x0, rect.y1), (rect.x1, rect.y0)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return Rect(min(xs), min(ys), max(xs), max(ys))


def covers(rects: Sequence[Rect], box: CharBox, tol: float = 0.01) -> bool:
    """Whether some rectangle of ``rects`` contains ``box``."""
    return any(r.contains(box, tol) for r in rects)
