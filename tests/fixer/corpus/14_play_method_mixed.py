# expect: play-method, ShowCreation
from manim import *


class Mixed(Scene):
    def construct(self):
        dot = Dot()
        ring = Circle()
        self.add(dot)
        self.play(dot.move_to, RIGHT * 2, ShowCreation(ring), run_time=1)
