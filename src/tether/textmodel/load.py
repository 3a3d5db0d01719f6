"""Loading a PDF's text in a named model (the IO edge of the text model).

``MODELS`` maps a model name to its extractor. ``pdfjs-2.11`` is the coordinate system of
Hypothesis 2022 and Obsidian Annotator 0.2.x; a newer PDF.js / Hypothesis model can be added here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pymupdf

from tether.textmodel.cache import TextCache, content_hash
from tether.textmodel.model import DocumentText
from tether.textmodel.pdfjs211 import MODEL_NAME as PDFJS_211
from tether.textmodel.pdfjs211 import MODEL_REVISION as PDFJS_211_REVISION
from tether.textmodel.pdfjs211.extract import ExtractionLimitError, ExtractionLimits, extract_file

DEFAULT_MODEL = PDFJS_211
#: Defaults for untrusted PDFs (documented in the README): a check never runs unbounded.
DEFAULT_LIMITS = ExtractionLimits(max_pages=5000, max_seconds=600.0)

Extractor = Callable[..., DocumentText]
MODELS: dict[str, Extractor] = {PDFJS_211: extract_file}
#: Each model's output revision: part of the text cache's key (see :mod:`.cache`).
MODEL_REVISIONS: dict[str, str] = {PDFJS_211: PDFJS_211_REVISION}


#: A PDF's header signature (``%PDF-1.7``), and how far into a file readers look for it (PDF
#: readers accept some junk before the header, within the first kilobyte). The one rule for
#: "is this file a PDF": :func:`load_text` and ``tether check``'s "is a PDF, not an annotation
#: file" both use :func:`looks_like_pdf`.
PDF_SIGNATURE = b"%PDF-"
PDF_HEADER_WINDOW = 1024


def looks_like_pdf(head: bytes) -> bool:
    """Whether a file starting with ``head`` has a PDF header where readers look for one."""
    return PDF_SIGNATURE in head[:PDF_HEADER_WINDOW]


class PdfError(ValueError):
    """The PDF cannot be read (missing, not a PDF, encrypted, corrupt, over a limit)."""


def load_text(pdf: Path | str, *, model: str = DEFAULT_MODEL, password: str | None = None,
              limits: ExtractionLimits = DEFAULT_LIMITS, with_boxes: bool = True,
              cache: TextCache | None = None) -> DocumentText:
    """Extract ``pdf``'s text in ``model``; every failure becomes a :class:`PdfError`.

    With ``cache``, texts without boxes are looked up by the PDF's content hash first and
    stored after extraction (not for a PDF opened with a password: a cached text must never
    stand in for a password).
    """
    if model not in MODELS:
        raise PdfError(f"unknown text model {model!r} (known: {', '.join(MODELS)})")
    path = Path(pdf)
    if path.is_dir():  # `--pdf vault/`: "not found" of a folder that is right there misleads
        raise PdfError(f"{path}: is a folder, not a PDF")
    if not path.is_file():
        raise PdfError(f"{path}: PDF not found")
    try:
        with open(path, "rb") as fh:
            head = fh.read(PDF_HEADER_WINDOW)
    except OSError as exc:
        raise PdfError(f"{path}: cannot read the PDF: {exc.strerror or exc}") from None
    if not looks_like_pdf(head):
        raise PdfError(f"{path}: not a PDF file (no %PDF- header)")
    cached = _cached(path, model, cache, limits) if cache and not with_boxes and not password \
        else None
    if cached is not None:
        doc, digest = cached
        if doc is not None:
            return doc
    try:
        doc = MODELS[model](str(path), password=password, limits=limits, with_boxes=with_boxes)
    except PermissionError as exc:
        raise PdfError(str(exc)) from None
    except ExtractionLimitError as exc:
        raise PdfError(f"{path}: {exc}") from None
    except (pymupdf.FileDataError, RuntimeError, ValueError) as exc:
        raise PdfError(f"{path}: the PDF is damaged or unreadable ({exc})") from None
    if cached is not None and cache is not None:
        cache.store(digest, MODEL_REVISIONS.get(model, "0"), doc)
    return doc


def _cached(path: Path, model: str, cache: TextCache, limits: ExtractionLimits
            ) -> tuple[DocumentText | None, str] | None:
    """``(cached text or None, content hash)``; ``None`` when the file cannot be hashed."""
    try:
        digest = content_hash(path)
    except OSError:
        return None
    doc = cache.load(digest, model, MODEL_REVISIONS.get(model, "0"))
    if doc is not None and limits.max_pages is not None and len(doc.pages) > limits.max_pages:
        raise PdfError(f"{path}: the PDF has {len(doc.pages)} pages, more than the limit of "
                       f"{limits.max_pages} (--max-pages)")
    return doc, digest
