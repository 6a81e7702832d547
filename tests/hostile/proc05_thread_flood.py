# category: proc
# attack: start threads until the process/thread limit refuses more, each sleeping; then try to play
# expect: any
# policy: reject
import threading
import time

from manim import *


class ThreadFlood(Scene):
    def construct(self):
        started = 0
        for _ in range(100000):
            try:
                threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
                started += 1
            except RuntimeError:
                break
        print("threads", started)
        self.play(FadeIn(Square()), run_time=0.3)
