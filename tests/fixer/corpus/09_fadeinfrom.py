# expect: FadeInFrom
from manim import *


class SlideIn(Scene):
    def construct(self):
        word = Text("slide")
        self.play(FadeInFrom(word, LEFT), run_time=1)
