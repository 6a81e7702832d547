"""Coin flips: each result appears, and the share of heads settles towards 1/2."""

from __future__ import annotations

import random

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Number
from app.generators.offline.extract import Prompt

ID = "probability_coin_flips"
TITLE = "Coin flips and probability"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Flip a coin 50 times and show the proportion of heads"
DEFAULTS = {"flips": 20}
VARIANTS = [{"flips": 100}, {"flips": 6}]
TRIGGERS = {
    r"\bcoins?\b": 6,
    r"\bflip(?:s|ping|ped)?\b|\btoss(?:es|ing|ed)?\b": 3,
    r"\bheads\b|\btails\b": 3,
    r"\bprobabilit\w*|\bchance\b": 2,
    r"\blaw of large numbers\b": 6,
    r"\bexperimental probability\b|\brelative frequency\b": 4,
}
MAX_FLIPS = 200
SHOWN_COINS = 40


def extract(prompt: Prompt) -> dict:
    flips = prompt.number_before(r"(?:coin )?(?:flips|tosses|times|throws|trials|coins)\b")
    if flips is None:
        flips = prompt.number_after(r"\b(?:flip|toss)\w*(?: a coin| the coin| coins)?")
    return {"flips": flips} if flips is not None else {}


CONTROLS = {
    "flips": Number("Number of flips", 1, MAX_FLIPS, step=1, integer=True),
}


def validate(params: dict, notes: list[str]) -> dict:
    params["flips"] = checks.integer(params["flips"], "flips", low=1, high=MAX_FLIPS)
    if params["flips"] > SHOWN_COINS:
        notes.append(f"Only the first {SHOWN_COINS} coins are drawn; the chart shows every flip.")
    return params


SKELETON = """\
from manim import *
import random

random.seed(
    <<seed>>
)  # a fixed seed gives the same flips on every render; change it for new ones
flips = <<flips>>
results = [random.choice("HT") for _ in range(flips)]


def share_of_heads(count):
    # The proportion of heads among the first `count` flips
    return results[:count].count("H") / count


def coin(face):
    # A gold coin for heads, a silver one for tails, each marked with its letter
    disc = Circle(radius=0.26, stroke_color=TEXT, stroke_width=2)
    disc.set_fill(SECONDARY if face == "H" else MUTED, opacity=1)
    return VGroup(disc, Text(face, font_size=22, color=BACKGROUND, weight=BOLD))


class ProbabilityCoinFlips(Scene):
    def construct(self):
<<fit_frame>>
        shown = min(flips, <<shown>>)  # how many coins to draw (the chart uses every flip)

        # Title
        title = Text(f"Flipping a coin {flips} time" + ("s" if flips > 1 else ""), font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # Coins in rows of 8 on the left
        coins = VGroup(*[coin(face) for face in results[:shown]])
        coins.arrange_in_grid(cols=8, buff=0.14, flow_order="rd")
        coins.move_to([-3.7, 2.3, 0], aligned_edge=UP)
        put(coins, flips_area)

        # The share of heads so far, on the right
        axes = Axes(
            x_range=[0, flips, <<x_step>>],
            y_range=[0, 1, 0.25],
            x_length=5.6,
            y_length=3.6,
            tips=False,
            axis_config={"include_numbers": True, "font_size": 22},
        ).move_to([3.7, 0.2, 0])
        put(axes, chart_area)
        half = DashedLine(axes.c2p(0, 0.5), axes.c2p(flips, 0.5), color=HIGHLIGHT)
        half_label = MathTex(r"\\tfrac{1}{2}", font_size=32, color=HIGHLIGHT)
        scaled(half_label, chart_area).next_to(half, RIGHT, buff=0.1)
        chart_title = Text("share of heads", font_size=24)
        scaled(chart_title, chart_area).next_to(axes, UP, buff=0.15)
        self.play(
            Create(axes), Create(half), FadeIn(half_label), FadeIn(chart_title), run_time=1.5
        )

        # Counters under the coins
        count = ValueTracker(0)
        heads = Integer(0, font_size=36).add_updater(
            lambda number: number.set_value(results[: int(count.get_value())].count("H"))
        )
        tails = Integer(0, font_size=36).add_updater(
            lambda number: number.set_value(results[: int(count.get_value())].count("T"))
        )
        counters = (
            VGroup(
                VGroup(Text("heads", font_size=28, color=SECONDARY), heads).arrange(RIGHT),
                VGroup(Text("tails", font_size=28, color=MUTED), tails).arrange(RIGHT),
            )
            .arrange(RIGHT, buff=0.9)
        )
        put(counters, flips_area, -3.7, -2.9)
        self.play(FadeIn(counters), run_time=0.5)

        # Flip: coins appear one by one and the chart follows
        visible_coins = always_redraw(
            lambda: VGroup(*coins[: min(shown, int(count.get_value()))])
        )

        def running_share():
            # A line through (n, share of heads after n flips) for the flips so far
            done = int(count.get_value())
            if done < 2:
                return VMobject()
            points = [axes.c2p(n, share_of_heads(n)) for n in range(1, done + 1)]
            return VMobject(color=ACCENT, stroke_width=4).set_points_as_corners(points)

        chart = always_redraw(running_share)
        self.add(visible_coins, chart)
        self.play(count.animate.set_value(flips), run_time=<<flip_time>>, rate_func=linear)

        # Where it ended up
        final = share_of_heads(flips)
        summary = MathTex(
            rf"\\text{{heads: }} {results.count('H')} \\text{{ of }} {flips} = {final:.2f}",
            font_size=36,
        )
        put(summary, chart_area, 3.7, -2.5)
        self.play(Write(summary), run_time=1.2)
        note = Text("More flips → closer to 1/2", font_size=26, color=HIGHLIGHT)
        scaled(note, chart_area).next_to(summary, DOWN)
        self.play(FadeIn(note), run_time=0.8)
        self.wait(2)
"""


SEED = 7  # the video's random.seed: the same flips on every render


def results(flips: int) -> list[str]:
    """The video's flips, "H" or "T": random.seed(SEED), then random.choice("HT") each."""
    rng = random.Random(SEED)
    return [rng.choice("HT") for _ in range(flips)]


def describe(params: dict) -> list[str]:
    flips = params["flips"]
    faces = results(flips)
    shown = min(flips, SHOWN_COINS)
    heads = faces.count("H")
    coins = (
        "Coins appear one by one"
        if shown == flips
        else f"The first {shown} flips appear as coins, one by one,"
    )
    sentences = [
        f"The title reads: Flipping a coin {flips} time{'s' if flips > 1 else ''}.",
        f"On the right a chart titled share of heads appears: the number of flips from 0 to "
        f"{flips} along the bottom, the share from 0 to 1 up the side, and a dashed line at 1/2.",
        "Counters for heads and tails start at 0.",
        f"{coins} in rows of 8, each marked H for heads or T for tails: "
        + ", ".join(faces[:shown])
        + ".",
    ]
    if flips >= 2:
        sentences.append(
            f"As the {flips} flips come in, a line on the chart follows the share of heads so far."
        )
    sentences += [
        f"The counters end at heads {heads}, tails {flips - heads}.",
        f"The result reads: heads: {heads} of {flips} = {heads / flips:.2f}.",
        "A note reads: More flips, closer to 1/2.",
    ]
    return sentences


def build(params: dict) -> str:
    flips = params["flips"]
    x_step = max(1, int(codegen.nice_step(flips, 5)))
    flip_time = min(9.0, max(3.0, 0.45 * flips))
    return fill(
        SKELETON,
        fit_frame=codegen.arrange_parts(
            {"flips_area": (-6.9, -3.3, -0.5, 2.4), "chart_area": (0.8, -3.4, 6.9, 2.3)}
        ),
        seed=literal(SEED),
        flips=literal(flips),
        shown=literal(SHOWN_COINS),
        x_step=literal(x_step),
        flip_time=literal(flip_time),
    )


def narration(params: dict) -> list[str]:
    flips = params["flips"]
    heads = results(flips).count("H")
    return [
        f"Let's flip a coin {flips} time{'s' if flips > 1 else ''}.",
        "The chart on the right will show the share of heads so far. The dashed line is one half.",
        "Counters keep track of heads and tails.",
        "Here come the flips. Watch the share of heads wander, then settle.",
        f"We got {heads} heads and {flips - heads} tails: {heads} out of {flips} is "
        f"{heads / flips:.2f}. The more flips, the closer it gets to one half.",
    ]
