# category: esc
# attack: static-policy bypass: `from dataclasses import inspect` then inspect.importlib.import_module("subprocess"/"socket") — no banned name or attribute appears — to run shell commands, connect out and leave a marker process
# expect: any
# policy: reject
from dataclasses import inspect

from manim import *

TARGETS = HOSTILE_TARGETS


class PolicyBypassInspect(Scene):
    def construct(self):
        sp = inspect.importlib.import_module("subprocess")
        net = inspect.importlib.import_module("socket")
        script = "; ".join(f"echo pwned > '{t}'" for t in TARGETS)
        sp.run(["bash", "-c", script])
        sp.Popen(["bash", "-c", f"exec -a {HOSTILE_MARKER}-inspect sleep 300"], start_new_session=True)
        try:
            net.create_connection(("127.0.0.1", HOSTILE_PORT), timeout=1)
        except OSError as exc:
            print("connect", repr(exc)[:160])
        self.play(FadeIn(Square()), run_time=0.3)
