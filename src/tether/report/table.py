"""Human output for ``tether check``: a table per document and a summary.

Drawn from the ``tether.report/1`` dicts (:mod:`tether.report.json_report`), so a report
assembled from ``--jsonl`` lines or worker results prints exactly like one made in process.

Three layouts of the same rows:

- a rich table (coloured status, the last cell folded) for a terminal wide enough to give the
  quote / reason column at least ``REASON_MIN_WIDTH`` cells beside the others;
- stacked rows for a narrower terminal (80 columns): id, status, page, offsets and score on one
  line, aligned, then the quote or reason on its own indented line (ids too long for that line,
  such as W3C IRIs, on a line of their own above it). Folding every cell into a column of its
  own, as the table did, split the offsets and spread a row over 2-4 lines;
- plain aligned columns, one annotation per line whatever the width, when the output is not a
  terminal (a pipe, a file, CI logs), or a terminal wide enough for it whose table is longer than
  ``RICH_MAX_ROWS`` rows.

Why not rich everywhere: rich measures and wraps every cell, about 1 ms a row (10,000 annotations
≈ 12 s), while the plain and stacked layouts cost a few microseconds a row; the plain one stays
grep-friendly (one line per annotation).
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.control import strip_control_codes
from rich.table import Table
from rich.text import Text

from tether.check import CheckRun, DocumentCheck
from tether.offsets import OffsetUnit
from tether.report.json_report import document_dict, report_dict, wrong_pdf_hint
from tether.resolve import Status

STATUS_STYLE = {
    Status.ANCHORED: "green", Status.DRIFTED: "cyan", Status.FUZZY: "yellow",
    Status.AMBIGUOUS: "magenta", Status.ORPHANED: "red", Status.INVALID: "red",
}
#: Quotes are shortened to this many characters in the table.
QUOTE_WIDTH = 48
#: Longer tables are printed in the plain layout even to a terminal.
RICH_MAX_ROWS = 300
#: The fewest cells the last column (quote / reason) gets in a terminal's table; a narrower
#: terminal stacks the rows instead. The cell is clipped at 70 characters, so 40 keeps every
#: row within two lines.
REASON_MIN_WIDTH = 40
#: How far the stacked layout indents a row's quote or reason under the row.
DETAIL_INDENT = 4
COLUMNS = ("id", "status", "page", "stored → resolved (UTF-16)", "score", "quote / reason")


def _short(text: str | None, width: int = QUOTE_WIDTH) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _on_other_versions(doc: dict[str, Any]) -> tuple[int, dict[str, int]]:
    """How many annotations store the checked PDF's fingerprint, and the counts of the other
    stored fingerprints (a note repaired in part holds both). A report dict without
    ``stored_fingerprint_counts`` (an older one) gives ``(0, {})``."""
    counts = doc.get("stored_fingerprint_counts") or {}
    fp = (doc["fingerprint"] or "").lower()
    here = sum(n for s, n in counts.items() if s.lower() == fp)
    return here, {s: n for s, n in counts.items() if s.lower() != fp}


def _fingerprint_counts(doc: dict[str, Any]) -> list[str]:
    """For a note holding this PDF's and other stored fingerprints (after a partial ``repair``):
    one part per fingerprint, this PDF's first ("120 annotations stored for this PDF (/ID[0]
    …)", then "20 for another version (/ID[0] …)" each); else []."""
    here, others = _on_other_versions(doc)
    if not (here and others):
        return []
    return [f"{here} annotation{'' if here == 1 else 's'} stored for this PDF "
            f"(/ID[0] {doc['fingerprint']})",
            *(f"{n} for another version (/ID[0] {fp})" for fp, n in others.items())]


def fingerprint_line(doc: dict[str, Any]) -> str:
    """The line about the PDF under a document's title: same as annotated, changed, unknown,
    or — a note holding several stored fingerprints, some this PDF's (after a partial
    ``repair``) — how many annotations store which."""
    if doc["pdf_changed"] is None:
        return "no stored documentFingerprint to compare" if doc["fingerprint"] else ""
    if doc["pdf_changed"]:
        return (f"the PDF changed: /ID[0] {doc['fingerprint']} ≠ stored "
                f"{', '.join(doc['stored_fingerprints'])}")
    counts = _fingerprint_counts(doc)
    if counts:
        return ", ".join(counts)
    return f"same PDF as annotated (/ID[0] {doc['fingerprint']})"


def fingerprint_lines(doc: dict[str, Any], prefix: str, width: int | None) -> list[str]:
    """``prefix`` + :func:`fingerprint_line`, on one line unless that is wider than ``width``
    terminal cells (None: no limit, as for a pipe); then a changed PDF's stored fingerprints go
    on a second line, their "≠ stored" placed so both fingerprints start in the same column
    and can be compared by eye; a note storing several fingerprints gives each count a line
    under the prefix, the "/ID[0]"s in one column."""
    line = prefix + fingerprint_line(doc)
    if width is None or cell_len(line) <= width:
        return [line]
    if doc["pdf_changed"]:
        first, _, stored = line.partition(" ≠ stored ")
        at = first.index(" /ID[0] ") + len(" /ID[0] ") - len("≠ stored ")
        return [first, " " * max(at, 2) + "≠ stored " + stored]
    counts = _fingerprint_counts(doc)
    if not counts:  # same PDF, or nothing to compare: short lines
        return [line]
    # The counts each on a line of their own, under the prefix: one beside it would not fit in
    # 80 columns ("120 annotations stored for this PDF (/ID[0] <32 hex digits>)" is 77 cells).
    indent = " " * (len(prefix) - len(prefix.lstrip()))
    column = max(part.index("(/ID[0] ") for part in counts)
    head = [prefix.rstrip()] if prefix.strip() else []
    return [*head, *(indent + " " * (column - part.index("(/ID[0] ")) + part
                     for part in counts)]


def annotation_cells(a: dict[str, Any]) -> tuple[str, str, str, str, str, str]:
    """One report annotation (:func:`~tether.report.json_report.annotation_dict`) as plain
    table cells: id, status, page (1-based), stored → resolved span (stored unit), score, quote
    or reason. Shared by ``check``'s and ``migrate``'s tables."""
    status = Status(a["status"])
    stored, resolved = a["stored"], a["resolved"]
    unit = "" if a["unit"] == OffsetUnit.UTF16.value else " cp"
    span = f"{stored['start']}-{stored['end']}" if stored["start"] is not None else "—"
    # the unit after the offsets it names: a W3C orphan's stored offsets are code points too
    moved = (f"{span} → {resolved['start']}-{resolved['end']}{unit}" if resolved
             else f"{span}{unit if stored['start'] is not None else ''} → —")
    quote = (resolved or {}).get("exact") or stored["exact"] or ""
    detail = a["reason"] if status != Status.ANCHORED and a["reason"] else _short(quote)
    page = "" if not resolved or resolved["page"] is None else str(resolved["page"] + 1)
    return (a["id"], status.value, page, moved, score_cell(a), _short(detail, 70))


def score_cell(a: dict[str, Any]) -> str:
    """An annotation's score as the reports show it: two decimals, empty when it has none."""
    return "" if a["score"] is None else f"{a['score']:.2f}"


def status_text(status: str) -> Text:
    """A status cell for a rich table: the status value in its colour."""
    return Text(status, style=STATUS_STYLE[Status(status)])


def plain_table(rows: list[tuple[str, ...]], columns: tuple[str, ...] = COLUMNS) -> str:
    """``columns`` and ``rows`` as aligned plain text (terminal cells, so wide characters
    align), columns two spaces apart, the last one unpadded, a dashed rule under the header."""
    lines = [columns, *rows]
    widths = [max(cell_len(line[k]) for line in lines) for k in range(len(columns) - 1)]

    def fmt(cells: tuple[str, ...]) -> str:
        padded = [c + " " * (w - cell_len(c)) for c, w in zip(cells, widths, strict=False)]
        return "  ".join([*padded, cells[-1]]).rstrip()

    rule = "  ".join("-" * w for w in [*widths, cell_len(columns[-1])])
    return "\n".join([fmt(columns), rule, *(fmt(r) for r in rows)])


def _wrap(text: str, room: int) -> list[str]:
    """``text`` in lines of at most ``room`` terminal cells, broken at spaces (a word longer
    than ``room`` is cut). textwrap costs ~0.15 ms a call; this a few microseconds."""
    lines: list[str] = []
    words: list[str] = []  # the line being filled
    used = -1  # its cells, counting a space before each word
    for word in text.split(" "):
        n = cell_len(word)
        while n > room:  # a word with no space to break at: cut, on lines of its own
            if words:
                lines.append(" ".join(words))
                words, used = [], -1
            # Wide characters: cut at cells, not characters (at least one, so the loop ends).
            cut = set_cell_size(word, room).rstrip(" ") or word[0]
            lines.append(cut)
            word = word[len(cut):]
            n = cell_len(word)
        if used + 1 + n > room and words:
            lines.append(" ".join(words))
            words, used = [], -1
        words.append(word)
        used += 1 + n
    return [*lines, " ".join(words)] if words else lines


def stacked_rows(rows: list[tuple[str, ...]], columns: tuple[str, ...] = COLUMNS,
                 status_column: int = 1, width: int = 80,
                 paint: dict[str, str] | None = None) -> str:
    """``rows`` for a narrow terminal: every column but the last aligned on one line (as
    :func:`plain_table`), the last (quote / reason) on the next line, indented by
    ``DETAIL_INDENT`` and word-wrapped at ``width`` cells under the same indent. When the ids
    make that first line wider than ``width``, each id has a line of its own and the other
    columns move under it, indented like the detail. ``paint``
    maps a status to what stands for it (the status in its terminal colours; its own text
    when absent), so the layout is plain strings: a few microseconds a row, where rich's
    rendering of the same text costs ~0.25 ms."""
    head_cols = columns[:-1]
    widths = [max(cell_len(line[k]) for line in [head_cols, *rows])
              for k in range(len(head_cols))]
    indent = " " * DETAIL_INDENT
    room = max(width - DETAIL_INDENT, 20)
    paint = paint or {}
    # Ids too long for the row (W3C ids are IRIs, "https://hypothes.is/a/…" and longer) go on
    # a line of their own, the rest of the row indented under them: otherwise every row would
    # run past the terminal's edge and fold there.
    id_apart = (sum(widths) + 2 * (len(widths) - 1) > width
                and widths[0] + 2 > DETAIL_INDENT)  # else nothing is gained
    first = 1 if id_apart else 0

    def head_line(cells: tuple[str, ...], painted: bool) -> str:
        parts = [(paint.get(c, c) if painted and k == status_column else c)
                 + " " * (w - cell_len(c))
                 for k, (c, w) in enumerate(zip(cells, widths, strict=False)) if k >= first]
        return (indent if id_apart else "") + "  ".join(parts).rstrip()

    rule = sum(widths[first:]) + 2 * (len(widths) - first - 1) + DETAIL_INDENT * first
    lines = [*([head_cols[0]] if id_apart else []), head_line(head_cols, False),
             indent + columns[-1], "-" * min(width, max(rule, cell_len(head_cols[0])))]
    for row in rows:
        if id_apart:
            lines.extend(_wrap(row[0], width))
        lines.append(head_line(row[:-1], True))
        detail = row[-1]
        if not detail:
            continue
        if cell_len(detail) <= room:
            lines.append(indent + detail)
        else:
            lines.extend(indent + part for part in _wrap(detail, room))
    return "\n".join(lines)


def terminal_layout(rows: list[tuple[str, ...]], columns: tuple[str, ...], width: int) -> str:
    """Which layout :func:`print_rows` gives a terminal ``width`` cells wide: "rich" when the
    table's last column gets ``REASON_MIN_WIDTH`` cells (or all its longest cell needs) beside
    the others at their natural width, "plain" when the rows are too many for rich but fit
    one line each, else "stacked"."""
    natural = [max(cell_len(line[k]) for line in [columns, *rows]) for k in range(len(columns))]
    # rich's table: each column but the last followed by " │ " (no outer edge or padding).
    room = width - sum(natural[:-1]) - 3 * (len(columns) - 1)
    if len(rows) <= RICH_MAX_ROWS and room >= min(REASON_MIN_WIDTH, natural[-1]):
        return "rich"
    if len(rows) > RICH_MAX_ROWS and sum(natural) + 2 * (len(columns) - 1) <= width:
        return "plain"
    return "stacked"


def print_rows(console: Console, rows: list[tuple[str, ...]],
               columns: tuple[str, ...] = COLUMNS, status_column: int = 1) -> None:
    """``rows`` under ``columns``: on a terminal, the layout :func:`terminal_layout` picks
    for its width (a rich table with the status cell coloured, :func:`stacked_rows` or
    :func:`plain_table`); anywhere else :func:`plain_table`. Shared by ``check`` and
    ``migrate``."""
    layout = terminal_layout(rows, columns, console.width) if console.is_terminal else "plain"
    if layout == "stacked":  # written as is: control characters out, as rich's Text takes them
        rows = [tuple(strip_control_codes(c) for c in row) for row in rows]
        paint = {}
        for status in {row[status_column] for row in rows}:
            with console.capture() as painted:  # the status in this terminal's colours
                console.print(status_text(status), end="")
            paint[status] = painted.get()
        console.file.write(stacked_rows(rows, columns, status_column, console.width, paint)
                           + "\n")
    elif layout == "rich":
        table = Table(show_edge=False, pad_edge=False)
        for col in columns:
            table.add_column(col, overflow="fold")
        for row in rows:  # Text cells: a quote's "[a]" or "[/b]" is text, not rich markup
            table.add_row(*(status_text(c) if k == status_column else Text(c)
                            for k, c in enumerate(row)))
        console.print(table)
    elif console.record or console.is_terminal:
        console.out(plain_table(rows, columns), highlight=False)
    else:  # a pipe or a file: rich's line splitting would cost more than the table itself
        console.file.write(plain_table(rows, columns) + "\n")


def render_document(console: Console, doc: DocumentCheck | dict[str, Any]) -> None:
    """One document of the report: a title, a line about the PDF, a row per annotation.

    Lines are soft-wrapped (left to the terminal): folded at rich's 80 columns in a pipe, a
    path or a message would be cut in two in CI logs and for grep."""
    d = document_dict(doc) if isinstance(doc, DocumentCheck) else doc
    console.print(Text(d["pdf"] or ", ".join(d["sources"]), style="bold"), soft_wrap=True)
    if d["error"]:
        console.print(Text(f"  {unchecked_line(d)}", style="red"), soft_wrap=True)
        return
    width = console.width if console.is_terminal else None  # a pipe: one line, for grep
    for line in fingerprint_lines(d, f"  model {d['model']}; ", width):
        console.print(line, markup=False, soft_wrap=True)
    if d["annotations"]:  # no table of headers alone for a note with nothing in it yet
        print_rows(console, [annotation_cells(a) for a in d["annotations"]])
    counts = ", ".join(f"{n} {s}" for s, n in d["summary"].items() if n)
    notes = len(d["page_notes"])
    extra = f"; {notes} page note{'' if notes == 1 else 's'} (nothing to anchor)" if notes else ""
    hint = wrong_pdf_hint(d)  # not d's key: a report dict made elsewhere may lack it
    console.print(f"  {counts or 'no annotations'}{extra}" + (f"\n  {hint}" if hint else "")
                  + "\n", soft_wrap=True)


def unchecked_line(doc: dict[str, Any]) -> str:
    """What a document whose PDF could not be read says: how many annotations that left
    unchecked (none: the files hold no annotations, and saying "0 not checked" is no help),
    then the error."""
    n = doc["annotations_in_files"]
    return (f"{n} annotation(s) not checked: {doc['error']}" if n
            else f"no annotations; {doc['error']}")


def render_run(console: Console, run: CheckRun | dict[str, Any]) -> None:
    """The whole report (a :class:`CheckRun` or its ``tether.report/1`` dict) and a summary."""
    report = report_dict(run) if isinstance(run, CheckRun) else run
    for doc in report["documents"]:
        render_document(console, doc)
    total: dict[str, int] = {}
    for doc in report["documents"]:
        for s, n in doc["summary"].items():
            total[s] = total.get(s, 0) + n
    failed = sum(1 for d in report["documents"] if d["error"]) + len(report["errors"])
    parts = [f"{n} {s}" for s, n in total.items() if n]
    # Annotations of a document whose PDF could not be read: counted, not called "no annotations".
    unchecked = sum(d["annotations_in_files"] or 0 for d in report["documents"] if d["error"])
    if unchecked:
        parts.append(f"{unchecked} not checked")
    console.print(Text(f"Summary: {len(report['documents'])} document(s); "
                       + (", ".join(parts) or "no annotations")
                       + (f"; {failed} input error(s)" if failed else ""), style="bold"),
                  soft_wrap=True)
