# category: proc
# attack: spawn signal-ignoring marker processes in new sessions/process groups, then spin forever so the supervisor must kill the job on timeout and still reap them
# expect: error:timeout
# settings: timeout_s=4
# policy: reject
import os
import signal
import subprocess

from manim import *

MARKER = HOSTILE_MARKER


class SurvivorsOnTimeout(Scene):
    def construct(self):
        for i in range(5):
            subprocess.Popen(
                ["bash", "-c", f"trap '' HUP TERM INT QUIT; exec -a {MARKER}-{i} sleep 300"],
                start_new_session=(i % 2 == 0),
                process_group=0 if i % 2 else None,
            )
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        while True:
            pass
