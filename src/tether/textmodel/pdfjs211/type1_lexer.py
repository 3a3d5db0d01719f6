"""The byte level of a Type 1 font program, as PDF.js 2.11 reads it (``type1_parser.js``):

- the eexec / charstring cipher (``decrypt``, ``decryptAscii``): :func:`decrypt`,
  :func:`decrypt_ascii`, with the keys :data:`EEXEC_KEY` and :data:`CHARSTRING_KEY`;
- ``Type1Parser``'s tokenizer (``getToken``, ``readInt``, ``readNumber``,
  ``readNumberArray``): :class:`Type1Tokenizer`, and JavaScript's ``parseFloat``
  (:func:`js_parse_float`).

Positions are byte offsets into the (decrypted) program. What the tokens mean (the font's
built-in encoding, matrix and glyph widths) is read in :mod:`.type1`. Compiled by Cython with
the C types of ``type1_lexer.pxd``.
"""

from __future__ import annotations

import math
import re

EEXEC_KEY = 55665
CHARSTRING_KEY = 4330
WHITESPACE = frozenset(b" \t\r\n")  # core_utils.isWhiteSpace
_SPECIAL = frozenset(b"/[]{}()")
HEX_DIGITS = frozenset(b"0123456789ABCDEFabcdef")
#: ``getToken``'s whitespace (`` \t\r\n`` only), comments, then a token: one of ``/[]{}()`` or a
#: run of other characters.
_TOKEN = re.compile(
    rb"(?:[ \t\r\n]|%[^\r\n]*(?![^\r\n]))*([/\[\]{}()]|[^ \t\r\n/\[\]{}()%][^ \t\r\n/\[\]{}()]*)",
    re.S)
_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|Infinity)")


def js_parse_float(text: str | None) -> float:
    """JavaScript ``parseFloat(token || 0)``."""
    if not text:
        return 0.0
    m = _FLOAT.match(text.lstrip(" \t\n\r\x0b\x0c"))
    return float(m.group()) if m else math.nan


class Type1Tokenizer:
    """``Type1Parser``'s byte-level tokenizer (``getToken``, ``readInt``, ``readNumberArray``)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.ch = self.next_char()

    def next_char(self) -> int:
        if self.pos < len(self.data):
            self.ch = self.data[self.pos]
            self.pos += 1
        else:
            self.ch = -1
        return self.ch

    def get_bytes(self, n: int) -> bytes:
        out = self.data[self.pos : self.pos + n]
        self.pos += len(out)
        return out

    def token(self) -> str | None:
        """``getToken``: skip whitespace and ``%`` comments, then one special character or a
        run of regular ones; ``ch`` is left on the character after the token (one regex
        match instead of a Python step per character)."""
        if self.ch == -1:
            return None
        data = self.data
        if data[self.pos - 1] != self.ch:  # ``get_bytes`` moved on without a new ``ch``
            return self._token_slow()
        m = _TOKEN.match(data, self.pos - 1)
        if m is None:  # only whitespace and comments remain
            self.pos = len(data)
            self.ch = -1
            return None
        end = m.end()
        if end < len(data):
            self.ch = data[end]
            self.pos = end + 1
        else:
            self.ch = -1
            self.pos = len(data)
        return m.group(1).decode("latin-1")

    def _token_slow(self) -> str | None:
        """``getToken`` a character at a time, from ``ch`` on."""
        comment = False
        ch = self.ch
        while True:
            if ch == -1:
                return None
            if comment:
                if ch in (0x0A, 0x0D):
                    comment = False
            elif ch == 0x25:
                comment = True
            elif ch not in WHITESPACE:
                break
            ch = self.next_char()
        if ch in _SPECIAL:
            self.next_char()
            return chr(ch)
        chars = []
        while True:
            chars.append(chr(ch))
            ch = self.next_char()
            if ch < 0 or ch in WHITESPACE or ch in _SPECIAL:
                break
        return "".join(chars)

    def read_int(self) -> int:
        tok = self.token() or "0"
        m = re.match(r"\s*[+-]?\d+", tok)
        return int(m.group()) if m else 0  # parseInt(token || 0, 10) | 0

    def read_number(self) -> float:
        return js_parse_float(self.token())

    def read_number_array(self) -> list[float]:
        self.token()
        out = []
        while True:
            tok = self.token()
            if tok is None or tok in ("]", "}"):
                return out
            out.append(js_parse_float(tok))


def decrypt(data: bytes, key: int, discard: int) -> bytes:
    """``decrypt``: the Type 1 cipher over binary ``data`` with ``key`` (:data:`EEXEC_KEY` or
    :data:`CHARSTRING_KEY`); the first ``discard`` plain bytes (4, or ``lenIV``) are dropped.
    A stream cipher: a prefix of ``data`` decrypts to a prefix of the result."""
    if discard >= len(data):
        return b""
    r = key
    for i in range(discard):
        r = ((data[i] + r) * 52845 + 22719) & 0xFFFF
    out = bytearray(len(data) - discard)
    for j, value in enumerate(data[discard:]):
        out[j] = value ^ (r >> 8)
        r = ((value + r) * 52845 + 22719) & 0xFFFF
    return bytes(out)


def decrypt_ascii(data: bytes, key: int, discard: int) -> bytes:
    """``decryptAscii``: :func:`decrypt` over hex digits (anything else in ``data`` skipped)."""
    r = key
    out = bytearray()
    digits = [c for c in data if c in HEX_DIGITS]
    for k in range(0, len(digits) - 1, 2):
        value = int(bytes(digits[k : k + 2]), 16)
        out.append(value ^ (r >> 8))
        r = ((value + r) * 52845 + 22719) & 0xFFFF
    return bytes(out[discard:])
