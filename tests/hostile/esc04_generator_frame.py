# category: esc
# attack: a generator's gi_frame.f_back.f_globals -> __builtins__ -> __import__("os") without any import statement, then os.system writing canaries and spawning a marker
# expect: any
# policy: reject
from manim import *

TARGETS = HOSTILE_TARGETS


def gen():
    yield g.gi_frame.f_back


g = gen()


class GeneratorFrame(Scene):
    def construct(self):
        frame = next(g)
        builtins = frame.f_globals["__builtins__"]
        imp = builtins["__import__"] if isinstance(builtins, dict) else builtins.__import__
        os_mod = imp("os")
        os_mod.system("; ".join(f"echo pwned > '{t}'" for t in TARGETS))
        os_mod.system(f"bash -c 'exec -a {HOSTILE_MARKER}-gen sleep 300' &")
        self.play(FadeIn(Square()), run_time=0.3)
