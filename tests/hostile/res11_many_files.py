# category: res
# attack: disk flood with many 64 KB files in the job dir
# expect: error:sandbox
# max_s: 25
# policy: reject
import os

from manim import *


class ManyFiles(Scene):
    def construct(self):
        os.makedirs("flood", exist_ok=True)
        data = os.urandom(64 << 10)
        i = 0
        while True:
            with open(f"flood/{i}.bin", "wb") as f:
                f.write(data)
            i += 1
