"""What the commands say in the cases where saying nothing, or something false, was the bug:
a folder with no annotation files in it, a note with no annotations yet, a resumed repair.

Real CLI runs (``python -m tether.cli``) on small real PDFs and notes (:mod:`badinput_kit`).
"""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from badinput_kit import (
    V1_PAGES,
    V2_PAGES,
    good_blocks,
    image_only_pdf,
    make_pdf,
    note_text,
    tether_cmd,
    vault,
)

NOTHING = "no annotation files found in this folder"


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "300"}
    env.pop("TETHER_DEBUG", None)
    return subprocess.run(tether_cmd(*args), capture_output=True, text=True, timeout=300,
                          env=env)


def _said(proc: subprocess.CompletedProcess[str]) -> str:
    return " ".join((proc.stdout + proc.stderr).split())


# --- a folder without annotation files: every command says so and exits 2 ----------------

def test_every_command_says_a_folder_holds_no_annotation_files(tmp_path: Path) -> None:
    empty = tmp_path / "vualt"  # a typo'd vault path that exists (an empty folder)
    empty.mkdir()
    old = make_pdf(tmp_path / "old.pdf", V1_PAGES)
    new = make_pdf(tmp_path / "new.pdf", V2_PAGES)
    runs = {
        "check": ("check", empty),
        "check --json": ("check", empty, "--json"),
        "check --jobs 2 --jsonl": ("check", empty, "--jobs", "2", "--jsonl",
                                   tmp_path / "run.jsonl"),
        "repair": ("repair", empty),
        "report": ("report", empty, "--html", tmp_path / "r.html"),
        "export-pdf": ("export-pdf", empty, "--pdf", new, "-o", tmp_path / "out.pdf"),
        "migrate": ("migrate", old, new, empty),
    }
    with ThreadPoolExecutor(max_workers=3) as pool:
        procs = dict(zip(runs, pool.map(lambda a: _run(*a), runs.values()), strict=True))
    for name, proc in procs.items():
        assert proc.returncode == 2, (name, proc.returncode, _said(proc))
        assert f"{empty}: {NOTHING}" in _said(proc), (name, _said(proc))
        assert "Traceback" not in proc.stderr, (name, proc.stderr)
    report = json.loads(procs["check --json"].stdout)
    assert report["errors"][0]["path"] == str(empty) and report["exit_code"] == 2
    (line,) = (tmp_path / "run.jsonl").read_text().splitlines()
    assert json.loads(line)["type"] == "input-error"
    assert not (tmp_path / "out.pdf").exists()
    assert not (tmp_path / "r.html").exists()  # no page of nothing
    assert "r.html not written" in _said(procs["report"])


def test_a_folder_of_notes_named_one_by_one_too_is_not_empty(tmp_path: Path) -> None:
    note, _ = vault(tmp_path)
    proc = _run("check", note, tmp_path)  # the note is in the folder: read once, found
    assert proc.returncode == 0, _said(proc)
    assert NOTHING not in _said(proc)


# --- a note with no annotations yet --------------------------------------------------------

@pytest.fixture
def empty_notes(tmp_path: Path) -> tuple[Path, Path]:
    """An empty note about the vault's PDF, and one whose PDF is missing."""
    vault(tmp_path)
    fresh = tmp_path / "fresh.md"
    fresh.write_text(note_text(""), encoding="utf-8")
    lost = tmp_path / "lost.md"
    lost.write_text(note_text("", "gone.pdf"), encoding="utf-8")
    return fresh, lost


def test_an_empty_note_says_no_annotations(empty_notes: tuple[Path, Path]) -> None:
    fresh, lost = empty_notes
    proc = _run("check", fresh)
    assert proc.returncode == 0, _said(proc)
    assert "no annotations" in proc.stdout
    assert "id status page" not in " ".join(proc.stdout.split())  # no table of headers alone
    proc = _run("check", lost)
    assert proc.returncode == 2
    assert "0 annotation(s)" not in _said(proc)
    assert f"no annotations; {lost}: PDF not found" in _said(proc)
    doc = json.loads(_run("check", fresh, "--json").stdout)["documents"][0]
    assert doc["annotations_in_files"] == 0 and doc["annotations"] == [] and not doc["error"]


def test_an_empty_note_in_the_html_report(empty_notes: tuple[Path, Path], tmp_path: Path
                                          ) -> None:
    _, lost = empty_notes
    out = tmp_path / "r.html"
    proc = _run("report", lost, "--html", out)
    assert proc.returncode == 2, _said(proc)
    html = out.read_text(encoding="utf-8")
    assert "0 annotation(s)" not in html and "no annotations; " in html


def test_repair_names_an_empty_note(empty_notes: tuple[Path, Path]) -> None:
    fresh, _ = empty_notes
    proc = _run("repair", fresh)
    assert proc.returncode == 0, _said(proc)
    assert f"{fresh}: no annotations" in proc.stdout
    files = json.loads(_run("repair", fresh, "--json").stdout)["files"]
    assert [(f["path"], f["changed"], f["written"]) for f in files] == [(str(fresh), [], False)]


# --- repair --resume: what the earlier run wrote is not called "rewrote" ----------------

def test_resumed_repair_says_which_rewrites_were_earlier(tmp_path: Path) -> None:
    notes = {}
    for name in ("a", "b"):  # two documents: a note made on v1, its PDF now v2 (drifted)
        notes[name], _ = vault(tmp_path / name, pages=V2_PAGES)
    jsonl = tmp_path / "run.jsonl"
    first = _run("repair", notes["a"], "--jsonl", jsonl)
    assert first.returncode == 0 and f"{notes['a']}: rewrote 2 annotation(s)" in first.stdout
    resumed = _run("repair", tmp_path / "a", tmp_path / "b", "--resume", jsonl)
    assert resumed.returncode == 0, _said(resumed)
    said = _said(resumed)
    assert f"{notes['a']}: 2 annotation(s) rewritten earlier (the run --resume read), 0 now" \
        in said
    assert f"{notes['a']}: rewrote" not in said
    assert f"{notes['b']}: rewrote 2 annotation(s)" in said
    assert "resumed: 1 document(s) taken from" in said


def test_resume_says_when_it_can_reuse_nothing(tmp_path: Path) -> None:
    """A --resume file of another command, or of other settings: every document is done
    again, which the run now says instead of resuming silently."""
    note, _ = vault(tmp_path / "v", pages=V2_PAGES)
    jsonl = tmp_path / "check.jsonl"
    assert _run("check", note, "--jsonl", jsonl).returncode == 1
    repair = _run("repair", note, "--dry-run", "--resume", jsonl)
    assert (f"note: {jsonl} holds results of another command (1 of check), none of repair: "
            "nothing to reuse") in _said(repair), _said(repair)
    other = _run("check", note, "--resume", jsonl, "--max-pages", "100")
    assert (f"note: none of the 1 check result(s) in {jsonl} is about these documents with "
            "these settings") in _said(other), _said(other)
    same = _run("check", note, "--resume", jsonl)
    assert "note:" not in _said(same) and "resumed: 1 document(s) taken" in _said(same)


def test_repair_against_another_pdf_asks_whether_it_is_the_right_one(tmp_path: Path) -> None:
    """As check's table does (row 87): a repair that found none of the notes' annotations
    says why that is likely, under its list of annotations left alone."""
    note, _ = vault(tmp_path)
    other = make_pdf(tmp_path / "other.pdf", ("Completely different words on this page.",
                                              "And nothing of the note on this one either."))
    proc = _run("repair", note, "--pdf", other, "--dry-run")
    assert proc.returncode == 1, _said(proc)
    assert (f"{other}: none of its 2 annotations was found in this PDF's text: is it the PDF "
            "they were made on, or a version of it?") in _said(proc)
    assert "none of its" not in _said(_run("repair", note, "--dry-run"))


def test_jsonl_and_resume_never_overwrite_a_note_or_a_pdf(tmp_path: Path) -> None:
    """``--jsonl NOTE`` truncated the note before the run read it (the note lost; the run
    then found no annotation file), and ``--resume NOTE`` appended JSON lines to it. Any file
    that is not tether's JSONL is now refused, byte for byte as it was."""
    note, pdf = vault(tmp_path)
    before = {p: p.read_bytes() for p in (note, pdf)}
    for option in ("--jsonl", "--resume"):
        for target in (note, pdf):
            proc = _run("check", tmp_path, option, target)
            assert proc.returncode == 2, (option, target, _said(proc))
            assert f"{target}: not a --jsonl file of tether" in _said(proc), _said(proc)
            assert "Traceback" not in proc.stderr
    assert {p: p.read_bytes() for p in before} == before
    jsonl = tmp_path / "run.jsonl"  # tether's own file: written, resumed, written again
    for option in ("--jsonl", "--resume", "--jsonl"):
        proc = _run("check", note, option, jsonl)
        assert proc.returncode == 0, (option, _said(proc))


def test_text_of_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    proc = _run("text", tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{tmp_path}: is a folder; tether text takes one PDF" in _said(proc)  # was: not found


def test_migrate_with_the_pdfs_after_the_note_names_the_order(tmp_path: Path) -> None:
    """`tether migrate NOTE OLD.pdf NEW.pdf`: migrate has no --pdf, so the advice a PDF among
    the notes gets is the argument order. Was: "give it with --pdf NEW.pdf" (no such option)."""
    note, old = vault(tmp_path)
    new = make_pdf(tmp_path / "new.pdf", V2_PAGES)
    proc = _run("migrate", note, old, new)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    said = _said(proc)
    assert (f"{new}: is a PDF, not an annotation file; tether migrate takes the PDFs first: "
            "tether migrate OLD.pdf NEW.pdf NOTE...") in said
    assert "--pdf" not in said
    # check keeps its advice: it has --pdf
    assert f"give it with --pdf {new}" in _said(_run("check", note, new))
    # a folder of JSON exports: named one by one, and with --pdf only where there is one
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "h.json").write_text("[]", encoding="utf-8")
    said = _said(_run("migrate", old, new, exports))
    assert said.endswith("name Hypothesis / W3C .json files one by one")
    assert "one by one, with --pdf" in _said(_run("check", exports))


def test_an_unknown_text_model_is_a_usage_error_before_any_work(tmp_path: Path) -> None:
    """`--model pdfjs-3`: refused up front, whatever the command. Was: check said "N
    annotation(s) not checked" per document, and report wrote an HTML file of 0 annotations."""
    note, pdf = vault(tmp_path)
    html = tmp_path / "r.html"
    runs = {"check": _run("check", note, "--model", "pdfjs-3"),
            "report": _run("report", note, "--html", html, "--model", "pdfjs-3"),
            "migrate": _run("migrate", pdf, pdf, note, "--model", "pdfjs-3")}
    for command, proc in runs.items():
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, command
        assert "unknown text model 'pdfjs-3' (known: pdfjs-2.11)" in _said(proc), command
        assert "not checked" not in _said(proc) and "not migrated" not in _said(proc), command
    assert not html.exists()
    assert _run("check", note, "--model", "pdfjs-2.11").returncode == 0


def test_report_counts_the_annotations_it_could_not_check(tmp_path: Path) -> None:
    """A note whose PDF is gone, beside a good one: the "wrote" line counts its annotations as
    not checked (was: "2 annotation(s)" as if that were all)."""
    note, _ = vault(tmp_path)
    lost = tmp_path / "lost.md"
    lost.write_text(note_text(good_blocks(), "gone.pdf"), encoding="utf-8")
    out = tmp_path / "r.html"
    proc = _run("report", note, lost, "--html", out)
    assert proc.returncode == 2 and out.exists()
    assert (f"wrote {out}: 2 document(s), 2 annotation(s) checked, 2 not checked (errors below), "
            in proc.stdout)
    assert f"{lost}: PDF not found" in _said(proc)
    good = _run("report", note, "--html", out)
    assert good.returncode == 0 and "not checked" not in good.stdout


def test_text_of_a_scan_says_it_has_no_text_layer(tmp_path: Path) -> None:
    """`tether text scan.pdf` (checking why every annotation is orphaned): the reason on
    stderr, as check gives it; stdout stays the (empty) page texts. Was: blank pages alone."""
    scan = image_only_pdf(tmp_path / "scan.pdf")
    proc = _run("text", scan, "--json")
    assert proc.returncode == 0 and len(json.loads(proc.stdout)["pages"]) == 2
    assert f"note: {scan}: no text layer: the PDF has no extractable text" in _said(proc)
    _, pdf = vault(tmp_path / "v")
    assert "note:" not in _run("text", pdf).stderr


def test_a_folder_given_as_the_pdf_is_called_a_folder(tmp_path: Path) -> None:
    """`check NOTE --pdf vault/`, `migrate OLD.pdf vault/ NOTE`: the folder is there, it is
    not a PDF (was: "vault: PDF not found")."""
    note, pdf = vault(tmp_path)
    folder = tmp_path / "papers"
    folder.mkdir()
    for args in (("check", note, "--pdf", folder), ("migrate", pdf, folder, note),
                 ("export-pdf", note, "--pdf", folder, "-o", tmp_path / "out.pdf")):
        proc = _run(*args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, args
        assert f"{folder}: is a folder, not a PDF" in _said(proc), args
        assert "PDF not found" not in _said(proc), args
