"""``--help`` that reads normally under typer ≥ 0.2x, whose help shows each parameter's Python
type: ``--json <bool>``, ``--help <bool>``, ``paths... <list[Path]>``, ``--model <str>``.

The value options say what they take with an explicit ``metavar`` (``--jobs N``, ``--pdf PDF``;
:mod:`tether.cli_options`). Two things a metavar cannot reach are changed here, once, when the
CLI is imported: a flag (``--json``, ``--dry-run``, ``--version``, typer's own ``--help``) shows
no type at all, as flags always did; an argument given a metavar shows that metavar alone, not
its Python type beside it. Older typer versions (no such methods) are left as they are.
``tests/test_cli_help.py`` reads every command's help for leftovers.
"""

from __future__ import annotations

from typing import Any

_PATCHED = "_tether_readable_help"


def readable_help() -> None:
    """Patch typer's option / argument classes as the module docstring says (idempotent)."""
    try:
        from typer.core import TyperArgument, TyperOption
    except ImportError:  # another typer layout: its help is its own
        return
    option_type = getattr(TyperOption, "display_type_rich", None)
    argument_type = getattr(TyperArgument, "display_type_rich", None)
    if option_type is None or argument_type is None or getattr(option_type, _PATCHED, False):
        return

    def flag_shows_no_type(self: Any, ctx: Any) -> str | None:
        if getattr(self, "is_flag", False) or getattr(self, "count", False):
            return None
        return option_type(self, ctx)

    def metavar_alone(self: Any, ctx: Any) -> str | None:
        if getattr(self, "metavar", None) is not None:
            return None  # the name column already shows the metavar
        return argument_type(self, ctx)

    setattr(flag_shows_no_type, _PATCHED, True)
    TyperOption.display_type_rich = flag_shows_no_type  # type: ignore[method-assign]
    TyperArgument.display_type_rich = metavar_alone  # type: ignore[method-assign]
