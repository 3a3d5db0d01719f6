"""How faithfully a text model reproduces reference page texts (PDF.js's own output).

Used by the fidelity benchmark and the tests that lock it in. Pure functions on strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from tether.textmodel.model import DocumentText

_WHITESPACE = frozenset(" \t\n\r\f\v\u00a0")


def _strip_ws(text: str) -> str:
    return "".join(c for c in text if c not in _WHITESPACE)


@dataclass(frozen=True)
class Fidelity:
    """Agreement of a document's text with a reference.

    ``same_offset``: share of reference characters (code points) equal to ours at the same
    document offset. ``ws_insensitive``: Indel similarity of both texts with whitespace removed
    (1.0 = identical but for whitespace). ``pages_equal``: pages whose text is identical.
    """

    chars: int
    same_offset: float
    ws_insensitive: float
    pages_equal: int
    pages: int
    first_difference: int | None


def compare(ours: DocumentText, reference: DocumentText) -> Fidelity:
    a, b = ours.text, reference.text
    same = sum(1 for x, y in zip(a, b, strict=False) if x == y)
    first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
    if first is None and len(a) != len(b):
        first = min(len(a), len(b))
    ws = Indel.normalized_similarity(_strip_ws(a), _strip_ws(b))
    pairs = zip(ours.pages, reference.pages, strict=False)
    pages_equal = sum(1 for p, q in pairs if p.text == q.text)
    return Fidelity(
        chars=len(b),
        same_offset=same / len(b) if b else 1.0,
        ws_insensitive=ws,
        pages_equal=pages_equal,
        pages=len(reference.pages),
        first_difference=first,
    )
