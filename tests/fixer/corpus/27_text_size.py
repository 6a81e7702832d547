# expect: Text-size
from manim import *


class Small(Scene):
    def construct(self):
        note = Text("small print", size=0.5)
        self.play(Write(note), run_time=1)
