"""Warm render pool: sandboxes that imported Manim once and fork a child per job.

A cold render pays for bubblewrap, a new interpreter and the ~1.5 s Manim import. A warm
sandbox is the same bubblewrap sandbox (no network, read-only system, own PID namespace,
die-with-parent, the job folder bound at /job and its tmp/ at /tmp), started ahead of time
with sandbox_entry.py in zygote mode. For each job the zygote forks a child that turns into
exactly what the cold path runs (per-job uid, hard rlimits, memory cgroup, Landlock,
seccomp) before it reads the scene. The zygote itself never runs scene code, so every job
starts from the same clean state; the supervisor empties /job and reaps the job's uid after
each job, and a zygote that looks disturbed in any way is thrown away, never reused.

Warm sandboxes need what the cold path's strongest mode needs (root and bubblewrap); where
that is missing, renders simply go cold. They are only worth their start-up in a long-lived
process, so a process opts in by calling `prewarm()` (workers and the app do; a one-shot
`chalk render` does not, and renders cold).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import queue
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path

from app.core import cgroup, sandbox, stop_signals, tex_format
from app.core.tex_format import TexFormat, keep_glyphs
from app.settings import Settings

log = logging.getLogger(__name__)

SPAWN_TIMEOUT_S = 60
ADMIT_TIMEOUT_S = 10  # the forked child must show up as the job's uid within this
EXIT_GRACE_S = 10  # after a kill, how long the zygote gets to report the child's exit
MAX_IDLE = 4  # warm sandboxes kept per process (each holds an imported Manim, ~200 MB)
# Above any message the socket can carry (its send buffer, ~208 KB): none is cut short. The
# largest is `ready` with the typeset glyphs, about 20 KB.
MESSAGE_BYTES = 1 << 20


class ZygoteError(RuntimeError):
    """A warm sandbox failed; the render falls back to (or retries) the cold path."""


def warm_available(settings: Settings) -> bool:
    """Whether renders may use warm sandboxes here (root + bubblewrap, and not turned off)."""
    return (
        settings.warm_pool
        and settings.sandbox_mode != "process"
        and os.geteuid() == 0
        and sandbox.bwrap_available()
    )


class Zygote:
    """One warm bubblewrap sandbox; serves one job at a time."""

    def __init__(self, work_root: Path, tex_format: TexFormat | None = None) -> None:
        self.work_root = work_root
        # The preloaded LaTeX format bound into this sandbox (read-only) for its whole life.
        self.tex_format = tex_format
        self.root = work_root / f"warm-{uuid.uuid4().hex}"
        self.job_dir = self.root / "job"
        self.root.mkdir(mode=0o700, parents=True)
        self.job_dir.mkdir(mode=0o700)
        (self.job_dir / sandbox.JOB_TMP).mkdir(mode=0o700)
        # The bind mounts refer to these inodes; if they ever change, the zygote is retired.
        self._inodes = self._current_inodes()
        self.control, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.jobs = 0
        self.dead = False
        self.typeset_glyphs = 0  # glyphs it typeset itself (none when kept ones were found)
        command = sandbox.bwrap_command(self.job_dir, as_root=True, tex_format=tex_format)
        # bubblewrap creates mount points for binds under /tmp (a venv in /tmp, say) inside
        # the job's tmp/ folder; they must stay between jobs, and be all that stays.
        self._skeleton = {sandbox.JOB_TMP} | _mount_points_under_tmp(command)
        command += [sys.executable, "-I", sandbox.SANDBOX_ENTRY_PATH, "--zygote"]
        command.append(str(child_end.fileno()))
        if tex_format is not None:  # the zygote typesets common glyphs with it
            command.append(json.dumps(sandbox.tex_format_for_job(tex_format, self.job_dir, True)))
        with open(self.root / "zygote.log", "wb") as zygote_log:
            try:
                self.process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=zygote_log,
                    stderr=zygote_log,
                    env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                    start_new_session=True,
                    pass_fds=(child_end.fileno(),),
                    # Started by the spawner thread, which blocks them (see _spawn).
                    preexec_fn=stop_signals.unblock,
                )
            finally:
                child_end.close()
        try:
            ready = self._receive(SPAWN_TIMEOUT_S)
            if ready is None or ready.get("event") != "ready":
                raise ZygoteError(f"the warm sandbox did not start: {ready} {self.log_tail()}")
            if not self._is_clean():  # the warm-up must leave /job exactly as it found it
                raise ZygoteError("the warm sandbox's warm-up left files in /job")
            # Typeset before its first job (none has run in it yet): kept for the next one.
            glyphs = ready.get("glyphs")
            self.typeset_glyphs = len(glyphs) if isinstance(glyphs, dict) else 0
            if tex_format is not None:
                keep_glyphs(tex_format, glyphs)
        except BaseException:
            self.close()
            raise

    def serves(self, work_root: Path, tex_format: TexFormat | None) -> bool:
        """Whether this sandbox is the one for jobs under `work_root` with `tex_format`."""
        return self.work_root == work_root and self.tex_format == tex_format

    def _current_inodes(self) -> tuple[int, int]:
        return (self.job_dir.stat().st_ino, (self.job_dir / sandbox.JOB_TMP).stat().st_ino)

    def _receive(self, timeout: float | None) -> dict[str, object] | None:
        """The zygote's next message; None when `timeout` passes first."""
        ready, _, _ = select.select([self.control], [], [], timeout)
        if not ready:
            return None
        try:
            data = self.control.recv(MESSAGE_BYTES)
        except OSError as exc:
            raise ZygoteError(f"the warm sandbox's channel broke: {exc}") from exc
        if not data:
            raise ZygoteError(f"the warm sandbox exited: {self.log_tail()}")
        message = json.loads(data)
        if not isinstance(message, dict):
            raise ZygoteError("malformed message from the warm sandbox")
        return message

    def log_tail(self) -> str:
        try:
            return (self.root / "zygote.log").read_bytes()[-2000:].decode(errors="replace")
        except OSError:
            return ""

    def alive(self) -> bool:
        return not self.dead and self.process.poll() is None

    def start(
        self,
        spec: dict[str, object],
        fds: tuple[int, int],
        uid: int,
        group: cgroup.JobCgroup | None,
    ) -> WarmProcess:
        """Fork a child for one job (the sandbox.Launcher protocol).

        The child drops to `uid` and waits; it is moved into the job's memory cgroup from
        here and only then told to go on and confine itself and read the scene.
        """
        self.jobs += 1
        go_r, go_w = os.pipe()
        try:
            socket.send_fds(self.control, [json.dumps(spec).encode()], [*fds, go_r])
        except OSError as exc:
            self.dead = True
            raise ZygoteError(f"could not hand the job to the warm sandbox: {exc}") from exc
        finally:
            os.close(go_r)
        child = WarmProcess(self, uid)
        try:
            pids = self._wait_for_uid(uid)
            if group is not None:
                for pid in pids:
                    with open(group.procs_file, "w") as procs:
                        procs.write(pid)
            os.write(go_w, b"g")
        except BaseException:
            child.kill()
            raise
        finally:
            os.close(go_w)
        return child

    def _wait_for_uid(self, uid: int) -> list[str]:
        deadline = time.monotonic() + ADMIT_TIMEOUT_S
        while time.monotonic() < deadline:
            pids = sandbox.uid_pids(uid)
            if pids:
                return pids
            if not self.alive():
                break
            time.sleep(0.002)
        self.dead = True
        raise ZygoteError(f"the warm sandbox's job never started: {self.log_tail()}")

    def reset(self) -> bool:
        """Empty /job for the next job; False when this zygote must not be reused."""
        try:
            if not self.alive() or self._current_inodes() != self._inodes:
                return False
            self._clear(self.job_dir, "")
            for folder in (self.job_dir, self.job_dir / sandbox.JOB_TMP):
                os.chown(folder, 0, 0)
                os.chmod(folder, 0o700)
            return self._is_clean()
        except OSError:
            log.warning("could not reset a warm sandbox; retiring it", exc_info=True)
            return False

    def _clear(self, folder: Path, relative: str) -> None:
        """Remove everything under `folder` except the skeleton of mount points."""
        for entry in os.scandir(folder):
            path = f"{relative}/{entry.name}" if relative else entry.name
            if path in self._skeleton and entry.is_dir(follow_symlinks=False):
                self._clear(Path(entry.path), path)
            elif entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)

    def _is_clean(self) -> bool:
        """Nothing in /job but the skeleton (empty tmp/ and its mount points)."""
        found = set()
        for folder, dirs, files in os.walk(self.job_dir):
            if files:
                return False
            base = Path(folder).relative_to(self.job_dir)
            found |= {str(base / name) for name in dirs}
        return found <= self._skeleton and sandbox.JOB_TMP in found

    def close(self) -> None:
        self.dead = True
        try:
            self.control.close()  # the zygote sees EOF and exits
        except OSError:
            pass
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.process.pid, 9)
            except ProcessLookupError:
                pass
            self.process.wait()
        except AttributeError:
            pass  # failed before the process existed
        shutil.rmtree(self.root, ignore_errors=True)


def _mount_points_under_tmp(command: list[str]) -> set[str]:
    """Relative paths (under the job folder) of the directories bubblewrap creates in tmp/."""
    targets = [
        command[i + 2] if option in ("--ro-bind", "--bind") else command[i + 1]
        for i, option in enumerate(command[:-1])
        if option in ("--ro-bind", "--bind", "--dir")
    ]
    points: set[str] = set()
    for target in targets:
        if target.startswith("/tmp/"):
            parts = Path(target).relative_to("/tmp").parts
            points |= {str(Path(sandbox.JOB_TMP, *parts[:n])) for n in range(1, len(parts) + 1)}
    return points


class WarmProcess:
    """A job's child inside a zygote, as seen by the supervisor (sandbox.Handle protocol)."""

    def __init__(self, zygote: Zygote, uid: int) -> None:
        self.zygote = zygote
        self.uid = uid
        self.returncode: int | None = None
        # True when the warm sandbox itself died under the job (not the job's own doing).
        self.lost = False

    def poll(self) -> int | None:
        return self.wait(0)

    def wait(self, timeout: float | None) -> int | None:
        if self.returncode is not None:
            return self.returncode
        try:
            message = self.zygote._receive(timeout)
        except (ZygoteError, ValueError):
            # The zygote itself is gone: so is its PID namespace and the child with it.
            self.zygote.dead = self.lost = True
            self.returncode = -9
            return self.returncode
        if message is None:
            return None
        returncode = message.get("returncode")
        if message.get("event") == "exit" and isinstance(returncode, int):
            self.returncode = returncode
        else:
            self.zygote.dead = self.lost = True
            self.returncode = -9
        return self.returncode

    def kill(self) -> None:
        sandbox.reap_uid(self.uid)
        if self.wait(EXIT_GRACE_S) is None:
            log.error("a warm sandbox did not report its killed job; retiring it")
            self.zygote.close()
            self.returncode = -9


class WarmPool:
    """The warm sandboxes of this process, reused job after job."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[Zygote] = []
        self._requests: queue.Queue[tuple[Path, TexFormat | None, Future[Zygote]]] = queue.Queue()
        self._spawner: threading.Thread | None = None
        # Set by prewarm(): this process lives long enough for warm sandboxes to pay off.
        self.enabled = False

    def _spawn(self, work_root: Path, preloaded: TexFormat | None) -> Zygote:
        # bubblewrap's --die-with-parent follows the *thread* that started it, so every
        # zygote is started by one thread that lives as long as the process.
        with self._lock:
            if self._spawner is None or not self._spawner.is_alive():
                self._spawner = threading.Thread(
                    target=self._serve_spawns, name="chalk-warm-spawner", daemon=True
                )
                with stop_signals.blocked():  # they are for the main thread
                    self._spawner.start()
        future: Future[Zygote] = Future()
        self._requests.put((work_root, preloaded, future))
        return future.result(timeout=SPAWN_TIMEOUT_S + 10)

    def _serve_spawns(self) -> None:
        while True:
            work_root, preloaded, future = self._requests.get()
            try:
                future.set_result(Zygote(work_root, preloaded))
            except BaseException as exc:
                future.set_exception(exc)

    def _take_idle(self, work_root: Path, preloaded: TexFormat | None) -> Zygote | None:
        found, stale = None, []
        with self._lock:
            for zygote in list(self._idle):
                self._idle.remove(zygote)
                if zygote.serves(work_root, preloaded) and zygote.alive():
                    found = zygote
                    break
                stale.append(zygote)
        for zygote in stale:  # closing waits for the process; not while holding the lock
            zygote.close()
        return found

    def _give_back(self, zygote: Zygote) -> None:
        retired: list[Zygote] = []
        with self._lock:
            self._idle.append(zygote)
            while len(self._idle) > MAX_IDLE:
                retired.append(self._idle.pop(0))
        for old in retired:
            old.close()

    @contextmanager
    def lease(self, settings: Settings) -> Iterator[Zygote | None]:
        """A warm sandbox for one job, or None (render cold) where there is none to be had."""
        if not self.enabled or not warm_available(settings):
            yield None
            return
        work_root = settings.work_root
        preloaded = tex_format.ensure(settings.data_dir)
        zygote = self._take_idle(work_root, preloaded)
        if zygote is None:
            try:
                work_root.mkdir(parents=True, exist_ok=True)
                zygote = self._spawn(work_root, preloaded)
            except Exception:
                log.warning("could not start a warm sandbox; rendering cold", exc_info=True)
                yield None
                return
        try:
            yield zygote
        finally:
            if zygote.reset():
                self._give_back(zygote)
            else:
                zygote.close()

    def prewarm(self, settings: Settings, count: int = 1) -> int:
        """Start up to `count` idle warm sandboxes now; returns how many are idle.

        From then on, renders in this process use warm sandboxes (starting more on demand).
        """
        if not warm_available(settings):
            return 0
        self.enabled = True
        settings.work_root.mkdir(parents=True, exist_ok=True)
        preloaded = tex_format.ensure(settings.data_dir)
        with self._lock:
            have = sum(1 for z in self._idle if z.serves(settings.work_root, preloaded))
        for _ in range(max(0, min(count, MAX_IDLE) - have)):
            try:
                self._give_back(self._spawn(settings.work_root, preloaded))
            except Exception:
                log.warning("could not start a warm sandbox", exc_info=True)
                break
        with self._lock:
            return sum(1 for z in self._idle if z.serves(settings.work_root, preloaded))

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for zygote in idle:
            zygote.close()

    def forget(self) -> None:
        """After fork: the parent's zygotes are not ours to use or close."""
        self._idle = []
        self._lock = threading.Lock()
        self._requests = queue.Queue()
        self._spawner = None
        self.enabled = False


POOL = WarmPool()
atexit.register(POOL.close)
os.register_at_fork(after_in_child=POOL.forget)


def prewarm(settings: Settings, count: int = 1) -> int:
    """Start the warm sandboxes this process will render in (called at worker start)."""
    return POOL.prewarm(settings, count)
