# expect: manimlib-import, Tex, TexText
from manimlib import *


class Quadratic(Scene):
    def construct(self):
        label = TexText("Quadratic formula")
        formula = Tex(r"x = \frac{-b \pm \sqrt{b^2-4ac}}{2a}")
        formula.next_to(label, DOWN)
        self.play(Write(label), Write(formula), run_time=1)
