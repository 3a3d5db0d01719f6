"""The final reports of a batch run, assembled from the per-document outcomes (plain dicts).

Same shapes and exit codes as the in-process commands: ``tether.report/1`` for ``check`` and
``migrate`` (:mod:`tether.report.json_report`, :mod:`tether.migrate.report`) and
``tether.repair/1`` for the files a repair wrote. A document whose worker hit a bug carries
the message as its ``error`` and makes the exit code 3 (the other documents are reported as
usual).
"""

from __future__ import annotations

from typing import Any

from tether.batch.document import DocumentOutcome
from tether.batch.run import BatchRun
from tether.report.json_report import SCHEMA as REPORT_SCHEMA
from tether.report.json_report import wrong_pdf_hint
from tether.resolve import Status

REPAIR_SCHEMA = "tether.repair/1"
EXIT_OK, EXIT_FOUND, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _document(o: DocumentOutcome) -> dict[str, Any]:
    if not o.internal_error:
        return o.document
    d = dict(o.document)
    d["error"] = (f"internal error (a bug; TETHER_DEBUG=1 shows the traceback): "
                  f"{o.internal_error}")
    return d


def documents(batch: BatchRun) -> list[dict[str, Any]]:
    """The report's documents, in order (``migrate``: merged into NEW's one document)."""
    docs = [_document(o) for o in batch.outcomes]
    return merge_migrated(docs) if batch.settings.command == "migrate" else docs


def check_exit_code(docs: list[dict[str, Any]], batch: BatchRun) -> int:
    """As :attr:`tether.check.CheckRun.exit_code`, plus 3 for a document a bug stopped."""
    if any(o.internal_error for o in batch.outcomes):
        return EXIT_INTERNAL
    if batch.errors or any(d["error"] for d in docs):
        return EXIT_INPUT
    anchored = all(a["status"] == Status.ANCHORED.value for d in docs for a in d["annotations"])
    return EXIT_OK if anchored else EXIT_FOUND


def report(batch: BatchRun) -> dict[str, Any]:
    """The ``tether.report/1`` dict (``migrate``: with migrate's keys)."""
    docs = documents(batch)
    out: dict[str, Any] = {
        "schema": REPORT_SCHEMA, "documents": docs,
        "errors": [{"path": e.path, "message": e.message} for e in batch.errors],
        "exit_code": check_exit_code(docs, batch),
    }
    if batch.settings.command == "migrate":
        out["command"] = "migrate"
    return out


def file_outcomes(batch: BatchRun) -> list[dict[str, Any]]:
    """Every file a repair planned, in document order (with its ``diff``)."""
    return [f for o in batch.outcomes for f in o.files]


def error_messages(batch: BatchRun, docs: list[dict[str, Any]]) -> list[str]:
    """Every error message, in the order the in-process commands print them."""
    return ([d["error"] for d in docs if d["error"]] + [e.message for e in batch.errors]
            + [_named(f["path"], f["error"]) for f in file_outcomes(batch) if f["error"]])


def _named(path: str, message: str) -> str:
    """``message`` led by ``path`` once (write errors mostly name their file already)."""
    return message if message.startswith(f"{path}: ") else f"{path}: {message}"


def repair_report(batch: BatchRun, *, with_diff: bool) -> dict[str, Any]:
    """The ``tether.repair/1`` dict (``with_diff``: keep each file's diff, as migrate does)."""
    files = [f if with_diff else {k: v for k, v in f.items() if k != "diff"}
             for f in file_outcomes(batch)]
    return {"schema": REPAIR_SCHEMA, "dry_run": batch.settings.dry_run, "files": files}


def repair_exit_code(batch: BatchRun, docs: list[dict[str, Any]]) -> int:
    """0 every file done; 1 some annotations left alone; 2 an error; 3 a bug."""
    if any(o.internal_error for o in batch.outcomes):
        return EXIT_INTERNAL
    if error_messages(batch, docs):
        return EXIT_INPUT
    left = any(f["left"] or f["refused"] for f in file_outcomes(batch))
    return EXIT_FOUND if left else EXIT_OK


def merge_migrated(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Migrate's per-file documents (all about NEW) as the one document ``migrate_paths``
    reports: annotations, page notes and sources in file order, summaries added, stored
    fingerprints united (and what depends on them recomputed)."""
    if not docs:
        return []
    merged = dict(docs[0])
    for key in ("sources", "annotations", "page_notes"):
        merged[key] = [x for d in docs for x in d[key]]
    merged["annotations_in_files"] = sum(d["annotations_in_files"] for d in docs)
    merged["summary"] = {s: sum(d["summary"][s] for d in docs) for s in docs[0]["summary"]}
    merged["wrong_pdf_hint"] = wrong_pdf_hint(merged)  # about all the files, not the first
    stored = sorted({s for d in docs for s in d["stored_fingerprints"]})
    merged["stored_fingerprints"] = stored
    counts: dict[str, int] = {}
    for d in docs:
        for value, n in d.get("stored_fingerprint_counts", {}).items():
            counts[value] = counts.get(value, 0) + n
    merged["stored_fingerprint_counts"] = dict(sorted(counts.items()))
    for key in ("fingerprint", "old_fingerprint", "alignment", "error"):
        merged[key] = next((d[key] for d in docs if d.get(key) is not None), None)
    lowered = {s.lower() for s in stored}
    fp, old_fp = merged["fingerprint"], merged.get("old_fingerprint")
    merged["pdf_changed"] = None if not stored or fp is None else fp.lower() not in lowered
    if "old_matches_stored" in merged:
        merged["old_matches_stored"] = (None if old_fp is None or not stored
                                        else old_fp.lower() in lowered)
    return [merged]
