"""Test helper: small real PDFs (made with PyMuPDF) and Annotator notes about them, for the
bad-input tests. Every file is written under the caller's ``tmp_path``; nothing here touches
``fixtures/`` or ``../shared``.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest
from formats_notegen import BlockSpec, render_block

#: Page texts of the small test PDF ("v1"); "v2" inserts a sentence at the start, so every
#: stored offset drifts while every quote still occurs once.
V1_PAGES = ("Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu.",
            "Second page nu xi omicron pi rho sigma tau upsilon phi chi psi omega.")
V2_PAGES = ("A new first sentence. " + V1_PAGES[0], V1_PAGES[1])
#: The quotes of the good blocks g1 and g2 (page 1 and page 2).
GOOD_QUOTES = {"g1": "gamma delta", "g2": "omicron pi"}

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def make_pdf(path: Path, pages: tuple[str, ...] | list[str], **save: object) -> Path:
    """A PDF with one line of Helvetica text per page (``save`` goes to ``Document.save``)."""
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page()
        if text:
            page.insert_text((72, 72), text, fontsize=11)
    doc.save(path, **save)
    doc.close()
    return path


def image_only_pdf(path: Path, pages: int = 2) -> Path:
    """A "scanned" PDF: each page holds an image and no text operators at all."""
    doc = pymupdf.open()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 64, 32), False)
    pix.clear_with(180)
    for _ in range(pages):
        doc.new_page().insert_image(pymupdf.Rect(72, 72, 400, 250), pixmap=pix)
    doc.save(path)
    doc.close()
    return path


def raw_pdf(objects: list[bytes]) -> bytes:
    """A classic PDF file from object bodies (object 1 is the catalog), with a correct xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            .encode())
    return bytes(out)


def zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty (PyMuPDF refuses to save one)."""
    path.write_bytes(raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                              b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    return path


@functools.cache
def small_text(pages: tuple[str, ...]) -> str:
    """The pdfjs-2.11 text of a PDF made by :func:`make_pdf` from ``pages`` (cached)."""
    import tempfile

    from tether.textmodel.load import load_text

    with tempfile.TemporaryDirectory() as tmp:
        return load_text(make_pdf(Path(tmp) / "m.pdf", pages), with_boxes=False).text


def spec_for(block_id: str, quote: str, pages: tuple[str, ...] = V1_PAGES, **kw: object
             ) -> BlockSpec:
    """A block quoting ``quote`` where it sits in ``pages``' text (ASCII: UTF-16 = code points),
    with 32 characters of context each side, as Hypothesis describes a selection; ``kw``
    overrides fields of the :class:`BlockSpec`."""
    text = small_text(pages)
    start = text.index(quote)
    end = start + len(quote)
    spec = BlockSpec(block_id, exact=quote, prefix=text[max(0, start - 32):start],
                     suffix=text[end:end + 32], start=start, end=end)
    return replace(spec, **kw) if kw else spec


def good_blocks() -> str:
    return "".join(render_block(spec_for(i, q)) for i, q in GOOD_QUOTES.items())


def note_text(blocks: str, target: str | None = "paper.pdf", extra_front: str = "") -> str:
    if target is None and not extra_front:
        return blocks
    front = f"annotation-target: {target}\n" if target is not None else ""
    return f"---\n{front}{extra_front}---\n" + blocks


def vault(tmp: Path, pages: tuple[str, ...] = V1_PAGES, note: str | None = None,
          name: str = "note.md") -> tuple[Path, Path]:
    """An Obsidian vault in ``tmp``: ``.obsidian/``, ``paper.pdf`` and a note (default: the two
    good blocks). Returns (note path, PDF path)."""
    (tmp / ".obsidian").mkdir(parents=True, exist_ok=True)
    pdf = make_pdf(tmp / "paper.pdf", pages)
    path = tmp / name
    path.write_text(note if note is not None else note_text(good_blocks()), encoding="utf-8",
                    newline="")
    return path, pdf


def unprivileged(cmd: list[str]) -> list[str]:
    """``cmd`` run so that file permissions bind (as root: drop the DAC-override capabilities
    with setpriv; skip when that is impossible)."""
    if not IS_ROOT:
        return cmd
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv is missing: cannot drop DAC override")
    probe = subprocess.run([setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner",
                            "true"], capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip(f"setpriv cannot drop capabilities here: {probe.stderr.strip()}")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", *cmd]


def tether_cmd(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "tether.cli", *map(str, args)]
