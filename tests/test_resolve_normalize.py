"""Match views and their offset maps (tether.resolve.normalize) and the aligner (align)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from tether.resolve.align import best_alignment, best_alignment_by_ends
from tether.resolve.normalize import (
    build_view,
    fit_whitespace,
    key,
    same_up_to_whitespace,
    strip_ignorable,
)


def test_view_drops_whitespace_and_invisibles_and_maps_back() -> None:
    src = "a b\u00a0c\u00add\u200be\n f"
    view = build_view(src)
    assert view.text == "abcdef"
    for i, ch in enumerate(view.text):
        assert src[view.source_of(i)] == ch
    assert view.to_source(1, 4) == (2, 7)  # "b" … "d" in the source


def test_fold_expands_ligatures_and_straightens_typography_with_offsets() -> None:
    src = "e\ufb03cient \u201cquote\u201d \u2014 x"
    view = build_view(src)
    assert view.text == 'efficient"quote"-x'
    # All three letters of the ligature map back to the ligature's one code point.
    assert [view.source_of(i) for i in (1, 2, 3)] == [1, 1, 1]
    assert view.from_source(2) == 4  # the letter after the ligature
    assert view.to_source(1, 4) == (1, 2)
    assert build_view(src, fold=False).text == "e\ufb03cient\u201cquote\u201d\u2014x"


def test_fold_keeps_case_and_control_codes() -> None:
    # PDF.js emits raw codes such as \x02 for unmapped glyphs: they are text, not whitespace.
    assert key("NASA \x02 Nasa") == "NASA\x02Nasa"


def test_non_bmp_characters_are_single_code_points_in_the_view() -> None:
    src = "𝑥 + 𝑦 = 𝑧"
    view = build_view(src, fold=False)
    assert view.text == "𝑥+𝑦=𝑧"
    assert view.to_source(2, 3) == (4, 5)  # "𝑦" is code point 4 of the source
    assert view.from_source(4) == 2
    # Folding maps mathematical alphanumerics to plain letters (NFKC), offsets unchanged.
    folded = build_view(src)
    assert folded.text == "x+y=z"
    assert [folded.source_of(i) for i in range(5)] == [view.source_of(i) for i in range(5)]


def test_from_source_on_whitespace_points_at_next_visible_character() -> None:
    view = build_view("ab   cd")
    assert view.from_source(3) == 2
    assert view.from_source(7) == 4  # past the end


def test_same_up_to_whitespace() -> None:
    assert same_up_to_whitespace("stem celltransplantation", "stem cell transplantation")
    assert not same_up_to_whitespace("colour", "color")
    assert not same_up_to_whitespace("e\ufb03cient", "efficient")  # folding is not whitespace
    assert strip_ignorable(" a\u00ad b ") == "ab"


def test_fit_whitespace_takes_the_quotes_own_edge_whitespace() -> None:
    src = "xx  agent (Russell"
    assert fit_whitespace(src, 4, 9, "agent ") == (4, 10)
    assert fit_whitespace(src, 4, 9, " agent") == (3, 9)
    assert fit_whitespace(src, 4, 9, "agent") == (4, 9)
    # Only whitespace the source really has there is taken.
    assert fit_whitespace("agent(", 0, 5, "agent ") == (0, 5)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab ", min_size=1, max_size=10), st.text(alphabet="ab ", max_size=30))
def test_best_alignment_is_optimal(pattern: str, window: str) -> None:
    pattern = pattern.replace(" ", "") or "a"
    found = best_alignment(pattern, window, len(pattern))
    best = min(
        (Levenshtein.distance(pattern, window[i:j])
         for i in range(len(window) + 1) for j in range(i, len(window) + 1)),
        default=len(pattern),
    )
    if found is None:
        assert best >= len(pattern) or not window
        return
    assert found.errors == best
    assert Levenshtein.distance(pattern, window[found.start : found.end]) == found.errors


def test_best_alignment_respects_max_errors_and_expected_start() -> None:
    assert best_alignment("abcdef", "zzzzzzzzzz", 2) is None
    # Two equally good occurrences: the one nearest the expected start wins.
    window = "xxabcdxxxxxxabcdxx"
    assert best_alignment("abcd", window, 0, expected_start=12).start == 12
    assert best_alignment("abcd", window, 0, expected_start=1).start == 2


def test_long_pattern_aligned_by_its_ends_matches_full_alignment() -> None:
    rng = random.Random(3)
    words = [rng.choice(["alpha", "beta", "gamma", "delta", "omega", "sigma"]) + str(i)
             for i in range(400)]
    quote = "".join(words[100:300])  # ~1,500 characters
    edited = quote[:400] + "INSERTED" + quote[400:900] + quote[920:]
    text = "".join(words[:100]) + edited + "".join(words[300:])
    start = len("".join(words[:100]))
    full = best_alignment(quote, text[start - 40 : start + len(edited) + 40], 200)
    fast = best_alignment_by_ends(quote, text, start + 5, start + len(edited) - 3, 64, 200)
    assert full is not None and fast is not None
    assert (fast.start, fast.end) == (start, start + len(edited))
    assert fast.errors == full.errors == 28


@pytest.mark.parametrize("quote", ["", "   "])
def test_key_of_blank_is_empty(quote: str) -> None:
    assert key(quote) == ""


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab \u00a0\u00ad\ufb03\u2014\u201c𝑥\u3000\x02", max_size=40))
def test_view_map_agrees_with_a_naive_per_character_map(source: str) -> None:
    view = build_view(source)
    naive: list[int] = []
    text = ""
    for i, ch in enumerate(source):
        folded = key(ch)
        text += folded
        naive.extend([i] * len(folded))
    assert view.text == text
    assert [view.source_of(i) for i in range(len(text))] == naive
    for offset in range(len(source) + 1):
        expected = next((k for k, s in enumerate(naive) if s >= offset), len(text))
        assert view.from_source(offset) == expected
