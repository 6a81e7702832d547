# expect: scale_in_place, rotate_in_place
from manim import *


class Shrink(Scene):
    def construct(self):
        square = Square()
        square.scale_in_place(0.5)
        square.rotate_in_place(PI / 4)
        self.play(Create(square), run_time=1)
