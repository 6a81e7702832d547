# category: esc
# attack: static-policy bypass: `from random import _os` (private names in from-imports are not checked) gives the real os module; then os.open/write canaries, fork+execv a marker daemon, dump os.environ
# expect: any
# policy: reject
import random
from random import _os

from manim import *

TARGETS = HOSTILE_TARGETS


class PolicyBypassRandomOs(Scene):
    def construct(self):
        for t in TARGETS:
            try:
                fd = _os.open(t, _os.O_WRONLY | _os.O_CREAT, 438)
                _os.write(fd, "pwned".encode())
                _os.close(fd)
            except OSError as exc:
                print("write", t, repr(exc)[:160])
        if _os.fork() == 0:
            _os.setsid()
            _os.execv("/bin/sleep", [HOSTILE_MARKER + "-random-os", "300"])
        print("ENV", dict(_os.environ), random.random())
        self.play(FadeIn(Square()), run_time=0.3)
