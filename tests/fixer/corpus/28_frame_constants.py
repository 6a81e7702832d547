# expect: FRAME-constants
from manim import *


class Edges(Scene):
    def construct(self):
        bar = Rectangle(width=FRAME_WIDTH - 1, height=0.5)
        dot = Dot(LEFT * (FRAME_X_RADIUS - 1))
        self.play(Create(bar), FadeIn(dot), run_time=1)
