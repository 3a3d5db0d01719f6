"""The collector pause of large checks (tether.gcpause) restores the collector's state."""

from __future__ import annotations

import gc
import threading

import pytest

from tether.formats.jsonedit import JsonSpanError, parse_spans
from tether.gcpause import collector_paused


def test_pause_disables_then_restores_and_nests() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause is still open
    assert gc.isenabled()


def test_a_collector_disabled_by_the_caller_stays_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_pauses_in_threads_end_with_the_last() -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with collector_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with collector_paused():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.isenabled())  # the first thread's pause ended, this one holds
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [False]
    assert gc.isenabled()


def test_parse_errors_restore_the_collector() -> None:
    with pytest.raises(JsonSpanError):
        parse_spans('{"a": [1, 2,, 3]}')
    assert gc.isenabled()
    assert parse_spans('{"a": [1, 2]}').value == {"a": [1, 2]}
    assert gc.isenabled()
