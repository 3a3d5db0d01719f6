"""A repair moves a rewritten Obsidian annotation to the new PDF: its ``documentFingerprint``.

Real notes and PDFs (the yellow paper's 2016 note checked against its 2018 version, both in
fixtures/). The rewritten offsets index into the new PDF, so the block's
``document.documentFingerprint`` must say so: else ``check`` calls the PDF changed forever and
the resolver takes rewritten annotations as landmarks for the unrewritten ones (two texts'
offsets mixed). Hypothesis / W3C files keep their ``uri``, links and sources (they decide which
document a server shows the annotation on).
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys

import pytest
from rich.cells import cell_len

from conftest import FIXTURES, require_shared
from tether.check import check_paths
from tether.formats import parse_note, read_hypothesis, read_note
from tether.repair.plan import plan_repairs
from tether.report.table import fingerprint_line, fingerprint_lines
from tether.resolve import Status

NOTE = FIXTURES / "updates" / "eth-yellowpaper" / "v1.md"
NEW_PDF = FIXTURES / "pdfs" / "eth-yellowpaper" / "v2.pdf"
LANDMARK_IDS = re.compile(r"between landmarks of the same note, '([^']+)' and '([^']+)'")


def _tether(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tether.cli", *args], capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def partial(tmp_path_factory):
    """The note after a default repair (``--min-score 0.8``: low fuzzy scores and refusals are
    left), the check before it, the repair's report and the old / new fingerprints."""
    note = tmp_path_factory.mktemp("fp") / "v1.md"
    shutil.copyfile(NOTE, note)
    before = check_paths([note], pdf=NEW_PDF)
    (old_fp,) = before.documents[0].stored_fingerprints
    new_fp = before.documents[0].fingerprint
    proc = _tether("repair", str(note), "--pdf", str(NEW_PDF), "--no-backup", "--json")
    assert proc.returncode == 1, proc.stderr  # some are left: a partial repair
    (report,) = json.loads(proc.stdout)["files"]
    return note, before, report, old_fp, new_fp


def test_rewritten_annotations_store_the_new_pdfs_fingerprint_the_others_keep_theirs(partial):
    note, _, report, old_fp, new_fp = partial
    assert old_fp != new_fp and len(new_fp) == 32
    changed = set(report["changed"])
    anns = read_note(note).annotations
    assert 0 < len(changed) < len(anns) and report["left"]
    for a in anns:
        assert a.fingerprint == (new_fp if a.id in changed else old_fp), a.id


def test_only_the_selectors_and_the_fingerprint_of_rewritten_blocks_change(partial):
    """Byte for byte: the repaired note is the selector-only rewrite (the same updates without
    a fingerprint) with, in each rewritten block and nowhere else, the old fingerprint string
    replaced by the new one (the ``urn:x-pdf:`` link and the ``vault:`` uri stay)."""
    note, before, report, old_fp, new_fp = partial
    (plan,) = plan_repairs(before.documents)
    assert all(u.fingerprint == new_fp for u in plan.updates.values())
    original = read_note(NOTE)
    result = original.apply_updates({i: dataclasses.replace(u, fingerprint=None)
                                     for i, u in plan.updates.items()})
    assert sorted(result.applied) == sorted(report["changed"])
    selectors_only = parse_note(result.text)
    expected, pos = [], 0
    field = f'"documentFingerprint":"{old_fp}"'
    for b in selectors_only.blocks:
        if b.id not in report["changed"]:
            continue
        block = result.text[b.start:b.end]
        assert block.count(field) == 1 and block.count(f"urn:x-pdf:{old_fp}") == 1
        expected.append(result.text[pos:b.start])
        expected.append(block.replace(field, f'"documentFingerprint":"{new_fp}"'))
        pos = b.end
    expected.append(result.text[pos:])
    assert note.read_text(encoding="utf-8") == "".join(expected)


def test_second_repair_changes_nothing(partial):
    note = partial[0]
    content = note.read_bytes()
    proc = _tether("repair", str(note), "--pdf", str(NEW_PDF), "--no-backup")
    assert "nothing to change" in proc.stdout, proc.stdout
    assert note.read_bytes() == content


def test_check_after_a_partial_repair_counts_both_fingerprints(partial):
    note, _, report, old_fp, new_fp = partial
    n_new = len(report["changed"])
    n_old = len(read_note(note).annotations) - n_new
    proc = _tether("check", str(note), "--pdf", str(NEW_PDF), "--json")
    (doc,) = json.loads(proc.stdout)["documents"]
    assert doc["stored_fingerprint_counts"] == {old_fp: n_old, new_fp: n_new}
    assert doc["stored_fingerprints"] == sorted([old_fp, new_fp])
    assert doc["pdf_changed"] is False and doc["fingerprint"] == new_fp
    table = _tether("check", str(note), "--pdf", str(NEW_PDF)).stdout
    assert (f"{n_new} annotations stored for this PDF (/ID[0] {new_fp}), {n_old} for another "
            f"version (/ID[0] {old_fp})") in table
    assert "same PDF as annotated" not in table and "the PDF changed" not in table
    head, first, second = fingerprint_lines(doc, "  model pdfjs-2.11; ", 80)  # 80 columns
    assert head == "  model pdfjs-2.11;" and max(cell_len(first), cell_len(second)) <= 80
    assert first.index("(/ID[0] ") == second.index("(/ID[0] ") and new_fp in first


def test_no_unrewritten_annotation_is_placed_between_rewritten_landmarks(tmp_path):
    """After a partial repair the rewritten annotations store new-PDF offsets, the others old-PDF
    ones: landmarks pair a stored (old) start with a resolved (new) one, so a rewritten
    annotation must never bracket an unrewritten one. Before the fix (one fingerprint for both)
    co519's v3 note, repaired for v4, had one placed so (right by luck: its bracket mixed the
    two texts' offsets)."""
    shared = require_shared()
    note = tmp_path / "v3.md"
    shutil.copyfile(FIXTURES / "updates" / "co519-logic-partD" / "v3.md", note)
    pdf = shared / "corpus" / "versions" / "co519-logic-partD" / "v4.pdf"
    proc = _tether("repair", str(note), "--pdf", str(pdf), "--no-backup", "--json")
    (report,) = json.loads(proc.stdout)["files"]
    rewritten = set(report["changed"])
    assert rewritten and report["left"]
    after = check_paths([note], pdf=pdf)
    for r in after.results:
        m = LANDMARK_IDS.search(r.resolution.reason or "")
        if m is not None:
            assert not set(m.groups()) & rewritten, (r.resolution.id, m.groups())
    assert len({r.resolution.annotation.fingerprint for r in after.results}) == 2


def test_a_full_repair_leaves_one_fingerprint_and_check_says_same_pdf(tmp_path):
    """A real note's drifted annotations alone: every one is rewritten, so every block then
    stores the new PDF's fingerprint and check says so (before the fix: "the PDF changed"
    forever, though all anchored)."""
    original = read_note(NOTE)
    before = check_paths([NOTE], pdf=NEW_PDF)
    drifted = {r.resolution.id for r in before.results
               if r.resolution.status == Status.DRIFTED}
    head = original.text[:original.blocks[0].start]
    note = tmp_path / "v1.md"
    note.write_text(head + "\n".join(original.text[b.start:b.end] for b in original.blocks
                                     if b.id in drifted), encoding="utf-8")
    assert len(read_note(note).annotations) == len(drifted) >= 20
    repaired = _tether("repair", str(note), "--pdf", str(NEW_PDF), "--no-backup", "--json")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    new_fp = before.documents[0].fingerprint
    assert {a.fingerprint for a in read_note(note).annotations} == {new_fp}
    proc = _tether("check", str(note), "--pdf", str(NEW_PDF))
    assert proc.returncode == 0, proc.stdout
    assert f"same PDF as annotated (/ID[0] {new_fp})" in proc.stdout


def test_hypothesis_json_keeps_uri_links_sources_and_fingerprint(tmp_path):
    """The note's annotations as a Hypothesis API search response: a repair rewrites their
    selectors only; ``uri``, ``document`` (its ``urn:x-pdf:`` link and fingerprint) and the
    target ``source`` stay, and the repair says so."""
    original = read_note(NOTE)
    rows = [{"id": b.id, **b.json.value} for b in original.blocks]
    path = tmp_path / "annotations.json"
    path.write_text(json.dumps({"total": len(rows), "rows": rows}, indent=2), encoding="utf-8")
    proc = _tether("repair", str(path), "--pdf", str(NEW_PDF), "--no-backup")
    assert "note: the uri, urn:x-pdf: links and target sources still name" in proc.stdout
    after = json.loads(path.read_text(encoding="utf-8"))["rows"]
    changed = 0
    for old, new in zip(rows, after, strict=True):
        assert {k: v for k, v in new.items() if k != "target"} == \
            {k: v for k, v in old.items() if k != "target"}
        assert new["target"][0]["source"] == old["target"][0]["source"]
        changed += new["target"][0]["selector"] != old["target"][0]["selector"]
    assert changed >= 100
    stored = {a.fingerprint for a in original.annotations}
    assert {a.fingerprint for a in read_hypothesis(path).annotations} == stored
    assert check_paths([path], pdf=NEW_PDF).documents[0].pdf_changed is True


def test_a_block_without_a_string_fingerprint_gets_none_added(tmp_path):
    """docs/bad-input.md: a block with no ``documentFingerprint`` key, or a non-string one
    (``null``), is rewritten like the others, and no key or value is added or changed."""
    original = read_note(NOTE)
    (old_fp,) = {a.fingerprint for a in original.annotations}
    first, second = original.blocks[:2]
    field = f'"documentFingerprint":"{old_fp}"'
    text = original.text
    text = (text[:first.start] + text[first.start:first.end].replace("," + field, "")
            + text[first.end:second.start] + text[second.start:second.end].replace(
                field, '"documentFingerprint":null') + text[second.end:])
    note = tmp_path / "v1.md"
    note.write_text(text, encoding="utf-8")
    proc = _tether("repair", str(note), "--pdf", str(NEW_PDF), "--no-backup", "--json")
    (report,) = json.loads(proc.stdout)["files"]
    assert {first.id, second.id} <= set(report["changed"])
    after = read_note(note)
    blocks = {b.id: after.text[b.start:b.end] for b in after.blocks}
    assert "documentFingerprint" not in blocks[first.id]
    assert '"documentFingerprint":null' in blocks[second.id]
    assert [a.fingerprint for a in after.annotations[:2]] == [None, None]


def test_each_other_fingerprint_gets_its_own_count_and_line():
    """A note repaired twice in part holds three fingerprints: each count is told apart (the
    JSON has them), and at 80 columns each has its line, the "(/ID[0]"s in one column."""
    here, b, c = "a" * 32, "b" * 32, "c" * 32
    doc = {"fingerprint": here, "pdf_changed": False, "stored_fingerprints": [here, b, c],
           "stored_fingerprint_counts": {here: 120, b: 20, c: 10}}
    assert fingerprint_line(doc) == (f"120 annotations stored for this PDF (/ID[0] {here}), "
                                     f"20 for another version (/ID[0] {b}), "
                                     f"10 for another version (/ID[0] {c})")
    head, *counts = fingerprint_lines(doc, "  model pdfjs-2.11; ", 80)
    assert head == "  model pdfjs-2.11;" and len(counts) == 3
    assert all(cell_len(line) <= 80 for line in counts)
    assert len({line.index("(/ID[0] ") for line in counts}) == 1
    assert [line.split()[0] for line in counts] == ["120", "20", "10"]
