# category: proc
# attack: classic double-fork daemon (fork, setsid, fork, chdir /, close fds, ignore SIGHUP/SIGTERM, clear PDEATHSIG) exec'ing a marker sleep; the scene then ends normally
# expect: any
# policy: reject
import ctypes
import os
import signal

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


class DoubleForkDaemon(Scene):
    def construct(self):
        pid = os.fork()
        if pid == 0:
            os.setsid()
            if os.fork() == 0:
                try:
                    ctypes.CDLL("libc.so.6").prctl(1, 0)  # PR_SET_PDEATHSIG, 0
                    for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
                        signal.signal(sig, signal.SIG_IGN)
                    os.chdir("/")
                    os.closerange(0, 1024)
                    os.execv("/bin/sh", [f"{MARKER}-daemon", "-c", "trap '' HUP TERM INT; while :; do sleep 1; done"])
                finally:
                    os._exit(0)
            os._exit(0)
        os.waitpid(pid, 0)
        import time

        time.sleep(0.3)
        print("marker processes alive:", marker_processes(MARKER))
        self.play(FadeIn(Square()), run_time=0.3)
