# category: fs
# attack: `from manim import *` exposes utils.file_ops.os and utils.commands: os.system, os.open, subprocess via the module objects, open_file()
# expect: any
# policy: reject
from manim import *

TARGETS = HOSTILE_TARGETS


class ManimFileOpsOs(Scene):
    def construct(self):
        os_mod = utils.file_ops.os
        for t in TARGETS:
            os_mod.system(f"echo pwned > '{t}'")
            try:
                fd = os_mod.open(t, os_mod.O_WRONLY | os_mod.O_CREAT, 0o666)
                os_mod.write(fd, b"pwned")
                os_mod.close(fd)
            except OSError as exc:
                print("os.open", t, type(exc).__name__)
        sp = utils.file_ops.subprocess if hasattr(utils.file_ops, "subprocess") else None
        import importlib

        sp = sp or importlib.import_module("subprocess")
        sp.Popen(["bash", "-c", f"exec -a {HOSTILE_MARKER} sleep 300"], start_new_session=True)
        print(utils.commands.capture(["id"]))
        try:
            utils.file_ops.open_file(TARGETS[0])
        except Exception as exc:
            print("open_file", type(exc).__name__)
        self.play(FadeIn(Square()), run_time=0.3)
