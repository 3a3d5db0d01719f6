"""Hypothesis API JSON: one annotation, a list of them, a search response ``{"rows": [...]}``,
or the client's export file ``{"export_date", "export_userid", "client_version", "annotations":
[...]}``.

An annotation: ``{"id", "uri", "text", "tags", "document", "target": [{"source", "selector":
[TextQuoteSelector, TextPositionSelector, RangeSelector, PageSelector ...]}]}``. Offsets are
**UTF-16 code units** (JavaScript string indices) unless the reader is told otherwise.
Search responses' ``replies`` are not annotations of the text and are left out.
"""

from __future__ import annotations

from pathlib import Path

from tether.formats.base import FormatError
from tether.formats.jsondoc import (
    HypothesisFile,
    JsonItem,
    attach_selectors,
    parse_json_annotations,
    read_json_annotations,
    where,
)
from tether.formats.jsonedit import JsonNode
from tether.offsets import OffsetUnit
from tether.selectors import Annotation

__all__ = ["UNIT", "HypothesisFile", "annotation_nodes", "parse_hypothesis", "read_hypothesis",
           "read_item", "pdf_fingerprint"]

UNIT = OffsetUnit.UTF16
_PDF_URN = "urn:x-pdf:"


def annotation_nodes(root: JsonNode, label: str) -> list[JsonNode]:
    """The annotation objects of a file: the root itself, its items, its ``rows`` or its
    ``annotations``."""
    if root.kind == "array":
        return list(root.items)
    if root.kind == "object":
        key = "rows" if "rows" in root.value else None  # a search response
        if key is None and any(k in root.value for k in ("target", "id", "uri")):
            return [root]
        if key is None and "annotations" in root.value:
            # the client's own export file ("Export" in its sidebar): {"export_date",
            # "export_userid", "client_version", "annotations": [...]}
            key = "annotations"
        if key is not None:
            rows = root.get(key)
            assert rows is not None
            if rows.kind != "array":
                raise FormatError(f"{label}: '{key}' is {rows.a_kind}, not a list")
            return list(rows.items)
        raise FormatError(f"{label}: a JSON object without 'target', 'id', 'rows' or "
                          "'annotations' is not a Hypothesis annotation, search response or "
                          "export")
    raise FormatError(f"{label}: the JSON holds a {root.kind}, not annotations")


def pdf_fingerprint(*uris: object) -> str | None:
    """The PDF fingerprint of the first ``urn:x-pdf:<fingerprint>`` among ``uris``."""
    for u in uris:
        if isinstance(u, str) and u.startswith(_PDF_URN):
            return u[len(_PDF_URN):]
    return None


def read_item(node: JsonNode, index: int, unit: OffsetUnit, label: str, text: str) -> JsonItem:
    """One Hypothesis annotation object → :class:`JsonItem` (problems instead of raising)."""
    if node.kind != "object":
        ann = Annotation(f"#{index}", problems=[
            f"{where(text, label, node)}: item {index} is a JSON {node.kind}, not an annotation"])
        ann.extra.update(index=index, warnings=[], kind="invalid")
        return JsonItem(ann, node)
    v = node.value
    warnings: list[str] = []
    ann_id = v.get("id")
    if not isinstance(ann_id, str) or not ann_id:
        ann_id = f"#{index}"
        warnings.append(f"item {index} has no 'id'; called {ann_id}")
    ann = Annotation(ann_id)
    ann.extra.update(index=index, warnings=warnings, kind="page-note")
    if isinstance(v.get("uri"), str):
        ann.source = v["uri"]
        ann.extra["uri"] = v["uri"]
    if isinstance(v.get("text"), str):
        ann.comment = v["text"]
    if isinstance(v.get("tags"), list):
        ann.tags = tuple(t for t in v["tags"] if isinstance(t, str))
    doc = v.get("document")
    links: list[object] = []
    if isinstance(doc, dict):
        if isinstance(doc.get("documentFingerprint"), str):
            ann.fingerprint = doc["documentFingerprint"]
        if isinstance(doc.get("link"), list):
            links = [lk.get("href") for lk in doc["link"] if isinstance(lk, dict)]
    item = JsonItem(ann, node)
    target = node.get("target")
    if target is not None:
        targets = target.items if target.kind == "array" else [target]
        if len(targets) > 1:
            warnings.append("more than one target; the first is used")
        if targets:
            _read_target(item, targets[0], unit, label, text)
    ann.fingerprint = ann.fingerprint or pdf_fingerprint(ann.source, v.get("uri"), *links)
    return item


def _read_target(item: JsonItem, t0: JsonNode, unit: OffsetUnit, label: str, text: str) -> None:
    ann = item.annotation
    if t0.kind != "object":
        ann.problems.append(f"{where(text, label, t0)}: target is {t0.a_kind}, not an object")
        return
    if isinstance(t0.value.get("source"), str):
        ann.source = t0.value["source"]
    sel = t0.get("selector")
    if sel is None:
        return
    if sel.kind not in ("array", "object"):
        ann.problems.append(f"{where(text, label, sel)}: selector is {sel.a_kind}")
        return
    attach_selectors(item, sel, unit, text, label)


def parse_hypothesis(text: str, *, path: Path | str | None = None,
                     unit: OffsetUnit | None = None) -> HypothesisFile:
    """Parse Hypothesis API JSON text. FormatError only when it is not such JSON at all."""
    out = parse_json_annotations(text, "hypothesis", path=path, unit=unit)
    assert isinstance(out, HypothesisFile)
    return out


def read_hypothesis(path: Path | str, *, unit: OffsetUnit | None = None) -> HypothesisFile:
    """Read a Hypothesis API JSON file (see :func:`parse_hypothesis`)."""
    out = read_json_annotations(path, "hypothesis", unit=unit)
    assert isinstance(out, HypothesisFile)
    return out
