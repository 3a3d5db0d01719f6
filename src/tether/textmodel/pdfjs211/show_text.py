"""Showing strings: the glyphs of ``Tj`` / ``TJ`` / ``'`` / ``"`` added to the item being built.

Mirrors PDF.js 2.11 ``getTextContent``'s ``buildTextContentItem`` and its ``TJ`` handling: each
glyph's text joins the item, the text matrix advances by the glyph width (+ character / word
spacing, scaled by ``Tz``), and a spacing gap may insert a space
(:meth:`.text_items.TextItemBuilder.add_fake_spaces`). Every glyph character gets a box (PDF
user space of the page): the glyph's advance box, split evenly among the characters of a
ligature.
"""

from __future__ import annotations

from typing import Any

from tether.textmodel.pdfjs211.fonts import PdfjsFont, normalize_unicode
from tether.textmodel.pdfjs211.text_items import Box, TextItemBuilder

#: Share of the font size below / above the baseline used for character boxes.
BOX_DESCENT = 0.25
BOX_ASCENT = 0.85


class _Shown:
    """A string shown in a font: its glyphs, each glyph's text (normalised unless a space),
    their concatenation, the glyph widths, and whether any glyph is a space. (A plain class:
    an extension type in the compiled build, see ``show_text.pxd``.)"""

    __slots__ = ("glyphs", "parts", "text", "widths", "has_space")

    def __init__(self, glyphs: list[Any], parts: list[str], text: str, widths: list[float],
                 has_space: bool) -> None:
        self.glyphs = glyphs
        self.parts = parts
        self.text = text
        self.widths = widths
        self.has_space = has_space


class TextShower(TextItemBuilder):
    """:class:`.text_items.TextItemBuilder` plus the string-showing operators. (A plain class:
    an extension type in the compiled build, see ``show_text.pxd``; the operator loop of
    :mod:`.textcontent` extends it.)"""

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
