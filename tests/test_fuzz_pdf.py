"""Fuzzing text extraction with mutated PDF bytes: ``load_text`` returns a DocumentText or raises
``PdfError`` — never anything else, never a hang.

Seeds: a small PDF written by PyMuPDF with uncompressed streams (so that byte flips land in
operators, fonts and the xref) and small synthetic fixtures (form XObjects, spacing, rotation).
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import pymupdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from tether.textmodel.load import ExtractionLimits, PdfError, load_text
from tether.textmodel.model import DocumentText


def _generated() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Alpha beta gamma delta", fontname="helv", fontsize=11)
    page.insert_text((72, 100), "Courier text (with) \\ escapes", fontname="cour", fontsize=9)
    page.insert_text((72, 130), "Times roman", fontname="tiro", fontsize=14, rotate=90)
    doc.new_page().insert_text((72, 72), "Second page", fontname="helv")
    data = doc.tobytes(deflate=False, garbage=0)
    doc.close()
    return data


SEEDS = [_generated()] + [(FIXTURES / "synthetic" / f"{name}.pdf").read_bytes()
                          for name in ("form_xobject", "spacing", "rotated")]
LIMITS = ExtractionLimits(max_pages=50, max_seconds=10.0)


@st.composite
def mutated_pdf(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 10))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "byte", "insert", "delete", "cut"]))
        if op == "flip":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "byte":
            data[i] = draw(st.integers(0, 255))
        elif op == "insert":
            data[i:i] = draw(st.sampled_from([b"[", b"]", b"<<", b">>", b"(", b")", b" 0 R",
                                              b"/Font", b"Tf", b"TJ", b"-1e9", b"999999999",
                                              b"endstream", b"\x00"]))
        elif op == "delete":
            del data[i:i + draw(st.integers(1, 64))]
        elif i > 16:
            del data[i:]
    return bytes(data)


@settings(max_examples=100, deadline=timedelta(seconds=10), database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_pdf())
def test_load_text_returns_or_raises_pdf_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.pdf"
        path.write_bytes(data)
        try:
            doc = load_text(path, limits=LIMITS)
        except PdfError as exc:
            assert str(exc)
            return
    assert isinstance(doc, DocumentText)
    assert doc.text == "".join(p.text for p in doc.pages)
    for p in doc.pages:
        assert not p.boxes or len(p.boxes) == len(p.text)


def test_seeds_extract() -> None:
    for data in SEEDS:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "s.pdf"
            path.write_bytes(data)
            assert load_text(path).text.strip()
