"""Atomic write: old or new content only, mode kept, backups, stale-read refusal, clean errors."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tether.repair import atomic
from tether.repair.atomic import (
    TEMP_SUFFIX,
    AtomicWriteError,
    FileChangedError,
    atomic_write,
    backup_path_for,
    read_stamped,
)

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(TEMP_SUFFIX))


def test_replaces_content_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_bytes(b"old")
    path.chmod(0o640)
    out = atomic_write(path, b"new content")
    assert out.path == path.resolve() and out.backup is None
    assert path.read_bytes() == b"new content"
    assert path.stat().st_mode & 0o7777 == 0o640
    assert _leftovers(tmp_path) == []


def test_creates_a_missing_file_with_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "fresh.md", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "fresh.md").stat().st_mode & 0o777 == 0o640


def test_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_bytes(b"old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    atomic_write(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_backups_never_overwrite_older_backups(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_bytes(b"v1")
    first = atomic_write(path, b"v2", backup=True).backup
    second = atomic_write(path, b"v3", backup=True).backup
    assert first == tmp_path / "n.md.bak" and first.read_bytes() == b"v1"
    assert second == tmp_path / "n.md.bak.1" and second.read_bytes() == b"v2"
    assert backup_path_for(path) == tmp_path / "n.md.bak.2"
    chosen = tmp_path / "elsewhere.orig"
    assert atomic_write(path, b"v4", backup=chosen).backup == chosen
    assert chosen.read_bytes() == b"v3" and path.read_bytes() == b"v4"
    assert _leftovers(tmp_path) == []


def test_refuses_when_the_file_changed_since_read(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_bytes(b"as read")
    _, stamp = read_stamped(path)
    path.write_bytes(b"edited by someone else")
    with pytest.raises(FileChangedError, match="changed since it was read"):
        atomic_write(path, b"ours", expect=stamp, backup=True)
    assert path.read_bytes() == b"edited by someone else"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.md"]  # no temp, no backup

    same_size = b"as reaD"
    path.write_bytes(same_size)  # same size, different bytes: the hash decides
    with pytest.raises(FileChangedError):
        atomic_write(path, b"ours", expect=stamp)

    path.unlink()
    with pytest.raises(FileChangedError, match="deleted or moved"):
        atomic_write(path, b"ours", expect=stamp)
    assert not path.exists() and _leftovers(tmp_path) == []


def test_touch_without_content_change_is_not_a_change(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_bytes(b"same")
    _, stamp = read_stamped(path)
    later = time.time() + 100
    os.utime(path, (later, later))
    atomic_write(path, b"ours", expect=stamp)
    assert path.read_bytes() == b"ours"


def test_failures_leave_target_and_no_temp_file(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "n.md"
    path.write_bytes(b"old")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(atomic.os, "fsync", disk_full)
        with pytest.raises(AtomicWriteError, match="No space left on device"):
            atomic_write(path, b"new")
    assert path.read_bytes() == b"old" and _leftovers(tmp_path) == []

    def no_rename(src: str, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    with monkeypatch.context() as m:
        m.setattr(atomic.os, "replace", no_rename)
        with pytest.raises(AtomicWriteError, match="replacing the file failed"):
            atomic_write(path, b"new")
    assert path.read_bytes() == b"old" and _leftovers(tmp_path) == []

    with pytest.raises(AtomicWriteError, match="not a regular file"):
        atomic_write(tmp_path, b"x")


def test_permission_error_is_clean_when_simulated(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "n.md"
    path.write_bytes(b"old")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", denied)
    with pytest.raises(AtomicWriteError, match="permission denied while creating a temporary"):
        atomic_write(path, b"new")
    assert path.read_bytes() == b"old"


_PERMISSION_CHILD = textwrap.dedent("""
    import sys
    from tether.repair.atomic import AtomicWriteError, atomic_write
    try:
        atomic_write(sys.argv[1], b"new")
    except AtomicWriteError as exc:
        print("ERROR:", exc)
    else:
        print("WROTE")
""")


def _run_unprivileged(path: Path) -> str:
    """Run the write in a process bound by file permissions (drops root's DAC override)."""
    cmd = [sys.executable, "-c", _PERMISSION_CHILD, str(path)]
    if IS_ROOT:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root and setpriv is missing: cannot drop DAC override")
        cmd = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", *cmd]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if IS_ROOT and proc.returncode != 0 and "setpriv" in proc.stderr:
        pytest.skip(f"setpriv cannot drop capabilities here: {proc.stderr.strip()}")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_real_permission_denied_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "ro.md"
    path.write_bytes(b"old")
    path.chmod(0o444)
    out = _run_unprivileged(path)
    assert out.startswith("ERROR:") and "permission denied" in out, out
    assert "Traceback" not in out and path.read_bytes() == b"old"


def test_real_permission_denied_read_only_directory(tmp_path: Path) -> None:
    directory = tmp_path / "ro"
    directory.mkdir()
    path = directory / "n.md"
    path.write_bytes(b"old")
    directory.chmod(0o555)
    try:
        out = _run_unprivileged(path)
    finally:
        directory.chmod(0o755)
    assert out.startswith("ERROR:") and "permission denied" in out, out
    assert path.read_bytes() == b"old" and _leftovers(directory) == []


_KILL_CHILD = textwrap.dedent("""
    import sys
    from tether.repair.atomic import atomic_write
    a, b = b"A" * 3_000_000 + b"\\n", b"B" * 5_000_000 + b"\\n"
    print("ready", flush=True)
    i = 0
    while True:
        atomic_write(sys.argv[1], a if i % 2 else b)
        i += 1
""")


def test_sigkill_mid_write_leaves_old_or_new(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    original = b"original\n"
    path.write_bytes(original)
    valid = {original, b"A" * 3_000_000 + b"\n", b"B" * 5_000_000 + b"\n"}
    for delay in (0.0, 0.003, 0.01, 0.02, 0.05, 0.1, 0.17):
        proc = subprocess.Popen([sys.executable, "-c", _KILL_CHILD, str(path)],
                                stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
            if proc.stdout is not None:
                proc.stdout.close()
        assert path.read_bytes() in valid, f"partial file after SIGKILL at {delay}s"
    # a killed writer may leave its temp file (nothing can clean up after SIGKILL); it is
    # never the target and carries the recognisable suffix
    for name in _leftovers(tmp_path):
        assert name.startswith(".n.md.") and name.endswith(TEMP_SUFFIX)
    assert {p.name for p in tmp_path.iterdir()} - set(_leftovers(tmp_path)) == {"n.md"}
