"""Finding the PDF an annotation file is about, the way Obsidian resolves links.

An Obsidian Annotator note names its PDF in the front matter's ``annotation-target``: a path
relative to the note, a vault path (relative to the vault root: the nearest ancestor folder that
holds ``.obsidian/``), a bare file name (Obsidian resolves links by unique name), or a URL.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

#: Folders never searched for notes or PDFs (Obsidian's own config, VCS, trash).
SKIP_DIRS = frozenset({".obsidian", ".git", ".trash", "node_modules", "__pycache__"})
#: Do not walk unbounded trees looking for a file name.
MAX_WALK_FILES = 200_000


class TargetError(ValueError):
    """The annotation target cannot be turned into a local PDF; the message says why."""


def vault_root(path: Path) -> Path | None:
    """The nearest ancestor of ``path`` (itself included if a folder) holding ``.obsidian/``."""
    p = path.resolve()
    for folder in [p, *p.parents] if p.is_dir() else p.parents:
        if (folder / ".obsidian").is_dir():
            return folder
    return None


def walk_files(root: Path, suffix: str, *,
               on_error: Callable[[OSError], None] | None = None) -> Iterator[Path]:
    """Files under ``root`` ending in ``suffix`` (case-insensitive), in a stable order.

    Symbolic links to folders are not followed, so link loops cannot trap the walk. A folder
    that cannot be listed is skipped; ``on_error`` (when given) is told about it.
    """
    seen = 0
    for folder, dirs, files in os.walk(root, followlinks=False, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            seen += 1
            if seen > MAX_WALK_FILES:
                return
            if name.lower().endswith(suffix):
                yield Path(folder) / name


def resolve_target(note_path: Path, target: str | None, target_type: str | None = None) -> Path:
    """The local PDF an ``annotation-target`` names; raises :class:`TargetError` otherwise."""
    if not target or not target.strip():
        raise TargetError("the note has no annotation-target in its front matter")
    target = target.strip().strip('"').strip("'")
    if target.startswith("[[") and target.endswith("]]"):
        target = target[2:-2].split("|", 1)[0]
    lowered = target.lower()
    if "://" in target and not lowered.startswith("file://"):
        raise TargetError(f"annotation-target is a URL ({target}); download the PDF and pass "
                          "--pdf FILE")
    if lowered.startswith("file://"):
        target = unquote(target[7:])
    kind = (target_type or "").strip().lower()
    if kind and kind != "pdf":
        raise TargetError(f"annotation-target-type is {kind!r}; tether checks PDF targets only")
    if lowered.endswith((".epub", ".html", ".htm", ".mp4", ".webm")):
        raise TargetError(f"annotation-target {target!r} is not a PDF; tether checks PDF "
                          "targets only")
    note_dir = note_path.resolve().parent
    candidates = [note_dir / target]
    root = vault_root(note_path)
    if root is not None:
        candidates.append(root / target.lstrip("/"))
    for c in candidates:
        if c.is_file():
            return c
    if root is not None:
        name = Path(target).name.lower()
        found = [p for p in walk_files(root, ".pdf") if p.name.lower() == name]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = ", ".join(str(p.relative_to(root)) for p in found[:5])
            raise TargetError(f"annotation-target {target!r} matches {len(found)} PDFs in the "
                              f"vault ({listed}); pass --pdf FILE")
    where = f" (looked beside the note{' and in the vault ' + str(root) if root else ''})"
    raise TargetError(f"PDF not found: annotation-target {target!r}{where}")
