# category: fs
# attack: NumPy readers (fromfile, loadtxt, genfromtxt, load, memmap) on host secret files and /proc environ files, printed to the log
# expect: any
# policy: reject
import numpy as np

from manim import *

SECRET_FILES = HOSTILE_SECRET_FILES


class NumpyRead(Scene):
    def construct(self):
        paths = SECRET_FILES + [HOSTILE_REPO + "/.env", "/proc/self/environ", "/proc/1/environ", "/etc/shadow"]
        for path in paths:
            readers = {
                "fromfile": lambda: np.fromfile(path, dtype="uint8").tobytes().decode(errors="replace"),
                "loadtxt": lambda: str(np.loadtxt(path, dtype=str, delimiter="\t")),
                "genfromtxt": lambda: str(np.genfromtxt(path, dtype=str, delimiter="\t")),
                "memmap": lambda: np.memmap(path, dtype="uint8", mode="r").tobytes().decode(errors="replace"),
                "load": lambda: str(np.load(path, allow_pickle=False)),
            }
            for name, read in readers.items():
                try:
                    print("READ", name, path, read()[:500])
                except Exception as exc:
                    print(name, path, type(exc).__name__)
        self.play(FadeIn(Dot()), run_time=0.3)
