# expect: ParametricSurface, x_min-range
from manim import *


class Saddle(ThreeDScene):
    def construct(self):
        self.set_camera_orientation(phi=60 * DEGREES, theta=30 * DEGREES)
        surface = ParametricSurface(
            lambda u, v: np.array([u, v, 0.3 * (u**2 - v**2)]),
            u_min=-1.5,
            u_max=1.5,
            v_min=-1.5,
            v_max=1.5,
            resolution=(8, 8),
        )
        self.play(FadeIn(surface), run_time=0.5)
