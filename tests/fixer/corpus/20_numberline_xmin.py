# expect: x_min-range
from manim import *


class Line01(Scene):
    def construct(self):
        line = NumberLine(x_min=-5, x_max=5, unit_size=1, tick_frequency=1)
        self.play(Create(line), run_time=1)
