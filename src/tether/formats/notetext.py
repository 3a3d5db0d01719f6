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
_LIST_ITEM = re.compile(r"[ \t]*-[ \t]+(.*?)[ \t]*")
#: The first item of a flow list "[a, b]", quoted ("a, b.pdf" keeps its comma) or not.
_FLOW_FIRST = re.compile(r"\[[ \t]*(\"[^\"]*\"|'[^']*'|[^,\]]*)")


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


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def front_matter(text: str, lines: list[Line]) -> dict[str, str]:
    """Top-level ``key: value`` pairs of a leading ``---`` YAML block (scalars only).

    A list value (``key: [a, b]``, or ``key:`` then ``- a`` lines: what MetaEdit and an
    Obsidian *List* property write) gives its first item, as Obsidian Annotator takes the
    first item of a list ``annotation-target``. ``[[x]]`` is a wiki link, not a list."""
    if not lines or text[lines[0].start:lines[0].body_end].rstrip() != "---":
        return {}
    out: dict[str, str] = {}
    list_key: str | None = None  # a key whose value is on the following "- item" lines
    for ln in lines[1:]:
        body = text[ln.start:ln.body_end]
        if body.rstrip() in ("---", "..."):
            return out
        item = _LIST_ITEM.fullmatch(body)
        if item and list_key is not None:
            out[list_key] = _unquote(item.group(1))
            list_key = None
            continue
        m = _FRONT_KEY.fullmatch(body)
        if m:
            value = m.group(2)
            if value.startswith("[") and value.endswith("]") and not value.startswith("[["):
                first = _FLOW_FIRST.match(value)
                value = first.group(1) if first else ""
            out[m.group(1)] = _unquote(value)
            list_key = m.group(1) if not value else None
    return {}  # never closed: not front matter
