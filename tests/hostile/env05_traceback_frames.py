# category: env
# attack: walk the traceback into the runner's frames and dump every local/global there (the spec, argv, config) into the exception message, hoping the supervisor handed over a secret
# expect: error:render
# policy: reject
import sys

from manim import *


class TracebackFrames(Scene):
    def construct(self):
        frame = sys._getframe()
        dump = [repr(sys.argv)]
        while frame is not None:
            dump.append(f"{frame.f_code.co_filename}:{frame.f_code.co_name} {list(frame.f_locals)}")
            for name, value in list(frame.f_locals.items()) + list(frame.f_globals.items()):
                if isinstance(value, (str, dict, list)):
                    dump.append(f"{name}={str(value)[:300]}")
            frame = frame.f_back
        import manim

        dump.append(str(manim.config.get_dir("media_dir")))
        raise RuntimeError("\n".join(dump)[:6000])
