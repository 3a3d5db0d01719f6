"""Thresholds of a migration (:class:`~tether.migrate.core.Migrator`), each with its reason.

Shares (``min_kept``, ``min_similarity``, ``max_foreign``, ``lookalike_margin``,
``short_context_agree``, ``move_similarity``) are 0..1; counts (``min_support``,
``short_quote``) are visible characters (whitespace and invisible format characters left out,
:func:`~tether.migrate.spanmap.visible`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tether.migrate.align import AlignOptions
from tether.resolve import DEFAULT_OPTIONS, ResolveOptions

__all__ = ["DEFAULT_MIGRATE_OPTIONS", "MigrateOptions"]


@dataclass(frozen=True)
class MigrateOptions:
    """Thresholds of :class:`~tether.migrate.core.Migrator`, each with its reason.

    ``min_kept`` — the share of the quote's visible characters that must survive in one place:
    below half, more of the passage is gone than left, and what is left is better described as
    "the neighbours survived"; such a passage is refused unless the cascade finds it elsewhere.
    ``min_support`` — visible characters of the quote *and* its 32-character context that must
    be aligned consistently: a short quote's own few characters can survive by chance inside a
    rewritten sentence; about a line of agreeing text cannot. ``min_similarity`` — the new text
    against the quote (visible characters, normalised Indel similarity): a passage blown up by
    insertions to more than about three times its size is no longer "that passage, edited".
    ``max_foreign`` / ``lookalike_margin`` — a cascade answer at least this share of whose
    visible characters align with OLD text outside the annotated span, where OLD's text is
    about as much like the quote (within the margin), is a look-alike that was already in OLD:
    vetoed.
    ``short_quote`` / ``short_context_agree`` — a quote with fewer visible characters whose text
    *changed* is placed by the alignment only when at least this share of each 32-character
    context side is kept beside it (the cascade's rule for changed short quotes, in alignment
    terms: a few changed words are identified by their neighbourhood, not by themselves).
    ``move_similarity`` — a passage gone from its old place counts as *moved* to a place of NEW
    only if it has at least ``short_quote`` visible characters, that place is not a look-alike
    of other OLD text (as above), it is the only such place, and its text is at
    least this similar to the quote (a few words changed at most).
    """

    resolve: ResolveOptions = DEFAULT_OPTIONS
    align: AlignOptions = field(default_factory=AlignOptions)
    min_kept: float = 0.5
    min_support: int = 20
    min_similarity: float = 0.5
    max_foreign: float = 0.5
    lookalike_margin: float = 0.1
    short_quote: int = 32
    short_context_agree: float = 0.7
    move_similarity: float = 0.9


DEFAULT_MIGRATE_OPTIONS = MigrateOptions()
