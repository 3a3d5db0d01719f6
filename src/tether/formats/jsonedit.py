"""Minimal-edit JSON: parse with value spans, encode strings as ``JSON.stringify`` does, splice.

A rewrite that must leave every other byte alone cannot re-serialise the object (key order,
escapes and whitespace of untouched values would drift). Instead :func:`parse_spans` parses JSON
text into :class:`JsonNode` values that remember where each value sits in the text, and
:func:`apply_edits` replaces just those spans.

All offsets here are **code-point offsets into the Python ``str``** being parsed (never UTF-16,
never bytes). A span is half-open ``[start, end)`` and covers the value's whole token, quotes
included for strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tether.gcpause import collector_paused

__all__ = [
    "Edit",
    "JsonNode",
    "JsonSpanError",
    "apply_edits",
    "js_string",
    "line_col",
    "parse_spans",
    "prefers_ascii_escapes",
]

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}
#: Deepest nesting read (annotations nest < 10 deep); the parser recurses twice per level and
#: must stay well inside Python's recursion limit.
_MAX_DEPTH = 200


class JsonSpanError(ValueError):
    """Invalid JSON. ``pos`` is the code-point offset of the problem in the parsed text."""

    def __init__(self, msg: str, pos: int) -> None:
        super().__init__(msg)
        self.msg = msg
        self.pos = pos


@dataclass(slots=True)
class JsonNode:
    """One parsed JSON value and its span ``[start, end)`` (code points) in the source text.

    ``value`` is the plain Python value (dict / list / str / int / float / bool / None), as
    ``json.loads`` would give it. For objects ``members`` keeps every ``(key, node)`` pair in text
    order (duplicates too); :meth:`get` answers like ``JSON.parse`` does: the last one wins.
    """

    kind: str  # "object" | "array" | "string" | "number" | "literal"
    start: int
    end: int
    value: Any
    members: list[tuple[str, JsonNode]] = field(default_factory=list)
    items: list[JsonNode] = field(default_factory=list)
    #: For a non-empty object: how a new member is written in this object's style,
    #: (text before the key, text between key and value), e.g. ``(",\n    ", ": ")``.
    layout: tuple[str, str] | None = None

    @property
    def a_kind(self) -> str:
        """The kind with its article, for messages: "an object", "an array", "a string"."""
        return ("an " if self.kind[0] in "aeiou" else "a ") + self.kind

    def get(self, key: str) -> JsonNode | None:
        """The member ``key`` of an object node (last occurrence), or None."""
        for k, node in reversed(self.members):
            if k == key:
                return node
        return None


def line_col(text: str, pos: int) -> tuple[int, int]:
    """1-based (line, column) of code-point offset ``pos`` in ``text`` (lines split on ``\\n``)."""
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def parse_spans(text: str, start: int = 0, end: int | None = None) -> JsonNode:
    """Parse one JSON value filling ``text[start:end]`` (surrounding whitespace allowed).

    Strict JSON as ``JSON.parse`` accepts it (no NaN / Infinity, no comments, no raw control
    characters in strings). Raises :class:`JsonSpanError` with the offset of the first problem.
    """
    stop = len(text) if end is None else end
    parser = _Parser(text, stop)
    pos = parser.skip_ws(start)
    if pos >= stop:
        raise JsonSpanError("no JSON value (empty text)", pos)
    try:
        with collector_paused():  # see tether.gcpause: 10k annotations 2.3 → 1.5 s
            node = parser.value(pos, 0)
    except RecursionError:  # a deep caller stack: same verdict as _MAX_DEPTH
        raise JsonSpanError("JSON nested too deeply", pos) from None
    pos = parser.skip_ws(node.end)
    if pos < stop:
        raise JsonSpanError("extra text after the JSON value", pos)
    return node


class _Parser:
    __slots__ = ("stop", "text")

    def __init__(self, text: str, stop: int) -> None:
        self.text = text
        self.stop = stop

    def skip_ws(self, pos: int) -> int:
        m = _WS.match(self.text, pos, self.stop)
        return m.end() if m else pos

    def value(self, pos: int, depth: int) -> JsonNode:
        if depth > _MAX_DEPTH:
            raise JsonSpanError("JSON nested too deeply", pos)
        if pos >= self.stop:
            raise JsonSpanError("unexpected end of JSON", pos)
        ch = self.text[pos]
        if ch == "{":
            return self.obj(pos, depth)
        if ch == "[":
            return self.arr(pos, depth)
        if ch == '"':
            s, end = self.string(pos)
            return JsonNode("string", pos, end, s)
        m = _NUMBER.match(self.text, pos, self.stop)
        if m:
            tok = m.group(0)
            num: int | float = float(tok) if (m.group(1) or m.group(2)) else int(tok)
            return JsonNode("number", pos, m.end(), num)
        for lit, val in _LITERALS.items():
            if self.text.startswith(lit, pos) and pos + len(lit) <= self.stop:
                return JsonNode("literal", pos, pos + len(lit), val)
        raise JsonSpanError(f"unexpected character {ch!r}", pos)

    def string(self, pos: int) -> tuple[str, int]:
        try:
            s, end = json.decoder.scanstring(self.text, pos + 1, True)  # type: ignore[attr-defined]
        except json.JSONDecodeError as exc:
            raise JsonSpanError(exc.msg.lower(), exc.pos) from None
        if end > self.stop:
            raise JsonSpanError("unterminated string", pos)
        return s, end

    def obj(self, pos: int, depth: int) -> JsonNode:
        start = pos
        members: list[tuple[str, JsonNode]] = []
        value: dict[str, Any] = {}
        pos = self.skip_ws(pos + 1)
        if pos < self.stop and self.text[pos] == "}":
            return JsonNode("object", start, pos + 1, value, members=members)
        layout: tuple[str, str] | None = None
        while True:
            if pos >= self.stop or self.text[pos] != '"':
                raise JsonSpanError("expected a property name in double quotes", pos)
            key_start = pos
            key, key_end = self.string(pos)
            pos = self.skip_ws(key_end)
            if pos >= self.stop or self.text[pos] != ":":
                raise JsonSpanError("expected ':' after a property name", pos)
            node = self.value(self.skip_ws(pos + 1), depth + 1)
            if not members:  # separator guessed from the indentation of the first key
                layout = ("," + self.text[start + 1:key_start], self.text[key_end:node.start])
            elif len(members) == 1 and layout is not None:  # the real separator
                layout = (self.text[members[0][1].end:key_start], layout[1])
            members.append((key, node))
            value[key] = node.value
            pos = self.skip_ws(node.end)
            if pos < self.stop and self.text[pos] == ",":
                pos = self.skip_ws(pos + 1)
                continue
            if pos < self.stop and self.text[pos] == "}":
                return JsonNode("object", start, pos + 1, value, members=members, layout=layout)
            raise JsonSpanError("expected ',' or '}' in an object", pos)

    def arr(self, pos: int, depth: int) -> JsonNode:
        start = pos
        items: list[JsonNode] = []
        pos = self.skip_ws(pos + 1)
        if pos < self.stop and self.text[pos] == "]":
            return JsonNode("array", start, pos + 1, [], items=items)
        while True:
            node = self.value(pos, depth + 1)
            items.append(node)
            pos = self.skip_ws(node.end)
            if pos < self.stop and self.text[pos] == ",":
                pos = self.skip_ws(pos + 1)
                continue
            if pos < self.stop and self.text[pos] == "]":
                return JsonNode("array", start, pos + 1, [n.value for n in items], items=items)
            raise JsonSpanError("expected ',' or ']' in an array", pos)


_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n",
                  "\r": "\\r", "\t": "\\t"}
_STRINGIFY_RE = re.compile('[\\x00-\\x1f"\\\\\ud800-\udfff]')
_ASCII_RE = re.compile('[\\x00-\\x1f"\\\\\\x7f-\U0010ffff]')


def _escape(m: re.Match[str]) -> str:
    ch = m.group(0)
    short = _SHORT_ESCAPES.get(ch)
    if short is not None:
        return short
    cp = ord(ch)
    if cp >= 0x10000:  # only in ASCII mode: a surrogate pair, as Python's ensure_ascii writes
        cp -= 0x10000
        return f"\\u{0xD800 | (cp >> 10):04x}\\u{0xDC00 | (cp & 0x3FF):04x}"
    return f"\\u{cp:04x}"


def js_string(s: str, *, ascii_only: bool = False) -> str:
    """``s`` as a JSON string literal, byte for byte what ``JSON.stringify(s)`` writes (ES2019+).

    ``"`` and ``\\`` escaped; ``\\b \\f \\n \\r \\t`` short; other controls below U+0020 as
    lowercase ``\\u001d``; lone surrogates as lowercase ``\\udXXX``; everything else raw (U+2028,
    U+2029 and U+007F included, as JSON.stringify leaves them). With ``ascii_only`` every
    non-ASCII character is escaped as Python's ``json.dumps(ensure_ascii=True)`` does (lowercase
    hex, astral characters as surrogate pairs) — for JSON files written in that style.
    """
    pattern = _ASCII_RE if ascii_only else _STRINGIFY_RE
    return '"' + pattern.sub(_escape, s) + '"'


_RAW_NON_ASCII = re.compile("[\\x80-\U0010ffff]")
_ESCAPED_NON_ASCII = re.compile(r"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}"
                                r"|[1-9a-fA-F][0-9a-fA-F]{3})")


def prefers_ascii_escapes(text: str) -> bool:
    """True when a JSON text writes non-ASCII characters only as ``\\uXXXX`` escapes.

    That is the ``ensure_ascii`` style (Python's default); a rewrite should follow it. Text with
    no non-ASCII characters either way keeps the raw (``JSON.stringify``) style.
    """
    return not _RAW_NON_ASCII.search(text) and bool(_ESCAPED_NON_ASCII.search(text))


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` (code-point offsets) with ``new``."""

    start: int
    end: int
    new: str


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits. Raises ValueError on overlap (a writer bug, never input)."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    out: list[str] = []
    pos = 0
    for e in ordered:
        if e.start < pos or e.end < e.start:
            raise ValueError(f"overlapping or inverted edit at {e.start}..{e.end}")
        out.append(text[pos:e.start])
        out.append(e.new)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)
