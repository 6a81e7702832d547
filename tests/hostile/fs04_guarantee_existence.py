# category: fs
# attack: guarantee_existence() creates host dirs and guarantee_empty_existence() rmtree's the canary dirs
# expect: any
# policy: reject
from pathlib import Path

from manim import *

DIRS = HOSTILE_DIRS


class GuaranteeExistence(Scene):
    def construct(self):
        for d in DIRS:
            for fn in (guarantee_existence, guarantee_empty_existence):
                try:
                    print(fn(Path(d) / "pwned"))
                except Exception as exc:
                    print(fn.__name__, d, type(exc).__name__)
            try:
                guarantee_empty_existence(Path(d))
            except Exception as exc:
                print("empty", d, type(exc).__name__)
        self.play(FadeIn(Triangle()), run_time=0.3)
