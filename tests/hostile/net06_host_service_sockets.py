# category: net
# attack: process-mode escape to host services: connect to every Unix socket file under /run, /var/run and /tmp (PostgreSQL, Redis, Docker, D-Bus) plus the host listener's socket file, speak PostgreSQL's startup message to any that answers, and list other processes in /proc
# expect: any
# policy: reject
# modes: warm, cold, process
import os
import socket

from manim import *

UNIX_PATH = HOSTILE_UNIX_PATH
BREACH = "HOSTILE-" + "BREACH"


class HostServiceSockets(Scene):
    def construct(self):
        paths = [UNIX_PATH]
        for top in ("/run", "/var/run", "/tmp"):
            for folder, _, files in os.walk(top):
                paths += [os.path.join(folder, name) for name in files][:200]
        for path in paths:
            try:
                client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                client.settimeout(1)
                client.connect(path)
            except OSError as exc:
                print("unix", path, type(exc).__name__)
                continue
            print(BREACH, "connected to host socket", path)
            try:  # PostgreSQL startup: protocol 3.0, user postgres
                body = b"\x00\x03\x00\x00user\x00postgres\x00\x00"
                client.sendall(len(body + b"1234").to_bytes(4, "big") + body)
                print("reply", client.recv(64))
            except OSError:
                pass
        try:
            others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) > 2]
            visible = [open(f"/proc/{p}/cmdline").read() for p in others[:50]]
            if any("pytest" in line for line in visible):
                print(BREACH, "host processes visible in /proc")
        except OSError as exc:
            print("proc", type(exc).__name__)
        self.play(FadeIn(Square()), run_time=0.3)
