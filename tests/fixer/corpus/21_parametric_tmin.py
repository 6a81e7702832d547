# expect: x_min-range
from manim import *


class Spiral(Scene):
    def construct(self):
        curve = ParametricFunction(
            lambda t: np.array([0.3 * t * np.cos(t), 0.3 * t * np.sin(t), 0]),
            t_min=0,
            t_max=4 * PI,
            color=TEAL,
        )
        self.play(Create(curve), run_time=1)
