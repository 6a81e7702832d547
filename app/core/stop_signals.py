"""Keep stop signals (SIGTERM, SIGINT) for the main thread.

Python runs signal handlers only in the main thread, but the kernel hands a signal sent to a
process to any thread that does not block it. A worker idles in a blocking Redis call for
minutes; a stop signal taken by a helper thread would wait that long for its handler. So
long-lived helper threads are started with the stop signals blocked (a thread inherits the
mask of the thread that starts it), and processes they start get them back.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

STOP_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT})


@contextmanager
def blocked() -> Iterator[None]:
    """Block the stop signals in this thread meanwhile (threads started here keep them so)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def unblock() -> None:
    """Receive the stop signals again (in a child process started by a blocking thread)."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
