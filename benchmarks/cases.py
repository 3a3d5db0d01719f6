"""Benchmark cases, their scoring, and Suite A (the real update cases in ``fixtures/updates``).

A :class:`Case` is a selector made on an old text (exact + prefix + suffix + UTF-16 position)
and what should happen on a new text: ``truth`` (a UTF-16 span of the new document) or ``None``
(the passage is gone: the matcher must refuse). ``accept`` lists other spans an anchor may land
on without being wrong (a truth file's ``alternatives`` / ``occurrences``, which hold only
spans that may be the passage since session 9; Suite B's second copy of a duplicated document —
not another verbatim copy the old text already had, however alike its context); ``pieces``
lists surviving fragments of the passage (an anchor there is still wrong, reported apart).
All offsets are UTF-16 code units of the whole new text.

Scoring (every matcher alike), per case:

- ``refused``: no span;
- ``found``: the span overlaps ``truth`` or an ``accept`` span (``exact``: equals ``truth``);
- ``wrong``: any other span, and any span at all when ``truth`` is None.

This is :mod:`tether.evaluate`'s rule plus the fixtures README's advice that an anchor on an
``alternatives`` span is not wrong.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from peers import Query, Span, query_key, text_digest

from tether.formats import load_annotations
from tether.selectors import Annotation, TextPosition, TextQuote
from tether.textmodel.model import DocumentText

ROOT = Path(__file__).resolve().parents[1]
UPDATES = ROOT / "fixtures" / "updates"


@dataclass(frozen=True)
class Case:
    """One benchmark case. ``group``: the category (Suite A) or mutation (Suite B);
    ``category``: intact / edited / moved / deleted (what the new text did to the passage)."""

    id: str
    suite: str
    group: str
    category: str
    doc: str
    annotation: Annotation
    truth: Span | None
    accept: tuple[Span, ...] = ()
    pieces: tuple[Span, ...] = ()
    key: str = ""
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    def query(self) -> Query:
        q, p = self.annotation.quote, self.annotation.position
        assert q is not None and p is not None
        return Query(self.key, self.doc, q.exact, q.prefix, q.suffix, p.start, p.end)


def make_case(*, id: str, suite: str, group: str, category: str, doc: str,
              doc_digest: str, exact: str, prefix: str, suffix: str, start: int, end: int,
              truth: Span | None, accept: tuple[Span, ...] = (),
              pieces: tuple[Span, ...] = (), annotation: Annotation | None = None,
              **extra: object) -> Case:
    """A case whose cache key is derived from the new text and the selector."""
    ann = annotation or Annotation(id=id, quote=TextQuote(exact, prefix, suffix),
                                   position=TextPosition(start, end))
    key = query_key(doc_digest, exact, prefix, suffix, start, end)
    return Case(id, suite, group, category, doc, ann, truth, accept, pieces, key, dict(extra))


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def verdict(case: Case, answer: Span | None) -> str:
    """``exact`` | ``found`` (overlap, not exact) | ``refused`` | ``wrong`` | ``piece`` (wrong,
    on a surviving fragment)."""
    if answer is None:
        return "refused"
    if case.truth is not None:
        if answer == case.truth:
            return "exact"
        if _overlaps(answer, case.truth) or any(_overlaps(answer, s) for s in case.accept):
            return "found"
    if any(_overlaps(answer, s) for s in case.pieces):
        return "piece"
    return "wrong"


@dataclass
class Tally:
    """Counts of one matcher over some cases; ``found`` includes ``exact``, ``wrong`` includes
    pieces."""

    cases: int = 0
    found: int = 0
    exact: int = 0
    wrong: int = 0
    piece: int = 0
    refused: int = 0
    wrong_ids: list[str] = field(default_factory=list)

    def add(self, case: Case, v: str) -> None:
        self.cases += 1
        if v in ("exact", "found"):
            self.found += 1
            self.exact += v == "exact"
        elif v == "refused":
            self.refused += 1
        else:
            self.wrong += 1
            self.piece += v == "piece"
            self.wrong_ids.append(case.id)

    def rate(self, what: str) -> float:
        return getattr(self, what) / self.cases if self.cases else float("nan")


# ----------------------------------------------------------------------------- Suite A
def _note_selectors(md: str) -> dict[str, list[dict]]:
    """Block id → the JSON selectors of a note written by make_update_cases.py (what the
    oracle read when it made ``*.hypothesis.json``)."""
    pat = re.compile(r"^>```annotation-json\n>(.*?)\n>```\n(?:>.*\n)*?\^([a-z0-9]+)\n", re.M)
    return {bid: json.loads(js)["target"][0]["selector"] for js, bid in pat.findall(md)}


def suite_a(shared: Path) -> tuple[dict[str, DocumentText], list[Case], dict[str, Span | None],
                                   dict[str, list[dict]]]:
    """The update cases: documents (new versions), cases, Hypothesis's committed answers (by
    case key) and the raw JSON selectors (by case key, for re-running the oracle).

    The selectors the matchers get are the note's as tether reads it (the plugin's rule: the
    markdown PREFIX/POSTFIX line wins, so context is JS-trimmed); Hypothesis's committed run
    read the JSON. Hypothesis strips whitespace before matching, so that difference is moot."""
    docs: dict[str, DocumentText] = {}
    cases: list[Case] = []
    hypo: dict[str, Span | None] = {}
    raw: dict[str, list[dict]] = {}
    for truth_path in sorted(UPDATES.glob("*/*-to-*.truth.json")):
        name = truth_path.parent.name
        old, new = truth_path.name.split(".truth.json")[0].split("-to-")
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        pages = shared / "corpus" / "versions" / name / f"{new}.pdfjs-pages.json"
        doc_id = f"A:{name}/{new}"
        doc = docs[doc_id] = DocumentText.from_pdfjs_pages_json(pages.read_text("utf-8"))
        digest = text_digest(doc)
        note = truth_path.with_name(f"{old}.md")
        anns = {a.id: a for a in load_annotations(note).annotations}
        selectors = _note_selectors(note.read_text(encoding="utf-8"))
        hres = {r["id"]: r for r in json.loads(
            truth_path.with_name(f"{old}-to-{new}.hypothesis.json").read_text("utf-8"))["results"]}
        for c in truth["cases"]:
            ann = anns[c["id"]]
            q, p = ann.quote, ann.position
            assert q is not None and p is not None

            def spans(key: str, c: dict = c) -> tuple[Span, ...]:
                return tuple((o["start_utf16"], o["end_utf16"]) for o in c.get(key) or [])

            new_span = (c["new"]["start_utf16"], c["new"]["end_utf16"]) if c["new"] else None
            case = make_case(
                id=f"{name}/{old}-{new}/{c['id']}", suite="A", group=c["category"],
                category=c["category"], doc=doc_id, doc_digest=digest, exact=q.exact,
                prefix=q.prefix, suffix=q.suffix, start=p.start, end=p.end, truth=new_span,
                accept=spans("alternatives") + spans("occurrences"), pieces=spans("pieces"),
                annotation=ann, sample=c["sample"])
            cases.append(case)
            r = hres[c["id"]]
            hypo[case.key] = ((r["globalStart"], r["globalEnd"]) if r["status"] == "anchored"
                              else None)
            raw[case.key] = selectors[c["id"]]
    return docs, cases, hypo, raw
