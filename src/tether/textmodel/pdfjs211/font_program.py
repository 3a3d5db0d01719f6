"""The ``Font`` constructor of PDF.js 2.11 (``fonts.js``) as far as text extraction sees it:
what an embedded font program changes (``adjustWidths``, ``adjustToUnicode``, Type 1 charstring
widths), ``amendFallbackToUnicode``, and ``fallbackToSystemFont``'s CIDFontType2 branch.
All functions update a :class:`~.font_props.Props` in place.
"""

from __future__ import annotations

import math
import re
from typing import Any

from tether.textmodel.pdfjs211.cff import opentype_cff_table, opentype_tables, parse_cff
from tether.textmodel.pdfjs211.cmap import IdentityCMap
from tether.textmodel.pdfjs211.encodings import (
    GLYPHS_UNICODE,
    from_char_code,
    get_unicode_for_glyph,
)
from tether.textmodel.pdfjs211.font_model import FONT_IDENTITY_MATRIX
from tether.textmodel.pdfjs211.font_props import Props
from tether.textmodel.pdfjs211.standard_fonts import (
    GLYPH_MAP_FOR_STANDARD_FONTS,
    NON_STD_FONT_MAP,
    STD_FONT_MAP,
    SUPPLEMENTAL_GLYPH_MAP_ARIAL_BLACK,
    SUPPLEMENTAL_GLYPH_MAP_CALIBRI,
    normalize_font_name,
)
from tether.textmodel.pdfjs211.to_unicode_map import IdentityToUnicodeMap, ToUnicodeMap
from tether.textmodel.pdfjs211.type1 import parse_type1


def _num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def apply_font_program(props: Props) -> None:
    """The ``Font`` constructor's font-program step: read the embedded Type 1 / CFF /
    OpenType-CFF program, take its FontMatrix (``adjustWidths``) and built-in encoding
    (``adjustToUnicode``); also fills missing widths from Type 1 charstrings. TrueType
    programs change nothing text extraction reads. Raises where PDF.js would fall back."""
    data = props.file or b""
    head = data[:4]
    if head in (b"\x00\x01\x00\x00", b"true", b"ttcf"):
        return  # TrueType: checkAndRepair changes nothing text extraction reads
    if head == b"OTTO":
        tables = opentype_tables(data)
        cff_data = opentype_cff_table(data)
        is_composite = props.composite and not isinstance(props.cmap, IdentityCMap)
        needs = {b"head", b"hhea", b"maxp", b"post"}
        if cff_data is not None and (not is_composite or not needs <= tables):
            _apply_cff(props, cff_data)
        return
    if data[:2] in (b"%!", b"\x80\x01"):
        prog = parse_type1(data, props.length1, props.length2)
        if prog.font_matrix is not None:
            props.font_matrix = prog.font_matrix
        props.builtin_encoding = prog.builtin_encoding
        if prog.builtin_encoding is not None:
            be = prog.builtin_encoding
            for glyph, width in prog.glyph_widths:
                index = _index_of(be, glyph)
                if index > -1 and index not in props.widths and \
                        props.first_char <= index <= props.last_char:
                    props.widths[index] = width
        _adjust_widths(props)
        if props.builtin_encoding is not None:
            _adjust_to_unicode(props, props.builtin_encoding)
        return
    if len(data) >= 4 and data[0] >= 1 and 1 <= data[3] <= 4:
        _apply_cff(props, data)
        return
    if props.file_subtype in ("Type1C", "CIDFontType0C") and props.type in (
            "Type1", "CIDFontType0", "MMType1"):
        _apply_cff(props, data)

def _apply_cff(props: Props, data: bytes) -> None:
    prog = parse_cff(data)
    props.font_matrix = prog.font_matrix
    if prog.builtin_encoding:
        props.builtin_encoding = prog.builtin_encoding
    _adjust_widths(props)
    if props.builtin_encoding is not None:
        _adjust_to_unicode(props, props.builtin_encoding)


def fallback_to_system_font(props: Props) -> None:
    """The one part of ``fallbackToSystemFont`` (a font without a usable program) that text
    sees: a CIDFontType2 Identity font with a standard (or standard-mapped) name gets a new
    ToUnicode map — the standard glyph map, CIDToGIDMap applied, then the first UTF-16 unit of
    each ToUnicode entry. Other fonts keep their ToUnicode map (only ``toFontChar`` changes)."""
    font_name = normalize_font_name(props.name)
    mapped = NON_STD_FONT_MAP.get(font_name)
    if not (font_name in STD_FONT_MAP or (mapped and mapped in STD_FONT_MAP)):
        return
    if props.type != "CIDFontType2" or not props.cid_encoding.startswith("Identity-"):
        return
    tu = props.to_unicode
    mapping: dict[int, Any] = dict(GLYPH_MAP_FOR_STANDARD_FONTS)
    if re.search("Arial-?Black", props.name, re.I):
        mapping.update(SUPPLEMENTAL_GLYPH_MAP_ARIAL_BLACK)
    elif re.search("Calibri", props.name, re.I):
        mapping.update(SUPPLEMENTAL_GLYPH_MAP_CALIBRI)
    cid_to_gid = props.cid_to_gid_map
    if cid_to_gid is not None:  # an empty JavaScript array is truthy
        for code, cid in list(mapping.items()):
            if cid in cid_to_gid:
                mapping[code] = cid_to_gid[cid]
        gid_map_length = max(cid_to_gid) + 1 if cid_to_gid else 0
        if (gid_map_length != tu.length and props.has_included_to_unicode_map
                and isinstance(tu, IdentityToUnicodeMap)):
            for code in range(tu.first_char, tu.last_char + 1):
                if mapping.get(code) not in cid_to_gid:
                    mapping[code] = code
    if not isinstance(tu, IdentityToUnicodeMap):
        for code in tu.codes():
            value = tu.get(code)
            if isinstance(value, str):
                mapping[code] = ord(value[0]) if value else math.nan  # charCodeAt(0)
            else:
                mapping[code] = value
    props.to_unicode = ToUnicodeMap(mapping)


def _index_of(encoding: Any, glyph: str) -> int:
    """``Array.prototype.indexOf`` on a dense list or a sparse code → name dict."""
    if isinstance(encoding, list):
        return encoding.index(glyph) if glyph in encoding else -1
    for code in sorted(encoding):
        if encoding[code] == glyph:
            return code
    return -1


def _adjust_widths(props: Props) -> None:
    """``adjustWidths``: scale widths by ``0.001 / fontMatrix[0]`` when it is not 0.001."""
    fm = props.font_matrix
    if not fm or fm[0] == FONT_IDENTITY_MATRIX[0]:
        return
    scale = 0.001 / fm[0] if fm[0] else math.inf
    for key, value in props.widths.items():
        if value is None:
            props.widths[key] = 0.0  # null * scale
        elif _num(value):
            props.widths[key] = value * scale
        else:
            props.widths[key] = math.nan
    if _num(props.default_width):
        props.default_width = props.default_width * scale


def _adjust_to_unicode(props: Props, builtin: Any) -> None:
    """``adjustToUnicode``: codes of the built-in encoding that neither ToUnicode nor
    /Differences cover get the built-in glyph's Unicode."""
    if props.is_internal_font or builtin is props.default_encoding:
        return
    tu = props.to_unicode
    if isinstance(tu, IdentityToUnicodeMap):
        return
    items = enumerate(builtin) if isinstance(builtin, list) else sorted(builtin.items())
    out: dict[int, str] = {}
    for code, name in items:
        if props.has_included_to_unicode_map:
            if tu.has(code):
                continue
        elif props.has_encoding and (not props.differences or code in props.differences):
            continue
        unicode = get_unicode_for_glyph(name, GLYPHS_UNICODE)
        if unicode != -1:
            out[code] = from_char_code(unicode)
    if out:
        tu.amend(out)


def amend_fallback_to_unicode(props: Props) -> None:
    """``amendFallbackToUnicode``: with a ToUnicode map *and* an /Encoding, codes the map
    lacks get the encoding's mapping."""
    fallback = props.fallback_to_unicode
    tu = props.to_unicode
    if fallback is None or isinstance(tu, IdentityToUnicodeMap):
        return
    out = {code: value for code, value in fallback.items() if not tu.has(code)}
    if out:
        tu.amend(out)
