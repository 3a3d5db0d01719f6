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


def test_non_terminal_output_is_plain_and_terminal_output_rich(monkeypatch) -> None:
    from tether.report import table

    rows = [(f"id{k}", "anchored", "1", "1-2 → 1-2", "1.00", "q") for k in range(3)]
    seen = []
    monkeypatch.setattr(table, "plain_table", lambda r: seen.append(len(r)) or "")
    monkeypatch.setattr(table, "_row", lambda res: res)

    class Doc:  # the fields render_document reads
        pdf, files, error, model, pdf_changed, text = "x.pdf", [], None, "m", None, ""
        page_notes: list = []
        summary = {"anchored": 3}
        results = [type("R", (), {"resolution": r}) for r in rows]

    table.render_document(Console(file=io.StringIO()), Doc())
    assert seen == [3]
    table.render_document(Console(file=io.StringIO(), force_terminal=True), Doc())
    assert seen == [3]  # a short table to a terminal is rich's
    Doc.results = Doc.results * (RICH_MAX_ROWS // 3 + 1)
    table.render_document(Console(file=io.StringIO(), force_terminal=True), Doc())
    assert seen == [3, len(Doc.results)]
