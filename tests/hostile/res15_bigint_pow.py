# category: res
# attack: 10**(10**9): one uninterruptible C-level computation (no Python bytecode boundary for signals)
# expect: error:timeout
# settings: timeout_s=4
# policy: accept
from manim import *


class BigIntPow(Scene):
    def construct(self):
        huge = 10 ** (10**9)
        self.add(Text(str(huge % 7)))
        self.play(FadeIn(Square()), run_time=0.3)
