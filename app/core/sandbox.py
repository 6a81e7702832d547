"""Run one render in the sandbox and own its lifetime.

Layers (each independent, so losing one on a host leaves the others):
- a separate process, never `exec` in this one, with a clean environment;
- bubblewrap where it works: no network, read-only system, only the job directory writable,
  own PID namespace, --die-with-parent, --new-session;
- a fresh unprivileged uid per job (when the supervisor is root), which makes RLIMIT_NPROC a
  per-job limit and lets the reaper find every process the job left, even setsid() survivors;
- hard rlimits (AS, CPU, NPROC, FSIZE, NOFILE, CORE=0) set before the scene is imported;
- this supervisor: wall-clock timeout, work-dir size cap and output-flood cap, then it kills
  the process group and reaps the job's uid. RQ may kill a work-horse's process group, but
  --new-session leaves that group, so the sandbox must never outlive its supervisor.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from app.core import cgroup, orphans
from app.core.tex_format import TexFormat

log = logging.getLogger(__name__)

ENTRY = Path(__file__).with_name("sandbox_entry.py")
SANDBOX_ENTRY_PATH = "/chalk/sandbox_entry.py"
# The modules sandbox_entry.py imports from beside itself, bound next to it in the sandbox.
ENTRY_MODULES = [
    Path(__file__).with_name(name)
    for name in (
        "confine.py",
        "layout_probe.py",
        "frame_probe.py",
        "flash_meter.py",
        "dvi_specials.py",
    )
]
SANDBOX_JOB_DIR = "/job"
# The preloaded LaTeX format (app/core/tex_format.py), bound read-only; Landlock lets the job
# read it as part of the entry's folder. In process mode a copy goes in the job dir instead.
SANDBOX_TEX_FORMAT_DIR = "/chalk/texfmt"
JOB_TEX_FORMAT_DIR = "texfmt"
# Ghostscript's files, moved out of the way under bubblewrap: dvisvgm then converts a formula
# without starting Ghostscript (a third of its time), and the entry hands the new place to
# the conversions that do need PostScript (app/core/dvi_specials.py).
GHOSTSCRIPT = Path("/usr/share/ghostscript")
SANDBOX_GHOSTSCRIPT_DIR = "/chalk/ghostscript"
JOB_TMP = "tmp"  # the job's temporary folder, inside its work dir
# Per-job uids come from a range no real account uses.
UID_BASE = 1_500_000_000
UID_SPAN = 100_000_000
POLL_S = 0.1
WATCH_EVERY_S = 0.5  # how often the work dir and the job's memory are measured
MIN_ENTRY_BYTES = 4096
# The protocol channel is for short status lines; anything bigger is an attack on the supervisor.
PROTOCOL_MAX_LINE = 64 * 1024
PROTOCOL_MAX_BYTES = 8 << 20
PROTOCOL_MAX_MESSAGES = 2000
PROTOCOL_EVENTS = frozenset(
    {
        "started",
        "measured",
        "too_long",
        "progress",
        "error",
        "done",
        "layout",
        "frame_checks",
        "narration",
        "narration_mark",
    }
)
# Environment variables that tune numerics on this host and carry no secret.
PASSTHROUGH_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot be built on this host as configured."""


@dataclass(frozen=True)
class Limits:
    wall_s: float
    memory_bytes: int
    cpu_s: int
    processes: int
    file_bytes: int
    open_files: int
    workdir_bytes: int
    log_bytes: int
    nice: int = 0  # the scene's niceness: higher yields the CPU to the pages and the API


@dataclass
class Outcome:
    """What happened to the sandboxed process; the caller interprets it."""

    returncode: int | None
    elapsed_s: float
    killed_for: str | None = None  # timeout | cancelled | workdir | output | memory | lost
    messages: list[dict[str, object]] = field(default_factory=list)
    log_tail: str = ""
    layers: list[str] = field(default_factory=list)


def clean_env(work: str) -> dict[str, str]:
    """The only environment the scene sees: no secrets, no CHALK_* values."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": work,
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        # TeX: no shell escape at all, and no reads or writes outside the job directory.
        "shell_escape": "f",
        "openout_any": "p",
        "openin_any": "r",
        "TEXMFVAR": f"{work}/.texmf-var",
        "TEXMFCONFIG": f"{work}/.texmf-config",
    }
    for name in PASSTHROUGH_ENV:
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _python_roots() -> list[str]:
    """Directories the sandbox needs to run this interpreter and its packages."""
    roots = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix)}
    # A venv's bin/python is a symlink into the base install; bind where it really lives.
    roots.add(os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))))
    return sorted(r for r in roots if not r.startswith("/usr"))


def _ancestor_dirs(paths: list[str]) -> list[str]:
    """Parents that bwrap would otherwise create mode 0700 (unreadable to the job's uid)."""
    seen: list[str] = []
    for path in paths:
        parts = Path(path).parts[1:-1]
        for i in range(1, len(parts) + 1):
            ancestor = "/" + "/".join(parts[:i])
            if ancestor not in seen:
                seen.append(ancestor)
    return seen


SYSTEM_READ_ONLY = (
    "/usr",
    "/etc/fonts",
    "/etc/texmf",
    "/var/lib/texmf",
    "/etc/ld.so.cache",
    "/etc/alternatives",
    "/etc/localtime",
)


def _system_read_paths() -> list[str]:
    paths = [p for p in SYSTEM_READ_ONLY if os.path.exists(p)] + _python_roots()
    return paths + [top for top in ("/bin", "/lib", "/lib64", "/sbin") if os.path.exists(top)]


def confine_paths(work: str, *, private_tmp: bool) -> dict[str, list[str]]:
    """What Landlock lets the scene touch; everything else on the host is denied."""
    read = _system_read_paths() + [os.path.dirname(SANDBOX_ENTRY_PATH), str(ENTRY.parent)]
    # Of /proc only this process's own entries and the machine facts libraries read: other
    # processes (their command lines, a listing of every pid) stay out of sight.
    read += ["/proc/self", "/proc/cpuinfo", "/proc/meminfo", "/proc/stat", "/dev"]
    write = [work] + (["/tmp"] if private_tmp else [])
    return {"read": read, "write": write, "write_files": ["/dev/null"]}


def bwrap_command(work: Path, as_root: bool, tex_format: TexFormat | None = None) -> list[str]:
    cmd = ["bwrap", "--die-with-parent", "--new-session", "--clearenv"]
    if as_root:
        # Privileged bwrap without a user namespace, keeping only what is needed to switch
        # to the per-job uid; the entry drops them (and everything else) before user code.
        cmd += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
        cmd += ["--unshare-cgroup-try", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        cmd += ["--unshare-all"]
    read_only = [p for p in SYSTEM_READ_ONLY if os.path.exists(p)] + _python_roots()
    for top in ("/bin", "/lib", "/lib64", "/sbin"):
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            read_only.append(top)
    # Mounts apply in order: /tmp first, so binds below it (a venv under /tmp) stay visible.
    # /tmp is the job's own tmp/ folder rather than a tmpfs: a tmpfs would be host memory that
    # no limit sees, while the work-dir cap covers this folder.
    cmd += ["--proc", "/proc", "--dev", "/dev", "--bind", str(work / JOB_TMP), "/tmp"]
    targets = read_only + [SANDBOX_ENTRY_PATH, SANDBOX_JOB_DIR]
    for ancestor in _ancestor_dirs(targets):
        if ancestor != "/tmp":  # already there, and must stay writable
            cmd += ["--perms", "0755", "--dir", ancestor]
    for path in read_only:
        cmd += ["--ro-bind", path, path]
    cmd += ["--bind", str(work), SANDBOX_JOB_DIR, "--chdir", SANDBOX_JOB_DIR]
    cmd += ["--ro-bind", str(ENTRY), SANDBOX_ENTRY_PATH]
    for module in ENTRY_MODULES:
        cmd += ["--ro-bind", str(module), f"{os.path.dirname(SANDBOX_ENTRY_PATH)}/{module.name}"]
    if tex_format is not None:
        # Shared by every job, so only ever read-only: a job cannot poison it for the next.
        cmd += ["--ro-bind", str(tex_format.folder), SANDBOX_TEX_FORMAT_DIR]
    ghostscript = ghostscript_env()
    if ghostscript is not None:
        cmd += ["--ro-bind", str(GHOSTSCRIPT), SANDBOX_GHOSTSCRIPT_DIR]
        cmd += ["--tmpfs", str(GHOSTSCRIPT), "--remount-ro", str(GHOSTSCRIPT)]
        for key, value in ghostscript.items():
            cmd += ["--setenv", f"CHALK_{key}", value]  # inert until the entry sets GS_*
    for key, value in clean_env(SANDBOX_JOB_DIR).items():
        cmd += ["--setenv", key, value]
    return cmd


@lru_cache(maxsize=1)
def ghostscript_env() -> dict[str, str] | None:
    """GS_LIB and GS_OPTIONS that let Ghostscript start from SANDBOX_GHOSTSCRIPT_DIR, or None
    where its files are not laid out as Debian's (one version folder, and colour profiles in
    that folder or elsewhere under /usr): the sandbox then leaves them where they are."""
    starts = list(GHOSTSCRIPT.glob("*/Resource/Init/gs_init.ps"))  # [] without Ghostscript
    if len(starts) != 1:
        return None
    version = starts[0].parents[2]
    profiles = os.path.realpath(version / "iccprofiles")
    if Path(profiles).is_relative_to(GHOSTSCRIPT):
        profiles = SANDBOX_GHOSTSCRIPT_DIR + profiles.removeprefix(str(GHOSTSCRIPT))
    elif not profiles.startswith("/usr/") or not os.path.isdir(profiles):
        return None
    moved = f"{SANDBOX_GHOSTSCRIPT_DIR}/{version.name}"
    search = [f"{moved}/Resource/Init", f"{moved}/lib", f"{moved}/Resource/Font"]
    search.append(f"{SANDBOX_GHOSTSCRIPT_DIR}/fonts")
    return {
        "GS_LIB": ":".join(search),
        "GS_OPTIONS": f"-sICCProfilesDir={profiles}/ -sGenericResourceDir={moved}/Resource/",
    }


@lru_cache(maxsize=1)
def bwrap_available() -> bool:
    """True when bubblewrap can build the sandbox on this host (checked once)."""
    if not shutil.which("bwrap"):
        return False
    with tempfile.TemporaryDirectory(prefix="chalk-bwrap-probe-") as probe:
        (Path(probe) / JOB_TMP).mkdir()
        cmd = bwrap_command(Path(probe), os.geteuid() == 0)
        cmd += [sys.executable, "-I", "-c", "pass"]
        try:
            result = subprocess.run(cmd, capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return False
    if result.returncode != 0:
        log.warning("bubblewrap unusable here: %s", result.stderr.decode(errors="replace")[:500])
    return result.returncode == 0


def active_layers(mode: str) -> list[str]:
    """The isolation layers a render would get right now, for `chalk selftest`."""
    layers = ["process", "clean-env", "rlimits", "timeout", "output-caps"]
    if os.geteuid() == 0:
        layers.append("per-job-uid")
    if mode != "process" and bwrap_available():
        layers += ["bwrap", "no-network", "read-only-system", "pid-namespace"]
    return layers


def uid_pids(uid: int) -> list[str]:
    """The /proc entries of processes owned by `uid` (a /proc/<pid> dir belongs to its uid)."""
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(entry.name)
            except OSError:
                continue
    return pids


def _count_uid_processes(uid: int) -> int:
    return len(uid_pids(uid))


def reap_uid(uid: int, deadline_s: float = 5.0) -> int:
    """SIGKILL every process running as `uid` until none is left; returns how many were hit.

    Each process is pinned with a pidfd before its owner is checked, so a pid that is freed
    and reused by an unrelated process in between is never signalled.
    """
    killed = 0
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        found = False
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                pidfd = os.pidfd_open(int(entry.name))
            except OSError:
                continue
            try:
                with open(f"/proc/{entry.name}/status") as status:
                    fields = dict(line.split(":", 1) for line in status if ":" in line)
                zombie = fields.get("State", "").strip().startswith("Z")  # dead, not yet reaped
                if not zombie and str(uid) in fields.get("Uid", "").split():
                    found = True
                    signal.pidfd_send_signal(pidfd, signal.SIGKILL)
                    killed += 1
            except (OSError, ValueError):
                continue
            finally:
                os.close(pidfd)
        if not found:
            return killed
        time.sleep(0.02)
    log.error("processes of sandbox uid %s survived reaping", uid)
    return killed


def _dir_bytes(path: Path, cap: int) -> int:
    """Bytes under `path`, stopping as soon as it passes `cap`.

    Every entry costs at least one block, so a flood of empty files (inodes) trips the cap as
    surely as one big file; directories are read lazily so a huge one costs no memory here.
    """
    total = 0
    stack = [str(path)]
    while stack:
        try:
            entries = os.scandir(stack.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                total += max(st.st_size, st.st_blocks * 512, MIN_ENTRY_BYTES)
                if total > cap:
                    return total
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
    return total


def _uid_memory_bytes(uid: int) -> int:
    """Memory of every process running as `uid` (RLIMIT_AS is only per process).

    Proportional set size, so forked children that share their parent's pages are not
    counted many times over.
    """
    total = 0
    for pid in uid_pids(uid):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError, IndexError):
            continue
    return total


class _Reader(threading.Thread):
    """Drains a pipe in the background, keeping a bounded tail (or parsed JSON lines)."""

    def __init__(
        self,
        fd: int,
        keep_bytes: int,
        json_lines: bool,
        on_message: Callable[[dict[str, object]], None] | None = None,
    ) -> None:
        super().__init__(daemon=True)
        self.fd = fd
        self.keep_bytes = keep_bytes
        self.json_lines = json_lines
        self.on_message = on_message
        self.total = 0
        self.tail = bytearray()
        self.messages: list[dict[str, object]] = []

    def run(self) -> None:
        pending = b""
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.total += len(chunk)
            if not self.json_lines:
                self.tail += chunk
                if len(self.tail) > self.keep_bytes:
                    del self.tail[: len(self.tail) - self.keep_bytes]
                continue
            pending += chunk
            *lines, pending = pending.split(b"\n")
            if len(pending) > PROTOCOL_MAX_LINE:
                pending = b""
            for raw in lines:
                if len(raw) <= PROTOCOL_MAX_LINE:
                    self._message(raw)
        os.close(self.fd)

    def _message(self, raw: bytes) -> None:
        if len(self.messages) >= PROTOCOL_MAX_MESSAGES:
            return
        try:
            message = json.loads(raw)
        except ValueError:
            return
        if isinstance(message, dict) and message.get("event") in PROTOCOL_EVENTS:
            self.messages.append(message)
            if self.on_message:
                try:
                    self.on_message(message)
                except Exception:  # a UI callback must never break the supervisor
                    log.exception("progress callback failed")


def _require_traversable(path: Path) -> None:
    """Without bubblewrap the per-job uid reaches its work dir through the host's path, so
    every ancestor must be searchable by other users."""
    for folder in [path, *path.parents]:
        if not os.stat(folder).st_mode & 0o001:
            raise SandboxUnavailable(
                f"{folder} is not searchable by other users, so the unprivileged render user "
                "cannot reach its work directory; move CHALK_DATA_DIR or use bubblewrap"
            )


def new_job_uid() -> int:
    return UID_BASE + secrets.randbelow(UID_SPAN)


class Handle(Protocol):
    """A running sandboxed job: a cold bwrap/python process or a warm zygote's child."""

    # True when the sandbox itself died under the job, through no fault of the job's.
    lost: bool

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None) -> int | None: ...

    def kill(self) -> None: ...


class Launcher(Protocol):
    """Starts a job inside an already running sandbox (app/core/warm.py's Zygote)."""

    def start(
        self,
        spec: dict[str, object],
        fds: tuple[int, int],
        uid: int,
        group: cgroup.JobCgroup | None,
    ) -> Handle: ...


class _ColdProcess:
    lost = False

    def __init__(self, proc: subprocess.Popen[bytes], adopt_orphans: bool = False) -> None:
        self.proc = proc
        self.adopt_orphans = adopt_orphans

    def release(self, uid: int | None) -> None:
        """After the job (run as `uid`, as root): end and wait for what it left behind that
        only this process can find or reap."""
        orphans.finished(self.proc.pid)
        if self.adopt_orphans:
            orphans.reap_inherited(uid)

    def poll(self) -> int | None:
        return self.proc.poll()

    def wait(self, timeout: float | None) -> int | None:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def run(
    work: Path,
    *,
    spec: dict[str, object],
    limits: Limits,
    mode: str,
    on_message: Callable[[dict[str, object]], None] | None = None,
    cancel: threading.Event | None = None,
    launcher: Launcher | None = None,
    tex_format: TexFormat | None = None,
) -> Outcome:
    """Run sandbox_entry.py in `work` and wait for it under `limits`.

    `mode` is "auto" (bubblewrap when available), "bwrap" (required) or "process".
    With a `launcher` (a warm sandbox, whose /job is `work`) the job is forked there
    instead of starting bubblewrap and Python afresh; everything else is the same.
    `tex_format` is the preloaded LaTeX format the job may use (a launcher's must be the one
    its sandbox was started with).
    """
    as_root = os.geteuid() == 0
    use_bwrap = launcher is not None or (mode != "process" and bwrap_available())
    if mode == "bwrap" and not use_bwrap:
        raise SandboxUnavailable(
            "sandbox mode 'bwrap' is required but bubblewrap does not work here"
        )
    layers = active_layers(mode if use_bwrap else "process")
    if launcher is not None:
        layers.append("warm-fork")

    uid = new_job_uid() if as_root else None
    if launcher is not None and uid is None:
        raise SandboxUnavailable("warm sandboxes need a per-job uid (run as root)")
    nproc = limits.processes
    if not as_root:
        # NPROC counts every process of the real uid host-wide; leave room for the ones
        # this user already runs.
        nproc += _count_uid_processes(os.getuid())
    (work / JOB_TMP).mkdir(exist_ok=True)
    if uid is not None:
        if not use_bwrap:
            _require_traversable(work.parent)
        os.chown(work, uid, uid)
        os.chown(work / JOB_TMP, uid, uid)
    work_path = SANDBOX_JOB_DIR if use_bwrap else str(work)
    job_tex_format = tex_format_for_job(tex_format, work, use_bwrap) if tex_format else None
    proto_r, proto_w = os.pipe()
    log_r, log_w = os.pipe()
    full_spec = {
        **spec,
        "protocol_fd": proto_w,
        "confine": confine_paths(work_path, private_tmp=use_bwrap),
        "uid": uid,
        "gid": uid,
        "limits": {
            "as": limits.memory_bytes,
            "cpu": limits.cpu_s,
            "nproc": nproc,
            "fsize": limits.file_bytes,
            "nofile": limits.open_files,
            "core": 0,
        },
        "nice": limits.nice,
    }
    if job_tex_format is not None:
        full_spec["tex_format"] = job_tex_format
    log_reader = _Reader(log_r, limits.log_bytes, json_lines=False)
    proto_reader = _Reader(proto_r, PROTOCOL_MAX_LINE, json_lines=True, on_message=on_message)
    log_reader.start()
    proto_reader.start()
    group = cgroup.create(limits.memory_bytes)
    if group is not None:
        layers.append("memory-cgroup")
    started = time.monotonic()
    handle: Handle | None = None
    killed_for = None
    try:
        try:
            if launcher is not None:
                assert uid is not None
                handle = launcher.start(full_spec, (proto_w, log_w), uid, group)
            else:
                handle = _start_cold(
                    work, use_bwrap, as_root, full_spec, (proto_w, log_w), group, tex_format
                )
        finally:
            os.close(proto_w)
            os.close(log_w)
        next_watch = 0.0
        while handle.poll() is None:
            elapsed = time.monotonic() - started
            if elapsed > limits.wall_s:
                killed_for = "timeout"
            elif cancel is not None and cancel.is_set():
                killed_for = "cancelled"
            elif (
                log_reader.total > limits.log_bytes * 40 or proto_reader.total > PROTOCOL_MAX_BYTES
            ):
                killed_for = "output"
            elif elapsed >= next_watch:
                next_watch = elapsed + WATCH_EVERY_S
                if _dir_bytes(work, limits.workdir_bytes) > limits.workdir_bytes:
                    killed_for = "workdir"
                elif uid is not None and _uid_memory_bytes(uid) > limits.memory_bytes:
                    killed_for = "memory"
            if killed_for:
                handle.kill()
                break
            handle.wait(POLL_S)
        returncode = handle.wait(None)
        if handle.lost and killed_for is None:
            killed_for = "lost"
    finally:
        # Also on an exception here (RQ's job timeout, Ctrl-C): nothing of the job survives.
        if handle is not None and handle.poll() is None:
            handle.kill()
        if uid is not None:
            reap_uid(uid)
        if isinstance(handle, _ColdProcess):
            handle.release(uid)
        if group is not None:
            if killed_for is None and group.oom_killed():
                killed_for = "memory"
            group.remove()
        log_reader.join(timeout=5)
        proto_reader.join(timeout=5)
    started_event = next((m for m in proto_reader.messages if m.get("event") == "started"), {})
    confined = started_event.get("layers")
    if isinstance(confined, list):
        layers += [str(layer) for layer in confined]
    return Outcome(
        returncode=returncode,
        elapsed_s=time.monotonic() - started,
        killed_for=killed_for,
        messages=proto_reader.messages,
        log_tail=bytes(log_reader.tail).decode("utf-8", errors="replace"),
        layers=layers,
    )


def tex_format_for_job(tex_format: TexFormat, work: Path, use_bwrap: bool) -> dict[str, str] | None:
    """Where the job finds the preloaded LaTeX format, and the preamble it stands for."""
    name = tex_format.file.name
    if use_bwrap:
        return {
            "path": f"{SANDBOX_TEX_FORMAT_DIR}/{name}",
            "preamble": tex_format.preamble,
            # The glyphs the first warm sandbox typeset, which jobs start with (keep_glyphs).
            "glyphs": f"{SANDBOX_TEX_FORMAT_DIR}/{tex_format.glyphs.name}",
        }
    # Without bubblewrap nothing can be bound read-only, so each job gets its own copy in its
    # job dir (18 MB, ~5 ms), which it can spoil only for itself. Reading the shared one
    # in place would take a Landlock rule opening part of the data dir to every job, and a job
    # running as the supervisor's own uid (not root, so no per-job uid) could chmod and rewrite
    # it wherever Landlock is missing; there that uid's every file is exposed, this one too.
    folder = work / JOB_TEX_FORMAT_DIR
    try:
        folder.mkdir(mode=0o755, exist_ok=True)
        shutil.copyfile(tex_format.file, folder / name)
        (folder / name).chmod(0o444)
    except OSError:
        log.warning(
            "could not copy the LaTeX format into the job; it renders without", exc_info=True
        )
        return None
    return {"path": str(folder / name), "preamble": tex_format.preamble}


def _start_cold(
    work: Path,
    use_bwrap: bool,
    as_root: bool,
    full_spec: dict[str, object],
    fds: tuple[int, int],
    group: cgroup.JobCgroup | None,
    tex_format: TexFormat | None = None,
) -> _ColdProcess:
    proto_w, log_w = fds
    python = sys.executable
    if use_bwrap:
        argv = bwrap_command(work, as_root, tex_format) + [python, "-I", SANDBOX_ENTRY_PATH]
        env = None  # --clearenv + --setenv inside
        cwd = None
    else:
        argv = [python, "-I", str(ENTRY)]
        env = clean_env(str(work))
        # No private /tmp without bubblewrap: temporary files go in the job directory.
        env["TMPDIR"] = str(work / JOB_TMP)
        cwd = str(work)
    argv.append(json.dumps(full_spec))
    procs_file = group.procs_file if group is not None else None
    # Without a PID namespace this process adopts what the job leaves: to find it without a
    # per-job uid, and with one to wait for it once reap_uid killed it (or it stays a zombie
    # holding the job's uid, as init may never reap it).
    adopt_orphans = not use_bwrap and orphans.become_subreaper()
    with orphans.launching() as register:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log_w,
            stderr=log_w,
            env=env if env is not None else {"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            cwd=cwd,
            start_new_session=True,
            pass_fds=(proto_w,),
            # Join the job's cgroup before exec, so every process of the job is inside it.
            preexec_fn=(lambda: cgroup.join_in_child(procs_file)) if procs_file else None,
        )
        register(proc)
    return _ColdProcess(proc, adopt_orphans)
