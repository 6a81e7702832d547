# category: res
# attack: self.wait(10**9): a billion-second video
# expect: error:render
# message: limit
# max_s: 15
# policy: accept
from manim import *


class HugeWait(Scene):
    def construct(self):
        self.add(Square())
        self.wait(10**9)
