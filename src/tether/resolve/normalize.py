"""Match views of a text: whitespace removed, optionally typography folded, with an offset map.

Why: PDF text extraction is erratic about whitespace (PDF.js 2.11 runs line-end words together,
inserts spaces by a glyph-gap rule, doubles some), so two extractions of the same words rarely
agree on spaces. Hypothesis therefore compares quotes with spaces stripped; tether does the same
and also drops invisible characters (soft hyphen, zero-width joiners). Optionally it folds
typography a new PDF version may change without changing the words: compatibility forms
(ligatures, full-width letters, ``…``) through per-character NFKC, dashes to ``-``, curly quotes
to straight ones. Case is never folded: case carries meaning (acronyms, names).

Every view keeps ``src``: for each character of the view, the **code-point** index in the source
string it came from, so a match in the view maps back to an exact source span. Folding only
decides what is *found*; whether a found text counts as unchanged is always decided on the source
text (see :func:`same_up_to_whitespace`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

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
    return _IGNORABLE_RUN.sub("", text)


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
    return not unicodedata.is_normalized("NFKC", run) or any(
        ch in _PUNCTUATION_FOLD for ch in run
    )


@dataclass(frozen=True, slots=True)
class KeyView:
    """A match view of a source string.

    ``text`` is the view; ``src[i]`` is the code-point index in the source of the character that
    produced ``text[i]`` (non-decreasing). One source character may produce several view
    characters (``ﬃ`` → ``ffi``) or none (whitespace). ``source_length`` is ``len(source)``.
    """

    text: str
    src: array
    source_length: int

    def to_source(self, a: int, b: int) -> tuple[int, int]:
        """View span ``[a, b)`` (non-empty) → source code-point span covering those characters."""
        if not 0 <= a < b <= len(self.text):
            raise ValueError(f"view span {a}..{b} outside 0..{len(self.text)} or empty")
        return self.src[a], self.src[b - 1] + 1

    def from_source(self, offset: int) -> int:
        """First view index whose source character is at or after code-point ``offset``."""
        return bisect.bisect_left(self.src, offset)


def build_view(source: str, fold: bool = True) -> KeyView:
    """The match view of ``source``: ignorable characters removed, typography folded if ``fold``.

    Linear in ``len(source)``; runs of plain text are copied whole, only runs that need folding
    go character by character.
    """
    parts: list[str] = []
    src = array("q")
    for m in _KEPT_RUN.finditer(source):
        run, a = m.group(), m.start()
        if not fold or not _needs_fold(run):
            parts.append(run)
            src.extend(range(a, a + len(run)))
            continue
        for i, ch in enumerate(run):
            f = _fold_char(ch)
            parts.append(f)
            src.extend([a + i] * len(f))
    return KeyView("".join(parts), src, len(source))


def key(text: str, fold: bool = True) -> str:
    """The view text alone (what a quote or context is compared as)."""
    return build_view(text, fold).text


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

