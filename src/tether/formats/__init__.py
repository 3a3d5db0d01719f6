"""File-format adapters: read annotations, write selector updates changing nothing else.

Entry points:

- :func:`load_annotations` — read a file of any supported format (detected) into an
  :class:`AnnotationFile` whose ``annotations`` are :class:`tether.selectors.Annotation`.
- :func:`parse_annotations` — the same from text already in memory.
- ``AnnotationFile.apply_updates(updates)`` / ``.render(updates)`` — the new text, with
  ``updates`` mapping annotation id → :class:`SelectorUpdate` (offsets in ``file.unit``).
- :func:`save_annotations` — render and write atomically, refusing if the file changed on disk.

Formats: ``"obsidian"`` (Annotator notes, UTF-16), ``"hypothesis"`` (Hypothesis API JSON,
UTF-16), ``"w3c"`` (W3C Web Annotation JSON-LD, code points). The unit is the format's unless
the ``unit`` argument overrides it.

What readers put in ``Annotation``: ``quote`` / ``position`` from the first TextQuoteSelector /
TextPositionSelector of the first target (None when absent); ``problems`` when the item is
unusable (a page note — no selectors — has none and ``quote is None``). ``extra`` keys:

- ``kind``: ``"highlight"``, ``"page-note"`` or ``"invalid"`` (JSON item that is no object);
- ``warnings``: list of non-fatal remarks (layouts the plugin itself would fail on, ignored
  extra targets or selectors, missing ids);
- ``line`` (notes: 1-based line of the block) / ``index`` (JSON: position in the file);
- ``uri``: the annotation's ``uri`` when given;
- notes only: ``json_quote`` (the JSON's own TextQuote, before the markdown overrides),
  ``highlight`` (the HIGHLIGHT text), ``markdown_parts`` (which of prefix / highlight /
  postfix the note's ``*%%PREFIX%%…*`` line has).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from tether.formats.base import (
    AnnotationFile,
    EditResult,
    FormatError,
    SelectorUpdate,
    decode_text,
    js_trim,
    read_stamped_bytes,
)
from tether.formats.hypothesis_json import parse_hypothesis, read_hypothesis
from tether.formats.jsondoc import (
    HypothesisFile,
    JsonAnnotationFile,
    W3CFile,
    parse_json_annotations,
    sniff_json_format,
)
from tether.formats.obsidian import ObsidianNote, parse_note, read_note
from tether.formats.obsidian_blocks import NoteBlock
from tether.formats.w3c import parse_w3c, read_w3c
from tether.offsets import OffsetUnit

if TYPE_CHECKING:
    from tether.repair.atomic import FileStamp

__all__ = [
    "JSON_SUFFIXES",
    "FORMATS",
    "AnnotationFile",
    "EditResult",
    "FormatError",
    "HypothesisFile",
    "JsonAnnotationFile",
    "NoteBlock",
    "ObsidianNote",
    "SelectorUpdate",
    "W3CFile",
    "detect_format",
    "js_trim",
    "load_annotations",
    "parse_annotations",
    "parse_hypothesis",
    "parse_note",
    "parse_w3c",
    "read_hypothesis",
    "read_note",
    "read_w3c",
    "save_annotations",
]

FORMATS = ("obsidian", "hypothesis", "w3c")
#: File names read as JSON exports (Hypothesis, W3C); anything else is read as a note.
JSON_SUFFIXES = (".json", ".jsonld", ".json-ld")


def detect_format(text: str, path: Path | str | None = None) -> str:
    """Guess the format of ``text``: ``"obsidian"``, ``"hypothesis"`` or ``"w3c"``.

    JSON is told apart by content (W3C has ``@context`` / ``type: Annotation…`` / a ``body``;
    otherwise Hypothesis). Anything that does not start like JSON is treated as a note when its
    name ends in ``.md`` or it holds an ``annotation-json`` block. Raises FormatError otherwise.
    """
    suffix = Path(path).suffix.lower() if path is not None else ""
    head = text.lstrip("\ufeff \t\r\n")[:1]
    if suffix == ".md" or (suffix not in JSON_SUFFIXES and head not in ("{", "[")):
        if suffix == ".md" or "```annotation-json" in text:
            return "obsidian"
        raise FormatError(f"{path or '<text>'}: not an Obsidian Annotator note "
                          "(no annotation-json block) and not JSON")
    return sniff_json_format(text, str(path or "<json>"))


def parse_annotations(text: str, *, format: str | None = None, unit: OffsetUnit | None = None,
                      path: Path | str | None = None,
                      stamp: FileStamp | None = None) -> AnnotationFile:
    """Parse text in ``format`` (detected when None). Bad items become ``problems``."""
    fmt = format or detect_format(text, path)
    if fmt == "obsidian":
        return parse_note(text, path=path, unit=unit, stamp=stamp)
    if fmt in ("hypothesis", "w3c"):
        return parse_json_annotations(text, fmt, path=path, unit=unit, stamp=stamp)
    raise FormatError(f"unknown annotation format {fmt!r} (known: {', '.join(FORMATS)})")


def load_annotations(path: Path | str, *, format: str | None = None,
                     unit: OffsetUnit | None = None) -> AnnotationFile:
    """Read ``path`` into an :class:`AnnotationFile` (format detected unless given).

    Raises :class:`FormatError` only when the whole file is unusable (missing, unreadable, not
    UTF-8, not JSON where JSON is expected, no annotations shape).
    """
    p = Path(path)
    data, stamp = read_stamped_bytes(p)
    try:
        text = decode_text(data, str(p))
    except FormatError:
        # A note keeps its undecodable bytes (the blocks holding them are flagged; the
        # others load); JSON must be UTF-8 (RFC 8259), so a JSON file is refused whole.
        if format not in (None, "obsidian") or p.suffix.lower() in JSON_SUFFIXES:
            raise
        text = decode_text(data, str(p), keep_invalid=True)
        if format is None and p.suffix.lower() != ".md" and "```annotation-json" not in text:
            raise
    return parse_annotations(text, format=format, unit=unit, path=p, stamp=stamp)


def save_annotations(file: AnnotationFile, updates: Mapping[str, SelectorUpdate], *,
                     backup: bool | Path | str = False, strict: bool = False) -> EditResult:
    """Apply ``updates`` and write the file atomically (only when something changed).

    Refuses (:class:`tether.repair.atomic.FileChangedError`) when the file on disk no longer
    matches what was read (a file parsed from text, with no read stamp, cannot be checked).
    Other write failures raise :class:`tether.repair.atomic.AtomicWriteError`; in every failure
    the file is left as it was. With ``strict`` any refused update raises FormatError before
    writing; otherwise refused updates are listed in ``EditResult.skipped``.
    """
    from tether.repair.atomic import atomic_write

    if file.path is None:
        raise FormatError("this annotation file was parsed from text; it has no path to save to")
    result = file.apply_updates(updates)
    if strict and result.skipped:
        file.render(updates)  # raises with the details
    if result.text != file.text:
        written = atomic_write(file.path, file.encode(result.text), expect=file.stamp,
                               backup=backup)
        result.backup = None if written.backup is None else str(written.backup)
    return result
