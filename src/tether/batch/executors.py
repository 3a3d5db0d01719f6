"""Where documents are processed: in this process, in a process pool, or on a Dask cluster.

Every executor has one method, :meth:`Executor.map_unordered`: apply a picklable top-level
function to each task and yield ``(task, result)`` pairs **in completion order** (callers sort;
see :mod:`tether.batch.run`). A task whose function raised (a worker killed, a bug that escaped
:func:`~tether.batch.document.process_document`) is yielded with the exception as its result,
so one document never stops the others.

- :class:`SerialExecutor`: a plain loop (``--jobs 1``; no pickling).
- :class:`PoolExecutor`: :class:`concurrent.futures.ProcessPoolExecutor` with the *spawn*
  start method (no forked copies of PyMuPDF's state; the same on every platform); each worker
  imports PyMuPDF lean once (:mod:`tether.textmodel.pymupdf_lean`).
- :class:`DaskExecutor`: ``distributed.Client.submit`` / ``as_completed`` on the cluster at
  ``scheduler`` (an address), else on a :class:`distributed.LocalCluster` of ``jobs`` worker
  processes with one thread each. Needs ``pip install "tether[dask]"``; the workers must see
  the same files at the same paths (a shared file system) and have tether installed.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
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
    from tether.textmodel.pymupdf_lean import import_pymupdf_lean

    import_pymupdf_lean()


class PoolExecutor:
    """``jobs`` spawned worker processes on this machine."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]
                      ) -> Iterator[tuple[T, R | BaseException]]:
        if len(tasks) <= 1:  # starting a worker would cost more than the one task
            yield from SerialExecutor().map_unordered(fn, tasks)
            return
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(self.jobs, len(tasks)), mp_context=context,
                                 initializer=_init_worker) as pool:
            futures = {pool.submit(fn, task): task for task in tasks}
            try:
                for future in as_completed(futures):
                    exc = future.exception()
                    yield futures[future], exc if exc is not None else future.result()
            finally:  # interrupted: drop what has not started
                for future in futures:
                    future.cancel()


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
