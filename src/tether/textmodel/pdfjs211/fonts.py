"""PDF.js 2.11 font semantics over PyMuPDF's object access: :class:`FontLoader` loads a font
dictionary the way ``PartialEvaluator.loadFont`` / ``preEvaluateFont`` / ``translateFont`` and
the ``Font`` constructor (``fonts.js``) do, and returns a :class:`PdfjsFont` whose
``chars_to_glyphs`` gives PDF.js's ``Glyph`` values (Unicode, width, isSpace, vmetric).

What the font program contributes (built-in encoding, FontMatrix, Type 1 charstring widths) is
read by :mod:`.type1` and :mod:`.cff`; everything else comes from the PDF's dictionaries
(:mod:`.font_props`). Glyph outlines, TrueType cmap tables and font-face building are not
needed for text and are not reproduced.

Public names: :class:`FontLoader`, :class:`PdfjsFont`, :class:`Glyph`, :func:`normalize_unicode`,
:data:`NORMALIZED_UNICODES`, :func:`reverse_if_rtl`.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

from tether.textmodel.pdfjs211.bcmap import load_builtin_cmap
from tether.textmodel.pdfjs211.cff import CFFError
from tether.textmodel.pdfjs211.cmap import (
    UnsupportedCMap,
    parse_cmap,
)
from tether.textmodel.pdfjs211.encodings import (
    NORMALIZED_UNICODES,
    normalize_unicode,
    reverse_if_rtl,
)
from tether.textmodel.pdfjs211.font_model import (
    FONT_IDENTITY_MATRIX,
    Glyph,
    PdfjsFont,
    error_font,
)
from tether.textmodel.pdfjs211.font_program import (
    amend_fallback_to_unicode,
    apply_font_program,
    fallback_to_system_font,
)
from tether.textmodel.pdfjs211.font_props import (
    FIXED_PITCH,
    NONSYMBOLIC,
    SERIF,
    SYMBOLIC,
    FontError,
    Props,
    extract_data_structures,
    extract_widths,
)
from tether.textmodel.pdfjs211.objects import PdfObjects
from tether.textmodel.pdfjs211.standard_fonts import (
    SYMBOLS_FONTS,
    build_char_code_to_width,
    get_base_font_metrics,
    get_standard_font_name,
    is_serif_font,
)
from tether.textmodel.pdfjs211.syntax import Name, Ref, operations

__all__ = [
    "FontLoader", "PdfjsFont", "Glyph", "normalize_unicode", "NORMALIZED_UNICODES",
    "reverse_if_rtl", "FONT_IDENTITY_MATRIX",
]

#: ``PartialEvaluator.fallbackFontDict``: used when a /Font resource name is missing.
FALLBACK_FONT_DICT = {
    "BaseFont": Name("PDFJS-FallbackFont"), "Type": Name("FallbackType"),
    "Subtype": Name("FallbackType"), "Encoding": Name("WinAnsiEncoding"),
}


def _num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number_list(objs: PdfObjects, value: Any) -> list[Any] | None:
    """``Dict.getArray``: an array with its elements resolved (``None`` if not an array)."""
    value = objs.resolve(value)
    return [objs.resolve(x) for x in value] if isinstance(value, list) else None


class FontLoader:
    """Loads and caches fonts of one document (``PartialEvaluator.loadFont``). Never raises:
    where PDF.js gives up it returns an error font (``PdfjsFont.is_error``)."""

    def __init__(self, objects: PdfObjects, *, system_fonts: bool = False) -> None:
        """``system_fonts``: PDF.js's ``useSystemFonts`` — ``False`` (Node, the oracle that
        made the corpus page texts) loads PDF.js's bundled standard fonts for non-embedded
        standard-14 names; ``True`` (browsers, so the Obsidian viewer) only for Symbol and
        ZapfDingbats, which changes non-embedded CIDFontType2 fonts with standard names."""
        self.objects = objects
        self.system_fonts = system_fonts
        self._cache: dict[Any, PdfjsFont] = {}
        self._keep: list[Any] = []  # keeps direct dicts alive while cached by id()
        self._next_id = 1

    def load(self, font: Ref | dict | None) -> PdfjsFont:
        """The font for a /Font resource value (a reference or a direct dictionary). ``None``
        (a name missing from /Font) gives PDF.js's fallback font (Helvetica widths, WinAnsi),
        as with ``ignoreErrors``."""
        if font is None:
            key: Any = "fallback"
            font_dict: Any = FALLBACK_FONT_DICT
        elif isinstance(font, Ref):
            key = font
            font_dict = self.objects.resolve(font)
        else:
            key = ("id", id(font))
            font_dict = font
            self._keep.append(font)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if not isinstance(font_dict, dict):
            result = error_font(f'Font "{font}" is not available.')
        else:
            if isinstance(font, Ref):
                loaded = f"g_d0_f{font.num}R" + (str(font.gen) if font.gen else "")
            else:
                loaded = f"g_d0_f_direct{self._next_id}"
                self._next_id += 1
            try:
                result = self._translate(font_dict, loaded)
            except (FontError, CFFError, UnsupportedCMap, RecursionError) as exc:
                result = error_font(str(exc))
            except Exception as exc:  # noqa: BLE001 - any PDF.js failure becomes an ErrorFont
                result = error_font(f"{type(exc).__name__}: {exc}")
        self._cache[key] = result
        return result

    def load_gstate_font(self, value: Any) -> PdfjsFont | None:
        """An ExtGState ``/Font [ref size]`` entry's font. ``None`` where PDF.js throws
        ("The font object should be a reference") and getTextContent ignores the ExtGState."""
        value = self.objects.resolve(value)
        if not isinstance(value, list) or not value or not isinstance(value[0], Ref):
            return None
        return self.load(value[0])

    # --- preEvaluateFont + translateFont ------------------------------------------------------

    def _translate(self, base: dict, loaded_name: str) -> PdfjsFont:
        objs = self.objects
        d = base
        subtype = objs.get(d, "Subtype")
        if not isinstance(subtype, Name):
            raise FontError("invalid font Subtype")
        composite = False
        if subtype == "Type0":
            df = objs.get(d, "DescendantFonts")
            if not df:
                raise FontError("Descendant fonts are not specified")
            d = objs.resolve(df[0]) if isinstance(df, list) else df
            if not isinstance(d, dict):
                raise FontError("Descendant font is not a dictionary.")
            subtype = objs.get(d, "Subtype")
            if not isinstance(subtype, Name):
                raise FontError("invalid font Subtype")
            composite = True
        font_type = str(subtype)
        first_char = objs.get(d, "FirstChar") or 0
        last_char = objs.get(d, "LastChar") or (0xFFFF if composite else 0xFF)
        first_char = int(first_char) if _num(first_char) else 0
        last_char = int(last_char) if _num(last_char) else (0xFFFF if composite else 0xFF)
        descriptor = objs.get(d, "FontDescriptor")
        is_type3 = font_type == "Type3"
        if not descriptor:
            if not is_type3:
                return self._translate_standard(d, font_type, first_char, last_char, loaded_name)
            descriptor = {"FontName": Name("Type3"),
                          "FontBBox": _number_list(objs, d.get("FontBBox")) or [0, 0, 0, 0]}
        if not isinstance(descriptor, dict):
            raise FontError("FontDescriptor is not a dictionary")

        font_name = objs.get(descriptor, "FontName")
        base_font = objs.get(d, "BaseFont")
        if isinstance(font_name, bytes):
            font_name = Name(font_name.decode("latin-1"))
        if isinstance(base_font, bytes):
            base_font = Name(base_font.decode("latin-1"))
        if not is_type3:
            fn = str(font_name) if isinstance(font_name, Name) else None
            bf = str(base_font) if isinstance(base_font, Name) else None
            if fn != bf and fn and bf and bf.startswith(fn):
                font_name = base_font
        font_name = font_name or base_font
        if not isinstance(font_name, Name):
            raise FontError("invalid font name")

        props = Props(type=font_type, name=str(font_name), composite=composite,
                      first_char=first_char, last_char=last_char)
        # descriptor.get("FontFile", "FontFile2", "FontFile3"): the first key present
        key = next((k for k in ("FontFile", "FontFile2", "FontFile3") if k in descriptor), None)
        ref = descriptor.get(key) if key else None
        file_dict = objs.resolve(ref)
        if file_dict is not None:
            props.file = objs.stream(ref) if isinstance(ref, Ref) else b""
            if isinstance(file_dict, dict):
                st = objs.get(file_dict, "Subtype")
                props.file_subtype = str(st) if isinstance(st, Name) else None
                l1, l2 = objs.get(file_dict, "Length1"), objs.get(file_dict, "Length2")
                props.length1 = int(l1) if _num(l1) else None
                props.length2 = int(l2) if _num(l2) else None
        if props.file is None and not is_type3:
            props.is_internal_font = self._has_standard_font_data(props.name)
        matrix = _number_list(objs, d.get("FontMatrix"))
        props.font_matrix = matrix if matrix else list(FONT_IDENTITY_MATRIX)
        props.bbox = _number_list(objs, descriptor.get("FontBBox")) or _number_list(
            objs, d.get("FontBBox"))
        flags = objs.get(descriptor, "Flags")
        props.flags = int(flags) if _num(flags) else 0

        if composite:
            enc_raw = base.get("Encoding")
            enc = objs.resolve(enc_raw)
            if isinstance(enc, Name):
                props.cid_encoding = str(enc)
                props.cmap = load_builtin_cmap(str(enc))  # unknown name → ErrorFont
            elif isinstance(enc_raw, Ref) and objs.doc.xref_is_stream(enc_raw.num):
                props.cmap = parse_cmap(objs.stream(enc_raw), load_builtin_cmap)
            else:
                raise FontError("Encoding required.")
            props.vertical = props.cmap.vertical

        extract_data_structures(objs, d, base, props)
        extract_widths(objs, d, descriptor, props)
        font = self._build_font(props, loaded_name)
        if is_type3:
            with contextlib.suppress(Exception):  # PDF.js ignores loadType3Data failures
                self._load_type3_bbox(base, font)
        return font

    def _translate_standard(self, d: dict, font_type: str, first_char: int, last_char: int,
                            loaded_name: str) -> PdfjsFont:
        """``translateFont`` without a FontDescriptor: a standard-14 (or fallback) font with
        simulated flags and AFM widths unless ``/Widths`` is given."""
        objs = self.objects
        base_font = objs.get(d, "BaseFont")
        if not isinstance(base_font, Name):
            raise FontError("Base font is not specified")
        name = str(base_font).replace(",", "-").replace("_", "-")
        metrics = get_base_font_metrics(name)
        without_style = name.split("-")[0]
        flags = (SERIF if is_serif_font(without_style) else 0) | (
            FIXED_PITCH if metrics.monospace else 0) | (
            SYMBOLIC if without_style in SYMBOLS_FONTS else NONSYMBOLIC)
        props = Props(type=font_type, name=name, flags=flags, first_char=first_char,
                      last_char=last_char, default_width=metrics.default_width)
        props.is_internal_font = self._has_standard_font_data(name)
        extract_data_structures(objs, d, d, props)
        widths = objs.get(d, "Widths")
        if widths:
            props.widths = {first_char + i: objs.resolve(v) for i, v in
                            enumerate(widths if isinstance(widths, list) else [])}
        else:
            props.widths = build_char_code_to_width(metrics.widths, props.differences,
                                                    props.default_encoding)
        props.font_matrix = None  # Font.fontMatrix stays undefined → identity in getTextContent
        return self._build_font(props, loaded_name)

    def _has_standard_font_data(self, name: str) -> bool:
        """``fetchStandardFontData`` succeeds: a standard name, and with system fonts only
        Symbol / ZapfDingbats."""
        standard = get_standard_font_name(name)
        if not standard:
            return False
        return not self.system_fonts or standard in ("Symbol", "ZapfDingbats")

    # --- the Font constructor -----------------------------------------------------------------

    def _build_font(self, props: Props, loaded_name: str) -> PdfjsFont:
        """``new Font(name, file, properties)``: for embedded Type 1 / CFF programs, the built-in
        encoding amends the ToUnicode map (``adjustToUnicode``) and the FontMatrix rescales the
        widths (``adjustWidths``); then ``amendFallbackToUnicode`` (not for Type 3)."""
        font_matrix = props.font_matrix
        if props.type != "Type3" and props.file:
            saved = (dict(props.widths), props.default_width, props.font_matrix)
            try:
                apply_font_program(props)
                font_matrix = props.font_matrix
            except Exception:  # noqa: BLE001 - PDF.js falls back to a system font
                props.widths, props.default_width, _ = saved
        if props.type != "Type3":
            if not props.file and not props.is_internal_font:
                fallback_to_system_font(props)
            amend_fallback_to_unicode(props)
        vertical = props.vertical and props.type != "Type3"
        return PdfjsFont(
            loaded_name=loaded_name, name=props.name, font_type=props.type, vertical=vertical,
            font_matrix=tuple(font_matrix) if font_matrix else FONT_IDENTITY_MATRIX,
            is_type3=props.type == "Type3",
            bbox=tuple(props.bbox) if props.bbox else None, composite=props.composite,
            widths=props.widths,
            default_width=props.default_width, to_unicode=props.to_unicode,
            cmap=props.cmap if props.composite else None,
            vmetrics=props.vmetrics if vertical else None,
        )

    def _load_type3_bbox(self, base: dict, font: PdfjsFont) -> None:
        """``TranslatedFont.loadType3Data``: with an empty FontBBox, the union of the glyphs'
        ``d1`` boxes becomes the bbox and ``isCharBBox`` is set."""
        objs = self.objects
        bbox = font.bbox
        if bbox and list(bbox) != [0, 0, 0, 0]:
            return
        procs = objs.get(base, "CharProcs")
        if not isinstance(procs, dict):
            return
        box = [math.inf, math.inf, -math.inf, -math.inf]
        found = False
        for ref in procs.values():
            if not isinstance(ref, Ref):
                continue
            first = next(iter(operations(objs.stream(ref))), None)
            if first is None or first[0] != "d1" or len(first[1]) < 6:
                continue
            a = first[1][2:6]
            if not all(_num(x) for x in a):
                continue
            found = True
            box = [min(box[0], a[0], a[2]), min(box[1], a[1], a[3]),
                   max(box[2], a[0], a[2]), max(box[3], a[1], a[3])]
        if found:
            font.bbox = tuple(box)
            font.is_char_bbox = True
