"""``tether export-pdf``: a copy of the PDF with a real highlight annotation per placed annotation.

Each anchored, drifted or fuzzy annotation becomes one ``/Highlight`` annotation per page it
spans, its ``/QuadPoints`` the line rectangles of the resolved characters
(:mod:`tether.report.geometry`, unrotated page space — what ``Page.add_highlight_annot`` takes
whatever the page's ``/Rotate``). The note text (``/Contents``) is the comment, the subject the
tags, the author ``tether``; ``/NM`` is the annotation's id (``id#2``, ``id#3``… for the
following pages of a span). Ambiguous, orphaned and invalid annotations are not exported.

The input PDF is only read. The copy is written whole to a temporary file beside the output and
renamed over it (:func:`tether.repair.atomic.atomic_write`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from tether.check import AnnotationResult, DocumentCheck
from tether.repair.atomic import AtomicWriteError, atomic_write
from tether.report.geometry import PageRects, Rect

AUTHOR = "tether"
#: Highlight colours (RGB 0..1) by status; the same hues as the HTML report, lighter.
COLOURS = {"anchored": (0.55, 0.88, 0.45), "drifted": (0.55, 0.75, 1.0),
           "fuzzy": (1.0, 0.72, 0.35)}


class ExportError(ValueError):
    """The export cannot be made (a user error: same path as the input, unwritable output)."""


@dataclass
class ExportOutcome:
    """What was written: ``exported`` ids (in order), ``skipped`` id → why not, ``annots`` the
    number of PDF annotations added (a span over two pages adds two)."""

    exported: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    annots: int = 0


def part_name(ann_id: str, k: int) -> str:
    """``/NM`` of the ``k``-th (0-based) page part of an annotation."""
    return ann_id if k == 0 else f"{ann_id}#{k + 1}"


def quad_of(r: Rect) -> pymupdf.Quad:
    """The highlight quad of a line rectangle, oriented along its text: a quad's upper edge is
    the glyphs' top, its left edge where reading starts (viewers round the ends of a highlight
    and copy its text in that order)."""
    if r.reading == 1:  # reading down, glyph tops to the right
        return pymupdf.Quad((r.x1, r.y0), (r.x1, r.y1), (r.x0, r.y0), (r.x0, r.y1))
    if r.reading == -1:  # reading up, glyph tops to the left
        return pymupdf.Quad((r.x0, r.y1), (r.x0, r.y0), (r.x1, r.y1), (r.x1, r.y0))
    return pymupdf.Rect(r.x0, r.y0, r.x1, r.y1).quad


def add_highlights(pdf: pymupdf.Document,
                   items: list[tuple[AnnotationResult, list[PageRects]]]) -> ExportOutcome:
    """Add one highlight per page part of each placed item to the open ``pdf``."""
    out = ExportOutcome()
    now = pymupdf.get_pdf_now()
    for result, parts in items:
        res = result.resolution
        if not res.status.is_anchored:
            out.skipped[res.id] = f"{res.status.value}: {res.reason or 'not placed'}"
            continue
        if not parts:
            out.skipped[res.id] = "no visible character to highlight (boxes unavailable)"
            continue
        ann = res.annotation
        for k, part in enumerate(parts):
            page = pdf[part.page]
            quads = [quad_of(r) for r in part.rects]
            annot = page.add_highlight_annot(quads=quads)
            annot.set_colors(stroke=COLOURS[res.status.value])
            annot.set_info(content=ann.comment, title=AUTHOR, subject=", ".join(ann.tags),
                           creationDate=now, modDate=now)
            annot.update()
            pdf.xref_set_key(annot.xref, "NM", pymupdf.get_pdf_str(part_name(res.id, k)))
            out.annots += 1
        out.exported.append(res.id)
    return out


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def refuse_overwrite(out: Path, protected: list[Path]) -> None:
    """Raise :class:`ExportError` when ``out`` is one of the ``protected`` inputs (the PDF,
    the notes): writing there would destroy them."""
    for p in protected:
        if _same_file(out, p):
            raise ExportError(f"{out}: the output would overwrite the input {p}; "
                              "choose another -o path")


def export_document(doc: DocumentCheck, highlights: list[list[PageRects]], out: Path, *,
                    password: str | None = None) -> ExportOutcome:
    """Write ``doc.pdf`` with the highlights of ``doc.results`` to ``out`` (atomically).
    Raises :class:`ExportError` for a refused or failed write (``out`` is then untouched)."""
    assert doc.pdf is not None
    refuse_overwrite(out, [doc.pdf, *(Path(f.path) for f in doc.files if f.path)])
    with pymupdf.open(str(doc.pdf)) as pdf:
        if pdf.needs_pass:
            pdf.authenticate(password or "")
        outcome = add_highlights(pdf, list(zip(doc.results, highlights, strict=True)))
        # Keep any encryption of the input (its password opens the copy too).
        data = pdf.tobytes(garbage=1, deflate=True, encryption=pymupdf.PDF_ENCRYPT_KEEP)
    try:
        atomic_write(out, data)
    except AtomicWriteError as exc:
        raise ExportError(str(exc)) from None
    return outcome
