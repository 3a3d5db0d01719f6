"""The migrate workflow: annotation files + OLD.pdf + NEW.pdf → resolutions (the IO edge).

The library API behind ``tether migrate`` (the CLI is a thin layer over :func:`migrate_paths`).
It reuses the check workflow's types, so the JSON report, the table and the repair planner work
on its result unchanged: every file is checked against NEW (a note's ``annotation-target`` is
not consulted), and OLD is the version the annotations were made on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tether.check import (
    AnnotationResult,
    CheckRun,
    DocumentCheck,
    gather_files,
    settled_without_matching,
)
from tether.migrate.core import Migrator
from tether.migrate.options import DEFAULT_MIGRATE_OPTIONS, MigrateOptions
from tether.migrate.result import Evidence
from tether.migrate.spanmap import visible
from tether.offsets import OffsetUnit
from tether.textmodel.load import (
    DEFAULT_LIMITS,
    DEFAULT_MODEL,
    ExtractionLimits,
    PdfError,
    load_text,
)
from tether.textmodel.model import DocumentText


@dataclass
class MigratedResult(AnnotationResult):
    """An :class:`~tether.check.AnnotationResult` with the evidence behind it."""

    evidence: Evidence = field(default_factory=lambda: Evidence(None))


@dataclass
class MigrationRun(CheckRun):
    """A :class:`~tether.check.CheckRun` with one document (NEW), plus OLD and the alignment."""

    old_pdf: Path | None = None
    old_text: DocumentText | None = None
    migrator: Migrator | None = None

    @property
    def old_fingerprint(self) -> str | None:
        return self.old_text.fingerprint if self.old_text else None

    @property
    def old_matches_stored(self) -> bool | None:
        """Whether OLD's /ID[0] is a stored ``documentFingerprint`` (None: nothing to compare)."""
        if not self.documents or self.old_fingerprint is None:
            return None
        stored = {s.lower() for s in self.documents[0].stored_fingerprints}
        return self.old_fingerprint.lower() in stored if stored else None


def migrate_paths(old_pdf: Path | str, new_pdf: Path | str, paths: Sequence[Path | str], *,
                  model: str = DEFAULT_MODEL,
                  options: MigrateOptions = DEFAULT_MIGRATE_OPTIONS,
                  unit: OffsetUnit | None = None, password: str | None = None,
                  limits: ExtractionLimits = DEFAULT_LIMITS) -> MigrationRun:
    """Migrate the annotations of ``paths`` (notes, Hypothesis / W3C JSON, folders of notes),
    made on ``old_pdf``, to ``new_pdf``. Input errors are collected, never raised: an unreadable
    file in ``run.errors``, an unreadable PDF as the document's ``error``."""
    run = MigrationRun(old_pdf=Path(old_pdf).resolve())
    files = gather_files([Path(p) for p in paths], run, unit=unit)
    if not files:
        return run
    doc = DocumentCheck(pdf=Path(new_pdf).resolve(), files=files)
    run.documents = [doc]
    try:
        run.old_text = load_text(old_pdf, model=model, password=password, with_boxes=False,
                                 limits=limits)
        new_text = load_text(new_pdf, model=model, password=password, with_boxes=False,
                             limits=limits)
    except PdfError as exc:
        doc.error = f"{'OLD' if run.old_text is None else 'NEW'} PDF: {exc}"
        return run
    run.migrator = migrate_document_check(doc, run.old_text, new_text, options)
    return run


def migrate_document_check(doc: DocumentCheck, old: DocumentText, new: DocumentText,
                           options: MigrateOptions = DEFAULT_MIGRATE_OPTIONS,
                           migrator: Migrator | None = None) -> Migrator | None:
    """Fill ``doc.results`` (:class:`MigratedResult`) and ``doc.page_notes`` by migrating its
    files' annotations from ``old`` to ``new``; return the migrator (None when NEW has no
    text). ``migrator``: one built before for the same ``old``, ``new`` and ``options`` (the
    alignment is the costly part; batch workers reuse it for every file). Pure apart from
    filling ``doc``."""
    doc.text = new
    has_text = visible(new.text)
    if not has_text:
        migrator = None
    elif migrator is None:
        migrator = Migrator(old, new, options)
    settled = list(settled_without_matching(doc, has_text))
    # Every annotation of the document in one call, as check resolves them: refusals may then
    # be placed between the others anchored with certainty, across all its notes.
    todo = [ann for _, ann, res in settled if res is None]
    migrated = iter(migrator.migrate_all(todo) if migrator is not None and todo else [])
    for f, _, res in settled:
        if res is not None:
            doc.results.append(MigratedResult(f, res))
            continue
        migration = next(migrated)
        doc.results.append(MigratedResult(f, migration.resolution, migration.evidence))
    return migrator
