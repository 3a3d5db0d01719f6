"""Whole-document driver: a PDF → :class:`~tether.textmodel.model.DocumentText` as PDF.js 2.11
(and so Hypothesis 2022 / Obsidian Annotator 0.2.x) sees it."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import pymupdf

from tether.textmodel.model import CharBox, DocumentText
from tether.textmodel.pdfjs211 import MODEL_NAME
from tether.textmodel.pdfjs211.implementation import Engine, engine
from tether.textmodel.pdfjs211.syntax import parse_object


class ExtractionLimitError(RuntimeError):
    """The document exceeds a resource bound (pages or time) set for untrusted input."""


@dataclass(frozen=True)
class ExtractionLimits:
    """Bounds for untrusted PDFs. ``None`` means unbounded."""

    max_pages: int | None = None
    max_seconds: float | None = None


def document_fingerprint(doc: pymupdf.Document) -> str:
    """PDF.js's ``documentFingerprint``: hex of the trailer's ``/ID[0]``, else the MD5 of the
    first 1024 bytes of the file. Lower-case hex, as Hypothesis stores it."""
    try:
        ids = parse_object(doc.xref_get_key(-1, "ID")[1])
    except Exception:
        ids = None
    if isinstance(ids, list) and ids and isinstance(ids[0], bytes) and ids[0] \
            and any(ids[0]):
        return ids[0].hex()
    if doc.name:
        with open(doc.name, "rb") as fh:
            head = fh.read(1024)
    else:
        head = doc.write()[:1024]
    return hashlib.md5(head).hexdigest()


def extract_document(doc: pymupdf.Document, *, with_boxes: bool = True,
                     limits: ExtractionLimits = ExtractionLimits(),
                     implementation: Engine | None = None) -> DocumentText:
    """Build the PDF.js 2.11 page texts of ``doc``.

    Character boxes (``with_boxes``) are in PyMuPDF's unrotated page coordinates (y down).
    Raises :class:`ExtractionLimitError` when ``limits`` are exceeded. ``implementation``
    defaults to :func:`~tether.textmodel.pdfjs211.implementation.engine` (compiled when built
    and current); the result names the one that ran in ``DocumentText.implementation``.
    """
    n = doc.page_count
    if limits.max_pages is not None and n > limits.max_pages:
        raise ExtractionLimitError(
            f"the PDF has {n} pages, more than the limit of {limits.max_pages} (--max-pages)")
    deadline = None if limits.max_seconds is None else time.monotonic() + limits.max_seconds

    def check() -> None:
        if deadline is not None and time.monotonic() > deadline:
            raise ExtractionLimitError(
                f"text extraction took longer than the limit of {limits.max_seconds:g} s "
                "(--max-seconds)")

    impl = implementation or engine()
    objects = impl.objects.PdfObjects(doc)
    ctx = impl.textcontent.TextContentContext(objects, impl.fonts.FontLoader(objects),
                                              with_boxes=with_boxes)
    page_text_items = impl.textcontent.page_text_items
    texts: list[str] = []
    boxes: list[list[CharBox]] = []
    for i in range(n):
        items = page_text_items(ctx, i, check=check)
        texts.append("".join(it.text for it in items))
        if with_boxes:
            try:
                m = doc[i].transformation_matrix
            except (IndexError, RuntimeError) as exc:
                # A damaged page tree can let our own object walk read a page that MuPDF
                # cannot load (seen in fuzzing: "page 0 not in document"). The loader turns
                # a ValueError into "the PDF is damaged or unreadable" for this one document.
                raise ValueError(f"page {i + 1} cannot be loaded: {exc}") from None
            a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
            page_boxes = []
            for it in items:
                for x0, y0, x1, y1 in it.boxes:
                    # Map two corners, then re-order: the y axis flips between the spaces.
                    px0, py0 = x0 * a + y0 * c + e, x0 * b + y0 * d + f
                    px1, py1 = x1 * a + y1 * c + e, x1 * b + y1 * d + f
                    page_boxes.append(CharBox(min(px0, px1), min(py0, py1),
                                              max(px0, px1), max(py0, py1)))
            boxes.append(page_boxes)
    out = DocumentText.from_page_texts(
        texts, model=MODEL_NAME, boxes=boxes if with_boxes else None,
        fingerprint=document_fingerprint(doc))
    # Which implementation ran (both give the same output, so the model name stays the same).
    out.meta["implementation"] = impl.name
    return out


def extract_file(path: str, *, with_boxes: bool = True,
                 limits: ExtractionLimits = ExtractionLimits(),
                 password: str | None = None) -> DocumentText:
    """Open ``path`` with PyMuPDF and extract it (see :func:`extract_document`)."""
    with pymupdf.open(path) as doc:
        if doc.needs_pass and not password:
            raise PermissionError(f"{path}: the PDF is encrypted and needs a password "
                                  "(--password)")
        if doc.needs_pass and not doc.authenticate(password):
            raise PermissionError(f"{path}: wrong password for the encrypted PDF")
        return extract_document(doc, with_boxes=with_boxes, limits=limits)
