"""Whole folders of documents, in parallel: one per-document function, several executors.

>>> tasks, errors = plan_tasks([Path("vault")], Settings("check"))
>>> batch = run_tasks(tasks, Settings("check"), make_executor("local", jobs=2))

Modules: :mod:`~tether.batch.document` (the unit of work, :func:`process_document`, and the
resume keys), :mod:`~tether.batch.executors` (serial, process pool, Dask),
:mod:`~tether.batch.jsonl` (``--jsonl`` lines and ``--resume``), :mod:`~tether.batch.run`
(tasks → outcomes in a stable order), :mod:`~tether.batch.report` (the final reports and exit
codes), :mod:`~tether.batch.command` (what the ``check`` / ``repair`` / ``migrate`` commands
run and print).
"""

from tether.batch.command import run_command
from tether.batch.document import DocumentOutcome, DocumentTask, Settings, process_document
from tether.batch.executors import ExecutorError, make_executor
from tether.batch.run import BatchRun, plan_tasks, run_tasks

__all__ = [
    "BatchRun",
    "DocumentOutcome",
    "DocumentTask",
    "ExecutorError",
    "Settings",
    "make_executor",
    "plan_tasks",
    "process_document",
    "run_command",
    "run_tasks",
]
