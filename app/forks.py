"""Forks that wait until the process's background threads are between two units of work.

fork() copies every lock of the process but only the thread that forks. A child forked while
another thread was inside SQLite (or libpq, or OpenSSL) inherits that library's lock, held by a
thread the child does not have, and hangs at its first query: 70 of 100 such forks did in a
test. `chalk worker` forks its RQ workers (and a new one when one dies) while its metrics
server and webhook dispatcher threads query the database; that is how the workers of a
launcher that was being scraped at start-up hung before they registered.

Background threads of a process that forks do each unit of work inside `quiet()`, and every
os.fork() (RQ's pool forks through multiprocessing, which calls it) waits until no thread is
inside one. subprocess does not fork through os.fork and is not held up.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_guard = threading.RLock()


@contextmanager
def quiet() -> Iterator[None]:
    """A unit of background work no fork may cut through (forks wait for it to end)."""
    with _guard:
        yield


def _before_fork() -> None:
    _guard.acquire()


def _after_fork_in_parent() -> None:
    _guard.release()


def _after_fork_in_child() -> None:
    # The copy is held by this (the forking) thread; the child starts with a free one.
    global _guard
    _guard = threading.RLock()


os.register_at_fork(
    before=_before_fork,
    after_in_parent=_after_fork_in_parent,
    after_in_child=_after_fork_in_child,
)
