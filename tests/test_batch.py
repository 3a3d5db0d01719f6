"""Batch runs (issue 10): ``--jobs``, ``--jsonl``, ``--resume`` and the Dask executor, through the
real CLI on real notes and PDFs (copies in a temporary folder).

The folder: for the yellow paper and the Italian thesis, both PDF versions, the v1 note (on
v1.pdf: anchored), the v2 note and the v1 note re-targeted at v2.pdf (one document of two
files: drifted, fuzzy, orphaned ...), and a note whose PDF is gone (an error document). Every
executor must give the same report, byte for byte, whatever order the workers finish in.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, require_shared, run_tether, vault_notes

PAPERS = ("eth-yellowpaper", "music-esprit-thesis-it")


def tether(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_tether(*args, env=env, timeout=300)


def said(proc: subprocess.CompletedProcess[str]) -> str:
    """Standard error with rich's line wrapping undone."""
    return " ".join(proc.stderr.split())


def make_folder(root: Path, papers: tuple[str, ...] = PAPERS) -> Path:
    for name in papers:
        d = root / name
        d.mkdir(parents=True)
        for pdf in ("v1.pdf", "v2.pdf"):
            shutil.copyfile(FIXTURES / "pdfs" / name / pdf, d / pdf)
        v1 = (FIXTURES / "updates" / name / "v1.md").read_text(encoding="utf-8")
        (d / "v1.md").write_text(v1, encoding="utf-8")
        (d / "v1-on-v2.md").write_text(
            v1.replace("annotation-target: v1.pdf", "annotation-target: v2.pdf", 1),
            encoding="utf-8")
        shutil.copyfile(FIXTURES / "updates" / name / "v2.md", d / "v2.md")
    (root / "moved.md").write_text(v1.replace("annotation-target: v1.pdf",
                                              "annotation-target: gone.pdf", 1),
                                   encoding="utf-8")
    return root


def jsonl_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def comparable(lines: list[dict]) -> list[dict]:
    """JSONL lines without the timing field, in a fixed order (the file is in completion
    order)."""
    out = [{k: v for k, v in line.items() if k != "seconds"} for line in lines]
    return sorted(out, key=lambda line: json.dumps(line, sort_keys=True))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return make_folder(tmp_path_factory.mktemp("batch"))


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """The thesis only (quick): two documents and the moved note."""
    return make_folder(tmp_path_factory.mktemp("small"), PAPERS[1:])


@pytest.fixture(scope="module")
def serial(folder, tmp_path_factory):
    jsonl = tmp_path_factory.mktemp("serial") / "run.jsonl"
    proc = tether("check", str(folder), "--json", "--jsonl", str(jsonl))
    return proc, jsonl


def test_serial_run_reports_every_document_and_the_error(serial, folder):
    proc, jsonl = serial
    assert proc.returncode == 2, proc.stderr  # the moved note's PDF is gone
    assert "Traceback" not in proc.stderr and "gone.pdf" in said(proc)
    report = json.loads(proc.stdout)
    docs = report["documents"]
    # the folder's order: its own notes first, then each sub-folder's, names sorted
    # ("v1-on-v2.md" < "v1.md"), a document where its first note is
    assert [Path(d["pdf"]).relative_to(folder).as_posix() if d["pdf"] else None
            for d in docs] == [None] + [f"{p}/{v}" for p in PAPERS for v in ("v2.pdf", "v1.pdf")]
    statuses = {a["status"] for d in docs for a in d["annotations"]}
    assert {"anchored", "drifted", "fuzzy", "orphaned"} <= statuses
    assert docs[0]["error"] and not any(d["error"] for d in docs[1:])
    lines = jsonl_lines(jsonl)
    assert len(lines) == len(docs)
    # each line is self-contained: the report's document, its id, PDF and fingerprint
    by_sources = {tuple(line["sources"]): line for line in lines}
    for d in docs:
        line = by_sources[tuple(d["sources"])]
        assert line["document"] == d and line["pdf"] == d["pdf"]
        assert line["fingerprint"] == d["fingerprint"] and len(line["id"]) == 32


def test_two_jobs_give_the_same_report_and_lines(serial, folder, tmp_path):
    proc, jsonl = serial
    parallel = tmp_path / "jobs2.jsonl"
    got = tether("check", str(folder), "--json", "--jobs", "2", "--jsonl", str(parallel))
    assert got.returncode == proc.returncode, got.stderr
    assert got.stdout == proc.stdout
    assert comparable(jsonl_lines(parallel)) == comparable(jsonl_lines(jsonl))


def test_the_table_is_the_same_in_parallel(small):
    one = tether("check", str(small))
    two = tether("check", str(small), "--jobs", "2")
    assert one.returncode == two.returncode == 2
    assert one.stdout == two.stdout and "Summary: 3 document(s)" in one.stdout


def test_dask_cluster_gives_the_same_report(serial, folder, tmp_path):
    """A real Dask scheduler and worker (in this process, one thread) reached through
    --scheduler: the CLI ships the same per-document function to it."""
    distributed = pytest.importorskip("distributed")
    proc, jsonl = serial
    lines = tmp_path / "dask.jsonl"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  protocol="tcp", host="127.0.0.1", dashboard_address=None,
                                  silence_logs=logging.ERROR) as cluster:
        got = tether("check", str(folder), "--json", "--executor", "dask", "--scheduler",
                     cluster.scheduler_address, "--jsonl", str(lines))
    assert got.returncode == proc.returncode, got.stderr
    assert got.stdout == proc.stdout
    assert comparable(jsonl_lines(lines)) == comparable(jsonl_lines(jsonl))


def test_dask_local_cluster_of_worker_processes(small):
    """No --scheduler: a LocalCluster of --jobs worker processes."""
    pytest.importorskip("distributed")
    serial = tether("check", str(small), "--json")
    got = tether("check", str(small), "--json", "--executor", "dask", "--jobs", "2")
    assert serial.returncode == got.returncode == 2, got.stderr
    assert got.stdout == serial.stdout


def test_missing_dask_is_a_clear_user_error(small, tmp_path):
    """Dask not installed (hidden by a `distributed` that cannot be imported)."""
    blocker = tmp_path / "blocked" / "distributed"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('not installed')\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(blocker.parent), env.get("PYTHONPATH", "")])
    got = tether("check", str(small), "--executor", "dask", env=env)
    assert got.returncode == 2 and "Traceback" not in got.stderr
    assert 'pip install "tether[dask]"' in said(got)
    assert got.stdout == ""


def test_unreachable_scheduler_is_a_user_error(small):
    pytest.importorskip("distributed")
    got = tether("check", str(small), "--executor", "dask", "--scheduler",
                 "tcp://127.0.0.1:9")
    assert got.returncode == 2 and "Traceback" not in got.stderr
    assert "cannot reach the Dask scheduler" in said(got)


def test_resume_after_a_killed_run_finishes_only_the_rest(serial, folder, tmp_path):
    """A run killed after two documents (the third line cut in half): --resume does the
    others only, appends their lines after the last whole line, and reports as a full run."""
    proc, jsonl = serial
    full = jsonl.read_text(encoding="utf-8").splitlines(keepends=True)
    partial = tmp_path / "killed.jsonl"
    partial.write_text("".join(full[:2]) + full[2][: len(full[2]) // 2], encoding="utf-8")
    got = tether("check", str(folder), "--json", "--resume", str(partial))
    assert got.returncode == proc.returncode, got.stderr
    assert got.stdout == proc.stdout
    assert f"resumed: 2 document(s) taken from {partial}, 3 processed" in said(got)
    assert comparable(jsonl_lines(partial)) == comparable(jsonl_lines(jsonl))


def test_resume_redoes_an_edited_note_only(tmp_path):
    root = make_folder(tmp_path / "vault", PAPERS[1:])
    first = tmp_path / "first.jsonl"
    assert tether("check", str(root), "--jsonl", str(first)).returncode == 2
    note = root / PAPERS[1] / "v1.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nedited\n", encoding="utf-8")
    again = tmp_path / "again.jsonl"
    got = tether("check", str(root), "--json", "--resume", str(first), "--jsonl", str(again),
                 "--jobs", "2")
    assert got.returncode == 2, got.stderr
    assert "2 document(s) taken" in said(got) and "1 processed" in said(got)
    lines = jsonl_lines(again)  # a new file lists the whole run
    assert len(lines) == 3 and sum(line["id"] not in {x["id"] for x in jsonl_lines(first)}
                                   for line in lines) == 1


def test_resume_from_a_file_that_does_not_exist_says_so(small, tmp_path):
    """A first run with --resume (or a typo'd name): every document is done and the lines are
    written to that file — with a note saying so (it was silent: a typo looked like a resume
    that found nothing to skip)."""
    first = tmp_path / "run.jsonl"
    got = tether("check", str(small), "--resume", str(first))
    assert got.returncode == 2, got.stderr  # the moved note
    assert f"note: {first} does not exist yet: nothing to skip: every document is " \
           "processed and its lines are written there" in said(got)
    assert len(jsonl_lines(first)) == 3  # one line per document (the moved note's too)
    again = tether("check", str(small), "--resume", str(first))
    assert "does not exist" not in said(again) and "3 document(s) taken" in said(again)
    # With --jsonl elsewhere, the note names where the lines went (it said "there").
    missing, other = tmp_path / "missing.jsonl", tmp_path / "other.jsonl"
    got = tether("check", str(small), "--resume", str(missing), "--jsonl", str(other))
    assert f"lines are written to {other}" in said(got) and not missing.exists()
    assert len(jsonl_lines(other)) == 3


def _normalised(text: str, root: Path) -> str:
    return text.replace(str(root), "ROOT")


def test_repair_in_parallel_writes_what_a_serial_repair_writes(tmp_path):
    a, b = make_folder(tmp_path / "a", PAPERS[1:]), make_folder(tmp_path / "b", PAPERS[1:])
    one = tether("repair", str(a), "--json")
    two = tether("repair", str(b), "--json", "--jobs", "2")
    assert one.returncode == two.returncode == 2  # the moved note
    assert _normalised(one.stdout, a) == _normalised(two.stdout, b)
    changed = [f for f in json.loads(one.stdout)["files"] if f["written"]]
    assert len(changed) == 1  # the re-targeted note
    for name in PAPERS[1:]:
        for note in ("v1.md", "v1-on-v2.md", "v2.md", "v1-on-v2.md.bak"):
            assert (a / name / note).read_bytes() == (b / name / note).read_bytes(), note


def test_repair_resume_skips_the_files_already_rewritten(tmp_path):
    """Killed after the first document was repaired (its line written): --resume does not
    redo it (its rewritten files are known by the key after the write) and the final report
    equals an uninterrupted repair's."""
    full_root = make_folder(tmp_path / "full", PAPERS[1:])
    root = make_folder(tmp_path / "killed", PAPERS[1:])
    full = tether("repair", str(full_root), "--json")
    first_doc = root / PAPERS[1] / "v1-on-v2.md"
    jsonl = tmp_path / "repair.jsonl"
    partial = tether("repair", str(first_doc), str(root / PAPERS[1] / "v2.md"),
                     "--jsonl", str(jsonl))
    assert partial.returncode == 1, partial.stderr
    with jsonl.open("a", encoding="utf-8") as f:
        f.write('{"schema": "tether.batch/1", "type": "docu')  # the kill
    got = tether("repair", str(root), "--json", "--resume", str(jsonl), "--jobs", "2")
    assert got.returncode == full.returncode == 2
    assert "1 document(s) taken" in said(got)
    assert _normalised(got.stdout, root) == _normalised(full.stdout, full_root)


def test_migrate_in_parallel_merges_into_one_document(tmp_path):
    name = PAPERS[1]
    notes = tmp_path / "notes"
    notes.mkdir()
    for v in ("v1", "v2"):
        shutil.copyfile(FIXTURES / "updates" / name / f"{v}.md", notes / f"{v}.md")
    old, new = FIXTURES / "pdfs" / name / "v1.pdf", FIXTURES / "pdfs" / name / "v2.pdf"
    one = tether("migrate", str(old), str(new), str(notes), "--json")
    two = tether("migrate", str(old), str(new), str(notes), "--json", "--jobs", "2")
    assert one.returncode == two.returncode == 1, two.stderr
    a, b = json.loads(one.stdout), json.loads(two.stdout)
    for report in (a, b):  # timing, not a result
        report["documents"][0]["alignment"].pop("seconds")
    assert a == b
    (doc,) = a["documents"]
    assert len(doc["sources"]) == 2 and len(doc["annotations"]) == 300
    assert {a["evidence"] for a in doc["annotations"]} >= {"alignment"}


@pytest.mark.slow
@pytest.mark.corpus
def test_shared_vaults_same_in_parallel(tmp_path):
    """The real vaults of the shared corpus (copied: the PDFs stay outside the project)."""
    shared = require_shared()
    root = tmp_path / "vaults"
    for provenance in sorted((shared / "corpus" / "vaults").glob("*/provenance.json")):
        shutil.copytree(provenance.parent, root / provenance.parent.name)
    one = tether("check", str(root), "--json")
    two = tether("check", str(root), "--json", "--jobs", "2")
    assert one.returncode == two.returncode, two.stderr
    assert one.stdout == two.stdout
    report = json.loads(one.stdout)
    assert len(report["documents"]) >= len(vault_notes())
    assert sum(len(d["annotations"]) for d in report["documents"]) > 100


def test_usage_errors(small, tmp_path):
    both = tether("check", str(small), "--json", "--jsonl", "-")
    assert both.returncode == 2 and "both write to standard output" in said(both)
    unwritable = tether("check", str(small), "--jsonl", str(tmp_path / "no" / "such.jsonl"))
    assert unwritable.returncode == 2 and "cannot write the --jsonl file" in said(unwritable)
    assert "Traceback" not in both.stderr + unwritable.stderr


def test_jsonl_to_standard_output_streams_lines_only(small):
    got = tether("check", str(small), "--jsonl", "-")
    assert got.returncode == 2
    lines = [json.loads(x) for x in got.stdout.splitlines()]
    assert len(lines) == 3 and all(x["type"] == "document" for x in lines)


def test_progress_bar_only_on_a_terminal(small, capsys):
    import io

    from rich.console import Console

    from tether.batch import Settings, run_command

    for terminal in (True, False):
        buf = io.StringIO()
        err = Console(file=buf, force_terminal=terminal, width=100)
        assert run_command(Settings("check"), [small], err=err) == 2
        assert ("documents" in buf.getvalue()) is terminal  # the bar's label
        assert "Summary: 3 document(s)" in capsys.readouterr().out


def test_ctrl_c_after_the_last_document_says_nothing_is_left(small, tmp_path, monkeypatch,
                                                             capsys):
    """A real SIGINT delivered just after the last document finished (before the report was
    printed): exit 130 (no report was printed), and the line says every document finished and
    that --resume prints the report — not "3 of 3 finished ... --resume does the rest"."""
    import io
    import signal

    from rich.console import Console

    from tether.batch import Settings, command, run_command
    from tether.batch.document import DocumentOutcome

    advance = command._Progress.advance

    def advance_then_ctrl_c(self: command._Progress, outcome: DocumentOutcome) -> None:
        advance(self, outcome)
        if self.finished == self.total:
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(command._Progress, "advance", advance_then_ctrl_c)
    jsonl = tmp_path / "run.jsonl"
    for jsonl_args in ({}, {"jsonl": str(jsonl)}):
        buf = io.StringIO()
        code = run_command(Settings("check"), [small], err=Console(file=buf, width=300),
                           **jsonl_args)
        said_ = buf.getvalue()
        assert code == 130, said_
        assert "interrupted after all 3 document(s) had finished, before the report was " \
               "printed" in said_
        assert "does the rest" not in said_ and "nothing was reported" not in said_
        assert capsys.readouterr().out == ""  # no table: the report was not printed
    assert f"--resume {jsonl} prints the report without processing them again" in said_
    assert len(jsonl_lines(jsonl)) == 3


def test_read_done_tolerates_damage_and_redoes_bugs(tmp_path):
    from tether.batch.document import SCHEMA
    from tether.batch.jsonl import read_done

    def line(key: str, **extra) -> str:
        return json.dumps({"schema": SCHEMA, "type": "document", "command": "check",
                           "id": key, "document": {}, **extra}) + "\n"

    path = tmp_path / "run.jsonl"
    path.write_text(line("a", keys_after=["a2"]) + "not json\n" + line("b", internal_error="x")
                    + line("c").replace('"check"', '"repair"') + line("d") + line("e")[:20])
    done = read_done(path, "check")
    assert set(done.lines) == {"a", "a2", "d"}  # b hit a bug, c is another command's
    assert done.skipped == 2  # the damaged middle line and the cut last one
    assert path.read_bytes()[: done.complete_bytes].endswith(line("d").encode())
    assert read_done(tmp_path / "missing.jsonl", "check").lines == {}


def test_a_serial_task_takes_the_planned_parse_only_of_unchanged_bytes(tmp_path):
    """In one process the planner's parse is reused (a big JSON file is parsed once), unless
    the file changed between planning and processing: then it is read again."""
    from tether.batch import document
    from tether.batch.document import Settings, _read
    from tether.batch.run import plan_tasks

    root = make_folder(tmp_path, PAPERS[1:])
    note = next(p for p in sorted(root.rglob("*.md")) if p.name == "v2.md")
    settings = Settings(command="check")
    tasks, _ = plan_tasks([note], settings)
    (task,) = tasks
    planned = document._PARSED[task.sources[0].path]
    files, error = _read(task, settings)
    assert error is None and files[0] is planned and not document._PARSED

    tasks, _ = plan_tasks([note], settings)
    planned = document._PARSED[tasks[0].sources[0].path]
    edited = planned.text + "\n"
    note.write_text(edited, encoding="utf-8", newline="")
    files, error = _read(tasks[0], settings)
    assert error is None and files[0] is not planned and files[0].text == edited
    document.forget_parsed()
