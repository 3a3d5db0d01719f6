"""A batch run: paths → document tasks → an executor → outcomes in a stable order.

:func:`plan_tasks` reads and groups the annotation files in this process (cheap; it yields the
input errors and each document's key), :func:`run_tasks` skips the documents a ``--resume``
file already reports, hands the others to an executor (:mod:`tether.batch.executors`), streams
each outcome to ``--jsonl`` as it arrives and returns every outcome sorted by document (the
task order: :func:`tether.check.group_by_pdf` order, i.e. the order of the files named and of
the notes in each folder), whatever order the workers finished in.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from tether.batch.document import (
    DocumentOutcome,
    DocumentTask,
    Settings,
    _bare_document,
    forget_parsed,
    process_document,
    remember_parsed,
)
from tether.batch.executors import Executor
from tether.batch.jsonl import SCHEMA, Done, JsonlWriter, outcome_from_line, outcome_line
from tether.check import CheckRun, InputError, gather_files, group_by_pdf
from tether.offsets import OffsetUnit


@dataclass
class BatchRun:
    """The outcome of a batch: per document (sorted), and the items unreadable before any."""

    settings: Settings
    outcomes: list[DocumentOutcome] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    @property
    def reused(self) -> int:
        """Documents taken from the ``--resume`` file instead of being processed again."""
        return sum(1 for o in self.outcomes if o.reused)


def plan_tasks(paths: Sequence[Path], settings: Settings, *, pdf: Path | None = None
               ) -> tuple[list[DocumentTask], list[InputError]]:
    """The documents of ``paths`` in their stable order, and the items that cannot be read.

    ``check`` / ``repair``: one task per PDF with every file about it (``pdf``: one PDF for
    all). ``migrate``: one task per file, all against ``settings.new_pdf``."""
    run = CheckRun()
    unit = OffsetUnit(settings.unit) if settings.unit else None
    # migrate has no --pdf: its two PDFs come first (`migrate NOTE OLD.pdf NEW.pdf`: wrong order)
    pdf_goes = ("tether migrate takes the PDFs first: tether migrate OLD.pdf NEW.pdf NOTE..."
                if settings.command == "migrate" else None)
    files = gather_files(list(paths), run, unit=unit, pdf_goes=pdf_goes)
    remember_parsed(files)
    tasks: list[DocumentTask] = []
    if settings.command == "migrate":
        assert settings.new_pdf is not None
        for i, f in enumerate(files):
            tasks.append(DocumentTask.of(i, settings.new_pdf, [f], settings))
    else:
        for i, doc in enumerate(group_by_pdf(files, pdf, run)):
            target = str(doc.pdf) if doc.pdf else None
            tasks.append(DocumentTask.of(i, target, doc.files, settings, doc.error))
    return tasks, run.errors


def run_tasks(tasks: Sequence[DocumentTask], settings: Settings, executor: Executor, *,
              jsonl: JsonlWriter | None = None, done: Done | None = None,
              on_outcome: Callable[[DocumentOutcome], None] | None = None) -> BatchRun:
    """Process ``tasks`` (those in ``done`` are reused, not redone); see the module docstring.
    ``on_outcome`` is told about each document as it finishes (a progress bar)."""
    batch = BatchRun(settings)
    todo: list[DocumentTask] = []
    for task in tasks:
        line = done.lines.get(task.key) if done else None
        if line is None:
            todo.append(task)
            continue
        outcome = outcome_from_line(line, task.index)
        batch.outcomes.append(outcome)
        if jsonl is not None and not jsonl.appending:
            jsonl.write(line)  # a new file: it lists the whole run
        if on_outcome:
            on_outcome(outcome)
    work = functools.partial(process_document, settings=settings)
    # closing(): when this loop stops early (Ctrl-C while a line is written), the executor
    # stops its workers now, not whenever the suspended generator happens to be collected.
    try:
        with closing(executor.map_unordered(work, todo)) as results:
            for task, result in results:
                outcome = (result if isinstance(result, DocumentOutcome)
                           else _crashed(task, result))
                batch.outcomes.append(outcome)
                if jsonl is not None:
                    jsonl.write(outcome_line(settings.command, outcome))
                if on_outcome:
                    on_outcome(outcome)
    finally:
        forget_parsed()
    batch.outcomes.sort(key=lambda o: o.index)
    return batch


def _crashed(task: DocumentTask, exc: BaseException) -> DocumentOutcome:
    """The outcome of a task whose worker failed outside ``process_document`` (killed...)."""
    return DocumentOutcome(index=task.index, key=task.key,
                           document=_bare_document(task),
                           internal_error=f"{type(exc).__name__}: {exc}")


def input_error_line(error: InputError) -> dict[str, str]:
    return {"schema": SCHEMA, "type": "input-error", "path": error.path,
            "message": error.message}
