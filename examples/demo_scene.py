from manim import *


class AreaUnderParabola(Scene):
    """The area under y = x² from 0 to 1 is 1/3."""

    def construct(self):
        # A title that stays at the top of the frame.
        title = MathTex(r"\int_0^1 x^2\,dx = \frac{1}{3}").to_edge(UP)
        self.play(Write(title))

        # Axes below the title, and the curve on them.
        axes = Axes(x_range=[0, 1.2, 0.2], y_range=[0, 1.5, 0.5], x_length=7, y_length=4.5)
        axes.next_to(title, DOWN, buff=0.4)
        curve = axes.plot(lambda x: x**2, x_range=[0, 1.2], color=BLUE)
        self.play(Create(axes), Create(curve))

        # Shade the area the integral measures.
        area = axes.get_area(curve, x_range=[0, 1], color=BLUE, opacity=0.4)
        self.play(FadeIn(area))
        self.wait(1)
