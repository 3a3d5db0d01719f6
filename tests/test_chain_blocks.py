"""Step 4's window alignment: :func:`tether.resolve.blocks.alignment_blocks` recomputes exactly
the matching blocks of rapidfuzz's ``LCSseq.opcodes`` (the compiled build uses it instead of
materialising rapidfuzz's opcodes), in pure Python and, when built, compiled.

The reference is the pure module's own path (rapidfuzz's opcodes, filtered the same way). The
texts are random strings over small and large alphabets (many equally long alignments, so a
different tie-break would show), with non-BMP characters, shared runs, and prose from this
package's docstrings cut into quote/window pairs the way step 4 cuts them."""

from __future__ import annotations

import random
from operator import attrgetter

import numpy as np
import pytest
from rapidfuzz.distance import LCSseq

from tether.resolve import blocks, chain, evidence, implementation, index, normalize

FIELDS = attrgetter("a", "b", "size")
ALPHABETS = ("ab", "abc ", "abcdefgh", "ab\U0001d400", "a\u00e9\u4e00 \U0001f600", "the fox ")


def reference(quote: str, window: str, lo: int, shortest: int) -> list[tuple[int, int, int]]:
    """rapidfuzz's blocks, kept as ``blocks.matching_blocks`` keeps them before growing them."""
    return [(qa, qa + size, lo + va) for qa, va, size in map(
                FIELDS, LCSseq.opcodes(quote, window).as_matching_blocks())
            if size >= shortest or (
                size and qa > 0 and va > 0 and quote[qa - 1] == window[va - 1])]


def random_pairs(count: int, seed: int, longest: int) -> list[tuple[str, str]]:
    rnd = random.Random(seed)
    pairs = [("", ""), ("", "abc"), ("abc", ""), ("abc", "abc"), ("abc", "xyz"),
             ("a" * 70, "a" * 130), ("ab" * 40, "ba" * 40)]
    for _ in range(count):
        alphabet = rnd.choice(ALPHABETS)
        quote = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest)))
        window = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest)))
        if rnd.random() < 0.4:  # the quote's start and end around new text, as in a window
            window = quote[: rnd.randint(0, len(quote))] + window + quote[rnd.randint(
                0, len(quote)):]
        pairs.append((quote, window))
    return pairs


def prose_pairs(count: int, seed: int) -> list[tuple[str, str]]:
    """Quotes of 60–400 characters of real prose and windows around where they were, with a
    part of the quote cut out or rewritten (multi-word bit vectors, long shared runs)."""
    text = " ".join((m.__doc__ or "") for m in (chain, evidence, index, normalize)).split()
    text = " ".join(text)
    rnd = random.Random(seed)
    pairs = []
    for _ in range(count):
        m = rnd.randint(60, 400)
        s = rnd.randrange(0, len(text) - m)
        quote = text[s : s + m]
        a, b = sorted(rnd.randrange(0, m) for _ in range(2))
        edited = text[s : s + a] + rnd.choice(("", text[b : b + (b - a)])) + text[s + b : s + m]
        lo, hi = max(0, s - m // 2), min(len(text), s + m + m // 2)
        pairs.append((quote, text[lo:s] + edited + text[s + m : hi]))
    return pairs


def test_pure_alignment_blocks_are_rapidfuzz_blocks() -> None:
    slots = [0] * 0x10000
    for quote, window in random_pairs(300, 1, 150) + prose_pairs(12, 2):
        for shortest in (1, 3, 10):
            assert blocks.alignment_blocks(quote, window, 7, shortest, slots) == reference(
                quote, window, 7, shortest), (quote, window, shortest)
    assert not any(slots)  # the table is clean for the next call


def test_compiled_alignment_blocks_are_rapidfuzz_blocks() -> None:
    reason = implementation.compiled_status()
    if reason is not None:
        pytest.skip(f"the compiled resolver is not usable here ({reason}); build it with "
                    "`pip install -e .` (needs Cython and a C compiler)")
    compiled = implementation.compiled_module("blocks")
    assert compiled.COMPILED and not blocks.COMPILED
    slots = compiled.SLOTS
    for quote, window in random_pairs(800, 3, 400) + prose_pairs(150, 4):
        for shortest in (1, 3, 10):
            assert compiled.alignment_blocks(quote, window, 5, shortest, slots) == reference(
                quote, window, 5, shortest), (quote, window, shortest)
        # The whole of step 4's block search: grown and filtered the same way.
        view = quote + window
        lo = len(quote)
        shortest = chain.PIECE_LEN
        assert compiled.matching_blocks(quote, view, lo, len(view), shortest) == \
            blocks.matching_blocks(quote, view, lo, len(view), shortest)
    assert not np.asarray(slots).any()
