"""The fixer's rule tables: what old Manim wrote and what Manim Community writes instead.

Renamed classes, methods and keyword arguments, removed animations, ManimGL-only names,
FRAME_* constants, and the LaTeX slips (escapes, Unicode symbols) the transformer repairs.
"""

from __future__ import annotations

import re


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Classes renamed with the same arguments.
RENAMES = {
    "ShowCreation": "Create",
    "TexMobject": "MathTex",
    "OldTex": "MathTex",
    "OldTexText": "Tex",
    "WiggleOutThenIn": "Wiggle",
    "VFadeIn": "FadeIn",
    "VFadeOut": "FadeOut",
    "ParametricSurface": "Surface",
    "ContinualChangingDecimal": "ChangingDecimal",
}
# ManimGL's Tex is math mode (Community's MathTex) and TexText is text mode (Community's Tex).
GL_RENAMES = {"Tex": "MathTex", "TexText": "Tex"}
GL_MODULES = ("manimlib", "manim_imports_ext", "big_ol_pile_of_manim_imports")
GL_ONLY_NAMES = frozenset({"TexText", "OldTexText"})

METHOD_RENAMES = {
    "scale_in_place": "scale",
    "rotate_in_place": "rotate",
    "get_graph": "plot",
    "get_derivative_graph": "plot_derivative_graph",
    "get_v_line": "get_vertical_line",
    "get_h_line": "get_horizontal_line",
    "add_coordinate_labels": "add_coordinates",
}
KWARG_RENAMES = {
    "get_graph_label": {"x": "x_val"},
    "get_axis_labels": {"x_label_tex": "x_label", "y_label_tex": "y_label"},
}

# Animation classes of Manim Community 0.22 and the old names rewritten here: an argument of
# `self.play` that calls one of these is an animation, not an argument of a method before it.
ANIMATIONS = _names(
    """Add AddTextLetterByLetter AddTextWordByWord Animation AnimationGroup ApplyComplexFunction
    ApplyFunction ApplyMatrix ApplyMethod ApplyPointwiseFunction ApplyPointwiseFunctionToCenter
    ApplyWave Blink Broadcast ChangeDecimalToValue ChangeSpeed ChangingDecimal Circumscribe
    ClockwiseTransform ComplexHomotopy CounterclockwiseTransform Create CyclicReplace
    DrawBorderThenFill FadeIn FadeOut FadeToColor FadeTransform FadeTransformPieces Flash FocusOn
    GrowArrow GrowFromCenter GrowFromEdge GrowFromPoint Homotopy Indicate LaggedStart
    LaggedStartMap MaintainPositionRelativeTo MoveAlongPath MoveToTarget PhaseFlow
    RemoveTextLetterByLetter ReplacementTransform Restore Rotate Rotating ScaleInPlace
    ShowIncreasingSubsets ShowPartial ShowPassingFlash ShowPassingFlashWithThinningStrokeWidth
    ShowSubmobjectsOneByOne ShrinkToCenter SmoothedVectorizedHomotopy SpinInFromNothing SpiralIn
    Succession Swap Transform TransformAnimations TransformFromCopy TransformMatchingShapes
    TransformMatchingTex TypeWithCursor Uncreate UntypeWithCursor Unwrite UpdateFromAlphaFunc
    UpdateFromFunc Wait Wiggle Write ShowCreation FadeInFrom FadeInFromDown FadeOutAndShift
    FadeOutAndShiftDown FadeInFromLarge FadeInFromPoint FadeOutToPoint
    ShowCreationThenDestruction ShowCreationThenFadeOut CircleIndicate ShowPassingFlashAround
    ShowCreationThenDestructionAround ShowCreationThenFadeAround FlashAround WiggleOutThenIn
    VFadeIn VFadeOut"""
)

# Mobject methods that old code passed to `self.play` with their arguments after them.
PLAYABLE_METHODS = _names(
    """shift move_to next_to scale rotate set_color set_fill set_stroke set_opacity to_edge
    to_corner align_to flip stretch stretch_to_fit_width stretch_to_fit_height
    scale_to_fit_width scale_to_fit_height set_width set_height match_width match_height
    match_color match_style center arrange arrange_in_grid arrange_submobjects become set_x
    set_y set_z fade fade_to set_value increment_value set_color_by_gradient set_sheen
    rotate_about_origin put_start_and_end_on set_points_as_corners set_style to_original_color
    shift_onto_screen surround replace set_color_by_tex scale_in_place rotate_in_place
    scale_about_point set_angle set_submobject_colors_by_gradient restore"""
)

DIRECTIONS = frozenset({"UP", "DOWN", "LEFT", "RIGHT", "UL", "UR", "DL", "DR", "IN", "OUT"})
OPPOSITE = {
    "UP": "DOWN",
    "DOWN": "UP",
    "LEFT": "RIGHT",
    "RIGHT": "LEFT",
    "UL": "DR",
    "DR": "UL",
    "UR": "DL",
    "DL": "UR",
    "IN": "OUT",
    "OUT": "IN",
}

# FRAME_* constants left Manim Community; inside a method the camera knows the real size.
FRAME_IN_METHOD = {
    "FRAME_WIDTH": "self.camera.frame_width",
    "FRAME_HEIGHT": "self.camera.frame_height",
    "FRAME_X_RADIUS": "(self.camera.frame_width / 2)",
    "FRAME_Y_RADIUS": "(self.camera.frame_height / 2)",
    "TOP": "(self.camera.frame_height / 2 * UP)",
    "BOTTOM": "(self.camera.frame_height / 2 * DOWN)",
    "LEFT_SIDE": "(self.camera.frame_width / 2 * LEFT)",
    "RIGHT_SIDE": "(self.camera.frame_width / 2 * RIGHT)",
}
FRAME_LITERAL = {
    "FRAME_WIDTH": "14.22",
    "FRAME_HEIGHT": "8.0",
    "FRAME_X_RADIUS": "7.11",
    "FRAME_Y_RADIUS": "4.0",
    "TOP": "(4.0 * UP)",
    "BOTTOM": "(4.0 * DOWN)",
    "LEFT_SIDE": "(7.11 * LEFT)",
    "RIGHT_SIDE": "(7.11 * RIGHT)",
}

# Keyword arguments that only the LaTeX classes take (so TextMobject stays Tex with them).
TEX_ONLY_KWARGS = frozenset(
    {"tex_to_color_map", "arg_separator", "tex_template", "substrings_to_isolate", "t2c", "isolate"}
)
GL_TEX_KWARGS = {"t2c": "tex_to_color_map", "isolate": "substrings_to_isolate"}
CIRCUMSCRIBE_KWARGS = frozenset(
    {"run_time", "rate_func", "color", "buff", "time_width", "stroke_width", "lag_ratio"}
)

# LaTeX commands whose first letter Python reads as an escape (\a \b \f \n \r \t \v) when the
# string is not raw: "\frac" is a form feed followed by "rac".
ESCAPED_COMMANDS = re.compile(
    r"\\(alpha|approx|angle|ast|arccos|arcsin|arctan|aleph|beta|bar|bf|begin|binom|bigg?|"
    r"boxed|bullet|bmod|backslash|bot|boldsymbol|frac|forall|flat|frown|nabla|neq|nu|ne|neg|"
    r"newline|nleq|ngeq|not|notin|ni|right|rho|rangle|rightarrow|rm|rfloor|rceil|theta|times|"
    r"tan|text|textbf|textit|tau|to|top|triangle|tilde|tfrac|tiny|vec|varepsilon|varphi|"
    r"vartheta|vdots|vee|vert|varnothing)(?![a-zA-Z])"
)
UNICODE_MATH = {
    "π": r"\pi",
    "θ": r"\theta",
    "α": r"\alpha",
    "β": r"\beta",
    "γ": r"\gamma",
    "δ": r"\delta",
    "Δ": r"\Delta",
    "λ": r"\lambda",
    "μ": r"\mu",
    "σ": r"\sigma",
    "Σ": r"\Sigma",
    "φ": r"\phi",
    "ω": r"\omega",
    "Ω": r"\Omega",
    "ε": r"\epsilon",
    "≤": r"\leq",
    "≥": r"\geq",
    "≠": r"\neq",
    "≈": r"\approx",
    "×": r"\times",
    "÷": r"\div",
    "·": r"\cdot",
    "±": r"\pm",
    "→": r"\to",
    "←": r"\leftarrow",
    "⇒": r"\Rightarrow",
    "∞": r"\infty",
    "√": r"\sqrt",
    "∫": r"\int",
    "∑": r"\sum",
    "∂": r"\partial",
    "∈": r"\in",
    "°": r"^\circ",
    "²": "^2",
    "³": "^3",
    "½": r"\frac{1}{2}",
}
# Escapes Python reads in a non-raw string (besides those starting LaTeX commands).
PY_ESCAPE = re.compile(r"\\[abfnrtv\\'\"0-7xuUN\n]")
MATH_ONLY = re.compile(
    r"[\^_]|\\(frac|sqrt|int|sum|prod|lim|infty|pi|alpha|beta|theta|cdot|leq|geq)"
)

CAMERA_FRAME = re.compile(r"self\.camera\.frame\b")
AXES_CLASSES = frozenset({"Axes", "ThreeDAxes", "NumberPlane", "ComplexPlane"})
