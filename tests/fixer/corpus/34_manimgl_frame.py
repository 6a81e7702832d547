# expect: manimlib-import, gl-frame, MovingCameraScene, ShowCreation
from manimlib import *


class GlCamera(Scene):
    def construct(self):
        square = Square()
        self.play(ShowCreation(square), run_time=0.5)
        self.play(self.frame.animate.scale(0.5), run_time=0.5)
