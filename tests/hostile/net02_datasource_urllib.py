# category: net
# attack: NumPy's DataSource (np.lib._datasource) and urllib/http.client fetching http://127.0.0.1:<port>/ from the host listener
# expect: any
# policy: reject
import http.client
import urllib.request

import numpy as np

from manim import *

PORT = HOSTILE_PORT


class DataSourceUrllib(Scene):
    def construct(self):
        url = f"http://127.0.0.1:{PORT}/exfil"
        attempts = {
            "DataSource": lambda: np.lib._datasource.DataSource("/job/ds").open(url).read(),
            "npyio.DataSource": lambda: np.lib.npyio.DataSource("/job/ds").open(url).read(),
            "urlopen": lambda: urllib.request.urlopen(url, timeout=2).read(),
            "http.client": lambda: http.client.HTTPConnection("127.0.0.1", PORT, timeout=2).request("GET", "/"),
            "loadtxt-url": lambda: np.loadtxt(url),
        }
        for name, attempt in attempts.items():
            try:
                attempt()
                print(name, "fetched")
            except Exception as exc:
                print(name, type(exc).__name__)
        self.play(FadeIn(Square()), run_time=0.3)
