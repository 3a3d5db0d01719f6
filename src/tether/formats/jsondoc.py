"""JSON annotation files (Hypothesis API JSON, W3C JSON-LD): container, sniffing, writer.

The whole file is parsed with value spans (:mod:`tether.formats.jsonedit`); a writer replaces
only the selector value tokens, so key order, indentation and the escapes of every other value
stay byte-identical. New strings follow the file's style: raw non-ASCII like
``JSON.stringify``, or ``\\uXXXX`` escapes when the file is written that way (``ensure_ascii``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tether.formats.base import (
    AnnotationFile,
    EditResult,
    FormatError,
    SelectorUpdate,
    decode_text,
    read_stamped_bytes,
)
from tether.formats.jsonedit import (
    Edit,
    JsonNode,
    JsonSpanError,
    apply_edits,
    line_col,
    parse_spans,
    prefers_ascii_escapes,
)
from tether.formats.selectorjson import SelectorSpans, check_update, find_selectors, selector_edits
from tether.offsets import OffsetUnit
from tether.selectors import Annotation

if TYPE_CHECKING:
    from tether.repair.atomic import FileStamp

__all__ = ["JsonAnnotationFile", "JsonItem", "parse_json_annotations", "parse_json_root",
           "sniff_json_format"]

_W3C_TYPES = {"Annotation", "AnnotationPage", "AnnotationCollection"}


@dataclass
class JsonItem:
    """One annotation object of a JSON file and its selector spans (file-text offsets)."""

    annotation: Annotation
    node: JsonNode
    spans: SelectorSpans | None = None

    @property
    def updatable(self) -> bool:
        return not self.annotation.problems and self.spans is not None \
            and self.spans.quote_node is not None


@dataclass
class JsonAnnotationFile(AnnotationFile):
    """A Hypothesis or W3C JSON file. ``annotations[i]`` is ``items[i].annotation``."""

    format = "json"

    root: JsonNode | None = None
    items: list[JsonItem] = field(default_factory=list)
    ascii_escapes: bool = False

    def apply_updates(self, updates: Mapping[str, SelectorUpdate]) -> EditResult:
        """The text with only the selector values of the updated annotations changed."""
        result = EditResult(self.text)
        first: dict[str, JsonItem] = {}
        for it in self.items:
            first.setdefault(it.annotation.id, it)
        edits: list[Edit] = []
        for ann_id, upd in updates.items():
            item = first.get(ann_id)
            reason = check_update(upd)
            if item is None:
                reason = "no annotation with this id in the file"
            elif reason is None and not item.updatable:
                reason = "; ".join(item.annotation.problems) or "no TextQuoteSelector to update"
            if reason is not None:
                result.skipped[ann_id] = reason
                continue
            assert item is not None and item.spans is not None
            new_edits, note = selector_edits(item.spans, upd, ascii_only=self.ascii_escapes)
            if not new_edits:
                result.unchanged.append(ann_id)
                continue
            edits.extend(new_edits)
            result.applied.append(ann_id)
            if note:
                result.notes[ann_id] = note
        result.text = apply_edits(self.text, edits)
        return result


class HypothesisFile(JsonAnnotationFile):
    format = "hypothesis"


class W3CFile(JsonAnnotationFile):
    format = "w3c"


def parse_json_root(text: str, label: str) -> JsonNode:
    """Parse the whole text as JSON (a BOM allowed); FormatError with line:column if invalid."""
    start = 1 if text.startswith("\ufeff") else 0
    try:
        return parse_spans(text, start)
    except JsonSpanError as exc:
        line, col = line_col(text, exc.pos)
        raise FormatError(f"{label}:{line}:{col}: not valid JSON: {exc.msg}") from None


def _looks_w3c(value: object) -> bool:
    if isinstance(value, list):
        return any(_looks_w3c(v) for v in value[:5])
    if not isinstance(value, dict):
        return False
    kind = value.get("type")
    # JSON values may be objects (unhashable): only strings name a type
    kinds = {k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)}
    if "@context" in value or kinds & _W3C_TYPES or "body" in value or "bodyValue" in value:
        return True
    return isinstance(value.get("target"), (dict, str))


#: The tree :func:`sniff_json_format` built, handed once to the :func:`parse_json_annotations`
#: call that follows it on the same text object (parsing 10,000 annotations with spans takes
#: seconds; the sniff and the parse would otherwise do it twice).
_SNIFFED: list[tuple[str, JsonNode]] = []


def sniff_json_format(text: str, label: str) -> str:
    """``"w3c"`` or ``"hypothesis"`` for a JSON text (FormatError if it is not JSON)."""
    root = parse_json_root(text, label)
    _SNIFFED[:] = [(text, root)]
    return "w3c" if _looks_w3c(root.value) else "hypothesis"


def parse_json_annotations(text: str, fmt: str, *, path: Path | str | None = None,
                           unit: OffsetUnit | None = None,
                           stamp: FileStamp | None = None) -> JsonAnnotationFile:
    """Parse a Hypothesis (``fmt="hypothesis"``) or W3C (``"w3c"``) JSON text."""
    from tether.formats import hypothesis_json, w3c

    p = Path(path) if path is not None else None
    label = str(p) if p is not None else f"<{fmt} json>"
    sniffed = _SNIFFED.pop() if _SNIFFED else None
    root = sniffed[1] if sniffed is not None and sniffed[0] is text \
        else parse_json_root(text, label)
    module = hypothesis_json if fmt == "hypothesis" else w3c
    cls = HypothesisFile if fmt == "hypothesis" else W3CFile
    unit = unit or module.UNIT
    nodes = module.annotation_nodes(root, label)
    items = [module.read_item(node, i, unit, label, text) for i, node in enumerate(nodes)]
    seen: dict[str, int] = {}
    for i, it in enumerate(items):
        ann = it.annotation
        if ann.id in seen:
            ann.problems.append(f"{label}: duplicate annotation id {ann.id!r} (first at item "
                                f"{seen[ann.id]})")
        seen.setdefault(ann.id, i)
    return cls(text=text, unit=unit, annotations=[it.annotation for it in items], path=p,
               stamp=stamp, root=root, items=items, ascii_escapes=prefers_ascii_escapes(text))


def attach_selectors(item: JsonItem, sel: JsonNode, unit: OffsetUnit, text: str,
                     label: str) -> None:
    """Read a target's ``selector`` (an object or a list of them) into ``item``: its spans, the
    annotation's position and quote, and problems and warnings placed at ``sel``'s line."""
    ann = item.annotation
    spans = find_selectors(sel.items if sel.kind == "array" else [sel], unit)
    item.spans = spans
    ann.position, ann.quote = spans.position, spans.quote
    ann.extra["warnings"].extend(spans.warnings)
    missing_exact = spans.quote is not None and not spans.quote.exact
    if spans.quote is not None:
        ann.extra["kind"] = "highlight"
    if spans.problems or missing_exact:
        # Only now: a line number counts the newlines before it (a whole-file scan each time).
        place = where(text, label, sel)
        ann.problems.extend(f"{place}: {p}" for p in spans.problems)
        if missing_exact:
            ann.problems.append(f"{place}: TextQuoteSelector exact is empty or missing")


def read_json_annotations(path: Path | str, fmt: str, *,
                          unit: OffsetUnit | None = None) -> JsonAnnotationFile:
    """Read a Hypothesis or W3C JSON file (see :func:`parse_json_annotations`)."""
    p = Path(path)
    data, stamp = read_stamped_bytes(p)
    return parse_json_annotations(decode_text(data, str(p)), fmt, path=p, unit=unit, stamp=stamp)


def where(text: str, label: str, node: JsonNode) -> str:
    """``label:line:col`` of a node, for messages."""
    line, col = line_col(text, node.start)
    return f"{label}:{line}:{col}"
