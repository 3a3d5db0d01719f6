"""Pausing Python's cyclic garbage collector around allocation-heavy work that makes no cycles.

Why: a check builds hundreds of thousands of long-lived containers (a 10,000-annotation JSON
tree, the text model's pages, the resolver's gram postings). CPython's collector runs after
every ~700 new containers and, as the heap grows, re-scans it in full now and then: on the
10,000-annotation × 1,000-page benchmark that was 17–22 % of the whole check (14.1 → 11.6 s,
same peak memory). Reference counting still frees everything the paused work drops; only
reference cycles wait for the collector, which runs again as soon as the pause ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # pauses open now, in any thread (the collector is process-wide)
_was_enabled = False  # the collector's state when the first open pause began


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector for the ``with`` block; re-entrant and thread-safe.

    Nested or concurrent pauses (threads of one Dask worker) share one pause: the collector is
    re-enabled when the last one ends, and only if it was enabled when the first began.
    """
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
