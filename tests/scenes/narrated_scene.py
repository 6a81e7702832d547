from manim import *


class Main(Scene):
    def construct(self):
        narrate("Here is a circle with radius two.")
        circle = Circle(radius=2)
        self.play(Create(circle), run_time=0.5)
        narrate("Now it becomes a square.")
        wait_for_word("square")
        self.play(Transform(circle, Square()), run_time=0.5)
