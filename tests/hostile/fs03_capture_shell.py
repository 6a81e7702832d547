# category: fs
# attack: manim's capture() (exported by `from manim import *`) runs shell commands that write the canary paths
# expect: any
# policy: reject
from manim import *

TARGETS = HOSTILE_TARGETS
DIRS = HOSTILE_DIRS


class CaptureShell(Scene):
    def construct(self):
        script = "; ".join(f"echo pwned > '{t}'" for t in TARGETS)
        outputs = [capture(["sh", "-c", script])]
        for t in TARGETS:
            outputs.append(capture(["touch", t]))
        for d in DIRS:
            try:
                outputs.append(capture("touch pwned", cwd=d))
            except Exception as exc:  # cwd outside the sandbox does not exist
                outputs.append(repr(exc))
        print(outputs)
        self.play(FadeIn(Square()), run_time=0.3)
