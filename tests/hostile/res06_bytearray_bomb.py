# category: res
# attack: bytearray(10**11): a single 100 GB allocation
# expect: error:render,sandbox
# max_s: 20
# policy: accept
from manim import *


class BytearrayBomb(Scene):
    def construct(self):
        hog = bytearray(10**11)
        self.add(Text(str(len(hog))))
        self.play(FadeIn(Square()), run_time=0.3)
