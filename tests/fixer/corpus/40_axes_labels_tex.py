# expect: get_axis_labels, get_graph
from manim import *


class Labeled(Scene):
    def construct(self):
        axes = Axes(x_range=[0, 4, 1], y_range=[0, 4, 1], x_length=5, y_length=4)
        labels = axes.get_axis_labels(x_label_tex="t", y_label_tex="v")
        line = axes.get_graph(lambda t: t, color=RED)
        self.play(Create(axes), Write(labels), Create(line), run_time=1)
