"""Full-text alignment of two versions of a document's text: where every character went.

Pure (no IO). Every offset here is a **code point** index into the ``old`` or ``new`` string
(Python ``str`` indices); UTF-16 conversion is the caller's business (``DocumentText``).

:func:`align_texts` works in four steps:

1. the common prefix and suffix are cut off (free);
2. **tokens**: both middles are split into runs of whitespace / non-whitespace and a longest
   common subsequence of the two token lists is computed (rapidfuzz's bit-parallel
   ``Indel.opcodes``, C++). When that would not fit in the time left, the lists are first cut
   at *anchors* — visible tokens occurring exactly once in each list, kept in order by a longest
   increasing subsequence (the patience-diff idea) — and each stretch between anchors is aligned
   on its own, recursively;
3. **characters**: every changed region (tokens deleted and inserted between two unchanged
   stretches) is aligned character by character, smallest regions first, while time is left;
4. **cleanup**: chance equalities — short equal runs between larger edits, such as single
   letters an LCS finds in a rewritten sentence — become part of the edit
   (diff-match-patch's ``diff_cleanupSemantic`` rule, :func:`drop_chance_equalities`, except that
   an equal run of :attr:`AlignOptions.protect` characters or more is always kept: left to
   cascade, the rule also swallows a 19-character formula that survived intact between two
   rewritten sentences), then edits move to word boundaries (``diff_cleanupSemanticLossless``).

**Time guard.** The LCS costs about ``len(a) * len(b)`` cells whatever the texts hold (it is
bit-parallel, not output-sensitive), so its time is *predicted* before each call from
:attr:`AlignOptions.cells_per_second` (measured ≈ 4·10⁹ on this machine; the default assumes half
that), and a call that would overrun the deadline (:attr:`AlignOptions.max_seconds` from the
start) is not made: a token stretch is cut at anchors instead, a character region stays a plain
replacement (nothing in it counts as kept). So the alignment is always *correct* — every
equality it reports is equal text in order — and only gets coarser, never wrong, when time runs
out; :class:`AlignStats` says how much was given up. Very different documents therefore cost at
most the budget and yield few equalities, which the span mapper then refuses to trust.

The result type (:class:`~tether.migrate.alignment.Alignment`, its segments and statistics) is in
:mod:`tether.migrate.alignment`.
"""

from __future__ import annotations

import bisect
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from rapidfuzz.distance import Indel

from tether.migrate.alignment import DELETE, EQUAL, INSERT, Alignment, AlignStats, Op

#: Whitespace as PDF.js text has it (spelled out: Python's ``\\s`` would also take the C0
#: controls U+001C..U+001F, which PDF.js emits as raw glyph codes — visible text).
SPACE_CLASS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
TOKEN = re.compile(f"[{SPACE_CLASS}]+|[^{SPACE_CLASS}]+")
#: Patience splitting stops recursing this deep (each level needs unique anchors).
_MAX_SPLIT_DEPTH = 8


@dataclass(frozen=True)
class AlignOptions:
    """Limits of :func:`align_texts`.

    ``max_seconds``: wall-clock budget for the whole alignment (the semantic cleanup, linear in
    the number of edits, runs after it and is not cut). ``cells_per_second``: the assumed LCS
    speed used to predict whether a call fits in the time left (conservative: half the measured
    speed); an LCS of at most ``free_cells`` cells (well under a millisecond) is always
    affordable. ``semantic_cleanup``: drop chance equalities (:func:`drop_chance_equalities`) and
    shift edits to word boundaries; only tests turn it off. ``protect``: an equal run at least
    this long (code points; about three words) is never dropped as chance.
    """

    max_seconds: float = 30.0
    cells_per_second: float = 2e9
    free_cells: int = 1_000_000
    semantic_cleanup: bool = True
    protect: int = 20


class _Clock:
    """The time guard: a deadline and a predictor of LCS cost."""

    def __init__(self, options: AlignOptions) -> None:
        self.start = time.monotonic()
        self.deadline = self.start + options.max_seconds
        self.rate = options.cells_per_second
        self.free = options.free_cells

    def affords(self, cells: int) -> bool:
        if cells <= self.free:
            return True
        return time.monotonic() + cells / self.rate <= self.deadline

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.start


def align_texts(old: str, new: str, options: AlignOptions | None = None) -> Alignment:
    """Align ``old`` with ``new`` (see the module docstring for the method and the time guard)."""
    options = options or AlignOptions()
    clock = _Clock(options)
    counts: Counter[str] = Counter()
    head = _common_prefix(old, new)
    tail = _common_suffix(old[head:], new[head:])
    a, b = old[head:len(old) - tail], new[head:len(new) - tail]
    diffs: list[Op] = [(EQUAL, old[:head])] if head else []
    token_ops = _align_tokens(TOKEN.findall(a), TOKEN.findall(b), clock, counts)
    diffs += _refine_regions(token_ops, clock, counts)
    if tail:
        diffs.append((EQUAL, old[len(old) - tail:]))
    dmp = diff_match_patch()
    dmp.diff_cleanupMerge(diffs)
    if options.semantic_cleanup:
        diffs = drop_chance_equalities(diffs, options.protect)
        dmp.diff_cleanupSemanticLossless(diffs)
        dmp.diff_cleanupMerge(diffs)
    kept = sum(len(t) for op, t in diffs if op == EQUAL)
    stats = AlignStats(len(old), len(new), kept, clock.elapsed,
                       token_splits=counts["splits"], token_given_up=counts["given_up"],
                       regions=counts["regions"], regions_refined=counts["refined"],
                       regions_skipped=counts["skipped"])
    return Alignment.from_diffs(old, new, diffs, stats)


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    lo, hi = 0, n  # binary search on slices: fast in C
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def _align_tokens(a: list[str], b: list[str], clock: _Clock, counts: Counter[str],
                  depth: int = 0) -> list[Op]:
    """Token-level diff of ``a`` and ``b`` as (op, joined text) operations."""
    if not a or not b:
        return [(op, "".join(t)) for op, t in ((DELETE, a), (INSERT, b)) if t]
    if clock.affords(len(a) * len(b)):
        return _lcs_ops(a, b)
    anchors = _unique_anchors(a, b) if depth < _MAX_SPLIT_DEPTH else []
    if not anchors:
        counts["given_up"] += 1
        return [(DELETE, "".join(a)), (INSERT, "".join(b))]
    counts["splits"] += 1
    ops, i0, j0 = [], 0, 0
    for i, j in anchors:
        ops += _align_tokens(a[i0:i], b[j0:j], clock, counts, depth + 1)
        ops.append((EQUAL, a[i]))
        i0, j0 = i + 1, j + 1
    ops += _align_tokens(a[i0:], b[j0:], clock, counts, depth + 1)
    return ops


def _unique_anchors(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) with ``a[i] == b[j]`` a visible token occurring once in each list, the
    longest chain increasing in both (patience sorting, O(n log n))."""
    ca, cb = Counter(a), Counter(b)
    where_b = {t: j for j, t in enumerate(b) if cb[t] == 1}
    pairs = [(i, where_b[t]) for i, t in enumerate(a)
             if ca[t] == 1 and t in where_b and not t.isspace()]
    tails: list[int] = []  # tails[k]: smallest j ending an increasing chain of length k + 1
    tail_at: list[int] = []  # index into pairs of that chain's end
    back: list[int] = []
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_at.append(n)
        else:
            tails[k], tail_at[k] = j, n
        back.append(tail_at[k - 1] if k else -1)
    chain, n = [], tail_at[-1] if tail_at else -1
    while n >= 0:
        chain.append(pairs[n])
        n = back[n]
    return chain[::-1]


def _refine_regions(ops: list[Op], clock: _Clock, counts: Counter[str]) -> list[Op]:
    """Replace each changed region (deletes and inserts between equalities) by its
    character-level diff, smallest regions first, while the clock affords it."""
    merged: list[Op | list[str]] = []  # EQUAL ops, or [deleted, inserted] regions
    for op, text in ops:
        if op == EQUAL:
            merged.append((op, text))
            continue
        if not merged or isinstance(merged[-1], tuple):
            merged.append(["", ""])
        region = merged[-1]
        assert isinstance(region, list)
        region[0 if op == DELETE else 1] += text
    refined: dict[int, list[Op]] = {}
    todo = [(len(r[0]) * len(r[1]), k) for k, r in enumerate(merged)
            if isinstance(r, list) and r[0] and r[1]]
    counts["regions"] += len(todo)
    for cells, k in sorted(todo):
        if not clock.affords(cells):
            counts["skipped"] += 1
            continue
        region = merged[k]
        assert isinstance(region, list)
        refined[k] = _lcs_ops(region[0], region[1])
        counts["refined"] += 1
    out: list[Op] = []
    for k, r in enumerate(merged):
        if isinstance(r, tuple):
            out.append(r)
        elif k in refined:
            out += refined[k]
        else:
            out += [(op, t) for op, t in ((DELETE, r[0]), (INSERT, r[1])) if t]
    return out


def _lcs_ops(a: Sequence[str], b: Sequence[str]) -> list[Op]:
    """A longest common subsequence of ``a`` and ``b`` (characters of two strings, or two
    token lists) as (op, text) operations."""
    ops: list[Op] = []
    for o in Indel.opcodes(a, b):
        if o.tag == "equal":
            ops.append((EQUAL, "".join(a[o.src_start:o.src_end])))
            continue
        if o.src_end > o.src_start:
            ops.append((DELETE, "".join(a[o.src_start:o.src_end])))
        if o.dest_end > o.dest_start:
            ops.append((INSERT, "".join(b[o.dest_start:o.dest_end])))
    return ops


def drop_chance_equalities(diffs: list[Op], protect: int) -> list[Op]:
    """diff-match-patch's semantic rule with a bound: an equality no longer than the larger side
    of the edit before it *and* of the edit after it is a chance match inside rewritten text, and
    becomes part of one edit — unless it is at least ``protect`` characters long (such a run of
    identical text in order is kept text, however much was rewritten around it). Repeated until
    nothing changes (merging two edits can make a neighbouring equality a chance one)."""
    parts: list[list[str]] = []  # [equal] or [deleted, inserted]
    for op, text in diffs:
        if op == EQUAL:
            parts.append([text])
        else:
            if not parts or len(parts[-1]) == 1:
                parts.append(["", ""])
            parts[-1][0 if op == DELETE else 1] += text
    changed = True
    while changed:
        changed = False
        out: list[list[str]] = []
        k = 0
        while k < len(parts):
            p = parts[k]
            if (len(p) == 1 and out and len(out[-1]) == 2 and k + 1 < len(parts)
                    and len(parts[k + 1]) == 2 and len(p[0]) < protect
                    and len(p[0]) <= max(map(len, out[-1]))
                    and len(p[0]) <= max(map(len, parts[k + 1]))):
                nxt = parts[k + 1]
                out[-1] = [out[-1][0] + p[0] + nxt[0], out[-1][1] + p[0] + nxt[1]]
                k += 2
                changed = True
                continue
            out.append(p)
            k += 1
        parts = out
    result: list[Op] = []
    for p in parts:
        if len(p) == 1:
            result.append((EQUAL, p[0]))
        else:
            result += [(op, t) for op, t in ((DELETE, p[0]), (INSERT, p[1])) if t]
    return result
