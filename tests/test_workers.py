"""The worker processes behind validate, compare, history and network over many files:
results in order, a failing item or a dead worker reported rather than waited on, and
Ctrl-C stopping every worker at once (each one's cleanup still running)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from readiness import workers

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers need fork (POSIX)"
)


@pytest.fixture(autouse=True)
def two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)


def square(n: int) -> int:
    return n * n


def fails_on_seven(n: int) -> int:
    if n == 7:
        raise ValueError("item 7 is bad")
    return n


def dies_on_seven(n: int) -> int:
    if n == 7:
        os._exit(3)  # as a worker killed by the OOM killer would end
    return n


def test_results_come_back_in_the_order_of_the_items() -> None:
    items = list(range(1001))
    assert workers.worker_count(len(items)) == 2
    assert workers.map_in_workers(square, items) == [n * n for n in items]
    assert multiprocessing.active_children() == []


def test_too_few_items_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "PARALLEL_FROM", 200)
    assert workers.map_in_workers(square, list(range(199))) is None


def test_an_exception_in_a_worker_is_raised_here_and_no_worker_is_left() -> None:
    with pytest.raises(ValueError, match="item 7 is bad"):
        workers.map_in_workers(fails_on_seven, list(range(50)))
    assert multiprocessing.active_children() == []


def test_a_worker_that_dies_is_reported_not_waited_for() -> None:
    started = time.monotonic()
    with pytest.raises(RuntimeError, match=r"ended unexpectedly \(exit code 3\)"):
        workers.map_in_workers(dies_on_seven, list(range(50)))
    assert time.monotonic() - started < 10
    assert multiprocessing.active_children() == []


@pytest.fixture
def interrupt_after() -> Iterator[None]:
    """Ctrl-C (as KeyboardInterrupt) in this process 0.5 s from now."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class SlowWithCleanup:
    """Each item makes a scratch file, works for a long time, and removes the file in a
    `finally`: what a worker writing the cache does."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(self, n: int) -> int:
        scratch = self.folder / f"{os.getpid()}-{n}.tmp"
        scratch.write_text("partial", encoding="utf-8")
        try:
            time.sleep(60)
        finally:
            scratch.unlink()
        return n


def test_ctrl_c_stops_every_worker_at_once_and_their_cleanup_runs(
    tmp_path: Path, interrupt_after: None
) -> None:
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        workers.map_in_workers(SlowWithCleanup(tmp_path), list(range(400)))
    assert time.monotonic() - started < 10  # not the 60 s an item takes
    assert multiprocessing.active_children() == []
    assert list(tmp_path.iterdir()) == []  # each worker removed its scratch file


def test_ctrl_c_is_ignored_by_the_workers_themselves(tmp_path: Path) -> None:
    # A terminal's Ctrl-C goes to the whole process group: the workers must leave the
    # stopping to this process, so that they end cleanly and together.
    def interrupt_group_then_stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt_group_then_stop)
    children_before = set()

    def send_sigint_to_workers(signum: int, frame: object) -> None:
        for child in multiprocessing.active_children():
            children_before.add(child.pid)
            os.kill(child.pid or 0, signal.SIGINT)
        signal.signal(signal.SIGALRM, interrupt_group_then_stop)
        signal.setitimer(signal.ITIMER_REAL, 0.5)

    signal.signal(signal.SIGALRM, send_sigint_to_workers)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(KeyboardInterrupt):
            workers.map_in_workers(SlowWithCleanup(tmp_path), list(range(400)))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert len(children_before) == 2  # both were alive after their own SIGINT
    assert list(tmp_path.iterdir()) == []


def test_output_written_before_the_workers_start_is_not_written_twice() -> None:
    # stdout to a pipe is block-buffered; a forked worker flushes its copy of the buffer
    # as it ends, unless the buffer was emptied before the fork (multiprocessing does so).
    code = (
        "import sys, os\n"
        "from readiness import workers\n"
        "workers.PARALLEL_FROM = 2\n"
        "os.cpu_count = lambda: 2\n"
        "sys.stdout.write('before the workers\\n')\n"
        "print(sum(workers.map_in_workers(abs, list(range(10)))))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "before the workers\n45\n"
