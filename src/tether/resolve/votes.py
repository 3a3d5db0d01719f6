"""The gram votes of a needle (:meth:`DocumentIndex._hits`) computed with numpy, same answer.

Why: a needle of a few hundred characters looks up every one of its grams (one string slice,
one hash, one dict probe each: ~0.5 µs apiece, 0.1–0.4 ms a needle), and that was the largest
single cost of an edited or deleted passage. Here the whole needle is looked up in a few numpy
calls (~30 µs whatever its length).

How, exactly: every character of the match view is given a one-byte code (1..255; the view
must hold at most ``MAX_ALPHABET`` distinct characters, else :meth:`GramKeys.build` returns None
and the caller keeps its dict), so a gram of ``GRAM_LEN`` = 8 characters *is* a 64-bit integer
(big-endian bytes), injectively. The sampled grams' keys are sorted once (stably, so equal keys
keep their positions in ascending order); a needle's grams become keys the same way (a character
the view never holds gets code 0, which no view gram contains) and ``searchsorted`` gives each
one's postings. The hits are then the very integers the dict loop produces, and
:func:`clusters` cuts them into the same regions. ``tests/test_resolve_fast_equal.py`` compares
both with the Python loops on corpus texts.

Positions are match-view indices; needle offsets are indices into the needle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

try:  # optional speed-up; DocumentIndex falls back to its dict of postings
    import numpy as _np
except ImportError:  # pragma: no cover - depends on the installation
    _np = None

#: Distinct view characters a one-byte code can tell apart (code 0 means "not in the view").
MAX_ALPHABET = 255
#: Key width in characters: one byte each, eight bytes to a 64-bit key.
KEY_CHARS = 8
#: Needle offsets sit in the low bits of a hit (:data:`tether.resolve.index._SHIFT`).
HIT_SHIFT = 24


def _probe() -> None:
    """A function whose type tells whether this module was compiled (:data:`COMPILED`)."""


#: True in the Cython build (setup.py; a compiled function is not a Python ``function``): the
#: votes then run :func:`gram_hits` and :func:`clusters_loop`, loops typed in ``votes.pxd``
#: (~2 µs of C each instead of a dozen numpy calls). Pure Python keeps the numpy calls, which
#: are faster there than a Python step per gram. Same answers either way (tested in
#: ``tests/test_resolve_compiled.py``).
COMPILED = type(_probe).__name__ != "function"


@dataclass(frozen=True, slots=True)
class GramKeys:
    """Sorted 64-bit keys of the view's sampled grams (``keys``, then one sentinel), their view
    positions times ``2 ** HIT_SHIFT`` (``shifted``, ascending within equal keys), how many
    postings each key's run holds from each index on (``remaining``; the sentinel's 0), and the
    code of every character (``codes``, indexed by code point; the last entry, 0, stands for
    every code point beyond the table).

    Keys are the grams' bytes read as *signed* big-endian integers: any injective reading
    serves, since keys are only ever compared for equality, and numpy searches ``int64``
    faster than ``uint64``."""

    codes: Any  # numpy uint8 array
    keys: Any  # numpy int64 array, sorted, sentinel last
    shifted: Any  # numpy int64 array
    remaining: Any  # numpy int64 array, one longer than ``shifted``
    #: The whole view in codes, one byte per character (what edlib aligns fastest).
    view_codes: bytes = b""
    #: ``bytes.translate`` table: an ASCII character's byte → its code (``codes`` of the first
    #: 128 code points; 0 beyond ``codes``).
    ascii_table: bytes = bytes(256)
    #: The last non-ASCII text coded and its codes: at most one ``(text, codes)`` pair.
    _last_code: list[tuple[str, bytes]] = field(default_factory=list)
    #: ``remaining`` with runs of more than ``n`` postings zeroed, per ``n`` asked.
    _capped: dict[int, Any] = field(default_factory=dict)

    def code(self, text: str) -> bytes:
        """``text`` in the view's one-byte codes (0 for a character the view never holds)."""
        if text.isascii():  # O(1) flag: one C-level translation, no numpy call
            return text.encode("ascii").translate(self.ascii_table)
        memo = self._last_code
        last = memo[0] if memo else None  # one (text, codes) pair, read once
        if last is not None and last[0] == text:  # step 3 codes the needle the votes coded
            return last[1]
        # ``clip``: a code point beyond the table reads its last entry, 0.
        coded = self.codes.take(code_points(text), mode="clip").tobytes()
        memo[:] = [(text, coded)]
        return coded

    @staticmethod
    def build(text: str, gram_len: int, step: int) -> GramKeys | None:
        """Keys of ``text[i : i + gram_len]`` for ``i = 0, step, 2·step, …``; None when numpy
        is missing, ``gram_len`` is not ``KEY_CHARS`` or the text has too many characters."""
        if _np is None or gram_len != KEY_CHARS:
            return None
        np = _np
        points = code_points(text)
        present = np.zeros(int(points.max()) + 2 if len(points) else 1, bool)
        present[points] = True  # a mark per code point used: no sort (np.unique sorts)
        alphabet = present.nonzero()[0]
        if len(alphabet) > MAX_ALPHABET:
            return None
        codes = np.zeros(len(present), np.uint8)  # the last entry stays 0: "not in the view"
        codes[alphabet] = np.arange(1, len(alphabet) + 1)
        raw = codes[points]
        count = max(0, len(range(0, len(text) - gram_len + 1, step)))
        # Bytes i·step .. i·step + 7 read as one big-endian integer: the gram's key.
        keys = np.ndarray((count,), dtype=">i8", buffer=raw, strides=(step,)).astype(np.int64)
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        # run_end[k]: one past the last index holding keys[k].
        ends = np.flatnonzero(np.diff(keys)) + 1
        run_end = np.repeat(np.append(ends, count), np.diff(np.concatenate(([0], ends,
                                                                           [count]))))
        # The sentinel (the largest key, no postings) catches a needle key beyond every key:
        # its search lands on the sentinel, whose count is 0, even if it equals it.
        keys = np.append(keys, np.iinfo(np.int64).max)
        remaining = np.append(run_end - np.arange(count), 0)
        shifted = order.astype(np.int64) * (step << HIT_SHIFT)
        head = codes[:128].tobytes()
        return GramKeys(codes, keys, shifted, remaining, raw.tobytes(),
                        head + bytes(256 - len(head)))

    def hits(self, needle: str, origin: int, max_postings: int, shift: int) -> Any:
        """The sorted hits (a numpy int64 array) exactly as :meth:`DocumentIndex._hits`
        computes them: for every needle offset ``i`` whose gram has 1..``max_postings``
        postings ``p``, the hit ``(p - i + origin) << shift | i`` (``shift`` must be
        ``HIT_SHIFT``).

        (ndarray methods and operators only, as few as possible: each numpy call costs about a
        microsecond on arrays this small, and module-level wrappers such as ``np.diff`` several.)"""
        np = _np
        assert shift == HIT_SHIFT
        n = len(needle) - KEY_CHARS + 1
        if n <= 0:
            return np.zeros(0, np.int64)
        capped = self._capped.get(max_postings)
        if capped is None:
            capped = self._capped[max_postings] = self.remaining * (
                self.remaining <= max_postings)
        keys = np.ndarray((n,), dtype=">i8", buffer=self.code(needle),
                          strides=(1,)).astype(np.int64)
        if COMPILED:  # the same hits by C loops (votes.pxd), no numpy call per step
            found = gram_hits(self.keys, capped, self.shifted, keys, origin << shift,
                              (1 << shift) - 1)
            found.sort()
            return found
        # Searched in sorted order: each search then starts where the last one ended, which
        # costs fewer cache misses in a document's keys (measured: ~40 → ~30 µs a needle).
        order = keys.argsort()
        keys = keys[order]
        lo = self.keys.searchsorted(keys)
        counts = capped[lo]  # the run's size where the search lands on a run's first key
        counts[self.keys[lo] != keys] = 0
        voting = counts.nonzero()[0]
        if not len(voting):
            return np.zeros(0, np.int64)
        counts = counts[voting]
        lo = lo[voting]
        voting = order[voting]  # needle offsets
        ends = counts.cumsum()
        # Posting k of voting gram j sits at keys index lo[j] + k: each hit's index is its
        # rank among all hits plus (lo[j] - hits before gram j).
        where = np.arange(int(ends[-1])) + (lo - ends + counts).repeat(counts)
        hits = self.shifted[where]
        # (p - i + origin) << shift | i  ==  p << shift  +  (origin << shift) - i·(2^shift - 1);
        # multiplied, not shifted: a diagonal may be negative (needle start before the view's).
        hits += ((origin << shift) - voting * ((1 << shift) - 1)).repeat(counts)
        hits.sort()
        return hits


def clusters(hits: Any, shift: int, tolerance: int, limit: int,
             ) -> list[tuple[int, int, int, int, int, int]]:
    """:meth:`DocumentIndex._regions`'s clustering of sorted ``hits`` (numpy), same answer:
    runs of hits whose diagonals step by at most ``tolerance``; the ``limit`` biggest runs
    (ties in diagonal order) as ``(low, high, centre, votes, first, end)``: diagonals of the
    run's first, last and middle hit, distinct needle offsets in it, and its hit index range."""
    np = _np
    if COMPILED:
        return clusters_loop(hits, shift, tolerance, limit)
    n = len(hits)
    diagonals = hits >> shift
    cuts = ((diagonals[1:] - diagonals[:-1]) > tolerance).nonzero()[0] + 1
    firsts = np.zeros(len(cuts) + 1, np.int64)
    firsts[1:] = cuts
    ends = np.full(len(cuts) + 1, n, np.int64)
    ends[:-1] = cuts
    chosen = (firsts - ends).argsort(kind="stable")[:limit]
    # Distinct offsets per run: (run, offset) pairs sorted, the first of each equal stretch
    # counted for its run.
    marks = np.zeros(n, np.int64)
    marks[cuts] = 1
    pairs = marks.cumsum() * (1 << shift) + (hits & ((1 << shift) - 1))
    pairs.sort()
    distinct = np.ones(n, bool)
    distinct[1:] = pairs[1:] != pairs[:-1]
    votes = np.bincount(pairs[distinct] >> shift, minlength=len(firsts))
    f, e = firsts[chosen], ends[chosen]
    return list(zip(diagonals[f].tolist(), diagonals[e - 1].tolist(),
                    diagonals[(f + e) // 2].tolist(), votes[chosen].tolist(), f.tolist(),
                    e.tolist(), strict=True))


def ends(hits: Any, shift: int, lo: int, hi: int) -> tuple[int | None, int | None]:
    """:meth:`_Votes.ends <tether.resolve.index._Votes.ends>` on a numpy array of hits, same
    answer: of the hits whose needle offset is in ``lo..hi``, ordered by (offset, diagonal),
    the median diagonal of the first third and of the last third."""
    np = _np
    offsets = hits & ((1 << shift) - 1)
    inside = ((offsets >= lo) & (offsets <= hi)).nonzero()[0]
    if not len(inside):
        return None, None
    offsets, diagonals = offsets[inside], hits[inside] >> shift
    ordered = diagonals[np.lexsort((diagonals, offsets))]
    third = max(1, len(ordered) // 3)
    head, tail = np.sort(ordered[:third]), np.sort(ordered[-third:])
    return int(head[len(head) // 2]), int(tail[len(tail) // 2])


def code_points(text: str) -> Any:
    """``text`` as a numpy array of code points (UTF-32: one element per character)."""
    return _np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=_np.uint32)


def gram_hits(keys: Any, capped: Any, shifted: Any, needle_keys: Any, base: int,
              factor: int) -> Any:
    """:meth:`GramKeys.hits` before its final sort, as loops (compiled from ``votes.pxd``):
    for every needle offset ``i`` whose key ``needle_keys[i]`` is in ``keys`` (sorted, sentinel
    last) with a capped run size ``c > 0``, the hits ``shifted[lo + k] + base - i * factor``
    for ``k < c``, where ``lo`` is the key's first index (``searchsorted``'s left side).
    A numpy int64 array, in needle-offset order."""
    n = len(needle_keys)
    size = len(keys)
    # (Each array's memoryview is a typed local in the build; the array itself is returned.)
    lows = _np.empty(n, _np.int64)
    counts = _np.empty(n, _np.int64)
    total = 0
    for i in range(n):
        key = needle_keys[i]
        lo = 0
        hi = size
        while lo < hi:  # the first index whose key is >= key (never past the sentinel)
            mid = (lo + hi) >> 1
            if keys[mid] < key:
                lo = mid + 1
            else:
                hi = mid
        c = capped[lo] if keys[lo] == key else 0
        lows[i] = lo
        counts[i] = c
        total += c
    found = _np.empty(total, _np.int64)
    out = found
    j = 0
    for i in range(n):
        c = counts[i]
        if c:
            lo = lows[i]
            delta = base - i * factor
            for k in range(c):
                out[j] = shifted[lo + k] + delta
                j += 1
    return found


def clusters_loop(hits: Any, shift: int, tolerance: int, limit: int,
                  ) -> list[tuple[int, int, int, int, int, int]]:
    """:func:`clusters` as loops (compiled from ``votes.pxd``), same answer: one pass cuts the
    runs and counts each run's distinct needle offsets (a stamp per offset: the run that last
    counted it); the ``limit`` biggest runs, ties in diagonal order."""
    n = len(hits)
    if n == 0:
        return []
    mask = (1 << shift) - 1
    most = 0  # the largest needle offset
    for j in range(n):
        if (hits[j] & mask) > most:
            most = hits[j] & mask
    stamp = _np.full(most + 1, -1, _np.int64)
    firsts = _np.empty(n, _np.int64)
    negated = _np.empty(n, _np.int64)  # minus each run's size: a stable ascending sort puts
    sizes = negated                     # the biggest first, ties in diagonal order
    votes = _np.empty(n, _np.int64)
    runs = 0
    first = 0
    count = 0
    previous = hits[0] >> shift
    for j in range(n):
        diagonal = hits[j] >> shift
        if j and diagonal - previous > tolerance:
            firsts[runs] = first
            sizes[runs] = first - j
            votes[runs] = count
            runs += 1
            first = j
            count = 0
        previous = diagonal
        offset = hits[j] & mask
        if stamp[offset] != runs:
            stamp[offset] = runs
            count += 1
    firsts[runs] = first
    sizes[runs] = first - n
    votes[runs] = count
    runs += 1
    chosen = negated[:runs].argsort(kind="stable")[:limit].tolist()
    out = []
    for r in chosen:
        f = firsts[r]
        e = f - sizes[r]
        out.append((hits[f] >> shift, hits[e - 1] >> shift, hits[(f + e) // 2] >> shift,
                    votes[r], f, e))
    return out
