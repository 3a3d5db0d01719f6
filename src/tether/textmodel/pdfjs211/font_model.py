"""The font value the interpreter uses: PDF.js 2.11's ``Font`` / ``ErrorFont`` as far as
``getTextContent`` reads them (``fonts.js``: ``Glyph``, ``spaceWidth``, ``_charToGlyph``,
``charsToGlyphs``).

Units: ``Glyph.width``, ``PdfjsFont.space_width``, ``default_width`` and ``widths`` are in glyph
space as PDF.js keeps them — 1/1000 em for fonts whose FontMatrix scale is 0.001 (after
``adjustWidths``), the font's own glyph space for Type 3 fonts. ``getTextContent`` multiplies
widths by ``font_matrix[0] * fontSize`` and the space width by ``fontSize / 1000``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from tether.textmodel.pdfjs211.cmap import CMap
from tether.textmodel.pdfjs211.encodings import GLYPHS_UNICODE, from_char_code
from tether.textmodel.pdfjs211.to_unicode_map import IdentityToUnicodeMap, ToUnicodeMap

FONT_IDENTITY_MATRIX = (0.001, 0.0, 0.0, 0.001, 0.0, 0.0)
#: ``spaceWidth``'s candidates, in order (glyph name → Unicode).
_SPACE_CANDIDATES = [GLYPHS_UNICODE[n] for n in ("space", "minus", "one", "i", "I")]


@dataclass(frozen=True, slots=True)
class Glyph:
    """``Glyph`` as ``getTextContent`` reads it.

    ``unicode``: the ToUnicode / fallback mapping, else the raw code as a UTF-16 unit — before
    NormalizedUnicodes and ``reverse_if_rtl`` (the interpreter applies them to non-space glyphs).
    ``width``: advance in glyph-space units. ``is_space``: a one-byte code 0x20.
    ``vmetric``: ``(w1y, vx, vy)`` from ``/W2`` for vertical fonts, else ``None``.
    """

    unicode: str
    width: float
    is_space: bool
    vmetric: tuple[float, float, float] | None
    charcode: int


def js_is_num(value: Any) -> bool:
    """``isNum``: ``typeof value === "number"`` (NaN included, booleans excluded)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def convert_cid_string(cid: str) -> int | str:
    """``convertCidString``: a 1- or 2-character CID string as a number, else unchanged."""
    if len(cid) == 1:
        return ord(cid)
    if len(cid) == 2:
        return (ord(cid[0]) << 8) | ord(cid[1])
    return cid


@dataclass(eq=False)
class PdfjsFont:
    """One loaded font (PDF.js ``Font``, or ``ErrorFont`` when ``is_error``).

    Identity matters, not equality: ``loaded_name`` is unique per font object except for error
    fonts, which all share PDF.js's ``"g_font_error"``.
    """

    loaded_name: str
    name: str = ""
    font_type: str = ""
    vertical: bool = False
    font_matrix: tuple[float, ...] = FONT_IDENTITY_MATRIX
    is_type3: bool = False
    bbox: tuple[float, ...] | None = None
    is_char_bbox: bool = False
    is_error: bool = False
    error: str = ""
    composite: bool = False
    widths: dict[Any, Any] = field(default_factory=dict)  # code/CID → width (None = JS null)
    default_width: float = 0
    to_unicode: ToUnicodeMap | IdentityToUnicodeMap | None = None
    cmap: CMap | None = None
    vmetrics: dict[int, tuple[float, float, float]] | None = None
    _space_width: float | None = None
    _chars_cache: dict[bytes, list[Glyph]] = field(default_factory=dict)
    _glyph_cache: dict[tuple[int, bool], Glyph] = field(default_factory=dict)
    #: Per shown string, what the text-content interpreter derives from its glyphs (filled
    #: and read by :mod:`.textcontent`; the font lives as long as its document's loader).
    text_runs: dict[bytes, Any] = field(default_factory=dict, repr=False)

    @property
    def space_width(self) -> float:
        """``Font.spaceWidth``: the first truthy width among space, minus, one, i, I — looked up
        by Unicode value through the encoding CMap (composite fonts) or, for identity /
        number-valued ToUnicode maps, ``charCodeOf``; else the Unicode value used as the code —
        falling back to ``defaultWidth``. 0 for an error font."""
        if self.is_error:
            return 0.0
        if self._space_width is None:
            width: Any = None
            for glyph_unicode in _SPACE_CANDIDATES:
                charcode: Any = 0
                if self.composite and self.cmap is not None and self.cmap.contains(glyph_unicode):
                    charcode = self.cmap.lookup(glyph_unicode)
                    if isinstance(charcode, str):
                        charcode = convert_cid_string(charcode)
                if not charcode and self.to_unicode is not None:
                    charcode = self.to_unicode.char_code_of(glyph_unicode)
                if js_is_num(charcode) and charcode <= 0:
                    charcode = glyph_unicode
                width = self.widths.get(charcode)
                if _truthy(width):
                    break
            if not _truthy(width):
                width = self.default_width
            self._space_width = width if js_is_num(width) else 0.0
        return self._space_width

    def _char_to_glyph(self, charcode: int, is_space: bool) -> Glyph:
        """``_charToGlyph``."""
        key = (charcode, is_space)
        glyph = self._glyph_cache.get(key)
        if glyph is not None:
            return glyph
        width_code: Any = charcode
        if self.cmap is not None and self.cmap.contains(charcode):
            width_code = self.cmap.lookup(charcode)
            if isinstance(width_code, str):
                width_code = convert_cid_string(width_code)
        width = self.widths.get(width_code)
        if not js_is_num(width):
            width = self.default_width
        vmetric = self.vmetrics.get(width_code) if self.vmetrics else None
        unicode: Any = self.to_unicode.get(charcode) if self.to_unicode is not None else None
        if not unicode or unicode != unicode:  # `toUnicode.get(charcode) || charcode` (NaN too)
            unicode = charcode
        if not isinstance(unicode, str):
            unicode = from_char_code(unicode)
        glyph = Glyph(unicode, width if js_is_num(width) else math.nan, is_space,
                      tuple(vmetric) if vmetric else None, charcode)
        self._glyph_cache[key] = glyph
        return glyph

    def chars_to_glyphs(self, data: bytes) -> list[Glyph]:
        """``charsToGlyphs``: split a shown string into codes (through the encoding CMap for
        composite fonts, one byte each otherwise). Cached per string; an error font → []."""
        if self.is_error:
            return []
        glyphs = self._chars_cache.get(data)
        if glyphs is not None:
            return glyphs
        glyphs = []
        if self.cmap is not None:
            i, n = 0, len(data)
            while i < n:
                charcode, length = self.cmap.read_char_code(data, i)
                i += length
                glyphs.append(self._char_to_glyph(charcode, length == 1 and data[i - 1] == 0x20))
        else:
            glyphs = [self._char_to_glyph(c, c == 0x20) for c in data]
        self._chars_cache[data] = glyphs
        return glyphs


def _truthy(value: Any) -> bool:
    """JavaScript truthiness of a width value (0, NaN, null, undefined are falsy)."""
    if value is None or value is False:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(value) if isinstance(value, (int, float, str)) else True


def error_font(message: str) -> PdfjsFont:
    """``ErrorFont``: no glyphs, no space width, identity font matrix."""
    return PdfjsFont(loaded_name="g_font_error", is_error=True, error=message)
