# expect: latex-unicode
from manim import *


class Circumference(Scene):
    def construct(self):
        formula = MathTex(r"C = 2πr, \; θ ≤ 2π")
        self.play(Write(formula), run_time=1)
