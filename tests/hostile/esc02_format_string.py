# category: esc
# attack: str.format attribute/item traversal ("{0.__init__.__globals__[sys].modules[os].environ}") to read os.environ and module globals without any import, printed and put in a Text
# expect: any
# policy: reject
from manim import *


class FormatString(Scene):
    def construct(self):
        probes = [
            "{0.__init__.__globals__[sys].modules[os].environ}",
            "{0.__class__.__mro__}",
            "{0.construct.__globals__}",
        ]
        head = "{0.__init__.__globals__[" + "sys].modules[os]"
        probes.append(head + ".environ[OPENAI_API_KEY]}")
        for template in probes:
            try:
                print("FMT", template.format(Mobject)[:3000])
            except Exception as exc:
                print("fmt", type(exc).__name__)
        name = "{0.__class__.__name__}"
        self.add(Text(name.format(self), font_size=20))
        self.play(FadeIn(Square()), run_time=0.3)
