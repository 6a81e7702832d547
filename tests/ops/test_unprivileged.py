"""Community Cloud's situation: Chalk runs as an unprivileged user on a host without bubblewrap.

The render path must still work with the layers such a container allows, and `chalk selftest`
must say which layers those are (no bubblewrap, no per-job uid) and what its canaries found.
The test runs `chalk` as uid 65534 in a private mount namespace in which bubblewrap is hidden
(and the Python install made reachable if it lives under a private home such as /root).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import av
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHALK = ROOT / ".venv" / "bin" / "chalk"
NOBODY = 65534
SCENE = """from manim import *


class Unprivileged(Scene):
    def construct(self):
        self.play(Create(Circle()))
"""


def _reachable_mounts(work: Path) -> list[str]:
    """Shell lines that make the interpreter reachable for an unprivileged user."""
    real = Path(os.path.realpath(sys.executable))
    lines = []
    for ancestor in reversed(real.parents):
        if ancestor == Path("/") or os.stat(ancestor).st_mode & 0o001:
            continue
        child = real.parents[real.parents.index(ancestor) - 1] if ancestor != real.parent else real
        keep = work / "keep"
        keep.mkdir(exist_ok=True)
        lines += [
            f"mount --bind {shlex.quote(str(child))} {keep}",
            f"mount -t tmpfs -o mode=755 tmpfs {shlex.quote(str(ancestor))}",
            f"mkdir -p {shlex.quote(str(child))}",
            f"mount --bind {keep} {shlex.quote(str(child))}",
        ]
        break
    for ancestor in ROOT.parents:
        if not os.stat(ancestor).st_mode & 0o001:
            pytest.fail(
                f"{ancestor} is not reachable by other users; the repository must be.",
                pytrace=False,
            )
    return lines


def _as_nobody(work: Path, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    lines = _reachable_mounts(work)
    bwrap = shutil.which("bwrap")
    if bwrap:
        hidden = work / "no-bwrap"
        hidden.touch(mode=0o644)
        lines.append(f"mount --bind {hidden} {shlex.quote(os.path.realpath(bwrap))}")
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(work),
        "CHALK_DATA_DIR": str(work / "data"),
        "CHALK_LOG_FORMAT": "text",
        "CHALK_SANDBOX_MODE": "auto",
    }
    command = " ".join(shlex.quote(a) for a in (str(CHALK), *args))
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    script = " && ".join(
        [
            *lines,
            f"cd {shlex.quote(str(work))}",
            f"exec setpriv --reuid={NOBODY} --regid={NOBODY} --clear-groups "
            f"--inh-caps=-all env -i {exports} {command}",
        ]
    )
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _kill_leftovers() -> None:
    """Canary processes this test's selftest left running as uid 65534 (it reports them)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (
                entry.stat().st_uid == NOBODY
                and b"chalk-canary-" in (entry / "cmdline").read_bytes()
            ):
                os.kill(int(entry.name), signal.SIGKILL)
        except (OSError, ProcessLookupError):
            continue


@pytest.mark.render
def test_renders_without_privileges_or_bubblewrap_and_selftest_says_so():
    if os.geteuid() != 0:
        pytest.fail(
            "this test needs root to switch to an unprivileged user (setpriv).", pytrace=False
        )
    for tool in ("unshare", "setpriv"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing (Debian package util-linux).", pytrace=False)
    work = Path(tempfile.mkdtemp(prefix="chalk-unprivileged-", dir="/tmp"))
    try:
        work.chmod(0o777)
        (work / "scene.py").write_text(SCENE)
        (work / "scene.py").chmod(0o644)
        rendered = _as_nobody(
            work,
            "render",
            "--code",
            str(work / "scene.py"),
            "--json",
            "--out",
            str(work / "out.mp4"),
            "--no-cache",
            timeout=300,
        )
        assert rendered.returncode == 0, rendered.stdout + rendered.stderr[-4000:]
        result = json.loads(rendered.stdout)
        assert result["status"] == "succeeded"
        with av.open(str(work / "out.mp4")) as container:
            stream = container.streams.video[0]
            assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
        assert (work / "out.mp4").stat().st_uid == NOBODY

        checked = _as_nobody(work, "selftest", "--json", timeout=600)
        report = json.loads(checked.stdout)
        assert report["mode"] == "auto"
        assert "bwrap" not in report["layers"] and "per-job-uid" not in report["layers"]
        assert {"process", "clean-env", "rlimits", "timeout"} <= set(report["layers"])
        # Every canary holds without root and bubblewrap: among them a setsid() survivor
        # (ended by the supervisor as a child subreaper), a host socket file and /proc.
        failed = [(c["name"], c["detail"]) for c in report["canaries"] if not c["passed"]]
        assert failed == []
        assert all(c["detail"] for c in report["canaries"])
        assert report["ok"] is True
        assert checked.returncode == 0, checked.stderr[-2000:]
    finally:
        _kill_leftovers()
        shutil.rmtree(work, ignore_errors=True)
