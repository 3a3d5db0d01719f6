"""PDF syntax, the object level: arrays, dictionaries and references built from tokens
(:func:`parse_object`), and the operations of a content stream read token by token
(:func:`operations`, the reference reading that :mod:`.fast_operations` falls back to).

Arrays → ``list``; dictionaries → ``dict`` keyed by name text; ``num gen R`` → :class:`.Ref`.
Malformed input never raises: an unterminated array or dictionary ends at the end of the data,
and nesting deeper than :data:`MAX_NESTING` reads as ``None``.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from typing import Any

from tether.textmodel.pdfjs211.lexer import (
    _CONTENT_TOKEN,
    _EI,
    _KEYWORDS,
    Name,
    Op,
    Ref,
    _decode_hex,
    _decode_name,
    _parse_number,
    _read_literal_string,
    tokens,
)


def _collect(stream: Iterator[tuple[str, Any, int]], closer: str) -> Any:
    """Build an array or dict after its opener, consuming tokens from ``stream``."""
    return _collect_at(stream, closer)[0]


#: Deepest array / dictionary nesting built; anything deeper becomes ``None`` (real files nest a
#: few levels; the bound keeps hostile input from exhausting Python's recursion limit).
MAX_NESTING = 100


def _skip_nested(stream: Iterator[tuple[str, Any, int]]) -> int:
    """Consume tokens up to the close of an array / dict already opened; its end offset."""
    depth = 1
    for kind, _, end in stream:
        if kind in ("aopen", "dopen"):
            depth += 1
        elif kind in ("aclose", "dclose"):
            depth -= 1
            if depth == 0:
                return end
    return -1


def _collect_at(stream: Iterator[tuple[str, Any, int]], closer: str,
                depth: int = 0) -> tuple[Any, int]:
    """:func:`_collect`, also returning the offset just past the closing token."""
    items: list[Any] = []
    end = -1
    for kind, value, end in stream:
        if kind == closer:
            break
        if kind in ("aopen", "dopen") and depth >= MAX_NESTING:
            end = _skip_nested(stream)
            items.append(None)
        elif kind == "aopen":
            value, end = _collect_at(stream, "aclose", depth + 1)
            items.append(value)
        elif kind == "dopen":
            value, end = _collect_at(stream, "dclose", depth + 1)
            items.append(value)
        elif kind == "op" and value == "R" and len(items) >= 2 \
                and isinstance(items[-1], int) and isinstance(items[-2], int):
            gen = items.pop()
            items.append(Ref(items.pop(), gen))
        elif kind in ("value", "op"):
            items.append(value)
    if closer == "aclose":
        return items, end
    out: dict[str, Any] = {}
    it = iter(items)
    for key in it:
        val = next(it, None)
        if isinstance(key, Name):
            out[str(key)] = val
    return out, end


def parse_object(data: bytes | str) -> Any:
    """Parse one PDF object from its source text (as PyMuPDF's ``xref_object`` prints it)."""
    if isinstance(data, str):
        data = data.encode("latin-1", "replace")
    stream = tokens(data)
    items: list[Any] = []
    for kind, value, _ in stream:
        if kind == "aopen":
            items.append(_collect(stream, "aclose"))
        elif kind == "dopen":
            items.append(_collect(stream, "dclose"))
        elif kind == "op" and value == "R" and len(items) >= 2:
            gen = items.pop()
            items.append(Ref(items.pop(), gen))
        elif kind in ("value", "op"):
            items.append(value)
    return items[0] if len(items) == 1 else (items or None)


class _RawNumber(bytes):
    """A number token not converted yet: most operands belong to operators a caller skips."""

    __slots__ = ()


def operations(data: bytes, wanted: Container[str] | None = None
               ) -> Iterator[tuple[Op, list[Any]]]:
    """Yield ``(operator, operands)`` for each operation in a content stream.

    With ``wanted``, other operators are yielded with their operands unconverted (numbers stay
    raw bytes) — path-heavy pages hold millions of coordinates that text extraction ignores.
    """
    pos, n = 0, len(data)
    while pos < n:
        op, operands, pos = _one_operation(data, pos, wanted)
        if op is None:
            return
        yield op, operands


def _one_operation(data: bytes, pos: int, wanted: Container[str] | None
                   ) -> tuple[Op | None, list[Any], int]:
    """The token loop from ``pos`` (an operation boundary) to the next operator:
    ``(operator, operands, end)``, or ``(None, [], len(data))`` at the end of the data.
    Numbers are converted only for a wanted operator (``wanted`` None: every operator)."""
    n = len(data)
    match = _CONTENT_TOKEN.match
    operands: list[Any] = []
    while pos < n:
        m = match(data, pos)
        kind = m.lastgroup
        pos = m.end()
        if kind == "skip":
            operands = []
        elif kind == "num":
            operands.append(_RawNumber(m.group(kind)))
        elif kind == "kw":
            raw = m.group(kind)
            if raw in _KEYWORDS:
                operands.append(_KEYWORDS[raw])
                continue
            if raw == b"ID":
                m2 = _EI.search(data, pos + 1)
                pos = m2.end() if m2 else n
                raw = b"EI"
            op = Op(raw.decode("latin-1"))
            if wanted is None or op in wanted:
                operands = [_parse_number(v) if type(v) is _RawNumber else v for v in operands]
            return op, operands, pos
        elif kind == "ws" or kind == "other":
            continue
        elif kind == "name":
            operands.append(_decode_name(m.group(kind)))
        elif kind == "str":
            value, pos = _read_literal_string(data, pos)
            operands.append(value)
        elif kind == "hex":
            operands.append(_decode_hex(m.group(kind)[1:-1]))
        elif kind in ("aopen", "dopen"):
            value, end = _collect_at(tokens(data, pos), "aclose" if kind == "aopen" else "dclose")
            operands.append(value)
            pos = n if end < 0 else end
    return None, [], n
