"""Predefined CMaps (``UniGB-UCS2-H``, ``90ms-RKSJ-H``, ``Adobe-Japan1-UCS2`` …) from PDF.js
2.11's packed ``.bcmap`` files, bundled in ``data/cmaps.json`` (``cmaps``: name → base64 of
the zlib-compressed file; Adobe's cmap-resources, BSD-3-Clause — the licence travels in the
file's ``notice`` and in ``data/NOTICE``).

:func:`load_builtin_cmap` ports ``createBuiltInCMap`` + ``BinaryCMapReader.process`` +
``extendCMap`` (``usecmap``); results are cached per name (read-only: callers must not mutate).
"""

from __future__ import annotations

import base64
import zlib
from functools import cache

from tether.textmodel.pdfjs211.cmap import CMap, UnsupportedCMap, builtin_cmap
from tether.textmodel.pdfjs211.encodings import load_data

MAX_NUM_SIZE = 16


@cache
def _packed() -> dict[str, str]:
    return load_data("cmaps.json")["cmaps"]


class _Stream:
    """``BinaryCMapStream``."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            return -1
        self.pos += 1
        return self.data[self.pos - 1]

    def number(self) -> int:
        n = 0
        while True:
            b = self.byte()
            if b < 0:
                raise UnsupportedCMap("unexpected EOF in bcmap")
            n = ((n << 7) | (b & 0x7F)) & 0xFFFFFFFF
            if not b & 0x80:
                return n

    def signed(self) -> int:
        n = self.number()
        return ~(n >> 1) if n & 1 else n >> 1

    def hex(self, num: list[int], size: int) -> None:
        chunk = self.data[self.pos : self.pos + size + 1]
        num[: len(chunk)] = chunk
        self.pos += size + 1

    def hex_number(self, num: list[int], size: int) -> None:
        stack = []
        while True:
            b = self.byte()
            if b < 0:
                raise UnsupportedCMap("unexpected EOF in bcmap")
            stack.append(b & 0x7F)
            if not b & 0x80:
                break
        buffer = bits = 0
        for i in range(size, -1, -1):
            while bits < 8:  # the JS stack is a fixed buffer: past its bottom it reads 0
                buffer |= (stack.pop() if stack else 0) << bits
                bits += 7
            num[i] = buffer & 0xFF
            buffer >>= 8
            bits -= 8

    def hex_signed(self, num: list[int], size: int) -> None:
        self.hex_number(num, size)
        sign = 0xFF if num[size] & 1 else 0
        c = 0
        for i in range(size + 1):
            c = ((c & 1) << 8) | num[i]
            num[i] = (c >> 1) ^ sign

    def string(self) -> str:
        return "".join(chr(self.number()) for _ in range(self.number()))


def _to_int(a: list[int], size: int) -> int:
    n = 0
    for i in range(size + 1):
        n = (n << 8) | a[i]
    return n & 0xFFFFFFFF


def _to_str(a: list[int], size: int) -> str:
    return "".join(chr(a[i]) for i in range(size + 1))


def _add(a: list[int], b: list[int], size: int) -> None:
    c = 0
    for i in range(size, -1, -1):
        c += a[i] + b[i]
        a[i] = c & 0xFF
        c >>= 8


def _inc(a: list[int], size: int) -> None:
    c = 1
    for i in range(size, -1, -1):
        if c <= 0:
            break
        c += a[i]
        a[i] = c & 0xFF
        c >>= 8


def _read(data: bytes, cmap: CMap) -> str | None:
    """``BinaryCMapReader.process``: fills ``cmap``; returns the ``usecmap`` name, if any."""
    s = _Stream(data)
    cmap.vertical = bool(s.byte() & 1)
    use_cmap = None
    start, end, char, code_buf, tmp = ([0] * MAX_NUM_SIZE for _ in range(5))
    while (b := s.byte()) >= 0:
        kind = b >> 5
        if kind == 7:
            if b & 0x1F == 0:
                s.string()
            elif b & 0x1F == 1:
                use_cmap = s.string()
            continue
        sequence = bool(b & 0x10)
        size = b & 15
        count = s.number()
        if kind in (0, 1, 3):
            s.hex(start, size)
            s.hex_number(end, size)
            _add(end, start, size)
            for i in range(max(count, 1)):
                if i:
                    _inc(end, size)
                    if kind != 3 or not sequence:
                        s.hex_number(start, size)
                        _add(start, end, size)
                    else:
                        start[:] = end
                    s.hex_number(end, size)
                    _add(end, start, size)
                if kind == 0:
                    cmap.add_codespace_range(size + 1, _to_int(start, size), _to_int(end, size))
                elif kind == 1:
                    s.number()
                else:
                    cmap.map_cid_range(_to_int(start, size), _to_int(end, size), s.number())
        elif kind == 2:
            s.hex(char, size)
            code = s.number()
            cmap.map_one(_to_int(char, size), code)
            for _ in range(1, count):
                _inc(char, size)
                if not sequence:
                    s.hex_number(tmp, size)
                    _add(char, tmp, size)
                code = s.signed() + (code + 1)
                cmap.map_one(_to_int(char, size), code)
        elif kind == 4:
            s.hex(char, 1)
            s.hex(code_buf, size)
            cmap.map_one(_to_int(char, 1), _to_str(code_buf, size))
            for _ in range(1, count):
                _inc(char, 1)
                if not sequence:
                    s.hex_number(tmp, 1)
                    _add(char, tmp, 1)
                _inc(code_buf, size)
                s.hex_signed(tmp, size)
                _add(code_buf, tmp, size)
                cmap.map_one(_to_int(char, 1), _to_str(code_buf, size))
        elif kind == 5:
            s.hex(start, 1)
            s.hex_number(end, 1)
            _add(end, start, 1)
            s.hex(code_buf, size)
            cmap.map_bf_range(_to_int(start, 1), _to_int(end, 1), _to_str(code_buf, size))
            for _ in range(1, count):
                _inc(end, 1)
                if not sequence:
                    s.hex_number(start, 1)
                    _add(start, end, 1)
                else:
                    start[:] = end
                s.hex_number(end, 1)
                _add(end, start, 1)
                s.hex(code_buf, size)
                cmap.map_bf_range(_to_int(start, 1), _to_int(end, 1), _to_str(code_buf, size))
        else:
            raise UnsupportedCMap(f"BinaryCMapReader.process - unknown type: {kind}")
    return use_cmap


@cache
def load_builtin_cmap(name: str) -> CMap:
    """``createBuiltInCMap(name)``: Identity-H/V, else the bundled predefined CMap (with its
    ``usecmap`` parent merged in). Unknown names raise :class:`UnsupportedCMap`."""
    if name in ("Identity-H", "Identity-V"):
        return builtin_cmap(name)
    packed = _packed().get(name)
    if packed is None:
        raise UnsupportedCMap(f"Unknown CMap name: {name}")
    cmap = CMap(builtin=True)
    cmap.name = name
    use = _read(zlib.decompress(base64.b64decode(packed)), cmap)
    if use:
        parent = load_builtin_cmap(use)
        if cmap.num_codespace_ranges == 0:
            cmap.codespace_ranges = [list(r) for r in parent.codespace_ranges]
            cmap.num_codespace_ranges = parent.num_codespace_ranges
        for code, value in parent.items():
            if not cmap.contains(code):
                cmap.map_one(code, value)
    return cmap
