"""Scoring resolutions against update-case truth (``fixtures/updates/*/vN-to-vM.truth.json``).

Truth comes from a full-text alignment of two versions' PDF.js texts (see fixtures/README.md).
Offsets in truth files are UTF-16 code units (``start_utf16`` / ``end_utf16``). Categories:

- ``intact``: the passage survived verbatim → the answer must be exactly the truth span;
- ``edited``: most of it survived, changed → found means overlapping the truth span;
- ``moved``: the alignment lost it but the text is elsewhere → found means overlapping it;
- ``deleted``: little survived → the answer must be a refusal (ambiguous / orphaned).

A *wrong* anchor is an anchored answer (anchored / drifted / fuzzy) that overlaps neither the
truth nor a span the truth file says is as good (other verbatim ``occurrences``; the
``alternatives`` half of a passage an update split in two), or any anchored answer for a
deleted passage. The goal is zero.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CATEGORIES = ("intact", "edited", "moved", "deleted")


@dataclass(frozen=True)
class Answer:
    """What a matcher said for one case: a span in UTF-16 code units, or None (refused)."""

    start_utf16: int | None
    end_utf16: int | None

    @property
    def anchored(self) -> bool:
        return self.start_utf16 is not None and self.end_utf16 is not None


REFUSED = Answer(None, None)


@dataclass
class CategoryScore:
    """Counts for one category. ``found``: overlapping the truth; ``exact``: equal to it."""

    cases: int = 0
    found: int = 0
    exact: int = 0
    wrong: int = 0
    refused: int = 0
    wrong_ids: list[str] = field(default_factory=list)

    def rate(self, what: str) -> float:
        return getattr(self, what) / self.cases if self.cases else 1.0


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _truth_spans(case: Mapping[str, Any]) -> list[tuple[int, int]]:
    """The spans an anchor may land on without being wrong: the truth first, then the other
    verbatim ``occurrences`` and the ``alternatives`` (a passage split in two by the update,
    both halves keeping ≥ 50 %: either is defensible — fixtures/README.md's scoring advice,
    which ``benchmarks/cases.py`` follows too)."""
    spans = []
    if case.get("new"):
        spans.append((case["new"]["start_utf16"], case["new"]["end_utf16"]))
    for key in ("occurrences", "alternatives"):
        for other in case.get(key) or []:
            spans.append((other["start_utf16"], other["end_utf16"]))
    return spans


def score_case(case: Mapping[str, Any], answer: Answer, score: CategoryScore) -> None:
    score.cases += 1
    if not answer.anchored:
        score.refused += 1
        return
    assert answer.start_utf16 is not None and answer.end_utf16 is not None
    spans = _truth_spans(case)
    if case["category"] == "deleted" or not spans:
        score.wrong += 1
        score.wrong_ids.append(case["id"])
        return
    if any(_overlaps(answer.start_utf16, answer.end_utf16, s, e) for s, e in spans):
        score.found += 1
        if (answer.start_utf16, answer.end_utf16) == spans[0]:
            score.exact += 1
    else:
        score.wrong += 1
        score.wrong_ids.append(case["id"])


def score_answers(truth: Mapping[str, Any], answers: Mapping[str, Answer]
                  ) -> dict[str, CategoryScore]:
    """Score ``answers`` (case id → answer; a missing id counts as refused) per category."""
    scores = {c: CategoryScore() for c in CATEGORIES}
    for case in truth["cases"]:
        score_case(case, answers.get(case["id"], REFUSED), scores[case["category"]])
    return scores


def merge(into: dict[str, CategoryScore], more: dict[str, CategoryScore]) -> None:
    for cat, s in more.items():
        t = into.setdefault(cat, CategoryScore())
        t.cases += s.cases
        t.found += s.found
        t.exact += s.exact
        t.wrong += s.wrong
        t.refused += s.refused
        t.wrong_ids += s.wrong_ids


def load_truth(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def update_pairs(updates_dir: Path) -> list[tuple[Path, Path, str]]:
    """(note on vN, truth file vN→vM, new PDF name) for every case set under ``updates_dir``."""
    out = []
    for truth in sorted(updates_dir.glob("*/*-to-*.truth.json")):
        old, new = truth.name.split(".truth.json")[0].split("-to-")
        out.append((truth.with_name(f"{old}.md"), truth, f"{new}.pdf"))
    return out
