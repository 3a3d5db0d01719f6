"""Standard-14 font knowledge of PDF.js 2.11 (``standard_fonts.js``, ``metrics.js``, and the
``isSerifFont`` / ``getBaseFontMetrics`` / ``buildCharCodeToWidth`` helpers of ``evaluator.js``).

Widths are in glyph-space units (1/1000 em), keyed by glyph name in the metrics tables and by
character code after :func:`build_char_code_to_width`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tether.textmodel.pdfjs211.encodings import load_data

_STD = load_data("standard_fonts.json")
STD_FONT_MAP: dict[str, str] = _STD["std_font_map"]
NON_STD_FONT_MAP: dict[str, str] = _STD["non_std_font_map"]
SERIF_FONTS: frozenset[str] = frozenset(_STD["serif_fonts"])
SYMBOLS_FONTS: frozenset[str] = frozenset(_STD["symbols_fonts"])
_METRICS: dict[str, Any] = load_data("metrics.json")
#: ``getGlyphMapForStandardFonts`` and its supplements (code → glyph id), for
#: ``fallbackToSystemFont``'s CIDFontType2 branch.
GLYPH_MAP_FOR_STANDARD_FONTS: dict[int, int] = {
    int(k): v for k, v in _STD["glyph_map_for_standard_fonts"].items()}
SUPPLEMENTAL_GLYPH_MAP_ARIAL_BLACK: dict[int, int] = {
    int(k): v for k, v in _STD["supplemental_glyph_map_arial_black"].items()}
SUPPLEMENTAL_GLYPH_MAP_CALIBRI: dict[int, int] = {
    int(k): v for k, v in _STD["supplemental_glyph_map_calibri"].items()}

_SERIF = re.compile("serif", re.I)


def normalize_font_name(name: str) -> str:
    """``normalizeFontName``: ``,``/``_`` → ``-``, whitespace removed."""
    return re.sub(r"\s", "", re.sub(r"[,_]", "-", name))


def get_standard_font_name(name: str) -> str | None:
    """``getStandardFontName``: the standard-14 name PDF.js substitutes, if any."""
    return STD_FONT_MAP.get(normalize_font_name(name))


def is_serif_font(base_font_name: str) -> bool:
    """``PartialEvaluator.isSerifFont``."""
    without_style = base_font_name.split("-")[0]
    return without_style in SERIF_FONTS or _SERIF.search(without_style) is not None


@dataclass
class BaseFontMetrics:
    default_width: float = 0
    monospace: bool = False
    widths: dict[str, float] = field(default_factory=dict)  # by glyph name


def get_base_font_metrics(name: str) -> BaseFontMetrics:
    """``getBaseFontMetrics``: the standard font's AFM widths; unknown fonts use Times-Roman
    when the name looks serif, else Helvetica. Courier fonts are a single default width."""
    lookup = STD_FONT_MAP.get(name) or name
    if lookup not in _METRICS:
        lookup = "Times-Roman" if is_serif_font(name) else "Helvetica"
    widths = _METRICS[lookup]
    if isinstance(widths, (int, float)):
        return BaseFontMetrics(default_width=widths, monospace=True)
    return BaseFontMetrics(widths=dict(widths))


def build_char_code_to_width(widths_by_glyph: dict[str, float], differences: dict[int, str],
                             encoding: list[str]) -> dict[int, float]:
    """``buildCharCodeToWidth``: codes 0–255 through Differences, else the default encoding
    (only truthy widths count)."""
    out: dict[int, float] = {}
    for code in range(256):
        name = differences.get(code)
        if name is not None and widths_by_glyph.get(name):
            out[code] = widths_by_glyph[name]
            continue
        if code < len(encoding) and widths_by_glyph.get(encoding[code]):
            out[code] = widths_by_glyph[encoding[code]]
    return out
