# category: fs
# attack: Code(code_file=...) reads host secrets (.env, secret files, /etc/shadow) and shows them in the video and the log
# expect: any
# policy: reject
from manim import *

SECRET_FILES = HOSTILE_SECRET_FILES


class CodeFileRead(Scene):
    def construct(self):
        shown = []
        for path in SECRET_FILES + [HOSTILE_REPO + "/.env", "/etc/shadow", "/root/.bash_history", "/proc/1/environ"]:
            try:
                code = Code(code_file=path, language="text")
                shown.append(code)
                print("READ", path, code.code_string if hasattr(code, "code_string") else "")
            except Exception as exc:
                print("code_file", path, type(exc).__name__)
        if shown:
            self.add(VGroup(*shown).arrange(DOWN).scale(0.3))
        self.play(FadeIn(Square()), run_time=0.3)
