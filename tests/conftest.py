"""Shared test fixtures: where ../shared is, and a clear skip when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED = Path(os.environ.get("TETHER_SHARED", ROOT.parent / "shared")).resolve()
SHARED_REASON = (
    f"the shared corpus is not at {SHARED} (set TETHER_SHARED, or clone beside ../shared); "
    "these tests read real third-party PDFs that the project may not redistribute"
)


def require_shared() -> Path:
    """Skip the calling test with a clear reason when ../shared is absent."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip(SHARED_REASON)
    return SHARED


@pytest.fixture
def shared_dir() -> Path:
    return require_shared()
