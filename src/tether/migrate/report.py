"""Reports for ``tether migrate``: the ``tether.report/1`` JSON with migrate's keys, and a table.

JSON: exactly ``check``'s report (:func:`tether.report.json_report.report_dict`) with keys
added, never changed — per annotation ``evidence`` ("alignment" | "cascade" | null),
``old_position`` ("confirmed" or why not), ``kept`` (0..1 | null), ``moved`` (bool) and
``changes`` ([{"op": "delete" | "insert", "text"}], what changed inside the passage); per
document ``old_pdf``, ``old_fingerprint``, ``old_matches_stored`` and ``alignment`` (the
alignment's statistics, :meth:`~tether.migrate.alignment.AlignStats.to_dict`); at the top
``"command": "migrate"``.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from tether.migrate.alignment import AlignStats
from tether.migrate.workflow import MigratedResult, MigrationRun
from tether.report.json_report import report_dict
from tether.report.table import annotation_cells, print_rows
from tether.resolve import Status

#: ``migrate``'s table: ``check``'s columns with the evidence that placed each annotation.
MIGRATE_COLUMNS = ("id", "status", "evidence", "page", "stored → resolved (UTF-16)", "score",
                   "quote / reason")


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


def alignment_line(stats: AlignStats | dict[str, Any]) -> str:
    """One line for people: how much of OLD the alignment kept, and whether the time guard
    gave anything up (``stats``: the statistics or their :meth:`AlignStats.to_dict`)."""
    s = stats.to_dict() if isinstance(stats, AlignStats) else stats
    kept = s["kept_chars"] / s["old_chars"] if s["old_chars"] else 0.0
    line = (f"aligned OLD ({s['old_chars']} characters) with NEW ({s['new_chars']}) in "
            f"{s['seconds']:.2f} s: {kept:.0%} of OLD's text kept")
    if not s["complete"]:
        line += (f"; time guard: {s['regions_skipped']} changed region(s) and "
                 f"{s['token_given_up']} stretch(es) left unaligned (their annotations go to "
                 "the cascade)")
    return line


def render_migration(console: Console, run: MigrationRun | dict[str, Any]) -> None:
    """A table per document (with the evidence column) and a summary line (``run``: a
    migration or its report, :func:`migration_report_dict`)."""
    report = migration_report_dict(run) if isinstance(run, MigrationRun) else run
    for doc in report["documents"]:
        # Soft-wrapped: folded at rich's 80 columns in a pipe, a path would be cut in two.
        console.print(Text(f"{doc['old_pdf']} → {doc['pdf']}", style="bold"), soft_wrap=True)
        if doc["error"]:
            n = doc["annotations_in_files"] or 0
            line = (f"{n} annotation(s) not migrated: {doc['error']}" if n
                    else f"no annotations; {doc['error']}")
            console.print(Text(f"  {line}", style="red"), soft_wrap=True)
            continue
        console.print(f"  model {doc['model']}; {_old_line(doc)}", markup=False, soft_wrap=True)
        if doc["alignment"] is not None:
            console.print(f"  {alignment_line(doc['alignment'])}", markup=False, soft_wrap=True)
        rows = []
        for a in doc["annotations"]:
            ident, status, page, moved, score, _ = annotation_cells(a)
            quote = (a["resolved"] or {}).get("exact") or a["stored"]["exact"] or ""
            detail = a["reason"] if a["status"] != Status.ANCHORED.value and a["reason"] \
                else _short(quote)
            evidence = ((a.get("evidence") or "") + (" (moved)" if a.get("moved") else "")
                        if "evidence" in a else "")
            rows.append((ident, status, evidence, page, moved, score, _short(detail, 90)))
        print_rows(console, rows, MIGRATE_COLUMNS)
        counts = ", ".join(f"{n} {s}" for s, n in doc["summary"].items() if n)
        by: dict[str, int] = {}
        for a in doc["annotations"]:
            if a.get("evidence"):
                by[a["evidence"]] = by.get(a["evidence"], 0) + 1
        placed = "; decided by " + ", ".join(f"{k} {v}" for k, v in by.items()) if by else ""
        notes = (f"; {len(doc['page_notes'])} page notes (nothing to anchor)"
                 if doc["page_notes"] else "")
        console.print(f"  {counts or 'no annotations'}{placed}{notes}\n", markup=False,
                      soft_wrap=True)
    failed = sum(1 for d in report["documents"] if d["error"]) + len(report["errors"])
    if failed:
        console.print(Text(f"{failed} input error(s)", style="bold red"))


def _old_line(doc: dict[str, Any]) -> str:
    match = doc["old_matches_stored"]
    if match is None:
        return "no stored documentFingerprint to compare with OLD"
    if match:
        return f"OLD is the annotated PDF (/ID[0] {doc['old_fingerprint']})"
    return (f"OLD's /ID[0] {doc['old_fingerprint']} is not the stored documentFingerprint: "
            "were the annotations made on OLD? (positions that do not hold their quote in OLD "
            "go to the cascade)")
