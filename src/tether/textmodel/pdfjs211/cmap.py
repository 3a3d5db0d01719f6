"""CMaps and ToUnicode maps as PDF.js 2.11 builds them (``cmap.js``, ``to_unicode_map.js``).

A :class:`CMap` maps character codes (ints, read from content strings through its codespace
ranges) to values: CIDs (``int``) for an encoding CMap, or destination strings for a ToUnicode
CMap. Destination strings are kept as PDF.js keeps them, a ``str`` whose characters are the raw
bytes (``chr(byte)``; a ``bfrange`` may push the last one past 0xFF), and
:func:`read_to_unicode` decodes them as UTF-16BE exactly like ``PartialEvaluator.readToUnicode``.

This module knows only Identity-H/V (:func:`builtin_cmap`); the other predefined CMaps come from
:func:`.bcmap.load_builtin_cmap`, which callers pass to :func:`parse_cmap` for ``usecmap``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from tether.textmodel.pdfjs211.lexer import Name, _read_literal_string

MAX_MAP_RANGE = 2**24 - 1


class UnsupportedCMap(Exception):
    """An unknown predefined CMap name, or unreadable packed CMap data."""


class CMapError(Exception):
    """Malformed CMap data (PDF.js's ``FormatError`` while parsing one entry)."""


class CMap:
    """``CMap``: codespace ranges by byte length (1–4) and a sparse code → value map."""

    def __init__(self, builtin: bool = False) -> None:
        self.codespace_ranges: list[list[tuple[int, int]]] = [[], [], [], []]
        self.num_codespace_ranges = 0
        self._map: dict[int, Any] = {}
        self.name = ""
        self.vertical = False
        self.builtin = builtin

    def add_codespace_range(self, n: int, low: int, high: int) -> None:
        self.codespace_ranges[n - 1].append((low, high))
        self.num_codespace_ranges += 1

    def map_cid_range(self, low: int, high: int, dst_low: int) -> None:
        if high - low > MAX_MAP_RANGE:
            raise CMapError("mapCidRange - ignoring data above MAX_MAP_RANGE.")
        while low <= high:
            self._map[low] = dst_low
            low += 1
            dst_low += 1

    def map_bf_range(self, low: int, high: int, dst_low: str) -> None:
        if high - low > MAX_MAP_RANGE:
            raise CMapError("mapBfRange - ignoring data above MAX_MAP_RANGE.")
        while low <= high:
            self._map[low] = dst_low
            low += 1
            # dstLow.substring(0, last) + String.fromCharCode(dstLow.charCodeAt(last) + 1)
            last = ord(dst_low[-1]) + 1 if dst_low else 0  # NaN + 1 → fromCharCode → "\0"
            dst_low = dst_low[:-1] + chr(last & 0xFFFF)

    def map_bf_range_to_array(self, low: int, high: int, array: list[Any]) -> None:
        if high - low > MAX_MAP_RANGE:
            raise CMapError("mapBfRangeToArray - ignoring data above MAX_MAP_RANGE.")
        for item in array:
            if low > high:
                break
            self._map[low] = item
            low += 1

    def map_one(self, src: int, dst: Any) -> None:
        self._map[src] = dst

    def lookup(self, code: Any) -> Any:
        return self._map.get(code) if isinstance(code, int) else None

    def contains(self, code: Any) -> bool:
        return isinstance(code, int) and code in self._map

    def items(self) -> Iterator[tuple[int, Any]]:
        """``forEach``: (code, value) in ascending code order."""
        for code in sorted(self._map):
            yield code, self._map[code]

    def char_code_of(self, value: Any) -> int:
        """``charCodeOf``: the smallest code mapped to ``value`` (strict equality), else -1."""
        for code, v in self.items():
            if type(v) is type(value) and v == value:
                return code
        return -1

    @property
    def length(self) -> int:
        """JavaScript ``_map.length``: highest code + 1."""
        return max(self._map) + 1 if self._map else 0

    def read_char_code(self, data: bytes, offset: int) -> tuple[int, int]:
        """``readCharCode``: (charcode, byte length) of the code at ``offset``; bytes past the
        end count as 0 (JavaScript's NaN in a bitwise or); no match → (0, 1)."""
        c = 0
        n_data = len(data)
        for n in range(4):
            byte = data[offset + n] if offset + n < n_data else 0
            c = ((c << 8) | byte) & 0xFFFFFFFF
            for low, high in self.codespace_ranges[n]:
                if low <= c <= high:
                    return c, n + 1
        return 0, 1

    @property
    def is_identity_cmap(self) -> bool:
        if self.name not in ("Identity-H", "Identity-V") or self.length != 0x10000:
            return False
        return all(self._map.get(i) == i for i in range(0x10000))


class IdentityCMap(CMap):
    """``IdentityCMap``: Identity-H / Identity-V, two-byte codes mapped to themselves."""

    def __init__(self, vertical: bool, n: int) -> None:
        super().__init__()
        self.vertical = vertical
        self.add_codespace_range(n, 0, 0xFFFF)

    def lookup(self, code: Any) -> Any:
        return code if isinstance(code, int) and code <= 0xFFFF else None

    def contains(self, code: Any) -> bool:
        return isinstance(code, int) and code <= 0xFFFF

    def items(self) -> Iterator[tuple[int, Any]]:
        return ((i, i) for i in range(0x10000))

    def char_code_of(self, value: Any) -> int:
        return value if isinstance(value, int) and value <= 0xFFFF else -1

    @property
    def length(self) -> int:
        return 0x10000


def builtin_cmap(name: str) -> CMap:
    """``createBuiltInCMap``: Identity-H/V; other predefined CMaps are not bundled."""
    if name == "Identity-H":
        return IdentityCMap(False, 2)
    if name == "Identity-V":
        return IdentityCMap(True, 2)
    raise UnsupportedCMap(name)


# --- a lexer with PDF.js Lexer semantics, enough for CMaps ---------------------------------

class Cmd(str):
    """A bare keyword (``begincodespacerange``, ``[``, ``]`` …), PDF.js's ``Cmd``."""

    __slots__ = ()


_WS = b"\x00\t\n\x0c\r "
_TOKEN = re.compile(
    rb"(?P<ws>[\x00\t\n\x0c\r ]+|%[^\r\n]*)"
    rb"|(?P<hex><(?!<)[^>]*>?)"
    rb"|(?P<str>\()"
    rb"|(?P<delim><<|>>|[\[\]{}])"
    rb"|(?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)"
    rb"|(?P<num>[+-]?(?:\d+\.?\d*|\.\d+))(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"
    rb"|(?P<kw>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)"
    rb"|(?P<other>.)",
    re.S,
)
_HEX_DIGIT = re.compile(rb"[0-9A-Fa-f]")
_NAME_ESCAPE = re.compile(r"#([0-9A-Fa-f]{2})")
EOF = object()
_KEYWORDS: dict[str, Any] = {"true": True, "false": False, "null": None}


def _lex(data: bytes) -> Iterator[Any]:
    pos, n = 0, len(data)
    while pos < n:
        m = _TOKEN.match(data, pos)
        kind = m.lastgroup
        pos = m.end()
        raw = m.group()
        if kind in ("ws", "other"):
            continue
        if kind == "hex":  # getHexString: pairs of hex digits, an odd last digit is dropped
            digits = b"".join(_HEX_DIGIT.findall(raw[1:]))
            yield "".join(chr(int(digits[i : i + 2], 16)) for i in range(0, len(digits) - 1, 2))
        elif kind == "str":
            s, pos = _read_literal_string(data, pos)
            yield s.decode("latin-1")
        elif kind == "delim":
            yield Cmd(raw.decode("latin-1"))
        elif kind == "name":
            text = raw[1:].decode("latin-1")
            yield Name(_NAME_ESCAPE.sub(lambda mm: chr(int(mm.group(1), 16)), text))
        elif kind == "num":
            yield float(raw) if 0x2E in raw else int(raw)  # 0x2E: "." (see syntax._DOT)
        else:
            word = raw.decode("latin-1")
            if word in _KEYWORDS:
                yield _KEYWORDS[word]
            else:
                yield Cmd(word)


def _str_to_int(s: str) -> int:
    a = 0
    for ch in s:
        a = ((a << 8) | ord(ch)) & 0xFFFFFFFF
    return a


def _expect_str(obj: Any) -> str:
    if not isinstance(obj, str) or isinstance(obj, (Cmd, Name)):
        raise CMapError("Malformed CMap: expected string.")
    return obj


def _expect_int(obj: Any) -> int:
    if not isinstance(obj, int) or isinstance(obj, bool):
        raise CMapError("Malformed CMap: expected int.")
    return obj


def _is_str(obj: Any) -> bool:
    return isinstance(obj, str) and not isinstance(obj, (Cmd, Name))


def _parse_section(cmap: CMap, lex: Iterator[Any], kind: str) -> None:
    """``parseBfChar`` / ``parseBfRange`` / ``parseCidChar`` / ``parseCidRange`` /
    ``parseCodespaceRange``: entries until the matching ``end…`` keyword."""
    end = "end" + kind
    while True:
        obj = next(lex, EOF)
        if obj is EOF:
            if kind in ("bfrange", "codespacerange"):
                raise CMapError(f"Invalid {kind}.")
            return
        if isinstance(obj, Cmd) and obj == end:
            return
        if kind == "codespacerange":
            if not _is_str(obj):
                raise CMapError("Invalid codespace range.")
            low = _str_to_int(obj)
            obj = next(lex, EOF)
            if not _is_str(obj):
                raise CMapError("Invalid codespace range.")
            cmap.add_codespace_range(len(obj), low, _str_to_int(obj))
            continue
        src = _str_to_int(_expect_str(obj))
        if kind == "bfchar":
            cmap.map_one(src, _expect_str(next(lex, EOF)))
        elif kind == "cidchar":
            cmap.map_one(src, _expect_int(next(lex, EOF)))
        elif kind == "cidrange":
            high = _str_to_int(_expect_str(next(lex, EOF)))
            cmap.map_cid_range(src, high, _expect_int(next(lex, EOF)))
        else:  # bfrange
            high = _str_to_int(_expect_str(next(lex, EOF)))
            obj = next(lex, EOF)
            if isinstance(obj, int) and not isinstance(obj, bool):
                cmap.map_bf_range(src, high, chr(obj & 0xFFFF))
            elif _is_str(obj):
                cmap.map_bf_range(src, high, obj)
            elif isinstance(obj, Cmd) and obj == "[":
                array = []
                obj = next(lex, EOF)
                while obj is not EOF and not (isinstance(obj, Cmd) and obj == "]"):
                    array.append(obj)
                    obj = next(lex, EOF)
                cmap.map_bf_range_to_array(src, high, array)
            else:
                raise CMapError("Invalid bf range.")


_SECTIONS = {"begincodespacerange": "codespacerange", "beginbfchar": "bfchar",
             "begincidchar": "cidchar", "beginbfrange": "bfrange", "begincidrange": "cidrange"}


def parse_cmap(data: bytes, fetch_builtin: Callable[[str], CMap] = builtin_cmap) -> CMap:
    """``CMapFactory.create`` for an embedded CMap stream: a malformed entry is skipped (PDF.js
    warns and continues), ``usecmap`` pulls in a predefined CMap, and an embedded CMap that is
    exactly Identity-H/V becomes the built-in one."""
    cmap = CMap()
    lex = _lex(data)
    previous: Any = None
    use_cmap: str | None = None
    while True:
        try:
            obj = next(lex, EOF)
            if obj is EOF:
                break
            if isinstance(obj, Name):
                if obj == "WMode":
                    value = next(lex, EOF)
                    if isinstance(value, int) and not isinstance(value, bool):
                        cmap.vertical = bool(value)
                elif obj == "CMapName":
                    value = next(lex, EOF)
                    if isinstance(value, Name):
                        cmap.name = str(value)
                previous = obj
            elif isinstance(obj, Cmd):
                if obj == "endcmap":
                    break
                if obj == "usecmap":
                    if isinstance(previous, Name):
                        use_cmap = str(previous)
                elif obj in _SECTIONS:
                    _parse_section(cmap, lex, _SECTIONS[obj])
        except CMapError:
            continue
    if use_cmap:
        _extend_cmap(cmap, fetch_builtin(use_cmap))
    if cmap.is_identity_cmap:
        return fetch_builtin(cmap.name)
    return cmap


def _extend_cmap(cmap: CMap, base: CMap) -> None:
    """``extendCMap``: inherit codespace ranges (when none) and unmapped codes from ``base``."""
    if cmap.num_codespace_ranges == 0:
        cmap.codespace_ranges = [list(r) for r in base.codespace_ranges]
        cmap.num_codespace_ranges = base.num_codespace_ranges
    for code, value in base.items():
        if not cmap.contains(code):
            cmap.map_one(code, value)
