from manim import *


class LayoutBroken(Scene):
    def construct(self):
        title = Text("A title far too long to fit across the frame of this video", font_size=60)
        self.play(Write(title), run_time=0.5)
        self.play(title.animate.to_edge(UP), run_time=0.5)
        label_a = Text("mass", font_size=36)
        label_b = Text("weight", font_size=36).shift(0.1 * DOWN)
        self.play(FadeIn(label_a), FadeIn(label_b), run_time=0.5)
        note = Text("Off to the side", font_size=32).shift(8 * RIGHT)
        self.add(note)
        self.play(Indicate(label_a), run_time=0.5)
