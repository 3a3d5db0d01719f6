"""``tether repair`` end to end on a real update, with no shared corpus needed: the CC BY-SA
yellow paper's 2016 and 2018 versions ship in fixtures/pdfs (attribution in fixtures/README.md).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES
from tether.check import check_paths
from tether.formats import read_note
from tether.resolve import Status, hypothesis_anchors_by_position

NOTE = FIXTURES / "updates" / "eth-yellowpaper" / "v1.md"
NEW_PDF = FIXTURES / "pdfs" / "eth-yellowpaper" / "v2.pdf"
ORACLE = FIXTURES / "repair" / "eth-yellowpaper-v1-to-v2.oracle.json"


def _tether(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tether.cli", *args], capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def repaired(tmp_path_factory):
    work = tmp_path_factory.mktemp("repair")
    note = work / "v1.md"
    shutil.copyfile(NOTE, note)
    before = check_paths([note], pdf=NEW_PDF)
    proc = _tether("repair", str(note), "--pdf", str(NEW_PDF), "--json")
    return note, before, proc


def test_repair_rewrites_drifted_and_fuzzy_and_keeps_a_backup(repaired):
    note, before, proc = repaired
    assert proc.returncode == 1, proc.stderr  # some annotations are left alone (orphaned …)
    (report,) = json.loads(proc.stdout)["files"]
    assert len(report["changed"]) >= 100 and report["written"]
    assert (note.parent / "v1.md.bak").read_bytes() == NOTE.read_bytes()
    assert report["backup"] == str(note.parent / "v1.md.bak")  # the JSON says where it went
    assert note.read_bytes() != NOTE.read_bytes()
    statuses = {r.resolution.status for r in before.results}
    assert Status.DRIFTED in statuses and Status.FUZZY in statuses


def test_repair_matches_what_hypothesis_anchored_by_position(repaired):
    """fixtures/repair/*.oracle.json was made by scripts/verify_repair_with_oracle.py: the same
    repair, then Hypothesis 2022's anchoring (the PDF.js oracle) of the repaired note."""
    note, _, _ = repaired
    oracle = json.loads(ORACLE.read_text())
    assert oracle["repaired"] >= 100
    assert all(c["status"] == "anchored" and c["method"] == "position" for c in oracle["cases"])
    now = {a.id: a for a in read_note(note).annotations}
    for c in oracle["cases"]:
        a = now[c["id"]]
        assert (a.position.start, a.position.end, a.quote.exact) == \
            (c["start"], c["end"], c["exact"]), c["id"]


def test_repaired_annotations_anchor_by_position_hypothesis_rule(repaired):
    note, before, _ = repaired
    expected = {c["id"] for c in json.loads(ORACLE.read_text())["cases"]}
    after = check_paths([note], pdf=NEW_PDF)
    by_id = {r.resolution.id: r.resolution for r in after.results}
    assert expected and all(by_id[i].status == Status.ANCHORED for i in expected)
    doc = after.documents[0].text
    for i in expected:
        ann = by_id[i].annotation
        pos = ann.position
        assert hypothesis_anchors_by_position(doc, ann.quote.exact, pos.start, pos.end) \
            or _starts_a_page(doc, ann), i


def _starts_a_page(doc, ann) -> bool:
    # Hypothesis's findPageByOffset quirk: a span starting exactly at a page start fails its
    # position check (it then anchors by quote). Nothing a repair can change.
    return any(p.start_utf16 == ann.position.start for p in doc.pages)


def test_untouched_annotations_are_byte_identical_and_ids_comments_tags_survive(repaired):
    note, _, proc = repaired
    old, new = read_note(NOTE), read_note(note)
    assert [a.id for a in old.annotations] == [a.id for a in new.annotations]
    assert [(a.comment, a.tags) for a in old.annotations] == \
        [(a.comment, a.tags) for a in new.annotations]
    (report,) = json.loads(proc.stdout)["files"]
    refused = {a.id for a in old.annotations} - set(report["changed"])
    assert set(report["left"]) <= refused
    old_blocks = {b.id: old.text[b.start:b.end] for b in old.blocks}
    new_blocks = {b.id: new.text[b.start:b.end] for b in new.blocks}
    assert refused and all(old_blocks[i] == new_blocks[i] for i in refused)


def test_second_repair_changes_nothing(repaired):
    note, _, _ = repaired
    content = note.read_bytes()
    proc = _tether("repair", str(note), "--pdf", str(NEW_PDF), "--no-backup")
    assert "nothing to change" in proc.stdout
    assert note.read_bytes() == content


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path):
    note = tmp_path / "v1.md"
    shutil.copyfile(NOTE, note)
    proc = _tether("repair", str(note), "--pdf", str(NEW_PDF), "--dry-run")
    assert proc.stdout.startswith(f"--- a/{note}")
    assert "\n+>{\"created\"" in proc.stdout or "\n+>*%%PREFIX%%" in proc.stdout
    assert note.read_bytes() == NOTE.read_bytes()
    assert not list(tmp_path.glob("*.bak*"))


def test_ids_with_emoji_codes_are_printed_as_they_are(tmp_path):
    """Hypothesis / W3C ids are free text: ``urn:x:1`` is printed as it is in repair's and
    check's output, and an error naming ``:fire:.pdf`` too. Before: rich turned ``:x:`` into
    ❌ ("rewrote 1 annotation(s): urn❌1")."""
    from badinput_kit import V1_PAGES, V2_PAGES, make_pdf, spec_for

    spec = spec_for("urn:x:1", "gamma delta", V1_PAGES)
    item = {"id": "urn:x:1", "uri": "urn:x-pdf:abc", "target": [{"source": "urn:x-pdf:abc",
            "selector": [{"type": "TextPositionSelector", "start": spec.start, "end": spec.end},
                         {"type": "TextQuoteSelector", "exact": spec.exact,
                          "prefix": spec.prefix, "suffix": spec.suffix}]}]}
    annotations = tmp_path / "annotations.json"
    annotations.write_text(json.dumps([item]), encoding="utf-8")
    pdf = make_pdf(tmp_path / "v2.pdf", V2_PAGES)  # a sentence inserted: the quote drifted
    check = _tether("check", str(annotations), "--pdf", str(pdf))
    assert check.returncode == 1 and "urn:x:1  drifted" in check.stdout, check.stdout
    proc = _tether("repair", str(annotations), "--pdf", str(pdf))
    assert proc.returncode == 0, proc.stderr
    assert "rewrote 1 annotation(s): urn:x:1" in proc.stdout and "❌" not in proc.stdout
    missing = _tether("text", str(tmp_path / ":fire:.pdf"))
    assert missing.returncode == 2 and ":fire:.pdf: PDF not found" in missing.stderr


def test_the_repair_line_says_where_the_old_file_went(tmp_path):
    """The table-side line of a written file names its backup (``NAME.bak``, then ``.bak.1`` …
    as backups accumulate), and says nothing of one under ``--no-backup``."""

    note = tmp_path / "v1.md"
    shutil.copy(NOTE, note)
    (tmp_path / "v1.md.bak").write_bytes(b"an earlier backup, kept")

    def repair(*extra: str) -> str:
        proc = subprocess.run([sys.executable, "-m", "tether.cli", "repair", str(note),
                               "--pdf", str(NEW_PDF), *extra],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 1, proc.stderr
        lines = proc.stdout.splitlines()
        k = next(k for k, line in enumerate(lines) if line.startswith(f"{note}: rewrote"))
        return lines[k + 1]

    assert repair() == "  backup: the old file is kept as v1.md.bak.1"
    assert (tmp_path / "v1.md.bak").read_bytes() == b"an earlier backup, kept"
    shutil.copy(NOTE, note)
    assert "backup" not in repair("--no-backup")
