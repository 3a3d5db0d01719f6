"""The stale-binary guard shared by tether's optional compiled copies (the text model's
``tether.textmodel._pdfjs211_c``, the resolver's ``tether.resolve._resolve_c``).

``setup.py`` compiles a renamed copy of each module of a pure package except those it keeps
pure, and embeds in each copy ``_SOURCE_SHA256``: the SHA-256 of the ``.py`` followed by its
``.pxd`` (C types), if any. A copy may run only when every module is built and each digest equals
that of the files *now*: an edited module never runs as an old binary. Each package's
``implementation`` module names its packages and what stays pure, and decides with these.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Collection
from importlib import resources


def module_names(pure_package: str, not_compiled: Collection[str]) -> list[str]:
    """The modules of ``pure_package`` the build compiles: every ``*.py`` but ``not_compiled``."""
    return sorted(entry.name[:-3] for entry in resources.files(pure_package).iterdir()
                  if entry.name.endswith(".py") and entry.name[:-3] not in not_compiled)


def source_digest(pure_package: str, name: str) -> str:
    """SHA-256 of ``pure_package.name``'s ``.py`` then its ``.pxd`` if any (what ``setup.py``
    records in the compiled copy)."""
    package = resources.files(pure_package)
    pxd = package.joinpath(f"{name}.pxd")
    declared = pxd.read_bytes() if pxd.is_file() else b""
    return hashlib.sha256(package.joinpath(f"{name}.py").read_bytes() + declared).hexdigest()


def copy_status(compiled_package: str, names: list[str],
                digest: Callable[[str], str]) -> str | None:
    """``None`` when every module of ``names`` is built in ``compiled_package`` from the current
    sources (``digest(name)``), else why not (one short sentence)."""
    for name in names:
        try:
            module = importlib.import_module(f"{compiled_package}.{name}")
        except ImportError:
            return f"compiled module {name} is not built"
        if getattr(module, "_SOURCE_SHA256", None) != digest(name):
            return f"compiled module {name} is stale (its .py or .pxd changed since the build)"
    return None
