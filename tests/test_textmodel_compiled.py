"""The compiled text model (Cython build of ``pdfjs211``, see setup.py) gives exactly what the
pure-Python modules give, and is used only when it was built from the current ``.py`` files.

Both implementations run in this process on the same PDFs: page texts, character boxes and
fingerprints must be identical, with and without boxes (the fast path only runs without). The
comparison skips with a reason when the compiled modules are not built (a checkout without
``pip install -e .``, or a machine without a C compiler), and, for the corpus, when ../shared is
absent."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from conftest import FIXTURES, corpus_pdfs
from tether.textmodel.pdfjs211 import implementation
from tether.textmodel.pdfjs211.extract import extract_document

FIXTURE_PDFS = sorted(FIXTURES.rglob("*.pdf"))


def _compiled() -> implementation.Engine:
    reason = implementation.compiled_status()
    if reason is not None:
        pytest.skip(f"the compiled text model is not usable here ({reason}); build it with "
                    "`pip install -e .` (needs Cython and a C compiler)")
    return implementation.compiled_engine()


def _same_on_both(pdf) -> None:
    compiled, pure = _compiled(), implementation.pure_engine()
    with pymupdf.open(pdf) as doc:
        if doc.needs_pass:
            pytest.skip(f"{pdf.name} needs a password")
        for with_boxes in (False, True):
            a = extract_document(doc, with_boxes=with_boxes, implementation=pure)
            b = extract_document(doc, with_boxes=with_boxes, implementation=compiled)
            assert (a.meta["implementation"], b.meta["implementation"]) == ("python", "cython")
            assert [p.text for p in b.pages] == [p.text for p in a.pages]
            assert [p.boxes for p in b.pages] == [p.boxes for p in a.pages]
            assert b.fingerprint == a.fingerprint


def test_fixture_pdfs_exist():
    assert len(FIXTURE_PDFS) >= 10


@pytest.mark.parametrize("pdf", FIXTURE_PDFS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_compiled_equals_pure_on_fixture_pdfs(pdf):
    _same_on_both(pdf)


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.parametrize("pdf", corpus_pdfs(), ids=lambda p: p.name)
def test_compiled_equals_pure_on_corpus_pdfs(pdf):
    _same_on_both(pdf)


def test_the_pxd_declarations_are_applied():
    """Every ``cdef class`` of a ``.pxd`` is an extension type in the compiled build: its
    ``cdef public`` fields are C struct members (``getset_descriptor``), a class with ``cpdef``
    methods has a C method table (``__pyx_vtable__``), and a class declared with a base (from a
    ``cimport`` of another module's ``.pxd``) extends that module's compiled class. A build whose
    Cython does not find the ``.pxd`` compiles them as ordinary Python classes: same output, no
    speed-up (how the clean-clone build ran with Cython 3.3 until setup.py wrote the package's
    __init__.py)."""
    _compiled()
    source = Path(implementation.__file__).parent
    compiled = "tether.textmodel._pdfjs211_c"
    checked = 0
    for pxd in sorted(source.glob("*.pxd")):
        module = importlib.import_module(f"{compiled}.{pxd.stem}")
        text = pxd.read_text("utf-8")
        for block in re.split(r"(?m)^cdef class ", text)[1:]:
            head = re.match(r"(\w+)(?:\((\w+)\))?:", block)
            assert head is not None, block[:40]
            name, base = head.groups()
            cls = getattr(module, name)
            field = re.search(r"cdef public \w+ (\w+)", block)
            assert field is not None or base is not None, name
            if field is not None:
                assert type(cls.__dict__[field.group(1)]).__name__ == "getset_descriptor", name
            if re.search(r"\n[ \t]+cpdef ", block):  # an indented cpdef: a method
                assert hasattr(cls, "__pyx_vtable__"), name
            if base is not None:
                origin = re.search(rf"(?m)^from \.(\w+) cimport .*\b{base}\b", text)
                assert origin is not None, f"{name}: base {base} is not cimported"
                parent = getattr(importlib.import_module(f"{compiled}.{origin.group(1)}"), base)
                assert cls.__base__ is parent, name
            checked += 1
    assert checked >= 8


def test_default_engine_follows_the_environment():
    """``TETHER_PURE_PYTHON=1`` forces the pure modules; otherwise the compiled ones run when
    usable. Checked in child processes: the choice is made once per process."""
    code = ("from tether.textmodel.pdfjs211.implementation import engine;"
            "print(engine().name, engine().textcontent.__name__)")
    env = dict(os.environ, TETHER_PURE_PYTHON="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["python", "tether.textmodel.pdfjs211.textcontent"]
    env.pop("TETHER_PURE_PYTHON")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    usable = implementation.compiled_status() is None
    assert out == (["cython", "tether.textmodel._pdfjs211_c.textcontent"] if usable
                   else ["python", "tether.textmodel.pdfjs211.textcontent"])


def test_a_stale_build_is_not_used(monkeypatch):
    """A compiled module whose recorded source digest differs from its ``.py`` (the ``.py`` was
    edited after the build) makes the whole compiled copy unusable."""
    _compiled()
    monkeypatch.setattr(implementation, "_source_digest", lambda name: "0" * 64)
    reason = implementation.compiled_status()
    assert reason is not None and "stale" in reason


def test_version_names_the_implementation():
    out = subprocess.run([sys.executable, "-m", "tether.cli", "--version"], capture_output=True,
                         text=True, check=True).stdout
    name = implementation.engine().name
    assert "text model pdfjs-2.11" in out and name in out
