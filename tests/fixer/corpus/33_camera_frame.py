# expect: camera_frame
from manim import *


class Zoomer(MovingCameraScene):
    def construct(self):
        dot = Dot(RIGHT * 2)
        self.add(dot)
        self.play(self.camera_frame.animate.scale(0.5).move_to(dot), run_time=1)
