# category: proc
# attack: become a child subreaper, move children into other process groups/sessions, kill -9 -1 from a child to disturb the runner, and leave a marker child orphaned while the scene finishes
# expect: any
# policy: reject
import ctypes
import os
import subprocess
import time

from manim import *

MARKER = HOSTILE_MARKER


def marker_processes(marker):
    """How many processes carrying the marker this job can see (proves the spawn worked)."""
    import os

    count = 0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    count += marker.encode() in f.read()
            except OSError:
                pass
    return count


class SubreaperPgrp(Scene):
    def construct(self):
        libc = ctypes.CDLL("libc.so.6")
        libc.prctl(36, 1)  # PR_SET_CHILD_SUBREAPER
        child = subprocess.Popen(["bash", "-c", f"exec -a {MARKER}-orphan sleep 300"])
        try:
            os.setpgid(child.pid, 0)
        except OSError:
            pass
        killer = os.fork()
        if killer == 0:
            os.setsid()
            if os.fork() == 0:
                time.sleep(0.5)
                try:
                    os.kill(-1, 9)  # everything this uid can signal
                finally:
                    os._exit(0)
            os._exit(0)
        os.waitpid(killer, 0)
        time.sleep(0.3)
        print("marker processes alive:", marker_processes(MARKER))
        self.play(FadeIn(Square()), run_time=0.3)
