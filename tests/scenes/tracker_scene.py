from manim import *


class TrackerScene(Scene):
    def construct(self):
        axes = Axes(x_range=[-3, 3], y_range=[-1, 9], x_length=6, y_length=4)
        graph = axes.plot(lambda x: x**2, color=YELLOW)
        x = ValueTracker(-2)
        dot = always_redraw(lambda: Dot(axes.c2p(x.get_value(), x.get_value() ** 2), color=RED))
        self.add(axes, graph, dot)
        self.play(x.animate.set_value(2), run_time=2)
