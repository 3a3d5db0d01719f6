"""The machine-readable report (``tether check --json``): schema ``tether.report/1``.

Contract (other tools depend on it; keys may be added, never removed or renamed)::

    {"schema": "tether.report/1", "documents": [{"pdf", "fingerprint", "model",
      "annotations": [{"id", "source", "status", "method", "score", "stored": {...},
                       "resolved": {...} | null, "rivals": [...], "reason"}],
      "summary": {status: count}, "wrong_pdf_hint": str | null}]}

``stored_fingerprints``: the distinct ``documentFingerprint`` values the annotations store;
``stored_fingerprint_counts``: how many annotations store each (several after a partial
``repair``, which gives rewritten Obsidian annotations the checked PDF's); ``pdf_changed``: the
checked PDF's ``fingerprint`` is none of them (None: nothing stored, or no PDF read).

``wrong_pdf_hint``: set when not one of a document's annotations (two or more) was found
although its PDF has text — most often the notes were checked against the wrong PDF
(:func:`wrong_pdf_hint`); ``check``'s table prints the same line.

``resolved.start/end`` are offsets in the checked PDF's text model in the unit of the source
format (UTF-16 for Obsidian and Hypothesis, code points for W3C), i.e. what a repaired
TextPositionSelector would hold; ``page`` is 0-based.
"""

from __future__ import annotations

from typing import Any

from tether.check import NO_PAGES, NO_TEXT_LAYER, AnnotationResult, CheckRun, DocumentCheck
from tether.resolve import Status

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
    d = {
        "pdf": str(doc.pdf) if doc.pdf else None,
        "fingerprint": doc.fingerprint,
        "stored_fingerprints": doc.stored_fingerprints,
        "stored_fingerprint_counts": doc.stored_fingerprint_counts,
        "pdf_changed": doc.pdf_changed,
        "model": doc.model,
        "sources": [str(f.path) for f in doc.files],
        "error": doc.error,
        "annotations_in_files": sum(len(f.annotations) for f in doc.files),
        "annotations": [annotation_dict(r) for r in doc.results],
        "page_notes": [{"id": r.resolution.id, "source": r.source} for r in doc.page_notes],
        "summary": doc.summary,
    }
    d["wrong_pdf_hint"] = wrong_pdf_hint(d)
    return d


def wrong_pdf_hint(doc: dict[str, Any]) -> str | None:
    """A line for a document where not one of several annotations was found, though its PDF
    has text: the commonest cause is checking a note against the wrong PDF, which 150 rows of
    ``orphaned`` do not say."""
    anns = doc["annotations"]
    refused = (Status.ORPHANED.value, Status.INVALID.value)
    if len(anns) < 2 or any(a["status"] not in refused for a in anns):
        return None
    # Searched for and not found (not a PDF without text, whose reason says so; not selectors
    # too broken to search for, whose reasons say what is wrong with them).
    if not any(a["status"] == Status.ORPHANED.value and a["reason"] not in (NO_TEXT_LAYER, NO_PAGES)
               for a in anns):
        return None
    return (f"none of its {len(anns)} annotations was found in this PDF's text: is it the PDF "
            "they were made on, or a version of it?")


def report_dict(run: CheckRun) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "documents": [document_dict(d) for d in run.documents],
        "errors": [{"path": e.path, "message": e.message} for e in run.errors],
        "exit_code": run.exit_code,
    }
