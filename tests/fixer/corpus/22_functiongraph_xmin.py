# expect: x_min-range
from manim import *


class Wave(Scene):
    def construct(self):
        graph = FunctionGraph(lambda x: np.sin(2 * x), x_min=-3, x_max=3, color=PINK)
        self.play(Create(graph), run_time=1)
