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
    # On the truth as audited (fixtures/README.md, sessions 6–9); the session-9 audit's last
    # wrong anchor (yellow paper v2→v3 "the first three") is right since session 10.
    wrong = {c: s.wrong_ids for c, s in all_scores.items()}
    assert not {c: ids for c, ids in wrong.items() if ids}


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


def test_scoring_accepts_alternatives_and_occurrences_but_not_pieces():
    """The scoring rule itself (fixtures/README.md): an anchor on the truth or on a span the truth
    file calls as good is found (exact only on the truth); on a surviving piece, wrong."""
    from tether.evaluate import score_case

    case = {"id": "x", "category": "edited", "new": {"start_utf16": 100, "end_utf16": 150},
            "alternatives": [{"start_utf16": 300, "end_utf16": 340}],
            "occurrences": [{"start_utf16": 500, "end_utf16": 550}],
            "pieces": [{"start_utf16": 700, "end_utf16": 720}]}
    cases = {(100, 150): "exact", (120, 130): "found", (310, 320): "found", (500, 550): "found",
             (700, 720): "wrong", (0, 10): "wrong"}
    for (start, end), want in cases.items():
        s = CategoryScore()
        score_case(case, Answer(start, end), s)
        got = "exact" if s.exact else "found" if s.found else "wrong" if s.wrong else "refused"
        assert got == want, (start, end)
    s = CategoryScore()
    score_case({**case, "category": "deleted", "new": None}, Answer(300, 320), s)
    assert s.wrong == 1
