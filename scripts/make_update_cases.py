#!/usr/bin/env python3
"""Make the version-update fixtures under ``fixtures/updates/`` (and copy the free PDFs).

For each document of ``<shared>/corpus/versions/`` and each pair vN -> vN+1 (N = 1..3):

1. ``node hypo.mjs sample vN.pdf`` draws word-aligned selections as Hypothesis would store them
   (a long sample and a short one); each must anchor *by position* on vN (``hypo.mjs anchor``).
2. ``<doc>/vN.md``: an Obsidian Annotator note holding them, byte-compatible with the plugin's
   ``makeAnnotationString`` (obsidian-annotator 0.2.x, ``src/annotationUtils.tsx``).
3. ``<doc>/vN-to-vN+1.truth.json``: where each quote went in vN+1, from an alignment of the two
   versions' PDF.js 2.11 texts (``vN.pdfjs-pages.json``; see ``fixtures/README.md``).
4. ``<doc>/vN-to-vN+1.hypothesis.json``: what Hypothesis does with the vN note on vN+1
   (``hypo.mjs anchor``), with a verdict against the truth.

Offsets: Python ``str`` indices are code points (``*_cp``); Hypothesis stores UTF-16 code units
(``*_utf16``). Node is needed only here; the tests read the committed JSON.

Usage: ``python scripts/make_update_cases.py [--oracle DIR] [--shared DIR] [--doc NAME ...]``
(``--oracle`` defaults to $TETHER_ORACLE or /tmp/oracle, ``--shared`` to $TETHER_SHARED or
../shared).
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pymupdf
from diff_match_patch import diff_match_patch
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures" / "updates"
PDF_OUT = ROOT / "fixtures" / "pdfs"
DOCS = ("co519-logic-partD", "eth-yellowpaper", "music-esprit-thesis-it")
# Only these may be redistributed (CC BY-SA 4.0 and CC0); co519 may not: never copy its PDFs.
FREE_PDFS = {"eth-yellowpaper": ("v1.pdf", "v2.pdf"),
             "music-esprit-thesis-it": ("v1.pdf", "v2.pdf")}
N_LONG, N_SHORT = 120, 30  # kept per note; drawn with some spare (page-start spans are dropped)
SHORT_LEN = (3, 25)  # --min-len / --max-len of the short sample (code units)
EDITED_MIN_KEPT = 0.5  # kept fraction at or above which a changed quote is `edited`
CONTEXT_MIN_RATIO = 60.0  # rapidfuzz ratio of 32-char context that makes a re-found quote `moved`
MOVED_MIN_NOWS = 40  # a unique verbatim re-occurrence this long (non-space chars) is `moved`
TOKEN_TIMEOUT_S, CHAR_TIMEOUT_S = 300.0, 20.0
SEARCH_MIN_SCORE = 50.0  # rapidfuzz partial_ratio floor for candidate B (search_whole)
SEARCH_MARGIN = 0.15  # B must keep this much more than A to win
ALT_MIN_KEPT = 0.5  # both candidates this good and disjoint: the loser is an `alternative`
PIECE_MIN = 0.2  # a deleted case lists kept pieces holding at least this fraction
MOVE_GAP = 40  # kept targets further apart than this (code points) are separate clusters
HYPO_SPACES = " \f\n\r\t\v\u00a0"  # Hypothesis's isSpace() set
JS_WS = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
JS_WS += "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"  # String.prototype.trim()
TOKEN_RE = re.compile(r"\S+\s*|\s+")


def seeds(doc: str, n: int) -> tuple[int, int]:
    """The fixed `sample --seed` values (long, short) for vN of `doc`."""
    base = 1000 + 100 * DOCS.index(doc) + 10 * n
    return base + 1, base + 2


# ---------------------------------------------------------------- UTF-16 <-> code points
class Utf16Map:
    """Code-point index <-> UTF-16 offset for one text (both directions exact, asserted)."""

    def __init__(self, text: str) -> None:
        self.u16 = [0]
        for ch in text:
            self.u16.append(self.u16[-1] + (2 if ord(ch) > 0xFFFF else 1))

    def to_utf16(self, cp: int) -> int:
        return self.u16[cp]

    def to_cp(self, u16: int) -> int:
        cp = bisect.bisect_left(self.u16, u16)
        if cp >= len(self.u16) or self.u16[cp] != u16:
            raise ValueError(f"UTF-16 offset {u16} splits a surrogate pair or is out of range")
        return cp


def load_text(path: Path) -> str:
    """Concatenated PDF.js page texts; asserts each page's `offset`/`length` are UTF-16."""
    pages = json.loads(path.read_text(encoding="utf-8"))["pages"]
    off = 0
    for p in pages:
        n16 = len(p["text"].encode("utf-16-le")) // 2
        assert p["offset"] == off and p["length"] == n16, (path, p["index"])
        off += n16
    return "".join(p["text"] for p in pages)


# ---------------------------------------------------------------- oracle
class Oracle:
    def __init__(self, root: Path) -> None:
        self.script = root / "hypo.mjs"
        if not self.script.is_file():
            sys.exit(f"error: no hypo.mjs in {root} (pass --oracle or set TETHER_ORACLE)")

    def run(self, *args: str) -> dict:
        proc = subprocess.run(["node", str(self.script), *args], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"error: hypo.mjs {' '.join(args)} failed:\n{proc.stderr}")
        return json.loads(proc.stdout)

    def anchor(self, pdf: Path, anns: list[dict]) -> dict:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump(anns, fh)  # ASCII: keeps lone surrogates as escapes
        try:
            return self.run("anchor", str(pdf), fh.name)
        finally:
            os.unlink(fh.name)


def draw_samples(oracle: Oracle, pdf: Path, text: str, doc: str, n: int) -> tuple[list, dict]:
    """Long + short samples that anchor by position on `pdf`, in reading order."""
    s_long, s_short = seeds(doc, n)
    runs = [
        ("long", s_long, N_LONG, ["--n", str(N_LONG + 30), "--seed", str(s_long)]),
        ("short", s_short, N_SHORT, ["--n", str(N_SHORT + 15), "--seed", str(s_short), "--min-len",
                                     str(SHORT_LEN[0]), "--max-len", str(SHORT_LEN[1])]),
    ]
    m = Utf16Map(text)
    picked, seen, info = [], set(), {}
    for kind, seed, want, args in runs:
        samples = oracle.run("sample", str(pdf), *args)["samples"]
        res = {r["id"]: r for r in oracle.anchor(pdf, samples)["results"]}
        kept = dropped_pos = dropped_dup = 0
        for s in samples:
            pos = next(x for x in s["selectors"] if x["type"] == "TextPositionSelector")
            quote = next(x for x in s["selectors"] if x["type"] == "TextQuoteSelector")
            assert text[m.to_cp(pos["start"]):m.to_cp(pos["end"])] == quote["exact"], s["id"]
            if res[s["id"]].get("method") != "position":
                dropped_pos += 1  # starts exactly at a page start: Hypothesis's findPageByOffset
                continue
            if (pos["start"], pos["end"]) in seen:
                dropped_dup += 1
                continue
            if kept < want:
                seen.add((pos["start"], pos["end"]))
                picked.append({"kind": kind, "seed": seed, "sample_id": s["id"],
                               "position": pos, "quote": quote})
                kept += 1
        assert kept == want, f"{pdf}: only {kept} usable {kind} samples"
        info[kind] = {"seed": seed, "args": args, "kept": kept,
                      "dropped_not_by_position": dropped_pos, "dropped_duplicate": dropped_dup}
    picked.sort(key=lambda a: (a["position"]["start"], a["position"]["end"]))
    return picked, info


# ---------------------------------------------------------------- the note
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def js_trim(s: str) -> str:
    return s.strip(JS_WS)


def js_stringify(obj: object) -> str:
    """JSON.stringify(obj): compact, insertion order, non-ASCII raw, C0 controls escaped.

    Like ES2019's well-formed JSON.stringify, a lone surrogate (a 32-unit prefix/suffix may cut a
    surrogate pair) is written as a lower-case ``\\udxxx`` escape.
    """
    raw = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", raw)


def md_text(s: str) -> str:
    """A JS string as Obsidian writes it to disk (UTF-8 encoding makes lone surrogates U+FFFD)."""
    return LONE_SURROGATE.sub("\ufffd", s)


def fingerprint(pdf: Path) -> str:
    """PDF.js 2.11's fingerprint: hex of trailer /ID[0] (lower case)."""
    with pymupdf.open(pdf) as doc:
        kind, val = doc.xref_get_key(-1, "ID")
    m = re.match(r"\[\s*<([0-9A-Fa-f]+)>", val) if kind == "array" else None
    if not m or set(m.group(1)) == {"0"}:
        raise SystemExit(f"error: {pdf} has no usable hex /ID; add the MD5 fallback if needed")
    return m.group(1).lower()


def pdf_title(pdf: Path) -> str:
    with pymupdf.open(pdf) as doc:
        return (doc.metadata or {}).get("title") or pdf.name


def block_id(rng: random.Random, taken: set[str]) -> str:
    """Like Math.random().toString(36).substr(2): 10-11 lowercase base-36 characters."""
    while True:
        n = rng.choice((10, 11, 11))
        bid = "".join(rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(n))
        if bid not in taken:
            taken.add(bid)
            return bid


COMMENTS = (
    "check this against the definition earlier",
    'key claim - "cite" in chapter 2',
    "TODO: compare with the previous version\nthe wording changed?",
    "important",
    "non è chiaro: rileggere",
    "see also the appendix",
)
TAGS = (("todo",), ("important", "def"), ("exam",), ("question", "later"))


def make_note(doc: str, n: int, anns: list[dict], pdf: Path, taken: set[str]) -> str:
    """Write the plugin's blocks for `anns` (which get `id`, `text`, `tags` set here)."""
    rng = random.Random(f"note/{doc}/v{n}")
    fp = fingerprint(pdf)
    vault = f"vault:/{doc}/v{n}.pdf"
    document = {"title": pdf_title(pdf), "link": [{"href": f"urn:x-pdf:{fp}"}, {"href": vault}],
                "documentFingerprint": fp}
    t = datetime(2023, 2, 6, 9, 12, 5, tzinfo=timezone.utc)
    t += timedelta(days=61 * (n - 1) + 9 * DOCS.index(doc), milliseconds=rng.randrange(1000))
    out = [f"---\nannotation-target: v{n}.pdf\n---\n"]
    for a in anns:
        a["id"] = block_id(rng, taken)
        t += timedelta(seconds=rng.randrange(12, 420), milliseconds=rng.randrange(1000))
        created = t.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        roll = rng.random()
        a["text"] = rng.choice(COMMENTS) if roll < 0.08 else ""
        a["tags"] = list(rng.choice(TAGS)) if 0.05 < roll < 0.12 else []
        updated = created
        if a["text"]:
            u = t + timedelta(seconds=rng.randrange(20, 200), milliseconds=rng.randrange(1000))
            updated = u.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        obj: dict = {"created": created}
        if a["text"]:
            obj["text"] = a["text"]
        q = a["quote"]
        obj |= {"updated": updated, "document": document, "uri": vault,
                "target": [{"source": vault, "selector": [
                    {"type": "TextPositionSelector", "start": a["position"]["start"],
                     "end": a["position"]["end"]},
                    {"type": "TextQuoteSelector", "exact": q["exact"], "prefix": q["prefix"],
                     "suffix": q["suffix"]}]}]}
        for s in (q["exact"], q["prefix"], q["suffix"]):
            assert "\n" not in s and "\r" not in s, "a quote line break would break the block"
        body = (
            f"%%\n```annotation-json\n{js_stringify(obj)}\n```\n%%\n"
            f"*%%PREFIX%%{md_text(js_trim(q['prefix']))}%%HIGHLIGHT%% =={js_trim(q['exact'])}== "
            f"%%POSTFIX%%{md_text(js_trim(q['suffix']))}*\n"
            f"%%LINK%%[[#^{a['id']}|show annotation]]\n"
            f"%%COMMENT%%\n{a['text']}\n%%TAGS%%\n{', '.join('#' + x for x in a['tags'])}"
        )
        out.append("\n" + "\n".join(">" + line for line in body.split("\n")) + f"\n^{a['id']}\n")
    return "\n".join(out)


def note_annotations(md: str) -> list[dict]:
    """{id, selectors} of every block of a note we wrote (what `hypo.mjs anchor` reads)."""
    pat = re.compile(r"^>```annotation-json\n>(.*?)\n>```\n(?:>.*\n)*?\^([a-z0-9]+)\n", re.M)
    return [{"id": bid, "selectors": json.loads(js)["target"][0]["selector"]}
            for js, bid in pat.findall(md)]


# ---------------------------------------------------------------- alignment
def align(old: str, new: str) -> tuple[list[int], dict]:
    """Map each old code point to its new code point index, or -1 if not kept.

    Token diff (diff-match-patch on whitespace-delimited chunks encoded as characters), then a
    character diff inside each changed region, then ``diff_cleanupSemantic`` on the whole.
    """
    vocab: dict[str, int] = {}

    def encode(s: str) -> tuple[str, list[str]]:
        toks = TOKEN_RE.findall(s)
        assert "".join(toks) == s
        codes = []
        for tok in toks:
            if tok not in vocab:
                i = len(vocab) + 1
                vocab[tok] = i + 0x800 if i >= 0xD800 else i  # skip the surrogate range
            codes.append(chr(vocab[tok]))
        return "".join(codes), toks

    (ea, ta), (eb, tb) = encode(old), encode(new)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = TOKEN_TIMEOUT_S
    t0 = time.monotonic()
    tdiffs = dmp.diff_main(ea, eb, False)
    t_tok = time.monotonic() - t0
    if t_tok >= TOKEN_TIMEOUT_S:
        raise SystemExit("error: token diff hit its time guard; raise TOKEN_TIMEOUT_S")
    dmp.Diff_Timeout = CHAR_TIMEOUT_S
    diffs: list[tuple[int, str]] = []
    ia = ib = 0
    pend_a, pend_b, timeouts = [], [], 0

    def flush() -> None:
        nonlocal timeouts
        a, b = "".join(pend_a), "".join(pend_b)
        if a and b:
            t1 = time.monotonic()
            diffs.extend(dmp.diff_main(a, b, False))
            timeouts += time.monotonic() - t1 >= CHAR_TIMEOUT_S
        elif a or b:
            diffs.append((-1, a) if a else (1, b))
        pend_a.clear()
        pend_b.clear()

    for op, codes in tdiffs:
        if op == 0:
            flush()
            diffs.append((0, "".join(ta[ia:ia + len(codes)])))
            ia += len(codes)
            ib += len(codes)
        elif op == -1:
            pend_a.extend(ta[ia:ia + len(codes)])
            ia += len(codes)
        else:
            pend_b.extend(tb[ib:ib + len(codes)])
            ib += len(codes)
    flush()
    dmp.diff_cleanupSemantic(diffs)
    mapping = [-1] * len(old)
    i = j = 0
    for op, s in diffs:
        if op == 0:
            assert old[i:i + len(s)] == new[j:j + len(s)]
            mapping[i:i + len(s)] = range(j, j + len(s))
            i += len(s)
            j += len(s)
        elif op == -1:
            i += len(s)
        else:
            j += len(s)
    assert i == len(old) and j == len(new)
    kept = sum(len(s) for op, s in diffs if op == 0)
    print(f"  token diff {t_tok:.1f} s", flush=True)
    stats = {"char_regions_timed_out": timeouts, "kept_chars": kept, "old_chars": len(old),
             "new_chars": len(new)}
    return mapping, stats


def strip_spaces(text: str) -> tuple[str, list[int]]:
    """`text` without Hypothesis's spaces, and each kept char's index in `text` (code points)."""
    idx = [i for i, ch in enumerate(text) if ch not in HYPO_SPACES]
    return "".join(text[i] for i in idx), idx


def find_all(hay: str, needle: str) -> list[int]:
    out, i = [], hay.find(needle)
    while i != -1 and needle:
        out.append(i)
        i = hay.find(needle, i + 1)
    return out


def context_ratio(old: str, s: int, e: int, new: str, ns: int, ne: int) -> float:
    """Best rapidfuzz ratio of the 32-char (space-stripped) context before / after."""
    def cut(t: str, a: int, b: int) -> str:
        return strip_spaces(t[max(0, a):max(0, b)])[0]
    before = fuzz.ratio(cut(old, s - 48, s)[-32:], cut(new, ns - 48, ns)[-32:])
    after = fuzz.ratio(cut(old, e, e + 48)[:32], cut(new, ne, ne + 48)[:32])
    return max(before, after)


def clusters(pairs: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """(old, new) kept pairs grouped by new position, split at gaps over MOVE_GAP; largest first."""
    groups: list[list[tuple[int, int]]] = []
    for p in sorted(pairs, key=lambda x: x[1]):
        if groups and p[1] - groups[-1][-1][1] <= MOVE_GAP:
            groups[-1].append(p)
        else:
            groups.append([p])
    return sorted(groups, key=len, reverse=True)


def search_whole(quote: str, new: str, dmp: diff_match_patch) -> list[tuple[int, int]]:
    """(quote index, new index) kept pairs of `quote` at its best fuzzy place anywhere in `new`.

    rapidfuzz ``partial_ratio_alignment`` picks the window; a character diff (+ semantic cleanup)
    against the window widened by a third of the quote says which characters are kept; only the
    largest cluster counts.
    """
    hit = fuzz.partial_ratio_alignment(quote, new, score_cutoff=SEARCH_MIN_SCORE)
    if hit is None:
        return []
    margin = len(quote) // 3 + 8
    w0, w1 = max(0, hit.dest_start - margin), min(len(new), hit.dest_end + margin)
    diffs = dmp.diff_main(quote, new[w0:w1], False)
    dmp.diff_cleanupSemantic(diffs)
    pairs, i, j = [], 0, w0
    for op, text in diffs:
        if op == 0:
            pairs += zip(range(i, i + len(text)), range(j, j + len(text)), strict=True)
        if op != 1:
            i += len(text)
        if op != -1:
            j += len(text)
    return next(iter(clusters(pairs)), [])


def find_pieces(exact: str, new: str, in_place: list[list[tuple[int, int]]],
                dmp: diff_match_patch) -> list[tuple[int, int]]:
    """New spans holding >= PIECE_MIN of a quote that survives only in parts (deleted cases).

    Repeated searches of the largest still-uncovered stretch of the quote (a quote across two
    bibliography entries that were reordered, say), then the in-place clusters.
    """
    need = PIECE_MIN * len(exact)
    found: list[list[tuple[int, int]]] = []
    covered: set[int] = set()
    for _ in range(4):
        gaps, start = [], None
        for i in range(len(exact) + 1):
            free = i < len(exact) and i not in covered
            if free and start is None:
                start = i
            elif not free and start is not None:
                gaps.append((start, i))
                start = None
        g0, g1 = max(gaps, key=lambda g: g[1] - g[0], default=(0, 0))
        if g1 - g0 < need:
            break
        got = [(i + g0, j) for i, j in search_whole(exact[g0:g1], new, dmp)]
        if len(got) >= need:
            found.append(got)
            covered |= set(range(min(got)[0], max(got)[0] + 1))
        else:
            covered |= set(range(g0, g1))
    spans: list[tuple[int, int]] = []
    for c in found + [c for c in in_place if len(c) >= need]:
        lo, hi = min(j for _, j in c), max(j for _, j in c) + 1
        if all(hi <= a or lo >= b for a, b in spans):
            spans.append((lo, hi))
    return spans


def classify(a: dict, old: str, new: str, m1: list[int], mo: Utf16Map, mn: Utf16Map,
             new_nows: tuple[str, list[int]], dmp: diff_match_patch) -> dict:
    """One truth case for annotation `a` (the categories are described in fixtures/README.md).

    Two candidates: A, where the ordered whole-text alignment `m1` put the quote's characters
    (largest cluster), and B, the quote's best fuzzy place anywhere in the new text (for moved
    text; accepted only when long enough or its context agrees). The better one wins, A on ties.
    """
    s, e = mo.to_cp(a["position"]["start"]), mo.to_cp(a["position"]["end"])
    exact, n = old[s:e], e - s
    in_place = clusters([(i - s, m1[i]) for i in range(s, e) if m1[i] >= 0])
    cand_a = [j for _, j in next(iter(in_place), [])]
    f1 = len(cand_a) / n
    nows_q = strip_spaces(exact)[0]
    hay, idx = new_nows
    occ = [(idx[k], idx[k + len(nows_q) - 1] + 1) for k in find_all(hay, nows_q)]

    def span(c: list[int] | tuple[int, int]) -> dict:
        ns, ne = (c[0], c[-1] + 1) if isinstance(c, list) else c
        return {"start_utf16": mn.to_utf16(ns), "end_utf16": mn.to_utf16(ne), "exact": new[ns:ne]}

    case: dict = {"id": a["id"], "sample": a["kind"], "category": "deleted",
                  "old": {"start_utf16": a["position"]["start"], "end_utf16": a["position"]["end"],
                          "exact": exact},
                  "new": None, "kept_fraction": round(f1, 4), "in_place_fraction": round(f1, 4),
                  "exact_count_new": len(find_all(new, exact)), "nows_count_new": len(occ)}
    if f1 == 1.0 and new[cand_a[0]:cand_a[-1] + 1] == exact:
        case["category"], case["new"] = "intact", span(cand_a)
        return case
    cand_b = sorted(j for _, j in search_whole(exact, new, dmp))
    f2 = len(cand_b) / n
    case["search_fraction"] = round(f2, 4)
    b_ok = f2 >= EDITED_MIN_KEPT and (
        len(nows_q) >= MOVED_MIN_NOWS
        or context_ratio(old, s, e, new, cand_b[0], cand_b[-1] + 1) >= CONTEXT_MIN_RATIO)
    a_ok = f1 >= EDITED_MIN_KEPT
    overlap = bool(cand_a and cand_b) and cand_a[0] <= cand_b[-1] and cand_b[0] <= cand_a[-1]
    if a_ok and not (b_ok and f2 >= f1 + SEARCH_MARGIN):
        chosen, other, frac, cat = cand_a, cand_b if b_ok else [], f1, "edited"
    elif b_ok:
        chosen, other, frac = cand_b, cand_a if a_ok else [], f2
        cat = "edited" if overlap else "moved"
    else:
        chosen = other = []
    if chosen:
        case["category"], case["new"], case["kept_fraction"] = cat, span(chosen), round(frac, 4)
        got = case["new"]["exact"]
        case["text_equal"], case["nows_equal"] = got == exact, strip_spaces(got)[0] == nows_q
        if other and not overlap and min(f1, f2) >= ALT_MIN_KEPT:
            case["alternatives"] = [span(other)]
        others = [o for o in occ if o[1] <= chosen[0] or o[0] > chosen[-1]]
        if others:
            case["occurrences"] = [span(o) for o in others]
        rest = [[j for _, j in c] for c in in_place if len(c) >= PIECE_MIN * n]
        rest = [c for c in rest if c[-1] < chosen[0] or c[0] > chosen[-1]]
        if rest:
            case["pieces"] = [span(c) for c in rest]
        return case
    if occ:
        scored = sorted(((context_ratio(old, s, e, new, *o), o) for o in occ), reverse=True)
        best_ratio, best = scored[0]
        same = best_ratio >= CONTEXT_MIN_RATIO or (len(occ) == 1 and len(nows_q) >= MOVED_MIN_NOWS)
        case["category"] = "moved" if same else "recurs"
        if same:
            case["new"], case["kept_fraction"] = span(best), 1.0
            case["text_equal"] = new[best[0]:best[1]] == exact
            case["nows_equal"], case["context_ratio"] = True, round(best_ratio, 1)
        case["occurrences"] = [span(o) for o in occ]
        return case
    pieces = find_pieces(exact, new, in_place, dmp)
    if pieces:
        case["pieces"] = [span(p) for p in pieces]
    return case


# ---------------------------------------------------------------- Hypothesis's verdict
def verdict(case: dict, r: dict) -> str:
    """exact | overlap | alternative | other-occurrence | piece | orphan | refused | wrong.

    `refused` is a right orphan (the truth is null); `orphan` a missed anchor.
    """
    if r["status"] != "anchored":
        return "refused" if case["new"] is None else "orphan"
    got = (r["globalStart"], r["globalEnd"])
    truth = case["new"]
    if truth and got == (truth["start_utf16"], truth["end_utf16"]):
        return "exact"
    if truth and got[0] < truth["end_utf16"] and truth["start_utf16"] < got[1]:
        return "overlap"
    keys = (("alternatives", "alternative"), ("occurrences", "other-occurrence"),
            ("pieces", "piece"))
    for key, name in keys:
        for o in case.get(key, []):
            if got[0] < o["end_utf16"] and o["start_utf16"] < got[1]:
                return name
    return "wrong"


# ---------------------------------------------------------------- driver
METHOD = (
    "A: diff-match-patch diff_main on whitespace-delimited tokens of the concatenated PDF.js "
    "2.11 page texts, then on characters inside each changed region, then diff_cleanupSemantic; "
    f"a quote's kept characters, largest cluster (gaps <= {MOVE_GAP} code points). B: rapidfuzz "
    "partial_ratio_alignment of the quote over the whole new text, then a character diff "
    "against the window (largest cluster); B counts only when the quote has >= "
    f"{MOVED_MIN_NOWS} non-space chars or its 32-char context matches (ratio >= "
    f"{CONTEXT_MIN_RATIO}), and wins only with {SEARCH_MARGIN} more kept. intact: A keeps all "
    f"and the text is identical; edited / moved: the winner keeps >= {EDITED_MIN_KEPT} (moved "
    "when it lies outside A); else moved / recurs if the quote recurs verbatim (spaces "
    "ignored), with / without matching context; else deleted."
)


def dump(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def make_doc(oracle: Oracle, vdir: Path, doc: str, taken: set[str]) -> list[dict]:
    out = OUT / doc
    out.mkdir(parents=True, exist_ok=True)
    texts = {n: load_text(vdir / f"v{n}.pdfjs-pages.json") for n in range(1, 5)}
    summary = []
    for n in (1, 2, 3):
        old_pdf, new_pdf = vdir / f"v{n}.pdf", vdir / f"v{n + 1}.pdf"
        old, new = texts[n], texts[n + 1]
        anns, info = draw_samples(oracle, old_pdf, old, doc, n)
        md = make_note(doc, n, anns, old_pdf, taken)
        (out / f"v{n}.md").write_text(md, encoding="utf-8", newline="\n")
        parsed = note_annotations(md)
        assert [p["id"] for p in parsed] == [a["id"] for a in anns]
        chk = oracle.anchor(old_pdf, parsed)["summary"]
        assert chk["position"] == len(anns), f"{doc} v{n}: note does not anchor by position: {chk}"
        m1, stats = align(old, new)
        mo, mn = Utf16Map(old), Utf16Map(new)
        nows = strip_spaces(new)
        dmp = diff_match_patch()
        dmp.Diff_Timeout = CHAR_TIMEOUT_S
        cases = [classify(a, old, new, m1, mo, mn, nows, dmp) for a in anns]
        counts: dict[str, int] = {}
        for c in cases:
            counts[c["category"]] = counts.get(c["category"], 0) + 1
        pair = f"v{n}-to-v{n + 1}"
        dump(out / f"{pair}.truth.json", {
            "old": old_pdf.name, "new": new_pdf.name, "doc": doc,
            "method": METHOD,
            "texts": {"old": f"corpus/versions/{doc}/v{n}.pdfjs-pages.json",
                      "new": f"corpus/versions/{doc}/v{n + 1}.pdfjs-pages.json"},
            "samples": info, "alignment": stats, "counts": counts, "cases": cases})
        res = oracle.anchor(new_pdf, parsed)
        by_id = {r["id"]: r for r in res["results"]}
        rows, wrong = [], {}
        for c in cases:
            r = by_id[c["id"]]
            row = {"id": c["id"], "status": r["status"]}
            for k in ("method", "pageIndex", "globalStart", "globalEnd", "score", "errors"):
                if k in r:
                    row[k] = r[k]
            row["category"], row["verdict"] = c["category"], verdict(c, r)
            rows.append(row)
            key = f"{c['category']}/{row['verdict']}"
            wrong[key] = wrong.get(key, 0) + 1
        dump(out / f"{pair}.hypothesis.json", {
            "model": res["model"], "pdfjs": res["pdfjs"], "file": new_pdf.name,
            "notes_file": f"v{n}.md", "summary": res["summary"],
            "verdicts": dict(sorted(wrong.items())),
            "results": rows})
        summary.append({"doc": doc, "pair": pair, "counts": counts, "hypothesis": wrong,
                        "alignment": stats, "samples": info})
        print(f"{doc} {pair}: {counts} | hypothesis {dict(sorted(wrong.items()))} | {stats}",
              flush=True)
    return summary


def copy_free_pdfs(vdir_root: Path) -> None:
    for doc, files in FREE_PDFS.items():
        (PDF_OUT / doc).mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.copyfile(vdir_root / doc / f, PDF_OUT / doc / f)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--oracle", type=Path,
                    default=Path(os.environ.get("TETHER_ORACLE", "/tmp/oracle")))
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("TETHER_SHARED", ROOT.parent / "shared")))
    ap.add_argument("--doc", action="append", choices=DOCS, help="only this document (repeatable)")
    args = ap.parse_args()
    vroot = args.shared / "corpus" / "versions"
    if not vroot.is_dir():
        sys.exit(f"error: no {vroot} (pass --shared or set TETHER_SHARED)")
    oracle = Oracle(args.oracle)
    taken: set[str] = set()
    summary = []
    for doc in DOCS:  # every doc draws ids from the same set, so run all to keep ids stable
        if args.doc and doc not in args.doc:
            continue
        summary += make_doc(oracle, vroot / doc, doc, taken)
    copy_free_pdfs(vroot)
    if not args.doc:
        dump(OUT / "summary.json", summary)


if __name__ == "__main__":
    main()
