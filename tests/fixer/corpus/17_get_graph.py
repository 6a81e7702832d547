# expect: get_graph
from manim import *


class Cubic(Scene):
    def construct(self):
        axes = Axes(x_range=[-2, 2, 1], y_range=[-4, 4, 2], x_length=6, y_length=4)
        curve = axes.get_graph(lambda x: x**3 - x, color=GREEN)
        self.play(Create(axes), Create(curve), run_time=1)
