# category: res
# attack: fork 40 CPU spinners that ignore SIGTERM, and spin in the main process too
# expect: error:timeout
# settings: timeout_s=4
# policy: reject
import os
import signal

from manim import *


class CpuSpinners(Scene):
    def construct(self):
        for _ in range(40):
            try:
                if os.fork() == 0:
                    signal.signal(signal.SIGTERM, signal.SIG_IGN)
                    while True:
                        pass
            except OSError:
                break
        while True:
            pass
