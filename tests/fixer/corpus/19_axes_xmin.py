# expect: x_min-range
from manim import *


class OldAxes(Scene):
    def construct(self):
        axes = Axes(x_min=-4, x_max=4, y_min=-2, y_max=2)
        self.play(Create(axes), run_time=1)
