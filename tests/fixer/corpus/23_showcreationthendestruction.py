# expect: ShowCreationThenDestruction
from manim import *


class Flashy(Scene):
    def construct(self):
        path = Line(LEFT * 3, RIGHT * 3, color=YELLOW)
        self.play(ShowCreationThenDestruction(path), run_time=1)
