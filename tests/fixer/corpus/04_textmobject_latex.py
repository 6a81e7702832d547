# expect: TextMobject
from manim import *


class AreaText(Scene):
    def construct(self):
        text = TextMobject("Area $= \\pi r^2$", "!")
        self.play(FadeIn(text), run_time=1)
