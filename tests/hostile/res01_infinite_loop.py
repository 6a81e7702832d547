# category: res
# attack: infinite CPU loop in construct()
# expect: error:timeout
# settings: timeout_s=4
# policy: accept
from manim import *


class InfiniteLoop(Scene):
    def construct(self):
        n = 0
        while True:
            n += 1
