"""What PDF.js 2.11 reads from an embedded Type 1 font program (``type1_font.js``,
``type1_parser.js``) that changes text extraction:

- the cleartext header's ``/Encoding`` (``StandardEncoding`` or ``dup N /name put`` entries) —
  the font's *built-in encoding* (``extractFontHeader``);
- the header's ``/FontMatrix`` (``extractFontHeader``), which rescales the PDF widths
  (``adjustWidths``);
- each charstring's advance width from ``hsbw``/``sbw`` (``extractFontProgram``), which fills
  widths missing from ``/Widths`` inside ``[FirstChar, LastChar]``.

Glyph outlines are not interpreted beyond the width. The cipher and the tokenizer these readers
use are in :mod:`.type1_lexer`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from tether.textmodel.pdfjs211.encodings import get_encoding
from tether.textmodel.pdfjs211.type1_lexer import (
    CHARSTRING_KEY,
    EEXEC_KEY,
    HEX_DIGITS,
    WHITESPACE,
    Type1Tokenizer,
    decrypt,
    decrypt_ascii,
)

_EEXEC = b"eexec"


@dataclass
class Type1Program:
    """The parts of a Type 1 program that matter for text. ``builtin_encoding`` is either the
    shared StandardEncoding list (``/Encoding StandardEncoding def``), a sparse code → name
    dict, or ``None``."""

    builtin_encoding: list[str] | dict[int, str] | None = None
    font_matrix: list[float] | None = None
    glyph_widths: list[tuple[str, float]] = field(default_factory=list)  # charstring order


def _find_eexec(data: bytes, start: int) -> tuple[bool, int]:
    """``findBlock(bytes, "eexec", start)``: (found, offset just past it and whitespace)."""
    scan = len(data) - len(_EEXEC)
    i = start
    while i < scan:
        if data.startswith(_EEXEC, i):
            i += len(_EEXEC)
            while i < len(data) and data[i] in WHITESPACE:
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


def _parse_header(data: bytes, prog: Type1Program) -> None:
    """``extractFontHeader``."""
    p = Type1Tokenizer(data)
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
            plain = self._plain[index] = raw if len_iv == -1 else decrypt(
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
            return _charstring_width(decrypt(raw[: len_iv + WIDTH_PREFIX], CHARSTRING_KEY,
                                              len_iv), subrs, complete=False)
        except _Truncated:
            pass
    return _charstring_width(decrypt(raw, CHARSTRING_KEY, len_iv), subrs)


def _parse_program(data: bytes, prog: Type1Program) -> None:
    """``extractFontProgram`` (eexec part): CharStrings and Subrs, then widths."""
    is_binary = not (
        len(data) >= 8 and (data[0] in HEX_DIGITS or data[0] in WHITESPACE)
        and all(c in HEX_DIGITS for c in data[1:8])
    )
    plain = decrypt(data, EEXEC_KEY, 4) if is_binary else decrypt_ascii(data, EEXEC_KEY, 4)
    p = Type1Tokenizer(plain)
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
