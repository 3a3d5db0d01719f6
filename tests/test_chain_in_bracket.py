"""Step 4's chains between landmarks (option ``chain_in_bracket``) on a real update.

co519-logic-partD v3 → v4, the note of 150 annotations sampled with the Hypothesis oracle on v3
(fixtures/updates): ``n2dkefxj4n`` ("∀x.P ∀i where x0 is free for x in PThis says that there is
a scope (not subproof)…", 259 characters) lost its last sentence and gained an "a"; 58 % of it
survives in order where it was, but its stored context agrees at neither end, so step 4 alone
needs 60 % and refuses. Between the note's neighbouring annotations it needs what a chain with
agreeing context needs (52 %). Each test changes one thing and checks the rule reacts.
"""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from conftest import FIXTURES, require_shared
from tether.formats import load_annotations
from tether.offsets import OffsetUnit
from tether.resolve import Method, ResolveOptions, Resolver, Status
from tether.selectors import Annotation, TextPosition
from tether.textmodel.model import DocumentText

pytestmark = pytest.mark.corpus

NOTE = FIXTURES / "updates" / "co519-logic-partD" / "v3.md"
TRUTH = FIXTURES / "updates" / "co519-logic-partD" / "v3-to-v4.truth.json"
TARGET = "n2dkefxj4n"


@pytest.fixture(scope="module")
def doc() -> DocumentText:
    shared = require_shared()
    path = shared / "corpus" / "versions" / "co519-logic-partD" / "v4.pdfjs-pages.json"
    return DocumentText.from_pdfjs_pages_json(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def annotations() -> list[Annotation]:
    return list(load_annotations(NOTE).annotations)


def _by_id(results, ident):
    return next(r for r in results if r.id == ident)


def _truth() -> tuple[int, int]:
    case = next(c for c in json.loads(TRUTH.read_text())["cases"] if c["id"] == TARGET)
    assert case["category"] == "edited"
    return case["new"]["start_utf16"], case["new"]["end_utf16"]


def test_a_bare_chain_between_the_landmarks_is_taken(doc, annotations) -> None:
    off = Resolver(doc, ResolveOptions(chain_in_bracket=False)).resolve_all(annotations)
    assert _by_id(off, TARGET).status == Status.ORPHANED
    assert "60% is needed" in _by_id(off, TARGET).reason
    # One at a time, the cascade has no landmarks: still refused.
    assert Resolver(doc).resolve(_by_id(off, TARGET).annotation).status == Status.ORPHANED

    on = Resolver(doc).resolve_all(annotations)
    res = _by_id(on, TARGET)
    assert res.status == Status.FUZZY and res.method == Method.LANDMARKS
    assert res.span(OffsetUnit.UTF16) == _truth()
    assert "58% of the quote survives" in res.reason and "between landmarks" in res.reason
    # The landmarks it names are anchored annotations of the note on either side of it.
    first, second = re.search(r"landmarks of the same note, '(\w+)' and '(\w+)'",
                              res.reason).groups()
    before, after = _by_id(on, first), _by_id(on, second)
    assert before.status.is_anchored and after.status.is_anchored
    assert before.end <= res.start and res.end <= after.start
    # Nothing else changed, and the answer does not depend on the order.
    assert [a.id for a, b in zip(off, on, strict=True) if a != b] == [TARGET]
    assert Resolver(doc).resolve_all(annotations[::-1])[::-1] == on


def test_the_chain_must_lie_between_the_landmarks(doc, annotations) -> None:
    # The same annotation stored 2,000 units earlier (v3's section before it), between other
    # neighbours: the chain is outside that bracket, so it needs 60 % again.
    target = next(a for a in annotations if a.id == TARGET)
    pos = target.position
    early = dataclasses.replace(target, position=TextPosition(pos.start - 2000, pos.end - 2000))
    results = Resolver(doc).resolve_all([early if a is target else a for a in annotations])
    assert _by_id(results, TARGET).status == Status.ORPHANED


def test_the_floor_still_applies(doc, annotations) -> None:
    # Between the landmarks a bare chain needs ``chain_min_coverage``: 58 % is below 0.59.
    results = Resolver(doc, ResolveOptions(chain_min_coverage=0.59)).resolve_all(annotations)
    assert _by_id(results, TARGET).status == Status.ORPHANED
    # Without landmarks of 16+ characters there is no bracket; and its bracket (1,397 units)
    # grew by 237, beyond a limit of 2 %.
    for change in ({"min_quote": 10**6}, {"chain_max_gap_change_ratio": 0.02}):
        rules = dataclasses.replace(ResolveOptions().landmark_rules, **change)
        results = Resolver(doc, ResolveOptions(landmark_rules=rules)).resolve_all(annotations)
        assert _by_id(results, TARGET).status == Status.ORPHANED
