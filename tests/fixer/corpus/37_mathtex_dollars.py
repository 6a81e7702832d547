# expect: mathtex-dollars
from manim import *


class Dollars(Scene):
    def construct(self):
        formula = MathTex(r"$a^2 + b^2 = c^2$")
        self.play(Write(formula), run_time=1)
