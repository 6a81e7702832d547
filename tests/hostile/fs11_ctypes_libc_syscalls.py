# category: fs
# attack: ctypes libc: creat/write on canaries, setuid(0), chroot, mount tmpfs over /job, remount /usr rw, mknod the host disk
# expect: any
# policy: reject
import ctypes
import os

import numpy as np

from manim import *

TARGETS = HOSTILE_TARGETS
BREACH = "HOSTILE-" + "BREACH"


class CtypesSyscalls(Scene):
    def construct(self):
        libc = np.ctypeslib.load_library("libc.so.6", "/usr/lib/x86_64-linux-gnu")
        libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
        for t in TARGETS:
            fd = libc.creat(t.encode(), 0o666)
            if fd >= 0:
                libc.write(fd, b"pwned by libc", 13)
                libc.close(fd)
        checks = {
            "setuid0": lambda: libc.setuid(0),
            "setgid0": lambda: libc.setgid(0),
            "chroot": lambda: libc.chroot(b"/job"),
            "mount-tmpfs": lambda: libc.mount(b"none", b"/job", b"tmpfs", 0, None),
            "remount-usr-rw": lambda: libc.mount(None, b"/usr", None, 32 | 4096, None),  # MS_REMOUNT|MS_BIND
            "mknod-vda": lambda: libc.mknod(b"/job/vda", 0o60600, os.makedev(254, 0)),
        }
        for name, call in checks.items():
            rc = call()
            if rc == 0:
                print(BREACH, name, "succeeded inside the sandbox")
            else:
                print(name, "refused", ctypes.get_errno())
        if os.getuid() == 0 or os.geteuid() == 0:
            print(BREACH, "running as root")
        self.play(FadeIn(Square()), run_time=0.3)
