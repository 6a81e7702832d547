# expect: GraphScene, CONFIG-dict, ShowCreation
from manim import *


class Parabola(GraphScene):
    CONFIG = {
        "x_min": -3,
        "x_max": 3,
        "y_min": 0,
        "y_max": 9,
        "graph_origin": DOWN * 3,
        "x_axis_width": 6,
        "y_axis_height": 5,
    }

    def construct(self):
        self.setup_axes()
        graph = self.get_graph(lambda x: x**2, color=BLUE)
        self.play(ShowCreation(graph), run_time=1)
