"""The compiled resolver (Cython build of ``tether.resolve``, see setup.py) gives exactly what the
pure-Python modules give, and is used only when it was built from the current ``.py`` files.

Both implementations run in this process on the nine real update pairs (every annotation of
every note, each resolved alone and as a whole note): each :class:`Resolution` must be equal
field by field, and be of the same (pure) classes. The vote loops that only the build runs are
also compared with the numpy calls they replace, in pure Python, on corpus texts. The
comparisons skip with a reason when the compiled modules are not built (a checkout without
``pip install -e .``, or a machine without a C compiler) or ../shared is absent."""

from __future__ import annotations

import ast
import importlib
import os
import pickle
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, require_shared
from tether.evaluate import update_pairs
from tether.formats import load_annotations
from tether.resolve import implementation
from tether.resolve.result import Resolution
from tether.textmodel.model import DocumentText

PAIRS = update_pairs(FIXTURES / "updates")


def _compiled_cascade():  # type: ignore[no-untyped-def]
    reason = implementation.compiled_status()
    if reason is not None:
        pytest.skip(f"the compiled resolver is not usable here ({reason}); build it with "
                    "`pip install -e .` (needs Cython and a C compiler)")
    return implementation.compiled_module("cascade")


def _fields(res: Resolution) -> tuple:
    """Every field of a resolution (``extra`` too: equality leaves it out)."""
    return (res.to_dict(), res.start, res.end, res.start_utf16, res.end_utf16, res.score,
            res.edit_distance, res.rivals, res.extra, res)


def _pair_params() -> list:
    """Every update pair; beyond each document's first, marked slow (~3 s each)."""
    seen: set[str] = set()
    out = []
    for pair in PAIRS:
        doc = pair[0].parent.name
        out.append(pytest.param(pair, id=f"{doc}-{pair[1].name.split('.')[0]}",
                                marks=[pytest.mark.slow] if doc in seen else []))
        seen.add(doc)
    return out


@pytest.mark.corpus
@pytest.mark.parametrize("pair", _pair_params())
def test_compiled_resolver_equals_pure_on_update_pairs(pair):
    compiled = _compiled_cascade()
    shared = require_shared()
    pure = implementation.pure_module("cascade")
    note, _, new_pdf = pair
    pages = shared / "corpus" / "versions" / note.parent.name / new_pdf.replace(
        ".pdf", ".pdfjs-pages.json")
    doc = DocumentText.from_pdfjs_pages_json(pages.read_text(encoding="utf-8"))
    annotations = load_annotations(note).annotations
    assert len(annotations) >= 100
    a, b = pure.Resolver(doc), compiled.Resolver(doc)
    assert type(b).__module__ == f"{implementation.COMPILED_PACKAGE}.cascade"
    for ann in annotations:
        want, got = a.resolve(ann), b.resolve(ann)
        assert type(got) is Resolution and type(got.status) is type(want.status)
        assert _fields(got) == _fields(want), ann.id
    # A whole note (landmarks place refusals between anchored neighbours): same again.
    wants = pure.Resolver(doc).resolve_all(annotations)
    gots = compiled.Resolver(doc).resolve_all(annotations)
    assert [_fields(r) for r in gots] == [_fields(r) for r in wants]
    # What crosses process boundaries (--jobs) is the pure classes: a compiled answer pickles.
    assert pickle.loads(pickle.dumps(gots)) == gots


def test_the_package_exports_the_implementation_it_names():
    import tether.resolve as resolve

    package = (implementation.COMPILED_PACKAGE if implementation.name() == "cython"
               else implementation.PURE_PACKAGE)
    cascade = importlib.import_module(f"{package}.cascade")
    assert resolve.Resolver is cascade.Resolver
    assert resolve.resolve is cascade.resolve
    assert implementation.describe().startswith(implementation.name())


def test_the_pure_switch_and_a_stale_module_choose_pure_python(tmp_path):
    """``TETHER_PURE_RESOLVER=1`` gives the pure resolver; so does a compiled module whose
    source changed since the build (the digest no longer matches)."""
    _compiled_cascade()
    code = ("import tether.resolve as r, tether.resolve.implementation as i; "
            "print(r.Resolver.__module__, '|', i.describe())")
    env = {**os.environ, "TETHER_PURE_RESOLVER": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "tether.resolve.cascade | python (TETHER_PURE_RESOLVER is set)"
    # Stale: a copy of the package whose votes.py gained a comment after the build.
    source = Path(implementation.__file__).parent
    copy = tmp_path / "tether"
    subprocess.run(["cp", "-r", str(source.parent), str(copy)], check=True)
    votes = copy / "resolve" / "votes.py"
    votes.write_text(votes.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in implementation.PURE_ENVS}
    env["PYTHONPATH"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == ("tether.resolve.cascade | python (compiled module votes is stale "
                           "(its .py or .pxd changed since the build))")


def test_the_vote_loops_equal_the_numpy_votes():
    """``votes.gram_hits`` / ``clusters_loop`` (what the build runs, here as Python; and the
    compiled ones when built) against the numpy calls of the pure path, on corpus text."""
    shared = require_shared()
    from test_resolve_fast_equal import corpus_index, mutated

    from tether.resolve import votes
    from tether.resolve.index import _SHIFT, MAX_POSTINGS

    loops = [votes]
    if implementation.compiled_status() is None:
        loops.append(implementation.compiled_module("votes"))
    assert not votes.COMPILED  # this module is the pure one: it runs numpy
    rnd = random.Random(7)
    index = corpus_index(shared, "eth-yellowpaper/v4.pdfjs-pages.json")
    keys = index.gram_keys
    assert keys is not None
    text = index.view.text
    capped = keys.remaining * (keys.remaining <= MAX_POSTINGS)
    import numpy as np

    for _ in range(40):
        needle = mutated(rnd, text, "xyz€ж\U0001d400" + text[:40])
        origin = rnd.randint(0, min(40, len(needle)))
        want = keys.hits(needle, origin, MAX_POSTINGS, _SHIFT)
        n = len(needle) - votes.KEY_CHARS + 1
        for module in loops:
            if n <= 0:
                continue
            needle_keys = np.ndarray((n,), dtype=">i8", buffer=keys.code(needle),
                                     strides=(1,)).astype(np.int64)
            got = module.gram_hits(keys.keys, capped, keys.shifted, needle_keys,
                                   origin << _SHIFT, (1 << _SHIFT) - 1)
            got.sort()
            assert got.tolist() == want.tolist()
            for tolerance, limit in ((0, 24), (8, 24), (20, 3), (100, 24)):
                if len(want):
                    assert (module.clusters_loop(want, _SHIFT, tolerance, limit)
                            == votes.clusters(want, _SHIFT, tolerance, limit))


def test_version_names_the_resolver_implementation():
    out = subprocess.run([sys.executable, "-m", "tether.cli", "--version"], capture_output=True,
                         text=True, check=True).stdout
    assert f"resolver: {implementation.describe()}" in out


def test_setup_and_the_runtime_agree_on_the_modules_kept_pure():
    """setup.py's resolver target and ``implementation.NOT_COMPILED`` name the same modules (a
    module compiled but not expected is never used; one expected but not built makes the whole
    compiled copy unusable)."""
    setup = (Path(__file__).resolve().parents[1] / "setup.py").read_text(encoding="utf-8")
    found = re.search(r'Target\("resolver",.*?frozenset\((\{.*?\})\)', setup, re.S)
    assert found is not None
    assert frozenset(ast.literal_eval(found.group(1))) == implementation.NOT_COMPILED
    assert "cascade" not in implementation.NOT_COMPILED  # the entry point is compiled
