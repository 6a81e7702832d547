# expect: ShowCreation
from manim import *


class Circles(Scene):
    def construct(self):
        circle = Circle(color=BLUE)
        self.play(ShowCreation(circle), run_time=1)
