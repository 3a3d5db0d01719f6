"""Best approximate occurrence of a pattern inside a bounded window (Levenshtein distance).

Why Myers' bit-parallel algorithm (1999, Hyyrö's formulation): it is what Hypothesis's
``approx-string-match`` runs, it gives the edit distance of the best match *ending* at every
window position in one pass, and with Python's unbounded integers one pass costs a dozen
integer operations per window character whatever the pattern length (2,000-character quotes
included). The start of the best match is found by a second pass over the reversed text, with
the pattern pinned at the chosen end. The window is always a small region found by seeds
(:mod:`tether.resolve.fuzzy`), never a whole document.

Speed: the same two passes run in C through ``edlib`` (Myers' algorithm too: infix mode for the
ends, prefix mode for the reversed start) when it is installed and the strings hold at most 256
distinct characters (edlib's alphabet limit) and no lone surrogate (edlib encodes them as UTF-8);
the pure-Python passes below are the fallback and the reference. Both give the same edit counts
and the same sets of best ends and starts, and the tie-break is applied here to either, so the
answer is identical (checked on random strings by ``tests/test_resolve_align.py``). The C passes
cost about 1 µs per 1,000 window characters where Python needs about 1 µs per character.

All indices are into the strings given (match views, see :mod:`tether.resolve.normalize`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import LCSseq, Levenshtein

from tether.resolve.votes import code_points

try:  # optional C speed-up; the Python passes below give the same answers
    import edlib as _edlib
except ImportError:  # pragma: no cover - depends on the installation
    _edlib = None
try:  # optional: turns non-ASCII text into bytes for edlib faster than edlib does
    import numpy as _np
except ImportError:  # pragma: no cover - depends on the installation
    _np = None

#: edlib maps characters to bytes: more distinct characters than this cannot go through it.
EDLIB_ALPHABET = 256

#: Characters at each end of a long quote that :func:`best_alignment_by_ends` searches.
END_PIECE = 64


@dataclass(frozen=True, slots=True)
class Alignment:
    """``pattern`` matched ``window[start:end]`` with ``errors`` edits (Levenshtein)."""

    start: int
    end: int
    errors: int


def _distances(pattern: str, text: str, pinned_start: bool) -> list[int]:
    """``out[j]`` = least edits turning ``pattern`` into a substring of ``text`` ending at ``j``.

    With ``pinned_start`` the substring must start at ``text[0]`` (``out[j]`` is then the plain
    edit distance to ``text[:j]``); otherwise it may start anywhere (Sellers' search).
    ``out`` has ``len(text) + 1`` entries; ``out[0] == len(pattern)``.
    """
    m = len(pattern)
    peq: dict[str, int] = {}
    for i, ch in enumerate(pattern):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    carry = 1 if pinned_start else 0
    pv, mv, score = mask, 0, m
    out = [m]
    append = out.append
    get = peq.get
    for ch in text:
        eq = get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | carry) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        append(score)
    return out


def _nearest(values: list[int], target_value: int, lo: int, hi: int, prefer: int) -> int:
    """Index in ``[lo, hi]`` with ``values[i] == target_value`` closest to ``prefer`` (the
    lower index on a tie)."""
    best = -1
    for i in range(lo, hi + 1):
        if values[i] == target_value and (best < 0 or abs(i - prefer) < abs(best - prefer)):
            best = i
    return best


def _closest(indices: list[int], prefer: int) -> int:
    """The index closest to ``prefer`` (the lower one on a tie), as :func:`_nearest` picks."""
    return min(indices, key=lambda i: (abs(i - prefer), i))


def use_c() -> bool:
    """True when the C passes (edlib) are available."""
    return _edlib is not None


def best_alignment(
    pattern: str, window: str, max_errors: int, expected_start: int | None = None,
    coded: tuple[bytes, bytes] | None = None,
) -> Alignment | None:
    """The occurrence of ``pattern`` in ``window`` with the fewest edits, if ≤ ``max_errors``.

    Ties (several ends or starts with the same edit count) go to the one nearest where the seeds
    expected the match (``expected_start``, a window index), else to the one nearest the
    pattern's own length from the other end.

    ``coded``: both strings already as bytes, one per character, such that a pattern byte
    equals a window byte exactly when the characters are equal (the document's codes,
    :meth:`~tether.resolve.votes.GramKeys.code`); edlib then skips its own conversion.
    """
    m = len(pattern)
    if m == 0 or not window:
        return None
    if _edlib is not None and coded is not None:
        return _best_alignment_c(pattern, window, max_errors, expected_start, coded)
    if _edlib is not None:
        if pattern.isascii() and window.isascii():  # O(1) flags; 128 characters at most
            coded = pattern.encode("ascii"), window.encode("ascii")
            return _best_alignment_c(pattern, window, max_errors, expected_start, coded)
        alphabet = set(pattern).union(window)
        if len(alphabet) <= EDLIB_ALPHABET:
            coded = _coded(pattern, window, alphabet)
            try:
                return _best_alignment_c(pattern, window, max_errors, expected_start, coded)
            except UnicodeError:  # edlib encodes str as UTF-8: a lone surrogate cannot go
                pass
    return _best_alignment_py(pattern, window, max_errors, expected_start)


def _coded(pattern: str, window: str, alphabet: set[str]) -> tuple[bytes, bytes] | None:
    """Both strings as bytes, one byte per character (its rank in ``alphabet``, which holds
    every character of both and at most 256): what edlib does itself for ``str`` input, where
    its own conversion of a non-ASCII string costs more than the alignment (measured: 40–110 µs
    of 50–170 µs on the edited cases). Same alignments, since the mapping is one to one. None
    without numpy (edlib then converts)."""
    if _np is None:
        return None
    ranks = _np.array(sorted(map(ord, alphabet)), dtype=_np.uint32)

    def code(text: str) -> bytes:
        return ranks.searchsorted(code_points(text)).astype(_np.uint8).tobytes()

    return code(pattern), code(window)


def _best_end_py(
    pattern: str, window: str, max_errors: int, expected_start: int | None
) -> tuple[int, int] | None:
    """``(end, errors)`` of :func:`_best_alignment_py`'s alignment: its first pass alone."""
    ends = _distances(pattern, window, pinned_start=False)
    errors = min(ends)
    if errors > max_errors:
        return None
    guess = len(window) if expected_start is None else expected_start + len(pattern)
    return _nearest(ends, errors, 0, len(window), guess), errors


def _best_alignment_py(
    pattern: str, window: str, max_errors: int, expected_start: int | None
) -> Alignment | None:
    m = len(pattern)
    found = _best_end_py(pattern, window, max_errors, expected_start)
    if found is None:
        return None
    end, errors = found
    # Pin the reversed pattern at the chosen end and read where it can start.
    lo = max(0, end - m - errors)
    rev = _distances(pattern[::-1], window[lo:end][::-1], pinned_start=True)
    length = _nearest(rev, errors, 0, len(rev) - 1, m)
    if length <= 0:  # cannot happen for errors < m; kept so an empty match is never returned
        return None
    return Alignment(end - length, end, errors)


def _best_alignment_c(
    pattern: str, window: str, max_errors: int, expected_start: int | None,
    coded: tuple[bytes, bytes] | None = None,
) -> Alignment | None:
    """:func:`_best_alignment_py` through edlib: ``HW`` (infix) mode lists every end with the
    fewest edits, ``SHW`` (prefix) mode on the reversed strings every start for the chosen end.
    edlib's locations are inclusive end indices, so ``end = location + 1``. ``coded``: the
    same two strings as bytes, one byte per character (faster through edlib)."""
    m = len(pattern)
    p, w = coded if coded is not None else (pattern, window)
    found = _best_end_c(pattern, window, max_errors, expected_start, (p, w))
    if found is None:
        return None
    end, errors = found
    if errors == m:  # the Python passes may then pick an empty match; never returned anyway
        return _best_alignment_py(pattern, window, max_errors, expected_start)
    lo = max(0, end - m - errors)
    back = _edlib.align(p[::-1], w[lo:end][::-1], mode="SHW", task="distance", k=errors)
    length = _closest([e + 1 for _, e in back["locations"]], m)
    return Alignment(end - length, end, errors)


def _best_end_c(
    pattern: str, window: str, max_errors: int, expected_start: int | None,
    coded: tuple[bytes | str, bytes | str],
) -> tuple[int, int] | None:
    """``(end, errors)`` of :func:`_best_end_py` through edlib's ``HW`` (infix) pass, which
    lists every end with the fewest edits (inclusive indices, so ``end = location + 1``); the
    same answer except when ``errors == len(pattern)``, where the Python pass may also pick the
    empty end 0 (callers check)."""
    found = _edlib.align(coded[0], coded[1], mode="HW", task="distance", k=max_errors)
    errors = found["editDistance"]
    if errors < 0:
        return None
    guess = len(window) if expected_start is None else expected_start + len(pattern)
    return _closest([e + 1 for _, e in found["locations"]], guess), errors


def best_end(
    pattern: str, window: str, max_errors: int, expected_start: int | None = None,
    coded: tuple[bytes, bytes] | None = None,
) -> tuple[int, int] | None:
    """``(alignment.end, alignment.errors)`` of :func:`best_alignment` with the same arguments
    (None likewise), without looking for the start: one pass instead of two."""
    if _edlib is not None and coded is not None and max_errors < len(pattern):
        if not pattern or not window:
            return None
        return _best_end_c(pattern, window, max_errors, expected_start, coded)
    found = best_alignment(pattern, window, max_errors, expected_start, coded)
    return None if found is None else (found.end, found.errors)


def cannot_align(pattern: str, window: str, max_errors: int,
                 coded: tuple[bytes, bytes] | None = None) -> bool:
    """True when no substring of ``window`` is within ``max_errors`` edits of ``pattern``, as
    proven by their longest common subsequence alone (one C pass, ~10 µs for 500 × 1,000
    characters, where the alignment costs several such passes and their Python around them).

    Exact bound: an alignment of ``pattern`` with a substring ``s`` in ``e`` edits leaves the
    pattern's characters that are neither substituted nor deleted matched, in order, so
    ``LCS(pattern, s) >= len(pattern) - e``; and ``LCS(pattern, s) <= LCS(pattern, window)``.
    So ``LCS(pattern, window) < len(pattern) - max_errors`` rules every substring out. (An
    edited passage's text is still mostly there, in order; a deleted one's window keeps about
    half of it, far below the three quarters an alignment needs.) ``coded``: both strings as
    one-byte codes (see :func:`best_alignment`); equal characters, equal codes, same LCS."""
    least = len(pattern) - max_errors  # characters any admissible alignment keeps matched
    if least <= 0:
        return False
    a, b = coded if coded is not None else (pattern, window)
    return LCSseq.similarity(a, b, score_cutoff=least) < least


def best_alignment_by_ends(
    pattern: str, text: str, start_guess: int, end_guess: int, slack: int, max_errors: int,
    coded: tuple[bytes, bytes] | None = None,
) -> Alignment | None:
    """Align a long ``pattern`` by its two ends only, for speed.

    Myers' cost grows with the pattern (one machine word per 64 characters per text character),
    so for long quotes only the first and last ``END_PIECE`` characters are searched near where
    the seeds place the start (``start_guess``) and the end (``end_guess``), both text indices;
    the edit count of the whole span is then measured by rapidfuzz (bit-parallel, in C). The
    span is exact at its ends when they are intact, and its edit count always exact.
    ``coded``: ``pattern`` and ``text`` as bytes (see :func:`best_alignment`).
    """
    piece = min(len(pattern), END_PIECE)
    lo = max(0, start_guess - slack)
    hi = start_guess + piece + slack
    # The span found below lies inside text[lo : end_guess + slack]: if no substring of that
    # can be within max_errors edits, neither piece need be searched.
    if cannot_align(pattern, text[lo : end_guess + slack], max_errors,
                    None if coded is None else (coded[0], coded[1][lo : end_guess + slack])):
        return None
    head = best_alignment(pattern[:piece], text[lo:hi], piece - 1,
                          expected_start=start_guess - lo,
                          coded=None if coded is None else (coded[0][:piece], coded[1][lo:hi]))
    lo2 = max(0, end_guess - piece - slack)
    hi2 = end_guess + slack
    # Only the tail's end is used: its start is not looked for.
    tail = best_end(pattern[-piece:], text[lo2:hi2], piece - 1,
                    expected_start=end_guess - piece - lo2,
                    coded=None if coded is None else (coded[0][-piece:], coded[1][lo2:hi2]))
    if head is None or tail is None:
        return None
    start, end = lo + head.start, lo2 + tail[0]
    if end <= start:
        return None
    errors = Levenshtein.distance(pattern, text[start:end], score_cutoff=max_errors)
    return Alignment(start, end, errors) if errors <= max_errors else None
