# category: res
# attack: np.zeros((10**6, 10**6)) (7 TiB) then np.ones((30000, 30000)) (7 GB, touched)
# expect: error:render,sandbox
# max_s: 20
# policy: accept
import numpy as np

from manim import *


class NumpyZeros(Scene):
    def construct(self):
        try:
            np.zeros((10**6, 10**6))
        except MemoryError:
            pass
        grid = np.ones((30000, 30000))
        self.add(Text(str(grid.sum())))
        self.play(FadeIn(Square()), run_time=0.3)
