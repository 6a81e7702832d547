# expect: Tex-math
from manim import *


class MathInTex(Scene):
    def construct(self):
        formula = Tex(r"\frac{1}{2} mv^2")
        self.play(Write(formula), run_time=1)
