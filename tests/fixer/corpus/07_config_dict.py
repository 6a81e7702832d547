# expect: CONFIG-dict
from manim import *


class Configured(Scene):
    CONFIG = {
        "radius": 1.5,
        "circle_color": RED,
    }

    def construct(self):
        circle = Circle(radius=self.radius, color=self.circle_color)
        self.play(Create(circle), run_time=1)
