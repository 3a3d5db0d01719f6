"""A verbatim quote placed between landmarks beside look-alike text (``LandmarkRules``
``unique_beside_lookalikes``) on a real update.

eth-yellowpaper v3 → v4, the note of 150 annotations sampled with the Hypothesis oracle on v3
(fixtures/updates): "A′s ≡As ∪{Ia}" (``aw1iwf6unyb``, 11 visible characters) is intact, but v4
put a new sentence before it (its stored prefix no longer agrees) and a new formula line
"A′a ≡Aa ∪{r}" between it and its stored suffix. The cascade refuses the short quote for its
context, with both as candidates; the bracket of the note's landmarks holds both, so the
"only candidate in the bracket" rule refused it too until the look-alike (4 edits of 11) stopped
counting. Each test changes one thing and checks the rule reacts.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from conftest import FIXTURES, version_pages
from tether.formats import load_annotations
from tether.offsets import OffsetUnit
from tether.resolve import Method, ResolveOptions, Resolver, Status
from tether.resolve.bracket import place_by_landmarks
from tether.resolve.landmarks import LandmarkRules
from tether.selectors import Annotation
from tether.textmodel.model import DocumentText

pytestmark = pytest.mark.corpus

NOTE = FIXTURES / "updates" / "eth-yellowpaper" / "v3.md"
TRUTH = FIXTURES / "updates" / "eth-yellowpaper" / "v3-to-v4.truth.json"
TARGET = "aw1iwf6unyb"
QUOTE = "A′s ≡As ∪{Ia}"
LOOKALIKE = "A′a ≡Aa ∪{r}"
RULE_OFF = ResolveOptions(landmark_rules=LandmarkRules(unique_beside_lookalikes=False))


@pytest.fixture(scope="module")
def new_pages() -> list[str]:
    return version_pages("eth-yellowpaper", 4)


@pytest.fixture(scope="module")
def annotations() -> list[Annotation]:
    return list(load_annotations(NOTE).annotations)


def _doc(pages: list[str]) -> DocumentText:
    return DocumentText.from_page_texts(pages, model="pdfjs-2.11")


def _target(pages: list[str], annotations: list[Annotation],
            options: ResolveOptions | None = None):
    results = Resolver(_doc(pages), options or ResolveOptions()).resolve_all(annotations)
    return next(r for r in results if r.id == TARGET)


def _truth() -> tuple[int, int]:
    case = next(c for c in json.loads(TRUTH.read_text())["cases"] if c["id"] == TARGET)
    return case["new"]["start_utf16"], case["new"]["end_utf16"]


def test_the_verbatim_copy_beside_a_lookalike_is_placed(new_pages, annotations) -> None:
    assert "".join(new_pages).count(QUOTE) == 1
    res = _target(new_pages, annotations)
    assert res.status == Status.DRIFTED and res.method == Method.LANDMARKS
    assert res.span(OffsetUnit.UTF16) == _truth()
    assert "the only verbatim candidate" in (res.reason or "")
    # Without the rule the look-alike counts as a second candidate in the bracket.
    off = _target(new_pages, annotations, RULE_OFF)
    assert off.status == Status.ORPHANED
    assert {c.exact for c in off.rivals} >= {QUOTE, LOOKALIKE}


def test_a_quote_found_elsewhere_too_is_not_placed(new_pages, annotations) -> None:
    # A second verbatim copy far outside the bracket (the last page): the quote recurs, so the
    # changed candidate beside the one in the bracket may be the passage edited in place.
    pages = list(new_pages)
    pages[-1] = pages[-1] + " " + QUOTE
    res = _target(pages, annotations)
    assert not res.status.is_anchored


def test_a_lookalike_within_the_edit_limit_still_counts(new_pages, annotations) -> None:
    # The rule itself (the pure function), on the cascade's own answers: the look-alike
    # candidate read as one edit of 11 instead of 4 may be the passage edited in place, so it
    # counts as a second candidate in the bracket again. (Changing the PDF text instead lets
    # the cascade accept that copy itself, by its adjacent stored suffix.)
    doc = _doc(new_pages)
    results = Resolver(doc, ResolveOptions(landmarks=False)).resolve_all(annotations)
    k = next(i for i, r in enumerate(results) if r.id == TARGET)
    assert results[k].status == Status.ORPHANED
    placed = place_by_landmarks(results, doc.text)
    assert [(p.index, p.candidate.exact) for p in placed if p.index == k] == [(k, QUOTE)]
    near = tuple(dataclasses.replace(c, exact="A′s ≡As ∪{Ib}") if c.exact == LOOKALIKE else c
                 for c in results[k].rivals)
    assert near != results[k].rivals
    edited = list(results)
    edited[k] = dataclasses.replace(results[k], rivals=near)
    assert all(p.index != k for p in place_by_landmarks(edited, doc.text))
