"""PDF syntax, the fast path: the text operations of a content stream, one regex match per
operation.

:func:`text_operations` matches a whole operation (operands + operator) at C speed and converts
operands only for the operators asked for. Anything unusual (comments, nested strings or
arrays, dictionaries as operands of a wanted operator, inline images, stray delimiters) falls
back to :func:`.parser.operations`' token loop for that one operation, so both always agree
(tests/test_pdf_syntax.py checks them against each other on real and random streams).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from typing import Any

from tether.textmodel.pdfjs211.lexer import (
    _BACKSLASH,
    _DELIMS,
    _DOT,
    _KEYWORDS,
    _NUMBER,
    _SKIPPABLE_OPS,
    _WS,
    Op,
    _decode_hex,
    _decode_name,
    _parse_number,
    _read_literal_string,
)
from tether.textmodel.pdfjs211.parser import _one_operation

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
