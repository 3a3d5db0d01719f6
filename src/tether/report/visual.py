"""What the HTML report and the PDF export draw: each resolved span's line rectangles, and the
page pictures (IO at :func:`build_visuals`; :func:`document_highlights` is pure).

The geometry comes from the character boxes of the checked text (``check_paths(...,
with_boxes=True)``, as ``tether report`` and ``tether export-pdf`` run it); a check made without
them costs a second extraction of the same PDF with the same model. If the two texts ever
differed, no box is drawn for that document — a box in the wrong place is worse than none — and
:attr:`DocumentVisuals.note` says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tether.check import CheckRun, DocumentCheck
from tether.report.geometry import PageRects, span_rects
from tether.report.pages import DEFAULT_DPI, PageImage, render_pages
from tether.textmodel.load import DEFAULT_LIMITS, ExtractionLimits, PdfError, load_text
from tether.textmodel.model import DocumentText

#: Why a document gets no boxes although it was checked.
TEXT_MISMATCH = ("the text read with character boxes differs from the checked text, so no "
                 "highlight boxes are drawn for this PDF (a box in the wrong place would "
                 "mislead)")


@dataclass
class DocumentVisuals:
    """For one :class:`~tether.check.DocumentCheck`: ``highlights[i]`` are the rectangles of
    ``doc.results[i]`` (empty when it is not placed); ``images`` the rendered pages by 0-based
    index; ``note`` why boxes or pictures are missing, if they are."""

    highlights: list[list[PageRects]] = field(default_factory=list)
    images: dict[int, PageImage] = field(default_factory=dict)
    note: str | None = None

    def pages(self) -> list[int]:
        """The 0-based pages some highlight touches, in order."""
        return sorted({part.page for parts in self.highlights for part in parts})


def document_highlights(doc: DocumentCheck, boxed: DocumentText) -> DocumentVisuals:
    """Rectangles of every placed (anchored / drifted / fuzzy) result of ``doc``, from
    ``boxed`` — the same PDF's text with character boxes (pure)."""
    if doc.text is None or boxed.text != doc.text.text:
        return DocumentVisuals([[] for _ in doc.results], note=TEXT_MISMATCH)
    highlights: list[list[PageRects]] = []
    for r in doc.results:
        span = r.resolution.span() if r.resolution.status.is_anchored else None
        highlights.append(span_rects(boxed, *span) if span is not None else [])
    return DocumentVisuals(highlights)


def load_boxed_text(doc: DocumentCheck, *, password: str | None = None,
                    limits: ExtractionLimits = DEFAULT_LIMITS) -> DocumentText | str:
    """``doc``'s text with character boxes — the checked text when it has them, else the PDF
    read again with them — or why it could not be read."""
    assert doc.pdf is not None
    if doc.text is not None and doc.text.has_boxes:
        return doc.text
    try:
        return load_text(doc.pdf, model=doc.model, password=password, limits=limits,
                         with_boxes=True)
    except PdfError as exc:
        return str(exc)


def build_visuals(run: CheckRun, *, password: str | None = None,
                  limits: ExtractionLimits = DEFAULT_LIMITS, dpi: int = DEFAULT_DPI,
                  fmt: str = "jpeg", pictures: bool = True) -> list[DocumentVisuals]:
    """One :class:`DocumentVisuals` per document of ``run`` (same order). Pages are rendered
    only where a highlight is (``pictures=False``: none)."""
    out: list[DocumentVisuals] = []
    for doc in run.documents:
        if doc.error or doc.pdf is None or doc.text is None:
            out.append(DocumentVisuals([[] for _ in doc.results]))
            continue
        if not any(r.resolution.status.is_anchored for r in doc.results):
            out.append(DocumentVisuals([[] for _ in doc.results]))
            continue
        boxed = load_boxed_text(doc, password=password, limits=limits)
        if isinstance(boxed, str):
            out.append(DocumentVisuals([[] for _ in doc.results], note=boxed))
            continue
        vis = document_highlights(doc, boxed)
        if pictures and vis.note is None:
            vis.images = render_pages(doc.pdf, vis.pages(), dpi=dpi, fmt=fmt, password=password)
        out.append(vis)
    return out
