"""Suite B: mechanical mutations of real document texts, with computed truth.

Source texts: the PDF.js 2.11 page texts of the shared corpus (the 8 vault documents and the
newest version of the 3 versioned ones). For each (document, mutation) one *scenario*: spans
are drawn on the old text the way Hypothesis's sampler draws them (word-aligned, inside one
page, 20–600 code points, a fifth of them 3–25), selectors are made as Hypothesis 2022 makes
them (:func:`edits.describe`), the text is mutated, and each span's new place is tracked through
the edits (or is gone: the matcher must refuse). Spans of one scenario keep 150 code points
apart, so one case's edits never touch another's quote or context. Everything is seeded
(``SEED``, the mutation and the document name): the same corpus gives the same cases.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from edits import (
    EditSet,
    Sampler,
    nows_key,
    page_starts,
    split_pages,
    vocabulary,
)
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from rapidfuzz.utils import default_process

SEED = 20261125
SPANS = 8
SOURCES = ["vaults/*/**/*.pdfjs-pages.json", "versions/*/v4.pdfjs-pages.json"]
#: A deleted quote must not survive elsewhere: no window of the new text resembles it this much
#: (rapidfuzz partial_ratio after lower-casing and punctuation removal, 0..100).
SURVIVES_RATIO = 75


@dataclass
class Planned:
    """One case of a scenario: ``[s, e)`` in the old text; ``truth`` in the new text (code
    points) or None; ``category`` None means intact/edited by comparing the texts."""

    s: int
    e: int
    truth: tuple[int, int] | None
    accept: list[tuple[int, int]] = field(default_factory=list)
    category: str | None = None


@dataclass
class Scenario:
    name: str
    old_pages: list[str]
    new_pages: list[str]
    planned: list[Planned]


@dataclass
class Ctx:
    doc: str
    pages: list[str]
    rng: random.Random
    foreign: str

    def __post_init__(self) -> None:
        self.text = "".join(self.pages)
        self.starts = page_starts(self.pages)
        self.vocab = vocabulary(self.text) or ["text"]

    def sampler(self) -> Sampler:
        return Sampler(self.text, self.starts, self.rng)

    def words(self, lo: int, hi: int) -> str:
        """Random vocabulary words, ``lo``..``hi`` characters."""
        target, out = self.rng.randint(lo, hi), []
        while sum(len(w) + 1 for w in out) < target:
            out.append(self.rng.choice(self.vocab))
        return " ".join(out)

    def page_range(self, p: int) -> tuple[int, int]:
        i = max(0, sum(1 for s in self.starts if s <= p) - 1)
        return self.starts[i], (self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text))


def _spans(ctx: Ctx, smp: Sampler, n: int = SPANS, short: float = 0.2, long_min: int = 20,
           accept: Callable[[int, int], bool] | None = None) -> list[tuple[int, int]]:
    out = []
    for _ in range(n):
        sp = (smp.span(3, 25, accept=accept) if ctx.rng.random() < short
              else smp.span(long_min, 600, accept=accept))
        if sp:
            out.append(sp)
    return sorted(out)


def _local(ctx: Ctx, spans: list[tuple[int, int]], es: EditSet) -> Scenario:
    new = es.apply()
    planned = [Planned(s, e, (es.map(s, "after"), es.map(e, "before"))) for s, e in spans]
    return Scenario("", ctx.pages, split_pages(es, ctx.starts, new), planned)


def _unique(ctx: Ctx) -> Callable[[int, int], bool]:
    keyed = nows_key(ctx.text)
    return lambda s, e: keyed.count(nows_key(ctx.text[s:e])) == 1


def _covering(positions: list[int]) -> Callable[[int, int], bool]:
    import bisect

    def ok(s: int, e: int) -> bool:
        i = bisect.bisect_left(positions, s)
        return i < len(positions) and positions[i] < e
    return ok


# ----------------------------------------------------------------------------- local edits
def edit_outside(ctx: Ctx) -> list[Scenario]:
    """A word inserted, replaced or deleted within 100 characters before and after the span
    (often inside its stored context), and a new passage inserted somewhere before it."""
    rng, text, smp = ctx.rng, ctx.text, ctx.sampler()
    spans = _spans(ctx, smp)
    es = EditSet(text, ctx.starts + [p for sp in spans for p in sp])
    for s, e in spans:
        lo, hi = ctx.page_range(s)
        for a, b in ((max(lo, s - 100), s - 1), (e + 1, min(hi, e + 100))):
            words = [m.span() for m in re.finditer(r"\S+", text[a:b])]
            if not words:
                continue
            w0, w1 = (a + x for x in rng.choice(words))
            op = rng.choice(("insert", "replace", "delete"))
            if op == "insert":
                es.add(w0, w0, rng.choice(ctx.vocab) + " ")
            elif op == "replace":
                es.add(w0, w1, rng.choice(ctx.vocab))
            else:
                es.add(w0, w1 + (text[w1 : w1 + 1] == " "), "")
        p = smp.point(0, max(1, s - 200)) or smp.point(e + 200)
        if p is not None:
            es.add(p, p, ctx.words(30, 400) + " ")
    return [_local(ctx, spans, es)]


def reflow(ctx: Ctx) -> list[Scenario]:
    """Line breaks moved: around and inside the span, spaces vanish (PDF.js runs line-end words
    together), double, or appear inside runs (fake spaces)."""
    rng, text, smp = ctx.rng, ctx.text, ctx.sampler()
    spans = _spans(ctx, smp)
    es = EditSet(text, ctx.starts + [p for sp in spans for p in sp])
    for s, e in spans:
        lo, hi = ctx.page_range(s)
        for i in range(max(lo, s - 100), min(hi, e + 100)):
            r = rng.random()
            if text[i] == " ":
                if r < 0.35:
                    es.add(i, i + 1, "")
                elif r < 0.45:
                    es.add(i, i, " ")
            elif s < i < e and not text[i - 1].isspace() and r < 0.02:
                es.add(i, i, " ")
        for _ in range(20):
            if es.count_inside(s, e):
                break
            i = rng.randrange(s + 1, e) if e - s > 1 else s
            if text[i] == " ":
                es.add(i, i + 1, "")
            elif not text[i - 1].isspace():
                es.add(i, i, " ")
    return [_local(ctx, spans, es)]


def hyphenate(ctx: Ctx) -> list[Scenario]:
    """Words of the span split by a line-break hyphen (``trans-plantation``: PDF.js keeps the
    hyphen and adds no space); an existing one removed half the time."""
    rng, text, smp = ctx.rng, ctx.text, ctx.sampler()
    longword = re.compile(r"[^\W\d_]{6,}")
    spans = _spans(ctx, smp, accept=lambda s, e: bool(longword.search(text, s, e)))
    es = EditSet(text, ctx.starts + [p for sp in spans for p in sp])
    for s, e in spans:
        words = [m.span() for m in longword.finditer(text, s, e)]
        for a, b in rng.sample(words, min(len(words), rng.randint(1, 2))):
            k = rng.randint(a + 2, b - 3)
            es.add(k, k, "-")
        if rng.random() < 0.5:
            for m in re.finditer(r"(?<=[a-z])-(?=[a-z])", text[s:e]):
                es.add(s + m.start(), s + m.end(), "")
                break
    return [_local(ctx, spans, es)]


def _copy_edit(ctx: Ctx, es: EditSet, text: str, s: int, e: int, n_ops: int) -> None:
    """Change ``n_ops`` words strictly inside ``[s, e)`` (never the first or last word)."""
    rng = ctx.rng
    words = [(s + m.start(), s + m.end()) for m in re.finditer(r"\S+", text[s:e])][1:-1]
    rng.shuffle(words)
    done = 0
    for a, b in words:
        if done == n_ops:
            break
        if b - a > 12:  # a run with no spaces (CJK, formulas): change one character
            k = rng.randrange(a + 1, b - 1)
            done += es.add(k, k + 1, rng.choice(text[a:b].replace(text[k], "") or "x"))
            continue
        op = rng.choice(("replace", "delete", "insert", "typo", "swap"))
        if op in ("typo", "swap") and b - a < 4:
            op = "replace"
        if op == "replace":
            w = rng.choice([v for v in ctx.vocab if v != text[a:b]] or ["word"])
            done += es.add(a, b, w)
        elif op == "delete":
            done += es.add(a, b + (text[b : b + 1] == " "), "")
        elif op == "insert":
            done += es.add(a, a, rng.choice(ctx.vocab) + " ")
        elif op == "typo":
            k = rng.randrange(a + 1, b - 1)
            done += es.add(k, k + 1, rng.choice([c for c in "aeiostnrl" if c != text[k]]))
        elif text[a + 1] != text[a + 2]:
            done += es.add(a + 1, a + 3, text[a + 2] + text[a + 1])


def copy_edit(ctx: Ctx) -> list[Scenario]:
    """One to three words inside the span replaced, deleted, inserted, mistyped or swapped."""
    text, smp = ctx.text, ctx.sampler()
    spans = _spans(ctx, smp, short=0.0,
                   accept=lambda s, e: len(text[s:e].split()) >= 4)
    es = EditSet(text, ctx.starts + [p for sp in spans for p in sp])
    for s, e in spans:
        _copy_edit(ctx, es, text, s, e, 1 + (e - s >= 150) + (e - s >= 400))
    return [_local(ctx, spans, es)]


def delete(ctx: Ctx) -> list[Scenario]:
    """The span deleted, alone (its context survives and closes up) or with up to 80
    characters either side. Only quotes that survive nowhere else are used."""
    rng, text, smp = ctx.rng, ctx.text, ctx.sampler()

    def gone(s: int, e: int) -> bool:
        rest = text[:s] + text[e:]
        return nows_key(text[s:e]) not in nows_key(rest) and fuzz.partial_ratio(
            text[s:e], rest, processor=default_process) <= SURVIVES_RATIO

    spans = _spans(ctx, smp, accept=gone)
    es = EditSet(text, ctx.starts)
    for s, e in spans:
        lo, hi = ctx.page_range(s)
        a = b = 0
        if rng.random() < 0.5:
            a, b = min(s - lo - 1, rng.randint(0, 80)), min(hi - e, rng.randint(0, 80))
        es.add(s - a, e + b, "")
    new = es.apply()
    sc = Scenario("", ctx.pages, split_pages(es, ctx.starts, new), [])
    sc.planned = [Planned(s, e, None, category="deleted") for s, e in spans]
    return [sc]


def relocate(ctx: Ctx) -> list[Scenario]:
    """The span moved to another page, alone (its context stays behind) or with up to 120
    characters of its surroundings. Only quotes unique in the document are used."""
    rng, text, smp = ctx.rng, ctx.text, ctx.sampler()
    spans = _spans(ctx, smp, accept=_unique(ctx))
    es = EditSet(text, ctx.starts)
    moves = []
    for s, e in spans:
        lo, hi = ctx.page_range(s)
        a = b = 0
        if rng.random() < 0.5:
            a, b = min(s - lo - 1, rng.randint(20, 120)), min(hi - e, rng.randint(20, 120))
        t = smp.point(avoid_page=smp.page_of(s))
        if t is None or not es.add(s - a, e + b, ""):
            continue
        smp.reserve(t - smp.margin, t + smp.margin)
        es.add(t, t, text[s - a : e + b] + " ")
        moves.append((s, e, t, a))
    new = es.apply()
    sc = Scenario("", ctx.pages, split_pages(es, ctx.starts, new), [])
    sc.planned = [Planned(s, e, (es.placed(t) + a, es.placed(t) + a + e - s), category="moved")
                  for s, e, t, a in moves]
    return [sc]


def decoy(ctx: Ctx) -> list[Scenario]:
    """The old text also holds a verbatim copy of the quote elsewhere (sometimes with the end
    of its prefix); in the new text the original is copy-edited and the copy survives."""
    rng, text, smp = ctx.rng, ctx.text, ctx.sampler()
    unique = _unique(ctx)
    spans = _spans(ctx, smp, short=0.0,
                   accept=lambda s, e: len(text[s:e].split()) >= 4 and unique(s, e))
    es1 = EditSet(text, ctx.starts + [p for sp in spans for p in sp])
    for s, e in spans:
        t = smp.point(avoid_page=smp.page_of(s))
        if t is not None:
            smp.reserve(t - smp.margin, t + smp.margin)
            lead = text[max(0, s - 12) : s] if rng.random() < 0.5 else ""
            es1.add(t, t, lead + text[s:e] + " ")
    old = es1.apply()
    old_pages = split_pages(es1, ctx.starts, old)
    spans1 = [(es1.map(s, "after"), es1.map(e, "before")) for s, e in spans]
    starts1 = page_starts(old_pages)
    es2 = EditSet(old, starts1 + [p for sp in spans1 for p in sp])
    for s, e in spans1:
        _copy_edit(ctx, es2, old, s, e, 1 + (e - s >= 200))
    new = es2.apply()
    planned = [Planned(s, e, (es2.map(s, "after"), es2.map(e, "before"))) for s, e in spans1]
    return [Scenario("", old_pages, split_pages(es2, starts1, new), planned)]


def many(ctx: Ctx) -> list[Scenario]:
    """A short quote (one to three words) that occurs at least three times, told apart only by
    its context; text inserted before it moves the stored position, and half the time a word
    of its context changes too."""
    rng, text, smp = ctx.rng, ctx.text, ctx.sampler()
    spans: list[tuple[int, int]] = []
    for _ in range(400):
        if len(spans) == SPANS:
            break
        sp = smp.span(3, 40, tries=1)
        if sp is None:
            continue
        s, e = sp
        q = text[s:e]
        occ = [m.start() for m in re.finditer(re.escape(q), text)]
        ctx_s = text[max(0, s - 32) : s] + "|" + text[e : e + 32]
        if len(occ) < 3 or sum(ch.isalpha() for ch in q) < 3 or any(Levenshtein.distance(
                ctx_s, text[max(0, o - 32) : o] + "|" + text[o + len(q) : o + len(q) + 32]) < 12
                for o in occ if o != s):
            smp.zones.pop()
            continue
        spans.append(sp)
    spans.sort()
    es = EditSet(text, ctx.starts + [p for sp in spans for p in sp])
    for s, e in spans:
        p = smp.point(0, max(1, s - 200)) or smp.point(e + 200)
        if p is not None:
            es.add(p, p, ctx.words(40, 400) + " ")
        if rng.random() < 0.5:
            a, b = (max(0, s - 32), s - 1) if rng.random() < 0.5 else (e + 1, e + 32)
            words = [m.span() for m in re.finditer(r"\S+", text[a:b])]
            if words:
                w0, w1 = (a + x for x in rng.choice(words))
                es.add(w0, w1, rng.choice(ctx.vocab))
    return [_local(ctx, spans, es)]
