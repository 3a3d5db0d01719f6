"""Line structure and YAML front matter of a markdown note (no IO, no markdown parsing).

Offsets are code-point offsets into the note text. Lines end at ``\n``; a ``\r`` right before
it belongs to the line ending (CRLF). Nothing else is a line break here — ``str.splitlines``
would also break at U+001C..U+001E, U+0085 and U+2028, which occur inside real quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Line", "front_matter", "split_lines"]

_FRONT_KEY = re.compile(r"([A-Za-z0-9_-]+)[ \t]*:[ \t]*(.*?)[ \t]*")


@dataclass(slots=True)
class Line:
    """One line of a note: ``text[start:body_end]`` is its text, ``text[body_end:end]`` its
    line ending (``"\n"``, ``"\r\n"`` or ``""`` on an unterminated last line)."""

    start: int  # first character of the line (after a BOM on line 1)
    body_end: int  # end of the text, before "\r\n" or "\n"
    end: int  # after the line ending


def split_lines(text: str) -> list[Line]:
    """All lines of ``text``; a leading BOM is not part of line 1's text."""
    lines: list[Line] = []
    pos = 1 if text.startswith("\ufeff") else 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        if nl < 0:
            lines.append(Line(pos, n, n))
            break
        body_end = nl - 1 if nl > pos and text[nl - 1] == "\r" else nl
        lines.append(Line(pos, body_end, nl + 1))
        pos = nl + 1
    return lines


def front_matter(text: str, lines: list[Line]) -> dict[str, str]:
    """Top-level ``key: value`` pairs of a leading ``---`` YAML block (scalars only)."""
    if not lines or text[lines[0].start:lines[0].body_end].rstrip() != "---":
        return {}
    out: dict[str, str] = {}
    for ln in lines[1:]:
        body = text[ln.start:ln.body_end]
        if body.rstrip() in ("---", "..."):
            return out
        m = _FRONT_KEY.fullmatch(body)
        if m:
            value = m.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            out[m.group(1)] = value
    return {}  # never closed: not front matter
