"""Canaries must pass in the sandbox and must fail when the sandbox is bypassed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from app.core import selftest
from app.errors import ChalkError

pytestmark = pytest.mark.render


def test_selftest_passes_in_the_sandbox(settings):
    report = selftest.run_selftest(settings)
    assert [(c.name, c.detail) for c in report.canaries if not c.passed] == []
    assert report.ok
    assert {"bwrap", "pid-namespace", "landlock-fs", "seccomp"} <= set(report.layers)


def test_selftest_passes_without_bubblewrap_on_the_remaining_layers(settings):
    """The fallback for hosts where bubblewrap cannot run: Landlock, seccomp, uid, rlimits."""
    # Without bubblewrap the job's uid walks the host path to its work dir, and pytest's
    # tmp_path lives under a 0700 directory; use a world-searchable place instead.
    settings.data_dir = Path(tempfile.mkdtemp(prefix="chalk-process-mode-", dir="/var/tmp"))
    settings.data_dir.chmod(0o755)
    settings.sandbox_mode = "process"
    try:
        report = selftest.run_selftest(settings)
    finally:
        shutil.rmtree(settings.data_dir, ignore_errors=True)
    assert [(c.name, c.detail) for c in report.canaries if not c.passed] == []
    assert report.ok
    assert "bwrap" not in report.layers
    assert {"landlock-fs", "landlock-net", "seccomp", "per-job-uid"} <= set(report.layers)


def test_process_mode_explains_an_unreachable_work_dir(settings):
    settings.sandbox_mode = "process"  # tmp_path sits under pytest's 0700 directory
    report = selftest.run_selftest(settings)
    assert not report.ok
    assert "not set up correctly" in report.canaries[0].detail


def test_a_canary_that_never_ran_fails(settings, monkeypatch):
    settings.data_dir.mkdir(parents=True)
    broken = ChalkError("sandbox", "The render sandbox could not start.")
    monkeypatch.setattr(selftest, "_run", lambda code, settings: (broken, broken.message))
    for canary in (selftest.canary_network, selftest.canary_secrets, selftest.canary_limits):
        result = canary(settings)
        assert result.passed is False
        assert "did not run" in result.detail


def _unsandboxed_run(code, settings):
    """Control: run the canary scene directly on the host, as a careless app would."""
    work = settings.data_dir / "unsandboxed"
    work.mkdir(parents=True, exist_ok=True)
    (work / "scene.py").write_text(code + "\nCanary().construct()\n")
    # Output to a file, not a pipe: a surviving child would hold a pipe open forever.
    with open(work / "log.txt", "w+") as log:
        proc = subprocess.run(
            [sys.executable, "scene.py"],
            cwd=work,
            stdout=log,
            stderr=log,
            timeout=120,
            check=False,
        )
        log.seek(0)
        text = log.read()
    return (ChalkError("render", "failed", detail=text) if proc.returncode else None), text


# One worker runs all controls in turn: each control kills the stray canary processes it
# made, and must not kill another control's before that one has looked for them.
@pytest.mark.xdist_group("canary-controls")
@pytest.mark.parametrize(
    "canary",
    [
        selftest.canary_host_write,
        selftest.canary_network,
        selftest.canary_secrets,
    ],
    ids=lambda c: c.__name__,
)
def test_canary_detects_an_escape_without_the_sandbox(canary, settings, monkeypatch):
    settings.data_dir.mkdir(parents=True)
    monkeypatch.setattr(selftest, "_run", _unsandboxed_run)
    before = set(_sleepers())
    try:
        result = canary(settings)
    finally:
        for pid in set(_sleepers()) - before:
            os.kill(pid, signal.SIGKILL)
    assert result.passed is False, result


def test_survivor_signal_sees_a_detached_process():
    """Control for the no-survivors canary: its process scan finds a setsid() survivor.

    (A scene run unsandboxed would leave such processes too, but on a busy host something
    else may reap orphans first, so this control starts the survivor itself. Its marker is
    not a canary's: the test above, in another test process, kills every new "chalk-canary-"
    process it sees.)
    """
    marker = f"chalk-control-{os.urandom(4).hex()}"
    proc = subprocess.Popen(
        ["/bin/bash", "-c", f"exec -a {marker} sleep 60"], start_new_session=True
    )
    try:
        deadline = time.monotonic() + 10  # bash may take a moment to exec on a busy host
        while not selftest._processes_with(marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert selftest._processes_with(marker) == [proc.pid]
    finally:
        proc.kill()
        proc.wait()
    assert selftest._processes_with(marker) == []


def _sleepers() -> list[int]:
    time.sleep(0.2)
    return selftest._processes_with("chalk-canary-")
