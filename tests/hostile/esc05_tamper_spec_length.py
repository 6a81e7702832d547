# category: esc
# attack: walk __traceback__.tb_frame to the runner's main() and raise its spec["max_seconds"], then render a 45 s video; the host-side gate must still refuse it
# expect: error:render
# message: longer|limit
# max_s: 40
# policy: reject
from manim import *


def runner_locals():
    try:
        raise RuntimeError
    except RuntimeError as exc:
        frame = exc.__traceback__.tb_frame
    while frame is not None:
        if "spec" in frame.f_locals and "settings" in frame.f_locals:
            return frame.f_locals
        frame = frame.f_back
    raise LookupError("runner frame not found")


class TamperSpecLength(Scene):
    def construct(self):
        local = runner_locals()
        local["spec"]["max_seconds"] = 10**6
        self.add(Square())
        self.wait(45)
