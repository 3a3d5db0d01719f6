"""PDF syntax, the token level: the value types, the token regular expressions and the decoding
of each token's bytes.

Values map to Python as: numbers → ``int``/``float``; names → :class:`Name` (decoded ``#xx``
escapes, no leading slash); strings → ``bytes``; booleans/null → ``True``/``False``/``None``;
operators and other bare keywords → :class:`Op`; indirect references (built by the parser from
``num gen R``) → :class:`Ref`. Malformed input never raises: unknown bytes are skipped, an
unterminated string ends at the end of the data (PDF.js is lenient too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

#: ``"."`` and ``"\\"`` as byte values: ``0x2E in data`` is one memchr, while ``b"." in data``
#: first tries the needle as an integer (raising and clearing a TypeError) on every call.
_DOT = 0x2E
_BACKSLASH = 0x5C


class Name(str):
    """A PDF name object (``/Foo`` → ``Name("Foo")``)."""

    __slots__ = ()


class Op(str):
    """A content-stream operator or bare keyword (``Tj``, ``BT``, ``R`` …)."""

    __slots__ = ()


class Ref(NamedTuple):
    """An indirect reference ``num gen R``."""

    num: int
    gen: int


_DELIMS = rb"()<>\[\]{}/%"
_WS = rb"\x00\t\n\x0c\r "
_TOKEN = re.compile(
    rb"(?P<ws>[" + _WS + rb"]+|%[^\r\n]*)"
    rb"|(?P<num>[+-]*(?:\d+\.?\d*|\.\d+))(?![^" + _WS + _DELIMS + rb"])"
    rb"|(?P<name>/[^" + _WS + _DELIMS + rb"]*)"
    rb"|(?P<str>\()"
    rb"|(?P<dopen><<)|(?P<dclose>>>)"
    rb"|(?P<hex><[^>]*>)"
    rb"|(?P<aopen>\[)|(?P<aclose>\])"
    rb"|(?P<kw>[^" + _WS + _DELIMS + rb"]+)"
    rb"|(?P<other>.)",
    re.S,
)
# Path construction, painting, clipping and colour operators with numeric operands: text
# extraction ignores them, and path-heavy pages hold millions of them. One regex match skips a
# whole run ("10 20 m 30 40 l S 0 0 1 rg …") at C speed instead of a Python step per token.
_NUMBER = rb"[+-]?(?:\d+\.?\d*|\.\d+)"
_SKIPPABLE_OPS = rb"(?:re|m|l|c|v|y|h|S|s|f\*?|F|B\*?|b\*?|n|W\*?|w|J|j|M|i|g|G|rg|RG|k|K)"
_CONTENT_TOKEN = re.compile(
    rb"[" + _WS + rb"]*(?:(?P<skip>(?:(?:" + _NUMBER + rb"[" + _WS + rb"]+)*" + _SKIPPABLE_OPS
    + rb"(?=[" + _WS + rb"]|$)[" + _WS + rb"]*)+)|" + _TOKEN.pattern + rb")",
    re.S,
)
_HEX_DIGITS = re.compile(rb"[0-9A-Fa-f]")
_NAME_ESCAPE = re.compile(r"#([0-9A-Fa-f]{2})")
_STRING_SPECIAL = re.compile(rb"[()\\]")
_ESCAPES = {
    ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f",
    ord("("): b"(", ord(")"): b")", ord("\\"): b"\\",
}
_KEYWORDS: dict[bytes, Any] = {b"true": True, b"false": False, b"null": None}
_EI = re.compile(rb"[" + _WS + rb"]EI(?=[" + _WS + rb"]|$)")


def _parse_number(raw: bytes) -> int | float:
    # PDF.js tolerates doubled signs ("--5" → -5, "+-5" → -5); keep the last sign's meaning.
    sign = -1 if raw.lstrip(b"+-") != raw and raw[: len(raw) - len(raw.lstrip(b"+-"))].count(
        b"-") % 2 == 1 else 1
    body = raw.lstrip(b"+-")
    if _DOT in body:
        return sign * float(body) if body != b"." else 0.0
    return sign * int(body)


def _read_literal_string(data: bytes, pos: int) -> tuple[bytes, int]:
    """Read a ``(…)`` string whose opening parenthesis ends just before ``pos``."""
    out = bytearray()
    depth = 1
    n = len(data)
    while pos < n:
        m = _STRING_SPECIAL.search(data, pos)
        if m is None:
            out += data[pos:]
            return bytes(out), n
        out += data[pos : m.start()]
        c = data[m.start()]
        pos = m.end()
        if c == 0x28:  # (
            depth += 1
            out.append(c)
        elif c == 0x29:  # )
            depth -= 1
            if depth == 0:
                return bytes(out), pos
            out.append(c)
        else:  # backslash escape
            if pos >= n:
                break
            e = data[pos]
            if e in _ESCAPES:
                out += _ESCAPES[e]
                pos += 1
            elif 0x30 <= e <= 0x37:  # up to three octal digits
                end = pos
                while end < n and end - pos < 3 and 0x30 <= data[end] <= 0x37:
                    end += 1
                out.append(int(data[pos:end], 8) & 0xFF)
                pos = end
            elif e == 0x0D:  # line continuation: \<CR>[<LF>]
                pos += 2 if data[pos + 1 : pos + 2] == b"\n" else 1
            elif e == 0x0A:
                pos += 1
            else:  # unknown escape: the backslash is ignored
                out.append(e)
                pos += 1
    return bytes(out), n


def _decode_hex(raw: bytes) -> bytes:
    digits = b"".join(_HEX_DIGITS.findall(raw))
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode("ascii"))


def _decode_name(raw: bytes) -> Name:
    text = raw[1:].decode("latin-1")
    if "#" in text:
        text = _NAME_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return Name(text)


def tokens(data: bytes, pos: int = 0) -> Iterator[tuple[str, Any, int]]:
    """Yield ``(kind, value, end)`` for each token: kinds are ``value``, ``op``, ``aopen``,
    ``aclose``, ``dopen``, ``dclose``. Strings, names, numbers are already decoded."""
    n = len(data)
    match = _TOKEN.match
    while pos < n:
        m = match(data, pos)
        kind = m.lastgroup
        pos = m.end()
        if kind == "ws" or kind == "other":
            continue
        raw = m.group()
        if kind == "num":
            yield "value", _parse_number(raw), pos
        elif kind == "name":
            yield "value", _decode_name(raw), pos
        elif kind == "kw":
            if raw in _KEYWORDS:
                yield "value", _KEYWORDS[raw], pos
            elif raw == b"ID":
                # Inline image data: skip to the EI keyword (binary, not tokens).
                m2 = _EI.search(data, pos + 1)
                pos = m2.end() if m2 else n
                yield "op", Op("EI"), pos
            else:
                yield "op", Op(raw.decode("latin-1")), pos
        elif kind == "str":
            s, pos = _read_literal_string(data, pos)
            yield "value", s, pos
        elif kind == "hex":
            yield "value", _decode_hex(raw[1:-1]), pos
        else:
            yield kind, None, pos

