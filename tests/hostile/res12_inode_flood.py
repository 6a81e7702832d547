# category: res
# attack: inode flood: endless empty files and directories in the job dir (no bytes, so a byte-only cap never fires; the host file system runs out of inodes)
# expect: error:sandbox
# max_s: 40
# settings: timeout_s=30.0
# policy: reject
import os

from manim import *


class InodeFlood(Scene):
    def construct(self):
        i = 0
        while True:
            d = f"d{i // 5000}"
            if i % 5000 == 0:
                os.makedirs(d, exist_ok=True)
            os.close(os.open(f"{d}/{i}", os.O_CREAT | os.O_WRONLY, 0o600))
            i += 1
