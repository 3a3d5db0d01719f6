"""Atomic file replacement: the file on disk is always the whole old or the whole new content.

:func:`atomic_write` writes a temporary file in the target's own directory (same file system,
so the final ``rename`` is atomic), fsyncs it, gives it the target's mode (and owner, when
allowed), optionally keeps a backup of the old bytes, checks that the target still holds what
was read (:class:`FileStamp`), renames over the target and fsyncs the directory. On any error
the temporary file is removed and the target is untouched.

What is "changed since read": the *content* (size + SHA-256). A different mtime with identical
bytes (``touch``, a sync tool rewriting the same bytes) is not a change. The check runs right
before the rename; a writer that ignores tether could still slip into that last window (there
is no portable file lock that editors honour).

Symbolic links are followed: the link's target file is replaced, the link stays.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "AtomicWriteError",
    "FileChangedError",
    "FileStamp",
    "WriteOutcome",
    "atomic_write",
    "backup_path_for",
    "read_stamped",
    "stamp_of",
]

TEMP_SUFFIX = ".tether-tmp"


class AtomicWriteError(Exception):
    """The file could not be replaced; it is unchanged. The message names file and cause."""


class FileChangedError(AtomicWriteError):
    """The file changed (or vanished) since it was read; not overwriting someone's edit."""


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What a file held when it was read: size in bytes, mtime (ns) and SHA-256 of the bytes."""

    size: int
    mtime_ns: int
    sha256: str

    def matches(self, data: bytes) -> bool:
        """True when ``data`` is the content this stamp was taken from."""
        return len(data) == self.size and hashlib.sha256(data).hexdigest() == self.sha256


def stamp_of(data: bytes, mtime_ns: int) -> FileStamp:
    return FileStamp(len(data), mtime_ns, hashlib.sha256(data).hexdigest())


def read_stamped(path: Path | str) -> tuple[bytes, FileStamp]:
    """Read a file's bytes and the stamp to hand back to :func:`atomic_write` later."""
    with open(path, "rb") as f:
        data = f.read()
        st = os.fstat(f.fileno())
    return data, stamp_of(data, st.st_mtime_ns)


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    path: Path  # the file written (symlinks resolved)
    backup: Path | None  # where the old bytes were kept, if a backup was asked for


def backup_path_for(target: Path) -> Path:
    """``note.md.bak``, or ``note.md.bak.1``, ``.2`` … — an existing backup is never replaced."""
    candidate = target.with_name(target.name + ".bak")
    n = 0
    while candidate.exists():
        n += 1
        candidate = target.with_name(f"{target.name}.bak.{n}")
    return candidate


def _default_mode() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o644


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows: directories cannot be opened; rename is still atomic there
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_temp(directory: Path, name: str, data: bytes, mode: int,
                owner: tuple[int, int] | None) -> str:
    """Write ``data`` to a fresh fsynced temporary file in ``directory``; return its path."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=TEMP_SUFFIX, dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), mode)
            if owner is not None and hasattr(os, "fchown"):
                with contextlib.suppress(OSError):  # only root may give files away
                    os.fchown(f.fileno(), *owner)
            os.fsync(f.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _explain(path: Path | str, exc: OSError, doing: str) -> AtomicWriteError:
    if isinstance(exc, PermissionError):
        return AtomicWriteError(f"{path}: permission denied while {doing}")
    return AtomicWriteError(f"{path}: {doing} failed: {exc.strerror or exc}")


def atomic_write(path: Path | str, data: bytes, *, expect: FileStamp | None = None,
                 backup: bool | Path | str = False) -> WriteOutcome:
    """Replace ``path`` with ``data`` atomically (see the module docstring).

    ``expect``: the stamp from :func:`read_stamped`; when the file's content differs now (or it
    was deleted), raises :class:`FileChangedError` and writes nothing. ``backup``: True keeps
    the old bytes in :func:`backup_path_for`'s name, a path keeps them there (replacing that
    file). Keeps the file's permission bits. Raises :class:`AtomicWriteError` (permission
    denied, disk full, not a regular file...) with the target untouched and no temp file left.
    """
    target = Path(os.path.realpath(path))
    directory = target.parent
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _explain(path, exc, "checking the file") from None
    if st is None and expect is not None:
        raise FileChangedError(f"{path}: the file was deleted or moved since it was read; "
                               "not writing")
    if st is not None:
        if not stat.S_ISREG(st.st_mode):
            raise AtomicWriteError(f"{path}: not a regular file")
        if not os.access(target, os.W_OK):
            raise AtomicWriteError(f"{path}: permission denied (the file is read-only)")
    mode = stat.S_IMODE(st.st_mode) if st is not None else _default_mode()
    owner = (st.st_uid, st.st_gid) if st is not None else None

    try:
        tmp: str | None = _write_temp(directory, target.name, data, mode, owner)
    except OSError as exc:
        raise _explain(path, exc, f"creating a temporary file in {directory}") from None
    saved: Path | None = None
    try:
        if st is not None and (expect is not None or backup):
            try:
                with open(target, "rb") as f:
                    current = f.read()
            except FileNotFoundError:
                raise FileChangedError(f"{path}: the file was deleted or moved since it was "
                                       "read; not writing") from None
            if expect is not None and not expect.matches(current):
                raise FileChangedError(
                    f"{path}: the file changed since it was read (now {len(current)} bytes, "
                    f"was {expect.size}); not overwriting — read it again and retry")
            if backup:
                saved = (backup_path_for(target) if backup is True
                         else Path(backup))  # type: ignore[arg-type]
                _write_backup(saved, current, mode, st)
        os.replace(tmp, target)
        tmp = None
        _fsync_dir(directory)
    except OSError as exc:
        raise _explain(path, exc, "replacing the file") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return WriteOutcome(target, saved)


def _write_backup(dest: Path, data: bytes, mode: int, st: os.stat_result) -> None:
    """Write the old bytes to ``dest`` atomically, with the original's mode and times."""
    try:
        tmp = _write_temp(dest.parent, dest.name, data, mode, None)
    except OSError as exc:
        raise _explain(dest, exc, "writing the backup") from None
    try:
        os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
        os.replace(tmp, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _explain(dest, exc, "writing the backup") from None
