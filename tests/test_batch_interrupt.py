"""Ctrl-C during a parallel run (``--jobs 2``), for real: SIGINT sent to a running CLI on
copies of the shared corpus's vaults, while its workers start up and while they work.

What a person pressing Ctrl-C must get: one short line (no traceback from the parent or any
worker), exit 130, the ``--jsonl`` lines of the documents already finished intact (each a
whole JSON line), no process of the run left behind, and no wait for the documents in progress
(the workers are terminated, not joined after their current document).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import require_shared, run_tether

#: The vaults copied: one PDF and one note each, 1-4 s of extraction each without the cache.
VAULTS = ("phd-datavoids", "phd-fandom", "phd-groupthink", "phd-llm-mediator", "phd-luxton")


def _vaults(root: Path) -> Path:
    shared = require_shared() / "corpus" / "vaults"
    for name in VAULTS:
        shutil.copytree(shared / name, root / name)
    return root


def _group_members(pgid: int) -> list[str]:
    """The live (not zombie) processes of process group ``pgid``: 'pid state cmdline'."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmd = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue  # gone meanwhile
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            out.append(f"{stat.parent.name} {state} {cmd}")
    return out


def _wait_for(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("the run never reached the moment to interrupt it")
        time.sleep(0.05)


def _complete_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("moment,to", [("start-up", "group"), ("mid-run", "group"),
                                       ("mid-run", "parent")])
def test_ctrl_c_stops_a_parallel_run_cleanly(tmp_path: Path, moment: str, to: str) -> None:
    folder = _vaults(tmp_path / "vaults")
    out = tmp_path / "run.jsonl"
    env = {**os.environ, "COLUMNS": "300"}
    env.pop("TETHER_DEBUG", None)
    # A session of its own: the run's process group, as a terminal's foreground job has.
    proc = subprocess.Popen(
        [sys.executable, "-m", "tether.cli", "check", str(folder), "--jobs", "2",
         "--no-cache", "--jsonl", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True)
    try:
        if moment == "start-up":  # both workers exist and are still importing
            _wait_for(lambda: sum("spawn_main" in m for m in _group_members(proc.pid)) >= 2)
        else:
            _wait_for(lambda: _complete_lines(out) >= 1)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        if to == "group":  # what Ctrl-C in a terminal does
            os.killpg(proc.pid, signal.SIGINT)
        else:  # kill -INT PID: the parent alone must stop its workers
            os.kill(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    assert stderr.startswith("interrupted: ") and len(stderr.splitlines()) == 1, stderr
    # No process of the run is left (the pool's resource tracker exits a moment after the
    # parent: give it that moment).
    deadline = time.monotonic() + 10
    while _group_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _group_members(proc.pid) == []
    # The finished documents' lines are whole; the documents in progress were not waited for.
    data = out.read_bytes()
    lines = [json.loads(raw) for raw in data.splitlines()]
    assert data == b"" or data.endswith(b"\n")
    assert all(line["type"] == "document" and "summary" in line["document"] for line in lines)
    assert len(lines) < len(VAULTS)
    if moment == "mid-run":
        assert lines and f"--resume {out}" in " ".join(stderr.split())
    if moment == "mid-run" and to == "group":
        # ... and they are what a resumed run takes instead of checking them again.
        resumed = run_tether("check", folder, "--resume", out, "--jobs", "2", timeout=300)
        assert resumed.returncode in (0, 1), resumed.stderr
        assert f"resumed: {len(lines)} document(s) taken from" in " ".join(
            resumed.stderr.split())
        assert _complete_lines(out) == len(VAULTS)


#: Run in a child process (a hang must not hang the tests, and SIGINT must not reach pytest).
_HALF_RESULT_SCRIPT = r"""
import os, signal, struct, sys, threading, time
from concurrent.futures import ProcessPoolExecutor

import tether.batch.executors as executors

pools = []


class Recording(ProcessPoolExecutor):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pools.append(self)


def interrupt():
    while not (pools and len(pools[0]._processes or {}) == 2):
        time.sleep(0.05)
    time.sleep(2)  # both workers asleep in their task
    # Half a result in the pipe, as a worker terminated while sending one leaves it: the
    # header announces 10 MB, 100 bytes follow. The pool's reader thread waits for the rest.
    writer = pools[0]._result_queue._writer
    os.write(writer.fileno(), struct.pack("!i", 10_000_000) + b"x" * 100)
    time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGINT)


# The pool's workers are spawned: each imports this script as its __main__, and must not run
# it again (multiprocessing would refuse with its 'bootstrapping phase' RuntimeError).
if __name__ == "__main__":
    executors.ProcessPoolExecutor = Recording
    results = executors.PoolExecutor(2).map_unordered(time.sleep, [60, 60])
    threading.Thread(target=interrupt, daemon=True).start()
    started = time.monotonic()
    try:
        next(results)
    except KeyboardInterrupt:
        pass
    print(f"stopped after {time.monotonic() - started:.1f} s", flush=True)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals and pipes")
def test_stopping_does_not_hang_on_a_result_cut_in_half(tmp_path: Path) -> None:
    """Found by interrupting real ``repair --jobs 2`` runs: a worker terminated while it sent
    its (large) result left half a message in the result pipe, and the pool's reader thread
    — joined by the shutdown and by the interpreter's exit — waited for the rest forever."""
    script = tmp_path / "half_result.py"
    script.write_text(_HALF_RESULT_SCRIPT, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the interrupted pool hung (the tasks would have run 60 s)")
    assert proc.returncode == 0, stderr
    assert stdout.startswith("stopped after ") and "Traceback" not in stderr, stderr
    deadline = time.monotonic() + 10
    while _group_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _group_members(proc.pid) == []
