# expect: FadeOutAndShift, FadeOutAndShiftDown
from manim import *


class Leave(Scene):
    def construct(self):
        a = Square().shift(LEFT)
        b = Circle().shift(RIGHT)
        self.add(a, b)
        self.play(FadeOutAndShift(a, UP), FadeOutAndShiftDown(b), run_time=1)
