"""Every command's ``--help`` reads as help, not as Python: typer ≥ 0.2x prints each parameter's
Python type (``--json <bool>``, ``paths... <list[Path]>``, ``--model <str>``) unless told
otherwise (:mod:`tether.cli_help`, explicit metavars in :mod:`tether.cli_options`)."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from tether.cli import app

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
#: A type in angle brackets, as typer prints them: <bool>, <str>, <int range>, <list[Path]>...
PYTHON_TYPE = re.compile(r"<[A-Za-z_][\w\[\], |-]*>")


def _help(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    return result.output


def test_every_command_is_covered() -> None:
    assert set(COMMANDS) >= {"text", "check", "repair", "migrate", "report", "export-pdf"}


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_shows_no_python_types(command: str) -> None:
    text = _help(*([command] if command else []))
    assert PYTHON_TYPE.findall(text) == [], text
    assert "{paths}" not in text and "paths..." not in text
    for line in text.splitlines():
        if re.search(r"│\s+--(help|json|dry-run|no-cache|no-backup|write|version)\b", line):
            # a flag: its name, then its help (no type between them)
            assert re.search(r"--[\w-]+\s{2,}[A-Z]", line), line
    if command in ("check", "repair", "report"):
        assert "--jobs" not in text or re.search(r"--jobs\s+-j\s+N\b", text), text
        assert "NOTE|FOLDER|JSON" in text


@pytest.mark.parametrize("command", ["check", "repair", "migrate", "report", "export-pdf"])
def test_help_gives_the_exit_codes(command: str) -> None:
    """A script tests the exit code: 1 (findings) is not a failure to run. Its meaning was in
    the README only."""
    text = " ".join(_help(command).replace("│", " ").split())
    assert "Exit code:" in text
    if command == "migrate":
        assert "writes nothing unless --write" in text
    elif command == "report":
        assert "as check's, once the file is written" in text
    else:
        assert "2 a usage or input error" in text and "3 a bug" in text


def test_text_help_says_what_its_json_holds() -> None:
    text = " ".join(_help("text").replace("│", " ").split())
    assert "each page's index (0-based), offset (UTF-16) and text" in text  # was: "Print JSON."
