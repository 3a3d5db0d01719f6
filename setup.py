"""Optional compiled copy of the PDF.js 2.11 text model (Cython, pure-Python mode).

The ``.py`` modules of ``src/tether/textmodel/pdfjs211`` stay the source of truth and the
fallback; a ``.pxd`` beside a module only declares C types for Cython. The build copies the
modules to ``build/tether-cython`` as the package ``tether.textmodel._pdfjs211_c`` (their imports
of each other renamed, so the compiled modules form one closed world and never mix classes with
the pure ones), appends to each copy the SHA-256 of the ``.py`` (+ ``.pxd``) it came from, and
compiles the copies. At run time :mod:`tether.textmodel.pdfjs211.implementation` uses them only
when every digest matches the current files — an edited module never runs as a stale binary.

Everything here is optional: without Cython or a C compiler, or when a module fails to compile,
the install still succeeds (with a warning) and the pure-Python model runs.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
SOURCE = ROOT / "src" / "tether" / "textmodel" / "pdfjs211"
PURE_PACKAGE = "tether.textmodel.pdfjs211"
COMPILED_PACKAGE = "tether.textmodel._pdfjs211_c"
GENERATED = ROOT / "build" / "tether-cython"
#: Kept pure: the package's constants and the driver that chooses the implementation.
NOT_COMPILED = {"__init__", "extract", "implementation"}
#: No FMA contraction or other float rewriting: positions must stay bit-identical to the pure
#: path (PDF.js compares them with ``===``).
CFLAGS = ["-O2", "-ffp-contract=off", "-fno-fast-math"] if sys.platform != "win32" else []
#: Python semantics kept: type annotations are *not* C types (``x: float`` would reject None
#: and ``x: int`` a bool, changing which ``except`` branch runs); a module opts in with a
#: ``# cython: annotation_typing=True`` header line where its annotations are exact.
DIRECTIVES = {"language_level": 3, "annotation_typing": False}


def _warn(message: str) -> None:
    print(f"tether: {message}; the pure-Python text model will be used", file=sys.stderr)


def _generate() -> list[tuple[str, Path]]:
    """Write the renamed copies (and their ``.pxd`` declarations); ``[(module, copy path)]``."""
    out = GENERATED / Path(*COMPILED_PACKAGE.split("."))
    out.mkdir(parents=True, exist_ok=True)
    # Cython finds a module's .pxd only when the copy sits in a package it can name
    # (``__init__.py`` at every level): without them each .pxd was silently ignored and the
    # classes it declares compiled as ordinary Python classes.
    package = GENERATED
    for part in COMPILED_PACKAGE.split("."):
        package = package / part
        (package / "__init__.py").touch()
    sibling = re.compile(rf"\b{re.escape(PURE_PACKAGE)}\.(?=\w)")
    modules = []
    for py in sorted(SOURCE.glob("*.py")):
        if py.stem in NOT_COMPILED:
            continue
        raw = py.read_bytes()
        pxd = py.with_suffix(".pxd")
        declared = pxd.read_bytes() if pxd.exists() else b""
        text = sibling.sub(COMPILED_PACKAGE + ".", raw.decode("utf-8"))
        # Mirrors implementation._source_digest: the .py, then its .pxd (C types) if any.
        text += f'\n_SOURCE_SHA256 = "{hashlib.sha256(raw + declared).hexdigest()}"\n'
        # A change of directives or flags changes the copy, so Cython re-translates it.
        text += f"# built with {sorted(DIRECTIVES.items())} {CFLAGS}\n"
        target = out / py.name
        if not target.exists() or target.read_text("utf-8") != text:
            target.write_text(text, "utf-8")
        if declared:
            (out / pxd.name).write_bytes(declared)
        else:  # a .pxd removed from the sources must not linger in the build copy
            (out / pxd.name).unlink(missing_ok=True)
        modules.append((py.stem, target))
    return modules


def _extensions() -> list:
    try:
        from Cython.Build import cythonize
        from setuptools import Extension
    except ImportError:
        _warn("Cython is not installed, the compiled text model is not built")
        return []
    try:
        exts = [Extension(f"{COMPILED_PACKAGE}.{name}", [str(path.relative_to(ROOT))],
                          extra_compile_args=CFLAGS)
                for name, path in _generate()]
        return cythonize(exts, compiler_directives=DIRECTIVES, quiet=True, nthreads=2)
    except Exception as exc:  # a Cython error must not fail the install
        _warn(f"Cython could not translate the text model ({exc})")
        return []


class OptionalBuildExt(build_ext):
    """``build_ext`` whose failures (no compiler, a compile error) are warnings."""

    def run(self) -> None:
        try:
            # The compiled package has no .py files, so nothing else creates its folder (an
            # in-place or editable build copies the modules there).
            for ext in self.extensions:
                Path(self.get_ext_fullpath(ext.name)).parent.mkdir(parents=True, exist_ok=True)
            super().run()
        except Exception as exc:
            _warn(f"building the compiled text model failed ({exc})")

    def build_extension(self, ext) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:
            _warn(f"compiling {ext.name} failed ({exc})")


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
