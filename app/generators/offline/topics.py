"""Topics teachers ask for that a template may not draw: when a prompt names one and the chosen
template's own triggers do not cover it, the planner refuses instead of routing the prompt to a
neighbour (a histogram is not a bar chart, interference is not one wave, a probability tree is
not a run of coin flips). A template that does draw a topic covers it with its triggers, so
adding that template needs no change here.

Each entry: a pattern for the topic's distinctive words as teachers write them → how the
refusal names it. Only those words are held against a template's triggers, so a generic word
beside them ("probability tree") does not make a template (coin flips) seem to cover it.
"""

from __future__ import annotations

import re

TOPICS: dict[str, str] = {
    r"\bhistograms?\b": "histograms",
    r"\bbox(?:[- ]and[- ]whiskers?)?[- ]?plots?\b|\bbox[- ]and[- ]whiskers?\b": "box plots",
    r"\bpie (?:charts?|graphs?)\b": "pie charts",
    r"\bscatter (?:plots?|graphs?|diagrams?)\b": "scatter graphs",
    r"\bnormal distribution\b|\bbell curve\b|\bstandard deviation\b": "the normal distribution",
    r"\btree diagrams?\b|(?<=probability )trees?\b": "probability trees",
    r"\bspinners?\b": "spinners",
    r"\bcircle theorems?\b|\bangle at the (?:centre|center)\b": "circle theorems",
    r"\binterference\b": "wave interference",
    r"\bdiffraction\b": "diffraction",
    r"\brefraction\b|\bsnell'?s law\b|\blens(?:es)?\b": "refraction and lenses",
    r"\borbit(?:s|ing|al)?\b|\bplanets?\b": "orbits",
    r"\belectric fields?\b|\bmagnetic fields?\b|\bfield lines\b": "fields",
    r"\bargand\b|\bcomplex numbers?\b|\bimaginary\b": "complex numbers",
    r"\b(?:complex )?conjugates?\b": "complex conjugates",
    r"\b3d\b|\bthree[- ]dimensional\b|\bin three dimensions\b": "3D drawings",
    r"\bdijkstra\b|\bshortest path\b|\bweighted graphs?\b": "shortest paths",
    r"\bphotosynthesis\b|\bmitosis\b|\bmeiosis\b|\bdna\b|\bcells? divi\w*": "biology",
    r"\blogarithms?\b|\blog base\b": "logarithms",
    r"\bparticle model\b|\bstates of matter\b": "the particle model",
    r"\bramps?\b|\binclined? planes?\b|\binclines\b"
    r"|\d\s*(?:°|degrees?) slopes?\b": "inclined planes",
}
_COMPILED = [(re.compile(pattern), name) for pattern, name in TOPICS.items()]


def uncovered(prompt_text: str, triggers: list[tuple[re.Pattern[str], int]]) -> str | None:
    """The first topic the prompt names that none of the template's positive triggers matches
    (tested on the words the prompt used for it), or None."""
    for pattern, name in _COMPILED:
        found = pattern.search(prompt_text)
        if found and not any(
            weight > 0 and trigger.search(found.group(0)) for trigger, weight in triggers
        ):
            return name
    return None
