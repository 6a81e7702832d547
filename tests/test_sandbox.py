"""Sandbox building blocks: the bwrap command line, the clean environment, the reaper."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from app.core import orphans, sandbox
from app.core.tex_format import TexFormat


def test_clean_env_carries_no_secrets_or_chalk_values(monkeypatch):
    monkeypatch.setenv("CHALK_LLM_API_KEY", "sk-secret")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    env = sandbox.clean_env("/job")
    assert not any(k.startswith("CHALK_") for k in env)
    assert "sk-secret" not in " ".join(env.values())
    assert "secret" not in " ".join(env.values())
    assert env["shell_escape"] == "f"  # LaTeX: no \write18
    assert env["openout_any"] == "p"


def test_bwrap_command_isolates_network_pid_and_filesystem(tmp_path):
    cmd = sandbox.bwrap_command(tmp_path, as_root=True)
    joined = " ".join(cmd)
    for flag in (
        "--unshare-net",
        "--unshare-pid",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
    ):
        assert flag in cmd
    assert "--ro-bind /usr /usr" in joined
    assert f"--bind {tmp_path} /job" in joined
    # Nothing of the host is writable except the job directory (and its tmp/ as /tmp).
    writable = [cmd[i + 1] for i, arg in enumerate(cmd) if arg == "--bind"]
    assert writable == [str(tmp_path / "tmp"), str(tmp_path)]
    # A tmpfs is host memory that no limit sees: only an empty, read-only one hides a folder.
    for i in (i for i, arg in enumerate(cmd) if arg == "--tmpfs"):
        assert cmd[i + 2 : i + 4] == ["--remount-ro", cmd[i + 1]]
    assert "--cap-add" in cmd and "CAP_SYS_ADMIN" not in cmd
    unprivileged = sandbox.bwrap_command(tmp_path, as_root=False)
    assert "--unshare-all" in unprivileged and "--cap-add" not in unprivileged


def test_the_preloaded_latex_format_is_bound_read_only(tmp_path):
    preloaded = TexFormat(tmp_path / "texfmt" / "key", "\\documentclass{article}\n")
    cmd = sandbox.bwrap_command(tmp_path, as_root=True, tex_format=preloaded)
    assert f"--ro-bind {preloaded.folder} {sandbox.SANDBOX_TEX_FORMAT_DIR}" in " ".join(cmd)
    writable = [cmd[i + 1] for i, arg in enumerate(cmd) if arg == "--bind"]
    assert writable == [str(tmp_path / "tmp"), str(tmp_path)]
    # Landlock lets the job read it (beneath the entry's folder) and write none of it.
    paths = sandbox.confine_paths(sandbox.SANDBOX_JOB_DIR, private_tmp=True)
    assert any(sandbox.SANDBOX_TEX_FORMAT_DIR.startswith(p + "/") for p in paths["read"])
    assert not any(sandbox.SANDBOX_TEX_FORMAT_DIR.startswith(p) for p in paths["write"])
    assert sandbox.SANDBOX_TEX_FORMAT_DIR not in " ".join(sandbox.bwrap_command(tmp_path, True))


def test_ancestors_of_bound_paths_are_listed_parent_first():
    assert sandbox._ancestor_dirs(["/a/b/c", "/a/d"]) == ["/a", "/a/b"]


@pytest.mark.skipif(os.geteuid() != 0, reason="switching uid needs root; CI runs as root")
def test_reap_uid_kills_every_process_of_the_job_uid():
    uid = sandbox.new_job_uid()

    def become_job_user() -> None:
        os.setsid()
        os.setgid(uid)
        os.setuid(uid)

    procs = [subprocess.Popen(["sleep", "60"], preexec_fn=become_job_user) for _ in range(3)]
    time.sleep(0.2)
    assert sandbox._count_uid_processes(uid) == 3
    assert sandbox.reap_uid(uid) >= 3
    for proc in procs:
        assert proc.wait(timeout=5) == -9
    assert sandbox._count_uid_processes(uid) == 0


def _job_orphan(uid: int) -> int:
    """A `sleep` running as `uid` whose parent has exited, so a subreaper here adopts it."""

    def become_job_user() -> None:
        os.setsid()
        os.setgid(uid)
        os.setuid(uid)

    parent = subprocess.Popen(
        ["sh", "-c", "sleep 30 >/dev/null 2>&1 & echo $!"],
        stdout=subprocess.PIPE,
        preexec_fn=become_job_user,
    )
    out, _ = parent.communicate(timeout=5)
    return int(out)


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rpartition(")")[2].split()[0]


@pytest.mark.skipif(os.geteuid() != 0, reason="switching uid needs root; CI runs as root")
def test_root_subreaper_reaps_only_the_finished_jobs_orphans():
    """As root, reap_uid kills a job's orphan but it stays a zombie holding the job's uid
    (init may never reap it); the subreaper waits for it, and leaves alone root's own child
    in a session of its own and another job's orphan, still running."""
    assert orphans.become_subreaper()
    job, other_job = sandbox.new_job_uid(), sandbox.new_job_uid()
    own = subprocess.Popen(["sleep", "30"], start_new_session=True)
    orphan, other_orphan = _job_orphan(job), _job_orphan(other_job)
    try:
        adopted = dict(orphans._children())
        assert orphan in adopted and other_orphan in adopted
        sandbox.reap_uid(job)
        deadline = time.monotonic() + 5
        while _state(orphan) != "Z" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sandbox.uid_pids(job) == [str(orphan)]  # a zombie, still holding the job's uid
        assert orphans.reap_inherited(job) == 1
        assert sandbox.uid_pids(job) == []
        assert own.poll() is None
        assert _state(other_orphan) != "Z"
    finally:
        own.kill()
        own.wait(timeout=5)
        sandbox.reap_uid(other_job)
        orphans.reap_inherited(other_job)
    assert sandbox.uid_pids(other_job) == []


def test_dir_bytes_stops_early_past_the_cap(tmp_path):
    for i in range(5):
        (tmp_path / f"f{i}").write_bytes(b"x" * 10_000)
    assert sandbox._dir_bytes(tmp_path, 10**9) >= 50_000
    assert 10_000 < sandbox._dir_bytes(tmp_path, 15_000) < 50_000


def test_dir_bytes_charges_empty_files_so_inode_floods_count(tmp_path):
    for i in range(300):
        (tmp_path / f"empty{i}").touch()
    assert sandbox._dir_bytes(tmp_path, 10**9) >= 300 * 4096


def test_protocol_reader_drops_floods_and_unknown_events():
    read_fd, write_fd = os.pipe()
    reader = sandbox._Reader(read_fd, sandbox.PROTOCOL_MAX_LINE, json_lines=True)
    reader.start()
    lines = [
        b'{"event": "progress", "fraction": 0.5}',
        b'{"event": "bogus"}',
        b'{"event": "layout", "pad": "' + b"x" * (sandbox.PROTOCOL_MAX_LINE + 10) + b'"}',
    ]
    lines += [b'{"event": "progress", "fraction": 0.6}'] * (sandbox.PROTOCOL_MAX_MESSAGES + 50)
    with os.fdopen(write_fd, "wb") as pipe:
        pipe.write(b"\n".join(lines) + b"\n")
    reader.join(timeout=10)
    assert reader.messages[0] == {"event": "progress", "fraction": 0.5}
    assert all(m["event"] == "progress" for m in reader.messages)
    assert len(reader.messages) == sandbox.PROTOCOL_MAX_MESSAGES


@pytest.mark.skipif(os.geteuid() != 0, reason="switching uid needs root; CI runs as root")
def test_job_memory_counts_shared_pages_once():
    """Forked children share their parent's pages; a fork-heavy job is not a memory hog."""
    uid = sandbox.new_job_uid()

    def become_job_user() -> None:
        os.setgid(uid)
        os.setuid(uid)

    script = (
        "import os, time\n"
        "b = bytearray(200 * 1024 * 1024)\n"
        "for i in range(0, len(b), 4096): b[i] = 1\n"
        "for _ in range(3): os.fork()\n"
        "time.sleep(30)\n"
    )
    # /usr/bin/python3: the job's uid may not be able to read a Python installed under /root.
    proc = subprocess.Popen(["/usr/bin/python3", "-c", script], preexec_fn=become_job_user)
    try:
        time.sleep(2)
        assert sandbox._count_uid_processes(uid) == 8
        used = sandbox._uid_memory_bytes(uid)
        assert 180 << 20 < used < 400 << 20  # about 200 MB, not 8 x 200 MB
    finally:
        sandbox.reap_uid(uid)
        proc.wait(timeout=5)


@pytest.mark.skipif(os.geteuid() != 0, reason="creating cgroups needs root; CI runs as root")
def test_job_cgroup_stops_memory_spread_over_processes():
    from app.core import cgroup

    group = cgroup.create(256 << 20)
    assert group is not None, "no memory cgroup on this host"
    hog = (
        "import time\n"
        "b = bytearray(200 << 20)\n"
        "for i in range(0, len(b), 4096): b[i] = 1\n"
        "time.sleep(5)"
    )
    procs = [
        subprocess.Popen(
            ["/usr/bin/python3", "-c", hog],
            preexec_fn=lambda: cgroup.join_in_child(group.procs_file),
        )
        for _ in range(3)
    ]
    codes = [proc.wait(timeout=30) for proc in procs]
    assert -9 in codes  # 600 MB asked for, 256 MB allowed: the kernel killed at least one
    assert group.oom_killed()
    group.remove()
    assert not group.path.exists()
