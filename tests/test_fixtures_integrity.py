"""The committed fixtures are consistent with themselves and with the shared corpus (no Node).

Offsets in the fixtures are UTF-16 code units (Hypothesis's unit); the helpers here slice the
UTF-16-LE encoding of the PDF.js page texts, so no code-point conversion is involved.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from conftest import FIXTURES, require_shared

UPDATES = FIXTURES / "updates"
SYNTHETIC = FIXTURES / "synthetic"
TRUTHS = sorted(UPDATES.glob("*/v*-to-v*.truth.json"))
NOTES = sorted(UPDATES.glob("*/v*.md"))
SYNTH_PDFS = sorted(SYNTHETIC.glob("*.pdf"))
CATEGORIES = {"intact", "edited", "moved", "recurs", "deleted"}
BLOCK = re.compile(
    r"^>%%\n>```annotation-json\n>(?P<json>.*)\n>```\n>%%\n"
    r">\*%%PREFIX%%(?P<prefix>.*)%%HIGHLIGHT%% ==(?P<exact>.*)== %%POSTFIX%%(?P<suffix>.*)\*\n"
    r">%%LINK%%\[\[#\^(?P<link>[a-z0-9]+)\|show annotation\]\]\n"
    r">%%COMMENT%%\n(?P<comment>(?:>.*\n)*?)>%%TAGS%%\n>(?P<tags>.*)\n\^(?P<id>[a-z0-9]+)\n",
    re.M,
)
JS_WS = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
JS_WS += "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.name}" for p in paths]


@cache
def utf16_text(doc: str, version: str) -> bytes:
    """UTF-16-LE bytes of a version's concatenated PDF.js 2.11 page texts (2 bytes per unit)."""
    path = require_shared() / "corpus" / "versions" / doc / f"{version}.pdfjs-pages.json"
    pages = json.loads(path.read_text(encoding="utf-8"))["pages"]
    return "".join(p["text"] for p in pages).encode("utf-16-le")


def slice_utf16(text: bytes, start_utf16: int, end_utf16: int) -> str:
    assert 0 <= start_utf16 <= end_utf16 <= len(text) // 2
    return text[2 * start_utf16:2 * end_utf16].decode("utf-16-le")


def parse_note(path: Path) -> tuple[str, list[dict]]:
    """(annotation-target, blocks) of one of our notes; every annotation-json block must parse."""
    md = path.read_text(encoding="utf-8")
    head = re.match(r"---\nannotation-target: (.+)\n---\n", md)
    assert head, f"{path}: no front matter"
    blocks = [m.groupdict() | {"data": json.loads(m["json"])} for m in BLOCK.finditer(md)]
    assert len(blocks) == md.count("```annotation-json"), f"{path}: a block did not parse"
    return head[1], blocks


def selectors(data: dict) -> tuple[dict, dict]:
    sels = data["target"][0]["selector"]
    pos = next(s for s in sels if s["type"] == "TextPositionSelector")
    quote = next(s for s in sels if s["type"] == "TextQuoteSelector")
    return pos, quote


def test_fixtures_exist() -> None:
    assert len(TRUTHS) == 9 and len(NOTES) == 9
    assert len(SYNTH_PDFS) >= 9


@pytest.mark.parametrize("path", NOTES, ids=ids(NOTES))
def test_note_blocks_are_plugin_shaped(path: Path) -> None:
    target, blocks = parse_note(path)
    assert target == path.with_suffix(".pdf").name
    assert len(blocks) >= 100
    block_ids = [b["id"] for b in blocks]
    assert len(set(block_ids)) == len(block_ids)
    for b in blocks:
        data = b["data"]
        assert b["link"] == b["id"] and "id" not in data and "tags" not in data
        assert list(data)[:1] == ["created"]
        assert [k for k in data if k != "text"] == ["created", "updated", "document", "uri",
                                                    "target"]
        _, quote = selectors(data)
        # The markdown line holds the trimmed quote parts (lone surrogates written as U+FFFD).
        for part in ("prefix", "exact", "suffix"):
            want = re.sub("[\ud800-\udfff]", "\ufffd", quote[part].strip(JS_WS))
            assert b[part] == want, (b["id"], part)
        comment = "\n".join(line[1:] for line in b["comment"].splitlines())
        assert comment == data.get("text", "")


@pytest.mark.parametrize("path", NOTES, ids=ids(NOTES))
def test_note_positions_sit_on_their_quotes(path: Path) -> None:
    text = utf16_text(path.parent.name, path.stem)
    _, blocks = parse_note(path)
    for b in blocks:
        pos, quote = selectors(b["data"])
        assert slice_utf16(text, pos["start"], pos["end"]) == quote["exact"], b["id"]


@pytest.mark.parametrize("path", TRUTHS, ids=ids(TRUTHS))
def test_truth_spans_sit_on_their_text(path: Path) -> None:
    truth = json.loads(path.read_text(encoding="utf-8"))
    doc = path.parent.name
    old = utf16_text(doc, truth["old"].removesuffix(".pdf"))
    new = utf16_text(doc, truth["new"].removesuffix(".pdf"))
    _, blocks = parse_note(path.parent / truth["old"].replace(".pdf", ".md"))
    assert [c["id"] for c in truth["cases"]] == [b["id"] for b in blocks]
    counts: dict[str, int] = {}
    for case in truth["cases"]:
        cat = case["category"]
        counts[cat] = counts.get(cat, 0) + 1
        assert cat in CATEGORIES
        o = case["old"]
        assert slice_utf16(old, o["start_utf16"], o["end_utf16"]) == o["exact"]
        assert (case["new"] is None) == (cat in {"deleted", "recurs"})
        spans = ([case["new"]] if case["new"] else []) + [
            s for key in ("alternatives", "occurrences", "pieces") for s in case.get(key, [])]
        for s in spans:
            assert slice_utf16(new, s["start_utf16"], s["end_utf16"]) == s["exact"], case["id"]
        if cat == "intact":
            assert case["new"]["exact"] == o["exact"] and case["kept_fraction"] == 1.0
        elif cat in {"edited", "moved"}:
            assert case["kept_fraction"] >= 0.5
    assert counts == truth["counts"]


@pytest.mark.parametrize("path", TRUTHS, ids=ids(TRUTHS))
def test_hypothesis_results_match_cases(path: Path) -> None:
    truth = json.loads(path.read_text(encoding="utf-8"))
    hyp_path = path.with_name(path.name.replace(".truth.", ".hypothesis."))
    hyp = json.loads(hyp_path.read_text(encoding="utf-8"))
    assert [r["id"] for r in hyp["results"]] == [c["id"] for c in truth["cases"]]
    for r in hyp["results"]:
        assert r["status"] in {"anchored", "orphan"}
        if r["status"] == "anchored":
            assert r["method"] in {"position", "quote"} and r["globalStart"] <= r["globalEnd"]


@pytest.mark.parametrize("pdf", SYNTH_PDFS, ids=[p.name for p in SYNTH_PDFS])
def test_synthetic_pdf_has_pdfjs_pages(pdf: Path) -> None:
    pymupdf = pytest.importorskip("pymupdf")
    pages_json = pdf.with_suffix(".pdfjs-pages.json")
    assert pages_json.is_file(), f"run scripts/make_synthetic_pdfs.py: {pages_json.name} missing"
    data = json.loads(pages_json.read_text(encoding="utf-8"))
    with pymupdf.open(pdf) as doc:
        assert data["numPages"] == len(data["pages"]) == doc.page_count
    offset = 0
    for p in data["pages"]:
        assert p["offset"] == offset and p["length"] == len(p["text"].encode("utf-16-le")) // 2
        offset += p["length"]


def test_no_unredistributable_pdfs() -> None:
    """Only the CC BY-SA yellow paper and the CC0 thesis may be copied into the project."""
    allowed = {"eth-yellowpaper", "music-esprit-thesis-it"}
    for pdf in (FIXTURES / "pdfs").rglob("*.pdf"):
        assert pdf.parent.name in allowed, pdf
    assert not list(UPDATES.rglob("*.pdf"))


@pytest.mark.parametrize("doc", ["eth-yellowpaper", "music-esprit-thesis-it"])
def test_copied_pdfs_are_the_shared_ones(doc: str) -> None:
    shared = require_shared() / "corpus" / "versions" / doc
    for name in ("v1.pdf", "v2.pdf"):
        assert (FIXTURES / "pdfs" / doc / name).read_bytes() == (shared / name).read_bytes()
