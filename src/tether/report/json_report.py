"""The machine-readable report (``tether check --json``): schema ``tether.report/1``.

Contract (other tools depend on it; keys may be added, never removed or renamed)::

    {"schema": "tether.report/1", "documents": [{"pdf", "fingerprint", "model",
      "annotations": [{"id", "source", "status", "method", "score", "stored": {...},
                       "resolved": {...} | null, "rivals": [...], "reason"}],
      "summary": {status: count}}]}

``resolved.start/end`` are offsets in the checked PDF's text model in the unit of the source
format (UTF-16 for Obsidian and Hypothesis, code points for W3C), i.e. what a repaired
TextPositionSelector would hold; ``page`` is 0-based.
"""

from __future__ import annotations

from typing import Any

from tether.check import AnnotationResult, CheckRun, DocumentCheck

SCHEMA = "tether.report/1"


def annotation_dict(r: AnnotationResult) -> dict[str, Any]:
    d = r.resolution.to_dict()
    out: dict[str, Any] = {"id": d.pop("id"), "source": r.source}
    out.update(d)
    out["unit"] = r.resolution.stored_unit.value
    if r.resolution.edit_distance is not None:
        out["edit_distance"] = r.resolution.edit_distance
    return out


def document_dict(doc: DocumentCheck) -> dict[str, Any]:
    return {
        "pdf": str(doc.pdf) if doc.pdf else None,
        "fingerprint": doc.fingerprint,
        "stored_fingerprints": doc.stored_fingerprints,
        "pdf_changed": doc.pdf_changed,
        "model": doc.model,
        "sources": [str(f.path) for f in doc.files],
        "error": doc.error,
        "annotations_in_files": sum(len(f.annotations) for f in doc.files),
        "annotations": [annotation_dict(r) for r in doc.results],
        "page_notes": [{"id": r.resolution.id, "source": r.source} for r in doc.page_notes],
        "summary": doc.summary,
    }


def report_dict(run: CheckRun) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "documents": [document_dict(d) for d in run.documents],
        "errors": [{"path": e.path, "message": e.message} for e in run.errors],
        "exit_code": run.exit_code,
    }
