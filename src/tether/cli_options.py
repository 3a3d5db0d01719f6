"""The command-line options several tether commands share (typer ``Annotated`` aliases).

One definition each, so ``check``, ``repair``, ``migrate``, ``report`` and ``export-pdf`` spell
and explain an option the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tether.offsets import OffsetUnit

PathsArg = Annotated[list[Path], typer.Argument(
    metavar="NOTE|FOLDER|JSON",
    help="Obsidian Annotator notes, Hypothesis / W3C JSON files, or folders of notes.",
    show_default=False)]
PdfOpt = Annotated[Path | None, typer.Option(  # noqa: UP007 (typer needs Optional)
    "--pdf", metavar="PDF",
    help="Check against this PDF instead of each note's annotation-target.")]


def _known_model(name: str) -> str:
    """``--model``: refused before any work (was: every document "not checked", and an HTML
    report of nothing written). The default is known without importing the text model."""
    if name != "pdfjs-2.11":
        from tether.textmodel.load import MODELS

        if name not in MODELS:
            raise typer.BadParameter(f"unknown text model {name!r} (known: {', '.join(MODELS)})")
    return name


ModelOpt = Annotated[str, typer.Option(
    "--model", metavar="NAME", callback=_known_model,
    help="Text model: the coordinate system of the annotating client.")]
UnitOpt = Annotated[OffsetUnit | None, typer.Option(  # noqa: UP007
    "--unit", metavar="utf-16|code-point",
    help="Override the offset unit of the files (default: the format's own).")]
PasswordOpt = Annotated[str | None, typer.Option(  # noqa: UP007
    "--password", metavar="PASSWORD", help="Password of an encrypted PDF.")]
MaxPagesOpt = Annotated[int, typer.Option(
    "--max-pages", min=0, metavar="N",
    help="Refuse a PDF with more pages than this (0: no limit).")]
MaxSecondsOpt = Annotated[float, typer.Option(
    "--max-seconds", min=0.0, metavar="SECONDS",
    help="Stop reading a PDF's text after this many seconds "
    "(0: no limit).")]
NoCacheOpt = Annotated[bool, typer.Option(
    "--no-cache", help="Extract the PDF's text again instead of reusing the text cached for "
    "the same PDF bytes (cache folder: $TETHER_CACHE_DIR, else $XDG_CACHE_HOME/tether or "
    "~/.cache/tether).")]
#: ``report`` and ``export-pdf`` draw highlights, so they extract each character's box, which
#: the cache does not keep: they always extract afresh. The option is accepted (scripts pass
#: the same options to every command) but not offered in their help, where it would promise
#: a cache these commands never read.
NoCacheUnusedOpt = Annotated[bool, typer.Option("--no-cache", hidden=True)]
JobsOpt = Annotated[int, typer.Option(
    "--jobs", "-j", min=1, metavar="N",
    help="Documents processed in parallel (worker processes; 1: in this "
    "process).")]
JsonlOpt = Annotated[str | None, typer.Option(  # noqa: UP007
    "--jsonl", metavar="PATH", help="Write one JSON line per document as each finishes "
    "('-': standard output).")]
ResumeOpt = Annotated[str | None, typer.Option(  # noqa: UP007
    "--resume", metavar="PATH", help="Skip the documents a previous --jsonl file reports "
    "(unchanged notes, same settings); new lines are appended to it unless --jsonl is given.")]
ExecutorOpt = Annotated[str, typer.Option(
    "--executor", metavar="local|dask",
    help="local (a process pool of --jobs workers) or dask (a Dask cluster; "
    "needs the 'dask' extra of tether).")]
SchedulerOpt = Annotated[str | None, typer.Option(  # noqa: UP007
    "--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a local cluster "
    "of --jobs worker processes).")]
