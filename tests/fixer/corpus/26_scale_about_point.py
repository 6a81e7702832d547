# expect: scale_about_point
from manim import *


class Pivot(Scene):
    def construct(self):
        tri = Triangle()
        tri.scale_about_point(0.5, ORIGIN)
        self.play(Create(tri), run_time=1)
