# category: esc
# attack: replace /job/out with a symlink to a host directory that holds video.mp4 + thumbnail.png (here: the planted canary pair), forge "done" on the protocol fd and exit 0 — the supervisor then copies the host files out as the render
# expect: error
# policy: reject
import json
import os
import sys

from manim import *

PLANT_DIR = HOSTILE_PLANT_DIR


class SymlinkOutForgedDone(Scene):
    def construct(self):
        os.symlink(PLANT_DIR, "/job/out")
        fd = json.loads(sys.argv[1])["protocol_fd"]
        os.write(fd, b'{"event": "done", "seconds": 1.0, "frames": 10}\n')
        os._exit(0)
