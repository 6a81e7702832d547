# expect: CONFIG-dict, ShowCreation
from manim import *


class WhiteBoard(Scene):
    CONFIG = {
        "camera_config": {"background_color": WHITE},
        "line_color": BLACK,
    }

    def construct(self):
        line = Line(LEFT * 2, RIGHT * 2, color=self.line_color)
        self.play(ShowCreation(line), run_time=1)
