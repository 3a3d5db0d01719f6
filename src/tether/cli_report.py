"""``tether report`` and ``tether export-pdf``: the commands that show a check to people.

Registered on :data:`tether.cli.app` by :func:`register`. Thin layer over
:mod:`tether.report.visual`, :mod:`tether.report.html` and :mod:`tether.report.pdf_export`;
heavy imports happen inside the commands (start-up time).

Exit codes: ``report`` exits as ``tether check`` would for the same inputs (0 all anchored, 1
something else found, 2 an input error) once the file is written; ``export-pdf`` exits 0 when
every annotation became a highlight, 1 when some were not placed (ambiguous, orphaned,
invalid), 2 for a user error (nothing written when the PDF or the output is the problem).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated

import typer

from tether.cli_options import (
    MaxPagesOpt,
    MaxSecondsOpt,
    ModelOpt,
    NoCacheUnusedOpt,
    PasswordOpt,
    PathsArg,
    UnitOpt,
)
from tether.cli_output import OutputConsole, error_console, print_error
from tether.offsets import OffsetUnit

err = error_console()
EXIT_INPUT = 2


def _fail(message: str) -> typer.Exit:
    print_error(err, message)
    return typer.Exit(EXIT_INPUT)


def _check_output(path: Path, option: str) -> None:
    """Refuse, before any work, an output that cannot be a file: a folder, a missing folder."""
    if path.is_dir():
        raise _fail(f"{path}: is a folder; {option} needs a file name")
    if not path.parent.is_dir():
        raise _fail(f"{path}: the folder {path.parent} does not exist")


def _run_check(paths: list[Path], pdf: Path | None, model: str, unit: OffsetUnit | None,
               password: str | None, max_pages: int, max_seconds: float):
    from tether.check import check_paths
    from tether.textmodel.load import ExtractionLimits

    limits = ExtractionLimits(max_pages=max_pages or None, max_seconds=max_seconds or None)
    # With boxes: the pictures' highlights need them, and one extraction beats a cached
    # text plus a second extraction (boxed texts are not cached: no cache here, whatever
    # --no-cache says).
    run = check_paths(paths, pdf=pdf, model=model, unit=unit, password=password,
                      limits=limits, cache=None, with_boxes=True)
    return run, limits


def _print_errors(run) -> list[str]:
    errors = [d.error for d in run.documents if d.error] + [e.message for e in run.errors]
    for message in errors:
        print_error(err, message)
    return errors


def _inputs(paths: list[Path], run) -> list[Path]:
    """Files an output must never replace: the named paths, the notes read, the PDFs."""
    files = [p for p in paths if not p.is_dir()]
    files += [Path(f.path) for d in run.documents for f in d.files if f.path]
    return files + [d.pdf for d in run.documents if d.pdf is not None]


def report(
    paths: PathsArg,
    html_out: Annotated[Path, typer.Option(
        "--html", metavar="FILE",
        help="Write the report to this HTML file (self-contained; opens from disk).",
        show_default=False)],
    pdf: Annotated[Path | None, typer.Option(  # noqa: UP007
        "--pdf", metavar="PDF",
        help="Check against this PDF instead of each note's annotation-target.")]
    = None,
    dpi: Annotated[int, typer.Option(
        "--dpi", min=20, max=300, metavar="DPI", help="Resolution of the page pictures.")] = 80,
    image_format: Annotated[str, typer.Option(
        "--image-format", metavar="jpeg|png",
        help="Page pictures as jpeg (smaller) or png (sharper).")] = "jpeg",
    no_pictures: Annotated[bool, typer.Option(
        "--no-pictures", help="Tables only: render no page pictures.")] = False,
    model: ModelOpt = "pdfjs-2.11",
    unit: UnitOpt = None,
    password: PasswordOpt = None,
    max_pages: MaxPagesOpt = 5000,
    max_seconds: MaxSecondsOpt = 600.0,
    no_cache: NoCacheUnusedOpt = False,
) -> None:
    """Write an HTML report: counts, a table of annotations, page pictures with boxes.

    Exit code: as check's, once the file is written.
    """
    if image_format not in ("jpeg", "png"):
        raise _fail(f"--image-format {image_format!r}: use jpeg or png")
    _check_output(html_out, "--html")
    from tether.repair.atomic import AtomicWriteError, atomic_write
    from tether.report.html import render_html
    from tether.report.pdf_export import ExportError, refuse_overwrite
    from tether.report.visual import build_visuals

    del no_cache  # accepted, not used (NoCacheUnusedOpt)
    run, limits = _run_check(paths, pdf, model, unit, password, max_pages, max_seconds)
    if not run.documents:  # every input failed (a typo'd vault path): no page of nothing
        _print_errors(run)
        err.print(f"nothing to report: {html_out} not written", markup=False, highlight=False,
                  soft_wrap=True)
        raise typer.Exit(run.exit_code or EXIT_INPUT)
    try:
        refuse_overwrite(html_out, _inputs(paths, run))
    except ExportError as exc:
        raise _fail(str(exc)) from None
    visuals = build_visuals(run, password=password, limits=limits, dpi=dpi, fmt=image_format,
                            pictures=not no_pictures)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")  # noqa: UP017 (py3.10)
    text = render_html(run, visuals, generated=when)
    try:
        atomic_write(html_out, text.encode("utf-8"))
    except AtomicWriteError as exc:
        raise _fail(str(exc)) from None
    n = sum(len(d.results) for d in run.documents)
    # a note whose PDF is missing is in the report as an error: "0 annotation(s)" alone hid them
    unchecked = sum(len(f.annotations) for d in run.documents if d.error for f in d.files)
    not_checked = f" checked, {unchecked} not checked (errors below)" if unchecked else ""
    pages = sum(len(v.images) for v in visuals)
    OutputConsole(highlight=False).print(
        f"wrote {html_out}: {len(run.documents)} document(s), {n} annotation(s){not_checked}, "
        f"{pages} page picture(s), {len(text.encode('utf-8')) / 1e6:.1f} MB", markup=False,
        soft_wrap=True)
    _print_errors(run)
    raise typer.Exit(run.exit_code)


def export_pdf(
    paths: PathsArg,
    pdf: Annotated[Path, typer.Option(
        "--pdf", metavar="PDF",
        help="The PDF to copy with the highlights (the notes are checked against it).",
        show_default=False)],
    output: Annotated[Path, typer.Option(
        "-o", "--output", metavar="FILE", help="Write the copy here (never the input PDF).",
        show_default=False)],
    model: ModelOpt = "pdfjs-2.11",
    unit: UnitOpt = None,
    password: PasswordOpt = None,
    max_pages: MaxPagesOpt = 5000,
    max_seconds: MaxSecondsOpt = 600.0,
    no_cache: NoCacheUnusedOpt = False,
) -> None:
    """Copy PDF with a highlight annotation over each anchored, drifted and fuzzy annotation.

    Exit code: 0 every annotation exported; 1 some were not (listed); 2 a usage or input
    error; 3 a bug.
    """
    from tether.report.pdf_export import ExportError, export_document, refuse_overwrite
    from tether.report.visual import load_boxed_text

    try:  # before any work: a typo must not cost a whole check
        refuse_overwrite(output, [pdf, *(p for p in paths if not p.is_dir())])
    except ExportError as exc:
        raise _fail(str(exc)) from None
    _check_output(output, "-o")
    del no_cache  # accepted, not used (NoCacheUnusedOpt)
    run, limits = _run_check(paths, pdf, model, unit, password, max_pages, max_seconds)
    errors = _print_errors(run)
    docs = [d for d in run.documents if not d.error and d.text is not None]
    if not docs:
        if not errors:
            print_error(err, "no annotations to export")
        raise typer.Exit(EXIT_INPUT)
    # With --pdf every file is checked against the one PDF: one document.
    doc = docs[0]
    from tether.report.visual import document_highlights

    boxed = load_boxed_text(doc, password=password, limits=limits)
    if isinstance(boxed, str):
        raise _fail(boxed)
    vis = document_highlights(doc, boxed)
    if vis.note:
        raise _fail(f"{doc.pdf}: {vis.note}")
    try:
        outcome = export_document(doc, vis.highlights, output, password=password)
    except ExportError as exc:
        raise _fail(str(exc)) from None
    out = OutputConsole(highlight=False)
    out.print(f"wrote {output}: {outcome.annots} highlight(s) for {len(outcome.exported)} "
              f"annotation(s); {len(outcome.skipped)} not exported", markup=False, soft_wrap=True)
    for ann_id, why in outcome.skipped.items():
        out.print(f"  not exported {ann_id}: {why}", markup=False, soft_wrap=True)
    from tether.report.json_report import document_dict, wrong_pdf_hint

    hint = wrong_pdf_hint(document_dict(doc))  # 37 "not exported" lines hide the likely cause
    if hint:
        out.print(f"{doc.pdf}: {hint}", markup=False, soft_wrap=True)
    if errors:
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(1 if outcome.skipped else 0)


def register(app: typer.Typer) -> None:
    """Add ``report`` and ``export-pdf`` to ``app``."""
    app.command("report")(report)
    app.command("export-pdf")(export_pdf)
