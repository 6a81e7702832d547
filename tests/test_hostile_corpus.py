"""Hostile-code corpus: every program in tests/hostile/ attacks from inside a render and is
judged only by signals outside the sandbox (see tests/hostile/README.md for the list).

For every program, in both passes, the test checks ALL of these, not just the one the program
aims at:
- files:    no `pwned` file appeared in any canary directory, and nothing in them changed
            (canaries in /tmp, /var/tmp, /root, the repo, the data dir and the work root, which
            the sandbox cannot see, and in /usr/local and the venv, which it sees read-only);
            the preloaded LaTeX format that every job shares is byte for byte what it was;
- network:  a TCP+UDP listener on 127.0.0.1, a UNIX socket file and an abstract UNIX socket on
            the host accepted/received nothing;
- secrets:  the env canaries (OPENAI_API_KEY, CHALK_SECRET_CANARY) and the file canaries (in
            secret.txt/.env files and in a planted host video/thumbnail) appear nowhere in the
            ChalkError message/detail, RenderResult.log_tail or any file in the output dir;
- processes: no host process carries the program's marker and none runs as the job's uid;
- time:     the render ended within its bound;
- resources: the supervisor's RSS and the job's total RSS stayed bounded, the work dir is gone;
- breaches: the program never printed "HOSTILE-BREACH" (it does when an in-sandbox hardening
            layer fails, e.g. \\write18 ran or setuid(0) worked);
- outcome:  the ChalkError kind / message the header's `expect:` asks for.

Pass 1 renders with check_policy=False (the sandbox alone must hold), once forked from a warm
sandbox and once in a fresh (cold) one; pass 2 runs the static
policy first and renders only what it accepts (with check_policy=True). Control tests prove
each signal fires when the same kind of attack runs outside the sandbox.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # tests/ has no package; make `app` importable under plain pytest
    sys.path.insert(0, str(REPO))

from app.core import policy, sandbox, tex_format  # noqa: E402
from app.core.render import RenderResult, render_code  # noqa: E402
from app.core.warm import prewarm  # noqa: E402
from app.errors import ChalkError  # noqa: E402
from app.settings import Settings  # noqa: E402

pytestmark = pytest.mark.hostile

HOSTILE_DIR = Path(__file__).with_name("hostile")
PROGRAMS = sorted(p for p in HOSTILE_DIR.glob("*.py"))
PROGRAM_IDS = [p.stem for p in PROGRAMS]

WIDTH, HEIGHT, FPS = 320, 180, 10
TIMEOUT_S = 15.0
MEMORY_MB = 2048
WORKDIR_MB = 64
LOG_KB = 64
MAX_VIDEO_S = 30.0
# Supervisor (this process) may grow by this much during one render.
SUPERVISOR_RSS_BUDGET_MB = 300
# The job's processes together may use this much more than the configured memory limit.
JOB_RSS_SLACK_MB = 512
BREACH = "HOSTILE-" + "BREACH"
UID_LO, UID_HI = sandbox.UID_BASE, sandbox.UID_BASE + sandbox.UID_SPAN


# --------------------------------------------------------------------------- program headers


@dataclass(frozen=True)
class Program:
    path: Path
    category: str
    attack: str
    expect: str  # any | ok | error | error:kind[,kind]
    message: str | None
    max_s: float
    policy: str  # reject | accept
    settings: dict[str, Any]
    # How it runs with the policy off: always forked from a warm sandbox and in a cold one;
    # programs that reach for the host also without bubblewrap ("process" mode).
    modes: tuple[str, ...] = ("warm", "cold")

    @property
    def name(self) -> str:
        return self.path.stem


HEADER = re.compile(r"^#\s*(\w+):\s*(.*?)\s*$")


def load_program(path: Path) -> Program:
    fields: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        match = HEADER.match(line)
        if match:
            fields[match.group(1)] = match.group(2)
    overrides: dict[str, Any] = {}
    for item in filter(None, (s.strip() for s in fields.get("settings", "").split(","))):
        key, value = item.split("=")
        overrides[key.strip()] = float(value) if "." in value else int(value)
    timeout = float(overrides.get("timeout_s", TIMEOUT_S))
    return Program(
        path=path,
        category=fields["category"],
        attack=fields["attack"],
        expect=fields.get("expect", "any"),
        message=fields.get("message"),
        max_s=float(fields.get("max_s", timeout + 10)),
        policy=fields.get("policy", "reject"),
        settings=overrides,
        modes=tuple(m.strip() for m in fields.get("modes", "warm, cold").split(",")),
    )


# --------------------------------------------------------------------------- the arena


@dataclass
class Arena:
    """Everything a hostile program could reach if it escaped, and how to see that it did."""

    settings: Settings
    # Process mode's data dir: the job's uid walks host paths there, so it is world-searchable.
    process_data_dir: Path
    write_dirs: dict[str, Path]  # label -> canary dir (0777) that must stay unchanged
    secret_dirs: list[Path]  # the ones (invisible to the sandbox) holding secret files
    plant_dir: Path  # host dir holding a planted video.mp4 + thumbnail.png with a secret
    env_secrets: dict[str, str]
    file_secret: str
    planted_secret: str
    marker: str
    port: int
    unix_path: str
    unix_abstract: str
    connections: list[str] = field(default_factory=list)
    job_uids: list[int] = field(default_factory=list)
    # For each sandbox run: whether it was forked from a warm sandbox.
    warm_runs: list[bool] = field(default_factory=list)
    snapshots: dict[str, dict[str, tuple]] = field(default_factory=dict)
    # The shared LaTeX format of each data dir (the jobs' only shared file): path -> state.
    tex_formats: dict[str, tuple] = field(default_factory=dict)

    @property
    def targets(self) -> list[str]:
        return [str(d / "pwned") for d in self.write_dirs.values()]

    @property
    def secret_files(self) -> list[str]:
        return [str(d / name) for d in self.secret_dirs for name in ("secret.txt", ".env")]

    @property
    def secrets(self) -> list[str]:
        return [*self.env_secrets.values(), self.file_secret, self.planted_secret]

    def substitute(self, text: str) -> str:
        values = {
            "HOSTILE_TARGETS": self.targets,
            "HOSTILE_DIRS": [str(d) for d in self.write_dirs.values()],
            "HOSTILE_SECRET_FILES": self.secret_files,
            "HOSTILE_PLANT_DIR": str(self.plant_dir),
            "HOSTILE_PORT": self.port,
            "HOSTILE_UNIX_PATH": self.unix_path,
            "HOSTILE_UNIX_ABSTRACT": self.unix_abstract,
            "HOSTILE_MARKER": self.marker,
            "HOSTILE_REPO": str(REPO),
            "HOSTILE_TEX_FORMATS": sorted(self.tex_formats),
        }

        def replace(match: re.Match[str]) -> str:
            return repr(values[match.group(0)])

        return re.sub(r"\bHOSTILE_[A-Z_]+\b", replace, text)

    def snapshot(self) -> dict[str, dict[str, tuple]]:
        return {label: _tree(d) for label, d in self.write_dirs.items()}

    def tex_format_states(self) -> dict[str, tuple]:
        return {path: _format_state(Path(path)) for path in self.tex_formats}


def _tree(root: Path) -> dict[str, tuple]:
    entries: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            digest = ""
            if path.is_file() and not path.is_symlink() and st.st_size < (1 << 20):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            entries[str(path.relative_to(root))] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return entries


def _format_state(path: Path) -> tuple:
    """A format file's bytes and modes, what its folder holds, and the bytes and modes of the
    typeset glyphs kept beside it (every job under bubblewrap starts with those)."""
    try:
        folder = sorted(p.name for p in path.parent.iterdir())
        mode, digest = _file_state(path)
        glyphs = path.parent / tex_format.GLYPHS_FOLDER
        kept = sorted(
            (g.name, *_file_state(g)) for g in (glyphs.iterdir() if glyphs.is_dir() else ())
        )
        state = (mode, path.parent.stat().st_mode, folder, digest)
        return (*state, glyphs.stat().st_mode if glyphs.is_dir() else None, kept)
    except OSError as exc:
        return (repr(exc),)


def _file_state(path: Path) -> tuple[int, str]:
    """A file's mode and the sha256 of its bytes, from one stat."""
    st = path.stat()
    return st.st_mode, _digest(path, st)


_DIGESTS: dict[tuple[int, ...], str] = {}


def _digest(path: Path, st: os.stat_result) -> str:
    """sha256 of the file's bytes, hashed again only when its inode's change time moved: the
    kernel moves it on every write, truncate, rename over and chmod, and no process can set it
    back (the 18 MB format is hashed once per test process, not four times per program)."""
    key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if key not in _DIGESTS:
        _DIGESTS[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _DIGESTS[key]


def _make_settings(data_dir: Path, overrides: dict[str, Any]) -> Settings:
    timeout = float(overrides.get("timeout_s", TIMEOUT_S))
    kwargs: dict[str, Any] = {
        "data_dir": data_dir,
        "quality_presets": {
            "preview": {"width": WIDTH, "height": HEIGHT, "fps": FPS, "timeout_s": timeout}
        },
        "sandbox_max_workdir_mb": WORKDIR_MB,
        "sandbox_memory_mb": MEMORY_MB,
        "sandbox_max_log_kb": LOG_KB,
        "max_video_seconds": MAX_VIDEO_S,
    }
    kwargs.update({k: v for k, v in overrides.items() if k != "timeout_s"})
    return Settings(**kwargs)


@pytest.fixture(scope="session")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A valid host video + thumbnail at the render size, carrying a secret in their metadata."""
    if not shutil.which("ffmpeg"):
        pytest.fail("ffmpeg is needed to plant the host video; `make test` installs it")
    secret = f"chalk-planted-secret-{secrets.token_hex(12)}"
    root = tmp_path_factory.mktemp("planted")
    subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"color=c=red:s={WIDTH}x{HEIGHT}:r={FPS}:d=1",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-metadata",
            f"comment={secret}",
            str(root / "video.mp4"),
        ],
        check=True,
        timeout=60,
    )
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", secret)
    Image.new("RGB", (WIDTH, HEIGHT), "red").save(root / "thumbnail.png", pnginfo=info)
    assert secret.encode() in (root / "video.mp4").read_bytes()
    assert secret.encode() in (root / "thumbnail.png").read_bytes()
    return root, secret


class _Listeners:
    """TCP + UDP on 127.0.0.1:port, a UNIX socket file and an abstract UNIX socket."""

    def __init__(self, unix_dir: Path) -> None:
        self.hits: list[str] = []
        self.stop = threading.Event()
        for _ in range(20):
            tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                udp.bind(("127.0.0.1", port))
                break
            except OSError:
                tcp.close()
                udp.close()
        else:  # pragma: no cover
            raise RuntimeError("no free port for TCP and UDP")
        tcp.listen(64)
        self.port = port
        self.unix_path = str(unix_dir / "sock")
        unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        unix.bind(self.unix_path)
        os.chmod(self.unix_path, 0o777)
        unix.listen(16)
        self.unix_abstract = f"chalk-canary-{secrets.token_hex(8)}"
        abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        abstract.bind("\0" + self.unix_abstract)
        abstract.listen(16)
        self.sockets = [tcp, udp, unix, abstract]
        for sock, label in ((tcp, "tcp"), (unix, "unix"), (abstract, "abstract")):
            threading.Thread(target=self._accept, args=(sock, label), daemon=True).start()
        threading.Thread(target=self._receive, args=(udp,), daemon=True).start()

    def _accept(self, sock: socket.socket, label: str) -> None:
        sock.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            self.hits.append(label)
            conn.close()

    def _receive(self, sock: socket.socket) -> None:
        sock.settimeout(0.1)
        while not self.stop.is_set():
            try:
                sock.recvfrom(65536)
            except OSError:
                continue
            self.hits.append("udp")

    def close(self) -> None:
        # The threads see the flag within their 0.1 s timeout; the verdict was taken before.
        self.stop.set()
        for sock in self.sockets:
            sock.close()


@pytest.fixture(scope="module")
def process_data_dir() -> Iterator[Path]:
    """Process mode's data dir, shared as the warm one is: its LaTeX format is built once, and
    every test still checks that its program left the format and the work root as they were."""
    folder = Path(tempfile.mkdtemp(prefix="chalk-process-mode-", dir="/var/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def arena(
    shared_warm_data_dir: Path,
    process_data_dir: Path,
    planted: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
):
    # The data dir (and its work root) is this test process's shared one, so the warm runs
    # fork from one warm sandbox reused program after program, as a worker's is job after job.
    # The canaries in it are this test's own; its renders/ starts and ends empty.
    data_dir = shared_warm_data_dir
    renders = data_dir / "renders"
    shutil.rmtree(renders, ignore_errors=True)
    (data_dir / "work").mkdir(exist_ok=True)
    token = secrets.token_hex(6)
    parents = {
        "tmp": Path("/tmp"),
        "var-tmp": Path("/var/tmp"),
        "root": Path("/root"),
        "repo": REPO,
        "data": data_dir,
        "work-root": data_dir / "work",
        # visible read-only inside the sandbox
        "usr-local": Path("/usr/local"),
        "venv": REPO / ".venv",
    }
    write_dirs: dict[str, Path] = {}
    for label, parent in parents.items():
        if not parent.is_dir() or not os.access(parent, os.W_OK):
            continue
        prefix = ".chalk-canary-" if label == "repo" else "chalk-canary-"
        write_dirs[label] = Path(tempfile.mkdtemp(prefix=f"{prefix}{token}-", dir=parent))
        write_dirs[label].chmod(0o777)
    file_secret = f"chalk-file-secret-{secrets.token_hex(12)}"
    secret_dirs = [d for label, d in write_dirs.items() if label not in ("usr-local", "venv")]
    for d in secret_dirs:
        (d / "secret.txt").write_text(f"{file_secret}\n")
        (d / ".env").write_text(f"OPENAI_API_KEY={file_secret}\nCHALK_SECRET={file_secret}\n")
    plant_root, planted_secret = planted
    plant_dir = write_dirs["tmp"]
    for name in ("video.mp4", "thumbnail.png"):
        shutil.copy(plant_root / name, plant_dir / name)
    env_secrets = {
        "OPENAI_API_KEY": f"sk-canary-{secrets.token_hex(16)}",
        "CHALK_SECRET_CANARY": f"chalk-env-secret-{secrets.token_hex(12)}",
    }
    for name, value in env_secrets.items():
        monkeypatch.setenv(name, value)
    listeners = _Listeners(write_dirs["tmp"])
    arena = Arena(
        settings=_make_settings(data_dir, {}),
        process_data_dir=process_data_dir,
        write_dirs=write_dirs,
        secret_dirs=secret_dirs,
        plant_dir=plant_dir,
        env_secrets=env_secrets,
        file_secret=file_secret,
        planted_secret=planted_secret,
        marker=f"chalkhostile{secrets.token_hex(6)}",
        port=listeners.port,
        unix_path=listeners.unix_path,
        unix_abstract=listeners.unix_abstract,
        connections=listeners.hits,
    )
    real_new_uid = sandbox.new_job_uid

    def recording_new_uid() -> int:
        uid = real_new_uid()
        arena.job_uids.append(uid)
        return uid

    monkeypatch.setattr(sandbox, "new_job_uid", recording_new_uid)
    real_run = sandbox.run

    def recording_run(work: Path, **kwargs: Any) -> sandbox.Outcome:
        arena.warm_runs.append(kwargs.get("launcher") is not None)
        return real_run(work, **kwargs)

    monkeypatch.setattr(sandbox, "run", recording_run)
    arena.snapshots = arena.snapshot()
    for folder in (data_dir, process_data_dir):  # built now, so that the renders find them
        preloaded = tex_format.ensure(folder)
        assert preloaded is not None, "no LaTeX format could be built here"
        arena.tex_formats[str(preloaded.file)] = ()
    # The warm sandbox up now: the first one with the format keeps its typeset glyphs beside
    # it, and what every program is judged against is the format folder with them.
    assert prewarm(arena.settings) == 1, "no warm sandbox could be started"
    warm_format = tex_format.ensure(data_dir)
    assert warm_format is not None and warm_format.glyphs.is_dir(), "no glyphs were kept"
    arena.tex_formats = arena.tex_format_states()
    try:
        yield arena
    finally:
        listeners.close()
        for pid in _processes_with(arena.marker):
            _kill(pid)
        for d in write_dirs.values():
            shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(renders, ignore_errors=True)
        shutil.rmtree(process_data_dir / "renders", ignore_errors=True)


# --------------------------------------------------------------------------- host probes


def _processes_with(marker: str) -> list[int]:
    found = []
    needle = marker.encode()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                    if needle in f.read():
                        found.append(int(entry.name))
            except OSError:
                continue
    return found


def _uid_rss(uids: set[int]) -> tuple[list[int], int]:
    """Pids running as any of `uids` and their summed PSS in kB."""
    pids, total = [], 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status") as f:
                status = f.read()
        except OSError:
            continue
        uid_line = re.search(r"^Uid:\s+(\d+)\s+(\d+)", status, re.M)
        if uid_line and {int(uid_line.group(1)), int(uid_line.group(2))} & uids:
            pids.append(int(entry.name))
            total += _pss_kb(entry.name, status)
    return pids, total


def _pss_kb(pid: str, status: str) -> int:
    """Proportional set size: forked children sharing the parent's pages are not counted twice."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            match = re.search(r"^Pss:\s+(\d+)", f.read(), re.M)
            if match:
                return int(match.group(1))
    except OSError:
        pass
    rss = re.search(r"^VmRSS:\s+(\d+)", status, re.M)
    return int(rss.group(1)) if rss else 0


def _private_tmpfs_kb(pid: int) -> int:
    """RAM held by tmpfs mounts private to the job's mount namespace (its /tmp): tmpfs pages
    are charged to no process, so PSS does not show a /tmp flood."""
    try:
        with open(f"/proc/{pid}/mounts") as f:
            mounts = [line.split() for line in f]
        with open("/proc/self/mounts") as f:
            host_mounts = {line.split()[1] for line in f}
    except OSError:
        return 0
    total = 0
    for fields in mounts:
        if len(fields) < 3 or fields[2] != "tmpfs":
            continue
        point = fields[1].replace("\\040", " ")
        inside = f"/proc/{pid}/root{point}"
        try:
            if point in host_mounts and os.stat(inside).st_dev == os.stat(point).st_dev:
                continue  # the host's own mount, not the job's
            st = os.statvfs(inside)
        except OSError:
            continue
        total += (st.f_blocks - st.f_bfree) * st.f_frsize // 1024
    return total


def _self_rss_kb() -> int:
    with open("/proc/self/status") as f:
        match = re.search(r"^VmRSS:\s+(\d+)", f.read(), re.M)
    assert match is not None
    return int(match.group(1))


class _Monitor:
    """Samples the supervisor's RSS and the job's memory (PSS of its processes plus its private
    tmpfs) while a render runs."""

    def __init__(self, uids: list[int]) -> None:
        self.uids = uids
        self.base_rss_kb = _self_rss_kb()
        self.peak_rss_kb = self.base_rss_kb
        self.peak_job_kb = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            self.peak_rss_kb = max(self.peak_rss_kb, _self_rss_kb())
            if self.uids:
                pids, pss = _uid_rss(set(self.uids))
                tmpfs = _private_tmpfs_kb(pids[0]) if pids else 0
                self.peak_job_kb = max(self.peak_job_kb, pss + tmpfs)
            self.stop.wait(0.05)

    def __enter__(self) -> _Monitor:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=5)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


# --------------------------------------------------------------------------- one run


@dataclass
class Run:
    program: Program
    result: RenderResult | None
    error: ChalkError | None
    elapsed_s: float
    supervisor_growth_mb: float
    job_peak_mb: float
    out_dir: Path


def render(arena: Arena, program: Program, *, check_policy: bool, mode: str = "warm") -> Run:
    """Render `program` forked from the warm sandbox, in a cold one, or in process mode."""
    warm = mode == "warm"
    overrides: dict[str, Any] = {**program.settings, "warm_pool": warm}
    data_dir = arena.settings.data_dir
    if mode == "process":
        overrides["sandbox_mode"] = "process"
        data_dir = arena.process_data_dir
    settings = _make_settings(data_dir, overrides)
    if warm:
        assert prewarm(settings) == 1, "no warm sandbox could be started"
    code = arena.substitute(program.path.read_text())
    out_dir = settings.data_dir / "renders"
    result = error = None
    started = time.monotonic()
    with _Monitor(arena.job_uids) as monitor:
        try:
            result = render_code(code, check_policy=check_policy, settings=settings)
        except ChalkError as exc:
            error = exc
    elapsed = time.monotonic() - started
    dump_dir = os.environ.get("HOSTILE_DUMP_DIR")  # review aid: what each program really did
    if dump_dir:
        text = f"{program.name} check_policy={check_policy} elapsed={elapsed:.1f}s\n"
        text += f"error: {error.kind}: {error.message}\n{error.detail}" if error else "success\n"
        text += result.log_tail if result else ""
        suffix = "policy" if check_policy else "sandbox"
        Path(dump_dir, f"{program.name}.{suffix}.txt").write_text(text)
    return Run(
        program=program,
        result=result,
        error=error,
        elapsed_s=elapsed,
        supervisor_growth_mb=(monitor.peak_rss_kb - monitor.base_rss_kb) / 1024,
        job_peak_mb=monitor.peak_job_kb / 1024,
        out_dir=out_dir,
    )


WINDOW = 10  # hex chars of a secret's random part that count as a leak on their own


def secrets_in_text(text: str | bytes, arena: Arena) -> list[str]:
    """Secrets found in `text`, also when a log formatter folded them across lines (Rich wraps
    LaTeX errors at ~30 columns): any 10-hex-char piece of a secret's random part counts."""
    blob = text.encode("utf-8", "replace") if isinstance(text, str) else text
    squashed = re.sub(rb"\s+", b"", blob)
    found = []
    for secret in arena.secrets:
        token = secret.rsplit("-", 1)[-1].encode()
        windows = {token[i : i + WINDOW] for i in range(len(token) - WINDOW + 1)}
        if secret.encode() in blob or any(w in squashed for w in windows):
            found.append(secret)
    return found


def escapes(run: Run, arena: Arena) -> list[str]:
    """Every no-escape signal that fired, as sentences (empty when contained)."""
    problems: list[str] = []
    # files
    for target in arena.targets:
        if os.path.lexists(target):
            problems.append(f"file escape: {target} was created on the host")
    now = arena.snapshot()
    for label, before in arena.snapshots.items():
        after = now.get(label, {})
        if after != before:
            changed = sorted(set(before.items()) ^ set(after.items()))[:5]
            problems.append(f"file escape: canary dir {label} changed: {changed}")
    for path, state in arena.tex_format_states().items():
        if state != arena.tex_formats[path]:
            problems.append(f"file escape: the shared LaTeX format {path} changed: {state[:3]}")
    # network
    if arena.connections:
        problems.append(f"network escape: the host listeners saw {sorted(arena.connections)}")
    # secrets
    texts = []
    if run.error is not None:
        texts += [run.error.message, run.error.detail]
    if run.result is not None:
        texts.append(run.result.log_tail)
    for text in texts:
        for leaked in secrets_in_text(text, arena):
            problems.append(f"secret escape: {leaked[:24]}… is in the error/log text")
        if BREACH in text:
            line = next(x for x in text.splitlines() if BREACH in x)
            problems.append(f"in-sandbox breach reported: {line.strip()[:300]}")
    if run.out_dir.exists():
        for path in run.out_dir.rglob("*"):
            if path.is_file() and not path.is_symlink():
                for leaked in secrets_in_text(path.read_bytes(), arena):
                    problems.append(f"secret escape: {leaked[:24]}… is in output file {path.name}")
    # processes
    survivors = _processes_with(arena.marker)
    if survivors:
        problems.append(f"process escape: {len(survivors)} marker process(es) outlived the job")
    uid_pids, _ = _uid_rss(set(arena.job_uids))
    if uid_pids:
        problems.append(f"process escape: {len(uid_pids)} process(es) still run as the job uid")
    # time and resources
    if run.elapsed_s > run.program.max_s:
        problems.append(f"time: the job took {run.elapsed_s:.1f} s (bound {run.program.max_s} s)")
    work_roots = [arena.settings.data_dir / "work", arena.process_data_dir / "work"]
    leftovers = [
        p.name
        for root in work_roots
        if root.is_dir()
        for p in root.iterdir()
        if p != arena.write_dirs.get("work-root") and not _idle_warm_sandbox(p)
    ]
    if leftovers:
        problems.append(f"disk: work dir(s) left behind: {leftovers}")
    if run.supervisor_growth_mb > SUPERVISOR_RSS_BUDGET_MB:
        problems.append(
            f"resources: the supervisor's RSS grew by {run.supervisor_growth_mb:.0f} MB "
            f"(budget {SUPERVISOR_RSS_BUDGET_MB} MB)"
        )
    memory_mb = int(run.program.settings.get("sandbox_memory_mb", MEMORY_MB))
    if run.job_peak_mb > memory_mb + JOB_RSS_SLACK_MB:
        problems.append(
            f"resources: the job's processes and private tmpfs held {run.job_peak_mb:.0f} MB "
            f"(memory limit {memory_mb} MB)"
        )
    return problems


def _idle_warm_sandbox(path: Path) -> bool:
    """A warm sandbox kept for the next job: allowed, as long as the job left nothing in it
    (its job folder holds only root's empty directories: tmp/ and bubblewrap's mount points)."""
    job = path / "job"
    if not path.name.startswith("warm-") or not job.is_dir():
        return False
    return all(not files and os.stat(folder).st_uid == 0 for folder, _, files in os.walk(job))


def outcome_problems(run: Run) -> list[str]:
    expect = run.program.expect
    got = f"error {run.error.kind}: {run.error.message}" if run.error else "success"
    if expect == "any":
        return []
    if expect == "ok":
        return [] if run.error is None else [f"expected success, got {got}"]
    if run.error is None:
        return [f"expected {expect}, got success"]
    problems = []
    if ":" in expect:
        kinds = expect.split(":", 1)[1].split(",")
        if run.error.kind not in kinds:
            problems.append(f"expected {expect}, got {got}")
    if run.program.message and not re.search(run.program.message, run.error.message, re.I):
        problems.append(f"expected the message to match {run.program.message!r}, got {got}")
    return problems


def describe(run: Run) -> str:
    got = f"{run.error.kind}: {run.error.message}" if run.error else "success"
    return f"{run.program.name} ({run.elapsed_s:.1f} s, {got})"


# --------------------------------------------------------------------------- the corpus tests


def test_corpus_is_big_enough_and_documented() -> None:
    programs = [load_program(p) for p in PROGRAMS]
    assert len(programs) >= 40
    categories = {p.category for p in programs}
    assert categories == {"fs", "tex", "net", "env", "proc", "res", "esc"}
    readme = (HOSTILE_DIR / "README.md").read_text()
    missing = [p.path.name for p in programs if p.path.name not in readme]
    assert not missing, f"not in tests/hostile/README.md: {missing}"
    for p in programs:
        assert re.search(r"class \w+\((\w+\.)?\w*Scene\)", p.path.read_text()), p.name
        assert p.expect.split(":")[0] in ("any", "ok", "error"), p.name
        assert p.policy in ("reject", "accept"), p.name
        assert {"warm", "cold"} <= set(p.modes) <= {"warm", "cold", "process"}, p.name
    assert any("process" in p.modes for p in programs if p.category == "net")


def test_sandbox_layers_active() -> None:
    """The corpus is meant to run against bubblewrap; say so loudly if it is missing."""
    layers = sandbox.active_layers("auto")
    assert "bwrap" in layers, f"bubblewrap is not usable here; layers: {layers}"


# The suite runs a program in process mode when its header says so (those that reach for the
# host); CHALK_HOSTILE_EVERY_MODE=1 runs the whole corpus in every mode, for the long run.
EVERY_MODE = os.environ.get("CHALK_HOSTILE_EVERY_MODE") == "1"
SANDBOX_CASES = [
    (path, mode)
    for path in PROGRAMS
    for mode in (("warm", "cold", "process") if EVERY_MODE else load_program(path).modes)
]


@pytest.mark.parametrize(
    ("path", "mode"), SANDBOX_CASES, ids=[f"{mode}-{path.stem}" for path, mode in SANDBOX_CASES]
)
def test_sandbox_alone_contains(path: Path, mode: str, arena: Arena) -> None:
    """Every way a render can run: forked from a warm sandbox, a fresh one, and (for the
    programs that reach for the host) process mode, where there is no bubblewrap."""
    program = load_program(path)
    run = render(arena, program, check_policy=False, mode=mode)
    assert arena.warm_runs[:1] == [mode == "warm"], arena.warm_runs
    problems = escapes(run, arena) + outcome_problems(run)
    assert not problems, f"{describe(run)}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", PROGRAMS, ids=PROGRAM_IDS)
def test_policy_then_sandbox_contains(path: Path, arena: Arena) -> None:
    """Every program is either refused up front (kind validation) or contained by the sandbox.

    What the policy accepts goes to the sandbox unchanged: render_code(check_policy=True)
    differs from check_policy=False only in how it picks the scene. So an accepted program is
    the very run test_sandbox_alone_contains proves contained, warm and cold, and is not
    rendered a third time; this test proves the two runs are the same run.
    """
    program = load_program(path)
    code = arena.substitute(path.read_text())
    try:
        report = policy.check_code(code, max_bytes=arena.settings.max_code_bytes)
    except ChalkError as exc:
        assert exc.kind == "validation", exc.kind
        assert exc.message
        return
    assert program.policy == "accept", f"{program.name} passes the policy; say so in its header"
    # The scene the policy path renders is the one the sandbox-alone path rendered.
    assert policy.choose_scene(report, None) == policy.scene_names(code)[0]


def test_policy_summary(arena: Arena, capsys: pytest.CaptureFixture[str]) -> None:
    """How many programs the static policy stops up front; the ones documented as rejected must
    stay rejected (the policy is a usability layer, but it should not regress)."""
    rejected, accepted = [], []
    for path in PROGRAMS:
        program = load_program(path)
        try:
            policy.check_code(arena.substitute(path.read_text()), max_bytes=64_000)
            accepted.append(program)
        except ChalkError:
            rejected.append(program)
    with capsys.disabled():
        print(
            f"\n[hostile corpus] static policy rejects {len(rejected)}/{len(PROGRAMS)}; "
            f"accepts {', '.join(p.name for p in accepted)}"
        )
    regressed = [p.name for p in accepted if p.policy == "reject"]
    assert not regressed, f"the policy now accepts programs it used to reject: {regressed}"


# --------------------------------------------------------------------------- positive controls
# The same attack code, run on the host outside the sandbox, must trip the same signals; this
# proves the signals above can fail.

HOST_RUNNER = """
import runpy, sys
from manim import Scene, tempconfig
namespace = runpy.run_path(sys.argv[1])
scene_class = next(v for v in namespace.values()
                   if isinstance(v, type) and issubclass(v, Scene) and v is not Scene
                   and v.__module__ == '<run_path>')
with tempconfig({"dry_run": True, "media_dir": "media", "disable_caching": True,
                 "progress_bar": "none", "verbosity": "ERROR"}):
    scene_class().render()
"""


def run_on_host(arena: Arena, name: str, tmp_path: Path) -> Run:
    """Run the program on the host."""
    program = load_program(HOSTILE_DIR / f"{name}.py")
    base = Path(tempfile.mkdtemp(prefix=f"host-{name}-", dir=tmp_path))
    code_file = base / "host_scene.py"
    code_file.write_text(arena.substitute(program.path.read_text()))
    cwd = base / "cwd"
    cwd.mkdir()
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", HOST_RUNNER, str(code_file)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    time.sleep(0.3)
    error = ChalkError("render", "host run", detail=proc.stdout + proc.stderr)
    out_dir = arena.settings.data_dir / "renders"
    return Run(program, None, error, time.monotonic() - started, 0.0, 0.0, out_dir)


def test_control_file_signal_fires_outside_sandbox(arena: Arena, tmp_path: Path) -> None:
    run = run_on_host(arena, "fs01_open_write", tmp_path)
    problems = escapes(run, arena)
    created = [p for p in problems if p.startswith("file escape") and "was created" in p]
    hidden = {label for label in arena.write_dirs if label not in ("usr-local", "venv")}
    assert len(created) >= len(hidden), problems
    assert any("canary dir" in p for p in problems), problems


def test_control_network_signal_fires_outside_sandbox(arena: Arena, tmp_path: Path) -> None:
    run = run_on_host(arena, "net01_socket_loopback", tmp_path)
    assert {"tcp", "udp", "unix", "abstract"} <= set(arena.connections), arena.connections
    assert any(p.startswith("network escape") for p in escapes(run, arena))


def test_control_secret_signal_fires_outside_sandbox(arena: Arena, tmp_path: Path) -> None:
    run = run_on_host(arena, "env01_os_environ", tmp_path)
    leaked = [p for p in escapes(run, arena) if p.startswith("secret escape")]
    assert len(leaked) >= 2, leaked  # both env canaries
    run = run_on_host(arena, "env03_host_files", tmp_path)
    assert any("chalk-file-secr" in p for p in escapes(run, arena))


def test_control_secret_scan_survives_log_folding(arena: Arena, tmp_path: Path) -> None:
    """LaTeX reading the secret files on the host: Manim's logger folds the TeX error that
    carries the secret across lines, and the scan must still see it."""
    run = run_on_host(arena, "tex02_input_secrets", tmp_path)
    assert any("chalk-file-secr" in p for p in escapes(run, arena))


@pytest.mark.parametrize("target", ["format", "glyph"])
def test_control_format_signal_fires_when_the_shared_format_changes(
    target: str, arena: Arena
) -> None:
    """What tex05_poison_format would do if it got through, to the format or to a glyph kept
    beside it, done from the host; then undone in place (a warm sandbox holds them bound)."""
    shared = tex_format.ensure(arena.settings.data_dir)
    assert shared is not None
    path = shared.file if target == "format" else sorted(shared.glyphs.iterdir())[0]
    original = path.read_bytes()
    out_dir = arena.settings.data_dir / "renders"
    run = Run(load_program(PROGRAMS[0]), None, None, 0.0, 0.0, 0.0, out_dir)
    try:
        path.chmod(0o644)
        with open(path, "r+b") as f:
            f.write(b"poisoned format")
        path.chmod(0o444)
        assert any("shared LaTeX format" in p for p in escapes(run, arena))
    finally:
        path.chmod(0o644)
        path.write_bytes(original)
        path.chmod(0o444)
    assert not any("shared LaTeX format" in p for p in escapes(run, arena))


def test_control_output_dir_scan_finds_planted_secret(arena: Arena) -> None:
    out_dir = arena.settings.data_dir / "renders"
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(arena.plant_dir / "video.mp4", out_dir / "x.mp4")
    shutil.copy(arena.plant_dir / "thumbnail.png", out_dir / "x.png")
    run = Run(load_program(PROGRAMS[0]), None, None, 0.0, 0.0, 0.0, out_dir)
    problems = [p for p in escapes(run, arena) if "output file" in p]
    assert len(problems) == 2, problems


def test_control_process_signal_fires_outside_sandbox(arena: Arena, tmp_path: Path) -> None:
    run = run_on_host(arena, "proc01_setsid_sleep", tmp_path)
    try:
        survivors = _processes_with(arena.marker)
        assert survivors, "the host scan did not see the marker process"
        assert any(p.startswith("process escape") for p in escapes(run, arena))
    finally:
        for pid in _processes_with(arena.marker):
            _kill(pid)


def test_control_breach_marker_reaches_the_host(arena: Arena, tmp_path: Path) -> None:
    """An in-sandbox breach report (a print, or TeX's \\errmessage) does reach the host text."""
    scene = tmp_path / "breach_control.py"
    scene.write_text(
        "# category: esc\n# attack: control\n# expect: ok\n"
        "from manim import *\n\n\nclass BreachControl(Scene):\n"
        "    def construct(self):\n"
        "        print('HOSTILE-' + 'BREACH', 'control print')\n"
        "        try:\n"
        "            self.add(Tex(r'\\IfFileExists{scene.py}"
        "{\\errmessage{HOSTILE-\\string BREACH: tex}}{}Hi'))\n"
        "        except Exception:\n"
        "            pass\n"
        "        self.play(FadeIn(Square()), run_time=0.2)\n"
    )
    run = render(arena, load_program(scene), check_policy=False)
    breaches = [p for p in escapes(run, arena) if "breach" in p]
    assert breaches, describe(run)
    text = run.result.log_tail if run.result else (run.error.detail if run.error else "")
    assert BREACH + " control print" in text
    assert BREACH + ": tex" in text, text[-2000:]  # raised by TeX itself, via Manim's log


def test_control_resource_monitors_fire(arena: Arena) -> None:
    uid = UID_LO + 7  # a job-range uid that no sandbox uses right now
    python = shutil.which("python3", path="/usr/bin:/bin")
    if python is None:
        pytest.fail("needs a system python3 (/usr/bin/python3) the unprivileged uid can execute")
    hog = subprocess.Popen(
        [
            python,
            "-c",
            "import time; b = bytearray(700 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\n"
            "time.sleep(30)",
        ],
        user=uid,
        group=uid,
    )
    try:
        with _Monitor([uid]) as monitor:
            deadline = time.monotonic() + 20
            while monitor.peak_job_kb < 600 << 10 and time.monotonic() < deadline:
                time.sleep(0.1)
            ballast = bytearray(400 << 20)
            for i in range(0, len(ballast), 4096):
                ballast[i] = 1
            time.sleep(0.3)
        assert monitor.peak_job_kb >= 600 << 10
        assert _uid_rss({uid})[0] == [hog.pid]  # the job-uid process scan sees it too
        assert monitor.peak_rss_kb - monitor.base_rss_kb >= 350 << 10
        del ballast
    finally:
        hog.kill()
        hog.wait()
