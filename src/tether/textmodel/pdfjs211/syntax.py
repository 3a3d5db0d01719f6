"""PDF syntax: a tokenizer and object parser for content streams and object text.

Values map to Python as: numbers → ``int``/``float``; names → :class:`Name` (decoded ``#xx``
escapes, no leading slash); strings → ``bytes``; arrays → ``list``; dictionaries → ``dict`` keyed
by name text; indirect references → :class:`Ref`; booleans/null → ``True``/``False``/``None``.
Content-stream operators come out as :class:`Op`. Malformed input never raises: unknown bytes are
skipped, an unterminated string or array ends at the end of the data (PDF.js is lenient too).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
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


# --- fast path: one regex match per operation ------------------------------------------------
# ``text_operations`` matches a whole operation (operands + operator) at C speed and converts
# operands only for the operators asked for. Anything unusual (comments, nested strings or
# arrays, dictionaries as operands of a wanted operator, inline images, stray delimiters) falls
# back to :func:`operations`' token loop for that one operation, so both always agree
# (tests/test_pdf_syntax.py checks them against each other on real and random streams).
_S = rb"[" + _WS + rb"]"
_REG = rb"[^" + _WS + _DELIMS + rb"]"
_NUM_TOKEN = rb"[+-]*(?:\d+\.?\d*|\.\d+)(?!" + _REG + rb")"
#: A number with at most one sign: ``float()`` / ``int()`` read it as PDF.js does.
_NUM_SIMPLE = rb"[+-]?(?:\d+\.?\d*|\.\d+)(?!" + _REG + rb")"
#: A literal string with no unescaped parenthesis inside; its body is written as an "unrolled
#: loop" (``[^()\\]*(?:\\.[^()\\]*)*``): fast, and linear even on a string left open.
_STR_SIMPLE = rb"\([^()\\]*(?:\\.[^()\\]*)*\)"
_HEX_TOKEN = rb"<(?!<)[^>]*>"
_KW_VALUE = rb"(?:true|false|null)(?!" + _REG + rb")"
#: A name, never split by backtracking (``/Fq`` is one name, not ``/F`` and an operator ``q``).
_NAME_TOKEN = rb"/" + _REG + rb"*(?!" + _REG + rb")"
_FLAT_ARRAY = (rb"\[" + _S + rb"*(?:(?:" + _STR_SIMPLE + rb"|" + _HEX_TOKEN + rb"|" + _NUM_TOKEN
               + rb")" + _S + rb"*)*\]")
_FLAT_DICT = rb"<<(?:[^<>()\[\]%]|" + _STR_SIMPLE + rb"|" + _HEX_TOKEN + rb")*>>"
_OPERAND = (rb"(?:" + _NUM_TOKEN + rb"|" + _NAME_TOKEN + rb"|" + _STR_SIMPLE + rb"|" + _HEX_TOKEN
            + rb"|" + _FLAT_ARRAY + rb"|" + _KW_VALUE + rb"|" + _FLAT_DICT + rb")")
_END_OP = rb"(?!" + _REG + rb")"
_FAST_OP = re.compile(
    _S + rb"*(?:(?P<skip>(?:(?:" + _NUMBER + _S + rb"+)*" + _SKIPPABLE_OPS + rb"(?=" + _S
    + rb"|$)" + _S + rb"*)+)"
    # The shapes text-heavy pages repeat, each with its operands captured:
    rb"|\[(?P<tj>" + _S + rb"*(?:(?:" + _STR_SIMPLE + rb"|" + _HEX_TOKEN + rb"|" + _NUM_SIMPLE
    + rb")" + _S + rb"*)*)\]" + _S + rb"*TJ" + _END_OP
    + rb"|(?P<font>" + _NAME_TOKEN + rb")" + _S + rb"+(?P<tf>" + _NUM_SIMPLE + rb")" + _S
    + rb"*Tf" + _END_OP
    + rb"|(?P<tx>" + _NUM_SIMPLE + rb")" + _S + rb"+(?P<td>" + _NUM_SIMPLE + rb")" + _S
    + rb"*Td" + _END_OP
    + rb"|\((?P<tjs>[^()\\]*(?:\\.[^()\\]*)*)\)" + _S + rb"*Tj" + _END_OP
    + rb"|<(?!<)(?P<tjh>[^>]*)>" + _S + rb"*Tj" + _END_OP
    + rb"|(?P<six>" + _NUM_SIMPLE + (_S + rb"+" + _NUM_SIMPLE) * 5 + rb")" + _S
    + rb"*(?P<tm>Tm|cm)" + _END_OP
    # Any other operation.
    + rb"|(?P<args>(?:" + _OPERAND + _S + rb"*)*)(?P<op>(?!" + _NUM_TOKEN + rb"|" + _KW_VALUE
    + rb")" + _REG + rb"+))",
    re.S,
)
_FAST_ARG = re.compile(
    _S + rb"*(?:(" + _NUM_TOKEN + rb")|(" + _NAME_TOKEN + rb")|\(([^()\\]*(?:\\.[^()\\]*)*)\)"
    rb"|<(?!<)([^>]*)>|(\[)|(" + _KW_VALUE + rb")|(<<))",
    re.S,
)
#: The end of a flat array: the first ``]`` outside a string (strings hold no unescaped ``)``).
_ARRAY_END = re.compile(rb"(?:[^()\]]|" + _STR_SIMPLE + rb")*\]", re.S)
_FAST_ELEMENT = re.compile(
    rb"\(([^()\\]*(?:\\.[^()\\]*)*)\)|<([^>]*)>|(" + _NUM_TOKEN + rb")", re.S)
#: The elements of a ``tj`` shape: (``(`` for a string, its body, hex digits, number).
_TJ_ELEMENTS = re.compile(
    rb"(\()([^()\\]*(?:\\.[^()\\]*)*)\)|<([^>]*)>|(" + _NUM_SIMPLE + rb")", re.S).findall
_NUMBERS = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)").findall
#: Operators a skip run drops (the operator names of ``_SKIPPABLE_OPS``).
_SKIPPED = frozenset(
    b"re m l c v y h S s f f* F B B* b b* n W W* w J j M i g G rg RG k K".split())


def _number(raw: bytes) -> int | float:
    try:
        return float(raw) if _DOT in raw else int(raw)
    except ValueError:  # doubled signs ("--5"): PDF.js's reading
        return _parse_number(raw)


def _string(body: bytes) -> bytes:
    """The value of a literal string whose body (between the parentheses) has balanced
    escapes and no unescaped parenthesis."""
    if _BACKSLASH not in body:
        return body
    return _read_literal_string(body + b")", 0)[0]


def _fast_operands(data: bytes, start: int, end: int) -> list[Any] | None:
    """The operands in ``data[start:end]`` (matched by ``_FAST_OP``'s ``args``); ``None`` when
    one is a dictionary (left to the token loop)."""
    out: list[Any] = []
    match = _FAST_ARG.match
    while start < end:
        m = match(data, start, end)
        if m is None:  # trailing whitespace
            break
        start = m.end()
        k = m.lastindex
        if k == 1:
            out.append(_number(m.group(1)))
        elif k == 2:
            out.append(_decode_name(m.group(2)))
        elif k == 3:
            out.append(_string(m.group(3)))
        elif k == 4:
            out.append(_decode_hex(m.group(4)))
        elif k == 5:
            close = _ARRAY_END.match(data, start, end)
            assert close is not None  # _FAST_OP matched a flat array here
            items: list[Any] = []
            for e in _FAST_ELEMENT.finditer(data, start, close.end() - 1):
                j = e.lastindex
                items.append(_string(e.group(1)) if j == 1 else _decode_hex(e.group(2))
                             if j == 2 else _number(e.group(3)))
            out.append(items)
            start = close.end()
        elif k == 6:
            out.append(_KEYWORDS[m.group(6)])
        else:
            return None
    return out


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


def text_operations(data: bytes, wanted: Container[str]) -> Iterator[tuple[Op, list[Any]]]:
    """The operations of a content stream whose operator is in ``wanted``, operands converted:
    exactly ``[(op, args) for op, args in operations(data, wanted) if op in wanted]``."""
    n = len(data)
    match = _FAST_OP.match
    ops: dict[bytes, Op | None] = {}
    shapes = {k: Op(k) if k in wanted else None for k in ("TJ", "Tf", "Td", "Tj", "Tm", "cm")}
    op_tj, op_tf, op_td, op_tjs = shapes["TJ"], shapes["Tf"], shapes["Td"], shapes["Tj"]
    pos = 0
    while pos < n:
        m = match(data, pos)
        if m is None:
            op, operands, pos = _one_operation(data, pos, wanted)
            if op is not None and op in wanted:
                yield op, operands
            continue
        end = m.end()
        shape = m.lastgroup
        if shape == "op":
            a, b = m.span("args")
            if a < b and data.find(b"ID", a, b) >= 0:
                # "ID" inside a dictionary starts inline image data for the token loop, which
                # then skips to "EI": leave such an operation to it.
                op, operands, pos = _one_operation(data, pos, wanted)
                if op is not None and op in wanted:
                    yield op, operands
                continue
            raw = m.group("op")
            if raw in _SKIPPED and (end == n or data[end] in _WS):
                pos = end
                continue
            try:
                op = ops[raw]
            except KeyError:
                text = raw.decode("latin-1")
                op = ops[raw] = Op(text) if text in wanted and raw != b"ID" else None
            if op is None:
                if raw == b"ID":  # inline image data: the token loop skips it
                    op, operands, end = _one_operation(data, pos, wanted)
                    if op is not None and op in wanted:
                        yield op, operands
                pos = end
                continue
            operands = _fast_operands(data, a, b) if a < b else []
            if operands is None:  # a dictionary operand: the token loop reads it
                op, operands, end = _one_operation(data, pos, wanted)
                if op is None or op not in wanted:
                    pos = end
                    continue
            pos = end
            yield op, operands
            continue
        pos = end
        if shape == "tj":
            if op_tj is not None:
                a, b = m.span("tj")
                yield op_tj, [[
                    (s if _BACKSLASH not in s else _string(s)) if paren
                    else (float(x) if _DOT in x else int(x)) if x
                    else _decode_hex(h)
                    for paren, s, h, x in _TJ_ELEMENTS(data, a, b)]]
        elif shape == "tf":
            if op_tf is not None:
                x = m.group("tf")
                yield op_tf, [_decode_name(m.group("font")), float(x) if _DOT in x else int(x)]
        elif shape == "td":
            if op_td is not None:
                x, y = m.group("tx", "td")
                yield op_td, [float(x) if _DOT in x else int(x), float(y) if _DOT in y else int(y)]
        elif shape == "tjs":
            if op_tjs is not None:
                yield op_tjs, [_string(m.group("tjs"))]
        elif shape == "tjh":
            if op_tjs is not None:
                yield op_tjs, [_decode_hex(m.group("tjh"))]
        elif shape == "tm":
            op = shapes[m.group("tm").decode()]
            if op is not None:
                yield op, [float(x) if _DOT in x else int(x) for x in _NUMBERS(m.group("six"))]
        # else: a run of path / colour operators
