# category: res
# attack: one huge file in the job dir (write until the file-size limit), then keep the job alive
# expect: error:sandbox
# max_s: 25
# policy: reject
import time

from manim import *


class BigFile(Scene):
    def construct(self):
        chunk = b"\0" * (8 << 20)
        try:
            with open("huge.bin", "wb") as f:
                while True:
                    f.write(chunk)
        except OSError as exc:
            print("stopped writing:", type(exc).__name__)
        while True:
            time.sleep(1)
