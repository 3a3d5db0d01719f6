"""One document's work, the unit every executor runs: :func:`process_document`.

A *document* is what the ``tether.report/1`` report lists: one PDF with the annotation files
about it (``check`` / ``repair``: the notes grouped by their PDF, as
:func:`tether.check.group_by_pdf` groups them), or one annotation file against NEW
(``migrate``: every file is migrated between the same two PDFs; the report merges them back
into NEW's one document, :func:`tether.batch.report.merge_migrated`).

:func:`process_document` is a top-level function of picklable arguments (a spawned worker
process or a Dask worker imports it by name) that returns plain data
(:class:`DocumentOutcome`: the report's dicts), so the serial, process-pool and Dask paths
produce byte-identical results. It never raises for a user error: an unreadable PDF is the
document's ``error``, a file that cannot be written is that file's repair ``error``; an
unexpected exception (a bug) becomes ``internal_error`` and the other documents go on.

Each annotation file belongs to exactly one task, so each file is written by exactly one
worker (atomically, :mod:`tether.repair.atomic`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tether.formats import AnnotationFile
from tether.gcpause import collector_paused

#: What ``--jsonl`` lines and resume keys are tied to; bump when their meaning changes.
SCHEMA = "tether.batch/1"
COMMANDS = ("check", "repair", "migrate")


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs besides the document (picklable; no open handles).

    ``command``: ``check`` | ``repair`` | ``migrate``. ``write``: rewrite the files (``repair``
    always, ``migrate --write``); ``dry_run``: compute the diff, write nothing.
    ``old_pdf`` / ``new_pdf``: migrate's two versions (absolute paths).
    """

    command: str
    model: str = "pdfjs-2.11"
    unit: str | None = None  # an OffsetUnit value, or None: the format's own
    password: str | None = None
    max_pages: int | None = 5000
    max_seconds: float | None = 600.0
    use_cache: bool = True
    min_score: float = 0.8
    write: bool = False
    dry_run: bool = False
    backup: bool = True
    old_pdf: str | None = None
    new_pdf: str | None = None

    def key_part(self) -> dict[str, Any]:
        """The settings a document's result depends on (resume keys include them, so a
        result computed under other settings is redone). The cache does not change results."""
        d = dataclasses.asdict(self)
        d.pop("use_cache")
        if d["password"] is not None:  # never written out, even hashed alone
            d["password"] = hashlib.sha256(d["password"].encode()).hexdigest()
        d["old_pdf"] = _file_identity(self.old_pdf)
        return d


@dataclass(frozen=True)
class Source:
    """An annotation file to read: its path as named (reports show it so) and its format."""

    path: str
    format: str


@dataclass
class DocumentTask:
    """One document to process: its PDF (None when it could not be found: ``error`` says why)
    and its annotation files. ``index``: position in the run's stable order (the final report
    is sorted by it). ``key``: :func:`document_key` of the files as the planner read them.

    Files travel as paths and are read again by the worker (parsed notes hold regex matches,
    which do not pickle; and the worker's own read stamps what :mod:`tether.repair.atomic`
    checks before it writes)."""

    index: int
    pdf: str | None
    sources: list[Source]
    key: str
    error: str | None = None

    @staticmethod
    def of(index: int, pdf: str | None, files: list[AnnotationFile], settings: Settings,
           error: str | None = None) -> DocumentTask:
        return DocumentTask(index, pdf, [Source(str(f.path), f.format) for f in files],
                            key_of(settings, pdf, files), error)


@dataclass
class DocumentOutcome:
    """What one document gave: the report dicts, ready for JSON.

    ``document``: the ``tether.report/1`` document (``migrate``: with migrate's keys);
    ``files``: the ``tether.repair/1`` file outcomes (when writing or dry-running);
    ``keys_after``: the document's key after its files were rewritten (a resumed run finds
    the rewritten files under it); ``seconds``: wall time in the worker (not part of results).
    """

    index: int
    key: str
    document: dict[str, Any]
    files: list[dict[str, Any]] = field(default_factory=list)
    internal_error: str | None = None
    keys_after: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: Taken from a ``--resume`` file, not processed by this run (its ``files`` tell what the
    #: earlier run wrote).
    reused: bool = False


def _file_identity(path: str | Path | None) -> list[Any] | None:
    """A PDF's identity for keys: resolved path, size and mtime (cheap: no read)."""
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return [str(path), None, None]
    return [str(Path(path).resolve()), st.st_size, st.st_mtime_ns]


def _content_sha256(f: AnnotationFile) -> str:
    if f.stamp is not None:
        return f.stamp.sha256
    return hashlib.sha256(f.encode(f.text)).hexdigest()


def document_key(settings: Settings, pdf: str | None, files: list[tuple[str, str]]) -> str:
    """A stable id of a document's inputs: its PDF (path, size, mtime), each annotation file's
    resolved path and content SHA-256, and the settings. An edited note gets a new key."""
    payload = {"schema": SCHEMA, "settings": settings.key_part(), "pdf": _file_identity(pdf),
               "files": files}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]


def key_of(settings: Settings, pdf: str | None, files: list[AnnotationFile]) -> str:
    return document_key(settings, pdf, [(str(Path(f.path).resolve()) if f.path else "",
                                         _content_sha256(f)) for f in files])


def process_document(task: DocumentTask, settings: Settings) -> DocumentOutcome:
    """Run ``settings.command`` on one document. Never raises (see the module docstring)."""
    started = time.perf_counter()
    try:
        with collector_paused():  # see tether.gcpause: ~20 % of a large check
            outcome = _process(task, settings)
    except Exception as exc:  # a bug: reported for this document, the others go on
        outcome = DocumentOutcome(
            index=task.index, key=task.key, document=_bare_document(task),
            internal_error=f"{type(exc).__name__}: {exc}",
        )
        if os.environ.get("TETHER_DEBUG"):
            outcome.internal_error += "\n" + traceback.format_exc()
    outcome.seconds = time.perf_counter() - started
    return outcome


def _bare_document(task: DocumentTask) -> dict[str, Any]:
    """The report document of a task that could not be processed (its files unread)."""
    from tether.check import DocumentCheck
    from tether.report.json_report import document_dict

    doc = DocumentCheck(pdf=Path(task.pdf) if task.pdf else None, files=[], error=task.error)
    d = document_dict(doc)
    d["sources"] = [s.path for s in task.sources]
    return d


#: Files the planner parsed in this process, by path. A task run in this same process (the
#: serial executor, a pool given one task) takes its file from here instead of parsing it
#: again — a 10,000-annotation JSON file takes seconds to parse — when the bytes on disk are
#: still the ones parsed. Worker processes start with this empty and read their files.
_PARSED: dict[str, AnnotationFile] = {}


def remember_parsed(files: list[AnnotationFile]) -> None:
    """Offer the planner's parsed ``files`` to tasks run in this process (see ``_PARSED``)."""
    for f in files:
        if f.path is not None and f.stamp is not None:
            _PARSED[str(f.path)] = f


def forget_parsed() -> None:
    _PARSED.clear()


def _still_parsed(source: Source) -> AnnotationFile | None:
    """The planner's parse of ``source`` if the file still holds exactly those bytes."""
    planned = _PARSED.pop(source.path, None)
    if planned is None or planned.format != source.format or planned.stamp is None:
        return None
    try:
        data = Path(source.path).read_bytes()
    except OSError:
        return None  # the reader below reports it
    return planned if planned.stamp.matches(data) else None


def _read(task: DocumentTask, settings: Settings) -> tuple[list[AnnotationFile], str | None]:
    """The task's files, read again (or the planner's parse of the same bytes); a file that
    cannot be read now is the document's error."""
    from tether.formats import FormatError, load_annotations
    from tether.offsets import OffsetUnit

    unit = OffsetUnit(settings.unit) if settings.unit else None
    files = []
    for source in task.sources:
        planned = _still_parsed(source)
        if planned is not None:
            files.append(planned)
            continue
        try:
            files.append(load_annotations(source.path, format=source.format, unit=unit))
        except FormatError as exc:
            return files, str(exc)
    return files, None


def _process(task: DocumentTask, settings: Settings) -> DocumentOutcome:
    from tether.check import DocumentCheck, check_document
    from tether.report.json_report import document_dict

    files, unreadable = _read(task, settings)
    doc = DocumentCheck(pdf=Path(task.pdf) if task.pdf else None, files=files,
                        error=task.error or unreadable)
    if settings.command == "migrate":
        document = _migrate(doc, settings)
    else:
        check_document(doc, model=settings.model, password=settings.password,
                       limits=_limits(settings), cache=_cache(settings))
        document = document_dict(doc)
    # keyed by what was read here: a note edited since planning is recorded as edited
    key = task.key if unreadable else key_of(settings, task.pdf, files)
    outcome = DocumentOutcome(index=task.index, key=key, document=document)
    if settings.write or settings.dry_run:
        outcome.files, outcome.keys_after = _repair(doc, task, settings)
    return outcome


def _limits(settings: Settings):
    from tether.textmodel.load import ExtractionLimits

    return ExtractionLimits(max_pages=settings.max_pages, max_seconds=settings.max_seconds)


def _cache(settings: Settings):
    if not settings.use_cache:
        return None
    from tether.textmodel.cache import TextCache

    return TextCache()


def _repair(doc, task: DocumentTask, settings: Settings) -> tuple[list[dict], list[str]]:
    """Plan and apply (or diff) the document's rewrites; the key after the writes."""
    from tether.repair.plan import plan_repairs
    from tether.repair.run import execute, outcome_dict

    if doc.error:
        return [], []
    plans = plan_repairs([doc], min_score=settings.min_score)
    outcomes = execute(plans, dry_run=settings.dry_run, backup=settings.backup)
    keys_after = []
    if any(o.written for o in outcomes):
        keys_after.append(_key_after(task, settings))
    return [outcome_dict(o) for o in outcomes], keys_after


def _key_after(task: DocumentTask, settings: Settings) -> str:
    """The document's key computed from its files as they are on disk now."""
    files = []
    for source in task.sources:
        path = Path(source.path)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = ""
        files.append((str(path.resolve()), digest))
    return document_key(settings, task.pdf, files)


# --- migrate: the alignment of OLD and NEW is built once per worker process -----------------

_MIGRATORS: dict[tuple, Any] = {}


def _migrate(doc, settings: Settings) -> dict[str, Any]:
    from tether.migrate.report import migration_report_dict
    from tether.migrate.workflow import MigrationRun, migrate_document_check

    assert settings.old_pdf is not None and settings.new_pdf is not None
    run = MigrationRun(old_pdf=Path(settings.old_pdf), documents=[doc])
    if doc.error is None:
        prepared = _prepared_migration(settings)
        if isinstance(prepared[0], str):
            doc.error, run.old_text = prepared
        else:
            run.old_text, new_text, migrator = prepared
            run.migrator = migrate_document_check(doc, run.old_text, new_text,
                                                  migrator=migrator)
    return migration_report_dict(run)["documents"][0]


def _prepared_migration(settings: Settings):
    """(OLD text, NEW text, Migrator | None) for these settings, or (the error message, OLD
    text | None); kept for the life of the worker process (one alignment per process, not per
    file)."""
    from tether.migrate.core import Migrator
    from tether.migrate.spanmap import visible
    from tether.textmodel.load import PdfError, load_text

    key = (_file_identity(settings.old_pdf).__repr__(), _file_identity(settings.new_pdf)
           .__repr__(), settings.model, settings.password, settings.max_pages,
           settings.max_seconds)
    if key in _MIGRATORS:
        return _MIGRATORS[key]
    old_text = None
    try:
        old_text = load_text(settings.old_pdf, model=settings.model,
                             password=settings.password, with_boxes=False,
                             limits=_limits(settings))
        new_text = load_text(settings.new_pdf, model=settings.model,
                             password=settings.password, with_boxes=False,
                             limits=_limits(settings))
    except PdfError as exc:  # as migrate_paths says it; OLD's text is kept when it was read
        prepared: Any = (f"{'OLD' if old_text is None else 'NEW'} PDF: {exc}", old_text)
    else:
        migrator = Migrator(old_text, new_text) if visible(new_text.text) else None
        prepared = (old_text, new_text, migrator)
    _MIGRATORS.clear()  # one pair at a time: texts and alignments are large
    _MIGRATORS[key] = prepared
    return prepared
