# category: fs
# attack: SVGMobject/ImageMobject given host secret paths and an SVG whose <image>/<use> reference host files
# expect: any
# policy: reject
from pathlib import Path

from manim import *

SECRET_FILES = HOSTILE_SECRET_FILES
PLANT_DIR = HOSTILE_PLANT_DIR


class SvgImagePaths(Scene):
    def construct(self):
        for path in SECRET_FILES + [PLANT_DIR + "/thumbnail.png", "/etc/shadow"]:
            for cls in (SVGMobject, ImageMobject):
                try:
                    self.add(cls(path))
                    print("LOADED", cls.__name__, path)
                except Exception as exc:
                    print(cls.__name__, path, type(exc).__name__, str(exc)[:200])
        refs = "".join(
            f'<image href="file://{p}" width="10" height="10"/><use href="{p}#x"/>' for p in SECRET_FILES
        )
        Path("/job/evil.svg").write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{refs}'
            '<circle cx="5" cy="5" r="4"/></svg>'
        )
        try:
            self.add(SVGMobject("/job/evil.svg"))
        except Exception as exc:
            print("evil.svg", type(exc).__name__, str(exc)[:200])
        self.play(FadeIn(Square()), run_time=0.3)
