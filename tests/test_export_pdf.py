"""``tether export-pdf`` through the real CLI: the copy is reopened with PyMuPDF; each placed
annotation's highlight quads cover the resolved characters' boxes, and PyMuPDF's *own* text
extraction under the quads reads the resolved quote (an independent check of the coordinates);
the input PDF's bytes are unchanged."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest
from rapidfuzz import fuzz
from report_kit import chars_in, mupdf_chars, phrase_items, squeeze, write_json

from conftest import FIXTURES, model_text, require_shared, vault_notes
from conftest import run_tether as tether
from tether.report.geometry import Rect, visible_boxes
from tether.report.pdf_export import part_name

YP_NOTE = FIXTURES / "updates" / "eth-yellowpaper" / "v1.md"
YP_V2 = FIXTURES / "pdfs" / "eth-yellowpaper" / "v2.pdf"
ROTATED = FIXTURES / "synthetic" / "rotated.pdf"
PLACED = ("anchored", "drifted", "fuzzy")



def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_json(*args: object) -> dict:
    proc = tether("check", "--json", *args)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


@dataclass
class Highlight:
    """What a highlight annotation of the exported PDF holds."""

    page: int
    rects: list[Rect]  # the bounding rectangle of each quad, unrotated page space
    vertices: list[tuple[float, float]]
    info: dict


def highlights_by_id(pdf: Path) -> dict[str, list[Highlight]]:
    """``/NM`` → the highlight annotations of ``pdf`` with that name."""
    out: dict[str, list[Highlight]] = {}
    with pymupdf.open(str(pdf)) as doc:
        for page in doc:
            for annot in page.annots(types=[pymupdf.PDF_ANNOT_HIGHLIGHT]):
                v = annot.vertices
                rects = []
                for i in range(0, len(v), 4):
                    q = pymupdf.Quad(*v[i:i + 4]).rect
                    rects.append(Rect(q.x0, q.y0, q.x1, q.y1))
                out.setdefault(annot.info["id"], []).append(
                    Highlight(page.number, rects, list(v), dict(annot.info)))
    return out


def assert_export_matches(report: dict, out: Path, source_pdf: Path, *, min_ratio: float
                          ) -> int:
    """Every placed annotation of ``report`` has highlights on the right pages whose quads
    cover its visible characters' boxes and under which PyMuPDF reads its quote; nothing else
    is highlighted. Returns the number of annotations checked."""
    [doc] = report["documents"]
    text = model_text(str(source_pdf))  # with boxes
    found = highlights_by_id(out)
    placed = [a for a in doc["annotations"] if a["status"] in PLACED]
    ids = {part_name(a["id"], k) for a in placed for k in range(3)}
    assert set(found) <= ids, set(found) - ids  # nothing unplaced was exported
    pdf = pymupdf.open(str(out))
    page_chars = {i: mupdf_chars(pdf[i]) for i in {h.page for hs in found.values() for h in hs}}
    for a in placed:
        r = a["resolved"]
        conv = text.from_utf16 if a["unit"] == "utf-16" else int
        start, end = conv(r["start"]), conv(r["end"])
        assert text.text[start:end] == r["exact"]
        boxes = visible_boxes(text, start, end)
        parts = [found[part_name(a["id"], k)] for k in range(len(boxes))]
        assert len(found.get(part_name(a["id"], len(boxes)), [])) == 0
        for (page_no, page_boxes), [hl] in zip(sorted(boxes.items()), parts, strict=True):
            assert hl.page == page_no
            rects = hl.rects
            for b in page_boxes:
                assert any(q.contains(b, tol=0.05) for q in rects), (a["id"], b)
            # Independent: PyMuPDF's own characters under the quads read the quote.
            under = squeeze(chars_in(page_chars[page_no], rects))
            want = squeeze("".join(text.pages[page_no].text[
                max(start, text.pages[page_no].start) - text.pages[page_no].start:
                min(end, text.pages[page_no].end) - text.pages[page_no].start]))
            assert fuzz.ratio(under, want) >= min_ratio, (a["id"], under, want)
    return len(placed)


def test_export_yellowpaper_v1_notes_onto_v2(tmp_path: Path) -> None:
    before = sha(YP_V2)
    out = tmp_path / "v2-highlighted.pdf"
    proc = tether("export-pdf", YP_NOTE, "--pdf", YP_V2, "-o", out)
    report = check_json(YP_NOTE, "--pdf", YP_V2)
    summary = report["documents"][0]["summary"]
    placed = sum(summary[s] for s in PLACED)
    assert proc.returncode == (1 if placed < sum(summary.values()) else 0), proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"for {placed} annotation(s)" in proc.stdout
    assert sha(YP_V2) == before  # the input is only read
    assert not list(tmp_path.glob("*.tether-tmp"))
    n = assert_export_matches(report, out, YP_V2, min_ratio=90)
    assert n == placed >= 100
    # Comments and tags travel: note text and subject.
    from tether.formats import load_annotations

    notes = {a.id: a for a in load_annotations(YP_NOTE).annotations}
    found = highlights_by_id(out)
    assert any(notes[i].comment for i in found if i in notes), "the notes carry comments"
    for name, [hl] in found.items():
        note = notes[name] if name in notes else notes[name.rsplit("#", 1)[0]]  # a page part
        assert hl.info["content"] == note.comment
        assert hl.info["subject"] == ", ".join(note.tags)
        assert hl.info["title"] == "tether"


def test_export_on_rotated_pages_and_rotated_text(tmp_path: Path) -> None:
    """/Rotate 90 page and lines drawn at 90°, 180°, 270°: quads in the unrotated space that
    add_highlight_annot takes, vertical lines with their quads turned along the text."""
    text = model_text(str(ROTATED))
    notes = write_json(tmp_path / "rot.json", phrase_items(text, [
        "the viewer shows it turned",
        "Quotes are sturdier, but a short quote may occur several times, and the surrounding",
        "rotated ninety", "rotated one-eighty", "rotated two-seventy", "Upright line after"]))
    out = tmp_path / "rot.pdf"
    before = sha(ROTATED)
    proc = tether("export-pdf", notes, "--pdf", ROTATED, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert sha(ROTATED) == before
    report = check_json(notes, "--pdf", ROTATED)
    assert assert_export_matches(report, out, ROTATED, min_ratio=95) == 6
    found = highlights_by_id(out)
    assert pymupdf.open(str(out))[0].rotation == 90  # the copy keeps /Rotate
    # The quads' upper edge is the glyphs' top: for "rotated two-seventy" (reading down)
    # the quad's first corner is at the right.
    [hl] = found["p4"]
    ul, ur, ll, _lr = (pymupdf.Point(p) for p in hl.vertices[:4])
    assert ul.x > ll.x and ur.y > ul.y


@pytest.mark.parametrize("bad", ["same-as-input", "same-as-note", "missing-folder",
                                 "is-a-folder"])
def test_export_refuses_to_overwrite_inputs_or_write_nowhere(tmp_path: Path, bad: str) -> None:
    pdf = tmp_path / "in.pdf"
    pdf.write_bytes(YP_V2.read_bytes())
    note = tmp_path / "v1.md"
    note.write_bytes(YP_NOTE.read_bytes())
    target = {"same-as-input": tmp_path / "." / "in.pdf", "same-as-note": note,
              "missing-folder": tmp_path / "no" / "such" / "out.pdf",
              "is-a-folder": tmp_path}[bad]
    before = {p: sha(p) for p in (pdf, note)}
    proc = tether("export-pdf", note, "--pdf", pdf, "-o", target)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    expect = {"missing-folder": "does not exist", "is-a-folder": "is a folder"}.get(
        bad, "would overwrite the input")
    assert expect in proc.stderr
    assert {p: sha(p) for p in (pdf, note)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.pdf", "v1.md"]


def test_export_of_an_unreadable_pdf_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\ngarbage")
    proc = tether("export-pdf", YP_NOTE, "--pdf", bad, "-o", tmp_path / "out.pdf")
    assert proc.returncode == 2
    assert "damaged or unreadable" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_export_vault_note_anchored_highlights(tmp_path: Path) -> None:
    """A real Obsidian Annotator vault note on its own PDF (every annotation anchored)."""
    require_shared()
    note = next(n for n in vault_notes() if "phd-luxton" in str(n))
    report = check_json(note)
    pdf = Path(report["documents"][0]["pdf"])
    out = tmp_path / "luxton.pdf"
    before = sha(pdf)
    proc = tether("export-pdf", note, "--pdf", pdf, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert sha(pdf) == before
    assert assert_export_matches(report, out, pdf, min_ratio=90) >= 30


def test_export_of_an_encrypted_pdf_stays_encrypted(tmp_path: Path) -> None:
    """The copy keeps the input's encryption: the same password opens it."""
    text = model_text(str(ROTATED))
    notes = write_json(tmp_path / "rot.json", phrase_items(text, ["rotated ninety"]))
    enc = tmp_path / "enc.pdf"
    with pymupdf.open(str(ROTATED)) as doc:
        doc.save(str(enc), encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="pw",
                 owner_pw="owner")
    out = tmp_path / "out.pdf"
    assert tether("export-pdf", notes, "--pdf", enc, "-o", out).returncode == 2  # no password
    assert not out.exists()
    proc = tether("export-pdf", notes, "--pdf", enc, "-o", out, "--password", "pw")
    assert proc.returncode == 0, proc.stderr
    with pymupdf.open(str(out)) as copy:
        assert copy.needs_pass and copy.authenticate("pw")
        [annot] = [a for page in copy for a in page.annots()]
        assert annot.info["id"] == "p0" and annot.info["content"] == "note on 'rotated ninety'"


def test_export_against_another_pdf_asks_whether_it_is_the_right_one(tmp_path: Path) -> None:
    """Notes exported onto a PDF they were not made on: 0 highlights and 150 "not exported"
    lines; the line check, report and repair print says why (was: the lines alone)."""
    other = FIXTURES / "pdfs" / "music-esprit-thesis-it" / "v2.pdf"
    proc = tether("export-pdf", YP_NOTE, "--pdf", other, "-o", tmp_path / "out.pdf")
    assert proc.returncode == 1, proc.stderr
    assert "0 highlight(s) for 0 annotation(s); 150 not exported" in proc.stdout
    assert (f"{other}: none of its 150 annotations was found in this PDF's text: is it the PDF "
            "they were made on, or a version of it?") in proc.stdout
    onto_v2 = tether("export-pdf", YP_NOTE, "--pdf", YP_V2, "-o", tmp_path / "v2.pdf")
    assert onto_v2.returncode == 1 and "none of its" not in onto_v2.stdout
