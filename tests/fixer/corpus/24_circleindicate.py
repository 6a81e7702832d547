# expect: CircleIndicate
from manim import *


class Highlight(Scene):
    def construct(self):
        word = Text("key idea")
        self.add(word)
        self.play(CircleIndicate(word), run_time=1)
