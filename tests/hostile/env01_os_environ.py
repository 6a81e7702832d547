# category: env
# attack: dump os.environ / os.getenv of the secret names to stdout, into a Text in the video and into the exception message
# expect: error:render
# policy: reject
import os

from manim import *


class OsEnviron(Scene):
    def construct(self):
        names = ["OPENAI_API_KEY", "CHALK_SECRET_CANARY", "ANTHROPIC_API_KEY", "AWS_SECRET_ACCESS_KEY"]
        found = {name: os.getenv(name) for name in names}
        dump = " ".join(f"{k}={v}" for k, v in sorted(os.environ.items()))
        print("ENV", found, dump)
        self.add(Text(str(found)[:80], font_size=12))
        self.play(FadeIn(Square()), run_time=0.3)
        raise RuntimeError(f"leak {found} {dump}")
