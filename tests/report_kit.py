"""Helpers for the report / export-pdf tests: Hypothesis JSON made from a real PDF's text, a
headless Chromium (skipped with a reason where it is missing) and geometry checks that use
PyMuPDF's own text extraction (independent of tether's text model)."""

from __future__ import annotations

import json
import random
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tether.selectors import CONTEXT_LENGTH
from tether.textmodel.model import DocumentText


def hypothesis_item(text: DocumentText, start: int, end: int, *, ann_id: str,
                    exact: str | None = None, position: tuple[int, int] | None = None,
                    comment: str = "", tags: tuple[str, ...] = ()) -> dict[str, Any]:
    """A Hypothesis API annotation of code-point span ``[start, end)`` of ``text`` (offsets
    stored in UTF-16, as Hypothesis does); ``exact`` / ``position`` override what is stored."""
    t = text.text
    s16, e16 = position or (text.to_utf16(start), text.to_utf16(end))
    return {
        "id": ann_id, "uri": "urn:x-pdf:test", "text": comment, "tags": list(tags),
        "target": [{"source": "urn:x-pdf:test", "selector": [
            {"type": "TextPositionSelector", "start": s16, "end": e16},
            {"type": "TextQuoteSelector", "exact": t[start:end] if exact is None else exact,
             "prefix": t[max(0, start - CONTEXT_LENGTH):start],
             "suffix": t[end:end + CONTEXT_LENGTH]}]}],
    }


def phrase_items(text: DocumentText, phrases: list[str]) -> list[dict[str, Any]]:
    """One annotation per phrase, at its first occurrence in ``text``."""
    items = []
    for i, phrase in enumerate(phrases):
        start = text.text.index(phrase)
        items.append(hypothesis_item(text, start, start + len(phrase), ann_id=f"p{i}",
                                     comment=f"note on {phrase!r}", tags=("synthetic", f"t{i}")))
    return items


def generated_items(text: DocumentText, n: int, seed: int = 9) -> list[dict[str, Any]]:
    """``n`` annotations of ``text`` in a realistic mix: most exact at their position
    (anchored), some with a shifted position (drifted), some with a changed character (fuzzy)
    and some with a quote that is not in the text (orphaned). Deterministic for ``seed``."""
    rng = random.Random(seed)
    t = text.text
    words = [i for i in range(1, len(t)) if t[i - 1] == " " and t[i] != " "]
    items = []
    for k in range(n):
        start = rng.choice(words)
        end = min(len(t), start + rng.randint(12, 160))
        kind = rng.random()
        exact, position = None, None
        if kind < 0.15:
            position = (text.to_utf16(start) + 40, text.to_utf16(end) + 40)
        elif kind < 0.25 and end - start > 40:
            mid = (start + end) // 2
            exact = t[start:mid] + ("x" if t[mid] != "x" else "y") + t[mid + 1:end]
        elif kind < 0.28:
            exact = "zq" * 20 + str(k)
        items.append(hypothesis_item(text, start, end, ann_id=f"g{k:04d}", exact=exact,
                                     position=position, comment=f"comment {k}",
                                     tags=(f"tag{k % 7}",)))
    return items


def write_json(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


# --- the browser ----------------------------------------------------------------------------

def _find(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name) or (name if Path(name).is_file() else None)
        if found:
            return found
    return None


def chrome_driver():
    """A headless Chromium driven by Selenium, with the browser console log kept; skips the
    calling test with the reason when Selenium, Chromium or chromedriver is missing."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    browser = _find("chromium", "chromium-browser", "google-chrome")
    driver = _find("chromedriver", "/usr/lib/chromium/chromedriver")
    if browser is None or driver is None:
        pytest.skip("Chromium or chromedriver is missing (Debian: apt-get install chromium "
                    "chromium-driver; .ci/run installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--disable-gpu", "--window-size=1280,1600"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        return webdriver.Chrome(service=Service(driver), options=options)
    except Exception as exc:  # a broken install: say what, do not fail unrelated work
        pytest.skip(f"Chromium did not start: {type(exc).__name__}: {str(exc)[:200]}")


def console_errors(driver) -> list[dict[str, Any]]:
    """Browser console entries at level SEVERE (errors) since the last call."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


# --- independent geometry --------------------------------------------------------------------

def mupdf_chars(page) -> list[tuple[str, float, float]]:
    """Every character PyMuPDF itself extracts from ``page`` (``rawdict``, unrotated page
    space) as (character, box centre x, box centre y), in its reading order."""
    out = []
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for ch in span["chars"]:
                    x0, y0, x1, y1 = ch["bbox"]
                    out.append((ch["c"], (x0 + x1) / 2, (y0 + y1) / 2))
    return out


def chars_in(chars: list[tuple[str, float, float]], rects) -> str:
    """The characters of :func:`mupdf_chars` whose centre lies in one of ``rects``."""
    return "".join(c for c, x, y in chars
                   if any(r.x0 <= x <= r.x1 and r.y0 <= y <= r.y1 for r in rects))


def squeeze(text: str) -> str:
    """``text`` compared loosely across extractors: NFKC (ligatures), without whitespace,
    hyphens (line breaks), control characters and stand-ins for unmapped glyphs."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and c not in "-\u00ad\u25a1\ufffd"
                   and unicodedata.category(c) not in ("Cc", "Co", "Cn"))
