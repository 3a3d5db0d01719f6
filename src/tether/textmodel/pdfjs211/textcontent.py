"""A port of PDF.js 2.11's ``PartialEvaluator.getTextContent`` (src/core/evaluator.js).

Called as Hypothesis calls it: ``normalizeWhitespace: true``, ``combineTextItems: true`` (the
default), no marked content. The page text is the items' strings joined with no separator.

Faithfulness notes (why the code looks the way it does):
- Arithmetic follows PDF.js operation by operation (same operand order), so positions compare
  bit-for-bit: PDF.js decides "same position" with ``===`` on floats.
- ``q``/``Q`` save and restore the *whole* text state, text matrices included (PDF.js's
  ``TextState.clone``), unlike the PDF specification.
- Spaces come from three places only: glyphs that are spaces, ``addFakeSpaces`` when a gap is
  within [0.3, 1.3] × the font's space width, and separate ``" "`` items for larger gaps.
- A form XObject gets its own text-content item state (a recursive call in PDF.js).

Besides the text, every emitted character gets a box (for highlights and reports): the glyph's
advance box for glyph characters, a zero-width box at the pen for inserted spaces.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tether.textmodel.pdfjs211.fonts import FontLoader, PdfjsFont, normalize_unicode
from tether.textmodel.pdfjs211.objects import PdfObjects
from tether.textmodel.pdfjs211.syntax import Name, Ref, text_operations

Matrix = list[float]
IDENTITY: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF user space of the page
_NO_BOX: Box = (0.0, 0.0, 0.0, 0.0)

# evaluator.js getTextContent constants (2.11 values; note TRACKING is 0.3 in 2.11, not 0.1).
TRACKING_SPACE_FACTOR = 0.3
SPACE_IN_FLOW_MIN_FACTOR = 0.3
SPACE_IN_FLOW_MAX_FACTOR = 1.3
#: Guard against forms that draw themselves (PDF.js relies on caches; we bound depth).
MAX_FORM_DEPTH = 12
#: Share of the font size below / above the baseline used for character boxes.
BOX_DESCENT = 0.25
BOX_ASCENT = 0.85

# Fixed operand counts of the text-relevant operators (EvaluatorPreprocessor.opMap); an operator
# with too few operands is skipped, as PDF.js does.
_NUM_ARGS = {
    "q": 0, "Q": 0, "cm": 6, "BT": 0, "ET": 0, "Tc": 1, "Tw": 1, "Tz": 1, "TL": 1, "Tf": 2,
    "Tr": 1, "Ts": 1, "Td": 2, "TD": 2, "Tm": 6, "T*": 0, "Tj": 1, "TJ": 1, "'": 1, '"': 3,
    "Do": 1, "gs": 1,
}

# JavaScript's /\s/ (what replaceWhitespace turns into U+0020).
_JS_WHITESPACE = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)


def transform(m1: Matrix | tuple[float, ...], m2: Matrix | tuple[float, ...]) -> Matrix:
    """``Util.transform``: the product m1 × m2, in PDF.js's operand order."""
    return [
        m1[0] * m2[0] + m1[2] * m2[1],
        m1[1] * m2[0] + m1[3] * m2[1],
        m1[0] * m2[2] + m1[2] * m2[3],
        m1[1] * m2[2] + m1[3] * m2[3],
        m1[0] * m2[4] + m1[2] * m2[5] + m1[4],
        m1[1] * m2[4] + m1[3] * m2[5] + m1[5],
    ]


_JS_WHITESPACE_RE = re.compile("[" + "".join(sorted(_JS_WHITESPACE - {" "})) + "]")


def replace_whitespace(text: str) -> str:
    """``replaceWhitespace``: JavaScript whitespace becomes U+0020. (PDF.js first tests for a
    character outside U+0020..U+007F; the only whitespace inside that range is U+0020 itself,
    so replacing unconditionally gives the same strings.)"""
    return _JS_WHITESPACE_RE.sub(" ", text)


class TextState:
    """PDF.js ``TextState``: the graphics + text state ``getTextContent`` tracks."""

    __slots__ = (
        "ctm", "font_name", "font_size", "font", "font_matrix", "text_matrix",
        "text_line_matrix", "char_spacing", "word_spacing", "leading", "h_scale", "rise",
    )

    def __init__(self) -> None:
        self.ctm: Matrix = list(IDENTITY)
        self.font_name: str | None = None
        self.font_size: float = 0
        self.font: PdfjsFont | None = None
        self.font_matrix: tuple[float, ...] = (0.001, 0.0, 0.0, 0.001, 0.0, 0.0)
        self.text_matrix: Matrix = list(IDENTITY)
        self.text_line_matrix: Matrix = list(IDENTITY)
        self.char_spacing: float = 0
        self.word_spacing: float = 0
        self.leading: float = 0
        self.h_scale: float = 1
        self.rise: float = 0

    def clone(self) -> TextState:
        c = TextState.__new__(TextState)
        for name in TextState.__slots__:
            setattr(c, name, getattr(self, name))
        c.text_matrix = list(self.text_matrix)
        c.text_line_matrix = list(self.text_line_matrix)
        return c

    # Matrix entries are read into locals first: the compiled build (textcontent.pxd) types
    # them as C doubles, the same conversion Python's mixed int/float arithmetic makes.
    def translate_text_matrix(self, x: float, y: float) -> None:
        m = self.text_matrix
        m0, m1, m2, m3, m4, m5 = m
        m[4] = m0 * x + m2 * y + m4
        m[5] = m1 * x + m3 * y + m5

    def translate_text_line_matrix(self, x: float, y: float) -> None:
        m = self.text_line_matrix
        m0, m1, m2, m3, m4, m5 = m
        m[4] = m0 * x + m2 * y + m4
        m[5] = m1 * x + m3 * y + m5

    def carriage_return(self) -> None:
        self.translate_text_line_matrix(0, -self.leading)
        self.text_matrix = list(self.text_line_matrix)


class TextItem:
    """One text-content item: its string (after bidi + whitespace normalisation) and one box
    per character of ``text`` (code points). (A plain class: an extension type in the compiled
    build, see ``textcontent.pxd``.)"""

    __slots__ = ("text", "has_eol", "boxes")

    def __init__(self, text: str, has_eol: bool = False, boxes: list[Box] | None = None) -> None:
        self.text = text
        self.has_eol = has_eol
        self.boxes: list[Box] = [] if boxes is None else boxes

    def __repr__(self) -> str:
        return f"TextItem(text={self.text!r}, has_eol={self.has_eol!r})"


class _Chunk:
    """PDF.js's ``textContentItem`` (the item being built). A plain class, not a dataclass: the
    compiled build declares it as an extension type with these fields (``textcontent.pxd``)."""

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


class _Shown:
    """A string shown in a font: its glyphs, each glyph's text (normalised unless a space),
    their concatenation, the glyph widths, and whether any glyph is a space. (A plain class:
    an extension type in the compiled build, see ``textcontent.pxd``.)"""

    __slots__ = ("glyphs", "parts", "text", "widths", "has_space")

    def __init__(self, glyphs: list[Any], parts: list[str], text: str, widths: list[float],
                 has_space: bool) -> None:
        self.glyphs = glyphs
        self.parts = parts
        self.text = text
        self.widths = widths
        self.has_space = has_space


class StateStack:
    """PDF.js ``StateManager``: ``q`` pushes a clone, ``Q`` pops (an extra ``Q`` is a no-op)."""

    def __init__(self, state: TextState) -> None:
        self.state = state
        self.stack: list[TextState] = []

    def save(self) -> None:
        self.stack.append(self.state)
        self.state = self.state.clone()

    def restore(self) -> None:
        if self.stack:
            self.state = self.stack.pop()


class _TextContentRun:
    """One ``getTextContent`` invocation (a page, or a form XObject drawn on it)."""

    def __init__(self, ctx: TextContentContext, resources: dict[str, Any],
                 states: StateStack, depth: int) -> None:
        self.ctx = ctx
        self.resources = resources
        self.states = states
        self.depth = depth
        self.item = _Chunk()
        self.ts: TextState = states.state
        self.with_boxes = ctx.with_boxes
        self._fonts: dict[str | None, PdfjsFont] = {}

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

    def _shown(self, font: PdfjsFont, chars: bytes) -> _Shown:
        """What a shown string contributes (cached on the font)."""
        shown = font.text_runs.get(chars)
        if shown is None:
            glyphs = font.chars_to_glyphs(chars)
            parts = [g.unicode if g.is_space else normalize_unicode(g.unicode) for g in glyphs]
            has_space = False
            for g in glyphs:  # a loop, not ``any(...)``: Cython has no closures in cpdef
                if g.is_space:
                    has_space = True
                    break
            shown = _Shown(glyphs, parts, "".join(parts), [g.width for g in glyphs], has_space)
            font.text_runs[chars] = shown
        return shown

    def build_item(self, chars: bytes, extra_spacing: float, is_first_chunk: bool) -> None:
        ts = self.ts
        font = ts.font
        assert font is not None
        if not chars:  # JavaScript's `!chars`: an empty string only applies the spacing
            char_spacing = ts.char_spacing + extra_spacing
            if char_spacing:
                if not font.vertical:
                    ts.translate_text_matrix(char_spacing * ts.h_scale, 0)
                else:
                    ts.translate_text_matrix(0, char_spacing)
            return
        shown = self._shown(font, chars)
        glyphs = shown.glyphs
        scale = ts.font_matrix[0] * ts.font_size
        if is_first_chunk:
            self.compare_with_last_position()
        chunk = self.ensure_item()
        n = len(glyphs)
        if (n and not self.with_boxes and not font.vertical and ts.char_spacing == 0
                and (ts.word_spacing == 0 or not shown.has_space)):
            # The common case: no spacing but ``extra_spacing`` after the last glyph, so every
            # glyph but the last only advances the pen. Same float operations, same order.
            chunk.parts.append(shown.text)
            tm = ts.text_matrix
            h_scale = ts.h_scale
            a, b, x, y = tm[0], tm[1], tm[4], tm[5]
            zc, zd = tm[2] * 0, tm[3] * 0
            size = 0.0
            scaled_dim = 0.0
            for width in shown.widths:
                scaled_dim = width * scale
                scaled_dim *= h_scale
                x = a * scaled_dim + zc + x
                y = b * scaled_dim + zd + y
                size += scaled_dim
            tm[4], tm[5] = x, y
            last = glyphs[-1]
            chunk.is_last_char_white_space = last.is_space
            char_spacing = ts.char_spacing + extra_spacing
            if last.is_space:
                char_spacing += ts.word_spacing
            if char_spacing:
                char_spacing *= h_scale
                scaled_dim += char_spacing
                was_split = (char_spacing > self.item.tracking_space_min
                             and self.add_fake_spaces(char_spacing, size))
                ts.translate_text_matrix(char_spacing, 0)
                if was_split:
                    chunk = self.ensure_item()
                    size = 0
                else:
                    size += char_spacing
            chunk.last_char_size = scaled_dim
            chunk.width += size
            chunk.prev_position = self.position()
            return
        size = 0.0
        last_char_size = 0.0
        boxes = self.with_boxes
        if boxes:
            # Boxes need only the pen position (affine in the text matrix's translation) and the
            # "up" vector, constant within one call: cheaper than a full transform per glyph.
            ctm, tm, rise = ts.ctm, ts.text_matrix, ts.rise
            up = self.current_transform()
            ux, uy = up[2], up[3]
        parts = shown.parts
        for i, glyph in enumerate(glyphs):
            char_spacing = ts.char_spacing + (extra_spacing if i == n - 1 else 0)
            uni = parts[i]
            if glyph.is_space:
                char_spacing += ts.word_spacing
                chunk.is_last_char_white_space = True
            else:
                chunk.is_last_char_white_space = False
            chunk.parts.append(uni)
            if boxes and uni:
                tm = ts.text_matrix
                bx = tm[2] * rise + tm[4]
                by = tm[3] * rise + tm[5]
                x0 = ctm[0] * bx + ctm[2] * by + ctm[4]
                y0 = ctm[1] * bx + ctm[3] * by + ctm[5]
            glyph_width = glyph.vmetric[0] if font.vertical and glyph.vmetric else glyph.width
            scaled_dim = glyph_width * scale
            if not font.vertical:
                scaled_dim *= ts.h_scale
                ts.translate_text_matrix(scaled_dim, 0)
            else:
                ts.translate_text_matrix(0, scaled_dim)
                scaled_dim = abs(scaled_dim)
            if boxes and uni:
                tm = ts.text_matrix
                bx = tm[2] * rise + tm[4]
                by = tm[3] * rise + tm[5]
                chunk.boxes.extend(_glyph_boxes(
                    x0, y0, ctm[0] * bx + ctm[2] * by + ctm[4],
                    ctm[1] * bx + ctm[3] * by + ctm[5], ux, uy, len(uni)))
            size += scaled_dim
            if char_spacing:
                if not font.vertical:
                    char_spacing *= ts.h_scale
                scaled_dim += char_spacing
                was_split = (char_spacing > self.item.tracking_space_min
                             and self.add_fake_spaces(char_spacing, size))
                if not font.vertical:
                    ts.translate_text_matrix(char_spacing, 0)
                else:
                    ts.translate_text_matrix(0, char_spacing)
                if was_split:
                    chunk = self.ensure_item()
                    size = 0
                else:
                    size += char_spacing
            last_char_size = scaled_dim
        chunk.last_char_size = last_char_size
        if not font.vertical:
            chunk.width += size
        else:
            chunk.height += size
        chunk.prev_position = self.position()

    # -- the operator loop -----------------------------------------------------------------
    def set_font(self, font: PdfjsFont) -> None:
        self.ts.font = font
        self.ts.font_matrix = font.font_matrix

    def run(self, content: bytes) -> None:
        ctx = self.ctx
        # The most frequent operators come first in the chain below.
        for op, args in text_operations(content, _NUM_ARGS):
            need = _NUM_ARGS[op]
            if len(args) < need:
                continue  # "Skipping command: expected N args"
            if len(args) > need:
                args = args[len(args) - need:]
            self.ts = ts = self.states.state
            if op == "TJ":
                if ts.font is None or not isinstance(args[0], list):
                    continue
                self.show_spaced_text(args[0])
            elif op == "Tj":
                if ts.font is None or not isinstance(args[0], bytes):
                    continue
                self.build_item(args[0], 0, True)
            elif op == "Td":
                ts.translate_text_line_matrix(_num(args[0]), _num(args[1]))
                ts.text_matrix = list(ts.text_line_matrix)
            elif op == "Tf":
                name, size = args
                if not isinstance(size, (int, float)):
                    continue
                name = str(name) if isinstance(name, Name) else None
                if ts.font is not None and name == ts.font_name and size == ts.font_size:
                    continue
                self.flush()
                ts.font_name = name
                ts.font_size = size
                font = self._fonts.get(name)
                if font is None:  # resources are fixed per run: look each name up once
                    fonts = self.ctx.objects.get(self.resources, "Font", {})
                    font = self._fonts[name] = ctx.fonts.load(
                        fonts.get(name) if isinstance(fonts, dict) and name is not None
                        else None)
                self.set_font(font)
            elif op == "Tm":
                m = [_num(a) for a in args]
                ts.text_matrix = list(m)
                ts.text_line_matrix = list(m)
                self.update_advance_scale()
            elif op == "BT":
                self.flush()
                ts.text_matrix = list(IDENTITY)
                ts.text_line_matrix = list(IDENTITY)
            elif op == "q":
                self.states.save()
            elif op == "Q":
                self.states.restore()
            elif op == "cm":
                if all(isinstance(a, (int, float)) for a in args):
                    ts.ctm = transform(ts.ctm, args)
            elif op == "Tc":
                ts.char_spacing = _num(args[0])
            elif op == "Tw":
                ts.word_spacing = _num(args[0])
            elif op == "T*":
                self.append_eol()
                ts.carriage_return()
            elif op == "TD":
                self.flush()
                ts.leading = -_num(args[1])
                ts.translate_text_line_matrix(_num(args[0]), _num(args[1]))
                ts.text_matrix = list(ts.text_line_matrix)
            elif op == "Ts":
                self.flush()
                ts.rise = _num(args[0])
            elif op == "Tz":
                self.flush()
                ts.h_scale = _num(args[0]) / 100
            elif op == "TL":
                self.flush()
                ts.leading = _num(args[0])
            elif op == "'":
                if ts.font is None or not isinstance(args[0], bytes):
                    continue
                self.item.has_eol = True
                self.flush()
                ts.carriage_return()
                self.build_item(args[0], 0, True)
            elif op == '"':
                if ts.font is None or not isinstance(args[2], bytes):
                    continue
                self.item.has_eol = True
                self.flush()
                ts.word_spacing = _num(args[0])
                ts.char_spacing = _num(args[1])
                ts.carriage_return()
                self.build_item(args[2], 0, True)
            elif op == "Do":
                self.flush()
                self.paint_form(args[0])
            elif op == "gs":
                self.set_gstate_font(args[0])
        self.flush()

    def show_spaced_text(self, elements: list[Any]) -> None:
        ts = self.ts
        assert ts.font is not None
        space_factor = (1 if ts.font.vertical else -1) * ts.font_size / 1000
        buffer: list[bytes] = []
        is_first_chunk = True
        for item in elements[:-1]:
            if isinstance(item, bytes):
                buffer.append(item)
            elif isinstance(item, (int, float)) and item != 0:
                s = b"".join(buffer)
                buffer = []
                # An empty string is still "a string" in JS: only a missing one is null.
                self.build_item(s, item * space_factor, is_first_chunk)
                if s and is_first_chunk:
                    is_first_chunk = False
        if elements and isinstance(elements[-1], bytes):
            buffer.append(elements[-1])
        if buffer:
            self.build_item(b"".join(buffer), 0, is_first_chunk)

    def paint_form(self, name: Any) -> None:
        if not isinstance(name, Name) or self.depth >= MAX_FORM_DEPTH:
            return
        objects = self.ctx.objects
        xobjects = objects.get(self.resources, "XObject", {})
        ref = xobjects.get(str(name)) if isinstance(xobjects, dict) else None
        if not isinstance(ref, Ref):
            return
        xdict = objects.obj(ref.num)
        if not isinstance(xdict, dict) or objects.get(xdict, "Subtype") != "Form":
            return
        state = self.states.state.clone()
        states = StateStack(state)
        matrix = objects.get(xdict, "Matrix")
        if isinstance(matrix, list) and len(matrix) == 6 \
                and all(isinstance(v, (int, float)) for v in matrix):
            state.ctm = transform(state.ctm, matrix)
        resources = objects.get(xdict, "Resources")
        run = _TextContentRun(self.ctx, resources if isinstance(resources, dict)
                              else self.resources, states, self.depth + 1)
        run.run(objects.stream(ref))

    def set_gstate_font(self, name: Any) -> None:
        if not isinstance(name, Name):
            return
        objects = self.ctx.objects
        ext = objects.get(self.resources, "ExtGState", {})
        gstate = objects.get(ext, str(name)) if isinstance(ext, dict) else None
        font_entry = objects.get(gstate, "Font") if isinstance(gstate, dict) else None
        if not isinstance(font_entry, list) or len(font_entry) != 2:
            return
        self.flush()
        self.ts.font_name = None
        self.ts.font_size = _num(font_entry[1])
        self.set_font(self.ctx.fonts.load(font_entry[0]))


def _num(v: Any) -> float:
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else 0


def _div(a: float, b: float) -> float:
    """JavaScript division: x/0 is ±Infinity (NaN for 0/0), never an exception."""
    if b:
        return a / b
    if a == 0 or a != a:
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _glyph_boxes(x0: float, y0: float, x1: float, y1: float, ux: float, uy: float,
                 n: int) -> list[Box]:
    """Boxes of a glyph advancing from (x0, y0) to (x1, y1) with "up" vector (ux, uy) (one font
    size long), split evenly among its ``n`` characters (ligatures expand to several)."""
    dx, dy = (x1 - x0) / n, (y1 - y0) / n
    lo_x, lo_y = -ux * BOX_DESCENT, -uy * BOX_DESCENT
    hi_x, hi_y = ux * BOX_ASCENT, uy * BOX_ASCENT
    out = []
    for k in range(n):
        ax, ay = x0 + dx * k, y0 + dy * k
        bx, by = ax + dx, ay + dy
        xs = (ax + lo_x, bx + lo_x, ax + hi_x, bx + hi_x)
        ys = (ay + lo_y, by + lo_y, ay + hi_y, by + hi_y)
        out.append((min(xs), min(ys), max(xs), max(ys)))
    return out


def _fit(boxes: list[Box], n: int) -> list[Box]:
    """Boxes for a string whose length changed in normalisation (rare): pad or trim."""
    if len(boxes) >= n:
        return boxes[:n]
    pad = boxes[-1] if boxes else (0.0, 0.0, 0.0, 0.0)
    return boxes + [pad] * (n - len(boxes))


@dataclass
class TextContentContext:
    """What one document's text extraction shares across pages: objects and fonts."""

    objects: PdfObjects
    fonts: FontLoader
    #: Compute a box per character (reports and highlights need them; checking does not).
    with_boxes: bool = True
    items: list[TextItem] = field(default_factory=list)


def page_text_items(ctx: TextContentContext, page_index: int,
                    content: bytes | None = None,
                    check: Callable[[], None] | None = None) -> list[TextItem]:
    """The text-content items of one page (``getTextContent`` on the page's content)."""
    ctx.items = []
    resources = ctx.objects.page_resources(page_index)
    data = ctx.objects.page_contents(page_index) if content is None else content
    run = _TextContentRun(ctx, resources, StateStack(TextState()), 0)
    run.run(data)
    if check is not None:
        check()
    return ctx.items
