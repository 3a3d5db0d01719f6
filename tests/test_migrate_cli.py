"""``tether migrate OLD.pdf NEW.pdf PATH...`` end to end on the yellow paper's 2016 → 2018 update
(both versions ship in fixtures/pdfs; no shared corpus needed): the report contract, the
evidence keys, ``--dry-run`` and ``--write`` through the repair planner and writer.
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
from tether.resolve import Status

NOTE = FIXTURES / "updates" / "eth-yellowpaper" / "v1.md"
V1 = FIXTURES / "pdfs" / "eth-yellowpaper" / "v1.pdf"
V2 = FIXTURES / "pdfs" / "eth-yellowpaper" / "v2.pdf"
STATUSES = {"anchored", "drifted", "fuzzy", "ambiguous", "orphaned", "invalid"}


def tether(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tether.cli", *args], capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def report() -> dict:
    proc = tether("migrate", str(V1), str(V2), str(NOTE), "--json")
    assert proc.returncode == 1, proc.stderr  # things drifted: not all anchored
    return json.loads(proc.stdout)


def test_report_contract_is_checks_plus_evidence(report):
    assert report["schema"] == "tether.report/1" and report["command"] == "migrate"
    assert report["errors"] == [] and report["exit_code"] == 1
    (doc,) = report["documents"]
    assert doc["pdf"].endswith("v2.pdf") and doc["old_pdf"].endswith("v1.pdf")
    assert doc["old_matches_stored"] is True and doc["pdf_changed"] is True
    assert doc["alignment"]["complete"] is True and doc["alignment"]["kept_chars"] > 100_000
    anns = doc["annotations"]
    assert len(anns) == 150 and set(doc["summary"]) == STATUSES
    check_keys = {"id", "source", "status", "method", "score", "stored", "resolved", "rivals",
                  "reason", "unit"}
    for a in anns:
        assert check_keys <= set(a)
        assert a["evidence"] in {"alignment", "cascade"} and a["old_position"] == "confirmed"
        assert all(set(c) == {"op", "text"} and c["op"] in {"delete", "insert"}
                   for c in a["changes"])
        assert (a["resolved"] is None) == (a["status"] not in {"anchored", "drifted", "fuzzy"})
    by_evidence = {e: sum(a["evidence"] == e for a in anns) for e in ("alignment", "cascade")}
    assert by_evidence["alignment"] > 120
    fuzzy = [a for a in anns if a["status"] == "fuzzy" and a["evidence"] == "alignment"]
    assert fuzzy and all(a["changes"] for a in fuzzy)
    assert all(("aligned with OLD" in a["reason"]) != a["moved"] for a in fuzzy)
    assert any(a["moved"] for a in anns)  # a footnote moved to another page


def test_migrate_places_more_than_check_without_contradicting_it(report):
    checked = {r.resolution.id: r.resolution for r in check_paths([NOTE], pdf=V2).results}
    migrated = {a["id"]: a for a in report["documents"][0]["annotations"]}
    assert sum(a["resolved"] is not None for a in migrated.values()) \
        > sum(r.status.is_anchored for r in checked.values())
    for i, res in checked.items():
        if res.status in (Status.ANCHORED, Status.DRIFTED):  # unchanged text: same place
            assert migrated[i]["resolved"]["start"] == res.start_utf16, i


def test_human_table_names_the_evidence():
    proc = tether("migrate", str(V1), str(V2), str(NOTE))
    assert proc.returncode == 1, proc.stderr
    assert "evidence" in proc.stdout and "alignment" in proc.stdout
    assert "aligned OLD" in proc.stdout


def test_table_cells_are_text_and_a_pipe_gets_plain_lines(report):
    """A quote's "[a]" or "[/b]" is text in the terminal's table (was rich markup: "σ[a]n."
    showed as "σn.", "[/b]" raised MarkupError), and output to a pipe or file is the plain
    one-line-per-annotation layout (was rich's box table folded at 80 columns)."""
    import copy
    import io

    from rich.console import Console

    from tether.migrate.report import render_migration

    rep = copy.deepcopy(report)
    doc = rep["documents"][0]
    target = next(a for a in doc["annotations"] if a["status"] != "anchored" and a["reason"])
    target["reason"] = "see [/b] and [bold]x"  # a reason quotes the text it is about
    out = io.StringIO()
    render_migration(Console(file=out, force_terminal=True, width=250), rep)
    assert "see [/b] and [bold]x" in out.getvalue()

    out = io.StringIO()
    render_migration(Console(file=out, force_terminal=False), rep)
    lines = out.getvalue().splitlines()
    assert not any(ch in out.getvalue() for ch in "│━─┃")  # no box drawing
    header = next(i for i, line in enumerate(lines) if line.startswith("id  "))
    rows = lines[header + 2: header + 2 + len(doc["annotations"])]
    assert [r.split()[0] for r in rows] == [a["id"] for a in doc["annotations"]]
    assert any(r.split()[1] == "drifted" and "alignment" in r for r in rows)
    assert any(line.endswith(doc["pdf"]) and doc["old_pdf"] in line for line in lines)


def test_dry_run_shows_a_diff_and_write_rewrites_with_a_backup(tmp_path):
    note = tmp_path / "v1.md"
    shutil.copyfile(NOTE, note)
    dry = tether("migrate", str(V1), str(V2), str(note), "--dry-run")
    assert dry.returncode == 1, dry.stderr  # some annotations are left (orphaned, low score)
    assert f"--- a/{note}" in dry.stdout and "would rewrite" in dry.stdout
    assert note.read_bytes() == NOTE.read_bytes() and not (tmp_path / "v1.md.bak").exists()

    wrote = tether("migrate", str(V1), str(V2), str(note), "--write", "--json")
    assert wrote.returncode == 1, wrote.stderr
    repair = json.loads(wrote.stdout)["repair"]
    (f,) = repair["files"]
    assert f["written"] and len(f["changed"]) > 100 and f["error"] is None
    assert (tmp_path / "v1.md.bak").read_bytes() == NOTE.read_bytes()
    # every rewritten annotation now anchors by position in NEW, as Hypothesis checks it
    after = {r.resolution.id: r.resolution for r in check_paths([note], pdf=V2).results}
    assert all(after[i].status == Status.ANCHORED for i in f["changed"])
    assert {a.id for a in read_note(note).annotations} == {a.id for a in
                                                         read_note(NOTE).annotations}


def test_hypothesis_json_input_and_a_missing_old_pdf(tmp_path):
    note = read_note(NOTE)
    rows = []
    for ann in note.annotations[:5]:
        rows.append({"id": ann.id, "uri": "urn:x-pdf:6bfefbf6d33746240b7418340c46858c",
                     "target": [{"source": "urn:x-pdf:6bfefbf6d33746240b7418340c46858c",
                                 "selector": [
                                     {"type": "TextPositionSelector",
                                      "start": ann.position.start, "end": ann.position.end},
                                     {"type": "TextQuoteSelector", "exact": ann.quote.exact,
                                      "prefix": ann.quote.prefix,
                                      "suffix": ann.quote.suffix}]}]})
    path = tmp_path / "annotations.json"
    path.write_text(json.dumps({"total": len(rows), "rows": rows}), encoding="utf-8")
    proc = tether("migrate", str(V1), str(V2), str(path), "--json")
    assert proc.returncode in (0, 1), proc.stderr
    anns = json.loads(proc.stdout)["documents"][0]["annotations"]
    assert [a["id"] for a in anns] == [r["id"] for r in rows]
    assert all(a["unit"] == "utf-16" and a["old_position"] == "confirmed" for a in anns)

    missing = tether("migrate", str(tmp_path / "nope.pdf"), str(V2), str(path))
    assert missing.returncode == 2 and "OLD PDF" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_an_empty_note_with_an_unreadable_new_pdf_says_no_annotations(tmp_path):
    """Not "0 annotation(s) not migrated": a note with no annotations has none to leave."""
    (tmp_path / "bad.pdf").write_bytes(b"not a pdf")
    note = tmp_path / "empty.md"
    note.write_text("---\nannotation-target: bad.pdf\n---\n\n# nothing yet\n", encoding="utf-8")
    proc = tether("migrate", str(V1), str(tmp_path / "bad.pdf"), str(note))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "no annotations; NEW PDF:" in proc.stdout
    assert "0 annotation(s)" not in proc.stdout


def test_write_says_when_the_notes_annotation_target_is_still_old(tmp_path):
    """After ``migrate --write`` a note whose annotation-target still leads to OLD is checked
    against OLD by the next ``check NOTE``, and ``repair NOTE`` would move its annotations
    back: the output says so (and not when the target already is NEW)."""
    for pdf in (V1, V2):
        shutil.copyfile(pdf, tmp_path / pdf.name)
    note = tmp_path / "notes.md"
    shutil.copyfile(NOTE, note)
    proc = tether("migrate", str(tmp_path / "v1.pdf"), str(tmp_path / "v2.pdf"), str(note),
                  "--write")
    assert proc.returncode == 1, proc.stderr
    assert "rewrote" in proc.stdout
    assert (f"{note}: its annotation-target (v1.pdf) is not {tmp_path / 'v2.pdf'}, the PDF its "
            "annotations were rewritten for") in proc.stdout
    # repair --pdf NEW leaves the same trap; a note already aiming at NEW gets no such line
    again = tmp_path / "again.md"
    shutil.copyfile(NOTE, again)
    repaired = tether("repair", str(again), "--pdf", str(tmp_path / "v2.pdf"))
    assert "its annotation-target (v1.pdf) is not" in repaired.stdout
    aimed = tmp_path / "aimed.md"
    aimed.write_text(NOTE.read_text(encoding="utf-8").replace(
        "annotation-target: v1.pdf", "annotation-target: v2.pdf", 1), encoding="utf-8")
    proc = tether("migrate", str(tmp_path / "v1.pdf"), str(tmp_path / "v2.pdf"), str(aimed),
                  "--write")
    assert "rewrote" in proc.stdout and "annotation-target" not in proc.stdout


def test_a_note_about_another_document_in_the_folder_is_named(tmp_path):
    """`migrate OLD NEW FOLDER --dry-run` with a note about another document beside the right
    one: its wrong-PDF line names that note (was: NEW's path alone, once per such note)."""
    shutil.copyfile(NOTE, tmp_path / "eth.md")
    other = tmp_path / "logic.md"
    shutil.copyfile(FIXTURES / "updates" / "co519-logic-partD" / "v1.md", other)
    proc = tether("migrate", str(V1), str(V2), str(tmp_path), "--dry-run")
    assert proc.returncode == 1, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if "none of its" in line]
    assert len(lines) == 1 and lines[0].startswith(f"{other} on {V2.resolve()}: none of its ")
    assert f"{other}: nothing to change" in proc.stdout
