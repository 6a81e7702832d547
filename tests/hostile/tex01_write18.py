# category: tex
# attack: LaTeX \write18 / \immediate\write18 / \input|"cmd" (shell escape) in MathTex, Tex and a TexTemplate preamble, writing the canaries and a marker file; TeX itself reports a breach if the marker exists
# expect: any
# policy: accept
from manim import *

TARGETS = HOSTILE_TARGETS
# Raised by TeX only when the marker file exists; the source never spells the breach word.
CHECK = r"\IfFileExists{w18-ran}{\errmessage{HOSTILE-\string BREACH: write18 ran}}{}Hi"


class Write18(Scene):
    def construct(self):
        shell = "; ".join(f"echo pwned > {t}" for t in TARGETS) + "; touch w18-ran"
        attempts = [
            lambda: Tex(r"Hi \immediate\write18{" + shell + "}"),
            lambda: MathTex(r"x^2 \immediate\write18{touch w18-ran}"),
            lambda: Tex("Hi", tex_template=TexTemplate(preamble=r"\immediate\write18{" + shell + "}")),
            lambda: Tex(r"\input|" + '"touch w18-ran" Hi'),
            lambda: Tex(CHECK),
        ]
        for attempt in attempts:
            try:
                self.add(attempt())
            except Exception as exc:
                print("tex", repr(exc)[:160])
        self.play(FadeIn(Square()), run_time=0.3)
