"""Optional compiled copies of the PDF.js 2.11 text model and of the resolver (Cython,
pure-Python mode).

Two packages are compiled (:data:`TARGETS`); for each, its ``.py`` modules stay the source of
truth and the fallback, and a ``.pxd`` beside a module only declares C types for Cython. The
build copies the modules to ``build/tether-cython`` as a sibling package (``_pdfjs211_c``,
``_resolve_c``), renaming their imports of each other, appends to each copy the SHA-256 of the
``.py`` (+ ``.pxd``) it came from, and compiles the copies. At run time the package's
``implementation`` module uses them only when every digest matches the current files — an
edited module never runs as a stale binary — and ``TETHER_PURE_PYTHON=1`` forces the pure
modules of both (``TETHER_PURE_RESOLVER=1`` those of the resolver alone).

- ``tether.textmodel.pdfjs211`` → ``tether.textmodel._pdfjs211_c``: every module but the
  driver; the compiled modules form one closed world (they share ``Name``, ``Ref``, fonts among
  themselves only, so they are never mixed with pure ones).
- ``tether.resolve`` → ``tether.resolve._resolve_c``: the modules of the per-annotation search
  where compiled code measured faster: ``cascade`` (the entry: its ``Resolver``), ``index`` and
  ``votes`` (the gram votes; ``votes.pxd`` types their two loops), ``fuzzy``, ``align``,
  ``chain`` and ``blocks`` (step 4's window alignment, typed in ``blocks.pxd``), and
  ``placing`` (the whole-note pass that calls step 4 again). Their imports
  of each other are renamed; their imports of every other module are
  *not*, so they run those pure: the types that cross the library API (``result``:
  ``Resolution``, ``Status``, ``Method``, ``Candidate``; ``options``; ``landmarks``,
  ``bracket`` and ``copies``, whose rule numbers ``options`` holds) are the
  very classes the pure resolver returns (``isinstance``, equality, pickling across ``--jobs``
  workers unchanged), and the glue modules (``normalize``, ``position``, ``describe``,
  ``evidence``, ``decide``, ``quote``, ``second_look`` and the rules beside it, ``whole_note``'s
  settings) stay interpreted because compiling them
  measured no faster or slower: CPython 3.11 specialises their attribute reads and calls,
  which Cython's untyped code does generically, and the bigger machine code costs cache misses
  in the verbatim lane. A pure module only reads the compiled objects it is handed by their
  attributes (no ``isinstance`` on them). ``tether.resolve`` exports the chosen ``Resolver`` /
  ``resolve``.

Everything here is optional: without Cython or a C compiler, or when a module fails to compile,
the install still succeeds (with a warning) and the pure-Python modules run. The resolver's eight
modules add about 40 s of C compilation on one core to the text model's (``build_ext`` uses
both cores here; see ``docs/CONTRIBUTING.md``).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path
from typing import NamedTuple

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
GENERATED = ROOT / "build" / "tether-cython"


class Target(NamedTuple):
    """One package compiled as a renamed copy."""

    label: str  #: for warnings: "text model", "resolver"
    pure: str  #: the pure package (its folder under src/)
    compiled: str  #: the compiled copy's package
    #: Modules kept pure (mirrors the package's ``implementation.NOT_COMPILED``).
    not_compiled: frozenset[str]

    @property
    def source(self) -> Path:
        return ROOT / "src" / Path(*self.pure.split("."))

    def modules(self) -> list[Path]:
        return [py for py in sorted(self.source.glob("*.py")) if py.stem not in self.not_compiled]


TARGETS = (
    Target("text model", "tether.textmodel.pdfjs211", "tether.textmodel._pdfjs211_c",
           frozenset({"__init__", "extract", "implementation"})),
    # Kept pure (see above): the types that cross the library API, and the glue where compiled
    # code measured no faster.
    Target("resolver", "tether.resolve", "tether.resolve._resolve_c",
           frozenset({"__init__", "implementation", "options", "result", "landmarks",
                      "bracket", "copies", "normalize", "position", "describe", "evidence",
                      "decide", "quote", "second_look", "pagebreak",
                      "nearer", "filler", "contradicted", "whole_note", "verbatim_side"})),
)
#: No FMA contraction or other float rewriting: positions must stay bit-identical to the pure
#: path (PDF.js compares them with ``===``; the resolver's scores are compared with thresholds).
CFLAGS = ["-O2", "-ffp-contract=off", "-fno-fast-math"] if sys.platform != "win32" else []
#: Python semantics kept: type annotations are *not* C types (``x: float`` would reject None
#: and ``x: int`` a bool, changing which ``except`` branch runs); a module opts in with a
#: ``# cython: annotation_typing=True`` header line where its annotations are exact.
DIRECTIVES = {"language_level": 3, "annotation_typing": False}


def _warn(message: str) -> None:
    print(f"tether: {message}; the pure-Python modules will be used", file=sys.stderr)


def _generate(target: Target) -> list[tuple[str, Path]]:
    """Write ``target``'s renamed copies (and their ``.pxd`` declarations);
    ``[(module, copy path)]``."""
    out = GENERATED / Path(*target.compiled.split("."))
    out.mkdir(parents=True, exist_ok=True)
    # Cython finds a module's .pxd only when the copy sits in a package it can name
    # (``__init__.py`` at every level): without them each .pxd was silently ignored and the
    # classes it declares compiled as ordinary Python classes.
    package = GENERATED
    for part in target.compiled.split("."):
        package = package / part
        (package / "__init__.py").touch()
    sources = target.modules()
    # Only the compiled siblings are renamed (``tether.resolve.index`` →
    # ``tether.resolve._resolve_c.index``); an import of a module kept pure stays as written.
    names = "|".join(re.escape(py.stem) for py in sources)
    sibling = re.compile(rf"\b{re.escape(target.pure)}\.(?=(?:{names})\b)")
    modules = []
    for py in sources:
        raw = py.read_bytes()
        pxd = py.with_suffix(".pxd")
        declared = pxd.read_bytes() if pxd.exists() else b""
        text = sibling.sub(target.compiled + ".", raw.decode("utf-8"))
        # Mirrors tether.compiled_copy.source_digest: the .py, then its .pxd (C types) if any.
        text += f'\n_SOURCE_SHA256 = "{hashlib.sha256(raw + declared).hexdigest()}"\n'
        # A change of directives or flags changes the copy, so Cython re-translates it.
        text += f"# built with {sorted(DIRECTIVES.items())} {CFLAGS}\n"
        target_py = out / py.name
        if not target_py.exists() or target_py.read_text("utf-8") != text:
            target_py.write_text(text, "utf-8")
        if declared:  # rewritten only when changed: a newer .pxd makes Cython re-translate
            renamed = sibling.sub(target.compiled + ".", declared.decode("utf-8"))
            copy = out / pxd.name
            if not copy.exists() or copy.read_text("utf-8") != renamed:
                copy.write_text(renamed, "utf-8")
        else:  # a .pxd removed from the sources must not linger in the build copy
            (out / pxd.name).unlink(missing_ok=True)
        modules.append((py.stem, target_py))
    return modules


def _extensions() -> list:
    try:
        from Cython.Build import cythonize
        from setuptools import Extension
    except ImportError:
        _warn("Cython is not installed, the compiled text model and resolver are not built")
        return []
    out: list = []
    for target in TARGETS:
        try:
            exts = [Extension(f"{target.compiled}.{name}", [str(path.relative_to(ROOT))],
                              extra_compile_args=CFLAGS)
                    for name, path in _generate(target)]
            out += cythonize(exts, compiler_directives=DIRECTIVES, quiet=True, nthreads=2)
        except Exception as exc:  # a Cython error must not fail the install
            _warn(f"Cython could not translate the {target.label} ({exc})")
    return out


class OptionalBuildExt(build_ext):
    """``build_ext`` whose failures (no compiler, a compile error) are warnings."""

    def finalize_options(self) -> None:
        super().finalize_options()
        # Both cores: the two packages' ~40 C files compile independently (halves the build
        # on the 2-core CI); ``-j`` on the command line still wins.
        if not self.parallel:
            self.parallel = min(4, os.cpu_count() or 1)

    def run(self) -> None:
        try:
            # The compiled packages have no .py files, so nothing else creates their folders
            # (an in-place or editable build copies the modules there).
            for ext in self.extensions:
                Path(self.get_ext_fullpath(ext.name)).parent.mkdir(parents=True, exist_ok=True)
            super().run()
        except Exception as exc:
            _warn(f"building the compiled modules failed ({exc})")

    def build_extension(self, ext) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:
            _warn(f"compiling {ext.name} failed ({exc})")


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
