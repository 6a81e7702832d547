"""Canaries must pass in the sandbox and must fail when the sandbox is bypassed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from app.core import selftest
from app.errors import ChalkError

pytestmark = pytest.mark.render


def test_selftest_passes_in_the_sandbox(settings):
    report = selftest.run_selftest(settings)
    assert report.ok, report.to_json()
    assert "bwrap" in report.layers


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


@pytest.mark.parametrize(
    "canary",
    [
        selftest.canary_host_write,
        selftest.canary_network,
        selftest.canary_secrets,
        selftest.canary_survivor,
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


def _sleepers() -> list[int]:
    time.sleep(0.2)
    return selftest._processes_with("chalk-canary-")
