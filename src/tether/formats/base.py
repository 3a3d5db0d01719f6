"""Types shared by the format adapters: errors, updates, the parsed-file container.

Offsets in a :class:`SelectorUpdate` are in the **file's unit** (``AnnotationFile.unit``:
UTF-16 for Obsidian / Hypothesis, code points for W3C unless the reader was told otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from tether.offsets import OffsetUnit
from tether.selectors import Annotation

if TYPE_CHECKING:
    from tether.repair.atomic import FileStamp

__all__ = [
    "AnnotationFile",
    "EditResult",
    "FormatError",
    "SelectorUpdate",
    "decode_text",
    "read_stamped_bytes",
    "js_trim",
]


class FormatError(Exception):
    """A whole file cannot be read as annotations (not UTF-8, not JSON, not a known shape...).

    The message is meant for the user as is: it names the file and the problem, no traceback.
    One bad annotation inside a readable file is *not* a FormatError: it is an
    :class:`~tether.selectors.Annotation` with ``problems`` filled.
    """


@dataclass(frozen=True, slots=True)
class SelectorUpdate:
    """New selector values for one annotation.

    ``start``/``end`` are in the unit of the file being written (``AnnotationFile.unit``);
    ``exact``/``prefix``/``suffix`` are the full, untrimmed TextQuoteSelector values.

    ``fingerprint``: the ``documentFingerprint`` (PDF.js's, lower-case hex) of the PDF the new
    values index into, or None. Only the Obsidian writer uses it: a rewritten block whose JSON
    already has ``document.documentFingerprint`` gets this value there, so the label says which
    PDF the offsets belong to. Hypothesis and W3C writers ignore it: their ``uri``,
    ``urn:x-pdf:`` links and target sources decide which document a server shows the
    annotation on, which a repair must not change silently.
    """

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    fingerprint: str | None = None


@dataclass
class EditResult:
    """What a writer did: the new text, which ids changed, which were refused and why.

    ``applied``: ids whose selectors were rewritten; ``unchanged``: ids whose update equals what
    the file already says (no byte changes); ``skipped``: id → why the update was refused;
    ``notes``: remarks on applied updates (e.g. "no TextPositionSelector: quote only").
    ``text`` equals the original text when nothing applied. ``backup``: where
    :func:`~tether.formats.save_annotations` kept the old bytes (None: not written, or no
    backup asked for).
    """

    text: str
    applied: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    backup: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.applied)


@dataclass
class AnnotationFile:
    """A parsed annotation file: its annotations plus what a minimal-edit writer needs.

    ``text`` is the whole decoded file (BOM and line endings kept); ``stamp`` is the read-time
    stamp used to refuse overwriting a file changed since (None when parsed from a string).
    """

    format: ClassVar[str] = "?"

    text: str
    unit: OffsetUnit
    annotations: list[Annotation] = field(default_factory=list)
    path: Path | None = None
    stamp: FileStamp | None = None

    def by_id(self) -> dict[str, Annotation]:
        """Annotations by id (the first one when an id repeats)."""
        out: dict[str, Annotation] = {}
        for ann in self.annotations:
            out.setdefault(ann.id, ann)
        return out

    def apply_updates(self, updates: Mapping[str, SelectorUpdate]) -> EditResult:
        """Return the file text with ``updates`` applied and nothing else changed."""
        raise NotImplementedError

    def render(self, updates: Mapping[str, SelectorUpdate]) -> str:
        """Like :meth:`apply_updates` but strict: raises FormatError if any update is refused."""
        result = self.apply_updates(updates)
        if result.skipped:
            details = "; ".join(f"{k}: {v}" for k, v in sorted(result.skipped.items()))
            raise FormatError(f"{self.label}: cannot apply {len(result.skipped)} update(s): "
                              f"{details}")
        return result.text

    @property
    def label(self) -> str:
        """How messages name this file."""
        return str(self.path) if self.path is not None else f"<{self.format} text>"

    @staticmethod
    def encode(text: str) -> bytes:
        """The bytes to write for ``text`` (UTF-8; a leading BOM is part of ``text``; bytes
        that were not UTF-8, kept by :func:`decode_text` as U+DC80..U+DCFF, are written back
        as they were)."""
        return text.encode("utf-8", "surrogateescape")


def read_stamped_bytes(path: Path) -> tuple[bytes, FileStamp]:
    """A file's bytes and the stamp a later write checks against; :class:`FormatError` (not
    ``OSError``) when it cannot be read, so the caller reports that one file and goes on."""
    from tether.repair.atomic import read_stamped  # repair imports formats: import late

    try:
        return read_stamped(path)
    except OSError as exc:
        raise FormatError(f"{path}: cannot read the file: {exc.strerror or exc}") from None


def decode_text(data: bytes, label: str, *, keep_invalid: bool = False) -> str:
    """Decode a file's bytes as UTF-8, keeping a BOM as U+FEFF so the round trip is exact.

    Bytes that are not UTF-8 raise :class:`FormatError`, unless ``keep_invalid`` (notes: one
    bad byte must not hide every annotation) — then each becomes U+DC80..U+DCFF
    (``surrogateescape``), readers flag what they touch, and :meth:`AnnotationFile.encode`
    restores the exact bytes.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError(f"{label}: the file is UTF-16; tether reads UTF-8 files only")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if keep_invalid:
            return data.decode("utf-8", "surrogateescape")
        raise FormatError(
            f"{label}: not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at byte offset "
            f"{exc.start})") from None


#: What JavaScript's ``String.prototype.trim`` removes: WhiteSpace (incl. U+FEFF and the Zs
#: category) and LineTerminator. Python's ``str.strip()`` differs (it strips U+001C..U+001F and
#: U+0085, keeps U+FEFF), and notes hold U+001D in real quotes, so never use it here.
JS_WHITESPACE = ("\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                 "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def as_written_to_utf8(text: str) -> str:
    """``text`` as it reads back after JavaScript writes it to a UTF-8 file: each lone surrogate
    (a JavaScript string sliced inside a pair, e.g. a 32-unit quote context) becomes U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def js_trim(s: str) -> str:
    """``s.trim()`` as JavaScript does it."""
    return s.strip(JS_WHITESPACE)
