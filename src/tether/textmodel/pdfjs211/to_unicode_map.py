"""ToUnicode maps as PDF.js 2.11 keeps them (``to_unicode_map.js``), and the UTF-16BE decoding
``PartialEvaluator.readToUnicode`` applies to a parsed ToUnicode CMap."""

from __future__ import annotations

from typing import Any

from tether.textmodel.pdfjs211.cmap import CMap, Cmd, IdentityCMap
from tether.textmodel.pdfjs211.syntax import Name


class ToUnicodeMap:
    """``ToUnicodeMap``: a sparse code → value map. Values are ``str`` (from a ToUnicode CMap
    or glyph names); ``charCodeOf`` compares strictly, so looking up a number never matches."""

    def __init__(self, mapping: dict[int, Any] | None = None) -> None:
        self._map: dict[int, Any] = mapping if mapping is not None else {}

    @property
    def length(self) -> int:
        return max(self._map) + 1 if self._map else 0

    def has(self, code: int) -> bool:
        return self._map.get(code) is not None

    def get(self, code: int) -> Any:
        return self._map.get(code)

    def char_code_of(self, value: Any) -> int:
        for code in sorted(self._map):
            v = self._map[code]
            if type(v) is type(value) and v == value:
                return code
        return -1

    def amend(self, mapping: dict[int, Any]) -> None:
        self._map.update(mapping)

    def codes(self) -> list[int]:
        return sorted(self._map)


class IdentityToUnicodeMap:
    """``IdentityToUnicodeMap(firstChar, lastChar)``: each code maps to itself."""

    def __init__(self, first_char: int, last_char: int) -> None:
        self.first_char = first_char
        self.last_char = last_char

    @property
    def length(self) -> int:
        return self.last_char + 1 - self.first_char

    def has(self, code: int) -> bool:
        return self.first_char <= code <= self.last_char

    def get(self, code: int) -> str | None:
        return chr(code & 0xFFFF) if self.first_char <= code <= self.last_char else None

    def char_code_of(self, value: Any) -> int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return value if ok and self.first_char <= value <= self.last_char else -1


def decode_utf16_token(token: str) -> str:
    """The UTF-16BE decoding loop of ``readToUnicode`` for one destination string (a missing
    trailing byte counts as 0; a surrogate unit always takes the next unit as its partner)."""
    units = [ord(ch) for ch in token]
    n = len(units)

    def unit(k: int) -> int:
        hi = units[k] if k < n else 0
        lo = units[k + 1] if k + 1 < n else 0
        return ((hi << 8) | lo) & 0xFFFFFFFF

    out: list[int] = []
    k = 0
    while k < n:
        w1 = unit(k)
        if (w1 & 0xF800) != 0xD800:
            out.append(w1)
        else:
            k += 2
            w2 = unit(k)
            out.append(((w1 & 0x3FF) << 10) + (w2 & 0x3FF) + 0x10000)
        k += 2
    return "".join(chr(c) for c in out)  # ValueError past U+10FFFF, like fromCodePoint


def read_to_unicode(cmap: CMap) -> ToUnicodeMap | IdentityToUnicodeMap:
    """``readToUnicode`` after the CMap is parsed: Identity → ``IdentityToUnicodeMap(0,
    0xFFFF)``; otherwise numbers become ``fromCodePoint`` and strings are UTF-16BE-decoded."""
    if isinstance(cmap, IdentityCMap):
        return IdentityToUnicodeMap(0, 0xFFFF)
    out: dict[int, Any] = {}
    for code, token in cmap.items():
        if isinstance(token, int) and not isinstance(token, bool):
            out[code] = chr(token)
        elif isinstance(token, str) and not isinstance(token, (Cmd, Name)):
            out[code] = decode_utf16_token(token)
        else:  # a name/keyword from a bfrange array: no .length in JavaScript → ""
            out[code] = ""
    return ToUnicodeMap(out)
