"""Find the two selectors tether uses inside parsed JSON, and compute minimal edits to them.

Shared by all three formats (an Obsidian block's JSON is a Hypothesis annotation). Offsets of
spans and edits are code-point offsets into the JSON text that was parsed; selector *values*
(``start``/``end``) are in the file format's unit, which this module never converts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tether.formats.base import SelectorUpdate
from tether.formats.jsonedit import Edit, JsonNode, js_string
from tether.offsets import OffsetUnit
from tether.selectors import TextPosition, TextQuote

__all__ = ["SelectorSpans", "find_selectors", "selector_edits", "check_update"]

_QUOTE_KEYS = ("exact", "prefix", "suffix")


@dataclass
class SelectorSpans:
    """Where a TextPositionSelector / TextQuoteSelector sit, and what they say.

    ``position`` / ``quote`` are the selector *object* nodes (None when absent). ``problems``
    make the annotation unusable; ``warnings`` do not.
    """

    position_node: JsonNode | None = None
    quote_node: JsonNode | None = None
    position: TextPosition | None = None
    quote: TextQuote | None = None
    exact_missing: bool = False
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def find_selectors(selectors: list[JsonNode], unit: OffsetUnit) -> SelectorSpans:
    """Read the first TextPositionSelector and first TextQuoteSelector among ``selectors``.

    Other selector types (RangeSelector, FragmentSelector, PageSelector, ...) and any
    ``refinedBy`` are left alone. ``exact_missing`` is set when the quote selector has no
    ``exact`` (Obsidian may then take the markdown HIGHLIGHT text).
    """
    out = SelectorSpans()
    for node in selectors:
        if node.kind != "object":
            out.warnings.append(f"a selector is a JSON {node.kind}, not an object; ignored")
            continue
        kind = node.value.get("type")
        if kind == "TextPositionSelector":
            if out.position_node is not None:
                out.warnings.append("more than one TextPositionSelector; the first is used")
                continue
            out.position_node = node
        elif kind == "TextQuoteSelector":
            if out.quote_node is not None:
                out.warnings.append("more than one TextQuoteSelector; the first is used")
                continue
            out.quote_node = node

    if out.position_node is not None:
        v = out.position_node.value
        start, end = v.get("start"), v.get("end")
        if not (_is_int(start) and _is_int(end)):
            out.problems.append(
                f"TextPositionSelector start/end must be integers, got start={start!r}, "
                f"end={end!r}")
        elif start < 0 or end < start:
            out.problems.append(f"TextPositionSelector has an impossible range {start}..{end}")
        else:
            out.position = TextPosition(start, end, unit)

    if out.quote_node is not None:
        v = out.quote_node.value
        bad = [k for k in _QUOTE_KEYS if k in v and not isinstance(v[k], str)]
        if bad:
            out.problems.append("TextQuoteSelector " + ", ".join(
                f"{k} is {type(v[k]).__name__}, not a string" for k in bad))
        else:
            out.exact_missing = "exact" not in v
            out.quote = TextQuote(v.get("exact", ""), v.get("prefix", ""), v.get("suffix", ""))
    elif out.position_node is not None:
        out.problems.append("TextPositionSelector without a TextQuoteSelector "
                            "(a quote is required to check or re-find the position)")
    return out


def check_update(upd: SelectorUpdate) -> str | None:
    """Why ``upd`` cannot be written (None when it can)."""
    if not (_is_int(upd.start) and _is_int(upd.end)):
        return f"start/end must be integers, got {upd.start!r}..{upd.end!r}"
    if upd.start < 0 or upd.end < upd.start:
        return f"impossible range {upd.start}..{upd.end}"
    if not all(isinstance(s, str) for s in (upd.exact, upd.prefix, upd.suffix)):
        return "exact/prefix/suffix must be strings"
    if not upd.exact:
        return "exact is empty"
    if upd.fingerprint is not None and not (isinstance(upd.fingerprint, str)
                                            and upd.fingerprint):
        return f"fingerprint must be a non-empty string, got {upd.fingerprint!r}"
    return None


def selector_edits(spans: SelectorSpans, upd: SelectorUpdate, *,
                   ascii_only: bool = False) -> tuple[list[Edit], str | None]:
    """Edits (JSON-text offsets) that put ``upd`` into the selectors, and a note for the caller.

    Only values that differ are touched, so an update equal to the current values yields no
    edit. A missing ``prefix``/``suffix``/``exact`` key is added at the end of the quote object.
    A missing TextPositionSelector is *not* added (the note says so): the position is only a
    hint next to the quote, and adding a selector would change the file's structure.
    """
    edits: list[Edit] = []
    note: str | None = None
    q = spans.quote_node
    assert q is not None, "caller checks that a TextQuoteSelector exists"
    missing: list[tuple[str, str]] = []
    for key, new in zip(_QUOTE_KEYS, (upd.exact, upd.prefix, upd.suffix), strict=True):
        node = q.get(key)
        if node is None:
            if new:
                missing.append((js_string(key), js_string(new, ascii_only=ascii_only)))
        elif node.value != new or node.kind != "string":
            edits.append(Edit(node.start, node.end, js_string(new, ascii_only=ascii_only)))
    if missing:  # after the last member, in the object's own separator style
        comma, colon = q.layout or (",", ":")
        pairs = [f"{k}{colon}{v}" for k, v in missing]
        if q.members:
            at = q.members[-1][1].end
            edits.append(Edit(at, at, comma + comma.join(pairs)))
        else:
            edits.append(Edit(q.start + 1, q.start + 1, ",".join(pairs)))

    p = spans.position_node
    if p is None:
        note = "no TextPositionSelector in the source: quote updated, no position added"
    else:
        for key, new in (("start", upd.start), ("end", upd.end)):
            node = p.get(key)
            if node is None:  # find_selectors reported a problem; callers skip those
                continue
            if node.value != new or node.kind != "number" or isinstance(node.value, bool):
                edits.append(Edit(node.start, node.end, str(new)))
    return edits, note
