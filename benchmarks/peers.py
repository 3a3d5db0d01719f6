"""The matchers tether is measured beside, run on the same cases, plus a cache of their answers.

Every matcher answers a :class:`Query` (a selector made the way Hypothesis makes it) against a
document's page texts with a span in **UTF-16 code units** of the whole document text (what
Hypothesis stores), or ``None`` (refused / orphan).

- ``hypothesis``: Hypothesis 2022's anchoring (position check, then ``matchQuote`` over each page
  with whitespace stripped: approx-string-match, weights 50/20/20/2, no score floor). Run by
  ``hypothesis_anchor.mjs``, which imports ``anchorSelectors`` from the oracle ``hypo.mjs`` and
  feeds it page texts instead of a PDF (its text-layer view is then the page text itself). No
  reimplementation: the oracle's own code, checked against its committed verdicts on Suite A.
- ``reanchor``: the ``reanchor`` package (PyPI), ``resolve_quote`` with its default options on
  the whole document text; it has no use for a position. Its code-point span is converted.
- ``dmp``: dom-anchor-text-quote's ``toPositionAnchor`` (the method of Hypothesis before
  approx-string-match) on the ``diff-match-patch`` package: ``match_main`` for the prefix (else
  the suffix) near the position hint with ``Match_Distance = 2 × text length``, then the quote
  in 32-unit slices, each after the previous one with ``Match_Distance = 64``; any slice not found
  → refused. Run on a string of UTF-16 code units, as JavaScript sees the text.

The answers are pure functions of (document text, selector), so :class:`AnswerCache` keys them
by a digest of both and the committed caches (``fixtures/accuracy/<matcher>.json``) stand for a
run of the matcher on exactly those inputs; ``--fresh-peers`` recomputes them.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from diff_match_patch import diff_match_patch

from tether.textmodel.model import DocumentText

HERE = Path(__file__).resolve().parent
NODE_RUNNER = HERE / "hypothesis_anchor.mjs"

Span = tuple[int, int]


@dataclass(frozen=True)
class Query:
    """One selector to resolve. ``exact``/``prefix``/``suffix`` are Python strings that may hold
    lone surrogates (Hypothesis slices context in UTF-16 units); ``start``/``end`` are the stored
    TextPositionSelector in UTF-16 units of the *old* text."""

    key: str
    doc: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def text_digest(doc: DocumentText) -> str:
    """Identity of a document for the caches: its page texts (page breaks included)."""
    h = hashlib.sha1()
    for p in doc.pages:
        h.update(_utf8(p.text))
        h.update(b"\x00\x01")
    return h.hexdigest()


def query_key(doc_digest: str, exact: str, prefix: str, suffix: str, start: int, end: int
              ) -> str:
    h = hashlib.sha1(doc_digest.encode())
    for part in (exact, prefix, suffix, str(start), str(end)):
        h.update(b"\x00")
        h.update(_utf8(part))
    return h.hexdigest()[:20]


def _utf8(s: str) -> bytes:
    return s.encode("utf-8", "surrogatepass")


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _pair(m: re.Match[str]) -> str:
    o = ord(m.group()) - 0x10000
    return chr(0xD800 + (o >> 10)) + chr(0xDC00 + (o & 0x3FF))


def to_units(s: str) -> str:
    """``s`` as a string of UTF-16 code units (a non-BMP character becomes its two surrogates),
    so that Python indices are JavaScript indices."""
    return _ASTRAL.sub(_pair, s) if _ASTRAL.search(s) else s


def from_units(s: str) -> str:
    """Inverse of :func:`to_units`: join surrogate pairs; lone surrogates stay."""
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


# ----------------------------------------------------------------------------- answer cache
class AnswerCache:
    """Answers of one matcher by query key, stored as JSON (one entry per line)."""

    def __init__(self, path: Path, matcher: str, version: str) -> None:
        self.path, self.matcher, self.version = path, matcher, version
        self.answers: dict[str, Span | None] = {}
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("matcher") == matcher and data.get("version") == version:
                self.answers = {k: (tuple(v) if v is not None else None)  # type: ignore[misc]
                                for k, v in data["answers"].items()}

    def missing(self, keys: Iterable[str]) -> list[str]:
        return [k for k in keys if k not in self.answers]

    def save(self, keep: Iterable[str]) -> None:
        """Write the answers for ``keep`` only (entries for cases no longer made are dropped)."""
        keep = sorted(set(keep) & self.answers.keys())
        lines = [f"  {json.dumps(k)}: {json.dumps(_listed(self.answers[k]))}" for k in keep]
        head = json.dumps({"matcher": self.matcher, "version": self.version})[:-1]
        body = ",\n".join(lines)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(f'{head}, "answers": {{\n{body}\n}}}}\n', encoding="utf-8")


def _listed(span: Span | None) -> list[int] | None:
    return None if span is None else list(span)


# ----------------------------------------------------------------------------- reanchor
def reanchor_version() -> str | None:
    try:
        return metadata.version("reanchor")
    except metadata.PackageNotFoundError:
        return None


_DOCS: dict[str, DocumentText] = {}
_PREPARED: dict[str, object] = {}


def _reanchor_one(q: Query) -> tuple[str, Span | None, float]:
    import reanchor

    t = time.perf_counter()
    doc = _DOCS[q.doc]
    prepared = _PREPARED.get(q.doc)
    if prepared is None:
        prepared = _PREPARED[q.doc] = reanchor.prepare_document(doc.text)
    sel = reanchor.TextQuoteSelector(exact=from_units(q.exact), prefix=from_units(q.prefix),
                                     suffix=from_units(q.suffix))
    found = reanchor.resolve_quote(prepared, sel)  # type: ignore[arg-type]
    span = None if found is None else (doc.to_utf16(found.start), doc.to_utf16(found.end))
    return q.key, span, time.perf_counter() - t


def run_reanchor(docs: dict[str, DocumentText], queries: Sequence[Query], jobs: int,
                 on_answer: Callable[[str, Span | None, float], None] | None = None
                 ) -> tuple[dict[str, Span | None], list[float]]:
    """reanchor on ``queries`` (fork-based pool of ``jobs`` workers; the documents are
    inherited). Returns answers and per-query seconds; ``on_answer`` sees each as it comes."""
    _DOCS.clear()
    _DOCS.update(docs)
    _PREPARED.clear()
    # Longest quotes first: reanchor's approximate rung is quadratic in the quote length.
    order = sorted(queries, key=lambda q: (-len(q.exact), q.key))
    answers: dict[str, Span | None] = {}
    seconds: list[float] = []
    if jobs <= 1:
        results: Iterable[tuple[str, Span | None, float]] = map(_reanchor_one, order)
        pool = None
    else:
        pool = multiprocessing.get_context("fork").Pool(jobs)
        results = pool.imap_unordered(_reanchor_one, order, chunksize=1)
    try:
        for key, span, sec in results:
            answers[key] = span
            seconds.append(sec)
            if on_answer:
                on_answer(key, span, sec)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return answers, seconds


# ----------------------------------------------------------------------------- dmp
SLICE_LENGTH = 32
_SLICE_RE = re.compile(f"[^\u2028\u2029]{{1,{SLICE_LENGTH}}}")  # JS /(.|[\r\n]){1,32}/g


def dmp_anchor(text16: str, exact16: str, prefix16: str | None, suffix16: str | None,
               hint: int | None) -> Span | None:
    """dom-anchor-text-quote 4.x ``toPositionAnchor`` over UTF-16 unit strings."""
    dmp = diff_match_patch()
    dmp.Match_Distance = len(text16) * 2
    slices = _SLICE_RE.findall(exact16)
    if not slices:
        return None
    loc = hint if hint is not None else len(text16) // 2
    found_prefix = False
    if prefix16 is not None:
        result = dmp.match_main(text16, prefix16, loc)
        if result > -1:
            loc = result + len(prefix16)
            found_prefix = True
    if suffix16 is not None and not found_prefix:
        result = dmp.match_main(text16, suffix16, loc + len(exact16))
        if result > -1:
            loc = result - len(exact16)
    first = slices[0]
    result = dmp.match_main(text16, first, loc)
    if result == -1:
        return None
    start = result
    loc = end = start + len(first)
    dmp.Match_Distance = 64
    for piece in slices[1:]:
        result = dmp.match_main(text16, piece, loc)
        if result == -1:
            return None
        loc = result + len(piece)
        start = min(start, result)
        end = max(end, result + len(piece))
    return start, end


def run_dmp(docs: dict[str, DocumentText], queries: Sequence[Query]
            ) -> tuple[dict[str, Span | None], list[float]]:
    units: dict[str, str] = {}
    answers: dict[str, Span | None] = {}
    seconds = []
    for q in queries:
        text16 = units.get(q.doc)
        if text16 is None:
            text16 = units[q.doc] = to_units(docs[q.doc].text)
        t = time.perf_counter()
        # Python's match_main clamps loc like JavaScript's; JS's loc arithmetic is the same.
        answers[q.key] = dmp_anchor(text16, to_units(q.exact), to_units(q.prefix),
                                    to_units(q.suffix), q.start)
        seconds.append(time.perf_counter() - t)
    return answers, seconds


# ----------------------------------------------------------------------------- Hypothesis
def find_oracle(explicit: Path | None) -> tuple[Path | None, str]:
    """(oracle folder, reason when unusable): needs ``node`` and ``hypo.mjs`` with its
    ``node_modules`` (``npm ci`` done)."""
    if shutil.which("node") is None:
        return None, "node is not on PATH"
    cands = [explicit] if explicit else [Path("/tmp/oracle")]
    for c in cands:
        if c and (c / "hypo.mjs").is_file() and (
                c / "node_modules" / "approx-string-match").is_dir():
            return c, ""
    return None, (f"no usable oracle at {cands[0]} (hypo.mjs + node_modules; copy "
                  "../shared/tools/pdfjs-oracle and run npm ci, then pass --oracle DIR)")


def run_hypothesis(oracle: Path, docs: dict[str, DocumentText], queries: Sequence[Query],
                   raw: dict[str, list[dict]] | None = None) -> dict[str, Span | None]:
    """Hypothesis 2022's ``anchorSelectors`` (from the oracle) on the page texts. ``raw``
    (query key → selector list) replaces a query's selectors, e.g. with a note's JSON."""
    out = run_hypothesis_raw(oracle, docs, queries, raw)
    return {k: (tuple(v) if v is not None else None) for k, v in out.items()}  # type: ignore[misc]


def run_hypothesis_raw(oracle: Path, docs: dict[str, DocumentText], queries: Sequence[Query],
                       raw: dict[str, list[dict]] | None = None, scores: bool = False
                       ) -> dict[str, object]:
    """The runner's JSON output by query key: ``[start, end] | None``, or with ``scores``
    ``{span, method, score, errors}`` (see ``hypothesis_anchor.mjs``)."""
    raw = raw or {}
    by_doc: dict[str, list[Query]] = {}
    for q in queries:
        by_doc.setdefault(q.doc, []).append(q)
    payload = {"model": "hypothesis-2022", "documents": [
        {"pages": [p.text for p in docs[d].pages],
         "annotations": [{"key": q.key, "selectors": raw.get(q.key) or [
             {"type": "TextPositionSelector", "start": q.start, "end": q.end},
             {"type": "TextQuoteSelector", "exact": q.exact, "prefix": q.prefix,
              "suffix": q.suffix}]} for q in qs]}
        for d, qs in by_doc.items()]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as fh:
        # ensure_ascii: non-BMP characters and lone surrogates travel as \\uXXXX escapes,
        # which JSON.parse turns into exactly the UTF-16 string JavaScript would hold.
        json.dump(payload, fh, ensure_ascii=True)
        fh.flush()
        proc = subprocess.run(["node", str(NODE_RUNNER), str(oracle), fh.name,
                               *(["--scores"] if scores else [])],
                              capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise RuntimeError(f"hypothesis_anchor.mjs failed ({proc.returncode})")
    return json.loads(proc.stdout)
