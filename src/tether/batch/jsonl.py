"""``--jsonl``: one JSON line per document, written as each document finishes; ``--resume``.

A line is self-contained (schema ``tether.batch/1``)::

    {"schema": "tether.batch/1", "type": "document", "command": "check", "id": key,
     "pdf": path|null, "fingerprint": hex|null, "sources": [paths],
     "document": {the tether.report/1 document},
     "files": [tether.repair/1 file entries] (repair, migrate --write / --dry-run),
     "keys_after": [key after the files were rewritten], "internal_error": str|null,
     "seconds": worker wall time}

plus one ``{"schema", "type": "input-error", "path", "message"}`` line per item that could
not be read at all (before any document ran). Lines are in completion order; each is flushed
as it is written, so a killed run leaves every finished document on disk and at most one
truncated last line, which :func:`read_done` ignores (and :class:`JsonlWriter` cuts off before
appending to the same file).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tether.batch.document import SCHEMA, DocumentOutcome
from tether.report.json_report import wrong_pdf_hint

STDOUT = "-"


class JsonlError(Exception):
    """The JSONL file cannot be read or written (a user error)."""


#: How every line tether writes begins (``schema`` is each line's first key).
_MARK = b'{"schema": "' + SCHEMA.encode() + b'"'


def refuse_other_files(path: str, option: str) -> None:
    """Raise :class:`JsonlError` when ``path`` holds something other than tether's JSONL.

    ``--jsonl notes.md`` (or a PDF, or any file of the user's) would otherwise be truncated
    before the run even reads it, and ``--resume notes.md`` would have JSON lines appended to
    it. A file tether wrote starts with :data:`_MARK`; an empty file, or a first line cut
    short inside the mark by a killed run, is also taken for one."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(_MARK))
    except OSError:
        return  # a new file; a folder or an unreadable file fails where the caller opens it
    _refuse_unless_ours(path, head, option)


def _refuse_unless_ours(path: str, head: bytes, option: str) -> None:
    """:func:`refuse_other_files` given the file's first bytes (at least ``len(_MARK)``)."""
    if not _MARK.startswith(head[:len(_MARK)]):
        advice = ("--resume takes the --jsonl file of an earlier run (and appends to it)"
                  if option == "--resume" else "give --jsonl another path")
        raise JsonlError(f"{path}: not a --jsonl file of tether (it does not start with a "
                         f"{SCHEMA} line); not touching it — {advice}")


def outcome_line(command: str, outcome: DocumentOutcome) -> dict[str, Any]:
    doc = outcome.document
    line: dict[str, Any] = {
        "schema": SCHEMA, "type": "document", "command": command, "id": outcome.key,
        "pdf": doc.get("pdf"), "fingerprint": doc.get("fingerprint"),
        "sources": doc.get("sources", []), "document": doc,
    }
    if outcome.files:
        line["files"] = outcome.files
    line["keys_after"] = outcome.keys_after
    line["internal_error"] = outcome.internal_error
    line["seconds"] = round(outcome.seconds, 4)
    return line


def outcome_from_line(line: dict[str, Any], index: int) -> DocumentOutcome:
    """The outcome a line recorded, placed at ``index`` of the current run (a line written
    before ``wrong_pdf_hint`` existed gets it here, once)."""
    document = line["document"]
    if "wrong_pdf_hint" not in document:
        document["wrong_pdf_hint"] = wrong_pdf_hint(document)
    return DocumentOutcome(index=index, key=line["id"], document=document,
                           files=line.get("files", []),
                           internal_error=line.get("internal_error"),
                           keys_after=line.get("keys_after", []),
                           seconds=line.get("seconds", 0.0), reused=True)


@dataclass
class Done:
    """What a previous JSONL holds: document lines by every key they are known under,
    how many lines were unusable, the byte length of its complete lines, and how many
    document lines another command wrote."""

    lines: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: int = 0
    complete_bytes: int = 0
    #: Document lines of other commands (``check`` lines read by a ``repair``), by command.
    other_commands: dict[str, int] = field(default_factory=dict)
    #: The file did not exist (a first run, or a typo'd name: the run says which it took).
    missing: bool = False


def read_done(path: Path, command: str) -> Done:
    """The documents a previous run reported. A truncated or damaged line (a killed run) is
    skipped and counted; another command's lines are ignored; a missing file is an empty run."""
    done = Done()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        done.missing = True
        return done
    except OSError as exc:
        raise JsonlError(f"{path}: cannot read the --resume file: {exc.strerror or exc}"
                         ) from None
    _refuse_unless_ours(str(path), data, "--resume")
    done.complete_bytes = data.rfind(b"\n") + 1
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except ValueError:
            done.skipped += 1
            continue
        if not (isinstance(line, dict) and line.get("schema") == SCHEMA):
            done.skipped += 1
            continue
        if line.get("type") != "document":
            continue  # an input error: nothing to reuse
        if line.get("command") != command:  # another command's result: nothing to reuse
            other = str(line.get("command"))
            done.other_commands[other] = done.other_commands.get(other, 0) + 1
            continue
        if not (isinstance(line.get("id"), str) and isinstance(line.get("document"), dict)):
            done.skipped += 1
            continue
        if line.get("internal_error"):
            continue  # a bug hit it last time: do it again
        for key in [line["id"], *line.get("keys_after", [])]:
            done.lines[key] = line
    return done


class JsonlWriter:
    """Writes lines to ``path`` (``-``: standard output), flushing after each line.

    ``append``: keep what the file holds (a resumed run writing to its own ``--resume`` file),
    after cutting a truncated last line off at ``complete_bytes``."""

    def __init__(self, path: str, *, append: bool = False, complete_bytes: int = 0) -> None:
        self.path = path
        self._own = path != STDOUT
        #: True when lines go after those of an earlier run (the file is the --resume file).
        self.appending = False
        self._stream: IO[str]
        if not self._own:
            self._stream = sys.stdout
            return
        if not append:  # an appended file is the --resume file, checked when it was read
            refuse_other_files(path, "--jsonl")
        try:
            if append and os.path.exists(path):
                with open(path, "r+b") as f:
                    f.truncate(complete_bytes)
            else:
                append = False
            self.appending = append
            mode = "a" if append else "w"
            # kept open for the whole run (closed by close()), hence no context manager
            self._stream = open(path, mode, encoding="utf-8",  # noqa: SIM115
                                errors="backslashreplace")
        except OSError as exc:
            raise JsonlError(f"{path}: cannot write the --jsonl file: {exc.strerror or exc}"
                             ) from None

    # errors="backslashreplace": a lone surrogate from someone's file is written as the JSON
    # escape \udc65 instead of failing (as the CLI does for standard output).
    def write(self, line: dict[str, Any]) -> None:
        self._stream.write(json.dumps(line, ensure_ascii=False) + "\n")
        self._stream.flush()

    def close(self) -> None:
        if self._own:
            self._stream.close()

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
