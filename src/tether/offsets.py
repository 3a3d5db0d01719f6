"""Offset units: UTF-16 code units vs Python code points.

Hypothesis and Obsidian Annotator store ``TextPositionSelector`` offsets as JavaScript string
indices, i.e. **UTF-16 code units**: a non-BMP character such as U+1D465 (𝑥) counts 2. The W3C
Web Annotation model and Apache Annotator count **code points**, which is what a Python ``str``
index is. Every offset in tether names its unit; the two aliases below exist so signatures say it.

:class:`Utf16Index` converts between the two for one string in O(log n) per call, after an
O(n) scan that records where the astral (non-BMP) characters are.
"""

from __future__ import annotations

import bisect
import enum
import re
from typing import NewType

CodePointOffset = NewType("CodePointOffset", int)
"""An index into a Python ``str`` (one per Unicode code point)."""

Utf16Offset = NewType("Utf16Offset", int)
"""An index into the UTF-16 encoding of a string (a JavaScript string index)."""

_FIRST_ASTRAL = 0x10000
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetUnit(str, enum.Enum):
    """The unit a file format's ``TextPositionSelector`` offsets are counted in."""

    UTF16 = "utf-16"
    CODE_POINT = "code-point"


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (a lone surrogate counts as one unit)."""
    if text.isascii():  # O(1): one unit per character
        return len(text)
    # One C-level encoding instead of a Python step per astral character.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class OffsetError(ValueError):
    """An offset that does not fall on a character boundary of the text it indexes."""


class Utf16Index:
    """Exact conversion between code-point and UTF-16 offsets of one string.

    Invariant: ``to_utf16(from_utf16(u)) == u`` for every UTF-16 offset ``u`` that is not inside
    a surrogate pair, and ``from_utf16(to_utf16(i)) == i`` for every ``0 <= i <= len(text)``.
    """

    __slots__ = ("_astral_cp", "_astral_u16", "length_cp", "length_utf16")

    def __init__(self, text: str) -> None:
        # Code-point indices of astral characters, and their UTF-16 start offsets.
        self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_u16 = [i + k for k, i in enumerate(self._astral_cp)]
        self.length_cp = len(text)
        self.length_utf16 = len(text) + len(self._astral_cp)

    @property
    def is_bmp_only(self) -> bool:
        """True when the two units coincide for this string."""
        return not self._astral_cp

    def to_utf16(self, offset: int) -> Utf16Offset:
        """Code-point offset → UTF-16 offset. ``0 <= offset <= len(text)``."""
        if not 0 <= offset <= self.length_cp:
            raise OffsetError(f"code-point offset {offset} outside 0..{self.length_cp}")
        return Utf16Offset(offset + bisect.bisect_left(self._astral_cp, offset))

    def from_utf16(self, offset: int) -> CodePointOffset:
        """UTF-16 offset → code-point offset.

        Raises :class:`OffsetError` when ``offset`` is out of range or splits a surrogate pair.
        """
        if not 0 <= offset <= self.length_utf16:
            raise OffsetError(f"UTF-16 offset {offset} outside 0..{self.length_utf16}")
        k = bisect.bisect_left(self._astral_u16, offset)
        if k and self._astral_u16[k - 1] + 1 == offset:
            raise OffsetError(f"UTF-16 offset {offset} falls inside a surrogate pair")
        return CodePointOffset(offset - k)

    def convert(self, offset: int, src: OffsetUnit, dst: OffsetUnit) -> int:
        """Convert ``offset`` from unit ``src`` to unit ``dst``."""
        if src == dst:
            if not 0 <= offset <= (self.length_cp if src == OffsetUnit.CODE_POINT
                                   else self.length_utf16):
                raise OffsetError(f"{src.value} offset {offset} out of range")
            return offset
        if src == OffsetUnit.UTF16:
            return self.from_utf16(offset)
        return self.to_utf16(offset)
