# expect: manimlib-import, fade-direction, TexText
from manimlib import *


class GlFade(Scene):
    def construct(self):
        words = TexText("from below")
        self.play(FadeIn(words, UP), run_time=0.5)
        self.play(FadeOut(words, 2 * DOWN), run_time=0.5)
