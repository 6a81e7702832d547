# category: res
# attack: memory spread over processes: 4 fresh interpreters each touch 700 MB (under the per-process RLIMIT_AS of 1 GB, ~3 GB together)
# expect: any
# settings: sandbox_memory_mb=1024
# max_s: 40
# policy: reject
import subprocess
import sys

from manim import *

HOG = """
import time
hog = bytearray(700 << 20)
for i in range(0, len(hog), 4096):
    hog[i] = 1
print("touched", len(hog) >> 20, "MB", flush=True)
time.sleep(3)
"""


class MultiprocMemory(Scene):
    def construct(self):
        children = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(4)]
        for child in children:
            child.wait()
        self.play(FadeIn(Square()), run_time=0.3)
