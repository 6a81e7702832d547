# category: res
# attack: config.pixel_width/height = 60000 and frame_rate = 10000 set from inside the scene (huge frames, huge frame count)
# expect: error
# max_s: 40
# policy: reject
from manim import *


class HugeResolution(Scene):
    def construct(self):
        config.pixel_width = 60000
        config.pixel_height = 60000
        config.frame_rate = 10000
        self.camera.pixel_width = 60000
        self.camera.pixel_height = 60000
        self.camera.reset()
        self.play(FadeIn(Square()), run_time=3)
