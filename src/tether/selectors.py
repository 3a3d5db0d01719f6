"""Selectors and annotations as tether sees them, independent of any file format.

A :class:`TextPosition` carries its unit (:class:`~tether.offsets.OffsetUnit`): the format it was
read from decides it (UTF-16 for Hypothesis and Obsidian Annotator, code points for W3C JSON-LD).
Nothing here does IO; readers in :mod:`tether.formats` build these, writers consume them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tether.offsets import OffsetUnit

#: Hypothesis's ``describe()`` stores this many characters of context on each side.
CONTEXT_LENGTH = 32


@dataclass(frozen=True, slots=True)
class TextPosition:
    """A ``TextPositionSelector``: ``[start, end)`` in the document text, counted in ``unit``."""

    start: int
    end: int
    unit: OffsetUnit = OffsetUnit.UTF16


@dataclass(frozen=True, slots=True)
class TextQuote:
    """A ``TextQuoteSelector``: the quoted text and up to 32 characters of context each side."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass
class Annotation:
    """One annotation with the selectors tether uses.

    ``id`` is the annotation's identity in its source (the Obsidian block id after ``^``, or the
    Hypothesis / W3C ``id``). ``problems`` lists why the annotation is unusable (for the
    ``invalid`` status); a reader fills it instead of raising so other annotations still load.
    ``extra`` holds format-specific details a writer may need (never interpreted by the core).
    """

    id: str
    quote: TextQuote | None = None
    position: TextPosition | None = None
    source: str | None = None
    comment: str = ""
    tags: tuple[str, ...] = ()
    fingerprint: str | None = None
    problems: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
