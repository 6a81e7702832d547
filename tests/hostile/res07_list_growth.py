# category: res
# attack: grow a list of 1 MB strings without bound (touching every page)
# expect: error:render,sandbox
# max_s: 25
# policy: accept
from manim import *


class ListGrowth(Scene):
    def construct(self):
        hog = []
        while True:
            hog.append("x" * (1 << 20) + str(len(hog)))
