"""The PDF.js 2.11 font layer (``tether.textmodel.pdfjs211.fonts`` and helpers).

Oracle tests compare every font object against what PDF.js 2.11.338 itself computed
(``fixtures/fonts/*.pdfjs-fonts.json``, see ``fixtures/fonts/README.md``); unit tests pin the
individual PDF.js rules.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from conftest import FIXTURES, SHARED, require_shared
from tether.textmodel.pdfjs211.bcmap import load_builtin_cmap
from tether.textmodel.pdfjs211.cmap import UnsupportedCMap, parse_cmap
from tether.textmodel.pdfjs211.encodings import (
    MAC_ROMAN_ENCODING,
    STANDARD_ENCODING,
    get_unicode_for_glyph,
    js_parse_int,
    js_to_number,
    recover_glyph_name,
)
from tether.textmodel.pdfjs211.font_model import Glyph, PdfjsFont, error_font
from tether.textmodel.pdfjs211.font_props import Props, simple_font_to_unicode
from tether.textmodel.pdfjs211.fonts import (
    NORMALIZED_UNICODES,
    FontLoader,
    normalize_unicode,
    reverse_if_rtl,
)
from tether.textmodel.pdfjs211.objects import PdfObjects
from tether.textmodel.pdfjs211.syntax import Name, Ref, operations
from tether.textmodel.pdfjs211.to_unicode_map import (
    IdentityToUnicodeMap,
    ToUnicodeMap,
    decode_utf16_token,
    read_to_unicode,
)

FONT_FIXTURES = FIXTURES / "fonts"
CORPUS_ORACLES = sorted((FONT_FIXTURES / "corpus").glob("*.pdfjs-fonts.json"))
IDENTITY = [0.001, 0, 0, 0.001, 0, 0]


# --- oracle comparison ------------------------------------------------------------------------

def _close(a: Any, b: Any, rel: float) -> bool:
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b)
                and all(_close(x, y, rel) for x, y in zip(a, b, strict=True)))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return a == b or abs(a - b) <= rel * max(1.0, abs(a), abs(b))
    return a == b


def _compare_with_oracle(pdf: Path, oracle: dict, rel: float,
                         system_fonts: bool = False) -> list[str]:
    """Differences between our fonts and PDF.js's for every font reference the oracle saw."""
    problems: list[str] = []
    loader = FontLoader(PdfObjects(pymupdf.open(pdf)), system_fonts=system_fonts)
    for expected in oracle["fonts"]:
        for ref_text in expected["refs"]:
            num, gen = map(int, ref_text.split())
            font = loader.load(Ref(num, gen))
            tag = f"{ref_text} {expected.get('name')}"
            if expected.get("error") or font.is_error:
                if not (expected.get("error") and font.is_error):
                    problems.append(f"{tag}: error {expected.get('error')!r} vs {font.error!r}")
                continue
            checks = [
                ("spaceWidth", expected["spaceWidth"], font.space_width),
                ("fontMatrix", expected["fontMatrix"] or IDENTITY, list(font.font_matrix)),
                ("isType3", expected["isType3"], font.is_type3),
                ("vertical", expected["vertical"], font.vertical),
                ("isCharBBox", expected["isCharBBox"], font.is_char_bbox),
            ]
            if expected["isType3"]:
                checks.append(("bbox", expected["bbox"], list(font.bbox) if font.bbox else None))
            problems += [f"{tag}: {k} {a!r} vs {b!r}" for k, a, b in checks
                         if not _close(a, b, rel)]
            for code, (uni, width, is_space, vmetric) in expected["glyphs"].items():
                g = font._char_to_glyph(int(code), is_space)
                mine = (g.unicode, g.width, list(g.vmetric) if g.vmetric else None)
                if not _close([uni, width, vmetric], list(mine), rel):
                    problems.append(f"{tag}: glyph {code} {(uni, width, vmetric)!r} vs {mine!r}")
    return problems


@pytest.mark.parametrize("system_fonts", [False, True], ids=["node", "browser"])
def test_synthetic_fonts_match_pdfjs(system_fonts: bool) -> None:
    """Node PDF.js (bundled standard font data) and browser PDF.js (``useSystemFonts``)."""
    name = "synthetic-fonts.system-fonts" if system_fonts else "synthetic-fonts"
    oracle = json.loads((FONT_FIXTURES / f"{name}.pdfjs-fonts.json").read_text("utf-8"))
    assert len(oracle["fonts"]) >= (2 if system_fonts else 60)  # system: only what differs
    pdf = FONT_FIXTURES / "synthetic-fonts.pdf"
    assert _compare_with_oracle(pdf, oracle, 1e-9, system_fonts) == []


@pytest.mark.corpus
@pytest.mark.parametrize("oracle_path", CORPUS_ORACLES, ids=lambda p: p.name.split(".")[0])
def test_corpus_fonts_match_pdfjs(oracle_path: Path) -> None:
    require_shared()
    oracle = json.loads(oracle_path.read_text("utf-8"))
    # 1e-6: PyMuPDF prints real numbers from float32 (310.54688 in the file → 310.54689).
    assert _compare_with_oracle(SHARED / "corpus" / oracle["pdf"], oracle, 1e-6) == []


# --- decoded text vs the real PDF.js page texts ----------------------------------------------

_WS = set(" \t\n\r\f\v\u00a0\u2028\u2029\ufeff")


def _shown_chars(objs: PdfObjects, loader: FontLoader, data: bytes, resources: Any,
                 out: list[str], depth: int = 0) -> None:
    """Glyph texts as getTextContent pushes them, in content order (Tf, shows, forms)."""
    font: PdfjsFont | None = None
    font_res = objs.get(resources, "Font", {})
    xobjects = objs.get(resources, "XObject", {})
    for op, args in operations(data):
        if op == "Tf" and args and isinstance(args[0], Name) and isinstance(font_res, dict):
            font = loader.load(font_res.get(str(args[0])))
        elif op in ("Tj", "'", '"', "TJ") and font is not None and args:
            shown = args[0] if op == "TJ" and isinstance(args[0], list) else args[-1:]
            for s in shown:
                if isinstance(s, bytes):
                    out += [g.unicode if g.is_space else reverse_if_rtl(normalize_unicode(
                        g.unicode)) for g in font.chars_to_glyphs(s)]
        elif op == "Do" and args and isinstance(xobjects, dict) and depth < 8:
            ref = xobjects.get(str(args[0]))
            xobj = objs.resolve(ref)
            if isinstance(ref, Ref) and isinstance(xobj, dict) and \
                    objs.get(xobj, "Subtype") == "Form":
                _shown_chars(objs, loader, objs.stream(ref),
                             objs.get(xobj, "Resources") or resources, out, depth + 1)


@pytest.mark.slow  # ~15 s, nearly all of it tokenizing content streams
@pytest.mark.corpus
@pytest.mark.parametrize("oracle_path", CORPUS_ORACLES, ids=lambda p: p.name.split(".")[0])
def test_corpus_non_space_characters_equal_pdfjs_page_text(oracle_path: Path) -> None:
    require_shared()
    rel = json.loads(oracle_path.read_text("utf-8"))["pdf"]
    pdf = SHARED / "corpus" / rel
    pages = json.loads(pdf.with_suffix(".pdfjs-pages.json").read_text("utf-8"))["pages"]
    objs = PdfObjects(pymupdf.open(pdf))
    loader = FontLoader(objs)
    for i, page in enumerate(pages):
        out: list[str] = []
        _shown_chars(objs, loader, objs.page_contents(i), objs.page_resources(i), out)
        mine = "".join(c for s in out for c in s if c not in _WS)
        truth = "".join(c for c in page["text"] if c not in _WS)
        assert mine == truth, f"page {i}"


# --- unit tests: glyph names, encodings, normalisation ---------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("A", 0x41), ("fi", 0xFB01), (".notdef", 0), ("uni00E9", 0xE9), ("u1F600", 0x1F600),
    ("uni00e9", -1), ("uni00E9.sc", -1), ("u12", -1), ("uniFFFFF", -1), ("foo", -1), ("", -1),
    ("uni12G4", 0x12),  # parseInt keeps the hex prefix
])
def test_get_unicode_for_glyph(name: str, expected: int) -> None:
    assert get_unicode_for_glyph(name) == expected


def test_js_number_parsing() -> None:
    assert js_to_number("65") == 65 and js_to_number("0x41") == 65 and js_to_number(" 7 ") == 7
    assert math.isnan(js_to_number("1A")) and js_to_number("") == 0
    assert js_parse_int("1z", 16) == 1 and math.isnan(js_parse_int("zz", 16))
    assert recover_glyph_name("uni0041") == "A"


def _props(differences: dict[int, str], encoding: list[str] = STANDARD_ENCODING,
           base: str | None = None) -> Props:
    return Props(type="Type1", name="X", differences=differences, default_encoding=encoding,
                 base_encoding_name=base)


def test_simple_font_to_unicode_heuristics() -> None:
    tu = simple_font_to_unicode(_props({65: "C66", 66: "G41", 67: "g0042", 68: "uni2022",
                                        69: ".notdef", 70: "bogus"}))
    assert tu[65] == "B" and tu[66] == "A" and tu[67] == "B" and tu[68] == "\u2022"
    assert tu[69] == "E"  # .notdef in Differences keeps the base encoding
    assert 70 not in tu  # unknown names give nothing (→ the raw code later)
    # one Cxx that is not decimal makes every Cxx hexadecimal
    tu = simple_font_to_unicode(_props({65: "C41", 66: "C1F"}))
    assert tu[65] == "A" and tu[66] == "\x1f"
    # Cdd equal to its own code defers to the base encoding's glyph
    tu = simple_font_to_unicode(_props({128: "C128"}, MAC_ROMAN_ENCODING, "MacRomanEncoding"))
    assert tu[128] == "\u00c4"


def test_normalisation_and_rtl() -> None:
    assert normalize_unicode("\ufb01") == "fi" and normalize_unicode("\u2026") == "..."
    assert normalize_unicode("fi") == "fi" and NORMALIZED_UNICODES["\u017f"] == "s"
    assert reverse_if_rtl("\u05d0\u05d1") == "\u05d1\u05d0" and reverse_if_rtl("ab") == "ab"
    assert reverse_if_rtl("\u05d0") == "\u05d0"


# --- unit tests: CMaps and ToUnicode ---------------------------------------------------------

CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /T def 2 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange
2 beginbfchar <41> <0058> <42> <D835DC65> endbfchar
1 beginbfrange <8000> <8002> <00FF> endbfrange
1 beginbfrange <50> <51> [<0066006C> /bad] endbfrange
1 beginbfchar <43> 7 endbfchar
1 beginbfchar <44> <0044> endbfchar
endcmap"""


def test_cmap_parsing_and_to_unicode() -> None:
    cmap = parse_cmap(CMAP)
    assert cmap.read_char_code(b"\x41\x80\x01", 0) == (0x41, 1)
    assert cmap.read_char_code(b"\x41\x80\x01", 1) == (0x8001, 2)
    assert cmap.read_char_code(b"\x80", 0) == (0x8000, 2)  # missing byte counts as 0
    tu = read_to_unicode(cmap)
    assert isinstance(tu, ToUnicodeMap)
    assert tu.get(0x41) == "X" and tu.get(0x42) == "\U0001d465"
    assert [tu.get(c) for c in (0x8000, 0x8001, 0x8002)] == ["\u00ff", "\u0100", "\u0101"]
    assert tu.get(0x50) == "fl" and tu.get(0x51) == ""
    assert not tu.has(0x43)  # a malformed entry is skipped, parsing goes on
    assert tu.get(0x44) == "D"
    assert tu.char_code_of("X") == 0x41 and tu.char_code_of(0x58) == -1  # strict equality
    ident = IdentityToUnicodeMap(0, 0xFFFF)
    assert ident.char_code_of(32) == 32 and ident.get(0x41) == "A"
    assert decode_utf16_token("\x00") == "\x00" and decode_utf16_token("\x00A\x00") == "A\x00"


# --- unit tests: the font value ----------------------------------------------------------------

def test_space_width_rules() -> None:
    tu = ToUnicodeMap({3: " ", 0x31: "1"})
    # simple font: charCodeOf(number) never matches a string map → widths[0x20], [0x31] …
    font = PdfjsFont(loaded_name="t", widths={3: 250, 0x31: 500}, default_width=600,
                     to_unicode=tu)
    assert font.space_width == 500
    font = PdfjsFont(loaded_name="t", widths={0x20: 0, 0x69: 280}, to_unicode=tu)
    assert font.space_width == 280  # a zero width is skipped
    font = PdfjsFont(loaded_name="t", widths={}, default_width=777, to_unicode=tu)
    assert font.space_width == 777
    assert error_font("x").space_width == 0 and error_font("x").chars_to_glyphs(b"ab") == []


def test_glyphs_unmapped_code_is_raw_character() -> None:
    font = PdfjsFont(loaded_name="t", widths={2: 400}, default_width=0,
                     to_unicode=ToUnicodeMap({0x41: "A", 0x42: ""}))
    glyphs = font.chars_to_glyphs(b"A\x02B ")
    assert [g.unicode for g in glyphs] == ["A", "\x02", "B", " "]
    assert glyphs[1] == Glyph("\x02", 400, False, None, 2)
    assert [g.is_space for g in glyphs] == [False, False, False, True]
    assert font.chars_to_glyphs(b"A\x02B ") is glyphs  # cached


def _doc_with_font(font_source: str, extra: list[str] = ()) -> tuple[FontLoader, Ref]:
    doc = pymupdf.open()
    doc.new_page()
    for source in extra:
        doc.update_object(doc.get_new_xref(), source)
    xref = doc.get_new_xref()
    doc.update_object(xref, font_source)
    return FontLoader(PdfObjects(doc)), Ref(xref, 0)


def test_loader_never_raises_and_caches() -> None:
    loader, ref = _doc_with_font("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    font = loader.load(ref)
    assert loader.load(ref) is font and not font.is_error
    assert font.space_width == 278 and font.chars_to_glyphs(b"A")[0].width == 667
    assert loader.load(Ref(9999, 0)).is_error  # dangling reference
    assert loader.load({"Subtype": 5}).is_error  # PDF.js: "invalid font Subtype"
    fallback = loader.load(None)  # a missing resource name → PDF.js's fallback font
    assert not fallback.is_error and fallback.chars_to_glyphs(b"\x80")[0].unicode == "\u20ac"
    assert loader.load_gstate_font([{"Subtype": Name("Type1")}, 12]) is None
    assert loader.load_gstate_font([ref, 12]) is font


@pytest.mark.parametrize("source", [
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding 5 >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [1 (a)] >> >>",
    "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H >>",
    "<< /Type /Font /Subtype /Type1 >>",
])
def test_fonts_pdfjs_rejects_become_error_fonts(source: str) -> None:
    loader, ref = _doc_with_font(source)
    font = loader.load(ref)
    assert font.is_error and font.loaded_name == "g_font_error"


def test_predefined_cmaps() -> None:
    sjis = load_builtin_cmap("90ms-RKSJ-H")
    code, length = sjis.read_char_code("あ".encode("cp932"), 0)
    assert length == 2 and sjis.lookup(code) == 843
    assert sjis.read_char_code(b"A", 0) == (0x41, 1)
    assert load_builtin_cmap("Adobe-Japan1-UCS2").lookup(843) == "0B"  # raw UCS-2 bytes
    assert load_builtin_cmap("UniJIS-UCS2-V").vertical
    assert load_builtin_cmap("UniJIS-UCS2-V").lookup(0x3042) == 843  # via usecmap UniJIS-UCS2-H
    with pytest.raises(UnsupportedCMap):
        load_builtin_cmap("No-Such-H")


_GARBAGE = [b"", b"%!PS-AdobeFont-1.0\n/Encoding 256 array dup 65 /A", b"\x80\x01\xff\xff",
            b"\x01\x00\x04\x02" + bytes(range(256)) * 3, b"OTTO" + bytes(60),
            b"\x00\x01\x00\x00garbage", bytes(range(256))[::-1] * 4]


@pytest.mark.parametrize("program", _GARBAGE)
@pytest.mark.parametrize("key, subtype", [("FontFile", "Type1"), ("FontFile3", "Type1"),
                                          ("FontFile2", "TrueType"), ("FontFile3", "Type0")])
def test_broken_font_programs_never_raise(program: bytes, key: str, subtype: str) -> None:
    doc = pymupdf.open()
    doc.new_page()
    ff = doc.get_new_xref()
    doc.update_object(ff, "<< /Length1 7 /Length2 100 /Subtype /Type1C >>")
    doc.update_stream(ff, program, new=True)
    fd = doc.get_new_xref()
    doc.update_object(fd, f"<< /FontName /X /Flags 4 /{key} {ff} 0 R >>")
    font = doc.get_new_xref()
    if subtype == "Type0":
        cid = doc.get_new_xref()
        doc.update_object(cid, f"<< /Subtype /CIDFontType0 /FontDescriptor {fd} 0 R "
                               "/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) >> >>")
        doc.update_object(font, f"<< /Subtype /Type0 /Encoding /90ms-RKSJ-H "
                                f"/DescendantFonts [{cid} 0 R] >>")
    else:
        doc.update_object(font, f"<< /Subtype /{subtype} /BaseFont /X /FirstChar 0 "
                                f"/Widths [1 2 3] /FontDescriptor {fd} 0 R >>")
    loaded = FontLoader(PdfObjects(doc)).load(Ref(font, 0))
    glyphs = loaded.chars_to_glyphs(bytes(range(256)))
    assert loaded.is_error or len(glyphs) >= 128
    assert loaded.space_width >= 0 or math.isnan(loaded.space_width)


def test_shared_corpus_is_optional() -> None:
    """The corpus tests skip with a reason (never fail) when ../shared is absent."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared absent")
    assert len(CORPUS_ORACLES) == 20


# --- Type 1 reading shortcuts agree with the plain reading --------------------------------------

def test_type1_token_regex_agrees_with_the_character_loop():
    import random

    from tether.textmodel.pdfjs211.type1_lexer import Type1Tokenizer

    rnd = random.Random(7)
    alphabet = [b" ", b"\t", b"\r", b"\n", b"%", b"/", b"[", b"]", b"{", b"}", b"(", b")", b"a",
                b"1", b"dup", b"\x00", b"\xff", b"\x0c", b"def", b"%x\r", b"%y\n"]
    for _ in range(3000):
        data = b"".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 20)))
        fast, slow = Type1Tokenizer(data), Type1Tokenizer(data)
        for _ in range(20):
            r = rnd.random()
            if r < 0.7:
                a, b = fast.token(), slow._token_slow()
            elif r < 0.85:
                a, b = fast.next_char(), slow.next_char()
            else:
                k = rnd.randrange(4)
                a, b = fast.get_bytes(k), slow.get_bytes(k)
            assert (a, fast.pos, fast.ch) == (b, slow.pos, slow.ch), data


def test_type1_width_from_a_decrypted_prefix_equals_the_full_reading():
    import random

    from tether.textmodel.pdfjs211.type1 import _charstring_width, _glyph_width, _Subrs
    from tether.textmodel.pdfjs211.type1_lexer import CHARSTRING_KEY, decrypt

    rnd = random.Random(11)
    subrs = _Subrs({0: (bytes([139, 139, 13]), 0), 1: (bytes([11]), 0)})
    for _ in range(3000):
        raw = bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 60)))
        len_iv = rnd.choice([-1, 0, 4, 4, 4])
        full = raw if len_iv == -1 else decrypt(raw, CHARSTRING_KEY, len_iv)
        try:
            want: object = _charstring_width(full, subrs)
        except Exception as exc:  # noqa: BLE001 - the same failure is expected
            want = type(exc)
        try:
            got: object = _glyph_width(raw, len_iv, subrs)
        except Exception as exc:  # noqa: BLE001
            got = type(exc)
        assert repr(got) == repr(want), (raw, len_iv)
