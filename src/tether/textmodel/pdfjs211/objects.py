"""Low-level object access over PyMuPDF: parsed xref objects, decoded streams, page resources.

PyMuPDF prints any object's source (``Document.xref_object``) and decodes any stream
(``Document.xref_stream``); :mod:`.syntax` turns the source into Python values. Parsed objects are
cached per document, since fonts and resources are shared by many pages.
"""

from __future__ import annotations

from typing import Any

import pymupdf

from tether.textmodel.pdfjs211.syntax import Ref, parse_object

#: How far up the page tree to look for inherited /Resources (guards against cycles).
MAX_INHERITANCE_DEPTH = 64


class PdfObjects:
    """Cached access to one PDF's objects. Values are as :func:`syntax.parse_object` returns."""

    def __init__(self, doc: pymupdf.Document) -> None:
        self.doc = doc
        self._objects: dict[int, Any] = {}
        self._streams: dict[int, bytes] = {}

    def obj(self, xref: int) -> Any:
        """The parsed object with number ``xref`` (for a stream: its dictionary)."""
        if xref not in self._objects:
            try:
                source = self.doc.xref_object(xref, compressed=False)
            except Exception:  # a dangling reference: PDF.js treats it as null
                source = "null"
            self._objects[xref] = parse_object(source)
        return self._objects[xref]

    def resolve(self, value: Any, depth: int = 0) -> Any:
        """Follow indirect references until a direct value (``None`` for dangling ones)."""
        while isinstance(value, Ref) and depth < MAX_INHERITANCE_DEPTH:
            value = self.obj(value.num)
            depth += 1
        return None if isinstance(value, Ref) else value

    def get(self, d: Any, key: str, default: Any = None) -> Any:
        """``d[key]`` resolved, for a dict ``d``; ``default`` when absent or ``d`` is no dict."""
        if not isinstance(d, dict) or key not in d:
            return default
        value = self.resolve(d[key])
        return default if value is None else value

    def stream(self, ref: Ref | int) -> bytes:
        """Decoded data of the stream object ``ref`` (empty when it is not a readable stream)."""
        xref = ref.num if isinstance(ref, Ref) else ref
        if xref not in self._streams:
            data = b""
            try:
                if self.doc.xref_is_stream(xref):
                    data = self.doc.xref_stream(xref) or b""
            except Exception:
                data = b""
            self._streams[xref] = data
        return self._streams[xref]

    def page_dict(self, page_index: int) -> dict[str, Any]:
        xref = self.doc.page_xref(page_index)
        value = self.obj(xref)
        return value if isinstance(value, dict) else {}

    def page_resources(self, page_index: int) -> dict[str, Any]:
        """The page's /Resources, inherited from the page tree when the page has none."""
        node: Any = self.page_dict(page_index)
        for _ in range(MAX_INHERITANCE_DEPTH):
            if not isinstance(node, dict):
                break
            res = self.get(node, "Resources")
            if isinstance(res, dict):
                return res
            node = self.get(node, "Parent")
        return {}

    def page_contents(self, page_index: int) -> bytes:
        """The page's content streams, decoded and joined by a newline (PDF treats the parts
        of a /Contents array as one stream split at token boundaries)."""
        contents = self.page_dict(page_index).get("Contents")
        refs = contents if isinstance(contents, list) else [contents]
        parts = []
        for ref in refs:
            if isinstance(ref, Ref):
                target = self.resolve(ref)
                if isinstance(target, list):  # /Contents 5 0 R pointing at an array
                    parts.extend(self.stream(r) for r in target if isinstance(r, Ref))
                else:
                    parts.append(self.stream(ref))
        return b"\n".join(parts)
