# expect: play-method
from manim import *


class Move(Scene):
    def construct(self):
        square = Square()
        self.add(square)
        self.play(square.shift, UP, run_time=0.5)
        self.play(square.set_color, RED, square.scale, 0.5, run_time=0.5)
