"""Adopt and end what a sandbox leaves behind where no PID namespace (bubblewrap) does.

A scene that forks, calls setsid() and lets its parent exit leaves the job's process group, so
killing that group misses it, and the orphan is re-parented to the nearest child subreaper.
Marked as one (prctl), this process adopts such orphans instead of init, and `reap_inherited`
kills and waits for them:
- without root there is no per-job uid to find them by, so it ends every adopted child: a
  child of this process that it neither launched as a sandbox nor started in its own process
  group (the ordinary subprocesses of the app);
- as root the per-job uid finds them (sandbox.reap_uid kills them), but a killed orphan stays
  a zombie holding that uid until its parent waits for it, and init may never do so; so it
  ends only the children running as the finished job's uid. Any other uid is root's own
  subprocess (which may have a session of its own) or another job's, still running.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

PR_SET_CHILD_SUBREAPER = 36

_lock = threading.Lock()
_launched: set[int] = set()
_subreaper_pid: int | None = None  # the process that made itself a subreaper (not a fork)


def become_subreaper() -> bool:
    """Make this process adopt its descendants' orphans; False where the kernel cannot."""
    global _subreaper_pid
    with _lock:
        if _subreaper_pid == os.getpid():
            return True
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
            log.warning("cannot become a child subreaper (errno %d)", ctypes.get_errno())
            return False
        _subreaper_pid = os.getpid()
        return True


@contextmanager
def launching() -> Iterator[Callable[[subprocess.Popen[bytes]], None]]:
    """Start a sandbox inside this block and register it, so a concurrent reaper never
    mistakes it (a child in a new session) for an orphan; forget it with `finished`."""
    with _lock:
        yield lambda proc: _launched.add(proc.pid)


def finished(pid: int) -> None:
    with _lock:
        _launched.discard(pid)


def _children() -> Iterator[tuple[int, int]]:
    """(pid, process group) of this process's children, from /proc."""
    me = os.getpid()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
                fields = stat.read().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == me:
            yield int(entry.name), int(fields[2])


def _uids(pid: int) -> set[int]:
    """The real, effective, saved and file-system uids of `pid`, a zombie's too."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("Uid:"):
                    return {int(uid) for uid in line.split()[1:]}
    except (OSError, ValueError):
        pass
    return set()


def _adopted(uid: int | None) -> list[int]:
    """The children `reap_inherited` ends (see the module's docstring); call under _lock."""
    own_group = os.getpgrp()
    return [
        pid
        for pid, group in _children()
        if pid not in _launched and (group != own_group if uid is None else uid in _uids(pid))
    ]


def reap_inherited(uid: int | None = None, deadline_s: float = 5.0) -> int:
    """SIGKILL and wait for every adopted orphan (and what it forks meanwhile); the count.

    With `uid` (as root, the finished job's), only the children running as that uid.
    """
    if _subreaper_pid != os.getpid():
        return 0
    reaped = 0
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        with _lock:
            adopted = _adopted(uid)
            for pid in adopted:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    continue
        if not adopted:
            break
        for pid in adopted:
            try:
                os.waitpid(pid, 0)
                reaped += 1
            except ChildProcessError:
                continue
    if reaped:
        log.warning("ended %d process(es) a sandbox left behind", reaped)
    return reaped
