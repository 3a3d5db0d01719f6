"""Page pictures for the HTML report: PyMuPDF renders chosen pages to JPEG or PNG (the IO edge).

A :class:`PageImage` carries the matrix from PyMuPDF's unrotated page space (the space of the
text model's character boxes, see :mod:`tether.report.geometry`) to the picture's pixels, so
boxes can be drawn over it whatever the page's ``/Rotate``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from tether.report.geometry import Matrix

#: Default resolution: text stays readable, a page is ~60–150 kB as JPEG.
DEFAULT_DPI = 80
#: JPEG quality (0–100): 70 keeps small text legible at a third of the PNG size.
JPEG_QUALITY = 70
FORMATS = ("jpeg", "png")


@dataclass(frozen=True)
class PageImage:
    """One rendered page: 0-based ``page``, encoded ``data`` (``mime``), size in pixels and
    ``matrix`` mapping unrotated page points to pixels."""

    page: int
    mime: str
    data: bytes
    width: int
    height: int
    matrix: Matrix

    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def render_pages(pdf: Path | str, pages: Iterable[int], *, dpi: int = DEFAULT_DPI,
                 fmt: str = "jpeg", password: str | None = None) -> dict[int, PageImage]:
    """Render ``pages`` (0-based; out-of-range ones are skipped) of ``pdf``.

    Raises ``ValueError`` for a bad ``fmt`` / ``dpi``; PyMuPDF's errors for an unreadable PDF
    (the caller has already read the same file's text, so that is a fault, not user input).
    """
    if fmt not in FORMATS:
        raise ValueError(f"picture format {fmt!r}: use one of {', '.join(FORMATS)}")
    if dpi <= 0:
        raise ValueError(f"dpi must be positive, got {dpi}")
    zoom = dpi / 72.0
    out: dict[int, PageImage] = {}
    with pymupdf.open(str(pdf)) as doc:
        if doc.needs_pass:
            doc.authenticate(password or "")
        for i in sorted(set(pages)):
            if not 0 <= i < doc.page_count:
                continue
            page = doc[i]
            pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
            if fmt == "jpeg":
                data = pix.tobytes("jpeg", jpg_quality=JPEG_QUALITY)
            else:
                data = pix.tobytes("png")
            # Unrotated space → the rotated page (page.rect's space) → pixels. The picture's
            # origin is page.rect's top-left (MuPDF renders the rotated crop box).
            m = page.rotation_matrix * pymupdf.Matrix(1, 0, 0, 1, -page.rect.x0, -page.rect.y0)
            m = m * pymupdf.Matrix(zoom, zoom)
            out[i] = PageImage(i, f"image/{fmt}", data, pix.width, pix.height,
                               (m.a, m.b, m.c, m.d, m.e, m.f))
    return out
