"""The C alignment passes (edlib) give exactly the pure-Python Myers passes' answers."""

from __future__ import annotations

import random

import pytest

from tether.offsets import OffsetUnit
from tether.resolve import align
from tether.resolve.align import (
    Alignment,
    _best_alignment_c,
    _best_alignment_py,
    best_alignment,
    best_alignment_by_ends,
    best_end,
    cannot_align,
)

needs_c = pytest.mark.skipif(not align.use_c(), reason="edlib is not installed")


def _cases(n: int, seed: int):
    rnd = random.Random(seed)
    for _ in range(n):
        alphabet = rnd.choice(["ab", "abc", "abcdefgh", "aé→xyz01 ", "abcdefghijklmnopqrstuvwxyz"])
        window = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 300)))
        if rnd.random() < 0.7 and len(window) > 2:  # an edited copy of a piece of the window
            a = rnd.randrange(len(window) - 1)
            piece = list(window[a : a + rnd.randint(1, 80)])
            for _ in range(rnd.randint(0, 6)):
                k = rnd.randrange(len(piece) + 1)
                op = rnd.random()
                if op < 0.33 and k < len(piece):
                    piece[k] = rnd.choice(alphabet)
                elif op < 0.66 and k < len(piece):
                    del piece[k]
                else:
                    piece.insert(k, rnd.choice(alphabet))
            pattern = "".join(piece) or "a"
        else:
            pattern = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 90)))
        max_errors = rnd.randint(0, len(pattern))
        expected = rnd.choice([None, rnd.randint(0, len(window))])
        yield pattern, window, max_errors, expected


@needs_c
def test_c_passes_agree_with_python_passes() -> None:
    found = 0
    for pattern, window, max_errors, expected in _cases(4000, 6):
        py = _best_alignment_py(pattern, window, max_errors, expected)
        c = _best_alignment_c(pattern, window, max_errors, expected)
        assert c == py, (pattern, window, max_errors, expected)
        found += py is not None
    assert found > 1000  # the comparison covered real alignments, not only refusals


def test_best_end_is_the_end_of_the_best_alignment() -> None:
    """``best_end`` (one pass) answers what ``best_alignment`` (two passes) ends with, through
    edlib on one-byte codes, through edlib on strings and in Python."""
    found = 0
    for pattern, window, max_errors, expected in _cases(4000, 7):
        want = best_alignment(pattern, window, max_errors, expected)
        want_end = None if want is None else (want.end, want.errors)
        alphabet = sorted(set(pattern + window))
        coded = (bytes(alphabet.index(c) + 1 for c in pattern),
                 bytes(alphabet.index(c) + 1 for c in window))
        assert best_end(pattern, window, max_errors, expected, coded) == want_end
        assert best_end(pattern, window, max_errors, expected) == want_end
        py = _best_alignment_py(pattern, window, max_errors, expected)
        assert (None if py is None else (py.end, py.errors)) == want_end
        found += want is not None
    assert found > 1000


def test_lcs_bound_rules_out_only_windows_without_an_alignment() -> None:
    """``cannot_align`` (the LCS bound) never rules out a window where ``best_alignment`` finds
    something, and it does rule out most windows without one (else it would not pay)."""
    pruned = missing = 0
    for pattern, window, max_errors, _ in _cases(6000, 8):
        found = best_alignment(pattern, window, max_errors)
        if cannot_align(pattern, window, max_errors):
            assert found is None, (pattern, window, max_errors)
            pruned += 1
        missing += found is None
    assert pruned > missing // 3  # small random alphabets share much; real text far less


def test_alignment_by_ends_with_and_without_the_lcs_bound(monkeypatch) -> None:
    rnd = random.Random(9)
    cases = []
    for pattern, window, max_errors, _ in _cases(3000, 10):
        text = "".join(rnd.choice("abcdefgh ") for _ in range(rnd.randint(0, 200))) + window
        start = rnd.randint(0, len(text))
        cases.append((pattern, text, start, start + len(pattern) + rnd.randint(-20, 20),
                      rnd.randint(0, 40), max_errors))
    with_bound = [best_alignment_by_ends(*c) for c in cases]
    monkeypatch.setattr(align, "cannot_align", lambda *args: False)
    assert [best_alignment_by_ends(*c) for c in cases] == with_bound
    assert sum(a is not None for a in with_bound) > 300


def test_alignment_finds_an_edited_copy() -> None:
    window = "the quick brown fox jumps over the lazy dog"
    hit = best_alignment("brwn fox jumps", window, 3)
    assert hit == Alignment(10, 25, 1)
    assert window[hit.start : hit.end] == "brown fox jumps"
    assert best_alignment("brwn fax jumpd", window, 2) is None


def test_lone_surrogates_fall_back_to_python() -> None:
    # Text from a damaged JSON file may hold lone surrogates; edlib cannot encode them.
    window = "omicron pi\ud835 rho sigma omicron pa"
    assert best_alignment("omicronpi\ud835", window.replace(" ", ""), 1) == Alignment(0, 10, 0)
    assert best_alignment("pi\ud835 rho", window, 2) == Alignment(8, 15, 0)


def test_too_many_distinct_characters_fall_back_to_python() -> None:
    window = "".join(chr(0x4E00 + i) for i in range(400))
    pattern = window[100:140]
    assert best_alignment(pattern, window, 2) == Alignment(100, 140, 0)


def test_boundary_fitting_skips_only_evaluations_that_cannot_win(monkeypatch) -> None:
    """``fuzzy._may_beat`` mirrors how :meth:`Query.evaluate` scores; if scoring changes, the
    pruned and the unpruned boundary fitting must still pick the same spans."""
    from tether.resolve import fuzzy
    from tether.resolve.cascade import Resolver  # pure: what the patches reach
    from tether.selectors import Annotation, TextPosition, TextQuote
    from tether.textmodel.model import DocumentText

    rnd = random.Random(5)
    words = ["the", "of", "stored", "quote", "context", "text", "anchor", "page", "version",
             "edit", "moved", "span"]
    pages = [" ".join(rnd.choice(words) + str(rnd.randrange(40)) for _ in range(400))
             for _ in range(3)]
    doc = DocumentText.from_page_texts(pages, model="test")
    text = doc.text
    annotations = []
    for k in range(60):
        a = rnd.randrange(40, len(text) - 200)
        b = a + rnd.randint(12, 150)
        exact = list(text[a:b])
        for _ in range(rnd.randint(1, 4)):
            exact[rnd.randrange(len(exact))] = rnd.choice("xyz.")
        # Edits at the quote's ends, where the boundary fitting has a choice to make.
        exact[rnd.choice((0, 1, -1, -2))] = rnd.choice("0123456789")
        annotations.append(Annotation(
            id=str(k), quote=TextQuote("".join(exact), text[a - 32 : a], text[b : b + 32]),
            position=TextPosition(max(0, a - rnd.randint(0, 50)), b, OffsetUnit.UTF16)))

    def answers() -> list:
        resolver = Resolver(doc)
        return [(r.status, r.start, r.end, r.score) for r in map(resolver.resolve, annotations)]

    pruned = answers()
    monkeypatch.setattr(fuzzy, "_may_beat", lambda *args: True)
    assert answers() == pruned
    assert sum(s.value == "fuzzy" for s, *_ in pruned) >= 20
