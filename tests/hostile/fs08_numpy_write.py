# category: fs
# attack: NumPy writers (savetxt, tofile, save, savez, memmap w+) aimed at the host canary paths
# expect: any
# policy: reject
import numpy as np

from manim import *

TARGETS = HOSTILE_TARGETS


class NumpyWrite(Scene):
    def construct(self):
        data = np.arange(10.0)
        for t in TARGETS:
            writers = {
                "savetxt": lambda: np.savetxt(t, data),
                "tofile": lambda: data.tofile(t),
                "save": lambda: np.save(t, data, allow_pickle=False),
                "savez": lambda: np.savez(t, a=data),
                "memmap": lambda: np.memmap(t, dtype="uint8", mode="w+", shape=(16,)).flush(),
            }
            for name, write in writers.items():
                try:
                    write()
                    print(name, t, "written")
                except Exception as exc:
                    print(name, t, type(exc).__name__)
        self.play(FadeIn(Dot()), run_time=0.3)
