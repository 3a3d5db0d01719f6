"""The peers' confidence caches and the precision sweep (``benchmarks/precision_curve.py``).

Reads the committed ``fixtures/accuracy/<peer>.scores.json`` (no Node, no reanchor run) and the
cases as the fixtures define them now. Asserted:

- every case of Suites A and B has a cached score for every peer, and the span kept at the
  peer's default threshold (Hypothesis, dmp: none; reanchor: 0.5) is, case for case, the
  committed answer of ``fixtures/accuracy/<peer>.json`` (Suite A Hypothesis: the update
  fixtures' committed oracle verdicts);
- the sweep at that default reproduces ``results.json``'s figures per class (found, refused,
  wrong) — the same scoring as ``accuracy.py``;
- each curve is monotone (stricter threshold: never more wrong, never more found) and agrees
  with a direct re-scoring at its thresholds; the threshold chosen for a budget of 0 wrong makes
  0 wrong, and the next lower one makes at least one.
"""

from __future__ import annotations

import functools
import json

import pytest

from conftest import FIXTURES, bench_module, require_shared

pytestmark = pytest.mark.corpus

PEERS = ("hypothesis", "reanchor", "dmp")


@functools.cache
def _loaded():
    shared = require_shared()
    ps = bench_module("peer_scores")
    _, cases, hypo_a, _ = ps.load_cases(shared)
    scores = {m: ps.load_scores(m) for m in PEERS}
    return cases, hypo_a, scores


def test_every_case_has_a_score_and_the_committed_answer():
    ps = bench_module("peer_scores")
    cases, hypo_a, scores = _loaded()
    for m in PEERS:
        same, bad = ps.check(m, scores[m], cases, ps.committed_answers(m, hypo_a))
        assert not bad, f"{m}: {len(bad)} cases without a score or with another answer: {bad[:5]}"
        assert same == len(cases) >= 2400


def test_default_threshold_reproduces_the_committed_figures():
    pc = bench_module("precision_curve")
    cases, _, scores = _loaded()
    figures = json.loads((FIXTURES / "accuracy" / "results.json").read_text("utf-8"))["figures"]
    for m in PEERS:
        p = pc.at_threshold(cases, pc.peer_confidences(m, scores, cases),
                            pc.DEFAULT_THRESHOLD[m])
        total = 0
        for row in pc.class_rows(cases):
            suite, cls = row.split("/", 1)
            key = f"{suite}/cat:{cls[4:]}" if cls.startswith("all ") else (
                f"A/cat:{cls}" if suite == "A" else row)
            want = figures[key][m]
            good = want["refused"] if pc.is_deleted_row(row) else want["found"]
            assert (p.found[row], p.wrong_by[row]) == (good, want["wrong"]), (m, row)
            if suite == "A" or not cls.startswith("all "):
                total += want["wrong"]
        assert p.wrong == total, m


def test_curves_are_monotone_and_the_zero_budget_makes_no_wrong():
    pc = bench_module("precision_curve")
    cases, _, scores = _loaded()
    for m in pc.PEERS:
        conf = pc.peer_confidences(m, scores, cases)
        pts = pc.curve(cases, conf)
        ts = [t for t, _, _ in pts]
        assert ts == sorted(ts, reverse=True) and len(set(ts)) == len(ts), m
        for (_, w0, f0), (_, w1, f1) in zip(pts, pts[1:], strict=False):
            assert w1 >= w0 and f1 >= f0, m
        for t, w, f in pts[1 :: max(1, len(pts) // 7)] + pts[-1:]:
            p = pc.at_threshold(cases, conf, t)
            assert (p.wrong, p.changed_found) == (w, f), (m, t)
        t0 = pc.threshold_for(pts, 0)
        assert pc.at_threshold(cases, conf, t0).wrong == 0, m
        lower = [t for t, _, _ in pts if t < t0]
        if lower:
            assert pc.at_threshold(cases, conf, max(lower)).wrong >= 1, m
