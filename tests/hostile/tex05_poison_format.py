# category: tex
# attack: poison the preloaded LaTeX format every job shares (/chalk/texfmt under bubblewrap, the data dir's texfmt/ by host path and ../ climbs in process mode): chmod it, write into it, replace, rename or remove it, add a file beside it, dump a format over it with etex and \openout onto it; then typeset with it
# expect: ok
# policy: reject
# modes: warm, cold, process
import os
import subprocess
from pathlib import Path

from manim import *

SEEN = [
    *Path("/chalk/texfmt").glob("*.fmt"),
    *Path("..", "..", "texfmt").glob("*/*.fmt"),
    *Path("..", "..", "..").glob("*/texfmt/*/*.fmt"),
]
SHARED = sorted(set(HOSTILE_TEX_FORMATS) | {str(p) for p in SEEN})
BREACH = "HOSTILE-" + "BREACH"


def attempts(path):
    folder = os.path.dirname(path)

    def write():
        with open(path, "r+b") as f:
            f.write(b"poisoned format")

    def append():
        with open(path, "ab") as f:
            f.write(b"poisoned format")

    def replace():
        with open(path + ".new", "wb") as f:
            f.write(b"poisoned format")
        os.replace(path + ".new", path)

    def beside():
        with open(os.path.join(folder, "chalkpre.log"), "w") as f:
            f.write("pwned")

    return {
        "chmod": lambda: os.chmod(path, 0o666),
        "chmod-folder": lambda: os.chmod(folder, 0o777),
        "write": write,
        "append": append,
        "truncate": lambda: os.truncate(path, 0),
        "replace": replace,
        "beside": beside,
        "utime": lambda: os.utime(path, (0, 0)),
        "rename": lambda: os.rename(path, path + ".old"),
        "unlink": lambda: os.unlink(path),
        "rename-folder": lambda: os.rename(folder, folder + ".old"),
    }


class PoisonFormat(Scene):
    def construct(self):
        print("shared formats seen:", SHARED)
        for path in SHARED:
            for name, attempt in attempts(path).items():
                try:
                    attempt()
                    print(BREACH, name, path, "succeeded")
                except OSError as exc:
                    print("refused", name, path, type(exc).__name__)
            folder = os.path.dirname(path)
            # TeX itself dumping a format of its own over the shared one.
            dump = ["etex", "-ini", "-interaction=batchmode", "-jobname=chalkpre",
                    "-output-directory=" + folder, "\\dump"]
            try:
                subprocess.run(dump, capture_output=True, timeout=20)
            except Exception as exc:
                print("etex", folder, repr(exc)[:160])
            body = (r"\immediate\openout15=" + path
                    + r" \immediate\write15{pwned}\immediate\closeout15 Hi")
            try:
                self.add(Tex(body))
            except Exception as exc:
                print("openout", path, repr(exc)[:160])
        # Whatever happened above, this formula must come out (with this job's format).
        self.play(Write(MathTex(r"e^{i\pi} + 1 = 0")), run_time=0.5)
