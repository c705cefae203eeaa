"""Spread CPU-bound work on many files over one worker process per core.

Reading a new assessment file is CPU-bound (TOML parse and checks, ~4 ms for 300 answers),
so commands over hundreds of files (``validate``, ``compare``, ``history``, ``network``) hand
the files to forked workers. Plain Python, no UI import.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence
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
    and then the caller does the work itself. ``fn`` and its results must pickle.

    Ctrl-C reaches this process only: the workers ignore it and are stopped here, so the
    command ends at once, with one message and no worker left behind."""
    workers = worker_count(len(items))
    if not workers:
        return None
    context = multiprocessing.get_context("fork")
    # Ctrl-C held back while the workers are forked, so that none gets it before it has
    # set itself to ignore it; this process gets it as soon as they are started.
    interrupt = {signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, interrupt)
    try:
        pool = context.Pool(workers, _start_worker, (initializer, initargs))
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, interrupt)
    try:
        results = pool.map(fn, items, chunksize=max(1, len(items) // (workers * 8)))
    except BaseException:
        pool.terminate()  # SIGTERM: each worker's cleanup (temporary files) still runs
        pool.join()
        raise
    pool.close()
    pool.join()
    return results


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # forked with it held back
    signal.signal(signal.SIGTERM, _exit_on_term)
    if initializer is not None:
        initializer(*initargs)


def _exit_on_term(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds, so `finally` blocks run
