# category: env
# attack: read /proc/self/environ, /proc/1/environ, /proc/<ppid>/environ and every visible /proc/*/environ and cmdline, and print them
# expect: any
# policy: reject
# modes: warm, cold, process
import os

from manim import *


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError as exc:
        return type(exc).__name__


class ProcEnviron(Scene):
    def construct(self):
        pids = sorted({"self", "1", str(os.getppid())} | {p for p in os.listdir("/proc") if p.isdigit()})
        for pid in pids:
            for what in ("environ", "cmdline"):
                print(pid, what, read(f"/proc/{pid}/{what}")[:2000])
        for pid in ("1", str(os.getppid())):
            try:
                print("root of", pid, os.listdir(f"/proc/{pid}/root"))
            except OSError as exc:
                print("root of", pid, type(exc).__name__)
        self.play(FadeIn(Square()), run_time=0.3)
