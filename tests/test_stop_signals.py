"""Stop signals stay with the main thread: helper threads started while they are blocked keep
them blocked, and processes those threads start get them back."""

from __future__ import annotations

import signal
import subprocess
import threading

from app.core import stop_signals


def blocked_in(status: str) -> set[int]:
    """The signals a /proc/<pid>/status text says are blocked."""
    mask = int(
        next(line for line in status.splitlines() if line.startswith("SigBlk:")).split()[1], 16
    )
    return {sig for sig in range(1, 65) if mask & (1 << (sig - 1))}


def test_a_thread_started_while_blocked_leaves_stop_signals_to_the_main_thread():
    seen: dict[str, set[int]] = {}

    def helper() -> None:
        seen["helper"] = set(signal.pthread_sigmask(signal.SIG_BLOCK, []))

    with stop_signals.blocked():
        thread = threading.Thread(target=helper)
        thread.start()
    thread.join()
    assert {signal.SIGTERM, signal.SIGINT} <= seen["helper"]
    main = set(signal.pthread_sigmask(signal.SIG_BLOCK, []))
    assert not main & {signal.SIGTERM, signal.SIGINT}


def test_a_process_started_from_a_blocking_thread_gets_the_stop_signals_back():
    with stop_signals.blocked():
        plain = subprocess.run(["cat", "/proc/self/status"], capture_output=True, text=True)
        restored = subprocess.run(
            ["cat", "/proc/self/status"],
            capture_output=True,
            text=True,
            preexec_fn=stop_signals.unblock,
        )
    assert {signal.SIGTERM, signal.SIGINT} <= blocked_in(plain.stdout)
    assert not blocked_in(restored.stdout) & {signal.SIGTERM, signal.SIGINT}
