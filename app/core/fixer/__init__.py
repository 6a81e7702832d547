"""Deterministic fixer: rewrite old Manim (ManimGL, pre-0.18 Community) into Manim Community.

`fix_code(code)` applies a concrete-syntax-tree transform (libcst, so comments and layout
survive) and lists every rewrite it made. It never runs the code. It is applied to LLM output
before validation and by `chalk fix --code FILE.py`; code it cannot parse comes back unchanged
(the static policy then names the syntax error).

The rules follow Manim Community's changelog and the ManimGL → Community differences: renamed
classes (ShowCreation → Create, TextMobject/TexMobject → Text/Tex/MathTex, ParametricSurface →
Surface…), removed animations (FadeInFrom*, FadeOutAndShift*, ShowCreationThenDestruction,
CircleIndicate…), `manimlib` imports, ManimGL `CONFIG` dicts, `self.play(mob.method, args)`,
`get_graph` → `plot`, `x_min/x_max` → `x_range`, GraphScene, FRAME_* constants and common
LaTeX slips (unescaped backslashes, `$` inside MathTex, Unicode symbols in formulas).

The package: `rules` (the tables), `shims` (GraphScene code added to former GraphScenes),
`facts` (what the whole program is), `nodes` (small libcst helpers), `transformer` (the
libcst pass), `result` (Fix, FixResult); `fix_code` here ties them up. `colours` holds the
separate swap of raw colours to palette roles (`swap_to_palette`), which the pipeline applies
only when the rendered text measured hard to read.
"""

from __future__ import annotations

import logging

import libcst as cst

from app.core import palette, syntax
from app.core.codeblock import extract_code, parses
from app.core.fixer.colours import swap_to_palette
from app.core.fixer.facts import facts_of
from app.core.fixer.result import Fix, FixResult
from app.core.fixer.transformer import Fixer

__all__ = ["Fix", "FixResult", "fix_code", "swap_to_palette"]

log = logging.getLogger(__name__)


def fix_code(code: str) -> FixResult:
    """Rewrite known old-Manim pitfalls; the result lists each rewrite. Never runs the code."""
    fence_fixes: list[Fix] = []
    source = code
    if not parses(source):
        extracted = extract_code(source)
        if extracted is not None and extracted.strip() != source.strip() and parses(extracted):
            fence_fixes.append(
                Fix("markdown-fence", None, "Markdown fences and prose around the code → removed")
            )
            source = extracted
    try:
        tree = syntax.parse(source)
        module = cst.parse_module(source)
    except (SyntaxError, ValueError, cst.ParserSyntaxError, RecursionError, MemoryError):
        return FixResult(code=source, fixes=fence_fixes)
    fixer = Fixer(facts_of(tree))
    try:
        # The module was parsed above for this pass alone: no copy to protect it (the copy
        # was a quarter of the fixer's time).
        wrapper = cst.MetadataWrapper(module, unsafe_skip_copy=True)
        new_code = wrapper.visit(fixer).code
        if any(fix.rule == "GraphScene" for fix in fixer.fixes):
            new_code = palette.with_constants(new_code)  # the shims colour by palette role
    except Exception:  # a fixer bug must never cost the user their code
        log.exception("fixer failed; code left as it was")
        return FixResult(code=source, fixes=fence_fixes)
    if not parses(new_code):
        log.error("fixer produced code that does not parse; code left as it was")
        return FixResult(code=source, fixes=fence_fixes)
    ordered = sorted(fixer.fixes, key=lambda f: f.line or 0)
    return FixResult(code=new_code, fixes=fence_fixes + ordered)
