"""Session 7's UTF-16 shortcuts of the verbatim lane (issue 6) give exactly what they replaced.

- ``Resolver._anchored`` in a document with astral characters: the end's UTF-16 offset from
  the found text's length, and the context left untrimmed when one encoding of the window
  shows no astral character, against ``DocumentText.to_utf16`` and ``describe_context``'s own
  trimming.
- ``stored_span`` converts a usable start once (it is the hint), against the conversions it
  replaced.
"""

from __future__ import annotations

import random

from conftest import require_shared
from tether.offsets import OffsetError, OffsetUnit
from tether.resolve.cascade import Resolver
from tether.resolve.describe import describe_context
from tether.resolve.position import StoredSpan, stored_span
from tether.resolve.result import Method, Status
from tether.selectors import Annotation, TextPosition, TextQuote
from tether.textmodel.model import DocumentText


def _doc(name: str) -> DocumentText:
    path = require_shared() / "corpus" / "versions" / f"{name}.pdfjs-pages.json"
    return DocumentText.from_pdfjs_pages_json(path.read_text(encoding="utf-8"))


def test_anchored_utf16_offsets_and_context_in_a_document_with_astral_characters() -> None:
    doc = _doc("music-esprit-thesis-it/v4")
    text = doc.text
    assert doc.length_utf16 > len(text)  # the document this test needs
    resolver = Resolver(doc)
    rnd = random.Random(73)
    ann = Annotation("a", TextQuote("x"), None)
    astral_near = 0
    for _ in range(3_000):
        a = rnd.randrange(len(text))
        b = min(len(text), a + rnd.randint(1, 300))
        r = resolver._anchored(ann, Status.DRIFTED, Method.QUOTE, a, b, 1.0, None)
        assert (r.start_utf16, r.end_utf16) == (doc.to_utf16(a), doc.to_utf16(b))
        assert (r.prefix, r.suffix) == describe_context(text, a, b), (a, b)
        astral_near += any(ord(c) > 0xFFFF for c in text[max(0, a - 32) : b + 32])
    assert astral_near > 100  # both branches taken


def _stored_span_as_it_was(doc: DocumentText, position: TextPosition) -> StoredSpan:
    """``stored_span`` before session 7 (hint converted apart), for a non-BMP document."""
    unit = position.unit
    limit = doc.length_utf16 if unit == OffsetUnit.UTF16 else len(doc.text)
    offset = min(max(position.start, 0), limit)
    try:
        hint = doc.convert(offset, unit, OffsetUnit.CODE_POINT)
    except OffsetError:
        hint = doc.convert(offset - 1, unit, OffsetUnit.CODE_POINT)
    if position.start > position.end:
        return StoredSpan(None, None, hint, f"stored start {position.start} > end {position.end}")
    try:
        start = doc.convert(position.start, unit, OffsetUnit.CODE_POINT)
        end = doc.convert(position.end, unit, OffsetUnit.CODE_POINT)
    except OffsetError as err:
        return StoredSpan(None, None, hint, f"stored position unusable: {err}")
    return StoredSpan(start, end, start)


def test_stored_span_equals_its_former_conversions() -> None:
    doc = _doc("music-esprit-thesis-it/v4")
    rnd = random.Random(74)
    n = doc.length_utf16
    for _ in range(3_000):
        start = rnd.randint(-5, n + 5)
        end = rnd.choice([start + rnd.randint(0, 200), start - 1, rnd.randint(-5, n + 5)])
        unit = rnd.choice([OffsetUnit.UTF16, OffsetUnit.CODE_POINT])
        position = TextPosition(start, end, unit)
        assert stored_span(doc, position) == _stored_span_as_it_was(doc, position), position
