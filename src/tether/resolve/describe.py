"""How a resolution describes itself: the context it reports and the reasons it gives.

Pure text in, text out. Offsets are code points of the document text; the context lengths are
UTF-16 units, as Hypothesis counts them.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from tether.offsets import OffsetUnit, utf16_len
from tether.resolve.normalize import strip_ignorable
from tether.resolve.position import StoredSpan
from tether.selectors import CONTEXT_LENGTH

#: Edits spelled out in a fuzzy result's reason before "…".
REASON_EDITS_SHOWN = 3
#: Characters of one edit's text shown in a reason (a rewritten sentence is not repeated whole:
#: the reason names the change, the report shows the text).
REASON_EDIT_CHARS = 24


def describe_context(text: str, start: int, end: int, bmp_only: bool = False
                     ) -> tuple[str, str]:
    """Prefix and suffix of ``text[start:end]`` as Hypothesis 2022 ``describe()`` cuts them:
    ``CONTEXT_LENGTH`` UTF-16 units each side of the whole document text (never splitting a
    surrogate pair, which JavaScript would). Offsets are code points. ``bmp_only``: the caller
    knows ``text`` has no astral character (then units and code points coincide)."""
    prefix = text[start - CONTEXT_LENGTH if start > CONTEXT_LENGTH else 0 : start]
    if bmp_only:
        return prefix, text[end : end + CONTEXT_LENGTH]
    while utf16_len(prefix) > CONTEXT_LENGTH:
        prefix = prefix[1:]
    suffix = text[end : end + CONTEXT_LENGTH]
    while utf16_len(suffix) > CONTEXT_LENGTH:
        suffix = suffix[:-1]
    return prefix, suffix


def count_of(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1 ("1 edit", "3 edits")."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def unit_name(unit: OffsetUnit, count: int = 2) -> str:
    """The name of ``count`` offsets in ``unit``, for reasons: "UTF-16 unit" for ±1, else
    "UTF-16 units" (likewise "code point(s)")."""
    name = "UTF-16 unit" if unit is OffsetUnit.UTF16 else "code point"
    return name if count in (1, -1) else f"{name}s"


def signed_move(moved: int, unit: OffsetUnit) -> str:
    """``moved`` with its sign and unit: "+1 UTF-16 unit", "-12 code points"."""
    # ``:+d`` spelled out: the format-spec machinery is cold on the verbatim path.
    return f"{'+' if moved >= 0 else ''}{moved} {unit_name(unit, moved)}"


def position_whitespace_reason(moved: int, unit: OffsetUnit, verbatim: bool) -> str:
    """Why a quote found at its stored position up to whitespace is ``drifted``. ``moved``: how
    far its start shifted, in ``unit`` (the stored offsets' unit: the difference a reader sees
    between the stored and the new offsets); ``verbatim``: the text there is the quote exactly,
    so only whitespace before it changed."""
    if verbatim and moved:
        return (f"the quote is unchanged, moved by {signed_move(moved, unit)} as whitespace "
                "before it changed")
    return "the stored quote differs from the text at its position only in whitespace"


def moved_reason(span: StoredSpan, moved: int, unit: OffsetUnit, occurrences: int | None
                 ) -> str:
    """Why a verbatim quote found elsewhere is ``drifted``: how far it moved from its stored
    start, ``moved`` in ``unit`` (the stored offsets' unit; ignored when ``span`` is unusable)."""
    if span.start is None:
        where = f"{span.problem}; found the quote by its text"
    else:
        where = f"the quote moved by {signed_move(moved, unit)}"
    if occurrences is not None and occurrences > 1:
        where += f" (one of {occurrences} occurrences, chosen by its context)"
    return where


def change_reason(stored: str, found: str, distance: int) -> str:
    """Why a quote is ``fuzzy``: the edits between the stored and the found text (whitespace
    ignored), the first ``REASON_EDITS_SHOWN`` spelled out."""
    a, b = strip_ignorable(stored), strip_ignorable(found)
    edits = [
        _spell_edit(tag, a[i1:i2], b[j1:j2])
        for tag, i1, i2, j1, j2 in Levenshtein.opcodes(a, b)
        if tag != "equal"
    ]
    shown = ", ".join(edits[:REASON_EDITS_SHOWN]) + (", …" if len(edits) > REASON_EDITS_SHOWN
                                                      else "")
    if distance == 0:
        return f"only typography differs (folded match): {shown}"
    return (f"the quoted text changed: {count_of(distance, 'edit')} in {len(a)} characters: "
            f"{shown}")


def _spell_edit(tag: str, old: str, new: str) -> str:
    """One edit as people read it: "inserted 'x'", "deleted 'x'", or "'x'→'y'"."""
    if tag == "insert":
        return f"inserted '{_clip(new)}'"
    if tag == "delete":
        return f"deleted '{_clip(old)}'"
    return f"'{_clip(old)}'→'{_clip(new)}'"


def _clip(text: str) -> str:
    """``text`` cut to ``REASON_EDIT_CHARS`` characters, "…" marking the cut."""
    return text if len(text) <= REASON_EDIT_CHARS else f"{text[: REASON_EDIT_CHARS - 1]}…"
