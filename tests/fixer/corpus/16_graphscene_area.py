# expect: GraphScene, ShowCreation
from manim import *


class Area(GraphScene):
    def construct(self):
        self.setup_axes(animate=False)
        graph = self.get_graph(lambda x: 0.1 * x**2 + 1, x_min=0, x_max=8)
        rects = self.get_riemann_rectangles(graph, x_min=1, x_max=6, dx=1)
        line = self.get_vertical_line_to_graph(6, graph, color=YELLOW)
        self.play(ShowCreation(graph), FadeIn(rects), ShowCreation(line), run_time=1)
