"""Finding and reading the ``annotation-json`` blocks of an Obsidian Annotator note (pure).

The block layout and the plugin's load rules are described in :mod:`tether.formats.obsidian`.
:func:`find_blocks` scans a note's lines for runs of ``>`` lines holding an
```` ```annotation-json ```` fence, each optionally followed by its ``^id`` line, and reads every
run into a :class:`NoteBlock`: the annotation (JSON and markdown parts reconciled as the plugin
does), the JSON value spans and the markdown match a writer needs. It never raises for a bad
block: what is wrong goes into the annotation's ``problems``, what the plugin would trip over
into ``extra["warnings"]``.

Offsets: spans in a :class:`NoteBlock` are code-point offsets, into the block's ``content`` or
(after :meth:`NoteBlock.to_file`) into the decoded note text. TextPositionSelector values are
kept in the ``unit`` passed in (the plugin's is UTF-16).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tether.formats.base import js_trim
from tether.formats.jsonedit import JsonNode, JsonSpanError, parse_spans
from tether.formats.notetext import Line
from tether.formats.selectorjson import SelectorSpans, find_selectors
from tether.offsets import OffsetUnit
from tether.selectors import Annotation, TextQuote

__all__ = ["NoteBlock", "find_blocks"]

_FENCE_OPEN = "```annotation-json"
_FENCE_CLOSE = "```"
# The plugin matches ids with [a-zA-Z0-9]+; Obsidian block ids may also hold '-'.
_ID_LINE = re.compile(r"\^([A-Za-z0-9-]+)[ \t]*")
_STAR_LINE = (
    r"%%[\s\S]*?(?P<star>\*)"
    r"(?:%%PREFIX%%(?P<prefix>[\s\S]*?))?"
    r"(?:%%HIGHLIGHT%%(?P<hl_open> ==)?(?P<highlight>[\s\S]*?)(?P<hl_close>== )?)?"
    r"(?:%%POSTFIX%%(?P<postfix>[\s\S]*?))?(?P<end_star>\*)\n"
)
# The plugin's makeAnnotationContentRegex from the closing fence on, with `(.|\n)` as [\s\S]
# and JavaScript's end-of-input `$` as \Z. Applied to the block text with the leading '>' of
# every line removed (and CR of CRLF endings dropped).
_MARKDOWN = re.compile(
    _STAR_LINE
    + r"(?:%%LINK%%(?P<link>[\s\S]*?)\n)?"
    r"(?:%%COMMENT%%\n(?P<comment>[\s\S]*?)\n)?"
    r"(?:%%TAGS%%\n(?P<tags>[\s\S]*))?\Z"
)
# Without "%%TAGS%%\n" the plugin cannot load a block at all (its tags group is required), and
# the full pattern above backtracks quadratically over long comments. Then only the
# PREFIX/HIGHLIGHT/POSTFIX line is located (so a rewrite still keeps it in step); comment and
# tags come from the JSON. The never-matching groups keep the group names uniform.
_MARKDOWN_NO_TAGS = re.compile(
    _STAR_LINE + r"(?=%%LINK%%|%%COMMENT%%|\Z)"
    r"(?P<link>(?!))?(?P<comment>(?!))?(?P<tags>(?!))?"
)


def _match_markdown(content: str, pos: int) -> re.Match[str] | None:
    if content.find("%%TAGS%%\n", pos) >= 0:
        return _MARKDOWN.match(content, pos)
    return _MARKDOWN_NO_TAGS.match(content, pos)


@dataclass
class NoteBlock:
    """One ``annotation-json`` block: where it is and the spans a writer needs.

    ``content`` is the block's text with each line's leading ``>`` and any CR removed, lines
    joined by ``\\n`` (what the plugin's parser sees). Spans in ``json`` / ``spans`` /
    ``markdown`` are content offsets; :meth:`to_file` maps them to note-text offsets.
    """

    id: str
    annotation: Annotation
    line: int  # 1-based line of the block's first '>' line
    start: int  # note-text span of the block, id line included
    end: int
    content: str
    eol: str  # line ending of the PREFIX/HIGHLIGHT line ("\n" or "\r\n")
    json: JsonNode | None = None
    spans: SelectorSpans | None = None
    markdown: re.Match[str] | None = None
    _content_starts: list[int] = field(default_factory=list, repr=False)
    _file_starts: list[int] = field(default_factory=list, repr=False)

    def to_file(self, offset: int) -> int:
        """Content offset → note-text offset (code points)."""
        k = bisect.bisect_right(self._content_starts, offset) - 1
        return self._file_starts[k] + offset - self._content_starts[k]

    @property
    def updatable(self) -> bool:
        return not self.annotation.problems and self.spans is not None \
            and self.spans.quote_node is not None



def _parse_tags(raw: str) -> tuple[str, ...]:
    # The plugin: tags.split(',').map(x => x.trim().substr(1)).filter(x => x)
    return tuple(t for t in (js_trim(x)[1:] for x in raw.split(",")) if t)


def _json_tags(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(t for t in value if isinstance(t, str))
    return ()


def _read_block(text: str, lines: list[Line], first: int, last: int, id_line: int | None,
                unit: OffsetUnit, label: str) -> NoteBlock:
    """Parse lines ``first..last`` (the '>' run) plus the optional ``^id`` line."""
    run = lines[first:last + 1]
    content_lines = [text[ln.start + 1:ln.body_end] for ln in run]
    content_starts: list[int] = []
    pos = 0
    for cl in content_lines:
        content_starts.append(pos)
        pos += len(cl) + 1
    content = "\n".join(content_lines)
    line_no = first + 1
    end_line = lines[id_line] if id_line is not None else run[-1]
    block_id = None
    if id_line is not None:
        m = _ID_LINE.fullmatch(text[lines[id_line].start:lines[id_line].body_end])
        block_id = m.group(1) if m else None

    problems: list[str] = []
    warnings: list[str] = []
    ann_id = block_id or f":line{line_no}"
    if block_id is None:
        problems.append(f"{label}:{line_no}: annotation block has no '^id' line right after it "
                        "(the block id is the annotation's identity)")
    block = NoteBlock(ann_id, Annotation(ann_id), line_no, run[0].start, end_line.end, content,
                      "\n", _content_starts=content_starts,
                      _file_starts=[ln.start + 1 for ln in run])

    def where(content_offset: int) -> str:
        k = bisect.bisect_right(content_starts, content_offset) - 1
        return f"{label}:{first + k + 1}:{content_offset - content_starts[k] + 2}"

    stripped = [cl.rstrip(" \t") for cl in content_lines]
    fence = stripped.index(_FENCE_OPEN)
    close = next((k for k in range(fence + 1, len(stripped)) if stripped[k] == _FENCE_CLOSE), None)
    if close is None:
        problems.append(f"{label}:{first + fence + 1}: the ```annotation-json fence is never "
                        "closed with ```")
    elif close == fence + 1:
        problems.append(f"{label}:{first + fence + 1}: the annotation-json block is empty")
    else:
        j_start = content_starts[fence + 1]
        j_end = content_starts[close] - 1
        try:
            block.json = parse_spans(content, j_start, j_end)
        except JsonSpanError as exc:
            problems.append(f"{where(exc.pos)}: annotation JSON is invalid: {exc.msg}")
        if block.json is not None and block.json.kind != "object":
            problems.append(f"{where(block.json.start)}: annotation JSON is {block.json.a_kind}, "
                            "not an object")
            block.json = None
        if close + 1 < len(content_lines):
            block.markdown = _match_markdown(content, content_starts[close + 1])
            if block.markdown is not None:
                star_line = run[bisect.bisect_right(content_starts, block.markdown.start("star"))
                                - 1]
                block.eol = text[star_line.body_end:star_line.end] or "\n"
    if block.markdown is None:
        warnings.append("the '*%%PREFIX%%…*' / %%COMMENT%% / %%TAGS%% part is missing or "
                        "malformed (the plugin cannot load this block); the JSON is used")
    elif block.markdown.group("tags") is None:
        warnings.append("no %%TAGS%% section (the plugin fails to load such a block)")
    if first > 0 and text[lines[first - 1].start:lines[first - 1].body_end].strip():
        warnings.append("no blank line before the block (the plugin does not see such a block)")

    ann = block.annotation
    ann.problems = problems
    ann.extra.update(line=line_no, warnings=warnings, kind="page-note")
    if block.json is not None:
        _fill_from_json(block, ann, unit, where)
    md = block.markdown
    if md is not None:
        if md.group("comment") is not None:
            ann.comment = md.group("comment")
        if md.group("tags") is not None:
            ann.tags = _parse_tags(md.group("tags"))
        ann.extra["highlight"] = md.group("highlight")
        ann.extra["markdown_parts"] = tuple(
            g for g in ("prefix", "highlight", "postfix") if md.group(g) is not None)
    if block.spans is not None and block.spans.quote is not None:
        q = block.spans.quote
        exact = q.exact
        if block.spans.exact_missing and md is not None and md.group("highlight") is not None:
            exact = md.group("highlight")
        prefix = md.group("prefix") if md is not None and md.group("prefix") is not None \
            else q.prefix
        suffix = md.group("postfix") if md is not None and md.group("postfix") is not None \
            else q.suffix
        ann.quote = TextQuote(exact, prefix, suffix)
        ann.extra["json_quote"] = q
        ann.extra["kind"] = "highlight"
        if not exact:
            problems.append(f"{label}:{line_no}: TextQuoteSelector has an empty exact text")
    return block


def _fill_from_json(block: NoteBlock, ann: Annotation, unit: OffsetUnit,
                    where: Callable[[int], str]) -> None:
    root = block.json
    assert root is not None
    value = root.value
    doc = value.get("document")
    if isinstance(doc, dict) and isinstance(doc.get("documentFingerprint"), str):
        ann.fingerprint = doc["documentFingerprint"]
    if isinstance(value.get("uri"), str):
        ann.source = value["uri"]
        ann.extra["uri"] = value["uri"]
    if isinstance(value.get("text"), str):
        ann.comment = value["text"]
    ann.tags = _json_tags(value.get("tags"))
    target = root.get("target")
    if target is None:
        return
    if target.kind != "array":
        ann.problems.append(f"{where(target.start)}: 'target' is {target.a_kind}, not a list")
        return
    if not target.items:
        return
    if len(target.items) > 1:
        ann.extra["warnings"].append("more than one target; the first is used (as the plugin)")
    t0 = target.items[0]
    if t0.kind != "object":
        ann.problems.append(f"{where(t0.start)}: target[0] is {t0.a_kind}, not an object")
        return
    if isinstance(t0.value.get("source"), str):
        ann.source = t0.value["source"]
    sel = t0.get("selector")
    if sel is None:
        return
    if sel.kind != "array":
        ann.problems.append(f"{where(sel.start)}: target[0].selector is {sel.a_kind}, not a list")
        return
    spans = find_selectors(sel.items, unit)
    block.spans = spans
    ann.position = spans.position
    ann.problems.extend(f"{where(sel.start)}: {p}" for p in spans.problems)
    ann.extra["warnings"].extend(spans.warnings)


#: Lone surrogates: U+DC80..U+DCFF are bytes that were not UTF-8 (``decode_text``); any of
#: them in a block makes it unusable (its values cannot be trusted or written as UTF-8).
_NOT_TEXT = re.compile("[\ud800-\udfff]")


def _not_text_problem(text: str, pos: int, label: str) -> str:
    line = text.count("\n", 0, pos) + 1
    cp = ord(text[pos])
    what = (f"a byte that is not UTF-8 (0x{cp - 0xDC00:02x})" if 0xDC80 <= cp <= 0xDCFF
            else f"a lone surrogate U+{cp:04X}")
    return (f"{label}:{line}: the block holds {what}; it is left alone (the rest of the note "
            "is read and kept byte for byte)")



def find_blocks(text: str, lines: list[Line], unit: OffsetUnit, label: str) -> list[NoteBlock]:
    """Every ``annotation-json`` block of the note ``text`` (split into ``lines``), in order.

    ``label`` (the file name, or ``<note>``) starts every problem's ``label:line`` location.
    Besides each block's own problems, a block holding a lone surrogate (a byte that was not
    UTF-8) and a repeated ``^id`` (all but the first use) are marked as problems."""
    blocks: list[NoteBlock] = []
    i, n = 0, len(lines)
    while i < n:
        if not text.startswith(">", lines[i].start, lines[i].body_end):
            i += 1
            continue
        j = i
        while j + 1 < n and text.startswith(">", lines[j + 1].start, lines[j + 1].body_end):
            j += 1
        has_fence = any(text[ln.start + 1:ln.body_end].rstrip(" \t") == _FENCE_OPEN
                        for ln in lines[i:j + 1])
        if has_fence:
            id_line = j + 1 if j + 1 < n and _ID_LINE.fullmatch(
                text[lines[j + 1].start:lines[j + 1].body_end]) else None
            blocks.append(_read_block(text, lines, i, j, id_line, unit, label))
            if id_line is not None:
                j = id_line
        i = j + 1
    seen: dict[str, int] = {}
    for b in blocks:
        bad = _NOT_TEXT.search(text, b.start, b.end)
        if bad is not None:
            b.annotation.problems.append(_not_text_problem(text, bad.start(), label))
        if b.id in seen and not b.id.startswith(":"):
            b.annotation.problems.append(
                f"{label}:{b.line}: duplicate block id ^{b.id} (first used at line {seen[b.id]})")
        seen.setdefault(b.id, b.line)
    return blocks
