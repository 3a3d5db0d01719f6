"""Build ``fixtures/fonts/synthetic-fonts.pdf``: one page per font case that exercises a
PDF.js 2.11 font rule (standard-14 metrics, Differences heuristics, symbolic defaults,
ToUnicode + fallback, Type 3 char boxes, CID widths / vertical metrics, embedded CMaps,
embedded Type 1 and CFF programs with built-in encodings and non-default FontMatrix, and
fonts PDF.js rejects). Each page shows every code of its font once.

The expected values come from PDF.js itself: ``node scripts/pdfjs_font_oracle.js PDF`` →
``fixtures/fonts/synthetic-fonts.pdfjs-fonts.json``. Neither script is needed by the tests.
Needs fontTools (for the CFF program) — not a project dependency.

Usage: python scripts/make_font_fixture.py fixtures/fonts/synthetic-fonts.pdf
"""

from __future__ import annotations

import io
import sys

import pymupdf

# --- Type 1 program ---------------------------------------------------------------------------

def _encrypt(plain: bytes, key: int) -> bytes:
    r = key
    out = bytearray()
    for p in plain:
        c = p ^ (r >> 8)
        out.append(c)
        r = ((c + r) * 52845 + 22719) & 0xFFFF
    return bytes(out)


def _t1num(v: int) -> bytes:
    if -107 <= v <= 107:
        return bytes([v + 139])
    if 108 <= v <= 1131:
        v -= 108
        return bytes([247 + (v >> 8), v & 0xFF])
    if -1131 <= v <= -108:
        v = -v - 108
        return bytes([251 + (v >> 8), v & 0xFF])
    return b"\xff" + v.to_bytes(4, "big", signed=True)


def _charstring(width: int) -> bytes:
    return _encrypt(b"\0\0\0\0" + _t1num(0) + _t1num(width) + b"\x0d\x0e", 4330)


def type1_program(encoding_lines: str, matrix: str,
                  glyphs: dict[str, int]) -> tuple[bytes, int, int]:
    """A minimal Type 1 font: (data, Length1, Length2)."""
    clear = (
        "%!PS-AdobeFont-1.0: TestT1 001.000\n11 dict begin\n/FontName /TestT1 def\n"
        "/PaintType 0 def\n/FontType 1 def\n"
        f"/FontMatrix [{matrix}] readonly def\n{encoding_lines}\n"
        "/FontBBox {0 -100 500 700} readonly def\ncurrentdict end\ncurrentfile eexec\n"
    ).encode()
    body = bytearray(
        b"dup /Private 8 dict dup begin\n"
        b"/RD{string currentfile exch readstring pop}executeonly def\n"
        b"/ND{noaccess def}executeonly def\n/NP{noaccess put}executeonly def\n/lenIV 4 def\n"
        b"/BlueValues [] def\n/MinFeature{16 16}def\n/password 5839 def\n"
        b"/Subrs 1 array\n")
    sub = _encrypt(b"\0\0\0\0\x0b", 4330)
    body += b"dup 0 %d RD " % len(sub) + sub + b" NP\nND\n"
    body += b"2 index /CharStrings %d dict dup begin\n" % len(glyphs)
    for name, width in glyphs.items():
        cs = _charstring(width)
        body += b"/%s %d RD " % (name.encode(), len(cs)) + cs + b" ND\n"
    body += b"end\nend\nreadonly put\nnoaccess put\ndup/FontName get exch definefont pop\n"
    body += b"mark currentfile closefile\n"
    enc = _encrypt(b"\0\0\0\0" + bytes(body), 55665)
    return clear + enc, len(clear), len(enc)


# --- CFF program (fontTools) -------------------------------------------------------------------

def cff_program(custom_encoding: dict[int, str] | None, upm: int) -> tuple[bytes, bytes]:
    """(bare CFF, OpenType/OTTO) programs with glyphs A B space fi C5 and the given encoding."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.ttLib import TTFont

    order = [".notdef", "A", "B", "space", "fi", "C5", "uni263A"]
    widths = {".notdef": 500, "A": 600, "B": 620, "space": 250, "fi": 560, "C5": 700,
              "uni263A": 800}
    fb = FontBuilder(upm, isTTF=False)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({65: "A", 66: "B", 32: "space", 0xFB01: "fi", 0x263A: "uni263A"})
    charstrings = {}
    for g in order:
        pen = T2CharStringPen(widths[g] * upm // 1000, None)
        charstrings[g] = pen.getCharString()
    fb.setupCFF("TestCFF", {"FullName": "TestCFF"}, charstrings, {})
    fb.setupHorizontalMetrics({g: (widths[g] * upm // 1000, 0) for g in order})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "TestCFF", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    top = fb.font["CFF "].cff.topDictIndex[0]
    if upm != 1000:
        top.FontMatrix = [1 / upm, 0, 0, 1 / upm, 0, 0]
    if custom_encoding is not None:
        enc = [".notdef"] * 256
        for code, name in custom_encoding.items():
            enc[code] = name
        top.Encoding = enc
    fb.font["head"].created = fb.font["head"].modified = 0  # reproducible bytes
    fb.font.recalcTimestamp = False
    buf = io.BytesIO()
    fb.font.save(buf)
    otf = buf.getvalue()
    return TTFont(io.BytesIO(otf)).reader["CFF "], otf


# --- the document ---------------------------------------------------------------------------------

class Builder:
    def __init__(self) -> None:
        self.doc = pymupdf.open()

    def obj(self, source: str) -> int:
        x = self.doc.get_new_xref()
        self.doc.update_object(x, source)
        return x

    def stream(self, source: str, data: bytes, compress: bool = True) -> int:
        x = self.obj(source)
        self.doc.update_stream(x, data, new=True, compress=compress)
        return x

    def page(self, font_source: str | int, strings: list[bytes], size: float = 10) -> None:
        font = font_source if isinstance(font_source, int) else self.obj(font_source)
        page = self.doc.new_page(width=612, height=792)
        ops = [b"BT", b"/F1 %g Tf" % size, b"20 700 Td"]
        for s in strings:
            ops.append(b"<" + s.hex().encode() + b"> Tj 0 -14 Td")
        ops.append(b"ET")
        content = self.stream("<< >>", b"\n".join(ops))
        self.doc.update_object(page.xref, (
            f"<< /Type /Page /Parent {self.doc.xref_get_key(page.xref, 'Parent')[1]} "
            f"/MediaBox [0 0 612 792] /Contents {content} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>"))


ALL_BYTES = [bytes(range(i, min(i + 32, 256))) for i in range(0, 256, 32)]


def build(path: str) -> None:
    b = Builder()
    simple_cases = [
        # standard-14 without a descriptor: AFM widths, WinAnsi / Standard / Symbol encodings
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Bold >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding << /Differences "
        "[65 /foo /uni00E9 /u1F600 /g41 /G42 /C67 /c68 /Cx1 /.notdef /uniabcd /zero] >> >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Symbol >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats >>",
        "<< /Type /Font /Subtype /TrueType /BaseFont /Arial,BoldItalic >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /MyOwnSerif-Regular /FirstChar 60 "
        "/Widths [500 0 510 null 520] >>",
        # Cdd names: decimal until one is not, then hex for the whole font
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding "
        "/MacRomanEncoding /Differences [65 /C65 /C66 /C1A /G20 /g0041] >> >>",
    ]
    for src in simple_cases:
        b.page(src, ALL_BYTES)
    # descriptors without font files (non-embedded)
    for flags, enc, name in ((32, "", "Arial,Bold"), (4, "", "SomeSymbolFont"),
                             (4, "/Encoding /WinAnsiEncoding", "Wingdings-Regular"),
                             (6, "/Encoding << /Differences [40 /space /minus] >>", "Georgia")):
        fd = b.obj(f"<< /Type /FontDescriptor /FontName /{name} /Flags {flags} "
                   "/FontBBox [0 -200 1000 900] /MissingWidth 333 >>")
        b.page(f"<< /Type /Font /Subtype /TrueType /BaseFont /{name} {enc} /FirstChar 32 "
               f"/LastChar 126 /Widths [{' '.join(str(200 + 5 * i) for i in range(80))}] "
               f"/FontDescriptor {fd} 0 R >>", ALL_BYTES)
    # ToUnicode with a partial map + an /Encoding: fallbackToUnicode fills the gaps
    tu = b.stream("<< >>", b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Test-UCS def 1 begincodespacerange <00> <FF> endcodespacerange
3 beginbfchar <41> <0058> <42> <D835DC65> <43> <> endbfchar
2 beginbfrange <50> <52> <00660066> <60> <62> [<0031> <0032> /bad] endbfrange
endcmap end end""")
    fd = b.obj("<< /Type /FontDescriptor /FontName /Verdana /Flags 32 /FontBBox [0 0 1 1] >>")
    b.page(f"<< /Type /Font /Subtype /TrueType /BaseFont /Verdana /Encoding << /Differences "
           f"[66 /emdash 68 /ellipsis] >> /ToUnicode {tu} 0 R /FontDescriptor {fd} 0 R >>",
           ALL_BYTES)
    b.page(f"<< /Type /Font /Subtype /TrueType /BaseFont /Verdana /ToUnicode {tu} 0 R "
           f"/FontDescriptor {fd} 0 R >>", ALL_BYTES)
    # Type 3: empty FontBBox → union of d1 boxes; FontMatrix 0.01; widths in glyph space
    procs = [b.stream("<< >>", f"{w} 0 {x0} -5 {x1} 70 d1 0 0 m 10 10 l f".encode())
             for w, x0, x1 in ((50, 2, 40), (60, -3, 55), (30, 0, 20))]
    b.page(f"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 0 0] /FontMatrix [0.01 0 0 0.01 0 0] "
           f"/CharProcs << /a {procs[0]} 0 R /b {procs[1]} 0 R /space {procs[2]} 0 R >> "
           f"/Encoding << /Type /Encoding /Differences [32 /space 97 /a /b] >> /FirstChar 32 "
           f"/LastChar 98 /Widths [30 {' '.join(['0'] * 64)} 50 60] /ToUnicode {tu} 0 R >>",
           ALL_BYTES)
    b.page(f"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 100 100] /FontMatrix [0.001 0 0 "
           f"0.001 0 0] /CharProcs << /a {procs[0]} 0 R >> /Encoding << /Differences [97 /a] >> "
           f"/FirstChar 97 /LastChar 97 /Widths [500] >>", ALL_BYTES)
    # composite fonts
    cid_codes = [bytes.fromhex("0000002000410042004300ff01000102ffff0031")]
    fd = b.obj("<< /Type /FontDescriptor /FontName /CIDTest /Flags 4 /FontBBox [0 0 1 1] >>")
    tu2 = b.stream("<< >>", b"""begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfrange <0041> <0043> <0061> <0100> <0102> [<4E00> <D83DDE00> <0041030A>] endbfrange
endcmap""")
    for extra in ("/W [32 [250] 65 67 600 255 [700 710]] /DW 900",
                  "/W [49 [0] 105 [0]] /DW 777",
                  "/W [32 [0 0] 65 [650]]"):
        d = b.obj(f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /CIDTest /CIDSystemInfo "
                  f"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                  f"/FontDescriptor {fd} 0 R {extra} >>")
        b.page(f"<< /Type /Font /Subtype /Type0 /BaseFont /CIDTest /Encoding /Identity-H "
               f"/DescendantFonts [{d} 0 R] /ToUnicode {tu2} 0 R >>", cid_codes)
    d = b.obj(f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /CIDTest /CIDSystemInfo "
              f"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
              f"/FontDescriptor {fd} 0 R /W [65 [500 510]] /DW 1000 /DW2 [900 -1000] "
              f"/W2 [65 [-900 250 880] 66 70 -800 300 870] >>")
    b.page(f"<< /Type /Font /Subtype /Type0 /BaseFont /CIDTest /Encoding /Identity-V "
           f"/DescendantFonts [{d} 0 R] /ToUnicode {tu2} 0 R >>", cid_codes)
    # embedded encoding CMap: 1-byte 00-7F, 2-byte 8000-FFFF; no ToUnicode → identity map
    cm = b.stream("<< /Type /CMap /CMapName /Test-H >>", b"""begincmap /CMapName /Test-H def
2 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange
2 begincidrange <20> <7F> 1 <8000> <80FF> 200 endcidrange
1 begincidchar <8141> 5000 endcidchar endcmap""")
    d = b.obj(f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /CIDTest /CIDSystemInfo "
              f"<< /Registry (Test) /Ordering (Test) /Supplement 0 >> /FontDescriptor {fd} 0 R "
              f"/W [1 [300] 34 [444] 200 210 555 5000 [999]] >>")
    b.page(f"<< /Type /Font /Subtype /Type0 /BaseFont /CIDTest /Encoding {cm} 0 R "
           f"/DescendantFonts [{d} 0 R] >>", [b" AB\x80\x00\x80\x05\x81\x41\x7f\x90"])
    # predefined CJK CMaps: code → CID through the CMap, CID → Unicode through <ordering>-UCS2
    sjis = [bytes.fromhex("82a041828ba082a2ff20") + "日本".encode("cp932")]
    for enc, ordering, extra, codes in (
            ("/90ms-RKSJ-H", "Japan1", "/W [843 [555] 1 100 333]", sjis),
            ("/Identity-H", "GB1", "/W [34 [600]] /DW 950", cid_codes),
            ("/UniJIS-UCS2-V", "Japan1", "/W2 [843 [-900 400 880]]",
             ["あいA".encode("utf-16-be")]),
            ("/GBK-EUC-H", "GB1", "", ["中文AB".encode("gbk")]),
            ("/Bogus-H", "Japan1", "", cid_codes)):
        d = b.obj(f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /MS-Mincho /CIDSystemInfo "
                  f"<< /Registry (Adobe) /Ordering ({ordering}) /Supplement 2 >> "
                  f"/FontDescriptor {fd} 0 R {extra} >>")
        b.page(f"<< /Type /Font /Subtype /Type0 /BaseFont /MS-Mincho /Encoding {enc} "
               f"/DescendantFonts [{d} 0 R] >>", codes)
    cm = b.stream("<< /Type /CMap >>", b"""/90ms-RKSJ-H usecmap begincmap
1 begincidchar <82a0> 9999 endcidchar endcmap""")
    d = b.obj(f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /MS-Mincho /CIDSystemInfo "
              f"<< /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /FontDescriptor {fd} 0 R "
              f"/W [9999 [123]] >>")
    b.page(f"<< /Type /Font /Subtype /Type0 /BaseFont /MS-Mincho /Encoding {cm} 0 R "
           f"/DescendantFonts [{d} 0 R] /ToUnicode /Identity-H >>", sjis)
    # non-embedded CIDFontType2 with standard(-mapped) names: fallbackToSystemFont rebuilds
    # the ToUnicode map from the standard glyph map (Arial only without standard font data)
    gid_map = b.stream("<< >>", bytes.fromhex("0000 0003 0024 0000 0025 0026 0000 0044"))
    tu3 = b.stream("<< >>", b"""begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange
4 beginbfchar <0002> <0041> <0003> <00660069> <0004> <> <0024> <0020> endbfchar endcmap""")
    codes = [bytes(range(0, 12)) + bytes.fromhex("0020002400440046ffff")]
    for name, extra in (("Calibri", f"/CIDToGIDMap {gid_map} 0 R"), ("Calibri-Bold", ""),
                        ("Arial", f"/CIDToGIDMap {gid_map} 0 R"), ("ArialBlack", "")):
        fd2 = b.obj(f"<< /Type /FontDescriptor /FontName /{name} /Flags 32 "
                    f"/FontBBox [0 0 1 1] >>")
        d = b.obj(f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo "
                  f"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                  f"/FontDescriptor {fd2} 0 R /W [3 [226]] {extra} >>")
        tu_entry = f"/ToUnicode {tu3} 0 R" if name != "Calibri-Bold" else ""
        b.page(f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H "
               f"/DescendantFonts [{d} 0 R] {tu_entry} >>", codes)
    # fonts PDF.js rejects (ErrorFont): no CIDSystemInfo/ToUnicode; bad Differences; bad Subtype
    d = b.obj(f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /CIDTest "
              f"/FontDescriptor {fd} 0 R >>")
    b.page(f"<< /Type /Font /Subtype /Type0 /BaseFont /CIDTest /Encoding /Identity-H "
           f"/DescendantFonts [{d} 0 R] >>", cid_codes)
    b.page("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences "
           "[65 /A (B)] >> >>", ALL_BYTES)
    b.page("<< /Type /Font /Subtype (Type1) /BaseFont /Helvetica >>", ALL_BYTES)
    # embedded Type 1: built-in encoding, FontMatrix 0.002, widths filled from charstrings
    enc = ("/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n"
           "dup 65 /A put\ndup 66 /B put\ndup 67 /uni00C9 put\ndup 32 /space put\n"
           "dup 200 /fi put\ndup 201 /A put\nreadonly def")
    glyphs = {".notdef": 0, "A": 300, "B": 310, "uni00C9": 320, "space": 125, "fi": 280}
    for flags, pdf_enc, widths in ((4, "", "/FirstChar 32 /LastChar 201 /Widths [250]"),
                                   (32, "/Encoding << /Differences [66 /Z] >>",
                                    "/FirstChar 60 /LastChar 70 /Widths [1 2 3 4 5 6 7]"),
                                   (4, "/Encoding /WinAnsiEncoding", "")):
        prog, l1, l2 = type1_program(enc, "0.002 0 0 0.002 0 0", glyphs)
        ff = b.stream(f"<< /Length1 {l1} /Length2 {l2} /Length3 0 >>", prog)
        fd = b.obj(f"<< /Type /FontDescriptor /FontName /TestT1 /Flags {flags} "
                   f"/FontBBox [0 -100 500 700] /FontFile {ff} 0 R >>")
        b.page(f"<< /Type /Font /Subtype /Type1 /BaseFont /TestT1 {pdf_enc} {widths} "
               f"/FontDescriptor {fd} 0 R >>", ALL_BYTES)
    prog, l1, l2 = type1_program("/Encoding StandardEncoding def", "0.001 0 0 0.001 0 0", glyphs)
    for flags in (32, 4):
        ff = b.stream(f"<< /Length1 {l1 + 7} /Length2 {l2} /Length3 0 >>", prog)  # bad Length1
        fd = b.obj(f"<< /Type /FontDescriptor /FontName /TestT1 /Flags {flags} "
                   f"/FontBBox [0 -100 500 700] /FontFile {ff} 0 R >>")
        b.page(f"<< /Type /Font /Subtype /Type1 /BaseFont /TestT1 /FirstChar 65 /LastChar 66 "
               f"/Widths [400 410] /FontDescriptor {fd} 0 R >>", ALL_BYTES)
    # embedded CFF (bare Type1C and OpenType), custom and standard encodings, FontMatrix 1/2000
    for custom, upm, sub in (({65: "B", 66: "A", 67: "fi", 68: "C5", 69: "uni263A"}, 2000,
                              "Type1C"),
                             (None, 1000, "Type1C"), ({70: "A", 71: "space"}, 1000, "OpenType")):
        cff, otf = cff_program(custom, upm)
        data = otf if sub == "OpenType" else cff
        ff = b.stream(f"<< /Subtype /{sub} >>", data)
        fd = b.obj(f"<< /Type /FontDescriptor /FontName /TestCFF /Flags 4 "
                   f"/FontBBox [0 0 1 1] /FontFile3 {ff} 0 R >>")
        b.page(f"<< /Type /Font /Subtype /Type1 /BaseFont /TestCFF /FirstChar 60 /LastChar 72 "
               f"/Widths [{' '.join(str(100 + 10 * i) for i in range(13))}] "
               f"/FontDescriptor {fd} 0 R >>", ALL_BYTES)
    # damaged font programs: PDF.js parses what it can or falls back to a system font
    garbage = [b"", b"%!PS-AdobeFont-1.0\n/Encoding 256 array dup 65 /A", b"\x80\x01\xff\xff",
               b"\x01\x00\x04\x02" + bytes(range(256)) * 3, b"OTTO" + bytes(60),
               b"\x00\x01\x00\x00garbage", bytes(range(256))[::-1] * 4]
    for prog in garbage:
        for key, subtype in (("FontFile", "Type1"), ("FontFile3", "Type1"),
                             ("FontFile2", "TrueType"), ("FontFile3", "Type0")):
            ff = b.stream("<< /Length1 7 /Length2 100 /Subtype /Type1C >>", prog)
            fd = b.obj(f"<< /Type /FontDescriptor /FontName /X /Flags 4 /{key} {ff} 0 R >>")
            if subtype == "Type0":
                d = b.obj(f"<< /Type /Font /Subtype /CIDFontType0 /FontDescriptor {fd} 0 R "
                          f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) >> >>")
                b.page(f"<< /Type /Font /Subtype /Type0 /Encoding /90ms-RKSJ-H "
                       f"/DescendantFonts [{d} 0 R] >>", ALL_BYTES)
            else:
                b.page(f"<< /Type /Font /Subtype /{subtype} /BaseFont /X /FirstChar 0 "
                       f"/Widths [1 2 3] /FontDescriptor {fd} 0 R >>", ALL_BYTES)
    b.doc.save(path, garbage=0, deflate=True, no_new_id=True)


if __name__ == "__main__":
    build(sys.argv[1] if len(sys.argv) > 1 else "fixtures/fonts/synthetic-fonts.pdf")
