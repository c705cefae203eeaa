"""Spread CPU-bound work on many files over one worker process per core.

Reading a new assessment file is CPU-bound (TOML parse and checks, ~4 ms for 300 answers),
so commands over hundreds of files (``validate``, ``compare``, ``history``, ``network``) hand
the files to forked workers. Plain Python, no UI import.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 200
"""At least this many files are shared out; fewer are quicker in-process (a pool costs
~50 ms to start)."""

MAX_WORKERS = 4


def worker_count(items: int) -> int:
    """How many workers ``items`` files would get: 0 means "stay in this process"."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    # fork: workers start at once with everything imported. Only with no other thread
    # running (forking a threaded process can deadlock): the CLI, never the terminal UI.
    if (
        items < PARALLEL_FROM
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
        or threading.active_count() > 1
    ):
        return 0
    return workers


def map_in_workers(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> list[R] | None:
    """``[fn(x) for x in items]``, in order, computed by forked workers (each first runs
    ``initializer(*initargs)``); None when :func:`worker_count` says to stay in-process,
    and then the caller does the work itself. ``fn`` and its results must pickle."""
    workers = worker_count(len(items))
    if not workers:
        return None
    with ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=initializer,
        initargs=initargs,
    ) as pool:
        return list(pool.map(fn, items, chunksize=max(1, len(items) // (workers * 8))))
