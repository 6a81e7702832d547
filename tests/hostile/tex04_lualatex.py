# category: tex
# attack: TexTemplate(tex_compiler="lualatex") with \directlua: os.execute/io.popen (shell escape), io.open writes to the canaries, io.open reads of host secrets raised as TeX errors
# expect: any
# policy: accept
from manim import *

TARGETS = HOSTILE_TARGETS
SECRET_FILES = HOSTILE_SECRET_FILES


def lua_string(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


class LuaLatex(Scene):
    def construct(self):
        lua = ["os.execute('touch /job/lua-exec')", "local p = io.popen('touch /job/lua-popen') if p then p:close() end"]
        for t in TARGETS:
            lua.append(f"local f = io.open({lua_string(t)}, 'w') if f then f:write('pwned') f:close() end")
        for s in SECRET_FILES:
            lua.append(
                f"local f = io.open({lua_string(s)}, 'r') if f then tex.error('READ:' .. f:read('*a')) f:close() end"
            )
        template = TexTemplate(
            tex_compiler="lualatex",
            output_format=".pdf",
            documentclass=r"\directlua{" + " ".join(lua) + r"}\documentclass{article}",
            preamble="",
        )
        try:
            self.add(Tex("Hi", tex_template=template))
        except Exception as exc:
            print("lualatex", repr(exc)[:160])
        check = "".join(
            r"\IfFileExists{" + made + r"}{\errmessage{HOSTILE-\string BREACH: LuaTeX ran " + made + "}}{}"
            for made in ("/job/lua-exec", "/job/lua-popen")
        )
        try:
            self.add(Tex(check + "Hi"))
        except Exception as exc:
            print("check", repr(exc)[:160])
        self.play(FadeIn(Square()), run_time=0.3)
