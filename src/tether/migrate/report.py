"""Reports for ``tether migrate``: the ``tether.report/1`` JSON with migrate's keys, and a table.

JSON: exactly ``check``'s report (:func:`tether.report.json_report.report_dict`) with keys
added, never changed — per annotation ``evidence`` ("alignment" | "cascade" | null),
``old_position`` ("confirmed" or why not), ``kept`` (0..1 | null), ``moved`` (bool) and
``changes`` ([{"op": "delete" | "insert", "text"}], what changed inside the passage); per
document ``old_pdf``, ``old_fingerprint``, ``old_matches_stored`` and ``alignment`` (the
alignment's statistics, :meth:`~tether.migrate.align.AlignStats.to_dict`); at the top
``"command": "migrate"``.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tether.migrate.align import AlignStats
from tether.migrate.workflow import MigratedResult, MigrationRun
from tether.offsets import OffsetUnit
from tether.report.json_report import report_dict
from tether.report.table import STATUS_STYLE
from tether.resolve import Status


def _short(text: str | None, width: int = 48) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def migration_report_dict(run: MigrationRun) -> dict[str, Any]:
    """The ``tether.report/1`` JSON of a migration (see the module docstring)."""
    out = report_dict(run)
    out["command"] = "migrate"
    stats = run.migrator.alignment.stats if run.migrator else None
    for doc, d in zip(run.documents, out["documents"], strict=True):
        d["old_pdf"] = str(run.old_pdf) if run.old_pdf else None
        d["old_fingerprint"] = run.old_fingerprint
        d["old_matches_stored"] = run.old_matches_stored
        d["alignment"] = stats.to_dict() if stats else None
        for r, a in zip(doc.results, d["annotations"], strict=True):
            if isinstance(r, MigratedResult):
                a.update(r.evidence.to_dict())
    return out


def alignment_line(stats: AlignStats) -> str:
    """One line for people: how much of OLD the alignment kept, and whether the time guard
    gave anything up."""
    kept = stats.kept_chars / stats.old_chars if stats.old_chars else 0.0
    line = (f"aligned OLD ({stats.old_chars} characters) with NEW ({stats.new_chars}) in "
            f"{stats.seconds:.2f} s: {kept:.0%} of OLD's text kept")
    if not stats.complete:
        line += (f"; time guard: {stats.regions_skipped} changed region(s) and "
                 f"{stats.token_given_up} stretch(es) left unaligned (their annotations go to "
                 "the cascade)")
    return line


def render_migration(console: Console, run: MigrationRun) -> None:
    """A table per document (with the evidence column) and a summary line."""
    for doc in run.documents:
        console.print(Text(f"{run.old_pdf} → {doc.pdf}", style="bold"))
        if doc.error:
            n = sum(len(f.annotations) for f in doc.files)
            console.print(Text(f"  {n} annotation(s) not migrated: {doc.error}", style="red"))
            continue
        console.print(f"  model {doc.model}; {_old_line(run)}")
        if run.migrator is not None:
            console.print(f"  {alignment_line(run.migrator.alignment.stats)}")
        table = Table(show_edge=False, pad_edge=False)
        for col in ("id", "status", "evidence", "page", "stored → resolved (UTF-16)", "score",
                    "quote / reason"):
            table.add_column(col, overflow="fold")
        for r in doc.results:
            res = r.resolution
            ev = r.evidence if isinstance(r, MigratedResult) else None
            pos = res.annotation.position
            span = res.span(res.stored_unit)
            unit = "" if res.stored_unit == OffsetUnit.UTF16 else " cp"
            stored = f"{pos.start}-{pos.end}" if pos else "—"
            moved = f"{stored} → {span[0]}-{span[1]}{unit}" if span else f"{stored} → —"
            quote = res.exact or (res.annotation.quote.exact if res.annotation.quote else "")
            detail = res.reason if res.status != Status.ANCHORED and res.reason else _short(quote)
            evidence = (ev.source or "") + (" (moved)" if ev and ev.moved else "") if ev else ""
            table.add_row(res.id, Text(res.status.value, style=STATUS_STYLE[res.status]),
                          evidence, "" if res.page is None else str(res.page + 1), moved,
                          "" if res.score is None else f"{res.score:.2f}", _short(detail, 90))
        console.print(table)
        counts = ", ".join(f"{n} {s}" for s, n in doc.summary.items() if n)
        by = {}
        for r in doc.results:
            if isinstance(r, MigratedResult) and r.evidence.source:
                by[r.evidence.source] = by.get(r.evidence.source, 0) + 1
        placed = "; decided by " + ", ".join(f"{k} {v}" for k, v in by.items()) if by else ""
        notes = f"; {len(doc.page_notes)} page notes (nothing to anchor)" if doc.page_notes \
            else ""
        console.print(f"  {counts or 'no annotations'}{placed}{notes}\n")
    failed = sum(1 for d in run.documents if d.error) + len(run.errors)
    if failed:
        console.print(Text(f"{failed} input error(s)", style="bold red"))


def _old_line(run: MigrationRun) -> str:
    match = run.old_matches_stored
    if match is None:
        return "no stored documentFingerprint to compare with OLD"
    if match:
        return f"OLD is the annotated PDF (/ID[0] {run.old_fingerprint})"
    return (f"OLD's /ID[0] {run.old_fingerprint} is not the stored documentFingerprint: were "
            "the annotations made on OLD? (positions that do not hold their quote in OLD go to "
            "the cascade)")
