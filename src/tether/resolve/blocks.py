"""Step 4's alignment: the quote's matching blocks in a window of the match view.

:func:`matching_blocks` is what :mod:`tether.resolve.chain` builds its pieces from: the blocks of
a longest-common-subsequence alignment of the quote with a window, each grown back over verbatim
characters the alignment spent elsewhere. In the Cython build (setup.py) the alignment itself is
:func:`alignment_blocks`, typed in ``blocks.pxd``: rapidfuzz's own alignment recomputed without a
Python object per block; pure Python keeps rapidfuzz's ``opcodes``. Same blocks either way
(``tests/test_chain_blocks.py``). Positions are match-view indices (code points of the view).
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

import numpy as _np
from rapidfuzz.distance import LCSseq


def matching_blocks(quote: str, view: str, lo: int, hi: int, shortest: int = 1,
            ) -> list[tuple[int, int, int]]:
    """The quote's matching blocks in ``view[lo:hi]``: ``(quote start, quote end, view start)``,
    monotone in both.

    A longest common subsequence has many equally long alignments, and the one computed may
    spend a verbatim run's first characters on scattered matches earlier in the window (the
    run then starts late). So each block is grown back over the characters that still match
    verbatim before it, and blocks overlapped by a grown one are dropped.

    A block shorter than ``shortest`` once grown is left out at once (speed: most of the
    alignment's blocks are a character or two). That changes no block of ``shortest`` or more:
    a shorter block is never longer than one of those, so it never cuts one (it is dropped when
    it overlaps one), and the blocks are monotone, so one that does not overlap a new block
    hides nothing behind it that would.
    """
    window = view[lo:hi]
    # Only blocks long enough already, or that can grow (the characters before them match),
    # go through the loop below; the many others are sorted out first.
    if COMPILED and shortest > 0:
        equal = alignment_blocks(quote, window, lo, shortest, SLOTS)
    else:
        # The matching blocks are the alignment's "equal" opcodes (plus a last one of size 0).
        equal = [(qa, qa + size, lo + va) for qa, va, size in map(
                     _BLOCK_FIELDS, LCSseq.opcodes(quote, window).as_matching_blocks())
                 if size >= shortest or (
                     size and qa > 0 and va > 0 and quote[qa - 1] == window[va - 1])]
    out: list[tuple[int, int, int, int]] = []  # (quote start, quote end, view start, view end)
    for qa, qb, va in equal:
        while qa > 0 and va > lo and quote[qa - 1] == view[va - 1]:
            qa, va = qa - 1, va - 1
        if qb - qa < shortest:
            continue
        while out and (out[-1][1] > qa or out[-1][3] > va):
            last = out[-1]
            if last[1] - last[0] < qb - qa:
                out.pop()  # a shorter block the grown one swallows or crosses
                continue
            # A longer block before it: grow only up to that block's end.
            cut = max(last[1] - qa, last[3] - va)
            qa, va = qa + cut, va + cut
            break
        if qa < qb:
            out.append((qa, qb, va, va + qb - qa))
    return [(qa, qb, va) for qa, qb, va, _ in out]


#: A rapidfuzz ``MatchingBlock``'s fields, read at C level.
_BLOCK_FIELDS = attrgetter("a", "b", "size")


def _probe() -> None:
    """A function whose type tells whether this module was compiled (:data:`COMPILED`)."""


#: True in the Cython build (setup.py; a compiled function is not a Python ``function``): the
#: windows' matching blocks then come from :func:`alignment_blocks`, typed in ``blocks.pxd``
#: (no Python object per block of the alignment, ~100 of them in a window, most a character or
#: two). Pure Python keeps rapidfuzz's ``opcodes``, which are faster there than a Python step
#: per character. Same blocks either way (tested in ``tests/test_chain_blocks.py``).
COMPILED = type(_probe).__name__ != "function"
#: :func:`alignment_blocks`' table of pattern rows by code point (BMP), all 0 between calls.
#: One per process, shared by every call: safe while the compiled loop holds the GIL from
#: filling it to clearing it (it has no ``nogil`` block, and its one call out, ``numpy.zeros``
#: for its buffer, runs no Python code); a ``nogil`` version or free-threaded Python would need
#: a table per call or per thread.
SLOTS = _np.zeros(0x10000, _np.int32) if COMPILED else None
#: All 64 bits set: the bit-parallel steps' arithmetic is modulo 2 ** 64 (C's unsigned long
#: long; masked in pure Python, where the function runs only in tests).
_MASK64 = 0xFFFFFFFFFFFFFFFF


def _words(n: int) -> Any:
    """``n`` zeroed 64-bit words: a numpy array (typed memoryview) compiled, a list pure."""
    return _np.zeros(n, _np.uint64) if COMPILED else [0] * n


def alignment_blocks(quote: str, window: str, lo: int, shortest: int, slots: Any,
                      ) -> list[tuple[int, int, int]]:
    """The matching blocks of rapidfuzz's ``LCSseq.opcodes(quote, window)`` — the very same
    alignment, recomputed — that are at least ``shortest`` long or can grow (the characters
    before them match), as ``(quote start, quote end, lo + window start)``, in order.

    rapidfuzz 3 aligns as follows, and so does this: the common prefix and suffix are matched
    first; Hyyrö's bit-parallel LCS of the rest keeps each row of its state (the quote's
    characters as bits, one row per window character); the backtrace from the end steps left
    (a deletion) when the bit of the current cell is set, else up, and diagonally (a match)
    when the bit of the cell above is also clear. A block is a maximal run of matches, joined
    to the common prefix or suffix it touches. ``slots`` maps a BMP code point to its
    character's row of the pattern table (0: not in the quote) and is all 0 again on return;
    other code points go through a dict.
    """
    n1, n2 = len(quote), len(window)
    p = 0
    while p < n1 and p < n2:
        a, b = quote[p], window[p]
        if a != b:
            break
        p += 1
    s = 0
    while s < n1 - p and s < n2 - p:
        a, b = quote[n1 - 1 - s], window[n2 - 1 - s]
        if a != b:
            break
        s += 1
    len1, len2 = n1 - p - s, n2 - p - s
    words = (len1 + 63) >> 6
    one, mask = 1, _MASK64
    # Each distinct quote character gets a row of the pattern table; row 0 is the characters
    # not in the quote (no bit set).
    extra: dict[int, int] = {}
    distinct = 0
    # One buffer (one allocation): the pattern table, the matrix (the initial state, all bits
    # set, then the state after each window character), then the runs of the backtrace and the
    # blocks, three words each.
    most = min(len1, len2) + 2
    try:
        for i in range(len1):
            a = quote[p + i]
            ch = ord(a)
            if ch < 0x10000:
                if slots[ch] == 0:
                    distinct += 1
                    slots[ch] = distinct
            elif ch not in extra:
                distinct += 1
                extra[ch] = distinct
        matrix = (distinct + 1) * words
        runs_at = matrix + (len2 + 1) * words
        blocks_at = runs_at + 3 * most
        buf = _words(blocks_at + 3 * most)
        for i in range(len1):
            a = quote[p + i]
            ch = ord(a)
            if ch < 0x10000:  # noqa: SIM108 (a ternary mixing C and object types boxes)
                code = slots[ch]
            else:
                code = extra[ch]
            k = code * words + (i >> 6)
            buf[k] = buf[k] | (one << (i & 63))
        for w in range(words):
            buf[matrix + w] = mask
        for j in range(len2):
            b = window[p + j]
            ch = ord(b)
            if ch < 0x10000:  # noqa: SIM108
                code = slots[ch]
            else:
                code = extra.get(ch, 0)
            row = code * words
            at = matrix + (j + 1) * words  # the state after window[p + j]; before it at - words
            if code == 0:  # no bit of the quote: the state stays as it is
                for w in range(words):
                    buf[at + w] = buf[at - words + w]
                continue
            carry = 0
            for w in range(words):
                old = buf[at - words + w]
                u = old & buf[row + w]
                x = (old + u) & mask
                overflow = x < old
                x = (x + carry) & mask
                carry = 1 if overflow or x < carry else 0
                buf[at + w] = x | (old - u)
    finally:
        for i in range(len1):
            a = quote[p + i]
            ch = ord(a)
            if ch < 0x10000:
                slots[ch] = 0
    # The backtrace, last block first: only the runs of matches are kept (their quote and
    # window starts and sizes at runs_at + 3 * k).
    runs = 0
    col, row, run = len1, len2, 0
    while row != 0 and col != 0:
        if (buf[matrix + row * words + ((col - 1) >> 6)] >> ((col - 1) & 63)) & 1:
            col -= 1  # a deletion
            if run:
                buf[runs_at + 3 * runs + 2] = run
                runs += 1
                run = 0
            continue
        row -= 1
        if row != 0 and not (
                buf[matrix + row * words + ((col - 1) >> 6)] >> ((col - 1) & 63)) & 1:
            if run:  # an insertion
                buf[runs_at + 3 * runs + 2] = run
                runs += 1
                run = 0
            continue
        col -= 1  # a match: the run now starts here
        run += 1
        buf[runs_at + 3 * runs] = col
        buf[runs_at + 3 * runs + 1] = row
    if run:
        buf[runs_at + 3 * runs + 2] = run
        runs += 1
    # Forward, in whole-string positions, with the common prefix and suffix as blocks joined
    # to a run they touch.
    blocks = 0
    if p:
        buf[blocks_at + 2] = p
        blocks = 1
    for k in range(runs - 1, -2, -1):
        if k >= 0:
            q = buf[runs_at + 3 * k] + p
            v = buf[runs_at + 3 * k + 1] + p
            n = buf[runs_at + 3 * k + 2]
        elif s:
            q, v, n = p + len1, p + len2, s
        else:
            break
        at = blocks_at + 3 * (blocks - 1)
        if blocks and buf[at] + buf[at + 2] == q and buf[at + 1] + buf[at + 2] == v:
            buf[at + 2] = buf[at + 2] + n
        else:
            at += 3
            buf[at], buf[at + 1], buf[at + 2] = q, v, n
            blocks += 1
    out: list[tuple[int, int, int]] = []
    for k in range(blocks):
        at = blocks_at + 3 * k
        q, v, n = buf[at], buf[at + 1], buf[at + 2]
        if n >= shortest:
            out.append((q, q + n, lo + v))
        elif q > 0 and v > 0:
            a, b = quote[q - 1], window[v - 1]
            if a == b:
                out.append((q, q + n, lo + v))
    return out
