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
from rich.cells import cell_len
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


def test_an_80_column_terminal_gets_each_row_on_one_line_and_its_reason_under_it(yellow_paper):
    """At 80 columns: no line wider than the terminal; each annotation's id, status, page,
    whole offsets and score on one line, its quote or reason in full (as the wide table has
    it, clipped with "…" where it always was) on the indented line under it."""
    lines = _terminal(yellow_paper, 80)
    assert max(cell_len(line) for line in lines) <= 80, max(lines, key=cell_len)
    by_start = {line.split()[0]: k for k, line in enumerate(lines) if line[:1].isalnum()}
    reasons = 0
    for a in yellow_paper["annotations"]:
        ident, status, page, moved, score, detail = table.annotation_cells(a)
        k = by_start[ident]
        assert lines[k].split()[1] == status and moved in lines[k], lines[k]
        assert lines[k].endswith(score or moved) and (not page or f"  {page}  " in lines[k])
        assert lines[k + 1] == " " * table.DETAIL_INDENT + detail, (lines[k], lines[k + 1])
        reasons += detail.endswith("…") or len(detail) > 60
    assert reasons > 5  # the long reasons that the table folded over 3-4 lines are there


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


def test_a_wide_terminal_keeps_the_table(yellow_paper):
    """At 200 columns the rich table as before: one line per annotation, the reason beside the
    offsets; at 120 the reason column is still there (long reasons folded over two lines)."""
    for width in (120, 200):
        lines = _terminal(yellow_paper, width)
        for a in yellow_paper["annotations"]:
            ident, _, _, moved, _, detail = table.annotation_cells(a)
            (row,) = [line for line in lines if line.startswith(ident + " ")]
            assert "│" in row and moved in row
            if width == 200:
                assert row.rstrip().endswith(detail), row
        assert max(cell_len(line) for line in lines if "│" in line) <= width


def test_a_long_table_on_a_narrow_terminal_is_stacked_not_wrapped_by_the_terminal():
    """More than ``RICH_MAX_ROWS`` rows: the plain layout where its lines fit the terminal,
    the stacked one (a few microseconds a row too) where they would not."""
    rows = [(f"id{k}", "fuzzy", "3", "100-200 → 110-210", "0.90",
             "the quoted text changed: 3 edits in 100 characters: 'abc'→'abd'")
            for k in range(table.RICH_MAX_ROWS + 1)]
    assert table.terminal_layout(rows, table.COLUMNS, 200) == "plain"
    assert table.terminal_layout(rows, table.COLUMNS, 80) == "stacked"
    assert table.terminal_layout(rows[:5], table.COLUMNS, 200) == "rich"
    assert table.terminal_layout(rows[:5], table.COLUMNS, 80) == "stacked"
    text = table.stacked_rows(rows, width=80).splitlines()
    assert len(text) == 3 + 2 * len(rows) and max(map(cell_len, text)) <= 80


def test_a_reason_wider_than_a_very_narrow_terminal_wraps_under_its_indent() -> None:
    rows = [("a1", "orphaned", "", "5-9 → —", "",
             "only 27% of the quote survives in order in one place (3 pieces)")]
    lines = table.stacked_rows(rows, width=40).splitlines()
    assert lines[3].split()[:2] == ["a1", "orphaned"]
    detail = lines[4:]
    assert len(detail) > 1 and all(line.startswith("    ") and cell_len(line) <= 40
                                   for line in detail)
    assert " ".join(line.strip() for line in detail) == rows[0][-1]


def test_a_real_80_column_tty_gets_the_stacked_rows(tmp_path) -> None:
    """End to end: ``tether check`` on a pseudo-terminal 80 columns wide (the width comes from
    the terminal, not COLUMNS), as a person runs it."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "xterm"
    proc = subprocess.Popen([sys.executable, "-m", "tether.cli", "check", str(NOTE),
                             "--pdf", str(V2)], stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=300) == 1, proc.stderr.read()
    lines = ANSI.sub("", b"".join(chunks).decode()).replace("\r", "").splitlines()
    assert max(cell_len(line) for line in lines) <= 80, max(lines, key=cell_len)
    row = next(line for line in lines if line.startswith("24rmiwqy53 "))
    assert row.split()[:2] == ["24rmiwqy53", "orphaned"] and "3638-4183 → —" in row
    assert any(line.startswith("    only 27% of the quote survives") for line in lines)


def test_ids_too_long_for_the_row_get_a_line_of_their_own(tmp_path) -> None:
    """W3C annotations' ids are IRIs (Hypothesis's W3C export: ``https://hypothes.is/a/…``);
    at 80 columns each id goes on its own line, the rest of its row indented under it, and no
    line is wider than the terminal."""
    import json

    from tether.check import check_paths
    from tether.textmodel.load import load_text

    text = load_text(V2).text
    anns = []
    for k, start in enumerate((5000, 20000, 40000)):
        anns.append({"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation",
                     "id": f"https://annotations.example.org/users/alice/annotations/{k:08d}",
                     "target": {"source": "https://example.org/paper.pdf", "selector": [
                         {"type": "TextQuoteSelector", "exact": text[start:start + 40],
                          "prefix": text[start - 32:start],
                          "suffix": text[start + 40:start + 72]}]}})
    path = tmp_path / "w3c.json"
    path.write_text(json.dumps(anns), encoding="utf-8")
    doc = document_dict(check_paths([path], pdf=V2).documents[0])
    lines = _terminal(doc, 80)
    assert max(cell_len(line) for line in lines) <= 80, max(lines, key=cell_len)
    for a in doc["annotations"]:
        ident, status, page, moved, score, detail = table.annotation_cells(a)
        assert len(ident) > 80 - 40  # the case at hand: the id alone leaves no room
        k = lines.index(ident)
        row = lines[k + 1]
        assert row.startswith(" " * table.DETAIL_INDENT) and row.split()[0] == status
        assert moved in row and row.endswith(score)
        assert lines[k + 2] == " " * table.DETAIL_INDENT + detail
    short = _terminal(doc | {"annotations": [a | {"id": "a1"} for a in doc["annotations"]]}, 80)
    assert any(line.split()[:2] == ["a1", "drifted"] for line in short)  # short ids: one line
