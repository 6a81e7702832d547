# category: res
# attack: print() in an endless loop (stdout flood)
# expect: error:sandbox
# max_s: 25
# policy: accept
from manim import *


class StdoutFlood(Scene):
    def construct(self):
        line = "flood " * 200
        while True:
            print(line)
