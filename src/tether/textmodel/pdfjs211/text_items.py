"""The text-content item being built and the whitespace PDF.js inserts between glyph runs.

Mirrors the closures of PDF.js 2.11 ``getTextContent`` that manage ``textContentItem``
(``ensureTextContentItem``, ``compareWithLastPosition``, ``addFakeSpaces``, ``appendEOL``,
``flushTextContentItem``): :class:`TextItemBuilder` holds the item being built (:class:`_Chunk`)
and decides from pen movements whether a gap is nothing, a space inside the item, a separate
``" "`` item or a line end. Glyphs are added by :mod:`.show_text`; operators are read by
:mod:`.textcontent`.

Spaces come from three places only: glyphs that are spaces, :meth:`TextItemBuilder.add_fake_spaces`
when a gap is within [0.3, 1.3] × the font's space width, and separate ``" "`` items for larger
gaps. Inserted spaces get a zero-width box at the pen (PDF user space of the page).
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from tether.textmodel.pdfjs211.text_state import Matrix, TextState, transform

if TYPE_CHECKING:
    from tether.textmodel.pdfjs211.textcontent import TextContentContext

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF user space of the page
_NO_BOX: Box = (0.0, 0.0, 0.0, 0.0)

# evaluator.js getTextContent constants (2.11 values; note TRACKING is 0.3 in 2.11, not 0.1).
TRACKING_SPACE_FACTOR = 0.3
SPACE_IN_FLOW_MIN_FACTOR = 0.3
SPACE_IN_FLOW_MAX_FACTOR = 1.3

# JavaScript's /\s/ (what replaceWhitespace turns into U+0020).
_JS_WHITESPACE = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)
_JS_WHITESPACE_RE = re.compile("[" + "".join(sorted(_JS_WHITESPACE - {" "})) + "]")


def replace_whitespace(text: str) -> str:
    """``replaceWhitespace``: JavaScript whitespace becomes U+0020. (PDF.js first tests for a
    character outside U+0020..U+007F; the only whitespace inside that range is U+0020 itself,
    so replacing unconditionally gives the same strings.)"""
    return _JS_WHITESPACE_RE.sub(" ", text)


class TextItem:
    """One text-content item: its string (after bidi + whitespace normalisation) and one box
    per character of ``text`` (code points). (A plain class: an extension type in the compiled
    build, see ``text_items.pxd``.)"""

    __slots__ = ("text", "has_eol", "boxes")

    def __init__(self, text: str, has_eol: bool = False, boxes: list[Box] | None = None) -> None:
        self.text = text
        self.has_eol = has_eol
        self.boxes: list[Box] = [] if boxes is None else boxes

    def __repr__(self) -> str:
        return f"TextItem(text={self.text!r}, has_eol={self.has_eol!r})"


class _Chunk:
    """PDF.js's ``textContentItem`` (the item being built). A plain class, not a dataclass: the
    compiled build declares it as an extension type with these fields (``text_items.pxd``)."""

    __slots__ = (
        "initialized", "parts", "boxes", "total_width", "total_height", "width", "height",
        "vertical", "last_char_size", "prev_position", "text_advance_scale", "space_width",
        "space_in_flow_min", "space_in_flow_max", "tracking_space_min", "has_eol",
        "is_last_char_white_space",
    )

    def __init__(self) -> None:
        self.initialized: bool = False
        self.parts: list[str] = []
        self.boxes: list[Box] = []
        self.total_width: float = 0
        self.total_height: float = 0
        self.width: float = 0
        self.height: float = 0
        self.vertical: bool = False
        self.last_char_size: float = 0
        #: The pen position (``current_transform()[4:6]``) after the last glyph shown.
        self.prev_position: tuple[float, float] | None = None
        self.text_advance_scale: float = 0
        self.space_width: float = 0
        self.space_in_flow_min: float = 0
        self.space_in_flow_max: float = 0
        self.tracking_space_min: float = math.inf
        self.has_eol: bool = False
        self.is_last_char_white_space: bool = False



class TextItemBuilder:
    """The item state of one ``getTextContent`` invocation: the text content context ``ctx``
    (where finished items go, ``ctx.items``), the current text state ``ts`` and the item being
    built. (A plain class: an extension type in the compiled build, see ``text_items.pxd``;
    :class:`.show_text.TextShower` and the operator loop extend it.)"""

    def __init__(self, ctx: TextContentContext, ts: TextState) -> None:
        self.ctx = ctx
        self.item = _Chunk()
        self.ts = ts
        self.with_boxes: bool = ctx.with_boxes

    # -- helpers mirroring the closures of getTextContent ---------------------------------
    # ``current_transform`` is ``Util.transform(ctm, Util.transform(textMatrix, tsm))`` with
    # ``tsm = [fontSize * hScale, 0, 0, fontSize', 0, rise]``. The hot callers need only its
    # translation (``position``) or one column (``ensure_item``), so these expand the products
    # term by term in PDF.js's operand order (``x * 0`` terms kept: they are NaN for an
    # infinite matrix entry and -0 for a negative one, as in JavaScript).
    def _tsm_height(self) -> float:
        """``tsm[3]``: the font size, scaled for Type 3 fonts with a char bbox."""
        ts = self.ts
        font = ts.font
        height = ts.font_size
        if (font is not None and font.is_type3 and (ts.font_size <= 1 or font.is_char_bbox)
                and tuple(ts.font_matrix) != (0.001, 0.0, 0.0, 0.001, 0.0, 0.0)):
            bbox = font.bbox
            if bbox is not None:
                glyph_height = bbox[3] - bbox[1]
                if glyph_height > 0:
                    height *= glyph_height * ts.font_matrix[3]
        return height

    def current_transform(self) -> Matrix:
        ts = self.ts
        tsm = [ts.font_size * ts.h_scale, 0, 0, self._tsm_height(), 0, ts.rise]
        return transform(ts.ctm, transform(ts.text_matrix, tsm))

    def position(self) -> tuple[float, float]:
        """``current_transform()[4], current_transform()[5]`` (the same float operations)."""
        ts = self.ts
        rise = ts.rise
        t0, t1, t2, t3, t4, t5 = ts.text_matrix
        c0, c1, c2, c3, c4, c5 = ts.ctm
        i4 = t0 * 0 + t2 * rise + t4
        i5 = t1 * 0 + t3 * rise + t5
        return c0 * i4 + c2 * i5 + c4, c1 * i4 + c3 * i5 + c5

    def ensure_item(self) -> _Chunk:
        it = self.item
        if it.initialized:
            return it
        ts = self.ts
        font = ts.font
        assert font is not None
        tm, c = ts.text_matrix, ts.ctm
        if not font.vertical:
            d = self._tsm_height()
            i2 = tm[0] * 0 + tm[2] * d
            i3 = tm[1] * 0 + tm[3] * d
            it.width = it.total_width = 0
            it.height = it.total_height = math.hypot(c[0] * i2 + c[2] * i3,
                                                     c[1] * i2 + c[3] * i3)
            it.vertical = False
        else:
            a = ts.font_size * ts.h_scale
            i0 = tm[0] * a + tm[2] * 0
            i1 = tm[1] * a + tm[3] * 0
            it.width = it.total_width = math.hypot(c[0] * i0 + c[2] * i1,
                                                   c[1] * i0 + c[3] * i1)
            it.height = it.total_height = 0
            it.vertical = True
        scale_line_x = math.hypot(ts.text_line_matrix[0], ts.text_line_matrix[1])
        scale_ctm_x = math.hypot(c[0], c[1])
        it.text_advance_scale = scale_ctm_x * scale_line_x
        it.last_char_size = it.last_char_size or 0
        space_width = font.space_width / 1000 * ts.font_size
        if space_width:
            it.space_width = space_width
            it.tracking_space_min = space_width * TRACKING_SPACE_FACTOR
            it.space_in_flow_min = space_width * SPACE_IN_FLOW_MIN_FACTOR
            it.space_in_flow_max = space_width * SPACE_IN_FLOW_MAX_FACTOR
        else:
            it.space_width = 0
            it.tracking_space_min = math.inf
        it.has_eol = False
        it.initialized = True
        return it

    def update_advance_scale(self) -> None:
        it = self.item
        if not it.initialized:
            return
        ts = self.ts
        scale_line_x = math.hypot(ts.text_line_matrix[0], ts.text_line_matrix[1])
        scale_ctm_x = math.hypot(ts.ctm[0], ts.ctm[1])
        factor = scale_ctm_x * scale_line_x
        if factor == it.text_advance_scale:
            return
        if not it.vertical:
            it.total_width += it.width * it.text_advance_scale
            it.width = 0
        else:
            it.total_height += it.height * it.text_advance_scale
            it.height = 0
        it.text_advance_scale = factor

    def emit(self, text: str, boxes: list[Box], has_eol: bool = False) -> None:
        self.ctx.items.append(TextItem(text, has_eol, boxes))

    def pen_box(self, pos: tuple[float, float] | None = None) -> Box:
        if not self.with_boxes:
            return _NO_BOX
        x, y = pos if pos is not None else self.position()
        return (x, y, x, y)

    def flush(self) -> None:
        it = self.item
        if not it.initialized:
            return
        if not it.vertical:
            it.total_width += it.width * it.text_advance_scale
        else:
            it.total_height += it.height * it.text_advance_scale
        raw = "".join(it.parts)
        # runBidiTransform: no RTL support yet (bidi() returns LTR text unchanged).
        text = replace_whitespace(raw)
        boxes = it.boxes if len(it.boxes) == len(text) or not self.with_boxes \
            else _fit(it.boxes, len(text))
        self.emit(text, boxes, it.has_eol)
        it.initialized = False
        it.parts = []
        it.boxes = []

    def append_eol(self) -> None:
        it = self.item
        if it.initialized:
            it.has_eol = True
            self.flush()
        else:
            self.emit("", [], True)
        it.is_last_char_white_space = False
        it.last_char_size = 0

    def add_fake_spaces(self, width: float, size: float,
                        pos: tuple[float, float] | None = None) -> bool:
        it = self.item
        if it.space_in_flow_min <= width <= it.space_in_flow_max:
            if it.initialized:
                it.parts.append(" ")
                it.boxes.append(self.pen_box())
                it.is_last_char_white_space = True
            return False
        width *= it.text_advance_scale
        if not it.vertical:
            it.width += size
        else:
            it.height += size
        self.flush()
        if it.is_last_char_white_space:
            return True
        it.is_last_char_white_space = True
        self.emit(" ", [self.pen_box(pos)])
        return True

    def compare_with_last_position(self) -> None:
        it = self.item
        ts = self.ts
        prev = it.prev_position
        if ts.font is None or prev is None:
            return
        pos_x, pos_y = self.position()
        last_x, last_y = prev
        if last_x == pos_x and last_y == pos_y:
            return
        # JavaScript division by zero gives ±Infinity/NaN rather than raising.
        advance_x = _div(pos_x - last_x, it.text_advance_scale)
        advance_y = _div(pos_y - last_y, it.text_advance_scale)
        half_last_char = -0.5 * it.last_char_size
        if ts.font.vertical:
            if abs(advance_x) > _div(it.width, it.text_advance_scale):
                self.append_eol()
                return
            if half_last_char > advance_y:
                return
            if advance_y > it.tracking_space_min:
                it.height += advance_y
            elif not self.add_fake_spaces(advance_y, 0, prev):
                if not it.parts:
                    self.emit(" ", [self.pen_box(prev)])
                    it.is_last_char_white_space = True
                else:
                    it.height += advance_y
            return
        if abs(advance_y) > _div(it.height, it.text_advance_scale):
            self.append_eol()
            return
        if half_last_char > advance_x:
            return
        if advance_x <= it.tracking_space_min:
            it.width += advance_x
        elif not self.add_fake_spaces(advance_x, 0, prev):
            if not it.parts:
                self.emit(" ", [self.pen_box(prev)])
                it.is_last_char_white_space = True
            else:
                it.width += advance_x


def _div(a: float, b: float) -> float:
    """JavaScript division: x/0 is ±Infinity (NaN for 0/0), never an exception."""
    if b:
        return a / b
    if a == 0 or a != a:
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _fit(boxes: list[Box], n: int) -> list[Box]:
    """Boxes for a string whose length changed in normalisation (rare): pad or trim."""
    if len(boxes) >= n:
        return boxes[:n]
    pad = boxes[-1] if boxes else (0.0, 0.0, 0.0, 0.0)
    return boxes + [pad] * (n - len(boxes))
