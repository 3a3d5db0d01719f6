"""Carry out a repair plan: a unified diff (dry run) or atomic writes with backups."""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from typing import Any

from tether.formats import FormatError, save_annotations
from tether.repair.atomic import AtomicWriteError
from tether.repair.plan import FilePlan


@dataclass
class FileOutcome:
    """What happened to one file."""

    path: str
    changed: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    left: dict[str, str] = field(default_factory=dict)
    diff: str = ""
    error: str | None = None
    written: bool = False
    #: A remark on the whole file, e.g. :data:`LINKS_KEPT` (None: nothing to say).
    remark: str | None = None
    #: Where the file's old bytes were kept (``NAME.bak``, ``NAME.bak.1`` …; None: not written,
    #: or ``--no-backup``).
    backup: str | None = None


#: Said of a rewritten Hypothesis / W3C file: only the selectors changed, not which document the
#: annotations belong to (an Obsidian note's ``documentFingerprint`` does change: the plugin
#: finds annotations by their ``vault:`` uri, not by it).
LINKS_KEPT = ("the uri, urn:x-pdf: links and target sources still name the PDF the annotations "
              "were made on: a repair leaves them, as they decide which document a Hypothesis "
              "server shows the annotations on")


def outcome_dict(outcome: FileOutcome) -> dict[str, Any]:
    """``outcome`` as plain data (the ``tether.repair/1`` file entry, with its diff);
    ``FileOutcome(**outcome_dict(o)) == o``."""
    return dataclasses.asdict(outcome)


def unified_diff(before: str, after: str, path: str) -> str:
    return "".join(difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True),
        fromfile=f"a/{path}", tofile=f"b/{path}"))


def execute(plans: list[FilePlan], *, dry_run: bool = False, backup: bool = True
            ) -> list[FileOutcome]:
    """Apply each plan. A failure for one file (changed on disk, permission, disk full) is
    recorded for that file; the file stays as it was and the others go on."""
    outcomes = []
    for plan in plans:
        f = plan.file
        out = FileOutcome(path=str(f.path), left=dict(plan.left))
        outcomes.append(out)
        if not plan.updates:
            continue
        try:
            if dry_run:
                result = f.apply_updates(plan.updates)
                out.diff = unified_diff(f.text, result.text, str(f.path))
            else:
                result = save_annotations(f, plan.updates, backup=backup)
                out.written = result.text != f.text
                out.backup = result.backup
            out.changed = list(result.applied)
            out.refused = dict(result.skipped)
            if out.changed and f.format in ("hypothesis", "w3c"):
                out.remark = LINKS_KEPT
        except (AtomicWriteError, FormatError, OSError) as exc:
            out.error = str(exc)
    return outcomes
