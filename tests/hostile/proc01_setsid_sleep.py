# category: proc
# attack: leave daemons behind: `setsid sleep`, `nohup`, `setsid -f`, start_new_session Popen, `disown`, at/systemd-run/dbus — all with a marker in argv — then finish the render normally
# expect: any
# policy: reject
# modes: warm, cold, process
import subprocess

from manim import *

MARKER = HOSTILE_MARKER


def marker_processes(marker):
    """How many processes carrying the marker this job can see (proves the spawn worked)."""
    import os

    count = 0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    count += marker.encode() in f.read()
            except OSError:
                pass
    return count


class SetsidSleep(Scene):
    def construct(self):
        cmds = [
            ["setsid", "bash", "-c", f"exec -a {MARKER}-setsid sleep 300"],
            ["setsid", "-f", "bash", "-c", f"exec -a {MARKER}-setsid-f sleep 300"],
            ["nohup", "bash", "-c", f"exec -a {MARKER}-nohup sleep 300"],
            ["bash", "-c", f"(exec -a {MARKER}-disown sleep 300) & disown; exit 0"],
            ["systemd-run", "--user", "--scope", "bash", "-c", f"exec -a {MARKER}-systemd sleep 300"],
            ["bash", "-c", f"echo 'exec -a {MARKER}-at sleep 300' | at now"],
        ]
        for cmd in cmds:
            try:
                subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
            except OSError as exc:
                print(cmd[0], type(exc).__name__)
        import time

        time.sleep(0.3)
        print("marker processes alive:", marker_processes(MARKER))
        self.play(FadeIn(Square()), run_time=0.3)
