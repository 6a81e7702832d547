# category: net
# attack: raw/packet sockets and netlink (bring interfaces up, add routes) to find any path off the empty network namespace, then connect again
# expect: any
# policy: reject
import socket
import subprocess

from manim import *

PORT = HOSTILE_PORT
BREACH = "HOSTILE-" + "BREACH"


class NetlinkRaw(Scene):
    def construct(self):
        for family, kind, proto in (
            (socket.AF_PACKET, socket.SOCK_RAW, 0x0300),
            (socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP),
            (socket.AF_NETLINK, socket.SOCK_RAW, 0),
        ):
            try:
                s = socket.socket(family, kind, proto)
                if family == socket.AF_PACKET:
                    print(BREACH, "packet socket opened")
                s.close()
            except OSError as exc:
                print(family, type(exc).__name__)
        for cmd in (["ip", "link", "set", "lo", "up"], ["ip", "route", "add", "default", "dev", "lo"],
                    ["ip", "addr"], ["ping", "-c", "1", "-W", "1", "10.0.2.2"]):
            try:
                r = subprocess.run(cmd, capture_output=True, text=True, timeout=5)
                print(cmd, r.returncode, r.stdout[-300:])
            except (OSError, subprocess.TimeoutExpired) as exc:
                print(cmd, type(exc).__name__)
        for host in ("127.0.0.1", "10.0.2.2", "172.17.0.1", "169.254.169.254"):
            try:
                socket.create_connection((host, PORT), timeout=1).close()
                print("connected", host)
            except OSError as exc:
                print(host, type(exc).__name__)
        self.play(FadeIn(Square()), run_time=0.3)
