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
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 200
"""At least this many files are shared out; fewer are quicker in-process (a pool costs
~50 ms to start)."""

MAX_WORKERS = 4

BATCH = 16
"""Results a worker sends back in one message."""


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
    and then the caller does the work itself. Results must pickle; an exception raised
    by ``fn`` is raised here.

    Worker ``w`` of ``n`` takes items ``w, w+n, w+2n, ...`` (the files are alike, so the
    shares are even); the items reach it by the fork, and it sends its results back on
    its own pipe, a batch at a time. There is no task queue and no handler thread, so
    nothing can block the stop: Ctrl-C reaches this process only (the workers ignore
    it), the workers are stopped with SIGTERM (their cleanup runs) or killed if they do
    not end, and the command ends at once with no worker left behind. (A worker that
    dies is reported, not waited for. multiprocessing.Pool could hang on a stop: its
    terminate() joins a thread stuck writing tasks into a pipe no worker reads.)"""
    workers = worker_count(len(items))
    if not workers:
        return None
    context = multiprocessing.get_context("fork")
    shares = [range(w, len(items), workers) for w in range(workers)]
    processes: list[multiprocessing.process.BaseProcess] = []
    pending: dict[Connection, range] = {}  # each worker's pipe, and its share of the items
    owner: dict[Connection, multiprocessing.process.BaseProcess] = {}
    # Ctrl-C held back while the workers are forked, so that none gets it before it has
    # set itself to ignore it; this process gets it as soon as they are started.
    interrupt = {signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, interrupt)
    try:
        for share in shares:
            reader, writer = context.Pipe(duplex=False)
            worker = context.Process(
                target=_work,
                args=(writer, fn, items, share, initializer, initargs),
                daemon=True,
            )
            worker.start()
            writer.close()
            processes.append(worker)
            pending[reader] = share
            owner[reader] = worker
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, interrupt)
    results: list[Any] = [None] * len(items)
    received = dict.fromkeys(pending, 0)  # how much of each worker's share has come back
    try:
        while pending:
            for ready in wait(list(pending)):
                assert isinstance(ready, Connection)
                share = pending[ready]
                try:
                    outcome, payload = ready.recv()
                except EOFError:
                    dead = owner[ready]
                    dead.join(5)
                    raise RuntimeError(
                        f"a worker process ended unexpectedly (exit code {dead.exitcode})"
                    ) from None
                if outcome == "error":
                    raise payload
                if outcome == "done":
                    del pending[ready]
                    ready.close()
                    continue
                start = received[ready]
                for index, result in zip(share[start : start + len(payload)], payload, strict=True):
                    results[index] = result
                received[ready] = start + len(payload)
    except BaseException:
        _stop(processes)
        raise
    finally:
        for reader in pending:
            reader.close()
    for process in processes:
        process.join()
    return results


def _work(
    writer: Connection,
    fn: Callable[[T], R],
    items: Sequence[T],
    share: range,
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
) -> None:
    """One worker: its share of ``items`` through ``fn``, sent back in batches as they
    are done (so that this process unpacks them while the workers go on)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # forked with it held back
    signal.signal(signal.SIGTERM, _exit_on_term)
    try:
        try:
            if initializer is not None:
                initializer(*initargs)
            for start in range(0, len(share), BATCH):
                writer.send(("part", [fn(items[i]) for i in share[start : start + BATCH]]))
            writer.send(("done", None))
        except Exception as exc:  # sent to the parent, which raises it
            try:
                writer.send(("error", exc))
            except Exception:  # the exception does not pickle
                writer.send(("error", RuntimeError(f"a worker failed: {exc!r}")))
    finally:
        writer.close()


def _stop(processes: list[multiprocessing.process.BaseProcess]) -> None:
    """SIGTERM every worker (each one's ``finally`` blocks run), then SIGKILL the ones
    that have not ended within a second."""
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + 1.0
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()


def _exit_on_term(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds, so `finally` blocks run
