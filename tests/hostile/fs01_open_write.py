# category: fs
# attack: open()/os.open/pathlib writes to canary paths on the host (/tmp, /var/tmp, /root, repo, data dir, work root, /usr/local, venv) and ../ climbs out of the job dir
# expect: any
# policy: reject
# modes: warm, cold, process
import os
from pathlib import Path

from manim import *

TARGETS = HOSTILE_TARGETS


class OpenWrite(Scene):
    def construct(self):
        results = []
        climbs = ["../pwned", "../../pwned", "/job/../pwned", "../" * 12 + "tmp/pwned"]
        for target in TARGETS + climbs:
            for how in ("open", "os.open", "pathlib"):
                try:
                    if how == "open":
                        with open(target, "w") as f:
                            f.write("pwned by open")
                    elif how == "os.open":
                        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
                        os.write(fd, b"pwned by os.open")
                        os.close(fd)
                    else:
                        Path(target).write_text("pwned by pathlib")
                    results.append(f"{how} {target}: written")
                except OSError as exc:
                    results.append(f"{how} {target}: {type(exc).__name__}")
            try:
                os.makedirs(os.path.join(os.path.dirname(target), "made-dir"), exist_ok=True)
            except OSError:
                pass
        print("\n".join(results))
        self.play(FadeIn(Text("open()")), run_time=0.3)
