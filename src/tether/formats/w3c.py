"""W3C Web Annotation JSON-LD: an Annotation, a list, an AnnotationPage or AnnotationCollection.

``target`` may be an IRI string, an object or a list; ``selector`` an object or a list. tether
uses the top-level TextQuoteSelector and TextPositionSelector of the first target that has
selectors; other selectors (RangeSelector, FragmentSelector, CssSelector ...) and every
``refinedBy`` are kept in the file and ignored. Offsets are **code points** (the W3C model)
unless the reader is told otherwise. Collections must embed their pages (``first`` / ``next``
as objects); a page given only as a link is an error, as tether does no network IO.
"""

from __future__ import annotations

from pathlib import Path

from tether.formats.base import FormatError
from tether.formats.hypothesis_json import pdf_fingerprint
from tether.formats.jsondoc import (
    JsonItem,
    W3CFile,
    attach_selectors,
    parse_json_annotations,
    read_json_annotations,
    where,
)
from tether.formats.jsonedit import JsonNode
from tether.offsets import OffsetUnit
from tether.selectors import Annotation

__all__ = ["UNIT", "W3CFile", "annotation_nodes", "parse_w3c", "read_item", "read_w3c"]

UNIT = OffsetUnit.CODE_POINT
_MAX_PAGES = 100_000


def _types(value: dict) -> set[str]:
    kind = value.get("type", value.get("@type"))
    if isinstance(kind, list):
        return {k for k in kind if isinstance(k, str)}
    return {kind} if isinstance(kind, str) else set()


def _page_items(page: JsonNode, label: str) -> list[JsonNode]:
    items = page.get("items")
    if items is None:
        return []
    if items.kind != "array":
        raise FormatError(f"{label}: AnnotationPage 'items' is {items.a_kind}, not a list")
    return list(items.items)


def annotation_nodes(root: JsonNode, label: str) -> list[JsonNode]:
    """The Annotation objects of a W3C file, pages of a collection followed in order."""
    if root.kind == "array":
        return list(root.items)
    if root.kind != "object":
        raise FormatError(f"{label}: the JSON holds a {root.kind}, not annotations")
    kinds = _types(root.value)
    if "AnnotationPage" in kinds:
        return _collect_pages(root, label)
    if "AnnotationCollection" in kinds:
        first = root.get("first")
        out = _page_items(root, label)
        if first is None:
            return out
        if first.kind != "object":
            raise FormatError(f"{label}: the AnnotationCollection's first page is a link "
                              f"({first.value!r}), not embedded; tether reads local files only")
        return out + _collect_pages(first, label)
    if "target" in root.value or "Annotation" in kinds:
        return [root]
    raise FormatError(f"{label}: a JSON object that is neither an Annotation nor an "
                      "AnnotationPage / AnnotationCollection")


def _collect_pages(page: JsonNode, label: str) -> list[JsonNode]:
    out: list[JsonNode] = []
    seen = 0
    node: JsonNode | None = page
    while node is not None and seen < _MAX_PAGES:
        out.extend(_page_items(node, label))
        nxt = node.get("next")
        if nxt is not None and nxt.kind == "string":
            raise FormatError(f"{label}: the next AnnotationPage is a link ({nxt.value!r}), "
                              "not embedded; tether reads local files only")
        node = nxt if nxt is not None and nxt.kind == "object" else None
        seen += 1
    return out


def _comment_and_tags(value: dict) -> tuple[str, tuple[str, ...]]:
    comments: list[str] = []
    tags: list[str] = []
    if isinstance(value.get("bodyValue"), str):
        comments.append(value["bodyValue"])
    body = value.get("body")
    bodies = body if isinstance(body, list) else [body] if body is not None else []
    for b in bodies:
        if not isinstance(b, dict) or not isinstance(b.get("value"), str):
            continue
        purpose = b.get("purpose")
        purposes = {x for x in (purpose if isinstance(purpose, list) else [purpose])
                    if isinstance(x, str)}
        (tags if "tagging" in purposes else comments).append(b["value"])
    return "\n\n".join(comments), tuple(tags)


def _source_of(target: dict) -> str | None:
    src = target.get("source")
    if isinstance(src, str):
        return src
    if isinstance(src, dict):
        sid = src.get("id", src.get("@id"))
        return sid if isinstance(sid, str) else None
    return None


def read_item(node: JsonNode, index: int, unit: OffsetUnit, label: str, text: str) -> JsonItem:
    """One W3C Annotation object → :class:`JsonItem` (problems instead of raising)."""
    if node.kind != "object":
        ann = Annotation(f"#{index}", problems=[
            f"{where(text, label, node)}: item {index} is a JSON {node.kind}, not an Annotation"])
        ann.extra.update(index=index, warnings=[], kind="invalid")
        return JsonItem(ann, node)
    v = node.value
    warnings: list[str] = []
    ann_id = v.get("id", v.get("@id"))
    if not isinstance(ann_id, str) or not ann_id:
        ann_id = f"#{index}"
        warnings.append(f"item {index} has no 'id'; called {ann_id}")
    if "Annotation" not in _types(v):
        warnings.append("type is not 'Annotation'")
    ann = Annotation(ann_id)
    ann.extra.update(index=index, warnings=warnings, kind="page-note")
    ann.comment, ann.tags = _comment_and_tags(v)
    item = JsonItem(ann, node)
    target = node.get("target")
    targets = [] if target is None else target.items if target.kind == "array" else [target]
    chosen: JsonNode | None = None
    for t in targets:
        if t.kind == "string" and ann.source is None:
            ann.source = t.value
        elif t.kind == "object":
            if ann.source is None:
                ann.source = _source_of(t.value)
            if chosen is None and t.get("selector") is not None:
                chosen = t
                ann.source = _source_of(t.value) or ann.source
    if sum(1 for t in targets if t.kind == "object" and t.get("selector") is not None) > 1:
        warnings.append("more than one target with selectors; the first is used")
    if chosen is not None:
        sel = chosen.get("selector")
        assert sel is not None
        if sel.kind in ("array", "object"):
            attach_selectors(item, sel, unit, text, label)
        elif sel.kind != "string":  # a selector given by IRI is fine, just not usable
            ann.problems.append(f"{where(text, label, sel)}: selector is {sel.a_kind}")
    ann.fingerprint = pdf_fingerprint(ann.source)
    return item


def parse_w3c(text: str, *, path: Path | str | None = None,
              unit: OffsetUnit | None = None) -> W3CFile:
    """Parse W3C Web Annotation JSON-LD text. FormatError only when it is not such JSON."""
    out = parse_json_annotations(text, "w3c", path=path, unit=unit)
    assert isinstance(out, W3CFile)
    return out


def read_w3c(path: Path | str, *, unit: OffsetUnit | None = None) -> W3CFile:
    """Read a W3C Web Annotation JSON-LD file (see :func:`parse_w3c`)."""
    out = read_json_annotations(path, "w3c", unit=unit)
    assert isinstance(out, W3CFile)
    return out
