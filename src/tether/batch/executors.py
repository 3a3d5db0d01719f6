"""Where documents are processed: in this process, in a process pool, or on a Dask cluster.

Every executor has one method, :meth:`Executor.map_unordered`: apply a picklable top-level
function to each task and yield ``(task, result)`` pairs **in completion order** (callers sort;
see :mod:`tether.batch.run`). A task whose function raised (a worker killed, a bug that escaped
:func:`~tether.batch.document.process_document`) is yielded with the exception as its result,
so one document never stops the others.

- :class:`SerialExecutor`: a plain loop (``--jobs 1``; no pickling).
- :class:`PoolExecutor`: :class:`concurrent.futures.ProcessPoolExecutor` with the *spawn*
  start method (no forked copies of PyMuPDF's state; the same on every platform); each worker
  imports PyMuPDF lean once (:mod:`tether.textmodel.pymupdf_lean`). The workers ignore SIGINT
  from birth: Ctrl-C (sent by a terminal to the whole process group) reaches only the parent,
  which terminates the workers at once — no traceback from a worker, no wait for the documents
  in progress, no worker left behind (see :func:`_spawning_with_sigint_ignored`).
- :class:`DaskExecutor`: ``distributed.Client.submit`` / ``as_completed`` on the cluster at
  ``scheduler`` (an address), else on a :class:`distributed.LocalCluster` of ``jobs`` worker
  processes with one thread each. Needs ``pip install "tether[dask]"``; the workers must see
  the same files at the same paths (a shared file system) and have tether installed.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

EXECUTORS = ("local", "dask")


class ExecutorError(Exception):
    """The executor cannot start (Dask missing, scheduler unreachable); a user error."""


class Executor(Protocol):
    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]
                      ) -> Iterator[tuple[T, R | BaseException]]: ...


class SerialExecutor:
    """One task after the other, in this process."""

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]
                      ) -> Iterator[tuple[T, R | BaseException]]:
        for task in tasks:
            try:
                yield task, fn(task)
            except Exception as exc:  # mirrors the pools: reported for that task
                yield task, exc


def _init_worker() -> None:
    # Already ignored since the worker's birth on POSIX (inherited: see
    # _spawning_with_sigint_ignored); said again for start methods that do not inherit it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from tether.textmodel.pymupdf_lean import import_pymupdf_lean

    import_pymupdf_lean()


@contextmanager
def _spawning_with_sigint_ignored() -> Iterator[None]:
    """While worker processes are started here, they inherit SIGINT *ignored*.

    Why: Ctrl-C in a terminal sends SIGINT to the whole process group. A worker that gets it
    while importing (start-up takes a second) or while waiting for work prints a
    ``KeyboardInterrupt`` traceback; an initializer that ignores it runs too late for the
    first case. A process started with SIGINT ignored keeps it ignored: exec keeps the
    ignored disposition, and Python installs its KeyboardInterrupt handler only over the
    default one. SIGINT is also *blocked* meanwhile, so a Ctrl-C during the few milliseconds
    of spawning is not lost for the parent: on Linux a blocked signal stays pending even
    while ignored, and is delivered (KeyboardInterrupt) once the handler is back and the
    signal unblocked."""
    with _sigint_ignored(block=True):
        yield


@contextmanager
def _sigint_ignored(*, block: bool) -> Iterator[None]:
    """SIGINT ignored inside (and, with ``block``, blocked: kept pending, not lost), its handler
    and mask restored after. Only the main thread can change signal handlers: elsewhere (a
    library caller's thread) this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    block = block and hasattr(signal, "pthread_sigmask")
    if block:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
        if block:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's workers without waiting for the tasks they are running (an
    interrupted run: a result not yet reported is not wanted), and leave no process or
    thread behind. A second Ctrl-C meanwhile is ignored: this takes milliseconds, and leaving
    it half done would leave workers running.

    The pool's private parts are used (CPython 3.10-3.13 have no public way; 3.14's
    terminate_workers() does the first step): ``_processes``, the workers by pid;
    ``_result_queue``, the pipe the workers send results through; ``_executor_manager_thread``,
    which reads that pipe. A worker terminated halfway through sending a result (a repair's
    result is large) leaves half a message in the pipe, and the manager thread then waits
    forever for the rest — and so would ``shutdown(wait=True)`` and the interpreter's exit,
    which joins that thread. Closing this process's own write end of the pipe, once every
    worker is gone, makes that read end-of-file: the manager thread marks the pool broken,
    fails the remaining futures (nobody reads them) and ends. Futures are not cancelled one
    by one: CPython 3.11's manager thread would then fail them again (an InvalidStateError
    traceback)."""
    with _sigint_ignored(block=False):
        workers = list((getattr(pool, "_processes", None) or {}).values())
        results = getattr(pool, "_result_queue", None)
        manager = getattr(pool, "_executor_manager_thread", None)
        for process in workers:
            process.terminate()
        for process in workers:
            process.join(timeout=5)
            if process.is_alive():  # SIGTERM is not ignored by the workers; still, be sure
                process.kill()
                process.join()
        writer = getattr(results, "_writer", None)
        if writer is not None:
            writer.close()
        pool.shutdown(wait=False)
        if manager is not None:
            manager.join(timeout=10)


class PoolExecutor:
    """``jobs`` spawned worker processes on this machine (see the module docstring)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]
                      ) -> Iterator[tuple[T, R | BaseException]]:
        if len(tasks) <= 1:  # starting a worker would cost more than the one task
            yield from SerialExecutor().map_unordered(fn, tasks)
            return
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=min(self.jobs, len(tasks)), mp_context=context,
                                   initializer=_init_worker)
        finished = False
        try:
            # Every worker is started by these submits (CPython starts spawned workers on
            # demand, up to max_workers, and none is idle yet).
            with _spawning_with_sigint_ignored():
                futures = {pool.submit(fn, task): task for task in tasks}
            for future in as_completed(futures):
                exc = future.exception()
                yield futures[future], exc if exc is not None else future.result()
            finished = True
        finally:
            if finished:
                pool.shutdown(wait=True)
            else:  # Ctrl-C, or the caller stopped early: the workers go now
                _stop_now(pool)


DASK_MISSING = ('the Dask executor needs Dask distributed: pip install "tether[dask]" '
                '(or: pip install "dask[distributed]")')


class DaskExecutor:
    """Tasks on a Dask distributed cluster (see the module docstring)."""

    def __init__(self, jobs: int, scheduler: str | None = None) -> None:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise ExecutorError(DASK_MISSING) from None
        self.jobs, self.scheduler = jobs, scheduler

    def _client(self) -> tuple[Any, Any]:
        import logging

        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                return Client(self.scheduler, timeout="5s"), None
            except (OSError, TimeoutError, ValueError) as exc:  # ValueError: bad address
                raise ExecutorError(f"cannot reach the Dask scheduler at {self.scheduler}: "
                                    f"{exc}") from None
        cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        return Client(cluster), cluster

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]
                      ) -> Iterator[tuple[T, R | BaseException]]:
        if not tasks:
            return
        from distributed import as_completed as dask_completed

        client, cluster = self._client()
        try:
            futures = {client.submit(fn, task, pure=False): task for task in tasks}
            by_key = {f.key: t for f, t in futures.items()}
            for future in dask_completed(list(futures)):
                task = by_key[future.key]
                try:
                    yield task, future.result()
                except Exception as exc:  # a worker died, a task raised
                    yield task, exc
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def make_executor(name: str, jobs: int, scheduler: str | None = None) -> Executor:
    """The executor for ``--executor NAME --jobs N [--scheduler ADDRESS]``."""
    if name == "dask":
        return DaskExecutor(jobs, scheduler)
    if name != "local":
        raise ExecutorError(f"unknown executor {name!r} (known: {', '.join(EXECUTORS)})")
    if scheduler:
        raise ExecutorError("--scheduler is for --executor dask")
    return SerialExecutor() if jobs <= 1 else PoolExecutor(jobs)
