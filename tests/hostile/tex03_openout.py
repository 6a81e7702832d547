# category: tex
# attack: LaTeX \openout/\write to absolute host canary paths, an absolute job path and ../ climbs (openout_any=p must refuse all but plain relative names); TeX reports a breach if the job-dir ones appear
# expect: any
# policy: accept
from manim import *

TARGETS = HOSTILE_TARGETS


class OpenOut(Scene):
    def construct(self):
        names = TARGETS + ["/job/tex-abs.txt", "../../tex-climb.txt", "../tex-up.txt"]
        for name in names:
            body = (
                r"\newwrite\hf\immediate\openout\hf=" + name
                + r" \immediate\write\hf{pwned}\immediate\closeout\hf Hi"
            )
            try:
                self.add(Tex(body))
            except Exception as exc:
                print("openout", name, repr(exc)[:160])
        check = "".join(
            r"\IfFileExists{" + made + r"}{\errmessage{HOSTILE-\string BREACH: TeX wrote " + made + "}}{}"
            for made in ("/job/tex-abs.txt", "/job/tex-up.txt", "/job/media/tex-up.txt", "/job/tex-climb.txt")
        )
        try:
            self.add(Tex(check + "Hi"))
        except Exception as exc:
            print("check", repr(exc)[:160])
        self.play(FadeIn(Square()), run_time=0.3)
