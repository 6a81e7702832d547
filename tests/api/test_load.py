"""The load test's short version (bench/load.py runs the full one: 150 teachers, 20 batches,
10 browsers): a few simulated teachers on the API, two of them with a batch, against Redis,
PostgreSQL and two workers. No job may be lost, no request may fail with a 5xx, every
accepted job must end in a video, and every teacher who submitted must get one (fairness).
(The browsers' part is the app's own browser tests' subject, tests/e2e.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import autogroups_enabled

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.render, pytest.mark.xdist_group("redis")]


def test_a_short_load_loses_nothing_and_serves_everyone() -> None:
    done = subprocess.run(
        [
            sys.executable, str(ROOT / "bench" / "load.py"),
            "--users", "8", "--batch-users", "2", "--batch-size", "4",
            "--duration", "10", "--browsers", "0", "--prompts", "2", "--drain-s", "240",
        ],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads(done.stdout)
    jobs = result["jobs"]
    assert result["goals"]["no_lost_job"] and jobs["lost"] == 0, result
    assert result["goals"]["no_5xx"] and result["requests"] > 20, result
    assert jobs["submitted"] >= 8 and jobs["succeeded"] == jobs["submitted"], jobs
    fairness = result["fairness"]
    assert fairness["users_with_a_video"] == fairness["users_who_submitted"] > 0, fairness
    # Every endpoint the teachers use answered, and Locust saw no failed request.
    endpoints = result["endpoints"]
    assert {"POST /v1/jobs", "GET /v1/jobs/{id}", "POST /v1/batches"} <= set(endpoints)
    assert all(entry["failures"] == 0 for entry in endpoints.values()), endpoints


def load_bench():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_teachers_repeat_the_given_share_of_prompts_and_only_prompts_already_sent() -> None:
    bench = load_bench()
    prompts = bench.Prompts([f"prompt {n}" for n in range(400)], repeat_share=0.3)
    drawn = [prompts.next() for _ in range(300)]
    repeats = sum(1 for n, prompt in enumerate(drawn) if prompt in drawn[:n])
    assert 0.2 < repeats / len(drawn) < 0.4, repeats
    # Once every prompt of the pool was sent, every submit repeats one.
    few = bench.Prompts(["a", "b"], repeat_share=0.0)
    assert sorted(few.next() for _ in range(2)) == ["a", "b"]
    assert {few.next() for _ in range(20)} <= {"a", "b"}


def test_a_request_counts_as_while_busy_only_after_a_recent_all_busy_sample() -> None:
    busy = load_bench().BusyWorkers(settings=None, workers=2)
    busy.times, busy.all_busy = [100.0, 100.5, 101.0, 105.0], [True, False, True, True]
    assert busy.busy_at(100.2) and not busy.busy_at(100.7) and busy.busy_at(101.9)
    assert not busy.busy_at(99.0)  # before the first sample
    assert not busy.busy_at(103.0)  # the last sample is too old to say
    assert busy.share() == 0.75


def autogroup_nice(pid: int) -> int:
    """The niceness of the scheduling group of `pid`'s session ("/autogroup-85 nice 0"). A
    session never split from init's (a container's first one) is in the root group, whose
    file is empty and whose weight is always that of nice 0."""
    fields = Path(f"/proc/{pid}/autogroup").read_text().split()
    return int(fields[-1]) if fields else 0


def test_each_server_is_a_session_of_its_own_and_browser_sessions_get_background_priority(
    tmp_path: Path,
) -> None:
    """Where the kernel schedules sessions as groups, servers sharing the load generator's
    session would share one group's CPU, and chromium's own sessions would ignore its nice."""
    import argparse
    import os
    import signal

    bench = load_bench()
    system = bench.System(argparse.Namespace(sqlite=True, redis_url="redis://unused"), tmp_path)
    system.spawn("server", ["sleep", "60"])
    browser = subprocess.Popen(  # a chromium stand-in: a session of its own, one level down
        [
            sys.executable, "-c",
            "import subprocess, time\n"
            "print(subprocess.Popen(['sleep', '60'], start_new_session=True).pid, flush=True)\n"
            "time.sleep(60)",
        ],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert browser.stdout is not None
    leader = int(browser.stdout.readline())
    try:
        server = system.processes[0]
        assert os.getsid(server.pid) == server.pid != os.getsid(0)
        assert os.getsid(leader) == leader
        bench.lower_sessions_below(browser.pid, 7)
        if autogroups_enabled():
            assert autogroup_nice(leader) == 7
            assert autogroup_nice(server.pid) == autogroup_nice(os.getpid()) == 0
    finally:
        os.kill(leader, signal.SIGKILL)
        browser.kill()
        browser.wait()
        system.stop()
