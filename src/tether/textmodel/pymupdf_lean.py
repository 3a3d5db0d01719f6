"""Import PyMuPDF without its optional layout add-ons (a start-up cost tether never uses).

PyMuPDF ≥ 1.26 imports ``pymupdf4llm`` and ``pymupdf.layout`` when they are installed (PyMuPDF
2.0 depends on them); ``pymupdf.layout`` loads an ONNX layout model at import, which costs
seconds — more than extracting a 40-page paper's text. tether reads PDFs through low-level
object access and never asks for a layout, so the command line imports PyMuPDF with both hidden
(PyMuPDF treats them as absent: it catches the ``ImportError``). A library caller that imported
PyMuPDF first keeps its own import untouched.
"""

from __future__ import annotations

import sys

#: Optional modules PyMuPDF imports at start-up that text extraction never uses.
SKIPPED = ("pymupdf.layout", "pymupdf4llm")


def import_pymupdf_lean() -> None:
    """Import ``pymupdf`` (once) with :data:`SKIPPED` hidden; a no-op if already imported."""
    if "pymupdf" in sys.modules:
        return
    hidden = [name for name in SKIPPED if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` fail
    try:
        import pymupdf  # noqa: F401
    except ImportError:
        pass  # reported where tether uses it
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
