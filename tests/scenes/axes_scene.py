from manim import *


class AxesScene(Scene):
    def construct(self):
        axes = Axes(x_range=[-3, 3, 1], y_range=[-1, 9, 2], x_length=6, y_length=4)
        graph = axes.plot(lambda x: x**2, color=BLUE)
        label = axes.get_graph_label(graph, label="x^2")
        self.play(Create(axes), run_time=0.5)
        self.play(Create(graph), Write(label), run_time=1.5)
