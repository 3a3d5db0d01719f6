"""What a migration returns per annotation: the resolution and the evidence behind it.

:class:`Migration` pairs the :class:`~tether.resolve.Resolution` (same statuses and fields as
``check``; offsets as there) with its :class:`Evidence`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tether.migrate.spanmap import Change
from tether.resolve import Resolution

__all__ = ["CONFIRMED", "Evidence", "Migration"]

#: ``Evidence.old_position`` when the stored position holds the quote in OLD.
CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Evidence:
    """What placed (or refused) one annotation in a migration.

    ``source``: ``"alignment"`` (the alignment of OLD and NEW decided: placed the passage, or
    vetoed the cascade's look-alike / doubted its own place), ``"cascade"`` (the resolver on NEW
    decided), None (invalid annotation: nothing to decide). ``old_position``: ``"confirmed"``
    when the stored position holds the quote in OLD, else why not. ``kept``: share of the
    quote's visible characters the alignment finds in one place in NEW (None when the old span
    is unknown). ``changes``: deleted / inserted text inside the passage (alignment results).
    ``moved``: the passage left its old place (the alignment keeps too little of it there) and
    was found in new text (text the alignment traces to no OLD text) away from where its old
    place now is (:meth:`~tether.migrate.alignment.Alignment.slot`).
    """

    source: str | None
    old_position: str | None = None
    kept: float | None = None
    changes: tuple[Change, ...] = ()
    moved: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"evidence": self.source, "old_position": self.old_position,
                "kept": None if self.kept is None else round(self.kept, 4),
                "moved": self.moved, "changes": [c.to_dict() for c in self.changes]}


@dataclass(frozen=True)
class Migration:
    """One annotation's migration: the resolution (as ``check`` reports it) and its evidence."""

    resolution: Resolution
    evidence: Evidence
