"""What PDF.js 2.11 reads from an embedded Type 1 font program (``type1_font.js``,
``type1_parser.js``) that changes text extraction:

- the cleartext header's ``/Encoding`` (``StandardEncoding`` or ``dup N /name put`` entries) —
  the font's *built-in encoding* (``extractFontHeader``);
- the header's ``/FontMatrix`` (``extractFontHeader``), which rescales the PDF widths
  (``adjustWidths``);
- each charstring's advance width from ``hsbw``/``sbw`` (``extractFontProgram``), which fills
  widths missing from ``/Widths`` inside ``[FirstChar, LastChar]``.

Glyph outlines are not interpreted beyond the width.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from tether.textmodel.pdfjs211.encodings import get_encoding

EEXEC_KEY = 55665
CHARSTRING_KEY = 4330
_WS = frozenset(b" \t\r\n")  # core_utils.isWhiteSpace
_SPECIAL = frozenset(b"/[]{}()")
_HEX = frozenset(b"0123456789ABCDEFabcdef")
_EEXEC = b"eexec"
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


@dataclass
class Type1Program:
    """The parts of a Type 1 program that matter for text. ``builtin_encoding`` is either the
    shared StandardEncoding list (``/Encoding StandardEncoding def``), a sparse code → name
    dict, or ``None``."""

    builtin_encoding: list[str] | dict[int, str] | None = None
    font_matrix: list[float] | None = None
    glyph_widths: list[tuple[str, float]] = field(default_factory=list)  # charstring order


class _Parser:
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
            elif ch not in _WS:
                break
            ch = self.next_char()
        if ch in _SPECIAL:
            self.next_char()
            return chr(ch)
        chars = []
        while True:
            chars.append(chr(ch))
            ch = self.next_char()
            if ch < 0 or ch in _WS or ch in _SPECIAL:
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


def _find_eexec(data: bytes, start: int) -> tuple[bool, int]:
    """``findBlock(bytes, "eexec", start)``: (found, offset just past it and whitespace)."""
    scan = len(data) - len(_EEXEC)
    i = start
    while i < scan:
        if data.startswith(_EEXEC, i):
            i += len(_EEXEC)
            while i < len(data) and data[i] in _WS:
                i += 1
            return True, i
        i += 1
    return False, i


def _header_length(data: bytes, suggested: int | None) -> int:
    """``getHeaderBlock``: trust ``Length1`` when the block ends with ``eexec`` + whitespace,
    else scan for ``eexec`` in 2048-byte windows."""
    if suggested is not None and 0 <= suggested <= len(data):
        found, end = _find_eexec(data[:suggested], suggested - 2 * len(_EEXEC))
        if found and end == suggested:
            return suggested
    pos = 0
    while True:
        window = data[pos : pos + 2048]
        found, length = _find_eexec(window, 0)
        if length == 0:
            break
        pos += length
        if found:
            return pos
    return suggested if suggested is not None else len(data)


def _decrypt(data: bytes, key: int, discard: int) -> bytes:
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


def _decrypt_ascii(data: bytes, key: int, discard: int) -> bytes:
    r = key
    out = bytearray()
    digits = [c for c in data if c in _HEX]
    for k in range(0, len(digits) - 1, 2):
        value = int(bytes(digits[k : k + 2]), 16)
        out.append(value ^ (r >> 8))
        r = ((value + r) * 52845 + 22719) & 0xFFFF
    return bytes(out[discard:])


def _parse_header(data: bytes, prog: Type1Program) -> None:
    """``extractFontHeader``."""
    p = _Parser(data)
    while (tok := p.token()) is not None:
        if tok != "/":
            continue
        tok = p.token()
        if tok == "FontMatrix":
            prog.font_matrix = p.read_number_array()
        elif tok == "Encoding":
            arg = p.token() or ""
            if not re.fullmatch(r"\d+", arg):
                prog.builtin_encoding = get_encoding(arg)
                continue
            encoding: dict[int, str] = {}
            p.token()
            for _ in range(int(arg)):
                tok = p.token()
                while tok not in ("dup", "def"):
                    tok = p.token()
                    if tok is None:
                        return  # PDF.js returns without setting builtInEncoding
                if tok == "def":
                    break
                index = p.read_int()
                p.token()
                glyph = p.token()
                encoding[index] = glyph if glyph is not None else "null"
                p.token()
            prog.builtin_encoding = encoding
        elif tok == "FontBBox":
            p.read_number_array()


class _Truncated(Exception):
    """A width parse needed bytes past the decrypted prefix of a charstring."""


def _charstring_width(code: bytes, subrs: _Subrs, depth: int = 0,
                      complete: bool = True) -> float | None:
    """The ``hsbw``/``sbw`` advance of a decrypted charstring (``Type1CharString.convert``),
    following ``callsubr`` and ``div``; ``None`` when none is reached. With ``complete``
    false, ``code`` is only a prefix: reading past it raises :class:`_Truncated`."""
    stack: list[float] = []
    i, n = 0, len(code)
    while i < n:
        v = code[i]
        if v < 32:
            if v == 12:
                i += 1
                if i >= n and not complete:
                    raise _Truncated
                v = (12 << 8) + (code[i] if i < n else 0)
            if v == 13:  # hsbw: sbx wx
                return stack[-1] if len(stack) >= 2 else None
            if v == (12 << 8) + 7:  # sbw: sbx sby wx wy
                return stack[-2] if len(stack) >= 4 else None
            if v == (12 << 8) + 12 and len(stack) >= 2:  # div
                b = stack.pop()
                a = stack.pop()
                stack.append(a / b if b else math.nan)
            elif v == 10 and stack and depth < 10:  # callsubr
                sub = subrs.get(int(stack.pop()))
                if sub is None:
                    return None
                w = _charstring_width(sub, subrs, depth + 1)
                if w is not None:
                    return w
            elif v == 11:  # return
                return None
            else:
                stack = []
            i += 1
            continue
        if v <= 246:
            stack.append(v - 139)
        elif v <= 250:
            i += 1
            if i >= n and not complete:
                raise _Truncated
            stack.append((v - 247) * 256 + (code[i] if i < n else 0) + 108)
        elif v <= 254:
            i += 1
            if i >= n and not complete:
                raise _Truncated
            stack.append(-((v - 251) * 256) - (code[i] if i < n else 0) - 108)
        else:
            if i + 5 > n and not complete:
                raise _Truncated
            raw = int.from_bytes(code[i + 1 : i + 5].ljust(4, b"\0"), "big")
            stack.append(raw - (1 << 32) if raw & 0x80000000 else raw)
            i += 4
        i += 1
    if not complete:
        raise _Truncated
    return None


class _Subrs:
    """``Subrs`` entries (still encrypted, with the ``lenIV`` in force when each was read),
    decrypted on first use: most charstrings reach their ``hsbw`` before calling one."""

    def __init__(self, encoded: dict[int, tuple[bytes, int]]) -> None:
        self.encoded = encoded
        self._plain: dict[int, bytes] = {}

    def get(self, index: int) -> bytes | None:
        plain = self._plain.get(index)
        if plain is None:
            entry = self.encoded.get(index)
            if entry is None:
                return None
            raw, len_iv = entry
            plain = self._plain[index] = raw if len_iv == -1 else _decrypt(
                raw, CHARSTRING_KEY, len_iv)
        return plain


#: Decrypted bytes tried first for a charstring's width: ``hsbw`` comes first in practice.
WIDTH_PREFIX = 24


def _glyph_width(raw: bytes, len_iv: int, subrs: _Subrs) -> float | None:
    """:func:`_charstring_width` of the charstring ``raw`` (still encrypted), decrypting only
    a prefix when the width is found in it (the cipher is a stream cipher: a prefix decrypts
    to a prefix)."""
    if len_iv == -1:
        return _charstring_width(raw, subrs)
    if len_iv >= 0 and len(raw) > len_iv + WIDTH_PREFIX:
        try:
            return _charstring_width(_decrypt(raw[: len_iv + WIDTH_PREFIX], CHARSTRING_KEY,
                                              len_iv), subrs, complete=False)
        except _Truncated:
            pass
    return _charstring_width(_decrypt(raw, CHARSTRING_KEY, len_iv), subrs)


def _parse_program(data: bytes, prog: Type1Program) -> None:
    """``extractFontProgram`` (eexec part): CharStrings and Subrs, then widths."""
    is_binary = not (
        len(data) >= 8 and (data[0] in _HEX or data[0] in _WS) and all(c in _HEX for c in data[1:8])
    )
    plain = _decrypt(data, EEXEC_KEY, 4) if is_binary else _decrypt_ascii(data, EEXEC_KEY, 4)
    p = _Parser(plain)
    len_iv = 4
    # Charstrings and subrs stay encrypted here, each with the lenIV in force when it was
    # read (PDF.js decrypts at that point); widths decrypt only what they need.
    subrs_encoded: dict[int, tuple[bytes, int]] = {}
    charstrings: list[tuple[str, bytes, int]] = []

    def read_charstring(length: int) -> bytes:
        return p.get_bytes(length) if length > 0 else b""

    while (tok := p.token()) is not None:
        if tok != "/":
            continue
        tok = p.token()
        if tok == "CharStrings":
            for _ in range(4):
                p.token()
            while True:
                tok = p.token()
                if tok is None or tok == "end":
                    break
                if tok != "/":
                    continue
                glyph = p.token() or ""
                length = p.read_int()
                p.token()
                encoded = read_charstring(length)
                p.next_char()
                if p.token() == "noaccess":
                    p.token()
                charstrings.append((glyph, encoded, len_iv))
        elif tok == "Subrs":
            p.read_int()
            p.token()
            while p.token() == "dup":
                index = p.read_int()
                length = p.read_int()
                p.token()
                encoded = read_charstring(length)
                p.next_char()
                if p.token() == "noaccess":
                    p.token()
                subrs_encoded[index] = (encoded, len_iv)
        elif tok == "lenIV":
            value = p.read_number()
            len_iv = int(value) if value == value else 4
        elif tok in ("BlueValues", "OtherBlues", "FamilyBlues", "FamilyOtherBlues",
                     "StemSnapH", "StemSnapV", "StdHW", "StdVW"):
            p.read_number_array()
    subrs = _Subrs(subrs_encoded)
    for glyph, encoded, iv in charstrings:
        width = _glyph_width(encoded, iv, subrs)
        prog.glyph_widths.append((glyph, width if width is not None else 0))


def parse_type1(data: bytes, length1: int | None, length2: int | None) -> Type1Program:
    """``new Type1Font(name, file, properties)``, as far as text extraction needs it."""
    prog = Type1Program()
    pos = 0
    pfb = data[:2] == b"\x80\x01"
    if pfb:
        length1 = int.from_bytes(data[2:6], "little")
        pos = 6
    body = data[pos:]
    header_len = _header_length(body, length1)
    _parse_header(body[:header_len], prog)
    rest = body[header_len:]
    if pfb:
        rest = rest[6:]
    _parse_program(rest, prog)
    return prog
