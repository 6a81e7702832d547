# expect: TexMobject
from manim import *


class Euler(Scene):
    def construct(self):
        formula = TexMobject(r"e^{i\pi} + 1 = 0")
        self.play(Write(formula), run_time=1)
