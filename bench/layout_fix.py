"""How often the deterministic layout fix clears a broken layout, and that it leaves clean scenes
alone: measured with the sandbox's measuring pass (app/core/render.py::measure_code, no frames
drawn) before and after app/core/layout_fix.py::fix_layout_measured.

Broken: scenes written for this bench (off-frame text, long formulas, overlapping labels, big
groups, tiny text, and two the fix is not meant to clear: an object the play() itself moves out,
and an unnamed shape). Clean: every offline template at its defaults
(app.generators.offline.render_template). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.layout_fix import fix_layout_measured, layout_issues  # noqa: E402
from app.core.warm import prewarm  # noqa: E402
from app.generators.offline import list_templates, render_template  # noqa: E402
from app.pipeline.layout_fixup import measurer  # noqa: E402
from app.settings import Settings  # noqa: E402

HEADER = "from manim import *\n\n\nclass Broken(Scene):\n    def construct(self):\n"


def scene(*lines: str) -> str:
    return HEADER + "".join(f"        {line}\n" for line in lines)


BROKEN = {
    "long_title": scene(
        "title = Text('Why the area of a circle is pi r squared, step by step', font_size=64)",
        "self.play(Write(title))",
        "self.play(title.animate.to_edge(UP))",
    ),
    "text_shifted_off": scene(
        "note = Text('Remember the units', font_size=40).shift(RIGHT * 6)",
        "self.play(FadeIn(note))",
    ),
    "long_formula": scene(
        r"eq = MathTex(r'(a+b)^5 = a^5 + 5a^4b + 10a^3b^2 + 10a^2b^3 + 5ab^4 + b^5 + 0 + 0')",
        "eq.scale(1.6)",
        "self.play(Write(eq))",
    ),
    "overlapping_labels": scene(
        "mass = Text('mass', font_size=40)",
        "weight = Text('weight', font_size=40).shift(DOWN * 0.15 + RIGHT * 0.2)",
        "self.play(FadeIn(mass), FadeIn(weight))",
    ),
    "three_labels_one_spot": scene(
        "dot = Dot()",
        "a = Text('A', font_size=40).next_to(dot, UP)",
        "b = Text('B point', font_size=40).next_to(dot, UP)",
        "c = Text('C', font_size=40).next_to(dot, UP, buff=0.3)",
        "self.play(FadeIn(dot), FadeIn(a), FadeIn(b), FadeIn(c))",
    ),
    "big_group": scene(
        "steps = VGroup(*[Text(f'Step {i}: do the next thing', font_size=36) for i in range(12)])",
        "steps.arrange(DOWN, aligned_edge=LEFT)",
        "self.play(FadeIn(steps))",
    ),
    "wide_row": scene(
        "row = VGroup(*[Square(1.2) for _ in range(8)]).arrange(RIGHT).shift(RIGHT * 3)",
        "self.play(Create(row))",
    ),
    "label_past_the_edge": scene(
        "box = Square().to_edge(RIGHT)",
        "label = Text('the right edge', font_size=36).next_to(box, RIGHT)",
        "self.play(Create(box), Write(label))",
    ),
    "unnamed_text_off": scene(
        "self.play(Write(Text('Photosynthesis makes glucose').shift(DOWN * 4)))",
    ),
    "tiny_text": scene(
        "fine = Text('Source: the textbook, page 12', font_size=5).to_edge(DOWN)",
        "self.play(FadeIn(fine))",
    ),
    "moved_out_by_the_play": scene(  # not meant to be cleared: the animation moves it out
        "dot = Dot()",
        "self.play(FadeIn(dot))",
        "self.play(dot.animate.shift(RIGHT * 9))",
    ),
    "unnamed_shape_off": scene(  # not meant to be cleared: no name, no text to find
        "self.play(Create(Square().shift(UP * 5)))",
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--templates", type=int, default=0, help="only the first N (0: all)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(data_dir=Path(data))
        prewarm(settings)
        measure = measurer(settings, "preview", "16:9", None)
        started = time.monotonic()
        broken = {}
        for name, code in BROKEN.items():
            fixed = fix_layout_measured(code, measure)
            broken[name] = {
                "warnings_before": len(fixed.warnings_before),
                "cleared": fixed.changed and not fixed.warnings_after,
                "fixes": [f.rule for f in fixed.fixes],
                "left": fixed.warnings_after if not fixed.changed else [],
            }
        broken_s = time.monotonic() - started
        templates = list_templates()[: args.templates or None]
        started = time.monotonic()
        clean, changed, warned = 0, [], []
        for info in templates:
            code = render_template(info.id).code
            issues = measure(code)
            fixed = fix_layout_measured(code, measure, before=issues)
            clean += not layout_issues(issues)
            if layout_issues(issues):
                warned.append(info.id)
            if fixed.code != code:
                changed.append(info.id)
        clean_s = time.monotonic() - started
    print(
        json.dumps(
            {
                "broken_scenes": len(BROKEN),
                "cleared": sum(b["cleared"] for b in broken.values()),
                "broken": broken,
                "broken_s": round(broken_s, 1),
                "templates": len(templates),
                "templates_without_layout_warnings": clean,
                "templates_with_layout_warnings": warned,
                "templates_changed": changed,
                "templates_s": round(clean_s, 1),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
