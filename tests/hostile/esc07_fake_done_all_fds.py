# category: esc
# attack: write forged "done" JSON (and garbage) to every fd 3..50, then exit 0 without rendering
# expect: error
# policy: reject
import os

from manim import *


class FakeDoneAllFds(Scene):
    def construct(self):
        message = b'{"event": "done", "seconds": 1.0, "frames": 10}\n'
        for fd in range(3, 51):
            try:
                os.write(fd, b'{"event": "started", "uid": 0}\n' + message)
            except OSError:
                pass
        os._exit(0)
