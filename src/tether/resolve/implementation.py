"""Which implementation of the resolver runs: the compiled copy or these ``.py`` modules.

``setup.py`` may build a Cython-compiled copy of the per-annotation pipeline as
``tether.resolve._resolve_c`` (optional; see its docstring). :mod:`tether.resolve` exports the
compiled ``Resolver`` and ``resolve`` only when

- every module that the build compiles (:func:`compiled_module_names`) is present, and
- each one's embedded ``_SOURCE_SHA256`` equals the SHA-256 of the ``.py`` (+ ``.pxd``) it
  mirrors *now*,
- and neither ``TETHER_PURE_PYTHON`` (every compiled part) nor ``TETHER_PURE_RESOLVER`` (the
  resolver alone) is set to anything but ``0``.

Otherwise it exports the pure ones. All or nothing: the compiled modules share their internal
classes (``Region``, ``Chain``, ``DocumentIndex``, …) among themselves only. They import the
modules of :data:`NOT_COMPILED` under their pure names: the types that cross the library API
(``Resolution``, ``Status``, ``ResolveOptions``, …) are the same classes in both, and the glue
modules where compiled code measured no faster run interpreted in both (setup.py says why). Both
give the same answers (tested in ``tests/test_resolve_compiled.py``;
``benchmarks/answer_identity.py`` with and without ``TETHER_PURE_RESOLVER=1``); the compiled one
is only faster.

Importing ``tether.resolve.cascade`` (or any module here) directly always gives the pure module.
"""

from __future__ import annotations

import importlib
import logging
import os
from functools import cache
from types import ModuleType

from tether import compiled_copy

PURE_PACKAGE = "tether.resolve"
COMPILED_PACKAGE = "tether.resolve._resolve_c"
#: Modules that stay pure (mirrors ``setup.py``'s resolver target).
NOT_COMPILED = frozenset({"__init__", "implementation", "options", "result", "landmarks",
                          "bracket", "copies", "normalize", "position", "describe", "evidence",
                          "decide", "quote", "second_look", "pagebreak",
                          "nearer", "filler", "contradicted", "whole_note",
                          "verbatim_side"})
#: Set either to ``1`` to force the pure-Python resolver (debugging, comparisons); the first
#: also forces the pure text model.
PURE_ENVS = ("TETHER_PURE_PYTHON", "TETHER_PURE_RESOLVER")

log = logging.getLogger(__name__)


def compiled_module_names() -> list[str]:
    """The pure modules the build compiles (every ``*.py`` here but :data:`NOT_COMPILED`)."""
    return compiled_copy.module_names(PURE_PACKAGE, NOT_COMPILED)


def _source_digest(name: str) -> str:
    """What ``setup.py`` records in the compiled copy of module ``name``."""
    return compiled_copy.source_digest(PURE_PACKAGE, name)


def forced_pure() -> str | None:
    """The environment variable that forces the pure resolver, if one is set."""
    return next((env for env in PURE_ENVS if os.environ.get(env, "0") not in ("", "0")), None)


def compiled_status() -> str | None:
    """``None`` when the compiled copy is usable, else why not (one short sentence)."""
    return compiled_copy.copy_status(COMPILED_PACKAGE, compiled_module_names(), _source_digest)


def pure_module(name: str) -> ModuleType:
    """The pure-Python module ``tether.resolve.<name>`` (always available)."""
    return importlib.import_module(f"{PURE_PACKAGE}.{name}")


def compiled_module(name: str) -> ModuleType:
    """The compiled copy of ``tether.resolve.<name>``, unchecked (callers check
    :func:`compiled_status` first)."""
    return importlib.import_module(f"{COMPILED_PACKAGE}.{name}")


@cache
def name() -> str:
    """``"cython"`` or ``"python"``: the implementation :mod:`tether.resolve` exports (decided
    once per process)."""
    env = forced_pure()
    if env is not None:
        log.debug("resolver: pure Python (%s is set)", env)
        return "python"
    reason = compiled_status()
    if reason is not None:
        log.debug("resolver: pure Python (%s)", reason)
        return "python"
    return "cython"


def module(name_: str) -> ModuleType:
    """``tether.resolve.<name_>`` from the implementation that runs (:func:`name`); a module
    of :data:`NOT_COMPILED` is always the pure one."""
    if name_ in NOT_COMPILED or name() != "cython":
        return pure_module(name_)
    return compiled_module(name_)


def describe() -> str:
    """One line for ``tether --version`` and bug reports: which implementation runs and why."""
    env = forced_pure()
    if env is not None:
        return f"python ({env} is set)"
    reason = compiled_status()
    return "cython (compiled)" if reason is None else f"python ({reason})"
