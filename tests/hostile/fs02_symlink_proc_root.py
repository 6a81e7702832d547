# category: fs
# attack: symlinks/hardlinks planted in the job dir and /proc/<pid>/root, /proc/<pid>/cwd paths used to reach and write host canary paths
# expect: any
# policy: reject
import os
from pathlib import Path

from manim import *

TARGETS = HOSTILE_TARGETS
DIRS = HOSTILE_DIRS


class SymlinkProcRoot(Scene):
    def construct(self):
        log = []
        for i, (target, directory) in enumerate(zip(TARGETS, DIRS)):
            link = Path(f"/job/link{i}")
            try:
                if not link.is_symlink():
                    link.symlink_to(directory)
                (link / "pwned").write_text("via symlink")
                log.append(f"symlink {directory}: written")
            except OSError as exc:
                log.append(f"symlink {directory}: {exc.__class__.__name__}")
            for prefix in ("/proc/self/root", "/proc/1/root", "/proc/1/cwd/..", "/proc/self/cwd/.."):
                try:
                    Path(prefix + target).write_text("via proc")
                    log.append(f"{prefix}{target}: written")
                except OSError as exc:
                    log.append(f"{prefix}{target}: {exc.__class__.__name__}")
        for src in ("/etc/ld.so.cache", "/usr/bin/env", "/chalk/sandbox_entry.py"):
            try:
                os.link(src, f"/job/hard-{os.path.basename(src)}")
                log.append(f"hardlink {src}: made")
            except OSError as exc:
                log.append(f"hardlink {src}: {exc.__class__.__name__}")
        print("\n".join(log))
        self.play(Create(Circle()), run_time=0.3)
