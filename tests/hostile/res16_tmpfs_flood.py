# category: res
# attack: fill the sandbox's private /tmp (a tmpfs, i.e. host RAM that no rlimit and no work-dir cap counts) with 256 MB files up to 4 GB, then stay alive
# expect: error
# max_s: 25
# policy: reject
import os
import time

from manim import *


class TmpfsFlood(Scene):
    def construct(self):
        chunk = b"\1" * (16 << 20)
        written = 0
        try:
            for i in range(16):
                with open(f"/tmp/flood{i}.bin", "wb") as f:
                    for _ in range(16):
                        f.write(chunk)
                        written += len(chunk)
        except OSError as exc:
            print("stopped:", type(exc).__name__)
        print("wrote", written >> 20, "MB to /tmp", flush=True)
        while True:
            time.sleep(1)
