"""Dataclasses for a document's text as an annotation client sees it.

Units: ``DocumentText.text`` is a Python ``str``; indices into it are **code points**. The
UTF-16 view (what Hypothesis stores) is available through :meth:`DocumentText.to_utf16` /
:meth:`DocumentText.from_utf16`. Invariant: ``text == "".join(p.text for p in pages)``, with
no separator between pages (exactly like PDF.js / Hypothesis document offsets).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from tether.offsets import CodePointOffset, OffsetUnit, Utf16Index, Utf16Offset


@dataclass(frozen=True, slots=True)
class CharBox:
    """Where one character of the page text sits, in PDF user space of its page.

    ``x0, y0, x1, y1`` use PyMuPDF's page coordinates (origin top-left, y down, unrotated page).
    Characters PDF.js inserts (fake spaces) get a zero-width box at the pen position.
    """

    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class PageText:
    """One page's text.

    ``start`` is the code-point index of the page's first character in ``DocumentText.text``;
    ``start_utf16`` the same position in UTF-16 code units (Hypothesis's page ``offset``).
    ``boxes`` is empty or has exactly one :class:`CharBox` per code point of ``text``.
    """

    index: int
    text: str
    start: CodePointOffset
    start_utf16: Utf16Offset
    boxes: tuple[CharBox, ...] = ()

    @property
    def end(self) -> CodePointOffset:
        return CodePointOffset(self.start + len(self.text))


@dataclass(frozen=True)
class DocumentText:
    """A document's text in one extraction model's coordinate system.

    ``model`` names the coordinate system (for example ``"pdfjs-2.11"``); every report names it.
    """

    model: str
    pages: tuple[PageText, ...]
    fingerprint: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_page_texts(
        cls,
        texts: Sequence[str],
        model: str,
        boxes: Sequence[Sequence[CharBox]] | None = None,
        fingerprint: str | None = None,
    ) -> DocumentText:
        """Build from per-page strings (cumulative offsets are computed here)."""
        pages: list[PageText] = []
        cp = u16 = 0
        for i, t in enumerate(texts):
            pb = tuple(boxes[i]) if boxes is not None else ()
            if pb and len(pb) != len(t):
                raise ValueError(f"page {i}: {len(pb)} boxes for {len(t)} characters")
            pages.append(PageText(i, t, CodePointOffset(cp), Utf16Offset(u16), pb))
            cp += len(t)
            u16 += Utf16Index(t).length_utf16
        return cls(model=model, pages=tuple(pages), fingerprint=fingerprint)

    @classmethod
    def from_pdfjs_pages_json(cls, data: dict[str, Any] | str) -> DocumentText:
        """Build from the oracle's ``pages`` output / a ``*.pdfjs-pages.json`` file's content."""
        if isinstance(data, str):
            data = json.loads(data)
        # The oracle writes ``"pdfjs": {"version": "2.11.338", "build": …}``; older files a
        # bare version string. The model is named by major.minor ("pdfjs-2.11").
        version = data.get("pdfjs")
        if isinstance(version, dict):
            version = version.get("version")
        parts = str(version or "").split(".")
        model = (f"pdfjs-{parts[0]}.{parts[1]}"
                 if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit()
                 else "pdfjs-2.11")
        pages = sorted(data["pages"], key=lambda p: p["index"])
        return cls.from_page_texts([p["text"] for p in pages], model=model)

    @cached_property
    def text(self) -> str:
        return "".join(p.text for p in self.pages)

    @cached_property
    def _index(self) -> Utf16Index:
        return Utf16Index(self.text)

    @cached_property
    def _page_starts(self) -> list[int]:
        return [p.start for p in self.pages]

    @property
    def length_utf16(self) -> int:
        return self._index.length_utf16

    def to_utf16(self, offset: int) -> Utf16Offset:
        """Code-point offset in :attr:`text` → UTF-16 offset (what Hypothesis stores)."""
        return self._index.to_utf16(offset)

    def from_utf16(self, offset: int) -> CodePointOffset:
        """UTF-16 offset → code-point offset in :attr:`text` (raises ``OffsetError``)."""
        return self._index.from_utf16(offset)

    def convert(self, offset: int, src: OffsetUnit, dst: OffsetUnit) -> int:
        return self._index.convert(offset, src, dst)

    def page_of(self, offset: int) -> int:
        """0-based page holding the character at code-point ``offset``.

        An offset equal to a page start belongs to that page (the character there). Offsets
        past the end map to the last page. Empty pages never own a character.
        """
        if not self.pages:
            raise ValueError("document has no pages")
        return max(0, bisect.bisect_right(self._page_starts, offset) - 1)

    @property
    def has_boxes(self) -> bool:
        """Whether every page with text carries its characters' boxes (extracted with them)."""
        return all(p.boxes or not p.text for p in self.pages)

    def box_of(self, offset: int) -> tuple[int, CharBox] | None:
        """(page index, box) of the character at code-point ``offset``, if boxes are known."""
        p = self.pages[self.page_of(offset)]
        i = offset - p.start
        if 0 <= i < len(p.boxes):
            return p.index, p.boxes[i]
        return None
