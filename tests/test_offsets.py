"""UTF-16 ↔ code-point conversion (Hypothesis stores UTF-16; Python indexes code points)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tether.offsets import OffsetError, OffsetUnit, Utf16Index, utf16_len
from tether.textmodel.model import DocumentText


def test_astral_letters_count_two():
    text = "a𝑥b𝑦"
    idx = Utf16Index(text)
    assert utf16_len(text) == 6 == idx.length_utf16
    assert [idx.to_utf16(i) for i in range(5)] == [0, 1, 3, 4, 6]
    assert [idx.from_utf16(u) for u in (0, 1, 3, 4, 6)] == [0, 1, 2, 3, 4]
    with pytest.raises(OffsetError, match="surrogate pair"):
        idx.from_utf16(2)
    with pytest.raises(OffsetError):
        idx.to_utf16(5)


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_round_trip_matches_utf16_encoding(text):
    idx = Utf16Index(text)
    assert idx.length_utf16 == len(text.encode("utf-16-le")) // 2
    for i in range(len(text) + 1):
        u = idx.to_utf16(i)
        assert u == len(text[:i].encode("utf-16-le")) // 2
        assert idx.from_utf16(u) == i
        assert idx.convert(i, OffsetUnit.CODE_POINT, OffsetUnit.UTF16) == u


def test_document_pages_offsets_and_page_of():
    doc = DocumentText.from_page_texts(["ab𝑥", "", "cd"], model="test")
    assert [p.start for p in doc.pages] == [0, 3, 3]
    assert [p.start_utf16 for p in doc.pages] == [0, 4, 4]
    assert doc.text == "ab𝑥cd"
    assert doc.page_of(2) == 0 and doc.page_of(3) == 2 and doc.page_of(4) == 2
    assert doc.from_utf16(4) == 3


def test_pdfjs_pages_json_names_its_model():
    # The oracle's files say ``"pdfjs": {"version": "2.11.338", "build": …}`` (a dict: its
    # string form once leaked into the name); the model is named by major.minor.
    page = {"index": 0, "text": "Abc"}
    oracle = {"pdfjs": {"version": "2.11.338", "build": "dedff3c98"}, "pages": [page]}
    assert DocumentText.from_pdfjs_pages_json(oracle).model == "pdfjs-2.11"
    assert DocumentText.from_pdfjs_pages_json({"pdfjs": "3.4.120", "pages": [page]}).model \
        == "pdfjs-3.4"
    assert DocumentText.from_pdfjs_pages_json({"pages": [page]}).model == "pdfjs-2.11"
