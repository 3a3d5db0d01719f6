"""``tether migrate``: carry annotations across a PDF update using both versions' texts.

>>> resolutions = migrate_document(old_text, new_text, annotations)   # pure
>>> run = migrate_paths("v1.pdf", "v2.pdf", ["notes/"])                # files + PDFs

Modules: :mod:`~tether.migrate.align` (full-text alignment with a time guard),
:mod:`~tether.migrate.alignment` (its result: segments in both texts, offset lookups, statistics),
:mod:`~tether.migrate.spanmap` (one span through the alignment: kept, moved, changed),
:mod:`~tether.migrate.core` (the decision: alignment first, cascade for the rest, vetoed by the
alignment), :mod:`~tether.migrate.options` (its thresholds), :mod:`~tether.migrate.result` (what
it returns per annotation: resolution and evidence), :mod:`~tether.migrate.workflow` (files and
PDFs), :mod:`~tether.migrate.report` (JSON and table).
"""

from tether.migrate.align import AlignOptions, align_texts
from tether.migrate.alignment import Alignment, AlignStats
from tether.migrate.core import Migrator, migrate_document
from tether.migrate.options import DEFAULT_MIGRATE_OPTIONS, MigrateOptions
from tether.migrate.result import Evidence, Migration
from tether.migrate.spanmap import Change, SpanMap, map_span
from tether.migrate.workflow import MigratedResult, MigrationRun, migrate_paths

__all__ = [
    "DEFAULT_MIGRATE_OPTIONS",
    "AlignOptions",
    "AlignStats",
    "Alignment",
    "Change",
    "Evidence",
    "MigrateOptions",
    "MigratedResult",
    "Migration",
    "MigrationRun",
    "Migrator",
    "SpanMap",
    "align_texts",
    "map_span",
    "migrate_document",
    "migrate_paths",
]
