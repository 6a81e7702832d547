# expect: WiggleOutThenIn
from manim import *


class Wobble(Scene):
    def construct(self):
        word = Text("wobble")
        self.add(word)
        self.play(WiggleOutThenIn(word), run_time=1)
