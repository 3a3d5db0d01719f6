"""The text cache (``tether.textmodel.cache``): hits, misses, damage, bypass, concurrency.

Every test points ``TETHER_CACHE_DIR`` at its own temporary folder, so none touches the user's
cache (and the session-wide one from conftest stays out of the way).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from conftest import FIXTURES
from tether.textmodel import load
from tether.textmodel.cache import FORMAT_VERSION, TextCache, cache_dir, content_hash
from tether.textmodel.load import DEFAULT_MODEL, MODEL_REVISIONS, PdfError, load_text
from tether.textmodel.model import DocumentText
from tether.textmodel.pdfjs211.extract import ExtractionLimits

PDF = FIXTURES / "synthetic" / "ligatures.pdf"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TextCache:
    monkeypatch.setenv("TETHER_CACHE_DIR", str(tmp_path / "cache"))
    return TextCache()


@pytest.fixture
def extractions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts calls of the model's extractor (a hit must not call it)."""
    calls: list[str] = []
    real = load.MODELS[DEFAULT_MODEL]

    def counting(path: str, **kw: object) -> DocumentText:
        calls.append(path)
        return real(path, **kw)

    monkeypatch.setitem(load.MODELS, DEFAULT_MODEL, counting)
    return calls


def _entries(cache: TextCache) -> list[Path]:
    folder = cache.root / "text"
    return sorted(folder.glob("*.json.z")) if folder.is_dir() else []


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("TETHER_CACHE_DIR", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x"
    monkeypatch.delenv("TETHER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "tether"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "tether"


def test_second_load_is_a_hit(cache: TextCache, extractions: list[str]):
    first = load_text(PDF, with_boxes=False, cache=cache)
    assert len(extractions) == 1 and len(_entries(cache)) == 1
    second = load_text(PDF, with_boxes=False, cache=cache)
    assert len(extractions) == 1  # not extracted again
    assert second == first and second.text == first.text
    assert second.fingerprint == first.fingerprint and second.model == DEFAULT_MODEL


def test_same_bytes_elsewhere_hit_changed_bytes_miss(cache: TextCache, extractions: list[str],
                                                    tmp_path: Path):
    load_text(PDF, with_boxes=False, cache=cache)
    copy = tmp_path / "renamed.pdf"
    copy.write_bytes(PDF.read_bytes())
    load_text(copy, with_boxes=False, cache=cache)
    assert len(extractions) == 1  # keyed by content, not by path
    copy.write_bytes(PDF.read_bytes() + b"\n%extra bytes\n")
    load_text(copy, with_boxes=False, cache=cache)
    assert len(extractions) == 2


def test_model_revision_change_is_a_miss(cache: TextCache, extractions: list[str],
                                         monkeypatch: pytest.MonkeyPatch):
    load_text(PDF, with_boxes=False, cache=cache)
    monkeypatch.setitem(MODEL_REVISIONS, DEFAULT_MODEL, MODEL_REVISIONS[DEFAULT_MODEL] + "-next")
    load_text(PDF, with_boxes=False, cache=cache)
    assert len(extractions) == 2
    assert len(_entries(cache)) == 2  # the old revision's entry is simply not used


def test_format_version_is_in_the_key(cache: TextCache, monkeypatch: pytest.MonkeyPatch):
    digest = content_hash(PDF)
    a = cache.entry_path(digest, DEFAULT_MODEL, "1")
    monkeypatch.setattr("tether.textmodel.cache.FORMAT_VERSION", FORMAT_VERSION + 1)
    assert cache.entry_path(digest, DEFAULT_MODEL, "1") != a
    assert cache.entry_path(digest, "pdfjs-9.9", "1") != a


@pytest.mark.parametrize("damage", [
    b"", b"not zlib at all", b"x\x9c\x03\x00\x00\x00\x00\x01",  # empty zlib stream
    "json", "foreign", "wrong-types",
])
def test_corrupt_entry_is_ignored_and_replaced(cache: TextCache, extractions: list[str],
                                               damage: bytes | str):
    good = load_text(PDF, with_boxes=False, cache=cache)
    (entry,) = _entries(cache)
    if damage == "json":
        entry.write_bytes(zlib.compress(b"{truncated"))
    elif damage == "foreign":  # a well-formed entry made for another PDF
        data = json.loads(zlib.decompress(entry.read_bytes()))
        data["sha256"] = "0" * 64
        entry.write_bytes(zlib.compress(json.dumps(data).encode()))
    elif damage == "wrong-types":
        data = json.loads(zlib.decompress(entry.read_bytes()))
        data["pages"] = [1, 2]
        entry.write_bytes(zlib.compress(json.dumps(data).encode()))
    else:
        assert isinstance(damage, bytes)
        entry.write_bytes(damage)
    again = load_text(PDF, with_boxes=False, cache=cache)
    assert again == good and len(extractions) == 2  # extracted again, no error
    assert cache.load(content_hash(PDF), DEFAULT_MODEL, MODEL_REVISIONS[DEFAULT_MODEL]) == good


def test_unwritable_cache_only_costs_time(tmp_path: Path, extractions: list[str]):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    cache = TextCache(blocker / "cache")
    assert load_text(PDF, with_boxes=False, cache=cache).text
    assert load_text(PDF, with_boxes=False, cache=cache).text
    assert len(extractions) == 2


def test_boxes_and_passwords_bypass_the_cache(cache: TextCache, extractions: list[str]):
    load_text(PDF, with_boxes=True, cache=cache)
    assert _entries(cache) == []  # entries hold no boxes
    load_text(PDF, with_boxes=False, cache=cache, password="secret")
    assert _entries(cache) == []  # a cached text never stands in for a password
    assert len(extractions) == 2


def test_page_limit_applies_to_a_hit(cache: TextCache):
    doc = load_text(PDF, with_boxes=False, cache=cache)
    with pytest.raises(PdfError, match="more than the limit"):
        load_text(PDF, with_boxes=False, cache=cache,
                  limits=ExtractionLimits(max_pages=len(doc.pages) - 1))


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tether.cli", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def test_cli_uses_the_cache_and_no_cache_bypasses_it(tmp_path: Path):
    env = {**os.environ, "TETHER_CACHE_DIR": str(tmp_path / "cache")}
    cache = TextCache(tmp_path / "cache")
    real = _cli("text", str(PDF), "--json", "--no-cache", env=env)
    assert real.returncode == 0, real.stderr
    assert _entries(cache) == []  # --no-cache neither reads nor writes
    first = _cli("text", str(PDF), "--json", env=env)
    assert first.returncode == 0 and first.stdout == real.stdout
    (entry,) = _entries(cache)
    # Plant a well-formed entry with other text: the default run must use it, --no-cache not.
    planted = DocumentText.from_page_texts(["planted"], model=DEFAULT_MODEL, fingerprint="ab")
    assert cache.store(content_hash(PDF), MODEL_REVISIONS[DEFAULT_MODEL], planted)
    assert _entries(cache) == [entry]
    hit = _cli("text", str(PDF), "--json", env=env)
    assert json.loads(hit.stdout)["pages"][0]["text"] == "planted"
    bypass = _cli("text", str(PDF), "--json", "--no-cache", env=env)
    assert bypass.stdout == real.stdout
    for command in ("check", "repair"):
        help_text = _cli(command, "--help", env=env).stdout
        assert "--no-cache" in help_text
    # report and export-pdf extract with boxes, never cached: their help must not offer
    # --no-cache (it promised a cache they never read); scripts passing it still work.
    for command in ("report", "export-pdf"):
        help_text = _cli(command, "--help", env=env).stdout
        assert "--no-cache" not in help_text, command
    out = tmp_path / "r.html"
    note = FIXTURES / "updates" / "eth-yellowpaper" / "v1.md"
    accepted = _cli("report", str(note), "--pdf", str(PDF), "--html", str(out), "--no-pictures",
                    "--no-cache", env=env)
    assert accepted.returncode in (0, 1) and out.is_file(), accepted.stderr


def _writer(root: str, digest: str, rounds: int, pages: list[str]) -> None:
    cache = TextCache(root)
    doc = DocumentText.from_page_texts(pages, model=DEFAULT_MODEL, fingerprint="f" * 32)
    for _ in range(rounds):
        assert cache.store(digest, "1", doc)


def test_two_concurrent_writers_never_expose_a_partial_entry(tmp_path: Path):
    root = str(tmp_path / "cache")
    digest = "d" * 64
    pages = [f"page {i} " + "text " * 2000 for i in range(20)]  # ~200 kB: writes take time
    expected = DocumentText.from_page_texts(pages, model=DEFAULT_MODEL, fingerprint="f" * 32)
    ctx = multiprocessing.get_context("spawn" if sys.platform == "win32" else "fork")
    writers = [ctx.Process(target=_writer, args=(root, digest, 40, pages)) for _ in range(2)]
    for w in writers:
        w.start()
    reader = TextCache(root)
    while any(w.is_alive() for w in writers):
        got = reader.load(digest, DEFAULT_MODEL, "1")
        assert got is None or got == expected  # whole entries only
    for w in writers:
        w.join()
        assert w.exitcode == 0
    assert reader.load(digest, DEFAULT_MODEL, "1") == expected
    leftovers = [p.name for p in (Path(root) / "text").iterdir() if not p.name.endswith(".z")]
    assert leftovers == []  # every temporary file was renamed into place
