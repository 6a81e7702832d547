# category: esc
# attack: flood the supervisor's protocol pipe with 12 000 valid JSON lines of 60 KB each (the supervisor keeps up to 10 000 parsed messages in memory)
# expect: any
# policy: reject
import json
import os
import sys

from manim import *


class ProtocolFlood(Scene):
    def construct(self):
        fd = json.loads(sys.argv[1])["protocol_fd"]
        line = ('{"event": "progress", "fraction": 0.5, "pad": "' + "A" * 60000 + '"}\n').encode()
        for _ in range(12000):
            os.write(fd, line)
        self.play(FadeIn(Square()), run_time=0.3)
