"""PDF.js 2.11's font *properties* pipeline (``evaluator.js``): ``extractDataStructures``,
``_simpleFontToUnicode``, ``buildToUnicode``, ``readToUnicode``, ``extractWidths``.

:class:`Props` mirrors the ``properties`` object PDF.js threads through ``translateFont`` and
the ``Font`` constructor. Functions raise :class:`FontError` where PDF.js throws (the loader turns
that into an ``ErrorFont``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from tether.textmodel.pdfjs211.bcmap import load_builtin_cmap
from tether.textmodel.pdfjs211.cmap import CMap, IdentityCMap, parse_cmap
from tether.textmodel.pdfjs211.encodings import (
    GLYPHS_UNICODE,
    MAC_ROMAN_ENCODING,
    STANDARD_ENCODING,
    SYMBOL_SET_ENCODING,
    WIN_ANSI_ENCODING,
    ZAPF_DINGBATS_ENCODING,
    from_char_code,
    get_encoding,
    get_unicode_for_glyph,
    is_js_integer,
    js_parse_int,
    js_to_number,
)
from tether.textmodel.pdfjs211.objects import PdfObjects
from tether.textmodel.pdfjs211.standard_fonts import build_char_code_to_width, get_base_font_metrics
from tether.textmodel.pdfjs211.syntax import Name, Ref
from tether.textmodel.pdfjs211.to_unicode_map import (
    IdentityToUnicodeMap,
    ToUnicodeMap,
    read_to_unicode,
)

# FontFlags (fonts_utils.js)
FIXED_PITCH, SERIF, SYMBOLIC, NONSYMBOLIC = 1, 2, 4, 32


class FontError(Exception):
    """Where PDF.js throws while translating a font (→ ``ErrorFont``)."""


@dataclass
class Props:
    """The subset of PDF.js's font ``properties`` that text extraction depends on."""

    type: str
    name: str
    composite: bool = False
    flags: int = 0
    first_char: int = 0
    last_char: int = 0xFF
    file: bytes | None = None  # None: no font file object; b"": an empty one
    file_subtype: str | None = None
    length1: int | None = None
    length2: int | None = None
    is_internal_font: bool = False
    font_matrix: list[Any] | None = None
    bbox: list[Any] | None = None
    to_unicode: Any = None  # a ToUnicodeMap / IdentityToUnicodeMap once built
    cmap: CMap | None = None
    vertical: bool = False
    cid_system_info: dict[str, Any] | None = None
    differences: dict[int, str] = field(default_factory=dict)
    default_encoding: list[str] = field(default_factory=lambda: STANDARD_ENCODING)
    base_encoding_name: str | None = None
    has_encoding: bool = False
    has_included_to_unicode_map: bool = False
    fallback_to_unicode: dict[int, str] | None = None
    widths: dict[Any, Any] = field(default_factory=dict)
    default_width: Any = 0
    vmetrics: dict[int, tuple[Any, Any, Any]] = field(default_factory=dict)
    default_vmetrics: list[Any] | None = None
    builtin_encoding: Any = None
    cid_encoding: str = ""
    cid_to_gid_map: dict[int, int] | None = None


def _num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _int_key(value: Any) -> int | None:
    """A JavaScript array index from a number (``None`` for non-index keys)."""
    if _num(value) and not math.isnan(value) and value == int(value) and value >= 0:
        return int(value)
    return None


def _js_length(sparse: dict[int, Any]) -> int:
    return max(sparse) + 1 if sparse else 0


def extract_data_structures(objs: PdfObjects, d: dict, base: dict, props: Props) -> None:
    """``extractDataStructures``: CID system info, Differences / base encoding, the default
    encoding chosen from the flags, then ToUnicode (``readToUnicode`` + ``buildToUnicode``)."""
    raw_tu: Any = None
    resolved_tu: Any = None
    for container in (d, base):  # `dict.get("ToUnicode") || baseDict.get("ToUnicode")`
        raw_tu = container.get("ToUnicode")
        resolved_tu = objs.resolve(raw_tu)
        if resolved_tu:
            break
    to_unicode = _read_to_unicode(objs, resolved_tu, raw_tu, props)

    if props.composite:
        info = objs.get(d, "CIDSystemInfo")
        if isinstance(info, dict):
            props.cid_system_info = {
                "registry": _pdf_string(objs.get(info, "Registry")),
                "ordering": _pdf_string(objs.get(info, "Ordering")),
                "supplement": objs.get(info, "Supplement"),
            }

    differences: dict[int, str] = {}
    base_name: str | None = None
    if "Encoding" in d:
        encoding = objs.get(d, "Encoding")
        if isinstance(encoding, dict):
            be = objs.get(encoding, "BaseEncoding")
            base_name = str(be) if isinstance(be, Name) else None
            if "Differences" in encoding:
                diffs = objs.get(encoding, "Differences")
                if not isinstance(diffs, list):
                    raise FontError("Differences is not an array")
                index: Any = 0
                for entry in diffs:
                    data = objs.resolve(entry)
                    if _num(data):
                        index = data
                    elif isinstance(data, Name):
                        key = _int_key(index)
                        if key is not None:
                            differences[key] = str(data)
                        index = index + 1
                    else:
                        raise FontError(f"Invalid entry in 'Differences' array: {data!r}")
        elif isinstance(encoding, Name):
            base_name = str(encoding)
        else:
            raise FontError("Encoding is not a Name nor a Dict")
        if base_name not in ("MacRomanEncoding", "MacExpertEncoding", "WinAnsiEncoding"):
            base_name = None

    if base_name:
        props.default_encoding = get_encoding(base_name) or STANDARD_ENCODING
    else:
        symbolic = bool(props.flags & SYMBOLIC)
        nonsymbolic = bool(props.flags & NONSYMBOLIC)
        enc = STANDARD_ENCODING
        if props.type == "TrueType" and not nonsymbolic:
            enc = WIN_ANSI_ENCODING
        if symbolic:
            enc = MAC_ROMAN_ENCODING
            if props.file is None or props.is_internal_font:  # `!properties.file`
                if "symbol" in props.name.lower():
                    enc = SYMBOL_SET_ENCODING
                elif "dingbats" in props.name.lower() or "wingdings" in props.name.lower():
                    enc = ZAPF_DINGBATS_ENCODING
        props.default_encoding = enc

    props.differences = differences
    props.base_encoding_name = base_name
    props.has_encoding = bool(base_name) or _js_length(differences) > 0
    props.to_unicode = to_unicode
    props.to_unicode = build_to_unicode(props)
    if props.composite:
        raw = d.get("CIDToGIDMap")
        if isinstance(raw, Ref) and objs.doc.xref_is_stream(raw.num):
            props.cid_to_gid_map = _read_cid_to_gid_map(objs.stream(raw), props.to_unicode)


def _read_cid_to_gid_map(data: bytes, to_unicode: Any) -> dict[int, int]:
    """``readCidToGidMap``: big-endian glyph ids by CID; zero ids kept only for mapped codes."""
    out: dict[int, int] = {}
    for code in range(len(data) // 2 + len(data) % 2):
        gid = (data[2 * code] << 8) | (data[2 * code + 1] if 2 * code + 1 < len(data) else 0)
        if gid == 0 and not to_unicode.has(code):
            continue
        out[code] = gid
    return out


def _pdf_string(value: Any) -> str | None:
    """``stringToPDFString`` for the short ASCII strings of CIDSystemInfo."""
    if isinstance(value, bytes):
        if value[:2] == b"\xfe\xff":
            return value[2:].decode("utf-16-be", "replace")
        return value.decode("latin-1")
    return None if value is None else str(value)


def _read_to_unicode(objs: PdfObjects, value: Any, ref: Any, props: Props) -> Any:
    """``readToUnicode``: a CMap name or stream → a ToUnicode map; anything else → None.
    A malformed stream is ignored (``ignoreErrors``); an unknown CMap name throws."""
    if value is None:
        return None
    if isinstance(value, Name):
        # No error handler on this path in PDF.js: an unknown name fails the font.
        cmap = load_builtin_cmap(str(value))
        if isinstance(cmap, IdentityCMap):
            return IdentityToUnicodeMap(0, 0xFFFF)
        return ToUnicodeMap(dict(cmap.items()))  # raw values, not UTF-16-decoded (`getMap()`)
    if isinstance(ref, Ref) and objs.doc.xref_is_stream(ref.num):
        try:
            cmap = parse_cmap(objs.stream(ref), load_builtin_cmap)
        except Exception:  # noqa: BLE001 - PDF.js ignores unreadable ToUnicode data
            return None
        try:
            return read_to_unicode(cmap)
        except ValueError as exc:
            raise FontError(f"ToUnicode: {exc}") from exc
    return None


def simple_font_to_unicode(props: Props, force_glyphs: bool = False) -> dict[int, str]:
    """``_simpleFontToUnicode``: code → Unicode from the encoding's glyph names, with PDF.js's
    heuristics for unknown names (``Gxx``, ``gxxxx``, ``Cdd``/``cdd`` decimal — or hex for the
    whole font once one is not decimal —, ``uniXXXX``/``uXXXX``)."""
    encoding: dict[int, str] = dict(enumerate(props.default_encoding))
    for code, name in props.differences.items():
        if name != ".notdef":
            encoding[code] = name
    out: dict[int, str] = {}
    for code in sorted(encoding):
        name = encoding[code]
        if name == "":
            continue
        known = GLYPHS_UNICODE.get(name)
        if known is not None:
            out[code] = from_char_code(known)
            continue
        value: float = 0
        first = name[0]
        if first == "G":
            if len(name) == 3:
                value = js_parse_int(name[1:], 16)
        elif first == "g":
            if len(name) == 5:
                value = js_parse_int(name[1:], 16)
        elif first in ("C", "c"):
            if 3 <= len(name) <= 4:
                code_str = name[1:]
                if force_glyphs:
                    value = js_parse_int(code_str, 16)
                else:
                    value = js_to_number(code_str)
                    if math.isnan(value) and is_js_integer(js_parse_int(code_str, 16)):
                        return simple_font_to_unicode(props, True)
        else:
            unicode = get_unicode_for_glyph(name)
            if unicode != -1:
                value = unicode
        if is_js_integer(value) and 0 < value <= 0x10FFFF:
            if props.base_encoding_name and value == code:
                base = get_encoding(props.base_encoding_name)
                base_name = base[code] if base and code < len(base) else ""
                if base_name:
                    out[code] = from_char_code(GLYPHS_UNICODE.get(base_name, 0))
                    continue
            out[code] = chr(int(value))
    return out


def build_to_unicode(props: Props) -> ToUnicodeMap | IdentityToUnicodeMap:
    """``buildToUnicode``."""
    tu = props.to_unicode
    props.has_included_to_unicode_map = tu is not None and tu.length > 0
    if props.has_included_to_unicode_map:
        if not props.composite and props.has_encoding:
            props.fallback_to_unicode = simple_font_to_unicode(props)
        return tu
    if not props.composite:
        return ToUnicodeMap(simple_font_to_unicode(props))
    cmap = props.cmap
    predefined = cmap is not None and cmap.builtin and not isinstance(cmap, IdentityCMap)
    if not predefined:
        if props.cid_system_info is None:  # `properties.cidSystemInfo.registry` → TypeError
            raise FontError("composite font without CIDSystemInfo or ToUnicode")
        info = props.cid_system_info
        predefined = info["registry"] == "Adobe" and info["ordering"] in (
            "GB1", "CNS1", "Japan1", "Korea1")
    if predefined:
        return _ucs2_to_unicode(props)
    return IdentityToUnicodeMap(props.first_char, props.last_char)


def _ucs2_to_unicode(props: Props) -> ToUnicodeMap:
    """``buildToUnicode`` for CJK orderings: code → CID (encoding CMap) → the first UTF-16
    unit of ``<Registry>-<Ordering>-UCS2`` (an unknown name fails the font, as in PDF.js)."""
    info = props.cid_system_info or {}
    ucs2 = load_builtin_cmap(f"{info.get('registry')}-{info.get('ordering')}-UCS2")
    out: dict[int, str] = {}
    assert props.cmap is not None
    for code, cid in props.cmap.items():
        if isinstance(cid, int) and cid > 0xFFFF:
            raise FontError("Max size of CID is 65,535")
        value = ucs2.lookup(cid)
        if value:
            hi = ord(value[0]) << 8
            out[code] = chr((hi + ord(value[1])) & 0xFFFF) if len(value) > 1 else "\0"
    return ToUnicodeMap(out)


def _widths_value(objs: PdfObjects, value: Any) -> Any:
    return objs.resolve(value)


def extract_widths(objs: PdfObjects, d: dict, descriptor: dict, props: Props) -> None:
    """``extractWidths``: ``/W`` ``/DW`` (``/W2`` ``/DW2``) for composite fonts, ``/Widths`` +
    ``/MissingWidth`` for simple ones, else the standard metrics of ``/BaseFont``."""
    widths: dict[Any, Any] = {}
    default_width: Any = 0
    if props.composite:
        default_width = objs.get(d, "DW") if "DW" in d else 1000
        if not _num(default_width):
            default_width = 0 if default_width is None else math.nan
        w = objs.get(d, "W")
        if isinstance(w, list):
            _read_w(objs, w, widths, 1)
        if props.vertical:
            dw2 = objs.get(d, "DW2")
            vm = [objs.resolve(x) for x in dw2] if isinstance(dw2, list) else [880, -1000]
            vm = vm + [None] * (2 - len(vm)) if len(vm) < 2 else vm
            props.default_vmetrics = [vm[1], default_width * 0.5, vm[0]]
            w2 = objs.get(d, "W2")
            if isinstance(w2, list):
                _read_w(objs, w2, props.vmetrics, 3)
    else:
        first_char = props.first_char
        ws = objs.get(d, "Widths")
        if ws is not None and ws is not False and ws != 0:
            if isinstance(ws, list):
                for i, value in enumerate(ws):
                    widths[first_char + i] = _widths_value(objs, value)
            mw = objs.get(descriptor, "MissingWidth")
            default_width = mw if _num(mw) and not math.isnan(mw) else 0
        else:
            base_font = objs.get(d, "BaseFont")
            if isinstance(base_font, Name):
                metrics = get_base_font_metrics(str(base_font))
                widths = build_char_code_to_width(metrics.widths, props.differences,
                                                  props.default_encoding)
                default_width = metrics.default_width
    props.default_width = default_width
    props.widths = widths


def _read_w(objs: PdfObjects, w: list, out: dict, group: int) -> None:
    """``/W`` (group 1) or ``/W2`` (group 3) arrays: ``c [w…]`` and ``c1 c2 w…`` entries."""
    items = [objs.resolve(x) for x in w]
    i, n = 0, len(items)
    while i + 1 < n:
        start, code = items[i], items[i + 1]
        i += 2
        if not _num(start):
            continue
        start = int(start)
        if isinstance(code, list):
            vals = [objs.resolve(x) for x in code]
            for j in range(0, len(vals) - group + 1, group):
                out[start] = vals[j] if group == 1 else tuple(vals[j : j + 3])
                start += 1
        else:
            vals = items[i : i + group]
            i += group
            if not _num(code) or len(vals) < group:
                continue
            value = vals[0] if group == 1 else tuple(vals)
            for c in range(start, int(code) + 1):
                out[c] = value
