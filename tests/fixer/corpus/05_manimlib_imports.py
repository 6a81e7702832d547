# expect: manimlib-import, ShowCreation
from manimlib.imports import *


class Square01(Scene):
    def construct(self):
        square = Square()
        self.play(ShowCreation(square), run_time=1)
