"""Acceptance on real document updates (issue: resolver cascade).

Annotations sampled with the PDF.js/Hypothesis oracle on version N of three real documents,
written as Obsidian notes, checked with ``tether check`` against version N+1. Truth comes from a
full-text alignment (fixtures/README.md). Floors: intact → exact new span ≥ 99 %, edited found
≥ 90 %, deleted refused ≥ 95 %, and **no wrong anchor at all**.
"""

from __future__ import annotations

import pytest

from conftest import FIXTURES, SHARED, require_shared
from tether.check import check_paths
from tether.evaluate import Answer, CategoryScore, load_truth, merge, score_answers, update_pairs
from tether.offsets import OffsetUnit

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

PAIRS = update_pairs(FIXTURES / "updates")


def _scores(note, truth_path, new_pdf) -> dict[str, CategoryScore]:
    run = check_paths([note], pdf=SHARED / "corpus" / "versions" / note.parent.name / new_pdf)
    assert not run.errors and not any(d.error for d in run.documents)
    answers = {}
    for r in run.results:
        span = r.resolution.span(OffsetUnit.UTF16)
        answers[r.resolution.id] = Answer(*span) if span else Answer(None, None)
    return score_answers(load_truth(truth_path), answers)


@pytest.fixture(scope="module")
def all_scores() -> dict[str, CategoryScore]:
    require_shared()
    total: dict[str, CategoryScore] = {}
    for note, truth, new_pdf in PAIRS:
        merge(total, _scores(note, truth, new_pdf))
    return total


def test_nine_update_pairs_with_enough_cases():
    assert len(PAIRS) == 9
    for _, truth, _ in PAIRS:
        assert len(load_truth(truth)["cases"]) >= 100


def test_no_wrong_anchor(all_scores):
    wrong = {c: s.wrong_ids for c, s in all_scores.items() if s.wrong}
    assert not wrong


def test_intact_passages_resolve_to_the_exact_new_span(all_scores):
    s = all_scores["intact"]
    assert s.cases >= 300
    assert s.rate("exact") >= 0.99, vars(s)


def test_edited_passages_are_found(all_scores):
    s = all_scores["edited"]
    assert s.cases >= 100
    assert s.rate("found") >= 0.90, vars(s)


def test_deleted_passages_are_refused(all_scores):
    s = all_scores["deleted"]
    assert s.cases >= 5
    assert s.rate("refused") >= 0.95, vars(s)
