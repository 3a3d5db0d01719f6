"""Suite B's document-wide mutations and the suite builder (see :mod:`mutations`)."""

from __future__ import annotations

import hashlib
import json
import random
import re
import unicodedata
from pathlib import Path

import mutations as mu
from cases import Case, make_case
from edits import Describer, EditSet, is_cjk, page_starts
from peers import text_digest

from tether.textmodel.model import DocumentText


def _global(ctx: mu.Ctx, candidates: list[tuple[int, int, str]], force: bool = True,
            ) -> list[mu.Scenario]:
    """Apply document-wide ``candidates`` (start, end, replacement), with spans drawn to cover
    at least one of them when possible."""
    text, smp = ctx.text, ctx.sampler()
    positions = sorted(c[0] for c in candidates)
    covering = mu._covering(positions)
    spans = []
    for _ in range(mu.SPANS):
        short = ctx.rng.random() < 0.2
        lo, hi = (3, 25) if short else (20, 600)
        sp = smp.span(lo, hi, accept=covering) if force else None
        sp = sp or smp.span(lo, hi)
        if sp:
            spans.append(sp)
    spans.sort()
    es = EditSet(text, ctx.starts + [p for sp in spans for p in sp])
    for a, b, rep in candidates:
        es.add(a, b, rep)
    return [mu._local(ctx, spans, es)]


_PUNCT = re.compile(r"\.\.\.|--|[\"'‘’“”…–—]|(?<=\d)-(?=\d)|(?<= )-(?= )")


def smart_punctuation(ctx: mu.Ctx) -> list[mu.Scenario]:
    """Typography redone both ways: straight quotes curled and curly ones straightened,
    ``...`` ↔ ``…``, ``--`` ↔ ``—``, ``–`` → ``-``, a spaced or numeric-range hyphen → ``–``."""
    text, out = ctx.text, []
    for m in _PUNCT.finditer(text):
        c, i = m.group(), m.start()
        before = text[i - 1] if i else " "
        opening = before.isspace() or before in "([{"
        rep = {"'": "‘" if opening else "’", '"': "“" if opening else "”", "‘": "'", "’": "'",
               "“": '"', "”": '"', "...": "…", "…": "...", "--": "—", "—": "--", "–": "-",
               "-": "–"}[c]
        out.append((i, m.end(), rep))
    return _global(ctx, out)


_OCR = {"rn": "m", "cl": "d", "m": "rn", "d": "cl", "l": "1", "1": "l", "I": "l", "O": "0",
        "0": "O", "e": "c", "c": "e", "h": "b", "n": "u", "u": "n", "S": "5", "5": "S",
        "B": "8", "g": "q", "t": "f", "f": "t", ".": ",", ",": ".", " ": ""}


def ocr_noise(ctx: mu.Ctx) -> list[mu.Scenario]:
    """OCR-like confusions (rn→m, l→1, e→c, dropped spaces…) at 1–3 % of the characters of the
    whole text, at least one inside each span."""
    rng, text = ctx.rng, ctx.text
    rate = rng.choice((0.01, 0.02, 0.03))
    spans = mu._spans(ctx, ctx.sampler())
    es = EditSet(text, ctx.starts + [p for sp in spans for p in sp])

    def confuse(i: int) -> bool:
        return any(k in _OCR and es.add(i, i + len(k), _OCR[k])
                   for k in (text[i : i + 2], text[i]))

    for i in range(len(text)):
        if rng.random() < rate:
            confuse(i)
    for s, e in spans:
        for _ in range(30):
            if es.count_inside(s, e) or confuse(rng.randrange(s, e)):
                break
    return [mu._local(ctx, spans, es)]


def ligatures_unicode(ctx: mu.Ctx) -> list[mu.Scenario]:
    """Another extraction's Unicode: ligature glyphs kept (fi→ﬁ…), accented letters
    decomposed (NFD), mathematical letters folded (𝑥→x: two UTF-16 units become one),
    full-width punctuation ↔ ASCII beside CJK, some spaces as U+00A0."""
    rng, text, out = ctx.rng, ctx.text, []
    for m in re.finditer("ffi|ffl|ff|fi|fl", text):
        if rng.random() < 0.9:
            out.append((m.start(), m.end(), {"ffi": "ﬃ", "ffl": "ﬄ", "ff": "ﬀ", "fi": "ﬁ",
                                             "fl": "ﬂ"}[m.group()]))
    for i, ch in enumerate(text):
        o = ord(ch)
        if 0x1D400 <= o <= 0x1D7FF or 0xFF01 <= o <= 0xFF5E:
            out.append((i, i + 1, unicodedata.normalize("NFKC", ch)))
        elif ch in ",.:;!?()" and 0 < i < len(text) - 1 and (
                is_cjk(text[i - 1]) or is_cjk(text[i + 1])):
            out.append((i, i + 1, chr(o + 0xFEE0)))
        elif ch == " " and rng.random() < 0.03:
            out.append((i, i + 1, "\u00a0"))
        elif ch.isalpha() and not is_cjk(ch):
            nfd = unicodedata.normalize("NFD", ch)
            if nfd != ch:
                out.append((i, i + 1, nfd))
    out.sort()
    return _global(ctx, out)


def reorder_pages(ctx: mu.Ctx) -> list[mu.Scenario]:
    """The pages cut into two to four blocks and the blocks shuffled (a chapter or appendix
    moved)."""
    rng, n = ctx.rng, len(ctx.pages)
    order = list(range(n))
    while order == list(range(n)) and n > 1:
        cuts = sorted(rng.sample(range(1, n), min(n - 1, rng.randint(1, 3))))
        blocks = [list(range(a, b)) for a, b in zip([0] + cuts, cuts + [n], strict=True)]
        rng.shuffle(blocks)
        order = [p for b in blocks for p in b]
    new_pages = [ctx.pages[p] for p in order]
    new_starts = page_starts(new_pages)
    where = {p: new_starts[k] for k, p in enumerate(order)}
    smp = ctx.sampler()
    planned = []
    for s, e in mu._spans(ctx, smp):
        p = smp.page_of(s)
        d = where[p] - ctx.starts[p]
        planned.append(mu.Planned(s, e, (s + d, e + d), category="moved" if d else "intact"))
    return [mu.Scenario("", ctx.pages, new_pages, planned)]


def duplicate(ctx: mu.Ctx) -> list[mu.Scenario]:
    """The document twice in one file; half the scenarios also get a new first page (so the
    stored positions are off). The first copy is the answer; the second has the same text and
    context, so an anchor there is accepted (found, not exact)."""
    out = []
    for variant in ("plain", "preface"):
        smp = ctx.sampler()
        pre: list[str] = []
        if variant == "preface":
            a = ctx.rng.randrange(max(1, len(ctx.foreign) - 3000))
            pre = [ctx.foreign[a : a + ctx.rng.randint(500, 3000)]]
        shift, length = sum(map(len, pre)), len(ctx.text)
        planned = [mu.Planned(s, e, (s + shift, e + shift),
                              [(s + shift + length, e + shift + length)])
                   for s, e in mu._spans(ctx, smp, n=mu.SPANS // 2)]
        out.append(mu.Scenario(variant, ctx.pages, pre + ctx.pages + ctx.pages, planned))
    return out


KINDS = {
    "edit-outside-span": mu.edit_outside,
    "reflow-whitespace": mu.reflow,
    "smart-punctuation": smart_punctuation,
    "hyphenated-line-break": mu.hyphenate,
    "copy-edit-inside-span": mu.copy_edit,
    "delete-span": mu.delete,
    "duplicate-document": duplicate,
    "relocate-span": mu.relocate,
    "decoy-survives-edit": mu.decoy,
    "ocr-noise": ocr_noise,
    "ligature-unicode": ligatures_unicode,
    "reorder-pages": reorder_pages,
    "many-occurrences": mu.many,
}


def sources(shared: Path) -> list[tuple[str, list[str]]]:
    """(short name, page texts) of the source documents, in a fixed order."""
    out = []
    for pattern in mu.SOURCES:
        for p in sorted((shared / "corpus").glob(pattern)):
            name = (p.parent.name if "versions" in p.parts else
                    p.relative_to(shared / "corpus" / "vaults").parts[0])
            data = json.loads(p.read_text(encoding="utf-8"))
            out.append((name, [q["text"] for q in sorted(data["pages"],
                                                         key=lambda q: q["index"])]))
    return out


def suite_b(shared: Path, kinds: list[str] | None = None, names: list[str] | None = None,
            seed: int = mu.SEED) -> tuple[dict[str, DocumentText], list[Case]]:
    """Every (mutation, document) scenario — or those of ``kinds`` × ``names`` (each scenario
    is seeded by its own mutation and document, so a subset has the same cases): new documents
    by id, and the cases. ``seed`` other than :data:`mutations.SEED` draws another suite of the
    same kinds (an out-of-sample check of rules tuned on the default one)."""
    docs: dict[str, DocumentText] = {}
    cases: list[Case] = []
    srcs = sources(shared)
    for kind in kinds or list(KINDS):
        for k, (name, pages) in enumerate(srcs):
            if names is not None and name not in names:
                continue
            rng = random.Random(f"{seed}/{kind}/{name}")
            foreign = "".join(srcs[(k + 1) % len(srcs)][1])
            for sc in KINDS[kind](mu.Ctx(name, pages, rng, foreign)):
                cases += _cases(kind, name, sc, docs)
    return docs, cases


def _cases(kind: str, name: str, sc: mu.Scenario, docs: dict[str, DocumentText]
           ) -> list[Case]:
    doc_id = f"B:{kind}/{name}" + (f"/{sc.name}" if sc.name else "")
    new = docs[doc_id] = DocumentText.from_page_texts(sc.new_pages, model="pdfjs-2.11")
    digest = text_digest(new)
    describe = Describer("".join(sc.old_pages))
    out = []
    for i, p in enumerate(sorted(sc.planned, key=lambda p: p.s)):
        exact, prefix, suffix, s16, e16 = describe(p.s, p.e)
        category = p.category
        truth = accept = None
        if p.truth is not None:
            found = new.text[p.truth[0] : p.truth[1]]
            if category is None:
                category = "intact" if found == exact else "edited"
            if category in ("intact", "moved"):
                assert found == exact, (kind, name, exact, found)
            truth = (new.to_utf16(p.truth[0]), new.to_utf16(p.truth[1]))
            # Only a copy the mutation made (duplicate-document's second copy) is accepted:
            # every other verbatim copy of the quote is OLD's text at another place, which an
            # anchor must not take for the passage however alike the contexts (session 9).
            accept = tuple((new.to_utf16(a), new.to_utf16(b)) for a, b in p.accept)
        out.append(make_case(
            id=f"{doc_id}/{i}", suite="B", group=kind, category=category or "deleted",
            doc=doc_id, doc_digest=digest, exact=exact, prefix=prefix, suffix=suffix,
            start=s16, end=e16, truth=truth, accept=accept or ()))
    return out


def digest_cases(cases: list[Case]) -> str:
    """One hash of every case's inputs and truth (to tell stale committed peer answers)."""
    h = hashlib.sha1()
    for c in cases:
        h.update(f"{c.id}\0{c.key}\0{c.truth}\0{c.accept}\0{c.category}\n".encode())
    return h.hexdigest()
