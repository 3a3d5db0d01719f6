"""Standard output of the commands, and what a reader that went away means for the exit code.

``tether text x.pdf | head`` closes the pipe early. click (on ``sys.stdout.write``) and rich
(on ``Console.print``) both react by muting the stream and exiting **1**, which for tether means
"findings". tether exits :data:`EXIT_BROKEN_PIPE` instead: 128 + SIGPIPE, what a shell reports for
``cat`` or ``grep`` cut off the same way, so a pipeline with ``pipefail`` can tell the two apart.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape


def error_console() -> Console:
    """The standard-error console of the commands (no emoji codes, as :class:`OutputConsole`)."""
    return Console(stderr=True, emoji=False)


def print_error(err: Console, message: str) -> None:
    """``error: message`` on ``err``: the message as text (file names may hold ``[brackets]``),
    one line however long (a pipe would fold it at 80 columns)."""
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)


#: 128 + SIGPIPE (13): the output was cut off because its reader closed the pipe.
EXIT_BROKEN_PIPE = 141
#: 128 + SIGINT: what a shell reports for a command stopped by Ctrl-C.
EXIT_INTERRUPTED = 130


class OutputConsole(Console):
    """A standard-output console whose broken pipe ends the command with
    :data:`EXIT_BROKEN_PIPE` (rich's own handling: stdout redirected to the null device, exit 1).

    Emoji codes are off: ids, paths, quotes and reasons come from people's files, and rich would
    turn their ``:x:`` or ``:fire:`` into pictures (the id ``urn:x:3`` printed as ``urn❌3``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("emoji", False)
        super().__init__(*args, **kwargs)

    def on_broken_pipe(self) -> None:
        try:
            super().on_broken_pipe()
        except SystemExit:
            raise SystemExit(EXIT_BROKEN_PIPE) from None


#: Where click's flush-swallowing wrapper lives: typer ≥ 0.20 runs its own copy of click.
_CLICK_UTILS = ("typer._click.utils", "click.utils")


def stdout_pipe_closed() -> bool:
    """Whether click met a broken pipe on standard output: it then swaps ``sys.stdout`` for a
    wrapper that swallows the final flush, and exits 1."""
    wrappers = []
    for name in _CLICK_UTILS:
        try:
            wrappers.append(importlib.import_module(name).PacifyFlushWrapper)
        except (ImportError, AttributeError):
            continue
    return isinstance(sys.stdout, tuple(wrappers))
