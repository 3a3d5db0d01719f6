"""The ``tether`` command line: a thin layer over :mod:`tether.check` and :mod:`tether.repair`.

Exit codes: 0 every annotation anchored (``check``) / the repair succeeded; 1 something is not
anchored (drifted, fuzzy, ambiguous, orphaned, invalid) or was left unrepaired; 2 usage or
input error (message on stderr, no traceback); 3 internal error.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from tether import __version__
from tether.cli_help import readable_help
from tether.cli_options import (
    ExecutorOpt,
    JobsOpt,
    JsonlOpt,
    MaxPagesOpt,
    MaxSecondsOpt,
    ModelOpt,
    NoCacheOpt,
    PasswordOpt,
    PathsArg,
    PdfOpt,
    ResumeOpt,
    SchedulerOpt,
    UnitOpt,
)
from tether.cli_output import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    OutputConsole,
    error_console,
    print_error,
    stdout_pipe_closed,
)

if TYPE_CHECKING:
    from tether.textmodel.pdfjs211.extract import ExtractionLimits

readable_help()  # --json, not --json <bool> (typer >= 0.2x shows Python types)
app = typer.Typer(
    add_completion=False, no_args_is_help=True,
    help="Keep PDF annotations (Hypothesis, Obsidian Annotator, W3C) tied to their text.")
err = error_console()

EXIT_OK, EXIT_FOUND, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

_DEFAULT_MAX_PAGES = 5000  # tether.textmodel.load.DEFAULT_LIMITS (not imported: startup time)
_DEFAULT_MAX_SECONDS = 600.0


def _fail(message: str) -> typer.Exit:
    print_error(err, message)
    return typer.Exit(EXIT_INPUT)


def _limits(max_pages: int, max_seconds: float) -> ExtractionLimits:
    from tether.textmodel.load import ExtractionLimits

    return ExtractionLimits(max_pages=max_pages or None, max_seconds=max_seconds or None)


def _cache(no_cache: bool):  # -> TextCache | None (not imported: startup time)
    if no_cache:
        return None
    from tether.textmodel.cache import TextCache

    return TextCache()


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def text(
    pdf: Annotated[Path, typer.Argument(metavar="PDF", help="The PDF.", show_default=False)],
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print JSON: the model, the PDF's fingerprint and each page's index "
        "(0-based), offset (UTF-16) and text.")] = False,
    model: ModelOpt = "pdfjs-2.11",
    password: PasswordOpt = None,
    max_pages: MaxPagesOpt = _DEFAULT_MAX_PAGES,
    max_seconds: MaxSecondsOpt = _DEFAULT_MAX_SECONDS,
    no_cache: NoCacheOpt = False,
) -> None:
    """Print the page texts of PDF as the annotating client sees them (offsets in UTF-16)."""
    from tether.textmodel.load import PdfError, load_text

    if pdf.is_dir():  # load_text would say "PDF not found" of a folder that is right there
        raise _fail(f"{pdf}: is a folder; tether text takes one PDF")
    try:
        doc = load_text(pdf, model=model, password=password, with_boxes=False,
                        limits=_limits(max_pages, max_seconds), cache=_cache(no_cache))
    except PdfError as exc:
        raise _fail(str(exc)) from None
    from tether.check import no_text_reason

    why = no_text_reason(doc)  # as check decides it
    if why:  # on stderr: stdout stays the (empty) texts; blank pages alone did not say why
        err.print(f"note: {pdf}: {why}", markup=False, highlight=False, soft_wrap=True)
    if as_json:
        _print_json({
            "model": doc.model, "fingerprint": doc.fingerprint, "offset_unit": "utf-16",
            "pages": [{"index": p.index, "offset": p.start_utf16, "text": p.text}
                      for p in doc.pages],
        })
        return
    out = OutputConsole(highlight=False)
    for p in doc.pages:
        out.rule(f"page {p.index + 1} · offset {p.start_utf16} (UTF-16) · model {doc.model}")
        # Verbatim: offsets index into this text, so no line breaks at the console width (which
        # also ate the spaces where it broke) and no ":name:" emoji codes turned into emoji.
        out.print(p.text, markup=False, emoji=False, soft_wrap=True)


@app.command()
def check(
    paths: PathsArg,
    pdf: PdfOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the tether.report/1 JSON.")]
    = False,
    model: ModelOpt = "pdfjs-2.11",
    unit: UnitOpt = None,
    password: PasswordOpt = None,
    max_pages: MaxPagesOpt = _DEFAULT_MAX_PAGES,
    max_seconds: MaxSecondsOpt = _DEFAULT_MAX_SECONDS,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 1,
    jsonl: JsonlOpt = None,
    resume: ResumeOpt = None,
    executor: ExecutorOpt = "local",
    scheduler: SchedulerOpt = None,
) -> None:
    """Resolve every annotation: anchored, drifted, fuzzy, ambiguous, orphaned or invalid.

    Exit code: 0 every annotation anchored; 1 some are not; 2 a usage or input error (the
    other files are still checked); 3 a bug.
    """
    from tether.batch import Settings, run_command

    settings = Settings("check", model=model, unit=unit.value if unit else None,
                        password=password, max_pages=max_pages or None,
                        max_seconds=max_seconds or None, use_cache=not no_cache)
    raise typer.Exit(run_command(settings, paths, err=err, pdf=pdf, jobs=jobs,
                                 executor=executor, scheduler=scheduler, jsonl=jsonl,
                                 resume=resume, as_json=as_json))


@app.command()
def repair(
    paths: PathsArg,
    pdf: PdfOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show a unified diff; write nothing.")]
    = False,
    min_score: Annotated[float, typer.Option(
        "--min-score", min=0.0, max=1.0, metavar="SCORE",
        help="Least score to rewrite a fuzzy annotation.")]
    = 0.8,
    no_backup: Annotated[bool, typer.Option("--no-backup", help="Keep no .bak copy.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print what changed as JSON.")] = False,
    model: ModelOpt = "pdfjs-2.11",
    unit: UnitOpt = None,
    password: PasswordOpt = None,
    max_pages: MaxPagesOpt = _DEFAULT_MAX_PAGES,
    max_seconds: MaxSecondsOpt = _DEFAULT_MAX_SECONDS,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 1,
    jsonl: JsonlOpt = None,
    resume: ResumeOpt = None,
    executor: ExecutorOpt = "local",
    scheduler: SchedulerOpt = None,
) -> None:
    """Rewrite drifted (and good fuzzy) annotations' offsets and quotes in place, atomically.

    Ambiguous, orphaned and invalid annotations are never touched. In an Obsidian note a
    rewritten annotation's documentFingerprint becomes the PDF's (the others keep theirs);
    Hypothesis / W3C files keep their uri, urn:x-pdf: links and sources. A second run says
    "nothing to change". Exit code: 0 nothing left unrepaired; 1 some annotations were left
    alone (listed); 2 a usage or input error; 3 a bug.
    """
    from tether.batch import Settings, run_command

    settings = Settings("repair", model=model, unit=unit.value if unit else None,
                        password=password, max_pages=max_pages or None,
                        max_seconds=max_seconds or None, use_cache=not no_cache,
                        min_score=min_score, write=not dry_run, dry_run=dry_run,
                        backup=not no_backup)
    raise typer.Exit(run_command(settings, paths, err=err, pdf=pdf, jobs=jobs,
                                 executor=executor, scheduler=scheduler, jsonl=jsonl,
                                 resume=resume, as_json=as_json))


@app.command()
def migrate(
    old_pdf: Annotated[Path, typer.Argument(
        metavar="OLD.pdf", help="The version the annotations were made on.", show_default=False)],
    new_pdf: Annotated[Path, typer.Argument(
        metavar="NEW.pdf", help="The new version.", show_default=False)],
    paths: PathsArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print the tether.report/1 JSON.")]
    = False,
    write: Annotated[bool, typer.Option(
        "--write", help="Rewrite the files' selectors for NEW, as `repair` does.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show the unified diff --write would apply; write nothing.")] = False,
    min_score: Annotated[float, typer.Option(
        "--min-score", min=0.0, max=1.0, metavar="SCORE",
        help="Least score to rewrite a fuzzy annotation.")]
    = 0.8,
    no_backup: Annotated[bool, typer.Option("--no-backup", help="Keep no .bak copy.")] = False,
    model: ModelOpt = "pdfjs-2.11",
    unit: UnitOpt = None,
    password: PasswordOpt = None,
    max_pages: MaxPagesOpt = _DEFAULT_MAX_PAGES,
    max_seconds: MaxSecondsOpt = _DEFAULT_MAX_SECONDS,
    jobs: JobsOpt = 1,
    jsonl: JsonlOpt = None,
    resume: ResumeOpt = None,
    executor: ExecutorOpt = "local",
    scheduler: SchedulerOpt = None,
) -> None:
    """Carry annotations made on OLD.pdf over to NEW.pdf, aligning the two versions' texts.

    Prints a report as check does and writes nothing unless --write. Exit code: as check's
    (with --write or --dry-run: as repair's).
    """
    from tether.batch import Settings, run_command

    settings = Settings("migrate", model=model, unit=unit.value if unit else None,
                        password=password, max_pages=max_pages or None,
                        max_seconds=max_seconds or None, use_cache=False, min_score=min_score,
                        write=write and not dry_run, dry_run=dry_run, backup=not no_backup,
                        old_pdf=str(old_pdf.resolve()), new_pdf=str(new_pdf.resolve()))
    raise typer.Exit(run_command(settings, paths, err=err, jobs=jobs, executor=executor,
                                 scheduler=scheduler, jsonl=jsonl, resume=resume,
                                 as_json=as_json))


# --- report / export-pdf: their own module (tether.cli_report) ---------------------------
from tether.cli_report import register as _register_report  # noqa: E402

_register_report(app)


@app.callback(invoke_without_command=True)
def _root(version: Annotated[bool, typer.Option("--version", help="Show the version.")]
          = False) -> None:
    if version:
        from tether.resolve.implementation import describe as resolver
        from tether.textmodel.pdfjs211 import MODEL_NAME
        from tether.textmodel.pdfjs211.implementation import describe

        typer.echo(f"tether {__version__} (text model {MODEL_NAME}: {describe()}; "
                   f"resolver: {resolver()})")
        raise typer.Exit(0)


def _caused_by_ctrl_c(exc: BaseException) -> bool:
    """Whether ``exc`` was raised while handling a KeyboardInterrupt (typer turns one into
    ``Exit(130)``; the batch commands print their own line and exit 130 without one)."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def main() -> None:
    """Console-script entry point: no traceback reaches a user unless TETHER_DEBUG is set."""
    # Text from people's files may hold lone surrogates (a note's undecodable bytes, a JSON
    # "\udc65" escape): write them as \uXXXX escapes (valid in JSON) instead of failing.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    from tether.textmodel.pymupdf_lean import import_pymupdf_lean

    import_pymupdf_lean()  # seconds of start-up saved (PyMuPDF's layout add-ons)
    try:
        app(standalone_mode=True)
    except SystemExit as stop:
        if stop.code == EXIT_FOUND and stdout_pipe_closed():
            sys.exit(EXIT_BROKEN_PIPE)
        if stop.code == EXIT_INTERRUPTED and _caused_by_ctrl_c(stop):
            err.print("interrupted", highlight=False)  # typer exits 130 without a word
        raise
    except KeyboardInterrupt:
        err.print("interrupted", highlight=False)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # a bug, not a user error: say so briefly
        if os.environ.get("TETHER_DEBUG"):
            raise
        err.print(f"[red]internal error:[/red] {escape(f'{type(exc).__name__}: {exc}')} "
                  "(set TETHER_DEBUG=1 for the traceback)", highlight=False, soft_wrap=True)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
