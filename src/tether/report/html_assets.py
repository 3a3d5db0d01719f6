"""The HTML report's style sheet, script and status legend (static text, inlined in the file).

Colour is never the only signal: every status also has its own border style and glyph, and its
name is written in the table and in each box's ``aria-label``.
"""

from __future__ import annotations

#: status → (colour, border style, glyph, what it means). Colours: WCAG AA against white for
#: text, and tinted fills over the page picture.
STATUS_LOOK: dict[str, tuple[str, str, str, str]] = {
    "anchored": ("#1a7f37", "solid", "✓", "at its stored position, unchanged"),
    "drifted": ("#0550ae", "dashed", "→", "same text, found at another position"),
    "fuzzy": ("#a04100", "dotted", "≈", "the quoted text changed; review"),
    "ambiguous": ("#8250df", "double", "?", "several places fit; not placed"),
    "orphaned": ("#cf222e", "solid", "✗", "not found; not placed"),
    "invalid": ("#57606a", "solid", "!", "cannot be resolved (bad annotation)"),
}

_STATUS_CSS = "\n".join(
    f".st-{s} .badge, .badge.st-{s} {{ color: {c}; border-color: {c}; }}\n"
    f"a.box.st-{s} {{ border: 2px {style} {c}; background: {c}33; }}\n"
    f".hide-{s} .st-{s} {{ display: none; }}"
    for s, (c, style, _g, _m) in STATUS_LOOK.items())

CSS = """
:root { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328;
        line-height: 1.4; }
body { margin: 0 auto; max-width: 1200px; padding: 0 1rem 4rem; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 10; }
a:focus-visible, input:focus-visible { outline: 3px solid #bf8700; outline-offset: 2px; }
h1 { margin-top: 1rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #d0d7de; padding: .25rem .5rem; vertical-align: top; text-align: left; }
thead th { background: #f6f8fa; position: sticky; top: 0; }
table.annotations { width: 100%; font-size: .9rem; table-layout: fixed; }
table.annotations th, table.annotations td { overflow-wrap: anywhere; }
table.annotations td.quote { white-space: pre-wrap; }
col.c-id { width: 9%; } col.c-status { width: 9.5%; } col.c-page { width: 7%; }
col.c-score { width: 6.5%; } col.c-quote { width: 25%; } col.c-details { width: 18%; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; border: 1px solid; border-radius: .75rem; padding: 0 .5rem;
         font-weight: 600; white-space: nowrap; background: #fff; }
del { background: #ffebe9; color: #82071e; text-decoration: line-through; }
ins { background: #dafbe1; color: #116329; text-decoration: underline; }
del::before, del::after, ins::before, ins::after { clip-path: inset(100%); clip: rect(0 0 0 0);
  height: 1px; width: 1px; overflow: hidden; position: absolute; white-space: nowrap; }
del::before { content: " [removed: "; } del::after { content: "] "; }
ins::before { content: " [added: "; } ins::after { content: "] "; }
.muted { color: #57606a; }
tr:target, a.box:target { outline: 3px solid #bf8700; }
tr:target { background: #fff8c5; }
tr, figure, section { scroll-margin-top: 3rem; }
figure.page { margin: 1rem 0 2rem; }
.sheet { position: relative; width: 100%; border: 1px solid #d0d7de; }
.sheet img { display: block; width: 100%; height: auto; }
a.box { position: absolute; display: block; box-sizing: border-box; min-width: 4px;
        min-height: 4px; }
a.box:hover, a.box:focus { background: #bf870055; }
fieldset { border: 1px solid #d0d7de; }
fieldset label { margin-right: 1rem; white-space: nowrap; }
.legend dt { display: inline-block; min-width: 8rem; }
.legend dd { display: inline; margin: 0 0 0 .5rem; }
.legend div { margin: .15rem 0; }
.swatch { display: inline-block; width: 2rem; height: 1rem; vertical-align: middle;
          margin-right: .4rem; }
.error { color: #82071e; }
""" + _STATUS_CSS

#: Status filter: one class on <body> per hidden status (O(1) per click, whatever the size).
SCRIPT = """
(function () {
  var boxes = document.querySelectorAll('input[data-filter]');
  for (var i = 0; i < boxes.length; i++) {
    boxes[i].addEventListener('change', function (ev) {
      var cb = ev.target;
      document.body.classList.toggle('hide-' + cb.getAttribute('data-filter'), !cb.checked);
    });
  }
})();
"""
