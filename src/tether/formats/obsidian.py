"""Obsidian Annotator notes: read every ``annotation-json`` block, rewrite selectors minimally.

A block, as the plugin (elias-sundqvist/obsidian-annotator 0.2.x, ``annotationUtils.tsx``)
writes it::

    >%%
    >```annotation-json
    >{...JSON.stringify(annotation)...}
    >```
    >%%
    >*%%PREFIX%%<prefix.trim()>%%HIGHLIGHT%% ==<exact.trim()>== %%POSTFIX%%<suffix.trim()>*
    >%%LINK%%[[#^id|show annotation]]
    >%%COMMENT%%
    >comment lines
    >%%TAGS%%
    >#tag1, #tag2
    ^id

Reading follows the plugin's load rules: the markdown wins for prefix / suffix (when the
PREFIX / POSTFIX part is present), comment and tags; the JSON ``exact`` wins over HIGHLIGHT.
Where the plugin is strict and would fail (no blank line before a block, CRLF line endings, a
missing ``%%TAGS%%``) this reader is lenient and records a warning in ``extra["warnings"]``.
A malformed block becomes an annotation with ``problems``; the others still load.

Offsets: TextPositionSelector values are UTF-16 code units (override with ``unit=``). All spans
kept here are code-point offsets into the decoded note text.

Modules: this one holds the note (:class:`ObsidianNote`, :func:`parse_note`, :func:`read_note`);
:mod:`~tether.formats.obsidian_blocks` finds and reads the blocks,
:mod:`~tether.formats.obsidian_rewrite` rewrites one block's selectors and checks the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tether.formats.base import (
    AnnotationFile,
    EditResult,
    SelectorUpdate,
    decode_text,
    read_stamped_bytes,
)
from tether.formats.jsonedit import Edit, apply_edits
from tether.formats.notetext import front_matter, split_lines
from tether.formats.obsidian_blocks import NoteBlock, find_blocks
from tether.formats.obsidian_rewrite import block_edits, verify_block_edits
from tether.formats.selectorjson import check_update
from tether.offsets import OffsetUnit

if TYPE_CHECKING:
    from tether.repair.atomic import FileStamp

__all__ = ["ObsidianNote", "parse_note", "read_note"]


@dataclass
class ObsidianNote(AnnotationFile):
    """A parsed Annotator note. ``annotations[i]`` is ``blocks[i].annotation``."""

    format = "obsidian"

    blocks: list[NoteBlock] = field(default_factory=list)
    target: str | None = None  # front matter annotation-target
    target_type: str | None = None  # front matter annotation-target-type
    front_matter: dict[str, str] = field(default_factory=dict)

    def apply_updates(self, updates: Mapping[str, SelectorUpdate]) -> EditResult:
        """The note text with ``updates`` (id → new selector values, offsets in ``self.unit``).

        Changes only the TextPositionSelector ``start``/``end`` values, the TextQuoteSelector
        ``exact``/``prefix``/``suffix`` values and the PREFIX / HIGHLIGHT / POSTFIX texts of the
        ``*%%PREFIX%%…*`` line (trimmed as the plugin trims; parts absent in the note stay
        absent), and a rewritten block's ``document.documentFingerprint`` to the update's
        ``fingerprint`` (when both exist: the key is never added). Each rewritten block is
        re-parsed; an update whose values the note cannot hold unambiguously (e.g. a quote
        containing ``%%HIGHLIGHT%%``) is refused.
        """
        result = EditResult(self.text)
        first: dict[str, NoteBlock] = {}
        for b in self.blocks:
            first.setdefault(b.id, b)
        all_edits: list[Edit] = []
        for ann_id, upd in updates.items():
            block = first.get(ann_id)
            reason = check_update(upd)
            if block is None:
                reason = "no annotation with this id in the note"
            elif reason is None and not block.updatable:
                reason = "; ".join(block.annotation.problems) or "the block has no quote selector"
            if reason is not None:
                result.skipped[ann_id] = reason
                continue
            assert block is not None
            edits, note = block_edits(block, upd)
            if not edits:
                result.unchanged.append(ann_id)
                continue
            reason = verify_block_edits(self.text, block, edits, upd, self.unit)
            if reason is not None:
                result.skipped[ann_id] = reason
                continue
            all_edits.extend(edits)
            result.applied.append(ann_id)
            if note:
                result.notes[ann_id] = note
        result.text = apply_edits(self.text, all_edits)
        return result


def parse_note(text: str, *, path: Path | str | None = None, unit: OffsetUnit | None = None,
               stamp: FileStamp | None = None) -> ObsidianNote:
    """Parse an Annotator note's text (BOM / CRLF allowed). Never raises for a bad block."""
    unit = unit or OffsetUnit.UTF16
    p = Path(path) if path is not None else None
    label = str(p) if p is not None else "<note>"
    lines = split_lines(text)
    fm = front_matter(text, lines)
    blocks = find_blocks(text, lines, unit, label)
    return ObsidianNote(text=text, unit=unit, annotations=[b.annotation for b in blocks],
                        path=p, stamp=stamp, blocks=blocks,
                        target=fm.get("annotation-target"),
                        target_type=fm.get("annotation-target-type"), front_matter=fm)


def read_note(path: Path | str, *, unit: OffsetUnit | None = None) -> ObsidianNote:
    """Read and parse a note file; raises :class:`FormatError` if it is not readable text."""
    p = Path(path)
    data, stamp = read_stamped_bytes(p)
    return parse_note(decode_text(data, str(p), keep_invalid=True), path=p, unit=unit,
                      stamp=stamp)
