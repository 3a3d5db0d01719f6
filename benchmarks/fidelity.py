"""Text-model fidelity and extraction speed on the shared corpus.

For each of the 20 corpus PDFs with PDF.js 2.11 page texts (``*.pdfjs-pages.json``), compares
two ways of building the page text with what PDF.js 2.11 itself builds:

- ``naive``: PyMuPDF's spans joined with no separator (``get_text("dict")``), the obvious route;
- ``pdfjs-2.11``: tether's model (content-stream interpreter + PDF.js font semantics).

Figures: share of PDF.js characters at the same document offset, whitespace-insensitive
agreement, pages identical; the strict position check on the real vault annotations (the text
at each stored UTF-16 [start, end) equals its quote); and time as a ratio to the PyMuPDF glyph
extraction floor (``get_text("rawdict")`` of every page, same process, same run).

Run: ``python benchmarks/fidelity.py [--shared ../shared]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pymupdf

from tether.formats import read_note
from tether.locate import resolve_target
from tether.offsets import OffsetUnit
from tether.textmodel.fidelity import compare
from tether.textmodel.load import load_text
from tether.textmodel.model import DocumentText

ROOT = Path(__file__).resolve().parents[1]


def naive_text(pdf: Path) -> DocumentText:
    with pymupdf.open(pdf) as doc:
        pages = []
        for page in doc:
            spans = []
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    spans.extend(span["text"] for span in line["spans"])
            pages.append("".join(spans))
    return DocumentText.from_page_texts(pages, model="naive-pymupdf")


def floor_seconds(pdf: Path) -> float:
    t = time.perf_counter()
    with pymupdf.open(pdf) as doc:
        for page in doc:
            page.get_text("rawdict")
    return time.perf_counter() - t


def position_check(shared: Path, texts: dict[str, DocumentText]) -> tuple[int, int]:
    hits = total = 0
    for prov in sorted((shared / "corpus" / "vaults").glob("*/provenance.json")):
        note_path = prov.parent / json.loads(prov.read_text())["md"]
        note = read_note(note_path)
        doc = texts[str(resolve_target(note_path, note.target))]
        for ann in note.annotations:
            if ann.position is None or ann.quote is None:
                continue
            total += 1
            try:
                s = doc.convert(ann.position.start, OffsetUnit.UTF16, OffsetUnit.CODE_POINT)
                e = doc.convert(ann.position.end, OffsetUnit.UTF16, OffsetUnit.CODE_POINT)
            except ValueError:
                continue
            hits += doc.text[s:e] == ann.quote.exact
    return hits, total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    refs = sorted((args.shared / "corpus").rglob("*.pdfjs-pages.json"))
    if not refs:
        print(f"no corpus at {args.shared}", file=sys.stderr)
        return 2
    ours: dict[str, DocumentText] = {}
    naive: dict[str, DocumentText] = {}
    print("| PDF | pages | chars | naive same-offset | naive ws-insens. | tether same-offset "
          "| tether ws-insens. | pages identical | tether s | floor s | ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    tot = {"chars": 0, "same": 0, "nsame": 0, "t": 0.0, "floor": 0.0}
    for ref_path in refs:
        pdf = ref_path.with_name(ref_path.name.replace(".pdfjs-pages.json", ".pdf"))
        ref = DocumentText.from_pdfjs_pages_json(ref_path.read_text())
        fl = floor_seconds(pdf)
        t = time.perf_counter()
        doc = load_text(pdf, with_boxes=False)
        dt = time.perf_counter() - t
        ours[str(pdf.resolve())] = ours[str(pdf)] = doc
        nv = naive_text(pdf)
        naive[str(pdf.resolve())] = naive[str(pdf)] = nv
        f, g = compare(doc, ref), compare(nv, ref)
        name = str(pdf.relative_to(args.shared / "corpus"))
        name = name if len(name) < 48 else name[:22] + "…" + name[-24:]
        print(f"| {name} | {f.pages} | {f.chars} | {g.same_offset:.1%} | {g.ws_insensitive:.1%} "
              f"| {f.same_offset:.2%} | {f.ws_insensitive:.2%} | {f.pages_equal}/{f.pages} "
              f"| {dt:.2f} | {fl:.2f} | {dt / fl:.1f} |")
        tot["chars"] += f.chars
        tot["same"] += round(f.same_offset * f.chars)
        tot["nsame"] += round(g.same_offset * g.chars)
        tot["t"] += dt
        tot["floor"] += fl
    print(f"| **all** | | {tot['chars']} | {tot['nsame'] / tot['chars']:.1%} | | "
          f"**{tot['same'] / tot['chars']:.2%}** | | | {tot['t']:.1f} | {tot['floor']:.1f} "
          f"| {tot['t'] / tot['floor']:.1f} |")
    h, n = position_check(args.shared, ours)
    nh, _ = position_check(args.shared, naive)
    print(f"\nStrict position check on the vault annotations: tether {h}/{n} ({h / n:.1%}), "
          f"naive PyMuPDF {nh}/{n} ({nh / n:.1%}).")
    # Compiled or pure Python (TETHER_PURE_PYTHON=1): the figures must be the same for both.
    from tether.textmodel.pdfjs211.implementation import describe

    print(f"Text model implementation: {describe()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
