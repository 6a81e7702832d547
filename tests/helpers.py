"""Helpers the tests share (plain functions; fixtures live in conftest files and plugins):
free ports, waiting for a condition, accounts, a job row to run, a data dir as a worker finds
it, and faults to inject (a private Redis to restart, a TCP proxy to cut)."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis

from app.accounts.users import Account, create_account, find_account, get_or_create_user
from app.core import tex_format
from app.db.engine import session_scope
from app.db.models import Job
from app.settings import Settings

PASSWORD = "chalk-test-password"
"""The password of every account the tests make."""


def autogroups_enabled() -> bool:
    """Whether this kernel schedules sessions as groups, so a process's nice ranks it only
    inside its session's group (sched(7), "The autogroup feature")."""
    switch = Path("/proc/sys/kernel/sched_autogroup_enabled")
    return switch.exists() and switch.read_text().strip() == "1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (closed again before it is returned)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(predicate: Callable[[], Any], timeout: float, every: float = 0.1) -> Any:
    """Poll until `predicate()` is truthy and return its value; after `timeout` seconds return
    its last (falsy) value, so `assert wait_for(...)` fails."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > end:
            return value
        time.sleep(every)


def with_tex_format(data_dir: Path) -> Path:
    """`data_dir` holding the preloaded LaTeX format, as a worker or `chalk` finds its data dir
    after its first start: linked from this test process's, with the glyphs its warm sandboxes
    kept, so that a `chalk` subprocess neither dumps a format (0.5 s of CPU) nor, starting a
    warm sandbox, typesets them (0.9 s). Building both is tests/test_tex_format.py's subject."""
    data_dir.mkdir(parents=True, exist_ok=True)
    tex_format.ensure(data_dir)
    return data_dir


def make_account(
    settings: Settings,
    username: str = "teacher",
    *,
    role: str | None = "teacher",
    password: str = PASSWORD,
    email: str | None = None,
) -> Account:
    """An account with a password (the existing one if `username` has one already)."""
    found = find_account(settings=settings, username=username)
    if found is not None:
        return found
    return create_account(
        settings=settings,
        username=username,
        password=password,
        email=email if email is not None else f"{username}@school.example",
        display_name=username.title(),
        role=role,
    )


def make_user(settings: Settings, name: str = "teacher") -> int:
    """The id of a user row without a password (as job owners need), made on first use."""
    with session_scope(settings) as session:
        return get_or_create_user(session, name).id


class PrivateRedis:
    """A redis-server of one's own on a free loopback port, to stop and restart at will (the
    machine's shared Redis must never be restarted). No persistence unless asked at stop."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        try:
            assert wait_for(lambda: _pings(client), 10), f"redis-server on {self.port} is not up"
        finally:
            client.close()

    def stop(self, *, keep: bool) -> None:
        """Shut down; `keep` writes the data to disk first, so the next start loads it."""
        if self.proc is None:
            return
        if not keep:
            (self.directory / "dump.rdb").unlink(missing_ok=True)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        try:
            client.shutdown(save=keep, nosave=not keep)
        except redis.exceptions.RedisError:
            self.proc.kill()
        finally:
            client.close()
        self.proc.wait(timeout=10)
        self.proc = None

    def restart(self, *, keep: bool, down_s: float = 1.0) -> None:
        """Stop, stay down for `down_s`, start again (empty unless `keep`)."""
        self.stop(keep=keep)
        time.sleep(down_s)
        self.start()

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.proc = None


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.exceptions.ConnectionError:
        return False


class TcpProxy:
    """Forwards 127.0.0.1:`port` to `target`; `cut()` drops every connection and refuses new
    ones (accepted, then closed at once) until `restore()`: a database that went away."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.is_open = True
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        threading.Thread(target=self._accept, name="tcp-proxy", daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            try:
                if not self.is_open:
                    raise OSError("cut")
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._drop(source, sink)

    def _drop(self, *sockets: socket.socket) -> None:
        for sock in sockets:
            with self._lock:
                self._sockets.discard(sock)
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def cut(self) -> None:
        self.is_open = False
        with self._lock:
            live = list(self._sockets)
        self._drop(*live)

    def restore(self) -> None:
        self.is_open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


def queued_job(settings: Settings, owner_id: int, code: str) -> str:
    """The id of a new queued job that renders `code` (for tests that call execute())."""
    with session_scope(settings) as session:
        job = Job(owner_id=owner_id, code=code, generator="user")
        session.add(job)
        session.flush()
        return job.id
