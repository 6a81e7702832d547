from manim import *


class LowContrastScene(Scene):
    """Two labels too dark to read on the black background, and one that reads well."""

    def construct(self):
        faint = Text("faint label", color=DARK_GREY).shift(UP * 2)
        formula = MathTex("x = 3", color=BLUE_E)
        clear = Text("clear label", color=WHITE).shift(DOWN * 2)
        self.play(FadeIn(faint), Write(formula), FadeIn(clear), run_time=1)
        self.wait(1)
