"""The PDF text model: the page texts an annotation client sees, with offsets in both units.

``DocumentText`` is the pure, IO-free value the resolver works on. It is built either from a PDF
by an extraction *model* (``pdfjs-2.11`` reproduces PDF.js 2.11 as used by Hypothesis and
Obsidian Annotator) or from PDF.js page texts saved as JSON (``*.pdfjs-pages.json``).
"""

from tether.textmodel.model import CharBox, DocumentText, PageText

__all__ = ["CharBox", "DocumentText", "PageText"]
