"""Human output for ``tether check``: a rich table per document and a summary."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tether.check import CheckRun, DocumentCheck
from tether.offsets import OffsetUnit
from tether.resolve import Status

STATUS_STYLE = {
    Status.ANCHORED: "green", Status.DRIFTED: "cyan", Status.FUZZY: "yellow",
    Status.AMBIGUOUS: "magenta", Status.ORPHANED: "red", Status.INVALID: "red",
}
#: Quotes are shortened to this many characters in the table.
QUOTE_WIDTH = 48


def _short(text: str | None, width: int = QUOTE_WIDTH) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _fingerprint_line(doc: DocumentCheck) -> str:
    if doc.pdf_changed is None:
        return "no stored documentFingerprint to compare" if doc.text else ""
    if doc.pdf_changed:
        return (f"the PDF changed: /ID[0] {doc.fingerprint} ≠ stored "
                f"{', '.join(doc.stored_fingerprints)}")
    return f"same PDF as annotated (/ID[0] {doc.fingerprint})"


def render_document(console: Console, doc: DocumentCheck) -> None:
    title = str(doc.pdf) if doc.pdf else ", ".join(str(f.path) for f in doc.files)
    console.print(Text(title, style="bold"))
    if doc.error:
        n = sum(len(f.annotations) for f in doc.files)
        console.print(Text(f"  {n} annotation(s) not checked: {doc.error}", style="red"))
        return
    console.print(f"  model {doc.model}; {_fingerprint_line(doc)}")
    table = Table(show_edge=False, pad_edge=False)
    for col in ("id", "status", "page", "stored → resolved (UTF-16)", "score", "quote / reason"):
        table.add_column(col, overflow="fold")
    for r in doc.results:
        res = r.resolution
        pos = res.annotation.position
        span = res.span(res.stored_unit)
        unit = "" if res.stored_unit == OffsetUnit.UTF16 else " cp"
        stored = f"{pos.start}-{pos.end}" if pos else "—"
        moved = f"{stored} → {span[0]}-{span[1]}{unit}" if span else f"{stored} → —"
        detail = res.reason if res.status != Status.ANCHORED and res.reason else \
            _short(res.exact or (res.annotation.quote.exact if res.annotation.quote else ""))
        table.add_row(res.id, Text(res.status.value, style=STATUS_STYLE[res.status]),
                      "" if res.page is None else str(res.page + 1), moved,
                      "" if res.score is None else f"{res.score:.2f}", _short(detail, 70))
    console.print(table)
    counts = ", ".join(f"{n} {s}" for s, n in doc.summary.items() if n)
    extra = f"; {len(doc.page_notes)} page notes (nothing to anchor)" if doc.page_notes else ""
    console.print(f"  {counts or 'no annotations'}{extra}\n")


def render_run(console: Console, run: CheckRun) -> None:
    for doc in run.documents:
        render_document(console, doc)
    total: dict[str, int] = {}
    for doc in run.documents:
        for s, n in doc.summary.items():
            total[s] = total.get(s, 0) + n
    failed = sum(1 for d in run.documents if d.error) + len(run.errors)
    parts = [f"{n} {s}" for s, n in total.items() if n]
    console.print(Text(f"Summary: {len(run.documents)} document(s); "
                       + (", ".join(parts) or "no annotations")
                       + (f"; {failed} input error(s)" if failed else ""), style="bold"))
