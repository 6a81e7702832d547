# category: esc
# attack: sys._getframe() up into the runner's module globals: call its send() with forged events, read the protocol fd and spec, reach os through the runner's imports
# expect: any
# policy: reject
import sys

from manim import *

TARGETS = HOSTILE_TARGETS


class GetframeEntry(Scene):
    def construct(self):
        frame = sys._getframe()
        runner = None
        while frame is not None:
            if "PROTOCOL" in frame.f_globals and "send" in frame.f_globals:
                runner = frame.f_globals
            frame = frame.f_back
        if runner is None:
            raise LookupError("runner not found")
        runner["send"]({"event": "progress", "fraction": 5.0})
        runner["send"]({"event": "measured", "seconds": -1})
        print("protocol fd", runner["PROTOCOL"], "argv", sys.argv)
        os_mod = runner["os"]
        for t in TARGETS:
            try:
                fd = os_mod.open(t, os_mod.O_WRONLY | os_mod.O_CREAT, 0o666)
                os_mod.close(fd)
            except OSError as exc:
                print(t, type(exc).__name__)
        self.play(FadeIn(Square()), run_time=0.3)
