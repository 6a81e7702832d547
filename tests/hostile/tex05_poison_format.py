# category: tex
# attack: poison the preloaded LaTeX format every job shares (/chalk/texfmt under bubblewrap, the data dir's texfmt/ by host path and ../ climbs in process mode): chmod it, write into it, replace, rename or remove it, add a file beside it, dump a format over it with etex and \openout onto it; the same to the typeset glyphs kept beside it, plus a glyph of its own and a glyphs folder swapped in; then typeset with it
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


def kept_glyphs(format_path):
    """The digits and signs every job under bubblewrap starts with, kept beside the format."""
    try:
        return [str(glyph) for glyph in Path(format_path).parent.glob("glyphs/*.svg")]
    except OSError:  # a folder it may not even list
        return []


GLYPHS = sorted({glyph for path in SHARED for glyph in kept_glyphs(path)})
BREACH = "HOSTILE-" + "BREACH"
# A digit drawn as a box: a wrong number in every later video if it landed.
WRONG_GLYPH = '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h9v9h-9z"/></svg>'


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

    # The glyphs folder, whether `path` is the format or a glyph in it.
    glyphs = folder if os.path.basename(folder) == "glyphs" else os.path.join(folder, "glyphs")

    def own_glyph():
        with open(os.path.join(glyphs, "0123456789abcdef.svg"), "w") as f:
            f.write(WRONG_GLYPH)

    def swap_glyphs():
        os.mkdir(glyphs + ".new")  # beside the real one only: no parents made
        with open(os.path.join(glyphs + ".new", os.path.basename(path)), "w") as f:
            f.write(WRONG_GLYPH)
        os.rename(glyphs + ".new", glyphs)

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
        "own-glyph": own_glyph,
        "swap-glyphs": swap_glyphs,
    }


class PoisonFormat(Scene):
    def construct(self):
        print("shared formats seen:", SHARED, "glyphs seen:", len(GLYPHS))
        for path in SHARED + GLYPHS:
            for name, attempt in attempts(path).items():
                try:
                    attempt()
                    print(BREACH, name, path, "succeeded")
                except OSError as exc:
                    print("refused", name, path, type(exc).__name__)
        for path in SHARED + GLYPHS[:1]:
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
