"""What the resolver says about one annotation: plain dataclasses and their JSON form.

Units: ``start`` / ``end`` are **code points** in ``DocumentText.text``; ``start_utf16`` /
``end_utf16`` are the same span in UTF-16 code units (what Hypothesis and Obsidian store). Both
are filled at resolution time so that :meth:`Resolution.span` and :meth:`Resolution.to_dict` need
no document.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from tether.offsets import OffsetUnit
from tether.selectors import Annotation


class Status(str, enum.Enum):
    """Outcome of resolving one annotation.

    * ``anchored`` — step 1: the stored position holds exactly the stored quote. Nothing to do.
    * ``drifted`` — the stored quote is in the document unchanged up to whitespace / invisible
      characters, but not exactly at the stored position (or the position is missing, or only
      whitespace differs there). A repair rewrites offsets (and ``exact`` if whitespace differs).
    * ``fuzzy`` — the quoted text itself changed; ``score``, ``edit_distance`` and the new
      ``exact`` say how. A repair should be reviewed.
    * ``ambiguous`` — several places fit and the evidence cannot tell them apart; ``rivals``
      lists them. Not anchored.
    * ``orphaned`` — not found with enough evidence; ``reason`` says why.
    * ``invalid`` — the annotation cannot be resolved at all (no quote, empty quote, problems
      reported by its reader); ``reason`` says why.
    """

    ANCHORED = "anchored"
    DRIFTED = "drifted"
    FUZZY = "fuzzy"
    AMBIGUOUS = "ambiguous"
    ORPHANED = "orphaned"
    INVALID = "invalid"

    @property
    def is_anchored(self) -> bool:
        """True when the resolution points at a span (anchored, drifted or fuzzy)."""
        return self in (Status.ANCHORED, Status.DRIFTED, Status.FUZZY)


class Method(str, enum.Enum):
    """Which step of the cascade produced the span."""

    POSITION = "position"
    QUOTE = "quote"
    FUZZY = "fuzzy"
    #: Placed between two confidently anchored annotations of the same note
    #: (:mod:`tether.resolve.landmarks`), after the cascade alone refused.
    LANDMARKS = "landmarks"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place the quote might be: ``[start, end)`` in code points (and UTF-16), its 0-based page
    (of the start character), its score in 0..1, and the document text there."""

    start: int
    end: int
    start_utf16: int
    end_utf16: int
    page: int
    score: float
    exact: str

    def span(self, unit: OffsetUnit) -> tuple[int, int]:
        if unit == OffsetUnit.UTF16:
            return self.start_utf16, self.end_utf16
        return self.start, self.end

    def to_dict(self, unit: OffsetUnit) -> dict[str, Any]:
        start, end = self.span(unit)
        return {"start": start, "end": end, "page": self.page,
                "score": round(self.score, 4), "exact": self.exact}


@dataclass(frozen=True, init=False)
class Resolution:
    """The resolver's answer for one annotation.

    Invariants: ``start``/``end``/``page``/``exact``/``prefix``/``suffix`` are set exactly when
    ``status.is_anchored``; ``reason`` is set for ambiguous, orphaned, invalid and fuzzy;
    ``edit_distance`` (edits between stored and resolved quote, whitespace ignored) is set for
    fuzzy. ``prefix``/``suffix`` are the new context, up to 32 UTF-16 units each side cut from the
    whole document text (as Hypothesis 2022's ``describe()``), so they may cross a page boundary.
    """

    annotation: Annotation
    status: Status
    method: Method | None = None
    score: float | None = None
    start: int | None = None
    end: int | None = None
    start_utf16: int | None = None
    end_utf16: int | None = None
    page: int | None = None
    exact: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    rivals: tuple[Candidate, ...] = ()
    reason: str | None = None
    edit_distance: int | None = None
    #: Details other layers attach (e.g. migration evidence); not part of :meth:`to_dict`.
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __init__(  # noqa: PLR0913 - one parameter per field, as the dataclass would generate
        self, annotation: Annotation, status: Status, method: Method | None = None,
        score: float | None = None, start: int | None = None, end: int | None = None,
        start_utf16: int | None = None, end_utf16: int | None = None, page: int | None = None,
        exact: str | None = None, prefix: str | None = None, suffix: str | None = None,
        rivals: tuple[Candidate, ...] = (), reason: str | None = None,
        edit_distance: int | None = None, extra: dict[str, Any] | None = None,
    ) -> None:
        """The dataclass's own ``__init__``, written out: a frozen dataclass sets each of its 16
        fields through ``object.__setattr__`` (~3 µs per resolution); one update of the instance
        dictionary gives the same object in a third of the time. ``tests/test_resolve_result.py``
        checks the parameters against the fields."""
        self.__dict__.update(
            annotation=annotation, status=status, method=method, score=score, start=start,
            end=end, start_utf16=start_utf16, end_utf16=end_utf16, page=page, exact=exact,
            prefix=prefix, suffix=suffix, rivals=rivals, reason=reason,
            edit_distance=edit_distance, extra={} if extra is None else extra)

    @property
    def id(self) -> str:
        return self.annotation.id

    @property
    def stored_unit(self) -> OffsetUnit:
        """The unit of the stored position (UTF-16 when there is none: Hypothesis's default)."""
        pos = self.annotation.position
        return pos.unit if pos is not None else OffsetUnit.UTF16

    def span(self, unit: OffsetUnit = OffsetUnit.CODE_POINT) -> tuple[int, int] | None:
        """The resolved ``(start, end)`` in ``unit``, or None when not anchored."""
        if self.start is None or self.end is None:
            return None
        if unit == OffsetUnit.UTF16:
            assert self.start_utf16 is not None and self.end_utf16 is not None
            return self.start_utf16, self.end_utf16
        return self.start, self.end

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract other tools read (resolved offsets in the stored position's unit)."""
        ann = self.annotation
        quote, pos = ann.quote, ann.position
        unit = self.stored_unit
        resolved = None
        span = self.span(unit)
        if span is not None:
            resolved = {"start": span[0], "end": span[1], "page": self.page,
                        "exact": self.exact, "prefix": self.prefix, "suffix": self.suffix}
        return {
            "id": ann.id,
            "status": self.status.value,
            "method": self.method.value if self.method else None,
            "score": None if self.score is None else round(self.score, 4),
            "stored": {
                "start": pos.start if pos else None,
                "end": pos.end if pos else None,
                "exact": quote.exact if quote else None,
                "prefix": quote.prefix if quote else None,
                "suffix": quote.suffix if quote else None,
            },
            "resolved": resolved,
            "rivals": [c.to_dict(unit) for c in self.rivals],
            "reason": self.reason,
        }
