# category: tex
# attack: LaTeX \verbatiminput and \openin+\read of host secret files, /proc/self/environ and the repo .env, \input{/etc/passwd,/etc/shadow}; what is read is raised as a TeX error so it lands in the log
# expect: any
# policy: accept
from manim import *

SECRET_FILES = HOSTILE_SECRET_FILES


class InputSecrets(Scene):
    def construct(self):
        secret_txt = [p for p in SECRET_FILES if p.endswith("secret.txt")]
        env_files = [p for p in SECRET_FILES if "/.chalk-canary-" in p and p.endswith(".env")]
        paths = secret_txt + env_files + [HOSTILE_REPO + "/.env", "/proc/self/environ", "/etc/shadow"]
        template = TexTemplate()
        template.add_to_preamble(r"\usepackage{verbatim}")
        for path in paths:
            bodies = [
                r"\verbatiminput{" + path + "}",
                r"\newread\rd\openin\rd=" + path + r" \read\rd to\x \errmessage{READ:\x}Hi",
            ]
            for body in bodies:
                try:
                    self.add(Tex(body, tex_template=template))
                except Exception as exc:
                    print("tex", path, repr(exc)[:160])
        for path in ("/etc/passwd", "/etc/shadow", "/proc/self/environ"):
            try:
                self.add(Tex(r"\input{" + path + "}"))
            except Exception as exc:
                print("input", path, repr(exc)[:160])
        self.play(FadeIn(Square()), run_time=0.3)
