"""A per-job memory cgroup: one hard limit for all of a render's processes together.

RLIMIT_AS is per process, so a scene that starts several interpreters can use many times its
limit. Where the supervisor may create cgroups (root on a host with the v1 memory controller
or cgroup v2 with `memory` enabled), each job gets its own, and the kernel stops the job at
the limit. Elsewhere the supervisor's sampling watchdog (sandbox.py) is the fallback.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")


@dataclass(frozen=True)
class JobCgroup:
    path: Path
    version: int  # 1 or 2

    @property
    def procs_file(self) -> str:
        return str(self.path / "cgroup.procs")

    def oom_killed(self) -> bool:
        """Whether the kernel had to stop the job at its memory limit."""
        try:
            if self.version == 2:
                events = (self.path / "memory.events").read_text().split()
                counts = dict(zip(events[::2], events[1::2], strict=False))
                return int(counts.get("oom_kill", "0")) > 0
            control = (self.path / "memory.oom_control").read_text().split()
            counts = dict(zip(control[::2], control[1::2], strict=False))
            return int(counts.get("oom_kill", "0")) > 0
        except (OSError, ValueError):
            return False

    def remove(self) -> None:
        # The reaper has killed the job; the kernel may take a moment to release the group.
        for _ in range(50):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.02)


def _v2_parent() -> Path | None:
    controllers = ROOT / "cgroup.controllers"
    subtree = ROOT / "cgroup.subtree_control"
    try:
        if "memory" in controllers.read_text().split() and "memory" in subtree.read_text().split():
            return ROOT
    except OSError:
        return None
    return None


def create(memory_bytes: int) -> JobCgroup | None:
    """A fresh memory cgroup limited to `memory_bytes`, or None where that is not possible."""
    if os.geteuid() != 0:
        return None
    name = f"chalk-job-{secrets.token_hex(8)}"
    try:
        parent = _v2_parent()
        if parent is not None:
            path = parent / name
            path.mkdir()
            (path / "memory.max").write_text(str(memory_bytes))
            if (path / "memory.swap.max").exists():
                (path / "memory.swap.max").write_text("0")
            return JobCgroup(path, 2)
        v1 = ROOT / "memory"
        if (v1 / "memory.limit_in_bytes").exists():
            path = v1 / name
            path.mkdir()
            (path / "memory.limit_in_bytes").write_text(str(memory_bytes))
            swap = path / "memory.memsw.limit_in_bytes"
            if swap.exists():
                swap.write_text(str(memory_bytes))
            return JobCgroup(path, 1)
    except OSError:
        return None
    return None


def join_in_child(procs_file: str) -> None:
    """Move the calling (freshly forked, not yet exec'd) process into the job's cgroup.

    Runs between fork and exec, so it uses only os-level calls and no locks.
    """
    fd = os.open(procs_file, os.O_WRONLY)
    try:
        os.write(fd, str(os.getpid()).encode())
    finally:
        os.close(fd)
