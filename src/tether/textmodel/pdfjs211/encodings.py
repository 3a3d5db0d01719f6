"""PDF.js 2.11's encodings, glyph list and Unicode helpers (data in ``data/*.json``).

Mirrors ``encodings.js`` (``getEncoding``), ``glyphlist.js`` (``getGlyphsUnicode``),
``unicode.js`` (``getUnicodeForGlyph``, ``getNormalizedUnicodes``, ``reverseIfRtl``) and
``fonts_utils.js`` (``recoverGlyphName``), plus the few JavaScript number-parsing rules those
functions depend on (``parseInt``, unary ``+``).

Encodings are lists of 256 glyph names, ``""`` for an unused code, exactly as PDF.js holds them.
The module-level lists are shared objects: PDF.js compares encodings by identity
(``builtInEncoding === properties.defaultEncoding`` in ``adjustToUnicode``), so callers must keep
the very objects :func:`get_encoding` returns when they mean "the same encoding".
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources
from typing import Any


def load_data(name: str) -> Any:
    """Parse ``data/<name>`` (a JSON table extracted from PDF.js, see ``data/NOTICE``)."""
    text = resources.files("tether.textmodel.pdfjs211").joinpath("data", name).read_text("utf-8")
    return json.loads(text)


_ENCODINGS: dict[str, list[str]] = load_data("encodings.json")
STANDARD_ENCODING = _ENCODINGS["StandardEncoding"]
MAC_ROMAN_ENCODING = _ENCODINGS["MacRomanEncoding"]
WIN_ANSI_ENCODING = _ENCODINGS["WinAnsiEncoding"]
SYMBOL_SET_ENCODING = _ENCODINGS["SymbolSetEncoding"]
ZAPF_DINGBATS_ENCODING = _ENCODINGS["ZapfDingbatsEncoding"]
EXPERT_ENCODING = _ENCODINGS["ExpertEncoding"]

#: glyph name → Unicode code (``getGlyphsUnicode()``; ``.notdef`` → 0 is part of the table).
GLYPHS_UNICODE: dict[str, int] = load_data("glyphlist.json")
DINGBATS_GLYPHS_UNICODE: dict[str, int] = load_data("dingbats_glyphlist.json")

_UNICODE = load_data("unicode.json")
#: ``getNormalizedUnicodes()``: single characters → their compatibility replacement.
NORMALIZED_UNICODES: dict[str, str] = _UNICODE["normalized"]
_RTL_RANGES: list[tuple[int, int]] = [tuple(r) for r in _UNICODE["rtl_ranges"]]


def get_encoding(name: str | None) -> list[str] | None:
    """``getEncoding(name)``: the named encoding, ``None`` for an unknown name."""
    return _ENCODINGS.get(name) if name else None


# --- JavaScript number parsing -------------------------------------------------------------

_JS_WS = " \t\n\r\x0b\x0c\xa0\ufeff\u2028\u2029"
_HEX_PREFIX = re.compile(r"[0-9A-Fa-f]*")
_DEC_PREFIX = re.compile(r"[0-9]*")


def js_parse_int(text: str, radix: int = 10) -> float:
    """JavaScript ``parseInt(text, radix)`` for radix 10 or 16: the longest valid prefix after
    optional whitespace, sign and (radix 16) ``0x``; ``nan`` when there is none."""
    s = text.lstrip(_JS_WS)
    sign = 1
    if s[:1] in ("+", "-"):
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if radix == 16 and s[:2].lower() == "0x":
        s = s[2:]
    digits = (_HEX_PREFIX if radix == 16 else _DEC_PREFIX).match(s).group()
    if not digits:
        return math.nan
    return float(sign * int(digits, radix))


_JS_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|Infinity)")


def js_to_number(text: str) -> float:
    """JavaScript ``+text`` (``Number(text)``): whole string, trimmed; ``0x``/``0o``/``0b``
    literals; ``""`` → 0; anything else → ``nan``."""
    s = text.strip(_JS_WS)
    if not s:
        return 0.0
    low = s.lower()
    for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
        if low.startswith(prefix):
            try:
                return float(int(s[2:], base)) if s[2:] else math.nan
            except ValueError:
                return math.nan
    if _JS_DECIMAL.fullmatch(s):
        return float(s)
    return math.nan


def is_js_integer(value: float) -> bool:
    """``Number.isInteger(value)``."""
    return not math.isnan(value) and not math.isinf(value) and value == int(value)


def from_char_code(code: int) -> str:
    """``String.fromCharCode(code)``: one UTF-16 unit (the code modulo 2**16)."""
    return chr(int(code) & 0xFFFF)


# --- glyph names ----------------------------------------------------------------------------

def get_unicode_for_glyph(name: str | None, glyphs_unicode: dict[str, int] = GLYPHS_UNICODE) -> int:
    """``getUnicodeForGlyph(name, glyphsUnicodeMap)``: the glyph list value, else ``uniXXXX``
    (7 characters) / ``uXXXX[XX]`` (5–7 characters) with upper-case hex; -1 when unknown."""
    if name is None:
        return -1
    unicode = glyphs_unicode.get(name)
    if unicode is not None:
        return unicode
    if not name:
        return -1
    if name[0] == "u":
        n = len(name)
        if n == 7 and name[1] == "n" and name[2] == "i":
            hex_str = name[3:]
        elif 5 <= n <= 7:
            hex_str = name[1:]
        else:
            return -1
        if hex_str == hex_str.upper():
            value = js_parse_int(hex_str, 16)
            if value >= 0:  # nan compares false
                return int(value)
    return -1


@cache
def _first_name_for_unicode() -> dict[int, str]:
    first: dict[int, str] = {}
    for key, value in GLYPHS_UNICODE.items():
        first.setdefault(value, key)
    return first


def recover_glyph_name(name: str) -> str:
    """``recoverGlyphName``: a glyph-list name with the same Unicode value, else ``name``."""
    if name in GLYPHS_UNICODE:
        return name
    unicode = get_unicode_for_glyph(name)
    if unicode != -1:
        return _first_name_for_unicode().get(unicode, name)
    return name


# --- text normalisation applied by getTextContent -----------------------------------------

def normalize_unicode(text: str) -> str:
    """``NormalizedUnicodes[glyphUnicode] || glyphUnicode`` (whole-string lookup)."""
    return NORMALIZED_UNICODES.get(text) or text


def _is_rtl(code: int) -> bool:
    return any(lo <= code < hi for lo, hi in _RTL_RANGES)


def reverse_if_rtl(chars: str) -> str:
    """``reverseIfRtl``: reverse a string of two or more UTF-16 units whose first unit is in
    the Hebrew or Arabic block (reversal is by UTF-16 unit, as in JavaScript)."""
    if not chars or not _is_rtl(ord(chars[0])):
        return chars
    units = chars.encode("utf-16-le", "surrogatepass")
    if len(units) <= 2:
        return chars
    rev = b"".join(units[i : i + 2] for i in range(len(units) - 2, -1, -2))
    return rev.decode("utf-16-le", "surrogatepass")
