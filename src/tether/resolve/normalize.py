"""Match views of a text: whitespace removed, optionally typography folded, with an offset map.

Why: PDF text extraction is erratic about whitespace (PDF.js 2.11 runs line-end words together,
inserts spaces by a glyph-gap rule, doubles some), so two extractions of the same words rarely
agree on spaces. Hypothesis therefore compares quotes with spaces stripped; tether does the same
and also drops invisible characters (soft hyphen, zero-width joiners). Optionally it folds
typography a new PDF version may change without changing the words: compatibility forms
(ligatures, full-width letters, ``…``) through per-character NFKC, dashes to ``-``, curly quotes
to straight ones. Case is never folded: case carries meaning (acronyms, names).

Every view keeps a map from each of its characters to the **code-point** index in the source
string it came from, so a match in the view maps back to an exact source span. Folding only
decides what is *found*; whether a found text counts as unchanged is always decided on the source
text (see :func:`same_up_to_whitespace`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress
from operator import add

#: Characters a match ignores: Hypothesis's own set (`` \\t\\n\\r\\f\\v\\u00a0``), the other
#: Unicode space separators, line/paragraph separators, and invisible format characters (soft
#: hyphen, zero-width space/joiners, word joiner, BOM). Spelled as code points so the set can be
#: reviewed. C0 controls such as U+001D are *not* here: PDF.js emits raw character codes for
#: glyphs without a Unicode mapping, so they are visible text.
IGNORABLE_CODE_POINTS: frozenset[int] = frozenset(
    (
        0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0,
        0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
        0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF,
    )
)
_IGNORABLE_CHARS = "".join(map(chr, sorted(IGNORABLE_CODE_POINTS)))
_IGNORABLE_CLASS = "".join(f"\\u{c:04x}" for c in sorted(IGNORABLE_CODE_POINTS))
_KEPT_RUN = re.compile(f"[^{_IGNORABLE_CLASS}]+")
_IGNORABLE_RUN = re.compile(f"[{_IGNORABLE_CLASS}]+")
_IGNORABLE_ASCII = "".join(c for c in _IGNORABLE_CHARS if c.isascii())

#: Typographic punctuation a revised PDF may swap without changing the words.
_PUNCTUATION_FOLD: dict[str, str] = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\uff07", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02", '"'),
}


def is_ignorable(ch: str) -> bool:
    """True for a character matching skips (whitespace or invisible)."""
    return ord(ch) in IGNORABLE_CODE_POINTS


def strip_ignorable(text: str) -> str:
    """``text`` without whitespace and invisible characters (no folding)."""
    if text.isprintable():
        # Every ignorable character but the space is a separator or a control/format
        # character, none of which is printable (checked on every one by a test): one C pass
        # each, against ``str.split`` + ``join``'s object per word (2-4 x faster on quotes).
        return text.replace(" ", "")
    if "\x1c" not in text and "\x1d" not in text and "\x1e" not in text \
            and "\x1f" not in text and not any(map(text.__contains__, _SPLIT_KEEPS)):
        # Same result, C speed: ``str.split()`` splits on exactly the ignorable characters
        # plus the information separators U+001C..U+001F, minus the invisible format
        # characters; a text holding none of those six is split like the regex would strip it.
        return "".join(text.split())
    return _IGNORABLE_RUN.sub("", text)


#: The ignorable characters ``str.split()`` does not split on (invisible format characters);
#: ``tests/test_resolve_fast_equal.py`` checks both differences against ``str.isspace``.
_SPLIT_KEEPS = ("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")


def only_ignorable(text: str) -> bool:
    """True when ``text`` holds nothing but ignorable characters (or nothing), i.e. when
    ``strip_ignorable(text) == ""``: one C-level strip instead of building the stripped text."""
    if text and ord(text[0]) not in IGNORABLE_CODE_POINTS:
        return False  # the common answer, from the first character alone
    return not text.strip(_IGNORABLE_CHARS)


def same_up_to_whitespace(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ at most in whitespace / invisible characters."""
    return a == b or strip_ignorable(a) == strip_ignorable(b)


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    folded = _PUNCTUATION_FOLD.get(ch)
    if folded is not None:
        return folded
    folded = unicodedata.normalize("NFKC", ch)
    # NFKC turns some spacing marks into "space + combining mark": drop what matching ignores.
    return strip_ignorable(folded) if folded != ch else ch


def _needs_fold(run: str) -> bool:
    if run.isascii():
        return False
    # A regex search, not ``frozenset.isdisjoint(run)``: the latter makes a Python object per
    # character of the run.
    return not unicodedata.is_normalized("NFKC", run) or _PUNCTUATION_RE.search(run) is not None


_PUNCTUATION_RE = re.compile("[" + re.escape("".join(_PUNCTUATION_FOLD)) + "]")
#: Runs of characters that folding may change: ASCII never changes (no ASCII character is in
#: ``_PUNCTUATION_FOLD``, and NFKC leaves ASCII alone).
_NON_ASCII_RUN = re.compile("[^\x00-\x7f]+")


class _FoldTable(dict):
    """``str.translate`` table: code point → :func:`_fold_char` of it, filled on first use
    (folding a text in one C loop instead of a Python call per character)."""

    def __missing__(self, cp: int) -> str:
        folded = self[cp] = _fold_char(chr(cp))
        if len(folded) != 1:
            _IRREGULAR.add(chr(cp))
        return folded


_FOLD_TABLE = _FoldTable()
#: Characters of :data:`_FOLD_TABLE` that fold to nothing or to several characters.
_IRREGULAR: set[str] = set()


@dataclass(frozen=True, slots=True)
class KeyView:
    """A match view of a source string, with the map back to the source.

    ``text`` is the view. The map is stored as runs (one per stretch of consecutive source
    characters, so memory follows the number of words, not of characters): run ``k`` starts at
    view index ``run_view[k]`` and source code point ``run_source[k]``; with ``run_step[k] == 1``
    view characters map one to one onto consecutive source characters, with ``0`` they all come
    from one source character (an expansion such as ``ﬃ`` → ``ffi``). Source positions are
    non-decreasing along the view. ``source_length`` is ``len(source)``.

    ``view_blocks[j]`` / ``source_blocks[j]`` (derived, built with a view of ``BLOCKS_FROM_RUNS``
    runs or more; None for a shorter one) are the run holding
    view index / source code point ``j << BLOCK_SHIFT`` (``bisect_right(run_…, j << BLOCK_SHIFT)
    - 1``): a lookup then bisects only the runs of one block (~10 words) instead of all of them,
    which in a long run of annotations is a handful of cache misses instead of ~15.
    """

    text: str
    run_view: array
    run_source: array
    run_step: array
    source_length: int
    view_blocks: array | None = field(default=None, compare=False, repr=False)
    source_blocks: array | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        # A short view (a quote's own, built per chain measured) is bisected whole: its tables
        # would cost more to build than they save.
        if self.view_blocks is None and len(self.run_view) >= BLOCKS_FROM_RUNS:
            object.__setattr__(self, "view_blocks", _run_blocks(self.run_view, len(self.text)))
            object.__setattr__(self, "source_blocks",
                               _run_blocks(self.run_source, self.source_length))

    def source_of(self, i: int) -> int:
        """Code point in the source of the character that produced ``text[i]``."""
        k = bisect.bisect_right(self.run_view, i) - 1
        return self.run_source[k] + (i - self.run_view[k]) * self.run_step[k]

    def to_source(self, a: int, b: int) -> tuple[int, int]:
        """View span ``[a, b)`` (non-empty) → source code-point span covering those characters."""
        if not 0 <= a < b <= len(self.text):
            raise ValueError(f"view span {a}..{b} outside 0..{len(self.text)} or empty")
        # ``source_of(a), source_of(b - 1) + 1`` written out (once per candidate scored), each
        # bisection narrowed to the runs of its block (see the class docstring).
        run_view, run_source, run_step, blocks = (self.run_view, self.run_source, self.run_step,
                                                  self.view_blocks)
        b -= 1
        if blocks is None:
            k = bisect.bisect_right(run_view, a) - 1
            start = run_source[k] + (a - run_view[k]) * run_step[k]
            k = bisect.bisect_right(run_view, b) - 1
            return start, run_source[k] + (b - run_view[k]) * run_step[k] + 1
        j = a >> BLOCK_SHIFT
        lo = blocks[j]
        k = bisect.bisect_right(run_view, a, lo if lo > 0 else 0, blocks[j + 1] + 1) - 1
        start = run_source[k] + (a - run_view[k]) * run_step[k]
        j = b >> BLOCK_SHIFT
        lo = blocks[j]
        k = bisect.bisect_right(run_view, b, lo if lo > 0 else 0, blocks[j + 1] + 1) - 1
        return start, run_source[k] + (b - run_view[k]) * run_step[k] + 1

    def from_source(self, offset: int) -> int:
        """First view index whose source character is at or after code-point ``offset``."""
        blocks = self.source_blocks
        j = offset >> BLOCK_SHIFT
        if blocks is not None and 0 <= j < len(blocks) - 1:
            lo = blocks[j]
            k = bisect.bisect_right(self.run_source, offset, lo if lo > 0 else 0,
                                    blocks[j + 1] + 1) - 1
        else:
            k = bisect.bisect_right(self.run_source, offset) - 1
        if k < 0:
            return 0
        view_end = self.run_view[k + 1] if k + 1 < len(self.run_view) else len(self.text)
        step = self.run_step[k]
        source_end = self.run_source[k] + ((view_end - self.run_view[k]) if step else 1)
        if offset >= source_end:
            return view_end
        return self.run_view[k] + (offset - self.run_source[k]) * step


#: Block size (as a shift) of :class:`KeyView`'s run tables: 64 view characters or code points.
BLOCK_SHIFT = 6
#: Views of fewer runs (words) than this have no block tables.
BLOCKS_FROM_RUNS = 256


def _run_blocks(starts: array, length: int) -> array:
    """``bisect_right(starts, j << BLOCK_SHIFT) - 1`` for ``j`` in ``0 .. (length >>
    BLOCK_SHIFT) + 1`` (``starts`` sorted): one numpy search (~0.1 ms for a 1,000-page
    document), or the bisections themselves without numpy."""
    count = (length >> BLOCK_SHIFT) + 2
    out = array("q")
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a dependency; same table, slower
        lo = 0
        for j in range(count):
            lo = bisect.bisect_right(starts, j << BLOCK_SHIFT, lo)
            out.append(lo - 1)
        return out
    found = np.searchsorted(np.frombuffer(starts, dtype=np.int64),
                            np.arange(count, dtype=np.int64) << BLOCK_SHIFT, side="right")
    out.frombytes((found.astype(np.int64) - 1).tobytes())
    return out


def build_view(source: str, fold: bool = True) -> KeyView:
    """The match view of ``source``: ignorable characters removed, typography folded if ``fold``.

    Linear in ``len(source)``; runs of plain text are copied whole (list operations, no Python
    step per word), only runs that need folding go character by character.
    """
    kept, kept_at = _kept_runs(source)
    if fold:
        folded = [k for k, run in enumerate(kept) if not run.isascii() and _needs_fold(run)]
    else:
        folded = []
    parts: list[str] = []
    run_view, run_source, run_step = array("q"), array("q"), array("b")
    view_len = 0

    def add_plain(a: int, b: int) -> None:
        """Kept runs ``a..b-1`` copied whole, one map run each."""
        nonlocal view_len
        if a >= b:
            return
        lengths = list(map(len, kept[a:b]))
        run_view.extend(accumulate(lengths[:-1], initial=view_len))
        run_source.extend(kept_at[a:b])
        run_step.frombytes(b"\x01" * (b - a))
        parts.extend(kept[a:b])
        view_len += sum(lengths)

    # A run whose every character folds to exactly one character maps one to one onto its
    # source like a plain run (a single map run): it is copied whole, folded in one translate.
    irregular = []
    for k in folded:
        run = kept[k].translate(_FOLD_TABLE)  # fills the table, and _IRREGULAR, for the run
        if _IRREGULAR.isdisjoint(kept[k]):
            kept[k] = run
        else:
            irregular.append(k)
    done = 0
    for k in irregular:
        add_plain(done, k)
        done = k + 1
        next_source = -1  # source index that would continue the last one-to-one map run
        for i, ch in enumerate(kept[k], kept_at[k]):
            f = _fold_char(ch)
            if not f:
                continue
            one_to_one = len(f) == 1
            if not (one_to_one and i == next_source):
                run_view.append(view_len)
                run_source.append(i)
                run_step.append(1 if one_to_one else 0)
            parts.append(f)
            view_len += len(f)
            next_source = i + 1 if one_to_one else -1
    add_plain(done, len(kept))
    return KeyView("".join(parts), run_view, run_source, run_step, len(source))


def _kept_runs(source: str) -> tuple[list[str], list[int]]:
    """The maximal runs of non-ignorable characters of ``source`` and their code-point offsets.

    Kept runs are maximal, so two of them are never adjacent: each starts a new map run. Done
    with C-level string operations (the regex :data:`_KEPT_RUN` takes ~10 ms on 147,000
    characters, this ~2 ms): every ignorable character other than the space is replaced by a
    space (same length, so offsets are kept), then the text is split at single spaces; an empty
    piece is a space next to a space.
    """
    spaced = source
    candidates = _IGNORABLE_ASCII if source.isascii() else _IGNORABLE_CHARS
    for ch in candidates:
        if ch != " " and ch in spaced:
            spaced = spaced.replace(ch, " ")
    pieces = spaced.split(" ")
    lengths = list(map(len, pieces))
    # Piece k starts after the k spaces and the pieces before it.
    at = list(map(add, accumulate(lengths, initial=0), range(len(pieces))))
    return list(compress(pieces, lengths)), list(compress(at, lengths))


def key(text: str, fold: bool = True) -> str:
    """The view text alone (what a quote or context is compared as); equals
    ``build_view(text, fold).text``.

    The last answer is kept (one entry): resolving an annotation asks for its quote's key
    twice in a row (the position check, then the search), ~10 µs each for a long non-ASCII
    quote. Only the non-ASCII runs go through the fold table (``str.translate`` looks up every
    character of a non-ASCII string in Python's dict, ASCII ones included)."""
    global _LAST_KEY
    last = _LAST_KEY
    if last[1] == fold and last[0] == text:
        return last[2]
    kept = _key(text, fold)
    _LAST_KEY = (text, fold, kept)
    return kept


def key_pair(first: str, second: str, fold: bool = True) -> tuple[str, str]:
    """``(key(first, fold), key(second, fold))`` in one pass (a quote's two context sides): a
    key is made character by character, so the key of both joined by a separator character
    (kept as it is, and in neither text) is both keys joined by it. Leaves :func:`key`'s last
    answer alone."""
    if first.find(_PAIR_SEPARATOR) >= 0 or second.find(_PAIR_SEPARATOR) >= 0:
        return _key(first, fold), _key(second, fold)
    both = _key(f"{first}{_PAIR_SEPARATOR}{second}", fold)
    cut = both.find(_PAIR_SEPARATOR)
    return both[:cut], both[cut + 1 :]


#: Printable ASCII (so the joined text takes the same fast paths as the parts: ASCII stays
#: ASCII, printable stays printable), neither ignorable nor folded, and rare in PDF text (none
#: in the nine documents of the update suite).
_PAIR_SEPARATOR = "^"


def _key(text: str, fold: bool) -> str:
    """:func:`key` without its memo."""
    kept = strip_ignorable(text)
    if fold and not kept.isascii():
        if unicodedata.is_normalized("NFKC", kept):
            # No character of an NFKC-normalized text changes under NFKC on its own (one that
            # would has NFKC_Quick_Check=No, which no normalized text holds), so only the
            # typographic punctuation folds: one regex step per such character instead of a
            # translation per non-ASCII run (accented prose has one every few characters).
            # Each punctuation character found is replaced everywhere at once (``str.replace``;
            # the search goes on after it): the same text as ``_PUNCTUATION_RE.sub`` with a
            # call per match, without the substitution machinery, whose code is cold in a long
            # run of annotations.
            found = _PUNCTUATION_RE.search(kept)
            while found is not None:
                at = found.start()
                mark = kept[at]
                kept = kept.replace(mark, _PUNCTUATION_FOLD[mark])
                found = _PUNCTUATION_RE.search(kept, at + 1)
        else:
            kept = _NON_ASCII_RUN.sub(_fold_run, kept)
    return kept


def _fold_run(m: re.Match[str]) -> str:
    return m.group().translate(_FOLD_TABLE)


_LAST_KEY: tuple[str, bool, str] = ("", True, "")


def fit_whitespace(source: str, start: int, end: int, exact: str) -> tuple[int, int]:
    """Widen ``[start, end)`` over the whitespace ``exact`` has at its ends (if ``source`` has it).

    A match in a view starts and ends on visible characters; a stored quote may begin or end with
    a space (``"…intelligentagent "``). Taking the same amount of adjacent source whitespace makes
    the resolved text equal to the stored one whenever the words are unchanged.
    """
    lead = len(exact) - len(exact.lstrip(_IGNORABLE_CHARS))
    trail = len(exact) - len(exact.rstrip(_IGNORABLE_CHARS))
    while lead and start > 0 and is_ignorable(source[start - 1]):
        start -= 1
        lead -= 1
    while trail and end < len(source) and is_ignorable(source[end]):
        end += 1
        trail -= 1
    return start, end

