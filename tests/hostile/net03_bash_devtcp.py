# category: net
# attack: bash /dev/tcp and /dev/udp redirections to the host listener
# expect: any
# policy: reject
import subprocess

from manim import *

PORT = HOSTILE_PORT


class BashDevTcp(Scene):
    def construct(self):
        script = (
            f"exec 3<>/dev/tcp/127.0.0.1/{PORT} && echo hi >&3; "
            f"echo hi > /dev/tcp/localhost/{PORT}; "
            f"echo hi > /dev/udp/127.0.0.1/{PORT}"
        )
        r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=10)
        print(r.returncode, r.stderr[-500:])
        self.play(FadeIn(Square()), run_time=0.3)
