# category: net
# attack: TCP to the host listener on 127.0.0.1/localhost/::1/0.0.0.0, UDP datagrams, the host UNIX socket file and abstract UNIX socket, plus well-known host sockets
# expect: any
# policy: reject
# modes: warm, cold, process
import socket

from manim import *

PORT = HOSTILE_PORT
UNIX_PATH = HOSTILE_UNIX_PATH
UNIX_ABSTRACT = HOSTILE_UNIX_ABSTRACT
BREACH = "HOSTILE-" + "BREACH"


class SocketLoopback(Scene):
    def construct(self):
        for host in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "127.0.1.1"):
            try:
                socket.create_connection((host, PORT), timeout=1).close()
                print("connected", host)
            except OSError as exc:
                print("tcp", host, type(exc).__name__)
        try:
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            for _ in range(3):
                udp.sendto(b"hello", ("127.0.0.1", PORT))
            udp.close()
        except OSError as exc:
            print("udp", type(exc).__name__)
        for address in (UNIX_PATH, "\0" + UNIX_ABSTRACT, "/run/docker.sock", "/var/run/docker.sock",
                        "/run/dbus/system_bus_socket", "/run/systemd/private", "\0/tmp/.X11-unix/X0"):
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.settimeout(1)
                s.connect(address)
                s.close()
                print("connected unix", address.replace("\0", "@"))
            except OSError as exc:
                print("unix", address.replace("\0", "@"), type(exc).__name__)
        try:
            names = [name for _, name in socket.if_nameindex()]
            print("interfaces", names)
            if set(names) - {"lo"}:
                print(BREACH, "network interfaces visible:", names)
        except OSError:
            pass
        self.play(FadeIn(Square()), run_time=0.3)
