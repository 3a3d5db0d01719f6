"""The HTML report (``tether report --html``): one self-contained file, no server, no network.

Pure: :func:`render_html` takes a :class:`~tether.check.CheckRun` and its
:class:`~tether.report.visual.DocumentVisuals` (page pictures + highlight rectangles) and
returns the document as a string. Every number and status shown comes from
:mod:`tether.report.json_report` — the HTML shows exactly what ``tether check --json`` reports.

Structure (stable ids and ``data-*`` attributes; tests and scripts may read them):

* ``section.document#dN`` per document, ``table.summary`` with ``tr[data-status]`` and
  ``td.count`` (plus a ``total`` row);
* ``table.annotations``: one ``tr#dN-rI[data-status][data-id][data-page]`` per annotation in
  the JSON report's order (``data-page`` 0-based, empty when not placed);
* ``figure.page#dN-pP`` per page with highlights: the picture (a ``data:`` URI,
  ``loading="lazy"``) and one ``a.box#dN-bI-K[href="#dN-rI"]`` per line rectangle; the row's
  page link points at its first box.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from tether import __version__
from tether.check import CheckRun, DocumentCheck
from tether.offsets import OffsetError, OffsetUnit
from tether.report.geometry import to_pixels
from tether.report.html_assets import CSS, SCRIPT, STATUS_LOOK
from tether.report.json_report import document_dict
from tether.report.table import fingerprint_line, score_cell, unchecked_line
from tether.report.visual import DocumentVisuals

#: Quotes longer than this (code points) are shown without a character diff (the diff is
#: O(n·m/64) and a 100 kB quote would stall the report).
MAX_DIFF_CHARS = 20_000
NOT_PLACED = ("ambiguous", "orphaned", "invalid")


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def quote_diff(stored: str, resolved: str) -> tuple[str, str]:
    """HTML of ``stored`` with the characters missing from ``resolved`` in ``<del>``, and of
    ``resolved`` with the characters not in ``stored`` in ``<ins>`` (a character-level
    Levenshtein alignment; adjacent edits are merged into one mark)."""
    if len(stored) > MAX_DIFF_CHARS or len(resolved) > MAX_DIFF_CHARS:
        return esc(stored), esc(resolved)
    left: list[str] = []
    right: list[str] = []
    gone: list[str] = []
    new: list[str] = []

    def flush() -> None:
        if gone:
            left.append(f"<del>{esc(''.join(gone))}</del>")
            gone.clear()
        if new:
            right.append(f"<ins>{esc(''.join(new))}</ins>")
            new.clear()

    for op in Levenshtein.opcodes(stored, resolved):
        a, b = stored[op.src_start:op.src_end], resolved[op.dest_start:op.dest_end]
        if op.tag == "equal":
            flush()
            left.append(esc(a))
            right.append(esc(b))
        else:
            gone.append(a)
            new.append(b)
    flush()
    return "".join(left), "".join(right)


def stored_page(doc: DocumentCheck, ann: dict) -> int | None:
    """0-based page of this PDF where the stored start offset falls (where the annotation was
    last known), or None (no position, or outside this PDF's text)."""
    start = ann["stored"]["start"]
    if doc.text is None or not doc.text.pages or not isinstance(start, int):
        return None
    try:
        cp = doc.text.convert(start, OffsetUnit(ann["unit"]), OffsetUnit.CODE_POINT)
    except (OffsetError, ValueError):
        return None
    if cp >= len(doc.text.text):
        return None
    return doc.text.page_of(cp)


def _badge(status: str) -> str:
    glyph = STATUS_LOOK[status][2]
    return f'<span class="badge st-{status}"><span aria-hidden="true">{glyph} </span>' \
           f'{status}</span>'


def _summary(di: int, d: dict) -> str:
    rows = "".join(
        f'<tr data-status="{s}"><th scope="row">{_badge(s)}</th>'
        f'<td class="num count">{n}</td></tr>' for s, n in d["summary"].items())
    total = sum(d["summary"].values())
    return (f'<table class="summary" id="d{di}-summary"><caption>Annotations by status'
            f'</caption><thead><tr><th scope="col">Status</th><th scope="col">Count</th></tr>'
            f'</thead><tbody>{rows}<tr data-status="total"><th scope="row">total</th>'
            f'<td class="num count">{total}</td></tr></tbody></table>')


def _page_cell(di: int, ri: int, doc: DocumentCheck, ann: dict, vis: DocumentVisuals) -> str:
    parts = vis.highlights[ri] if ri < len(vis.highlights) else []
    resolved = ann["resolved"]
    if resolved is not None:
        pages = [p.page for p in parts] or [resolved["page"]]
        label = f"p. {pages[0] + 1}" + (f"–{pages[-1] + 1}" if pages[-1] != pages[0] else "")
        if parts and parts[0].page in vis.images:
            return (f'<a href="#d{di}-b{ri}-0" aria-label="show on page {pages[0] + 1}">'
                    f'{label}</a>')
        return label
    cells = []
    if ann["rivals"]:
        cells.append("candidates on p. " + ", ".join(
            sorted({str(c["page"] + 1) for c in ann["rivals"]}, key=int)))
    known = stored_page(doc, ann)
    if known is not None:
        cells.append(f'<span title="the page of this PDF where the stored position falls">'
                     f'last known p. {known + 1}</span>')
    return "<br>".join(cells) or '<span class="muted">—</span>'


def _row(di: int, ri: int, doc: DocumentCheck, ann: dict, vis: DocumentVisuals) -> str:
    status = ann["status"]
    stored, resolved = ann["stored"], ann["resolved"]
    stored_exact = stored["exact"] or ""
    if resolved is None:
        left, right = esc(stored_exact), '<span class="muted">not placed</span>'
    elif resolved["exact"] == stored_exact:
        left, right = esc(stored_exact), '<span class="muted">same as stored</span>'
    else:
        left, right = quote_diff(stored_exact, resolved["exact"] or "")
    unit = " (UTF-16)" if ann["unit"] == "utf-16" else " (code points)"
    span = "—" if stored["start"] is None else f'{stored["start"]}–{stored["end"]}'
    moved = f'{span} → {resolved["start"]}–{resolved["end"]}' if resolved else f"{span} → —"
    details = [f'<span class="muted">offsets{unit}:</span> {esc(moved)}']
    if ann["method"]:
        details.append(f'<span class="muted">method:</span> {esc(ann["method"])}')
    if ann["reason"]:
        details.append(esc(ann["reason"]))
    details.append(f'<span class="muted">source:</span> {esc(ann["source"])}')
    page = "" if resolved is None else resolved["page"]
    score = score_cell(ann)  # as the table shows it
    return (f'<tr id="d{di}-r{ri}" class="st-{status}" data-status="{status}" '
            f'data-id="{esc(ann["id"])}" data-page="{page}">'
            f'<th scope="row">{esc(ann["id"])}</th><td>{_badge(status)}</td>'
            f'<td>{_page_cell(di, ri, doc, ann, vis)}</td><td class="num">{score}</td>'
            f'<td class="quote">{left}</td><td class="quote">{right}</td>'
            f'<td>{"<br>".join(details)}</td></tr>')


def _annotations(di: int, doc: DocumentCheck, d: dict, vis: DocumentVisuals, name: str) -> str:
    rows = "".join(_row(di, ri, doc, a, vis) for ri, a in enumerate(d["annotations"]))
    return (f'<table class="annotations" id="d{di}-annotations"><caption>Annotations of '
            f'{esc(name)}: status, page, score, stored and resolved quote (removed characters '
            f'struck through, added ones underlined)</caption>'
            '<colgroup><col class="c-id"><col class="c-status"><col class="c-page">'
            '<col class="c-score"><col class="c-quote"><col class="c-quote">'
            '<col class="c-details"></colgroup><thead><tr>'
            + "".join(f'<th scope="col">{c}</th>' for c in (
                "ID", "Status", "Page", "Score", "Stored quote", "Resolved quote", "Details"))
            + f"</tr></thead><tbody>{rows}</tbody></table>")


def _not_placed(di: int, doc: DocumentCheck, d: dict) -> str:
    items = []
    for ri, a in enumerate(d["annotations"]):
        if a["status"] not in NOT_PLACED:
            continue
        known = stored_page(doc, a)
        where = f"last known on p. {known + 1}" if known is not None else "page unknown"
        items.append(f'<li class="st-{a["status"]}"><a href="#d{di}-r{ri}">{esc(a["id"])}</a>'
                     f' {_badge(a["status"])} {where}</li>')
    if not items:
        return ""
    return (f'<h3 id="d{di}-not-placed">Not placed ({len(items)})</h3><p class="muted">'
            "Orphaned, ambiguous and invalid annotations, with the page of this PDF where "
            f"their stored position falls.</p><ul>{''.join(items)}</ul>")


def _pages(di: int, d: dict, vis: DocumentVisuals, name: str) -> str:
    by_page: dict[int, list[str]] = {p: [] for p in sorted(vis.images)}
    for ri, parts in enumerate(vis.highlights):
        a = d["annotations"][ri]
        status, k, n = a["status"], 0, sum(len(p.rects) for p in parts)
        for part in parts:
            img = vis.images.get(part.page)
            for rect in part.rects:
                if img is not None:
                    px = to_pixels(rect, img.matrix)
                    style = (f"left:{100 * px.x0 / img.width:.3f}%;"
                             f"top:{100 * px.y0 / img.height:.3f}%;"
                             f"width:{100 * px.width / img.width:.3f}%;"
                             f"height:{100 * px.height / img.height:.3f}%")
                    label = f"{status} highlight {esc(a['id'])}" + \
                        (f", part {k + 1} of {n}" if n > 1 else "") + "; go to its table row"
                    by_page[part.page].append(
                        f'<a class="box st-{status}" id="d{di}-b{ri}-{k}" href="#d{di}-r{ri}" '
                        f'style="{style}" aria-label="{label}" title="{label}"></a>')
                k += 1
    figures = []
    for p, boxes in by_page.items():
        img = vis.images[p]
        figures.append(
            f'<figure class="page" id="d{di}-p{p}"><figcaption>Page {p + 1} · {len(boxes)} '
            f'highlight box(es)</figcaption><div class="sheet">'
            f'<img src="{img.data_uri()}" loading="lazy" decoding="async" width="{img.width}" '
            f'height="{img.height}" alt="page {p + 1} of {esc(name)}">'
            f'{"".join(boxes)}</div></figure>')
    if not figures:
        return ""
    return f'<h3 id="d{di}-pages">Pages with highlights ({len(figures)})</h3>' + "".join(figures)


def _document(di: int, doc: DocumentCheck, vis: DocumentVisuals) -> str:
    d = document_dict(doc)
    name = d["pdf"] or ", ".join(d["sources"])
    head = f'<section class="document" id="d{di}" aria-labelledby="d{di}-h">' \
           f'<h2 id="d{di}-h">{esc(name)}</h2>'
    if d["error"]:
        return head + f'<p class="error" role="alert">{esc(unchecked_line(d))}</p></section>'
    meta = [f"text model {esc(d['model'])}", esc(fingerprint_line(d)),
            "notes: " + esc(", ".join(d["sources"]))]
    if vis.note:
        meta.append(f'<span class="error">{esc(vis.note)}</span>')
    if d["wrong_pdf_hint"]:
        meta.append(f'<strong class="error" role="note">{esc(d["wrong_pdf_hint"])}</strong>')
    notes = ""
    if d["page_notes"]:
        notes = (f'<h3>Page notes ({len(d["page_notes"])})</h3><p class="muted">No text '
                 'selectors, nothing to anchor.</p><ul>' + "".join(
                     f'<li>{esc(n["id"])} <span class="muted">({esc(n["source"])})</span></li>'
                     for n in d["page_notes"]) + "</ul>")
    return (head + "<p>" + "<br>".join(m for m in meta if m) + "</p>" + _summary(di, d)
            + _not_placed(di, doc, d) + _annotations(di, doc, d, vis, name) + notes
            + _pages(di, d, vis, name) + "</section>")


def _legend() -> str:
    items = "".join(
        f'<div><dt><span class="swatch" style="border:2px {style} {c};background:{c}33"'
        f' aria-hidden="true"></span>{_badge(s)}</dt><dd>{esc(meaning)}</dd></div>'
        for s, (c, style, _g, meaning) in STATUS_LOOK.items())
    filters = "".join(
        f'<label><input type="checkbox" checked data-filter="{s}"> {s}</label>'
        for s in STATUS_LOOK)
    return (f'<dl class="legend" aria-label="Status legend">{items}</dl>'
            f'<fieldset><legend>Show statuses</legend>{filters}</fieldset>')


def render_html(run: CheckRun, visuals: Sequence[DocumentVisuals], *,
                title: str = "tether report", generated: str | None = None) -> str:
    """The report as one HTML document. ``visuals[i]`` belongs to ``run.documents[i]``."""
    if len(visuals) != len(run.documents):
        raise ValueError(f"{len(visuals)} visuals for {len(run.documents)} documents")
    nav = "".join(
        f'<li><a href="#d{i}">{esc(str(d.pdf or "") or d.files[0].path)}</a></li>'
        for i, d in enumerate(run.documents))
    errors = ""
    if run.errors:
        errors = ('<section id="errors" aria-labelledby="errors-h"><h2 id="errors-h">Errors'
                  '</h2><ul>' + "".join(f'<li class="error">{esc(e.message)}</li>'
                                        for e in run.errors) + "</ul></section>")
    docs = "".join(_document(i, d, v) for i, (d, v) in enumerate(
        zip(run.documents, visuals, strict=True)))
    when = f" on {esc(generated)}" if generated else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        '<a class="skip" href="#main">Skip to the report</a>'
        f"<header><h1>{esc(title)}</h1><p>Made by tether {esc(__version__)}{when}; exit code "
        f"{run.exit_code} (as <code>tether check</code>).</p>"
        f'<nav aria-label="Documents"><ul>{nav}</ul></nav>{_legend()}</header>'
        f'<main id="main">{errors}{docs}</main><script>{SCRIPT}</script></body></html>\n')
