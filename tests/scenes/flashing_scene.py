from manim import *


class FlashingScene(Scene):
    """The whole frame turns white and black again five times a second for two seconds: five
    general flashes in every second (WCAG 2.3.1 allows three)."""

    def construct(self):
        flash = FullScreenRectangle(
            fill_color=WHITE,
            fill_opacity=1,
            stroke_width=0,
        )
        for _ in range(10):
            self.add(flash)
            self.wait(0.1)
            self.remove(flash)
            self.wait(0.1)
