# expect: LaggedStart-class
from manim import *


class Dots(Scene):
    def construct(self):
        dots = VGroup(*[Dot(RIGHT * i) for i in range(-3, 4)])
        self.play(LaggedStart(FadeIn, dots), run_time=1)
