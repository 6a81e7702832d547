# expect: latex-raw-string
from manim import *


class Fraction(Scene):
    def construct(self):
        formula = MathTex("\frac{\theta}{2} \times \beta")
        self.play(Write(formula), run_time=1)
