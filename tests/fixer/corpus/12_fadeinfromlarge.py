# expect: FadeInFromLarge, FadeOutToPoint
from manim import *


class Zoom(Scene):
    def construct(self):
        star = Star(color=GOLD)
        self.play(FadeInFromLarge(star, scale_factor=3), run_time=0.5)
        self.play(FadeOutToPoint(star, UR * 2), run_time=0.5)
