"""Test helper: render Annotator note blocks exactly as the plugin's makeAnnotationString does.

Independent of tether's writer: JSON via ``json.dumps(ensure_ascii=False, separators=(",",
":"))``, which equals ``JSON.stringify`` for strings without lone surrogates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from tether.formats import js_trim


@dataclass(frozen=True)
class BlockSpec:
    id: str
    exact: str | None = "quoted text"  # None: a page note (no target)
    prefix: str = "before "
    suffix: str = " after"
    start: int | None = 10  # None: no TextPositionSelector
    end: int | None = 21
    comment: str = ""
    tags: tuple[str, ...] = ()
    include_prefix: bool = True
    include_postfix: bool = True
    highlight_marks: bool = True
    extra_value: str = "x"  # a value of another JSON key, which must never change
    source: str = "vault:/papers/p.pdf"

    def updated(self, start: int, end: int, exact: str, prefix: str, suffix: str) -> BlockSpec:
        return replace(self, start=start if self.start is not None else None,
                       end=end if self.end is not None else None,
                       exact=exact, prefix=prefix, suffix=suffix)


def block_json(spec: BlockSpec) -> dict:
    obj: dict = {"created": "2024-01-02T03:04:05.678Z"}
    if spec.comment:
        obj["text"] = spec.comment
    obj["updated"] = "2024-01-02T03:04:05.678Z"
    obj["document"] = {"title": "T", "link": [{"href": "urn:x-pdf:abc123"}],
                       "documentFingerprint": "abc123"}
    obj["uri"] = spec.source
    obj["extra"] = spec.extra_value
    if spec.exact is not None:
        selectors: list[dict] = []
        if spec.start is not None:
            selectors.append({"type": "TextPositionSelector", "start": spec.start,
                              "end": spec.end})
        selectors.append({"type": "TextQuoteSelector", "exact": spec.exact,
                          "prefix": spec.prefix, "suffix": spec.suffix})
        obj["target"] = [{"source": spec.source, "selector": selectors}]
    if spec.tags:
        obj["tags"] = list(spec.tags)
    return obj


def render_block(spec: BlockSpec) -> str:
    """The block text the plugin writes, starting with its blank line, ending ``^id\\n``."""
    prefix = spec.prefix if spec.exact is not None else ""
    exact = spec.exact or ""
    suffix = spec.suffix if spec.exact is not None else ""
    hl_open, hl_close = (" ==", "== ") if spec.highlight_marks else ("", "")
    line = ("*" + (f"%%PREFIX%%{js_trim(prefix)}" if spec.include_prefix else "")
            + f"%%HIGHLIGHT%%{hl_open}{js_trim(exact)}{hl_close}"
            + (f"%%POSTFIX%%{js_trim(suffix)}" if spec.include_postfix else "") + "*")
    body = ("%%\n```annotation-json\n"
            + json.dumps(block_json(spec), ensure_ascii=False, separators=(",", ":"))
            + "\n```\n%%\n" + line
            + f"\n%%LINK%%[[#^{spec.id}|show annotation]]\n%%COMMENT%%\n{spec.comment}"
            + "\n%%TAGS%%\n" + ", ".join(f"#{t}" for t in spec.tags))
    return "\n" + "\n".join(">" + x for x in body.split("\n")) + f"\n^{spec.id}\n"


@dataclass(frozen=True)
class NoteSpec:
    blocks: tuple[BlockSpec, ...]
    between: tuple[str, ...] = ()  # markdown before each block (same length as blocks, or less)
    tail: str = ""
    target: str = "papers/p.pdf"
    crlf: bool = False
    bom: bool = False
    extra: dict = field(default_factory=dict)


def render_note(spec: NoteSpec) -> str:
    parts = [f"---\nannotation-target: {spec.target}\n---\n"]
    for i, b in enumerate(spec.blocks):
        if i < len(spec.between):
            parts.append(spec.between[i])
        parts.append(render_block(b))
    parts.append(spec.tail)
    text = "".join(parts)
    if spec.crlf:
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if spec.bom else "") + text
