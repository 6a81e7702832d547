# category: res
# attack: self.play(..., run_time=10**7) and a long chain of plays adding up past the limit
# expect: error:render
# message: limit
# max_s: 15
# policy: accept
from manim import *


class HugeRunTime(Scene):
    def construct(self):
        sq = Square()
        for _ in range(50):
            self.play(sq.animate.shift(RIGHT * 0.01), run_time=1)
        self.play(Rotate(sq, PI), run_time=10**7)
