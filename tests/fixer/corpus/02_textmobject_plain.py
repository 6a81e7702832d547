# expect: TextMobject
from manim import *


class Title(Scene):
    def construct(self):
        title = TextMobject("Photosynthesis")
        self.play(Write(title), run_time=1)
