# category: net
# attack: curl, wget, nc and a fresh `python3 -c` socket client launched via subprocess against the host listener
# expect: any
# policy: reject
import subprocess
import sys

from manim import *

PORT = HOSTILE_PORT


class CurlWgetPython(Scene):
    def construct(self):
        url = f"http://127.0.0.1:{PORT}/x"
        commands = [
            ["curl", "-s", "-m", "2", url],
            ["wget", "-q", "-t", "1", "-T", "2", "-O", "-", url],
            ["nc", "-w", "2", "127.0.0.1", str(PORT)],
            [sys.executable, "-c", f"import socket; socket.create_connection(('127.0.0.1', {PORT}), 2)"],
            ["python3", "-c", f"import urllib.request as u; u.urlopen('{url}', timeout=2)"],
            ["perl", "-MIO::Socket::INET", "-e", f"IO::Socket::INET->new('127.0.0.1:{PORT}') or die"],
        ]
        for cmd in commands:
            try:
                r = subprocess.run(cmd, capture_output=True, timeout=3)
                print(cmd[0], r.returncode)
            except (OSError, subprocess.TimeoutExpired) as exc:
                print(cmd[0], type(exc).__name__)
        self.play(FadeIn(Square()), run_time=0.3)
