from manim import *


class LayoutStuck(Scene):
    """Off the frame in a way the layout fix cannot clear: the play() itself moves the dot out,
    and the square is never named."""

    def construct(self):
        dot = Dot()
        self.play(FadeIn(dot), run_time=0.5)
        self.play(dot.animate.shift(RIGHT * 9), FadeIn(Square().shift(UP * 5)), run_time=0.5)
