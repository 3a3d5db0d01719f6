"""``tether check``'s table at the width of the terminal it is shown in.

The real case: the yellow paper's note (150 annotations) checked against the paper's next
version, whose reasons are long ("the quoted text changed: 28 edits in 236 characters: …").
At 80 columns rich's table folded every cell into a narrow column: the offsets split over two
lines, the reason over up to four, the fingerprint line ran to 112 characters.
"""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from conftest import FIXTURES
from tether.report import table
from tether.report.json_report import document_dict

NOTE = FIXTURES / "updates" / "eth-yellowpaper" / "v1.md"
V2 = FIXTURES / "pdfs" / "eth-yellowpaper" / "v2.pdf"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def yellow_paper() -> dict:
    """The yellow paper's note checked against v2, as its ``tether.report/1`` document."""
    from tether.check import check_paths

    return document_dict(check_paths([NOTE], pdf=V2).documents[0])


def _terminal(doc: dict, width: int) -> list[str]:
    """The document as a terminal ``width`` cells wide shows it (colours taken out)."""
    out = io.StringIO()
    table.render_document(Console(file=out, force_terminal=True, width=width), doc)
    return ANSI.sub("", out.getvalue()).splitlines()


def test_the_changed_pdf_line_fits_80_columns_with_the_fingerprints_one_above_the_other(
        yellow_paper):
    """The "the PDF changed" line (112 characters) goes on two lines at 80 columns, the stored
    fingerprint under the new one; on a wide terminal and to a pipe (grep, CI logs) it stays
    one line."""
    new, (stored,) = yellow_paper["fingerprint"], yellow_paper["stored_fingerprints"]
    lines = _terminal(yellow_paper, 80)
    k = next(k for k, line in enumerate(lines) if "the PDF changed" in line)
    assert lines[k].endswith(f"/ID[0] {new}") and lines[k + 1].endswith(f"≠ stored {stored}")
    assert lines[k].index(new) == lines[k + 1].index(stored)  # compared by eye, column on column
    one = f"  model pdfjs-2.11; the PDF changed: /ID[0] {new} ≠ stored {stored}"
    assert one in _terminal(yellow_paper, 200)
    out = io.StringIO()
    table.render_document(Console(file=out, width=80), yellow_paper)  # a pipe
    assert one in out.getvalue().splitlines()
