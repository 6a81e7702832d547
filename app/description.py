"""A video's text description: what it shows, in order, with its values (WCAG 1.2.1, 1.2.3).

Two sources make it:
- the summary: a template's own sentences from its parameters (`describe(params)`), or, for
  any other code (an LLM's, a teacher's edit), sentences assembled from the timeline;
- the timeline: what the sandbox saw being added to the scene, with times, from the layout
  probe's snapshots (app/core/layout_probe.py). They come from inside the sandbox, so they are
  untrusted: every field is type-checked and bounded here, as in app/core/layout.py.

Stored with the video (`to_json`), shown under it, downloadable as text (`as_text`) and served
on the player as a WebVTT track (`as_webvtt`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.core.layout import clean_text, finite_number

MAX_MOMENTS = 60
MAX_PER_MOMENT = 6
LABEL_MAX = 120
SUMMARY_MAX = 20
SENTENCE_MAX = 400

# Shapes by the name a sighted viewer would use; any other kind is spelled out from its class
# name ("ParametricFunction" → "a parametric function").
SHAPE_NAMES = {
    "Axes": "axes",
    "ThreeDAxes": "3D axes",
    "NumberPlane": "a coordinate grid",
    "ComplexPlane": "a complex plane",
    "PolarPlane": "a polar grid",
    "NumberLine": "a number line",
    "ParametricFunction": "a curve",
    "FunctionGraph": "a curve",
    "ImplicitFunction": "a curve",
    "Dot": "a dot",
    "Dot3D": "a dot",
    "Line": "a line",
    "DashedLine": "a dashed line",
    "Arrow": "an arrow",
    "Vector": "an arrow",
    "DoubleArrow": "a double arrow",
    "Circle": "a circle",
    "Ellipse": "an ellipse",
    "Arc": "an arc",
    "Square": "a square",
    "Rectangle": "a rectangle",
    "RoundedRectangle": "a rectangle",
    "Triangle": "a triangle",
    "Polygon": "a polygon",
    "RegularPolygon": "a polygon",
    "Brace": "a brace",
    "BraceLabel": "a labelled brace",
    "SurroundingRectangle": "a box around something",
    "BarChart": "a bar chart",
    "Table": "a table",
    "Matrix": "a matrix",
    "Angle": "an angle mark",
    "RightAngle": "a right-angle mark",
    "Sector": "a sector",
    "AnnularSector": "a sector",
    "Annulus": "a ring",
    "Star": "a star",
    "Cube": "a cube",
    "Sphere": "a sphere",
    "Surface": "a surface",
    "Graph": "a graph of nodes and edges",
    "DiGraph": "a directed graph",
}
# Containers say nothing by themselves: their texts are reported one by one.
SILENT_KINDS = frozenset({"VGroup", "Group", "VMobject", "Mobject", "object"})

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ",
    "phi": "φ", "varphi": "φ", "omega": "ω", "Delta": "Δ", "Sigma": "Σ", "Omega": "Ω",
    "Pi": "Π", "Theta": "Θ", "Phi": "Φ", "Gamma": "Γ", "Lambda": "Λ",
}  # fmt: skip
_SYMBOLS = {
    "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "approx": "≈", "neq": "≠",
    "ne": "≠", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "infty": "∞", "to": "→",
    "rightarrow": "→", "Rightarrow": "⇒", "leftarrow": "←", "int": "∫", "sum": "Σ", "prod": "Π",
    "partial": "∂", "nabla": "∇", "degree": "°", "circ": "°", "in": "∈", "cup": "∪", "cap": "∩",
    "sqrt": "√", "lim": "lim", "sin": "sin", "cos": "cos", "tan": "tan", "log": "log",
    "ln": "ln", "exp": "exp", "quad": " ", "qquad": " ", "dots": "…", "ldots": "…",
    "cdots": "…", "%": "%", "$": "$", "{": "{", "}": "}", "&": "&", "_": "_", "#": "#",
}  # fmt: skip
_SUPERSCRIPTS = str.maketrans("0123456789+-n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿ")
_SUBSCRIPTS = str.maketrans("0123456789+-", "₀₁₂₃₄₅₆₇₈₉₊₋")
_GROUP = r"\{([^{}]*)\}"


def latex_words(tex: str) -> str:
    """A formula as a reader sees it: "\\frac{1}{3} x^{2}" → "(1)/(3) x²", without markup."""
    text = tex
    for _ in range(4):  # nested groups, innermost first
        text = re.sub(r"\\(?:text|mathrm|mathbf|mathit|operatorname|textbf)" + _GROUP, r"\1", text)
        text = re.sub(r"\\[dt]?frac" + _GROUP + _GROUP, r"(\1)/(\2)", text)
        text = re.sub(r"\\sqrt" + _GROUP, r"√(\1)", text)
        text = re.sub(r"\^" + _GROUP, lambda m: _raised(m.group(1)), text)
        text = re.sub(r"_" + _GROUP, lambda m: _lowered(m.group(1)), text)
    text = re.sub(r"\^(\w)", lambda m: _raised(m.group(1)), text)
    text = re.sub(r"_(\w)", lambda m: _lowered(m.group(1)), text)
    text = re.sub(r"\\[,;:]", " ", text)  # thin spaces
    text = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg|displaystyle|!)", "", text)
    text = re.sub(r"\\([A-Za-z]+|.)", lambda m: _command(m.group(1)), text)
    text = text.replace("{", "").replace("}", "").replace("&", "").replace("~", " ")
    text = re.sub(r"\((\w)\)/\((\w)\)", r"\1/\2", text)  # (1)/(3) → 1/3
    return " ".join(text.split())


def _command(name: str) -> str:
    if name in _GREEK:
        return _GREEK[name]
    if name == "\\":
        return "; "
    return _SYMBOLS.get(name, "")


def _raised(power: str) -> str:
    return power.translate(_SUPERSCRIPTS) if re.fullmatch(r"[0-9+\-n]+", power) else f"^({power})"


def _lowered(index: str) -> str:
    return index.translate(_SUBSCRIPTS) if re.fullmatch(r"[0-9+\-]+", index) else f"_{index}"


@dataclass(frozen=True)
class Moment:
    """What came on screen at `t` seconds, in one sentence."""

    t: float
    text: str


@dataclass(frozen=True)
class Description:
    summary: list[str]
    moments: list[Moment] = field(default_factory=list)
    duration: float = 0.0
    source: str = "observed"  # "template": the summary is the template's own

    def as_text(self, title: str = "") -> str:
        """The downloadable text: the summary, then the timeline with times."""
        lines = [f"{title or 'Video'} ({clock(self.duration)})", "", *self.summary]
        if self.moments:
            lines += ["", "Timeline:"]
            lines += [f"{clock(moment.t)}  {moment.text}" for moment in self.moments]
        return "\n".join(lines) + "\n"

    def as_webvtt(self) -> str:
        """A WebVTT track: each moment from its time to the next one's (or the end).

        Without a timeline (a 3D scene, nothing measured) the summary is one cue."""
        end = max(self.duration, 0.5)
        cues: list[tuple[float, float, str]] = []
        if self.moments:
            starts = [min(moment.t, end - 0.1) for moment in self.moments]
            for index, moment in enumerate(self.moments):
                until = starts[index + 1] if index + 1 < len(starts) else end
                cues.append((starts[index], max(until, starts[index] + 0.1), moment.text))
        else:
            cues.append((0.0, end, " ".join(self.summary)))
        blocks = ["WEBVTT", ""]
        for number, (start, stop, text) in enumerate(cues, 1):
            safe = text.replace("-->", "→").replace("\n", " ")
            blocks += [str(number), f"{vtt_time(start)} --> {vtt_time(stop)}", safe, ""]
        return "\n".join(blocks)

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": list(self.summary),
            "timeline": [{"t": moment.t, "text": moment.text} for moment in self.moments],
            "duration_s": round(self.duration, 3),
            "source": self.source,
        }

    @classmethod
    def from_json(cls, data: Any) -> Description | None:
        """A stored description; None for anything else (an old row, a damaged value)."""
        if not isinstance(data, dict) or not isinstance(data.get("summary"), list):
            return None
        summary = [clean_text(s, SENTENCE_MAX) for s in data["summary"][:SUMMARY_MAX]]
        moments = []
        for raw in (data.get("timeline") or [])[:MAX_MOMENTS]:
            t = finite_number(raw.get("t")) if isinstance(raw, dict) else None
            if t is not None:
                moments.append(Moment(t, clean_text(raw.get("text"), SENTENCE_MAX)))
        return cls(
            summary=[s for s in summary if s],
            moments=moments,
            duration=finite_number(data.get("duration_s")) or 0.0,
            source="template" if data.get("source") == "template" else "observed",
        )


def clock(seconds: float) -> str:
    whole = max(int(seconds), 0)
    return f"{whole // 60}:{whole % 60:02d}"


def vtt_time(seconds: float) -> str:
    millis = max(round(seconds * 1000), 0)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


# --------------------------------------------------------------------------- from the sandbox


@dataclass
class _Seen:
    """What one play() added: texts and formulas in order, shapes, and texts that others
    were turned into."""

    texts: list[str] = field(default_factory=list)
    shapes: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def timeline(messages: list[dict[str, object]]) -> list[Moment]:
    """What was added to the scene, in order, with the time its play() began."""
    moments: list[Moment] = []
    labels: dict[int, str] = {}  # what each text on screen said when last seen
    shown: set[str] = set()
    for message in messages[:500]:
        if not isinstance(message, dict) or message.get("event") != "layout":
            continue
        t = finite_number(message.get("start"))
        if t is None:
            t = finite_number(message.get("t"))
        items = message.get("items")
        if t is None or not isinstance(items, list):
            continue
        seen = _Seen()
        for raw in items[:200]:
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), int):
                continue
            ident, label = raw["id"], clean_text(raw.get("label"), LABEL_MAX * 2)
            if ident not in labels:
                _add(seen, raw, shown)
            elif label != labels[ident] and raw.get("text") is True:
                # a counter that counted on, a text that became another
                said = _said(label, formula="Tex" in clean_text(raw.get("kind"), 40))
                if said and said not in seen.changed:
                    seen.changed.append(said)
            labels[ident] = label
        becomes = message.get("becomes")
        for label in becomes[:20] if isinstance(becomes, list) else []:
            said = _said(label, formula=True)
            if said and said not in shown:
                shown.add(said)
                seen.changed.append(said)
        sentence = _sentence(seen)
        if sentence and len(moments) < MAX_MOMENTS:
            moments.append(Moment(round(max(t, 0.0), 2), sentence))
    return moments


def _add(seen: _Seen, raw: dict[str, Any], shown: set[str]) -> None:
    kind = clean_text(raw.get("kind"), 40) or "object"
    if raw.get("text") is True:
        said = _said(raw.get("label"), formula="Tex" in kind)
        if said:
            shown.add(said)
            seen.texts.append(said)
        return
    if raw.get("top") is None and kind not in SILENT_KINDS:
        seen.shapes.append(SHAPE_NAMES.get(kind) or _spelled(kind))


def _said(label: Any, *, formula: bool) -> str:
    text = clean_text(label, LABEL_MAX * 2)
    if formula or "\\" in text or "^" in text:
        text = latex_words(text)
    text = text[:LABEL_MAX].strip()
    return f"“{text}”" if text else ""


def _spelled(kind: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", kind).lower()
    return ("an " if words[:1] in "aeiou" else "a ") + words


def _sentence(seen: _Seen) -> str:
    parts = seen.texts[:MAX_PER_MOMENT]
    shapes = _counted(seen.shapes)
    parts += shapes[: max(MAX_PER_MOMENT - len(parts), 1)] if shapes else []
    sentences = [f"Appears: {_listed(parts)}."] if parts else []
    if seen.changed:
        sentences.append(f"Changes to {_listed(seen.changed[:MAX_PER_MOMENT])}.")
    return " ".join(sentences)


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _counted(shapes: list[str]) -> list[str]:
    """["a dot", "a dot", "axes"] → ["2 dots", "axes"], in first-seen order."""
    counts: dict[str, int] = {}
    for shape in shapes:
        counts[shape] = counts.get(shape, 0) + 1
    said = []
    for shape, count in counts.items():
        if count == 1:
            said.append(shape)
        else:
            noun = shape.split(" ", 1)[1] if shape.startswith(("a ", "an ")) else shape
            said.append(f"{count} {noun if noun.endswith('s') else noun + 's'}")
    return said


def observed_summary(moments: list[Moment], duration: float) -> list[str]:
    """Sentences for code that is not a template: its length, then what it shows in order."""
    sentences = [f"A {duration:.0f}-second animation." if duration >= 1 else "A short animation."]
    if moments:
        steps = [_as_step(moment.text) for moment in moments[:12]]
        sentences.append("It shows, in order: " + "; then ".join(steps) + ".")
        if len(moments) > 12:
            sentences.append(f"Then {len(moments) - 12} more steps, listed in the timeline.")
    else:
        sentences.append("Chalk could not list what it shows (a 3D scene or no animation).")
    return sentences


def _as_step(sentence: str) -> str:
    """ "Appears: axes and a dot. Changes to “2”." → "axes and a dot, which changes to “2”"."""
    step = sentence.removeprefix("Appears: ").rstrip(".")
    return step.replace(". Changes to ", ", and it changes to ").replace(
        "Changes to ", "changes to "
    )


def describe_video(
    template_sentences: list[str], layout_messages: list[dict[str, object]], duration: float
) -> Description:
    """The description of a rendered video: the template's sentences when it is a template's
    unedited video, else a summary assembled from what the sandbox saw."""
    moments = timeline(layout_messages)
    if template_sentences:
        return Description(template_sentences, moments, duration, "template")
    return Description(observed_summary(moments, duration), moments, duration, "observed")
