"""``benchmarks/resolver_dev/option_diff.py``: what an option override changes, case by case.

The tool decides whether a rule is kept (session 14's table in ``benchmarks/RESULTS.md``), so its
counting is checked here: how a verdict counts toward the goal, that the defaults change nothing,
and that a real override's changes are found and tallied on Suite B's own cases.
"""

from __future__ import annotations

import importlib
import sys

import pytest

from conftest import ROOT, require_shared


def _option_diff():
    for sub in ("benchmarks", "benchmarks/resolver_dev"):
        if str(ROOT / sub) not in sys.path:
            sys.path.insert(0, str(ROOT / sub))
    return importlib.import_module("option_diff")


def test_a_refusal_is_right_only_for_a_deleted_passage():
    od = _option_diff()
    assert od.outcome("deleted", "refused") == "right"
    assert od.outcome("edited", "refused") == "missed"
    assert od.outcome("intact", "exact") == od.outcome("moved", "found") == "right"
    assert od.outcome("deleted", "piece") == od.outcome("intact", "wrong") == "wrong"


def test_seeds_spec():
    od = _option_diff()
    assert od.seeds("2-4") == [2, 3, 4]
    assert od.seeds("7") == [7]
    assert od.seeds("suite") == [importlib.import_module("mutations").SEED]


@pytest.mark.corpus
def test_a_smaller_ambiguity_margin_takes_the_many_occurrences_cases_it_refused():
    """Suite B's many-occurrences on the mechanics chapter: two quotes of 27 and more
    occurrences refused as ambiguous at the default margin are taken, rightly, with a lead of
    0.01 enough (session 14's table); the defaults against themselves change nothing."""
    shared = require_shared()
    od = _option_diff()
    suite_b = importlib.import_module("suite_b")
    from tether.resolve import ResolveOptions

    docs, cases = suite_b.suite_b(shared, ["many-occurrences"], ["mech-ch2"])
    assert not list(od.suite_changes("B", docs, cases, ResolveOptions()))
    changes = list(od.suite_changes("B", docs, cases, ResolveOptions(ambiguity_margin=0.01)))
    assert {(c[1], c[3], c[4]) for c in changes} == {
        ("B:many-occurrences/mech-ch2/1", "refused", "exact"),
        ("B:many-occurrences/mech-ch2/5", "refused", "exact")}
    assert od.report("B", changes, listing=False) == (
        "B: 2 answers differ; right +2 −0, wrong +0 −0, exact +2 −0")


def test_every_transition_is_counted_where_the_goal_counts_it():
    """A deleted passage anchored is a right answer lost and a wrong anchor made; a missed one
    anchored wrongly only a wrong anchor made; a wrong anchor turned right both undone and
    gained; a span that stays right but loses its exact truth only an exact span lost."""
    od = _option_diff()
    rows = [("deleted", "refused", "wrong"), ("deleted", "refused", "piece"),
            ("edited", "refused", "wrong"), ("moved", "wrong", "exact"),
            ("intact", "exact", "found"), ("edited", "found", "refused"),
            ("deleted", "wrong", "refused")]
    changes = [("S", f"c{i}", cat, v0, v1, None) for i, (cat, v0, v1) in enumerate(rows)]
    assert od.report("S", changes, listing=False) == (
        "S: 7 answers differ; right +2 −3, wrong +3 −2, exact +1 −1")
