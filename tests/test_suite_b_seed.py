"""Suite B drawn with another seed (``accuracy.py --seed S``, an out-of-sample check).

The default suite must stay the committed one (``test_accuracy_quick`` checks its digest); another
seed must draw other cases, and a run with it must never write into ``fixtures/accuracy``.
"""

from __future__ import annotations

import pytest

from conftest import FIXTURES, bench_module, require_shared

#: One cheap scenario is enough to tell the seeds apart.
KIND = "edit-outside-span"


@pytest.mark.corpus
def test_another_seed_draws_other_cases_and_the_default_is_unchanged():
    shared = require_shared()
    suite_b, mutations = bench_module("suite_b"), bench_module("mutations")
    name = suite_b.sources(shared)[0][0]

    def keys(**seed: int) -> list[str]:
        return [c.key for c in suite_b.suite_b(shared, [KIND], [name], **seed)[1]]

    default = keys()
    assert default and keys(seed=mutations.SEED) == default
    other = keys(seed=mutations.SEED + 1)
    assert other and not set(other) & set(default)
    assert keys(seed=mutations.SEED + 1) == other  # a seed still gives the same cases


def test_a_fresh_seed_refuses_the_committed_folder(capsys):
    accuracy = bench_module("accuracy")
    seed = bench_module("mutations").SEED + 1
    assert accuracy.main(["--suite", "B", "--seed", str(seed),
                          "--out", str(FIXTURES / "accuracy")]) == 2
    assert "never writes into fixtures/accuracy" in capsys.readouterr().err
