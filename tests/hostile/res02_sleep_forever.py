# category: res
# attack: time.sleep(10**6): no CPU used, so only the wall-clock timeout can end it
# expect: error:timeout
# settings: timeout_s=4
# policy: reject
import time

from manim import *


class SleepForever(Scene):
    def construct(self):
        self.add(Circle())
        time.sleep(10**6)
