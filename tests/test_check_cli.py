"""``tether check`` / ``tether text`` as users and CI call them: output contract and exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, SHARED, require_shared

YP_NOTE = FIXTURES / "updates" / "eth-yellowpaper" / "v1.md"
YP_V1 = FIXTURES / "pdfs" / "eth-yellowpaper" / "v1.pdf"
YP_V2 = FIXTURES / "pdfs" / "eth-yellowpaper" / "v2.pdf"
STATUSES = {"anchored", "drifted", "fuzzy", "ambiguous", "orphaned", "invalid"}


def tether(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tether.cli", *args], capture_output=True,
                          text=True, timeout=300)


def test_text_json_contract_matches_the_model():
    proc = tether("text", str(YP_V1), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["model"] == "pdfjs-2.11"
    pages = data["pages"]
    assert len(pages) == 31 and [p["index"] for p in pages] == list(range(31))
    offset = 0
    for p in pages:  # offsets are cumulative UTF-16 lengths, no separators
        assert p["offset"] == offset
        offset += len(p["text"].encode("utf-16-le")) // 2
    assert pages[0]["text"].startswith("ETHEREUM: A SECURE DECENTRALISED GENERALISED")


def test_check_json_contract_on_a_real_update():
    proc = tether("check", str(YP_NOTE), "--pdf", str(YP_V2), "--json")
    assert proc.returncode == 1, proc.stderr  # things drifted: not all anchored
    report = json.loads(proc.stdout)
    assert report["schema"] == "tether.report/1"
    (doc,) = report["documents"]
    assert doc["pdf"].endswith("v2.pdf") and doc["model"] == "pdfjs-2.11"
    assert doc["pdf_changed"] is True and len(doc["fingerprint"]) == 32
    anns = doc["annotations"]
    assert len(anns) == 150
    assert set(doc["summary"]) == STATUSES and sum(doc["summary"].values()) == 150
    text = "".join(p["text"] for p in json.loads(tether("text", str(YP_V2), "--json").stdout)
                   ["pages"])
    utf16 = text.encode("utf-16-le")
    for a in anns:
        assert a["status"] in STATUSES and a["id"] and a["source"].endswith("v1.md")
        assert set(a["stored"]) == {"start", "end", "exact", "prefix", "suffix"}
        if a["resolved"] is None:
            assert a["status"] in {"ambiguous", "orphaned", "invalid"} and a["reason"]
            continue
        r = a["resolved"]
        # resolved offsets are UTF-16 indices into the checked PDF's text
        assert utf16[2 * r["start"]:2 * r["end"]].decode("utf-16-le") == r["exact"]
        assert a["method"] in {"position", "quote", "fuzzy", "landmarks"} and 0 <= a["score"] <= 1


def test_check_unchanged_pdf_exits_zero(tmp_path):
    # The note was annotated on v1: against v1 every annotation is anchored.
    proc = tether("check", str(YP_NOTE), "--pdf", str(YP_V1))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "same PDF as annotated" in proc.stdout


def test_usage_and_input_errors_exit_two_without_traceback(tmp_path):
    bad = tmp_path / "not-a.pdf"
    bad.write_text("hello")
    for args in (["check", str(tmp_path / "missing.md")],
                 ["check", str(YP_NOTE), "--pdf", str(bad)],
                 ["text", str(bad)],
                 ["check"]):
        proc = tether(*args)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr + proc.stdout


def test_json_annotations_need_a_pdf(tmp_path):
    hyp = tmp_path / "a.json"
    hyp.write_text(json.dumps({"id": "x1", "target": [{"selector": [
        {"type": "TextQuoteSelector", "exact": "The blockchain paradigm when coupled with"}]}]}))
    proc = tether("check", str(hyp))
    assert proc.returncode == 2 and "--pdf" in proc.stderr
    proc = tether("check", str(hyp), "--pdf", str(YP_V1), "--json")
    (ann,) = json.loads(proc.stdout)["documents"][0]["annotations"]
    assert ann["status"] == "drifted"
    assert ann["resolved"]["exact"] == "The blockchain paradigm when coupled with"


@pytest.mark.corpus
@pytest.mark.slow
def test_vaults_unchanged_every_annotation_on_its_stored_span():
    require_shared()
    proc = tether("check", str(SHARED / "corpus" / "vaults"), "--json")
    report = json.loads(proc.stdout)
    assert proc.returncode == 0, proc.stderr
    anns = [a for d in report["documents"] for a in d["annotations"]]
    assert len(report["documents"]) == 8 and len(anns) == 193
    for a in anns:
        assert a["status"] == "anchored" and a["method"] == "position"
        assert (a["resolved"]["start"], a["resolved"]["end"]) == \
            (a["stored"]["start"], a["stored"]["end"])


@pytest.mark.corpus
def test_seed_note_parses_and_says_the_pdf_is_missing(tmp_path):
    require_shared()
    note = tmp_path / "fmed-09-948210.md"  # copy: ../shared is read-only in CI
    shutil.copyfile(SHARED / "corpus" / "seed" / "fmed-09-948210.md", note)
    proc = tether("check", str(note), "--json")
    assert proc.returncode == 2
    assert "PDF not found" in proc.stderr and "fmed-09-948210.pdf" in proc.stderr
    from tether.formats import read_note

    assert len(read_note(note).annotations) == 3


@pytest.mark.parametrize("args", [
    ("text", str(YP_V2)),
    ("text", str(YP_V2), "--json"),
    ("check", str(YP_NOTE), "--pdf", str(YP_V2)),
    ("check", str(YP_NOTE), "--pdf", str(YP_V2), "--json"),
], ids=["text", "text-json", "check-table", "check-json"])
def test_a_reader_that_went_away_gives_141_not_findings(args):
    """``tether text x.pdf | head``: the pipe is closed before tether writes (its read end is
    closed at once), so every write meets EPIPE. Exit 141 (128 + SIGPIPE), quietly — not 1, which
    would read as findings, and no traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "tether.cli", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 141, stderr
    assert "Traceback" not in stderr and "Error" not in stderr, stderr


def _env_without_width() -> dict[str, str]:
    """The environment of a pipe in CI: no COLUMNS / LINES (rich then assumes 80 columns)."""
    import os

    return {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}


def test_plain_text_output_holds_each_page_text_verbatim():
    """``tether text x.pdf > x.txt``: every page's text appears whole, exactly as ``--json``
    gives it — the text annotation offsets index into. Before: folded at 80 columns, the space
    at each fold dropped."""
    env = _env_without_width()
    plain = subprocess.run([sys.executable, "-m", "tether.cli", "text", str(YP_V1)],
                           capture_output=True, text=True, timeout=300, env=env)
    data = subprocess.run([sys.executable, "-m", "tether.cli", "text", str(YP_V1), "--json"],
                          capture_output=True, text=True, timeout=300, env=env)
    assert plain.returncode == 0 and data.returncode == 0, plain.stderr + data.stderr
    pages = json.loads(data.stdout)["pages"]
    assert max(len(p["text"]) for p in pages) > 1000  # long lines: the case that was folded
    for p in pages:
        assert f"\n{p['text']}\n" in plain.stdout, p["index"]


def test_lines_to_a_pipe_are_not_folded_at_80_columns(tmp_path):
    """Output to a pipe (CI logs, grep) keeps one line per path, message and annotation left:
    rich folded them at 80 columns when no terminal told it a width, cutting paths in two."""
    folder = tmp_path / ("a folder name long enough to push every path past eighty columns " * 2)
    folder.mkdir()
    (folder / ".obsidian").mkdir()
    pdf = folder / "v1.pdf"
    shutil.copyfile(YP_V2, pdf)  # the PDF was replaced by the next version
    note = folder / "yellow paper.md"
    shutil.copyfile(YP_NOTE, note)
    lost = folder / "lost.md"
    lost.write_text("---\nannotation-target: gone.pdf\n---\n", encoding="utf-8")
    env = _env_without_width()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tether.cli", *args], capture_output=True,
                              text=True, timeout=300, env=env)

    proc = run("check", str(note), str(lost))
    assert proc.returncode == 2, proc.stderr
    out, err = proc.stdout.splitlines(), proc.stderr.splitlines()
    assert str(pdf) in out  # the document's title
    assert any(line.startswith("  model pdfjs-2.11; the PDF changed: /ID[0] ")
               and "≠ stored " in line for line in out)
    assert any(line.startswith("error: ") and str(lost) in line and "PDF not found" in line
               for line in err), err
    dry = json.loads(run("repair", str(note), "--dry-run", "--json").stdout)["files"][0]
    left = dry["left"]
    proc = run("repair", str(note), "--dry-run")
    lines = proc.stdout.splitlines()
    # the JSON of a dry run holds the diff the text output prints (was: no diff at all)
    assert dry["diff"].startswith(f"--- a/{note}") and dry["diff"] in proc.stdout
    assert note.read_bytes() == YP_NOTE.read_bytes()
    assert len(left) > 5 and max(len(why) for why in left.values()) > 80
    for ann_id, why in left.items():
        assert f"  left {ann_id}: {why}" in lines


def test_page_notes_are_counted_in_good_english():
    """The real stack-and-queue lecture note has one page note beside 14 highlights: "1 page
    note", not "1 page notes"; the list lecture's 9 keep the plural."""
    shared = require_shared()
    vaults = shared / "corpus" / "vaults"
    one = tether("check", str(vaults / "ds-stack-queue"))
    assert one.returncode == 0, one.stderr
    assert "14 anchored; 1 page note (nothing to anchor)" in one.stdout
    nine = tether("check", str(vaults / "ds-list"))
    assert "; 9 page notes (nothing to anchor)" in nine.stdout
