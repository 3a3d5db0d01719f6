"""Which implementation of the text model runs: the compiled copy or these ``.py`` modules.

``setup.py`` may build a Cython-compiled copy of this package's modules as
``tether.textmodel._pdfjs211_c`` (optional; see its docstring). The copy is used only when

- every module that the build compiles (:func:`compiled_module_names`) is present, and
- each one's embedded ``_SOURCE_SHA256`` equals the SHA-256 of the ``.py`` (+ ``.pxd``) it
  mirrors *now*,
- and ``TETHER_PURE_PYTHON`` is unset or ``0``.

Otherwise every module comes from the pure-Python package. It is all or nothing: the compiled
modules share classes (``Name``, ``Ref``, fonts) among themselves only, so mixing them with pure
ones would break ``isinstance`` checks. Both give the same page texts and boxes (tested in
``tests/test_textmodel_compiled.py``); the compiled one is only faster.
"""

from __future__ import annotations

import importlib
import logging
import os
from functools import cache
from types import ModuleType
from typing import NamedTuple

from tether import compiled_copy

PURE_PACKAGE = "tether.textmodel.pdfjs211"
COMPILED_PACKAGE = "tether.textmodel._pdfjs211_c"
#: Modules that stay pure (mirrors ``setup.py``'s ``NOT_COMPILED``).
NOT_COMPILED = frozenset({"__init__", "extract", "implementation"})
#: Set to ``1`` to force the pure-Python modules (debugging, comparisons).
PURE_ENV = "TETHER_PURE_PYTHON"

log = logging.getLogger(__name__)


class Engine(NamedTuple):
    """The modules the extraction driver needs, all from one implementation."""

    name: str  #: ``"cython"`` or ``"python"``
    fonts: ModuleType
    objects: ModuleType
    syntax: ModuleType
    textcontent: ModuleType


def compiled_module_names() -> list[str]:
    """The pure modules the build compiles (every ``*.py`` here but :data:`NOT_COMPILED`)."""
    return compiled_copy.module_names(PURE_PACKAGE, NOT_COMPILED)


def _source_digest(name: str) -> str:
    """What ``setup.py`` records in the compiled copy of module ``name``."""
    return compiled_copy.source_digest(PURE_PACKAGE, name)


def compiled_status() -> str | None:
    """``None`` when the compiled copy is usable, else why not (one short sentence)."""
    return compiled_copy.copy_status(COMPILED_PACKAGE, compiled_module_names(), _source_digest)


def _engine(package: str, name: str) -> Engine:
    def load(module: str) -> ModuleType:
        return importlib.import_module(f"{package}.{module}")

    return Engine(name, load("fonts"), load("objects"), load("syntax"), load("textcontent"))


@cache
def engine() -> Engine:
    """The implementation to run (decided once per process)."""
    if os.environ.get(PURE_ENV, "0") not in ("", "0"):
        log.debug("text model: pure Python (%s is set)", PURE_ENV)
        return pure_engine()
    reason = compiled_status()
    if reason is not None:
        log.debug("text model: pure Python (%s)", reason)
        return pure_engine()
    return compiled_engine()


def pure_engine() -> Engine:
    """The pure-Python modules (always available)."""
    return _engine(PURE_PACKAGE, "python")


def compiled_engine() -> Engine:
    """The compiled modules, unchecked (callers check :func:`compiled_status` first)."""
    return _engine(COMPILED_PACKAGE, "cython")


def describe() -> str:
    """One line for ``tether --version`` and bug reports: which implementation runs and why."""
    if os.environ.get(PURE_ENV, "0") not in ("", "0"):
        return f"python ({PURE_ENV} is set)"
    reason = compiled_status()
    return "cython (compiled)" if reason is None else f"python ({reason})"
