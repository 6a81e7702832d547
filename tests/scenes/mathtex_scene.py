from manim import *


class MathTexScene(Scene):
    def construct(self):
        formula = MathTex(r"x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}")
        self.play(Write(formula), run_time=1)
        self.play(Indicate(formula), run_time=1)
