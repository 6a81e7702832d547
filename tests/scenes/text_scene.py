from manim import *


class TextScene(Scene):
    def construct(self):
        title = Text("Photosynthesis", font_size=60)
        self.play(Write(title), run_time=1)
        self.play(title.animate.to_edge(UP), run_time=0.5)
        self.wait(0.5)
