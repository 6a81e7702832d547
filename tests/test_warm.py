"""The warm render pool: same results and the same isolation as a cold render, nothing carried
from one job to the next, and no warm sandbox outliving the process that started it.

(The hostile corpus in test_hostile_corpus.py also runs every program through a warm sandbox.)
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from app.core import sandbox, warm
from app.core.render import render_code
from app.core.selftest import _processes_with
from app.errors import ChalkError, InfrastructureError
from app.settings import Settings
from tests.conftest import scene_code
from tests.helpers import autogroups_enabled, wait_for

pytestmark = pytest.mark.render

REPO = Path(__file__).resolve().parents[1]
HANG = "from manim import *\nclass Hang(Scene):\n    def construct(self):\n        while 1: pass\n"


@pytest.fixture
def launches(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The launcher (a Zygote, or None for cold) of every sandbox run, in order."""
    seen: list[Any] = []
    real_run = sandbox.run

    def recording_run(work: Path, **kwargs: Any) -> sandbox.Outcome:
        seen.append(kwargs.get("launcher"))
        return real_run(work, **kwargs)

    monkeypatch.setattr(sandbox, "run", recording_run)
    return seen


@pytest.fixture(autouse=True)
def _warm_pool(settings: Settings):
    """This test process renders warm, as a worker does after prewarm(); cleaned up after."""
    warm.prewarm(settings)
    yield
    warm.POOL.close()
    warm.POOL.enabled = False


def test_warm_sandboxes_are_available_here(settings: Settings) -> None:
    assert warm.warm_available(settings), "warm pool needs root and bubblewrap on this host"
    assert warm.prewarm(settings) == 1
    assert warm.prewarm(settings.model_copy(update={"warm_pool": False})) == 0


def test_a_process_that_never_prewarms_renders_cold(
    settings: Settings, launches: list[Any]
) -> None:
    """A one-shot `chalk render` would pay more to start a warm sandbox than to render cold."""
    warm.POOL.close()
    warm.POOL.enabled = False
    result = render_code(scene_code("text_scene"), settings=settings)
    assert launches == [None] and "warm-fork" not in result.sandbox_layers


def test_warm_render_matches_cold_and_reuses_one_sandbox(
    settings: Settings, launches: list[Any]
) -> None:
    code = scene_code("text_scene")
    first = render_code(code, settings=settings)
    second = render_code(code, settings=settings)
    cold = render_code(code, settings=settings.model_copy(update={"warm_pool": False}))
    assert launches[0] is not None and launches[1] is launches[0], "the sandbox was not reused"
    assert launches[2] is None
    assert "warm-fork" in first.sandbox_layers and "warm-fork" not in cold.sandbox_layers
    # The same isolation layers as the cold path, plus the fork.
    assert set(first.sandbox_layers) - {"warm-fork"} == set(cold.sandbox_layers)
    for result in (first, second):
        assert (result.codec, result.width, result.height, result.frames) == (
            cold.codec,
            cold.width,
            cold.height,
            cold.frames,
        )
    assert launches[0].jobs == 2


def test_what_a_warm_job_prints_reaches_its_log_as_a_cold_one_does(settings: Settings) -> None:
    """A forked job ends with os._exit, which skips flushing stdout: its last prints (a
    hostile program's breach report among them) must still reach the log."""
    marker = f"chalk-print-{secrets.token_hex(5)}"
    code = (
        "from manim import *\nclass Say(Scene):\n    def construct(self):\n"
        f"        print('{marker}')\n        self.play(FadeIn(Square()), run_time=0.2)\n"
    )
    warm_result = render_code(code, check_policy=False, settings=settings)
    cold = settings.model_copy(update={"warm_pool": False})
    cold_result = render_code(code, check_policy=False, settings=cold)
    assert "warm-fork" in warm_result.sandbox_layers
    assert marker in cold_result.log_tail
    assert marker in warm_result.log_tail


def test_warm_and_cold_scenes_run_at_the_render_niceness_and_cannot_raise_it(
    settings: Settings,
) -> None:
    """Renders yield the CPU to the pages and the API (settings.sandbox_nice); a scene cannot
    take its priority back. Where the kernel schedules sessions as groups (autogroups), the
    render's session has that niceness too: each sandbox is a session of its own, and a
    process's nice alone would rank it only inside it."""
    code = textwrap.dedent("""
        import os
        from manim import *
        class Nice(Scene):
            def construct(self):
                print('niceness', os.getpriority(os.PRIO_PROCESS, 0))
                try:
                    os.setpriority(os.PRIO_PROCESS, 0, 0)
                    print('raised to', os.getpriority(os.PRIO_PROCESS, 0))
                except OSError as exc:
                    print('refused', exc.errno)
                try:
                    print('session', open('/proc/self/autogroup').read().strip())
                    open('/proc/self/autogroup', 'w').write('0')
                    print('session raised to', open('/proc/self/autogroup').read().strip())
                except OSError as exc:
                    print('session refused', exc.errno)
                self.play(FadeIn(Square()), run_time=0.2)
    """)
    grouped = autogroups_enabled()
    niced = settings.model_copy(update={"sandbox_nice": 13})
    for each in (niced, niced.model_copy(update={"warm_pool": False})):
        result = render_code(code, check_policy=False, settings=each)
        assert "niceness 13" in result.log_tail, result.log_tail
        assert "refused" in result.log_tail and "raised to" not in result.log_tail
        if grouped:
            assert re.search(r"session /autogroup-\d+ nice 13\n", result.log_tail), result.log_tail
            assert "session refused" in result.log_tail, result.log_tail
            assert "session raised to" not in result.log_tail


def test_nothing_carries_over_from_one_job_to_the_next(
    settings: Settings, launches: list[Any]
) -> None:
    marker = f"chalk-carry-{secrets.token_hex(5)}"
    # Job A leaves everything it can behind: files in /job and /tmp, a setsid() process,
    # an environment variable, a patched Manim class and a module-level global.
    job_a = textwrap.dedent(f"""
        import os, subprocess, manim
        from manim import *
        class Leave(Scene):
            def construct(self):
                open('/job/left.txt', 'w').write('x')
                open('/tmp/left.txt', 'w').write('x')
                os.makedirs('/job/media2/deep', exist_ok=True)
                subprocess.Popen(['/bin/bash', '-c', 'exec -a {marker} sleep 300'],
                                 start_new_session=True)
                os.environ['CHALK_CARRY'] = '1'
                manim.Circle = None
                import math
                math.CARRIED = True
                self.play(Create(Square()), run_time=0.5)
    """)
    job_b = textwrap.dedent(f"""
        import os, math, manim
        from manim import *
        class Check(Scene):
            def construct(self):
                found = []
                for path in ('/job/left.txt', '/tmp/left.txt', '/job/media2'):
                    if os.path.exists(path):
                        found.append(path)
                try:  # a render sees only its own /proc entries; the host check counts
                    pids = [pid for pid in os.listdir('/proc') if pid.isdigit()]
                except PermissionError:
                    pids = []
                for pid in pids:
                    try:
                        if b'{marker}' in open(f'/proc/{{pid}}/cmdline', 'rb').read():
                            found.append('process ' + pid)
                    except OSError:
                        pass
                if 'CHALK_CARRY' in os.environ:
                    found.append('environment')
                if manim.Circle is None or hasattr(math, 'CARRIED'):
                    found.append('module state')
                if found:
                    raise RuntimeError('carried over: ' + ', '.join(found))
                self.play(Create(Circle()), run_time=0.5)
    """)
    render_code(job_a, check_policy=False, settings=settings)
    assert not _processes_with(marker), "job A's setsid() process outlived job A"
    result = render_code(job_b, check_policy=False, settings=settings)
    assert launches[0] is not None and launches[1] is launches[0]
    assert result.frames > 0


def test_timeout_and_cancel_kill_the_job_but_keep_the_sandbox(
    settings: Settings, launches: list[Any]
) -> None:
    presets = dict(settings.quality_presets)
    presets["preview"] = presets["preview"].model_copy(update={"timeout_s": 3})
    quick = settings.model_copy(update={"quality_presets": presets})
    started = time.monotonic()
    with pytest.raises(ChalkError) as timed_out:
        render_code(HANG, check_policy=False, settings=quick)
    assert timed_out.value.kind == "timeout"
    assert time.monotonic() - started < 15

    cancel = threading.Event()
    threading.Timer(1.5, cancel.set).start()
    with pytest.raises(ChalkError) as cancelled:
        render_code(HANG, check_policy=False, settings=settings, cancel=cancel)
    assert cancelled.value.kind == "cancelled"

    after = render_code(scene_code("text_scene"), settings=settings)
    assert after.frames > 0
    assert launches[0] is not None and launches[0] is launches[1] is launches[2]


def test_a_warm_sandbox_that_dies_mid_job_is_an_infrastructure_error_and_is_replaced(
    settings: Settings, launches: list[Any]
) -> None:
    errors: list[ChalkError] = []

    def run() -> None:
        try:
            render_code(HANG, check_policy=False, settings=settings)
        except ChalkError as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert wait_for(lambda: bool(launches), 30)
    zygote = launches[0]
    assert zygote is not None
    assert wait_for(lambda: zygote.jobs == 1, 30)
    time.sleep(1)
    os.killpg(zygote.process.pid, signal.SIGKILL)
    worker.join(timeout=30)
    assert not worker.is_alive(), "the supervisor hung after its warm sandbox died"
    # Not the job's fault: a worker re-queues it (tests/jobs/test_faults.py).
    assert errors and isinstance(errors[0], InfrastructureError), errors
    assert errors[0].kind == "sandbox" and "try again" in errors[0].message
    result = render_code(scene_code("text_scene"), settings=settings)
    assert launches[1] is not None and launches[1] is not zygote
    assert result.frames > 0


def test_rendering_falls_back_to_cold_when_no_warm_sandbox_starts(
    settings: Settings, launches: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: warm.Zygote, work_root: Path) -> None:
        raise warm.ZygoteError("simulated failure to start")

    warm.POOL.close()  # no idle sandbox: the next render has to start one, and that fails
    monkeypatch.setattr(warm.Zygote, "__init__", broken)
    result = render_code(scene_code("text_scene"), settings=settings)
    assert launches == [None]
    assert "warm-fork" not in result.sandbox_layers


def test_a_fork_of_the_process_does_not_inherit_the_warm_sandboxes(settings: Settings) -> None:
    assert warm.prewarm(settings) == 1
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: an RQ work-horse or a worker process started by fork
        os.write(write_end, str(len(warm.POOL._idle)).encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    assert os.read(read_end, 10) == b"0"
    os.close(read_end)
    assert len(warm.POOL._idle) == 1


def test_warm_sandboxes_die_with_the_process_that_started_them(tmp_path: Path) -> None:
    token = secrets.token_hex(6)
    marker = f"chalk-warm-orphan-{token}"
    scene = textwrap.dedent(f"""
        from manim import *
        import subprocess
        class Hang(Scene):
            def construct(self):
                subprocess.Popen(['/bin/bash', '-c', 'exec -a {marker} sleep 300'],
                                 start_new_session=True)
                while True:
                    pass
    """)
    supervisor = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(REPO)!r})
        from app.core.render import render_code
        from app.core.warm import prewarm
        from app.settings import Settings
        settings = Settings(data_dir={str(tmp_path / "data")!r})
        assert prewarm(settings) == 1
        render_code({scene!r}, check_policy=False, settings=settings)
    """)
    script = tmp_path / "supervisor.py"
    script.write_text(supervisor)
    proc = subprocess.Popen([sys.executable, str(script)], start_new_session=True)
    try:
        assert wait_for(lambda: _processes_with(marker), 60), "the scene never started"
        zygotes = _processes_with("--zygote")
        mine = [pid for pid in zygotes if _is_descendant(pid, proc.pid)]
        assert mine, "the render did not run in a warm sandbox"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert wait_for(lambda: not _processes_with(marker), 10), "the job outlived its process"
        assert wait_for(lambda: not any(_alive(pid) for pid in mine), 10), "zygote outlived it"
    finally:
        for pid in _processes_with(marker):
            os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return "State:\tZ" not in status.read()
    except OSError:
        return False


def _is_descendant(pid: int, ancestor: int) -> bool:
    for _ in range(20):
        try:
            with open(f"/proc/{pid}/status") as status:
                fields = dict(line.split(":\t", 1) for line in status if ":\t" in line)
        except OSError:
            return False
        pid = int(fields.get("PPid", "0").strip())
        if pid == ancestor:
            return True
        if pid <= 1:
            return False
    return False


def test_mount_points_that_bubblewrap_makes_in_tmp_are_the_only_thing_kept() -> None:
    """A venv under /tmp (CI clones there) is bound into the sandbox's /tmp, so bubblewrap
    creates its mount point inside the job's tmp/ folder; reset must keep exactly that."""
    command = ["bwrap", "--ro-bind", "/usr", "/usr", "--ro-bind", "/tmp/cc/.venv", "/tmp/cc/.venv"]
    command += ["--perms", "0755", "--dir", "/tmp/other", "--bind", "/x/job", "/job"]
    assert warm._mount_points_under_tmp(command) == {"tmp/cc", "tmp/cc/.venv", "tmp/other"}
