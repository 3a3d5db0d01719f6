"""The plain table layout (pipes, files, long reports) and its choice against rich's."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console

from tether.report.table import COLUMNS, RICH_MAX_ROWS, plain_table


def test_plain_table_aligns_columns_in_terminal_cells() -> None:
    rows = [("a1", "anchored", "3", "10-20 → 10-20", "1.00", "資料結構 list"),
            ("資料", "orphaned", "", "5-9 → —", "", "the quote does not occur")]
    lines = plain_table(rows).split("\n")
    assert lines[0].split()[0] == COLUMNS[0] and len(lines) == 2 + len(rows)
    # Every row's status column starts at the same terminal cell, wide characters included.
    starts = [cell_len(line[: line.index(status)]) for line, status in
              zip(lines[2:], ("anchored", "orphaned"), strict=True)]
    assert starts[0] == starts[1] == cell_len(lines[0][: lines[0].index("status")])
    assert lines[3].endswith("the quote does not occur") and not lines[3].endswith(" ")


def test_code_point_offsets_are_marked_placed_or_not() -> None:
    """Under the "(UTF-16)" header, a W3C annotation's offsets (code points) carry " cp" —
    an orphan's stored offsets too (was: unmarked, read as UTF-16)."""
    from tether.report.table import annotation_cells

    base = {"id": "w1", "unit": "code-point", "score": None, "reason": "not found",
            "stored": {"start": 30, "end": 40, "exact": "q"}, "resolved": None}
    assert annotation_cells({**base, "status": "orphaned"})[3] == "30-40 cp → —"
    placed = {**base, "status": "drifted", "score": 1.0,
              "resolved": {"start": 31, "end": 41, "exact": "q", "page": 0}}
    assert annotation_cells(placed)[3] == "30-40 → 31-41 cp"
    assert annotation_cells({**base, "status": "orphaned", "unit": "utf-16"})[3] == "30-40 → —"
    no_position = {**base, "status": "orphaned", "stored": {"start": None, "end": None,
                                                            "exact": "q"}}
    assert annotation_cells(no_position)[3] == "— → —"


def _document(n: int) -> dict:
    """A ``tether.report/1`` document of ``n`` anchored annotations, as the JSON report has it."""
    ann = {"id": "", "status": "anchored", "unit": "utf-16", "score": 1.0, "reason": "",
           "stored": {"start": 1, "end": 2, "exact": "q"},
           "resolved": {"start": 1, "end": 2, "exact": "q", "page": 0}}
    return {"pdf": "x.pdf", "sources": [], "error": None, "model": "pdfjs-2.11",
            "pdf_changed": None, "fingerprint": None, "stored_fingerprints": [],
            "annotations": [{**ann, "id": f"id{k}"} for k in range(n)],
            "summary": {"anchored": n}, "page_notes": []}


def test_non_terminal_output_is_plain_and_terminal_output_rich(monkeypatch) -> None:
    from tether.report import table

    seen = []
    real = table.plain_table
    monkeypatch.setattr(table, "plain_table",
                        lambda r, *cols: seen.append(len(r)) or real(r, *cols))
    out = io.StringIO()
    table.render_document(Console(file=out), _document(3))
    assert seen == [3] and "id2  anchored" in out.getvalue()
    out = io.StringIO()
    table.render_document(Console(file=out, force_terminal=True, width=200), _document(3))
    assert seen == [3] and "id2" in out.getvalue()  # a short table to a terminal is rich's
    table.render_document(Console(file=io.StringIO(), force_terminal=True),
                          _document(RICH_MAX_ROWS + 1))
    assert seen == [3, RICH_MAX_ROWS + 1]


def test_terminal_table_shows_brackets_in_quotes_as_text() -> None:
    """The yellow paper's "σ[a]n." (a real annotation of the bundled example) is shown as is in
    a terminal's table, and a quote holding "[/b]" is no crash. Before: the cells were rich
    markup — "[a]" vanished ("σn.") and "[/b]" raised MarkupError (exit 3)."""
    from conftest import FIXTURES
    from tether.check import check_paths
    from tether.report import table

    note = FIXTURES / "updates" / "eth-yellowpaper" / "v1.md"
    run = check_paths([note], pdf=FIXTURES / "pdfs" / "eth-yellowpaper" / "v1.pdf")
    out = io.StringIO()
    table.render_document(Console(file=out, force_terminal=True, width=200), run.documents[0])
    assert "σ[a]n." in out.getvalue()
    doc = _document(1)
    doc["annotations"][0]["resolved"]["exact"] = "see [/b] and [bold]x"
    out = io.StringIO()
    table.render_document(Console(file=out, force_terminal=True, width=200), doc)
    assert "see [/b] and [bold]x" in out.getvalue()


def test_summary_counts_the_annotations_an_unreadable_pdf_left_unchecked(tmp_path) -> None:
    """A note whose PDF cannot be read: the summary says its annotations were not checked
    (it said "no annotations" beside "1 input error(s)")."""
    from conftest import FIXTURES
    from tether.check import check_paths
    from tether.report import table

    junk = tmp_path / "paper.pdf"
    junk.write_bytes(b"not a PDF at all")
    run = check_paths([FIXTURES / "updates" / "eth-yellowpaper" / "v1.md"], pdf=junk)
    out = io.StringIO()
    table.render_run(Console(file=out, width=200), run)
    summary = out.getvalue().strip().splitlines()[-1]
    assert summary == "Summary: 1 document(s); 150 not checked; 1 input error(s)", summary


def test_a_note_checked_against_another_pdf_gets_a_hint(tmp_path) -> None:
    """The yellow paper's note checked against the thesis: 150 rows of "orphaned" said nothing
    of the likeliest cause; a line now asks whether it is the right PDF. Not for the right PDF,
    where most annotations are found."""
    from conftest import FIXTURES
    from tether.check import check_paths
    from tether.report import table

    note = FIXTURES / "updates" / "eth-yellowpaper" / "v1.md"
    for pdf, hinted in (("music-esprit-thesis-it", True), ("eth-yellowpaper", False)):
        run = check_paths([note], pdf=FIXTURES / "pdfs" / pdf / "v2.pdf")
        out = io.StringIO()
        table.render_run(Console(file=out, width=200), run)
        hint = ("none of its 150 annotations was found in this PDF's text: is it the PDF they "
                "were made on, or a version of it?")
        assert (hint in out.getvalue()) == hinted, pdf


def test_the_wrong_pdf_hint_is_in_the_json_and_the_html_report(tmp_path) -> None:
    """The same hint as a key of the ``tether.report/1`` document (CI reads JSON, not the
    table), null where the notes' own PDF was checked; and a line of the HTML report."""
    import json
    import os
    import subprocess
    import sys
    from html import escape as html_escape

    from conftest import FIXTURES

    note = FIXTURES / "updates" / "eth-yellowpaper" / "v1.md"
    hint = ("none of its 150 annotations was found in this PDF's text: is it the PDF they "
            "were made on, or a version of it?")

    def cli(*args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tether.cli", *map(str, args)],
                              capture_output=True, text=True, timeout=300,
                              env={**os.environ, "COLUMNS": "300"})

    for pdf, want in (("music-esprit-thesis-it", hint), ("eth-yellowpaper", None)):
        proc = cli("check", note, "--pdf", FIXTURES / "pdfs" / pdf / "v2.pdf", "--json")
        (doc,) = json.loads(proc.stdout)["documents"]
        assert doc["wrong_pdf_hint"] == want, pdf
    html = tmp_path / "r.html"
    proc = cli("report", note, "--pdf", FIXTURES / "pdfs" / "music-esprit-thesis-it" / "v2.pdf",
               "--html", html, "--no-pictures")
    assert proc.returncode == 1, proc.stderr
    assert html_escape(hint) in html.read_text(encoding="utf-8")
