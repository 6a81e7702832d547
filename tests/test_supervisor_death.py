"""The sandbox never outlives its supervisor: RQ may SIGKILL a work-horse's process group,
but bubblewrap's --new-session leaves that group, so --die-with-parent must take it down."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import textwrap

import pytest

from app.core.selftest import _processes_with
from tests.helpers import wait_for

pytestmark = pytest.mark.render


def test_killing_the_supervisor_kills_the_whole_sandbox(tmp_path):
    token = secrets.token_hex(6)
    marker = f"chalk-orphan-{token}"
    # The marker is assembled at run time so that only the scene's child carries it.
    scene = textwrap.dedent(f"""
        from manim import *
        import subprocess
        class Hang{token}(Scene):
            def construct(self):
                name = 'chalk-orphan-' + '{token}'
                subprocess.Popen(['/bin/bash', '-c', 'exec -a ' + name + ' sleep 300'],
                                 start_new_session=True)
                while True:
                    pass
    """)
    supervisor = textwrap.dedent(f"""
        from app.core.render import render_code
        from app.settings import Settings
        render_code({scene!r}, check_policy=False,
                    settings=Settings(data_dir={str(tmp_path / "data")!r}, warm_pool=False))
    """)
    script = tmp_path / "supervisor.py"
    script.write_text(supervisor)
    proc = subprocess.Popen([sys.executable, str(script)], start_new_session=True)
    try:
        assert wait_for(lambda: _processes_with(marker), 30), "the scene never started"
        os.killpg(proc.pid, signal.SIGKILL)  # what RQ does to a timed-out work-horse
        proc.wait(timeout=10)
        # The kernel takes the sandbox's PID namespace down one process at a time, so each
        # gets the same few seconds. The runner's argv names the scene class, unique here.
        assert wait_for(lambda: not _processes_with(marker), 5), "sandbox outlived supervisor"
        assert wait_for(lambda: not _processes_with(f"Hang{token}"), 5), "the runner outlived it"
    finally:
        for pid in _processes_with(marker):
            os.kill(pid, signal.SIGKILL)
