"""``tether check | repair | migrate``: the batch run behind the commands, and their output.

The CLI (:mod:`tether.cli`) parses options into :class:`~tether.batch.document.Settings` and
calls :func:`run_command`, which plans the documents, runs them on the chosen executor
(``--jobs 1``: in this process), streams ``--jsonl``, honours ``--resume`` and prints the final
table or JSON (sorted by document, whatever order the workers finished in). Returns the exit
code: 0 ok, 1 findings, 2 a user error, 3 a bug.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from rich.console import Console

from tether.batch.document import Settings
from tether.batch.executors import ExecutorError, make_executor
from tether.batch.jsonl import STDOUT, Done, JsonlError, JsonlWriter, read_done
from tether.batch.report import (
    EXIT_INPUT,
    documents,
    error_messages,
    repair_exit_code,
    repair_report,
    report,
)
from tether.batch.run import BatchRun, input_error_line, plan_tasks, run_tasks
from tether.cli_output import EXIT_INTERRUPTED, OutputConsole, print_error


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def run_command(settings: Settings, paths: Sequence[Path], *, err: Console,
                pdf: Path | None = None, jobs: int = 1, executor: str = "local",
                scheduler: str | None = None, jsonl: str | None = None,
                resume: str | None = None, as_json: bool = False) -> int:
    """Run ``settings.command`` on ``paths`` and print its output (see the module docstring).

    ``resume`` without ``jsonl`` appends the new lines to the ``resume`` file itself."""
    if as_json and jsonl == STDOUT:
        return _fail(err, "--json and --jsonl - both write to standard output; give --jsonl a "
                          "file")
    if resume == STDOUT:
        return _fail(err, "--resume needs a file (the --jsonl file of the earlier run)")
    if resume and jsonl is None:
        jsonl = resume
    with ExitStack() as stack:
        try:
            pool = make_executor(executor, jobs, scheduler)
            done = read_done(Path(resume), settings.command) if resume else Done()
            writer = None
            if jsonl:
                append = bool(resume) and jsonl != STDOUT and _same_file(jsonl, resume or "")
                writer = stack.enter_context(
                    JsonlWriter(jsonl, append=append, complete_bytes=done.complete_bytes))
        except (ExecutorError, JsonlError) as exc:
            return _fail(err, str(exc))
        if done.skipped:
            err.print(f"note: {done.skipped} line(s) of {resume} could not be used (cut short "
                      "by a killed run?); their documents are done again", highlight=False,
                      markup=False, soft_wrap=True)
        tasks, errors = plan_tasks(paths, settings, pdf=pdf)
        if resume:
            note = _nothing_to_resume(done, tasks, settings.command, resume, jsonl or resume)
            if note:
                err.print(note, highlight=False, markup=False, soft_wrap=True)
        if writer is not None:
            for e in errors:
                writer.write(input_error_line(e))
        progress = stack.enter_context(_Progress(err, len(tasks)))
        try:
            batch = run_tasks(tasks, settings, pool, jsonl=writer, done=done,
                              on_outcome=progress.advance)
        except ExecutorError as exc:
            return _fail(err, str(exc))
        except KeyboardInterrupt:  # Ctrl-C: the workers are stopped (tether.batch.executors)
            stack.close()  # the progress bar off the screen, the --jsonl file closed
            return _interrupted(err, progress.finished, len(tasks), writer)
        batch.errors = errors
    reused = batch.reused
    if reused:
        err.print(f"resumed: {reused} document(s) taken from {resume}, "
                  f"{len(tasks) - reused} processed", highlight=False, markup=False,
                  soft_wrap=True)
    return _output(batch, err=err, as_json=as_json, to_stdout=jsonl != STDOUT)


def _nothing_to_resume(done: Done, tasks: Sequence[Any], command: str, resume: str,
                       jsonl: str) -> str | None:
    """A note when ``--resume`` will reuse nothing: the file does not exist, or it holds
    results but none for this run (a ``check`` file given to ``repair``, other settings,
    every note edited). Silence would read as "resumed" while every document is done again.
    ``jsonl``: where the lines go (the ``resume`` file itself unless ``--jsonl`` named another)."""
    if done.missing:  # a first run, or a typo'd name: silence would hide the typo
        where = ("to standard output" if jsonl == STDOUT else
                 "there" if _same_file(jsonl, resume) else f"to {jsonl}")
        return (f"note: {resume} does not exist yet: nothing to skip: every document is "
                f"processed and its lines are written {where}")
    if not tasks or any(t.key in done.lines for t in tasks):
        return None
    if done.lines:
        n = len({id(line) for line in done.lines.values()})
        return (f"note: none of the {n} {command} result(s) in {resume} is about these "
                "documents with these settings (other options, or the notes or PDFs changed "
                "since): every document is done again")
    if done.other_commands:
        others = ", ".join(f"{n} of {c}" for c, n in sorted(done.other_commands.items()))
        return (f"note: {resume} holds results of another command ({others}), none of "
                f"{command}: nothing to reuse; every document is done")
    return None


def _interrupted(err: Console, finished: int, total: int, writer: JsonlWriter | None) -> int:
    """One line for a run stopped by Ctrl-C: how far it got and where its results are.

    Exit 130 even when every document had finished: the table or JSON report was not printed,
    so the run did not do what was asked (a script must not read its empty output as a
    result); the line says that nothing is left to process and how to get the report."""
    file = writer.path if writer is not None and writer.path != STDOUT else None
    if finished == total and total:
        what = f"interrupted after all {total} document(s) had finished"
        if file:
            where = (f", before the report was printed; their lines are in {file} (--resume "
                     f"{file} prints the report without processing them again)")
        elif writer is None:
            where = ", before the report was printed"
        else:  # --jsonl -
            where = "; every line is on standard output"
    else:
        what = f"interrupted: {finished} of {total} document(s) finished"
        where = (f"; their lines are in {file} (--resume {file} does the rest)"
                 if file and finished else "")
        if writer is None and total > 1:
            where = ("; nothing was reported (--jsonl FILE keeps each document's result as it "
                     "ends)")
    err.print(what + where, highlight=False, markup=False, soft_wrap=True)
    return EXIT_INTERRUPTED


def _fail(err: Console, message: str) -> int:
    print_error(err, message)
    return EXIT_INPUT


class _Progress:
    """A rich progress bar on standard error when it is a terminal; nothing otherwise."""

    def __init__(self, err: Console, total: int) -> None:
        self.err, self.total = err, total
        self.bar: Any = None
        #: Documents finished (or taken from --resume) so far.
        self.finished = 0

    def __enter__(self) -> _Progress:
        if self.err.is_terminal and self.total > 1:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self.bar = Progress("{task.description}", BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=self.err, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("documents", total=self.total)
        return self

    def advance(self, _outcome: object) -> None:
        self.finished += 1
        if self.bar is not None:
            self.bar.advance(self.task)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _output(batch: BatchRun, *, err: Console, as_json: bool, to_stdout: bool) -> int:
    """Print the command's final output; return its exit code."""
    command = batch.settings.command
    docs = documents(batch)
    writing = batch.settings.write or batch.settings.dry_run
    messages = error_messages(batch, docs)
    out = OutputConsole(highlight=False)
    if command == "check":
        rep = report(batch)
        code = rep["exit_code"]
        if to_stdout and as_json:
            _print_json(rep)
        elif to_stdout:
            from tether.report.table import render_run

            render_run(out, rep)
    elif command == "repair":
        code = repair_exit_code(batch, docs)
        if to_stdout and as_json:
            # --dry-run is asked for its diff; the JSON is then the only output
            rep = repair_report(batch, with_diff=batch.settings.dry_run)
            rep["errors"] = messages
            _print_json(rep)
        elif to_stdout:
            print_file_outcomes(out, batch, detail=True)
    else:
        rep = report(batch)
        code = repair_exit_code(batch, docs) if writing else rep["exit_code"]
        if writing:
            rep["repair"] = repair_report(batch, with_diff=True)
        if to_stdout and as_json:
            _print_json(rep)
        elif to_stdout:
            from tether.migrate.report import render_migration

            render_migration(out, rep)
            print_file_outcomes(out, batch, detail=False)
    for message in messages:  # escaped: file names may hold [brackets]
        print_error(err, message)
    return code


def print_file_outcomes(out: Console, batch: BatchRun, *, detail: bool) -> None:
    """What a repair did to each file (``detail``: list the rewritten ids, as ``repair``
    does; ``migrate --write`` gives the count only)."""
    dry_run = batch.settings.dry_run
    verb = "would rewrite" if dry_run else "rewrote"
    # One line per file and per annotation left, except for a terminal, where rich folds a
    # long list of ids at words (in a pipe it would cut the lines at 80 columns).
    soft = not (detail and out.is_terminal)
    found: dict[str, int] = {}  # annotations (and page notes) read from each file
    for oc in batch.outcomes:
        for a in (*oc.document.get("annotations", []), *oc.document.get("page_notes", [])):
            found[a["source"]] = found.get(a["source"], 0) + 1
    for oc in batch.outcomes:
        for o in oc.files:
            _print_file(out, o, reused=oc.reused, dry_run=dry_run, verb=verb, detail=detail,
                        annotations=found.get(o["path"], 0), soft=soft)
            other = _other_target(o, oc.document.get("pdf"))
            if other:  # the next `check NOTE` would read OLD, and `repair NOTE` move them back
                out.print(f"{o['path']}: its annotation-target ({other}) is not "
                          f"{oc.document['pdf']}, the PDF its annotations "
                          f"{'would be' if dry_run else 'were'} rewritten for: check and "
                          "repair without --pdf read that one (and a repair there would move "
                          "them back); point annotation-target at the new PDF",
                          markup=False, soft_wrap=soft)
        hint = oc.document.get("wrong_pdf_hint")
        if hint:  # 150 "left …: orphaned" lines do not say the likeliest cause
            where = oc.document["pdf"]
            if batch.settings.command == "migrate" and len(oc.files) == 1:
                where = f"{oc.files[0]['path']} on {where}"  # one task per file: which one
            out.print(f"{where}: {hint}", markup=False, soft_wrap=soft)


def _other_target(o: dict[str, Any], pdf: str | None) -> str | None:
    """The ``annotation-target`` of the note ``o`` rewrote (or would) when it leads to another
    existing PDF than ``pdf``, the one the note was rewritten for (``migrate``'s NEW, ``repair
    --pdf``); None otherwise (a JSON file, nothing changed, the target is ``pdf`` or is not
    found — `check` then says so)."""
    if not pdf or not o["changed"] or o["error"] or not o["path"].lower().endswith(".md"):
        return None
    from tether.formats import FormatError
    from tether.formats.obsidian import read_note
    from tether.locate import TargetError, resolve_target

    try:
        note = read_note(o["path"])
        target = resolve_target(Path(o["path"]), note.target, note.target_type)
        same = target.resolve() == Path(pdf).resolve()
    except (FormatError, TargetError, OSError):
        return None
    return None if same else note.target


def _print_file(out: Console, o: dict[str, Any], *, reused: bool, dry_run: bool, verb: str,
                detail: bool, annotations: int, soft: bool) -> None:
    """One file's lines of :func:`print_file_outcomes`."""
    if dry_run and o["diff"]:
        sys.stdout.write(o["diff"])
    if o["error"]:
        line = f"{o['path']}: not written (error below); the file is as it was"
    elif o["changed"]:
        n = len(o["changed"])
        # --resume: the earlier run wrote these; this one left the file alone
        line = (f"{o['path']}: {n} annotation(s) rewritten earlier (the run --resume read), "
                "0 now" if reused and not dry_run else f"{o['path']}: {verb} {n} annotation(s)")
        if detail:
            line += ": " + ", ".join(o["changed"])
    elif not annotations:
        line = f"{o['path']}: no annotations"
    else:
        line = f"{o['path']}: nothing to change"
    out.print(line, markup=False, soft_wrap=soft)
    if o.get("backup"):
        out.print(f"  backup: the old file is kept as {Path(o['backup']).name}", markup=False,
                  soft_wrap=soft)
    if o.get("remark"):
        out.print(f"  note: {o['remark']}", markup=False, soft_wrap=soft)
    for i, why in {**o["left"], **o["refused"]}.items():
        out.print(f"  left {i}: {why}", markup=False, soft_wrap=soft)
