"""What PDF.js 2.11 reads from a CFF font program (``cff_parser.js`` ``CFFParser.parse``,
``cff_font.js`` ``CFFFont._createBuiltInEncoding``) that changes text extraction: the top DICT
``FontMatrix`` (default ``[0.001 0 0 0.001 0 0]``, so it always replaces the PDF's) and, for a
non-CID font, the built-in encoding (code → glyph name through the charset).

Also finds the ``CFF `` table inside an OpenType (``OTTO``) file for ``checkAndRepair``'s CFF path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tether.textmodel.pdfjs211.encodings import EXPERT_ENCODING, STANDARD_ENCODING, load_data

_CFF = load_data("cff.json")
STANDARD_STRINGS: list[str] = _CFF["standard_strings"]
_PREDEFINED_CHARSETS = [_CFF["iso_adobe"], _CFF["expert"], _CFF["expert_subset"]]
_FLOAT_NIBBLES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "E", "E-", None, "-"]


class CFFError(Exception):
    """The CFF data is unusable (PDF.js would fall back to a system font)."""


@dataclass
class CFFProgram:
    is_cid: bool
    font_matrix: list[float]
    builtin_encoding: dict[int, str] | None  # ``properties.builtInEncoding`` (None: unset)
    num_glyphs: int


def _js_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        import re

        m = re.match(r"[+-]?(?:\d+\.?\d*(?:E-?\d+)?|\.\d+(?:E-?\d+)?)", text)
        return float(m.group()) if m else math.nan


def _parse_dict(raw: bytes) -> dict[int, list[float]]:
    """``parseDict``: operator → operands (the last occurrence wins, as ``createDict`` sets)."""
    out: dict[int, list[float]] = {}
    operands: list[float] = []
    pos, end = 0, len(raw)

    def byte() -> int:
        nonlocal pos
        b = raw[pos] if pos < end else 0
        pos += 1
        return b

    while pos < end:
        b = raw[pos]
        if b <= 21:
            if b == 12:
                pos += 1
                b = (12 << 8) | (raw[pos] if pos < end else 0)
            out[b] = operands
            operands = []
            pos += 1
            continue
        v = byte()
        if v == 30:
            s = ""
            while pos < end:
                nib = byte()
                hi, lo = nib >> 4, nib & 15
                if hi == 15:
                    break
                s += _FLOAT_NIBBLES[hi] or ""
                if lo == 15:
                    break
                s += _FLOAT_NIBBLES[lo] or ""
            operands.append(_js_float(s))
        elif v == 28:
            val = (byte() << 8) | byte()
            operands.append(val - 0x10000 if val & 0x8000 else val)
        elif v == 29:
            val = (byte() << 24) | (byte() << 16) | (byte() << 8) | byte()
            operands.append(val - (1 << 32) if val & 0x80000000 else val)
        elif 32 <= v <= 246:
            operands.append(v - 139)
        elif 247 <= v <= 250:
            operands.append((v - 247) * 256 + byte() + 108)
        elif 251 <= v <= 254:
            operands.append(-((v - 251) * 256) - byte() - 108)
        else:
            operands.append(math.nan)
    return out


class _Lenient(bytes):
    """Bytes read the way PDF.js's ``Uint8Array`` reads them: an index out of range gives 0
    (JavaScript's ``undefined`` in a bitwise expression) instead of raising, so damaged
    programs are parsed as far as PDF.js parses them (an approximation where PDF.js's
    arithmetic would turn NaN)."""

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, int):
            return bytes.__getitem__(self, key) if 0 <= key < len(self) else 0
        return _Lenient(bytes.__getitem__(self, key))


def _parse_index(data: bytes, pos: int) -> tuple[list[bytes], int]:
    """``parseIndex``: (items, end offset)."""
    count = (data[pos] << 8) | data[pos + 1]
    pos += 2
    if count == 0:
        return [], pos
    off_size = data[pos]
    pos += 1
    start = pos + (count + 1) * off_size - 1
    offsets = []
    for _ in range(count + 1):
        off = int.from_bytes(data[pos : pos + off_size], "big")
        pos += off_size
        offsets.append(start + off)
    return [data[offsets[i] : offsets[i + 1]] for i in range(count)], offsets[count]


def _string(strings: list[bytes], sid: int) -> str | None:
    """``CFFStrings.get``."""
    if 0 <= sid <= len(STANDARD_STRINGS) - 1:
        return STANDARD_STRINGS[sid]
    k = sid - len(STANDARD_STRINGS)
    if k <= len(strings):
        return strings[k].decode("latin-1") if 0 <= k < len(strings) else None
    return STANDARD_STRINGS[0]


def _parse_charset(data: bytes, pos: int, length: int, strings: list[bytes]) -> list:
    if pos in (0, 1, 2):
        return _PREDEFINED_CHARSETS[pos]
    fmt = data[pos]
    pos += 1
    charset: list = [".notdef"]
    length -= 1

    def u16(p: int) -> int:
        return (data[p] << 8) | data[p + 1]

    if fmt == 0:
        for _ in range(length):
            charset.append(_string(strings, u16(pos)))
            pos += 2
    elif fmt in (1, 2):
        while len(charset) <= length:
            sid = u16(pos)
            count = data[pos + 2] if fmt == 1 else u16(pos + 2)
            pos += 3 if fmt == 1 else 4
            for k in range(count + 1):
                charset.append(_string(strings, sid + k))
    else:
        raise CFFError("Unknown charset format")
    return charset


def _parse_encoding(data: bytes, pos: int, strings: list[bytes], charset: list) -> dict[int, int]:
    """``parseEncoding``: code → glyph id."""
    encoding: dict[int, int] = {}
    if pos in (0, 1):
        base = EXPERT_ENCODING if pos else STANDARD_ENCODING
        for gid, name in enumerate(charset):
            if name in base:
                encoding[base.index(name)] = gid
        return encoding
    fmt = data[pos]
    pos += 1
    if fmt & 0x7F == 0:
        for gid in range(1, data[pos] + 1):
            encoding[data[pos + gid]] = gid
        pos += data[pos] + 1
    elif fmt & 0x7F == 1:
        ranges = data[pos]
        pos += 1
        gid = 1
        for _ in range(ranges):
            first, left = data[pos], data[pos + 1]
            pos += 2
            for code in range(first, first + left + 1):
                encoding[code] = gid
                gid += 1
    else:
        raise CFFError(f"Unknown encoding format: {fmt} in CFF")
    if fmt & 0x80:
        for _ in range(data[pos]):
            code = data[pos + 1]
            sid = (data[pos + 2] << 8) + data[pos + 3]
            pos += 3
            name = _string(strings, sid)
            encoding[code] = charset.index(name) if name in charset else -1
        # (PDF.js reads the supplement count at the end of the ranges)
    return encoding


def parse_cff(data: bytes) -> CFFProgram:
    """``CFFParser.parse`` + ``_createBuiltInEncoding``, reduced to what text needs."""
    start = data.find(b"\x01")
    if start < 0:
        raise CFFError("Invalid CFF header")
    data = _Lenient(data[start:])
    try:
        hdr_size = data[2]
        _, pos = _parse_index(data, hdr_size)  # Name INDEX
        top_dicts, pos = _parse_index(data, pos)
        strings, pos = _parse_index(data, pos)
        if not top_dicts:
            raise CFFError("no top DICT")
        top = _parse_dict(top_dicts[0])
        is_cid = (12 << 8 | 30) in top
        char_strings_off = int((top.get(17) or [0])[0])
        char_strings, _ = _parse_index(data, char_strings_off)
        matrix = top.get(12 << 8 | 7)
        font_matrix = list(matrix) if matrix and len(matrix) == 6 else [0.001, 0, 0, 0.001, 0, 0]
        builtin = None
        if not is_cid:
            charset_off = int((top.get(15) or [0])[0])
            charset = _parse_charset(data, charset_off, len(char_strings), strings)
            enc = _parse_encoding(data, int((top.get(16) or [0])[0]), strings, charset)
            built = {code: charset[gid] for code, gid in sorted(enc.items())
                     if 0 <= gid < len(charset) and charset[gid]}
            builtin = built or None
        return CFFProgram(is_cid, font_matrix, builtin, len(char_strings))
    except (IndexError, ValueError) as exc:
        raise CFFError(str(exc)) from exc


def opentype_cff_table(data: bytes) -> bytes | None:
    """The ``CFF `` table of an OpenType file, if any."""
    if len(data) < 12:
        return None
    num_tables = (data[4] << 8) | data[5]
    for i in range(num_tables):
        rec = data[12 + 16 * i : 28 + 16 * i]
        if len(rec) < 16:
            break
        if rec[:4] == b"CFF ":
            off = int.from_bytes(rec[8:12], "big")
            length = int.from_bytes(rec[12:16], "big")
            return data[off : off + length]
    return None


def opentype_tables(data: bytes) -> set[bytes]:
    """Tags of an sfnt's table directory."""
    if len(data) < 12:
        return set()
    num_tables = (data[4] << 8) | data[5]
    return {data[12 + 16 * i : 16 + 16 * i] for i in range(num_tables)
            if len(data) >= 28 + 16 * i}
