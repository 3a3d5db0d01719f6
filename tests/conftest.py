"""Shared test fixtures: where ../shared is, and a clear skip when it is absent."""

from __future__ import annotations

import functools
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED = Path(os.environ.get("TETHER_SHARED", ROOT.parent / "shared")).resolve()
SHARED_REASON = (
    f"the shared corpus is not at {SHARED} (set TETHER_SHARED, or clone beside ../shared); "
    "these tests read real third-party PDFs that the project may not redistribute"
)


def pytest_configure(config: pytest.Config) -> None:
    """A fresh text cache for this test session (``TETHER_CACHE_DIR``, inherited by the CLI
    subprocesses tests start): tests never read or fill the user's cache, and no result comes
    from a text cached by an earlier run or another checkout."""
    os.environ["TETHER_CACHE_DIR"] = tempfile.mkdtemp(prefix="tether-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    path = os.environ.pop("TETHER_CACHE_DIR", None)
    if path and Path(path).name.startswith("tether-test-cache-"):
        shutil.rmtree(path, ignore_errors=True)


def require_shared() -> Path:
    """Skip the calling test with a clear reason when ../shared is absent."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip(SHARED_REASON)
    return SHARED


@pytest.fixture
def shared_dir() -> Path:
    return require_shared()


def bench_module(name: str):
    """A module of ``benchmarks/`` (the suites, peers, scripts the benchmarks share), imported
    by name with that folder on the path."""
    if str(ROOT / "benchmarks") not in sys.path:
        sys.path.insert(0, str(ROOT / "benchmarks"))
    return importlib.import_module(name)


def version_pages(document: str, version: int) -> list[str]:
    """The PDF.js 2.11 page texts of ``../shared/corpus/versions/<document>/v<version>.pdf``, in
    page order, as the committed ``*.pdfjs-pages.json`` holds them (skips without ../shared)."""
    path = require_shared() / "corpus" / "versions" / document / f"v{version}.pdfjs-pages.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return [p["text"] for p in sorted(data["pages"], key=lambda p: p["index"])]


@functools.cache
def model_text(pdf: str):
    """The pdfjs-2.11 model's DocumentText of ``pdf`` (extracted once per test session)."""
    from tether.textmodel.load import load_text

    return load_text(pdf)


def corpus_pdfs() -> list[Path]:
    """Every corpus PDF that has PDF.js 2.11 page texts beside it (empty when absent)."""
    if not (SHARED / "corpus").is_dir():
        return []
    return sorted(p.with_name(p.name.replace(".pdfjs-pages.json", ".pdf"))
                  for p in (SHARED / "corpus").rglob("*.pdfjs-pages.json"))


def vault_notes() -> list[Path]:
    """The annotated note of each vault in the shared corpus (from its provenance.json)."""
    import json

    out = []
    for prov in sorted((SHARED / "corpus" / "vaults").glob("*/provenance.json")):
        meta = json.loads(prov.read_text())
        out.append(prov.parent / meta["md"])
    return out


def run_tether(*args: object, env: dict[str, str] | None = None,
               timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run the real command line (``python -m tether.cli``) in a child process, text output
    captured; ``timeout`` is generous because the CI machine is shared."""
    return subprocess.run([sys.executable, "-m", "tether.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, env=env)
