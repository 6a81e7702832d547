# expect: FadeInFromDown
from manim import *


class Rise(Scene):
    def construct(self):
        dot = Dot(color=YELLOW)
        self.play(FadeInFromDown(dot), run_time=1)
