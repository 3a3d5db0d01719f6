#!/usr/bin/env python3
"""Make the small synthetic PDFs of ``fixtures/synthetic/`` and their PDF.js 2.11 page texts.

Each PDF isolates one thing PDF.js 2.11's text extraction does (see fixtures/README.md):
ligatures, hyphenated line ends, two columns, rotation, non-BMP math letters, CJK, empty and
image-only pages, word/char spacing and kerning (raw content streams), text in form XObjects.
Then ``node hypo.mjs pages F.pdf`` writes ``<name>.pdfjs-pages.json`` beside each PDF (the shared
corpus's format). Output is deterministic: fixed metadata, no /ID, deterministic font subsets.

PyMuPDF writes a ToUnicode CMap that PDF.js misreads for non-BMP characters (5-digit hex such as
``<1d465>`` instead of a UTF-16 pair) and for ``bfrange`` entries whose destination crosses a
256 boundary (CJK came out shifted by U+0100), so every embedded Type0 font here gets a rewritten
ToUnicode listing just the glyphs used.

Usage: ``python scripts/make_synthetic_pdfs.py [--oracle DIR] [--no-pages]`` (``--oracle``
defaults to $TETHER_ORACLE or /tmp/oracle). Needs the DejaVu fonts (Debian: fonts-dejavu-core for
DejaVu Serif, fonts-dejavu-extra for DejaVu Math TeX Gyre); CJK uses PyMuPDF's built-in Droid Sans
Fallback (Apache-2.0).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures" / "synthetic"
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
             "/usr/local/share/fonts", str(Path.home() / ".fonts"))
FONT_FILES = {"serif": ("DejaVuSerif.ttf", "fonts-dejavu-core"),
              "math": ("DejaVuMathTeXGyre.ttf", "fonts-dejavu-extra")}
DATE = "D:20240101000000Z"
W, H = 420, 300  # page size in points: small pages keep the files small


def font_path(key: str) -> str:
    """The font file for `key`, or exit with what to install."""
    name, package = FONT_FILES[key]
    env = os.environ.get("TETHER_FONT_DIR")
    for d in ((env,) if env else ()) + FONT_DIRS:
        p = Path(d) / name
        if p.is_file():
            return str(p)
    sys.exit(f"error: font {name} not found in {FONT_DIRS} (install the Debian package {package}, "
             f"or set TETHER_FONT_DIR to a folder holding it)")


class Fonts:
    """Embedded fonts and the glyphs used per font, for a correct ToUnicode afterwards."""

    def __init__(self) -> None:
        self.files: dict[str, pymupdf.Font] = {}
        self.used: dict[str, dict[int, str]] = {}

    def put(self, page: pymupdf.Page, point: tuple[float, float], text: str, name: str,
            size: float = 11, **kw: object) -> None:
        """insert_text with the embedded font `name` ('serif', 'math' or 'cjk')."""
        if name not in self.files:
            self.files[name] = (pymupdf.Font("cjk") if name == "cjk"
                                else pymupdf.Font(fontfile=font_path(name)))
        font = self.files[name]
        if name not in {f[4] for f in page.get_fonts()}:
            if name == "cjk":
                page.insert_font(fontname=name, fontbuffer=font.buffer)
            else:
                page.insert_font(fontname=name, fontfile=font_path(name))
        used = self.used.setdefault(name, {})
        for ch in text:
            gid = font.has_glyph(ord(ch))
            if not gid:
                sys.exit(f"error: font {name} has no glyph for U+{ord(ch):04X}")
            used[gid] = ch
        page.insert_text(point, text, fontname=name, fontsize=size, **kw)

    def fix_tounicode(self, doc: pymupdf.Document) -> None:
        """Replace the ToUnicode of our Type0 fonts by bfchar entries (UTF-16BE) for used glyphs."""
        done = set()
        for pno in range(doc.page_count):
            for xref, _ext, _type, _base, name, _enc in doc.get_page_fonts(pno):
                if name not in self.used or xref in done:
                    continue
                done.add(xref)
                kind, val = doc.xref_get_key(xref, "ToUnicode")
                assert kind == "xref", (name, kind)
                doc.update_stream(int(val.split()[0]), tounicode(self.used[name]))


def tounicode(used: dict[int, str]) -> bytes:
    items = sorted(used.items())
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    for k in range(0, len(items), 100):
        chunk = items[k:k + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{gid:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for gid, ch in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def wrap(text: str, width: float, size: float, fontname: str = "tiro",
         hyphenate: bool = False) -> list[str]:
    """Greedy wrap to `width` points; with `hyphenate`, split long words with '-' at line ends."""
    def fits(s: str) -> bool:
        return pymupdf.get_text_length(s, fontname=fontname, fontsize=size) <= width

    lines, cur = [], ""
    for word in text.split():
        cand = f"{cur} {word}".strip()
        if fits(cand):
            cur = cand
            continue
        if hyphenate and len(word) >= 7:
            for cut in range(len(word) - 3, 2, -1):
                head = f"{cur} {word[:cut]}-".strip()
                if fits(head):
                    lines.append(head)
                    cur = word[cut:]
                    break
            else:
                lines.append(cur)
                cur = word
        else:
            lines.append(cur)
            cur = word
    return [*lines, cur] if cur else lines


def column(page: pymupdf.Page, x: float, y: float, lines: list[str], size: float = 10,
           fontname: str = "tiro", lead: float = 13) -> float:
    for line in lines:
        page.insert_text((x, y), line, fontname=fontname, fontsize=size)
        y += lead
    return y


PROSE = (
    "Annotations must survive a new version of the document. A reader who highlighted a "
    "definition expects the highlight to return to the same words, even after the authors "
    "reworded the paragraph around it or moved it to another section."
)
PROSE2 = (
    "Positions are fragile: a single inserted character shifts every later offset. Quotes are "
    "sturdier, but a short quote may occur several times, and the surrounding context decides."
)


# ---------------------------------------------------------------- the PDFs
def ligatures(doc: pymupdf.Document, fonts: Fonts) -> None:
    page = doc.new_page(width=W, height=H)
    y = 40
    for line in ("The ﬁrst ﬂoor of the oﬃce had ﬀ, ﬃ and ﬄ ligature glyphs:",
                 "ﬁnal, ﬂow, eﬀort, diﬃcult, baﬄe, ﬁeld-speciﬁc.",
                 "Also ĳ (ij) and the long s in ſtate, normalised by PDF.js."):
        fonts.put(page, (30, y), line, "serif", 11)
        y += 20
    page.insert_text((30, y), "Base-14 Times with /Differences (fi, fl, ff glyph names):",
                     fontname="tiro", fontsize=10)
    # A simple Type1 font whose /Differences put the glyphs /fi /fl /ff at codes 128..130.
    fx = doc.get_new_xref()
    doc.update_object(fx, "<</Type/Font/Subtype/Type1/BaseFont/Times-Roman/Encoding<</Type"
                          "/Encoding/BaseEncoding/WinAnsiEncoding/Differences[128/fi/fl/ff]>>>>")
    res = int(doc.xref_get_key(page.xref, "Resources")[1].split()[0])
    doc.xref_set_key(res, "Font/TiLig", f"{fx} 0 R")
    stream = (b"\nq BT /TiLig 12 Tf 30 " + str(H - y - 20).encode()
              + b" Td (The \\200rst \\201ow of e\\202ort) Tj ET Q\n")
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    doc.update_stream(xref, stream)
    contents = page.get_contents()
    doc.xref_set_key(page.xref, "Contents", "[" + " ".join(f"{c} 0 R" for c in
                                                           [*contents, xref]) + "]")


def hyphenation(doc: pymupdf.Document, fonts: Fonts) -> None:
    page = doc.new_page(width=W, height=H)
    y = column(page, 30, 40, wrap(PROSE + " " + PROSE2, 190, 10, hyphenate=True))
    ends = ["A compound at a line end: well-", "known; a soft hyphen: anno\xad",
            "tation; a range 1990-", "2000 (plain hyphen)."]
    column(page, 30, y + 10, ends)


def two_columns(doc: pymupdf.Document, fonts: Fonts) -> None:
    for pno in range(2):
        page = doc.new_page(width=W, height=H)
        page.insert_text((30, 24), f"Running header, page {pno + 1}", fontname="helv", fontsize=7)
        texts = (PROSE, PROSE2) if pno == 0 else (PROSE2, PROSE)
        for col, text in enumerate(texts):
            column(page, 30 + col * 190, 50, wrap(text, 170, 9.5, hyphenate=True), size=9.5,
                   lead=12)
        page.insert_text((W / 2, H - 20), str(pno + 1), fontname="helv", fontsize=7)


def rotated(doc: pymupdf.Document, fonts: Fonts) -> None:
    page = doc.new_page(width=W, height=H)
    column(page, 30, 40, wrap("This page has /Rotate 90: the viewer shows it turned, the text is "
                              "drawn upright in page space. " + PROSE2, 340, 10))
    page.set_rotation(90)
    page = doc.new_page(width=W, height=H)
    page.insert_text((30, 40), "Upright line before the rotated ones.", fontname="helv",
                     fontsize=10)
    page.insert_text((60, 260), "rotated ninety", fontname="helv", fontsize=10, rotate=90)
    page.insert_text((300, 120), "rotated one-eighty", fontname="helv", fontsize=10, rotate=180)
    page.insert_text((360, 60), "rotated two-seventy", fontname="helv", fontsize=10, rotate=270)
    pivot = pymupdf.Point(140, 200)
    page.insert_text(pivot, "tilted by thirty degrees", fontname="helv", fontsize=10,
                     morph=(pivot, pymupdf.Matrix(-30)))
    page.insert_text((30, 280), "Upright line after.", fontname="helv", fontsize=10)


def math_nonbmp(doc: pymupdf.Document, fonts: Fonts) -> None:
    page = doc.new_page(width=W, height=H)
    page.insert_text((30, 40), "Math italic letters outside the BMP (2 UTF-16 units each):",
                     fontname="helv", fontsize=10)
    y = 70
    for line in ("Let 𝑥 ∈ ℝ and 𝑓(𝑥) = 𝛼𝑥 + 𝛽 for all 𝑥.",
                 "Bold 𝐀, double-struck 𝔸, fraktur 𝔄, indicator 𝟙.",
                 "Sum ∑ 𝑦 = 𝑧 ends the line."):
        fonts.put(page, (30, y), line, "math", 12)
        y += 24
    page.insert_text((30, y + 10), "A plain line after the math.", fontname="helv", fontsize=10)


def cjk(doc: pymupdf.Document, fonts: Fonts) -> None:
    page = doc.new_page(width=W, height=H)
    y = 40
    for line in ("中文文本測試：註解必須跟隨文字。", "日本語のテキスト、ひらがなとカタカナ。",
                 "한국어 텍스트도 있습니다.", "Mixed 混合 text 文字 line."):
        fonts.put(page, (30, y), line, "cjk", 12)
        y += 24
    page.insert_text((30, y + 6), "Not embedded (Adobe-GB1 CMap):", fontname="helv", fontsize=9)
    page.insert_text((30, y + 28), "简体中文的注释锚点", fontname="china-s", fontsize=12)


def empty_and_image(doc: pymupdf.Document, fonts: Fonts) -> None:
    page = doc.new_page(width=W, height=H)
    column(page, 30, 40, wrap("Page 1 has text. Page 2 is empty, page 3 is a picture of text "
                              "with no text layer, page 4 has text again.", 340, 10))
    doc.new_page(width=W, height=H)  # empty page: no content at all
    scan = pymupdf.open()
    sp = scan.new_page(width=W, height=H)
    column(sp, 30, 40, wrap("This paragraph is only pixels: " + PROSE, 340, 10))
    pix = sp.get_pixmap(dpi=60, colorspace=pymupdf.csGRAY)
    page = doc.new_page(width=W, height=H)
    page.insert_image(page.rect, stream=pix.tobytes("png"))
    page = doc.new_page(width=W, height=H)
    column(page, 30, 40, wrap("Page 4: " + PROSE2, 340, 10))


def spacing(doc: pymupdf.Document, fonts: Fonts) -> None:
    """Raw content: Tw, Tc, TJ kerning, Tz, Ts, TL/T*/'/\", Td gaps (Helvetica, base 14)."""
    page = doc.new_page(width=W, height=H)
    page.insert_text((0, 0), " ", fontname="helv", fontsize=1)  # creates the /helv resource
    ops = [
        "BT /helv 11 Tf 20 275 Td (Plain line with single spaces.) Tj ET",
        "BT /helv 11 Tf 20 258 Td 3 Tw (Word spacing Tw 3 widens these gaps.) Tj 0 Tw ET",
        "BT /helv 11 Tf 20 241 Td 6 Tw (Tw 6 after  a double space.) Tj 0 Tw ET",
        "BT /helv 11 Tf 20 224 Td 1.2 Tc (Char spacing Tc 1.2) Tj 0 Tc ET",
        "BT /helv 11 Tf 20 207 Td 3.2 Tc (W i d e) Tj 0 Tc ET",
        "BT /helv 11 Tf 20 190 Td [(Kern)-100(ed)-200(by)-300(TJ)-450(numbers)-1200(far)] TJ ET",
        "BT /helv 11 Tf 20 173 Td [(Tiny)-40(gaps)-60(stay)-80(joined)] TJ ET",
        "BT /helv 11 Tf 20 156 Td [(Tight)150(ened)80( by positive kerning)] TJ ET",
        "BT /helv 11 Tf 20 139 Td 140 Tz (Horizontal scaling Tz 140) Tj 100 Tz ET",
        "BT /helv 11 Tf 20 122 Td (Rise: base) Tj 4 Ts (super) Tj -3 Ts (sub) Tj 0 Ts (back) Tj ET",
        "BT /helv 11 Tf 13 TL 20 102 Td (Line one) Tj T* (line two by T*) Tj "
        "(line three by quote) ' 2 0.5 (line four by double quote) \" ET",
        "BT /helv 11 Tf 20 40 Td (Moved) Tj 50 0 Td (by Td) Tj 4 0 Td (near) Tj ET",
        "BT /helv 11 Tf 20 22 Td (Next word via Tm:) Tj 1 0 0 1 120 22 Tm (here) Tj ET",
    ]
    xref = page.get_contents()[0]
    doc.update_stream(xref, ("\n".join(ops) + "\n").encode("latin-1"))


def form_xobject(doc: pymupdf.Document, fonts: Fonts) -> None:
    src = pymupdf.open()
    sp = src.new_page(width=200, height=100)
    column(sp, 10, 20, wrap("This text lives in a form XObject. " + PROSE2, 180, 8), size=8,
           lead=10)
    page = doc.new_page(width=W, height=H)
    page.insert_text((30, 30), "Before the form XObject.", fontname="helv", fontsize=10)
    page.show_pdf_page(pymupdf.Rect(30, 45, 230, 145), src, 0)
    page.show_pdf_page(pymupdf.Rect(240, 45, 390, 120), src, 0)
    page.show_pdf_page(pymupdf.Rect(30, 150, 110, 290), src, 0, rotate=90)
    page.insert_text((230, 280), "After the form XObjects.", fontname="helv", fontsize=10)


PDFS: dict[str, Callable[[pymupdf.Document, Fonts], None]] = {
    "ligatures": ligatures,
    "hyphenation": hyphenation,
    "two_columns": two_columns,
    "rotated": rotated,
    "math_nonbmp": math_nonbmp,
    "cjk": cjk,
    "empty_and_image": empty_and_image,
    "spacing": spacing,
    "form_xobject": form_xobject,
}


def build(name: str, fn: Callable[[pymupdf.Document, Fonts], None]) -> Path:
    doc = pymupdf.open()
    fonts = Fonts()
    fn(doc, fonts)
    doc.set_metadata({"title": f"tether synthetic: {name}", "author": "tether", "subject": "",
                      "keywords": "", "creator": "scripts/make_synthetic_pdfs.py",
                      "producer": "PyMuPDF", "creationDate": DATE, "modDate": DATE})
    doc.subset_fonts()
    fonts.fix_tounicode(doc)
    path = OUT / f"{name}.pdf"
    doc.save(path, garbage=4, deflate=True, no_new_id=True)
    return path


def pdfjs_pages(oracle: Path, pdf: Path) -> None:
    """`hypo.mjs pages` output minus `textParams`: the shared corpus's *.pdfjs-pages.json format."""
    proc = subprocess.run(["node", str(oracle / "hypo.mjs"), "pages", str(pdf)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"error: hypo.mjs pages {pdf} failed:\n{proc.stderr}")
    data = json.loads(proc.stdout)
    data.pop("textParams", None)
    out = pdf.with_suffix(".pdfjs-pages.json")
    out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--oracle", type=Path,
                    default=Path(os.environ.get("TETHER_ORACLE", "/tmp/oracle")))
    ap.add_argument("--no-pages", action="store_true", help="write the PDFs only (no Node)")
    args = ap.parse_args()
    if not args.no_pages and not (args.oracle / "hypo.mjs").is_file():
        sys.exit(f"error: no hypo.mjs in {args.oracle} (pass --oracle, or --no-pages)")
    OUT.mkdir(parents=True, exist_ok=True)
    for name, fn in PDFS.items():
        pdf = build(name, fn)
        if not args.no_pages:
            pdfjs_pages(args.oracle, pdf)
        print(f"{pdf.relative_to(ROOT)}: {pdf.stat().st_size} bytes")


if __name__ == "__main__":
    main()
