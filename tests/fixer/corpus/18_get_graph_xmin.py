# expect: get_graph, x_min-range
from manim import *


class Sine(Scene):
    def construct(self):
        axes = Axes(x_range=[0, 7, 1], y_range=[-1.5, 1.5, 0.5], x_length=7, y_length=3)
        wave = axes.get_graph(np.sin, x_min=0, x_max=2 * PI)
        self.play(Create(axes), Create(wave), run_time=1)
