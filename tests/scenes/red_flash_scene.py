from manim import *


class RedFlashScene(Scene):
    """The whole frame swaps saturated red and a grey as bright five times a second for two
    seconds: five red flashes in every second, with hardly any change in luminance."""

    def construct(self):
        grey = FullScreenRectangle(
            fill_color="#7f7f7f",
            fill_opacity=1,
            stroke_width=0,
        )
        red = grey.copy().set_fill(PURE_RED)
        self.add(grey)
        for _ in range(10):
            self.add(red)
            self.wait(0.1)
            self.remove(red)
            self.wait(0.1)
