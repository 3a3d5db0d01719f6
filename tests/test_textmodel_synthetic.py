"""The pdfjs-2.11 model on synthetic PDFs (made by scripts/make_synthetic_pdfs.py) against the
page texts PDF.js 2.11 built for them (made with the oracle; committed, no Node needed)."""

from __future__ import annotations

import json

import pymupdf
import pytest

from conftest import FIXTURES
from tether.offsets import OffsetUnit
from tether.textmodel.load import load_text

SYNTHETIC = FIXTURES / "synthetic"
NAMES = sorted(p.stem for p in SYNTHETIC.glob("*.pdf"))


def _reference(name: str) -> dict:
    return json.loads((SYNTHETIC / f"{name}.pdfjs-pages.json").read_text(encoding="utf-8"))


def test_all_cases_present():
    assert set(NAMES) >= {"ligatures", "hyphenation", "two_columns", "rotated", "math_nonbmp",
                          "cjk", "empty_and_image", "spacing", "form_xobject"}


@pytest.mark.parametrize("name", NAMES)
def test_page_texts_and_utf16_offsets_equal_pdfjs(name):
    doc = load_text(SYNTHETIC / f"{name}.pdf")
    ref = _reference(name)["pages"]
    assert [p.text for p in doc.pages] == [p["text"] for p in ref]
    assert [p.start_utf16 for p in doc.pages] == [p["offset"] for p in ref]


@pytest.mark.parametrize("name", NAMES)
def test_every_character_has_a_box_on_its_page(name):
    doc = load_text(SYNTHETIC / f"{name}.pdf")
    with pymupdf.open(SYNTHETIC / f"{name}.pdf") as pdf:
        for page in doc.pages:
            assert len(page.boxes) == len(page.text)
            rect = pdf[page.index].cropbox  # unrotated page coordinates, like the boxes
            for ch, box in zip(page.text, page.boxes, strict=True):
                assert box.x0 <= box.x1 and box.y0 <= box.y1
                if ch != " ":
                    assert rect.x0 - 5 <= box.x0 and box.x1 <= rect.x1 + 5, (ch, box)
                    assert rect.y0 - 5 <= box.y0 and box.y1 <= rect.y1 + 5, (ch, box)


def test_ligatures_are_expanded():
    text = load_text(SYNTHETIC / "ligatures.pdf").text
    assert "ff, ffi and ffl" in text and "\ufb01" not in text and "\ufb00" not in text


def test_non_bmp_letters_count_two_utf16_units():
    doc = load_text(SYNTHETIC / "math_nonbmp.pdf")
    i = doc.text.index("𝑥")
    assert doc.to_utf16(i + 1) - doc.to_utf16(i) == 2
    assert doc.convert(doc.to_utf16(i + 1), OffsetUnit.UTF16, OffsetUnit.CODE_POINT) == i + 1


def test_empty_and_image_only_pages_have_no_text_and_do_not_shift_offsets():
    doc = load_text(SYNTHETIC / "empty_and_image.pdf")
    assert [bool(p.text) for p in doc.pages] == [True, False, False, True]
    assert doc.pages[3].start_utf16 == len(doc.pages[0].text)


def test_hyphenated_line_ends_are_kept_and_lines_run_together():
    text = load_text(SYNTHETIC / "hyphenation.pdf").text
    assert "new version of thedocument" in text  # no separator at a line end
    assert "-" in text  # PDF.js never dehyphenates
