"""The libcst transformer that applies the fixer's rules (comments and layout survive).

`Fixer` walks a module once and notes a Fix for each rewrite; the call handlers at the end
rewrite one call each (removed animations, old ranges).
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Sequence
from typing import Any

import libcst as cst
from libcst.metadata import ParentNodeProvider, PositionProvider

from app.core.fixer.facts import Facts
from app.core.fixer.nodes import (
    expr,
    func_name,
    is_animation,
    is_direction,
    is_simple_ref,
    kwarg,
    make_call,
    negate,
    pos_arg,
    source_of,
    split_args,
    string_prefix,
    string_value,
    tidy_args,
)
from app.core.fixer.result import Fix
from app.core.fixer.rules import (
    ANIMATIONS,
    AXES_CLASSES,
    CAMERA_FRAME,
    CIRCUMSCRIBE_KWARGS,
    ESCAPED_COMMANDS,
    FRAME_IN_METHOD,
    FRAME_LITERAL,
    GL_MODULES,
    GL_RENAMES,
    GL_TEX_KWARGS,
    KWARG_RENAMES,
    MATH_ONLY,
    METHOD_RENAMES,
    PLAYABLE_METHODS,
    PY_ESCAPE,
    RENAMES,
    TEX_ONLY_KWARGS,
    UNICODE_MATH,
)
from app.core.fixer.shims import GRAPH_SCENE_DEFAULTS, GRAPH_SCENE_METHODS

# --- the transform -----------------------------------------------------------------------


class Fixer(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider, ParentNodeProvider)

    def __init__(self, facts: Facts) -> None:
        super().__init__()
        self.facts = facts
        self.fixes: list[Fix] = []
        self.self_scopes: list[bool] = []
        self.class_stack: list[dict[str, Any]] = []
        self.star_import_done = False
        self.has_manim_star = False

    # bookkeeping

    def _line(self, node: cst.CSTNode) -> int | None:
        try:
            return int(self.get_metadata(PositionProvider, node).start.line)
        except KeyError:
            return None

    def _note(self, rule: str, node: cst.CSTNode, description: str) -> None:
        fix = Fix(rule=rule, line=self._line(node), description=description)
        if fix not in self.fixes:
            self.fixes.append(fix)

    def _parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        try:
            return self.get_metadata(ParentNodeProvider, node)
        except KeyError:
            return None

    # imports

    def visit_Module(self, node: cst.Module) -> None:
        for statement in node.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if (
                        isinstance(small, cst.ImportFrom)
                        and isinstance(small.module, cst.Name)
                        and small.module.value == "manim"
                        and isinstance(small.names, cst.ImportStar)
                    ):
                        self.has_manim_star = True

    def _manim_star(self, original: cst.CSTNode, what: str) -> cst.ImportFrom | cst.RemovalSentinel:
        self._note("manimlib-import", original, f"{what} → from manim import *")
        if self.has_manim_star or self.star_import_done:
            return cst.RemoveFromParent()
        self.star_import_done = True
        return cst.ImportFrom(module=cst.Name("manim"), names=cst.ImportStar())

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        module = source_of(original_node.module) if original_node.module else ""
        if module.startswith(GL_MODULES):
            return self._manim_star(original_node, f"from {module} import …")
        if module == "manim" and isinstance(updated_node.names, Sequence):
            names = []
            for alias in updated_node.names:
                name = alias.name.value if isinstance(alias.name, cst.Name) else None
                new = RENAMES.get(name or "") or ("Tex" if name == "TextMobject" else None)
                if name in self.facts.defined:
                    new = None
                if new:
                    self._note(name or "", original_node, f"import of {name} → {new}")
                    alias = alias.with_changes(name=cst.Name(new))
                names.append(alias)
            return updated_node.with_changes(names=names)
        return updated_node

    def leave_Import(
        self, original_node: cst.Import, updated_node: cst.Import
    ) -> cst.Import | cst.ImportFrom | cst.RemovalSentinel:
        modules = [source_of(a.name) for a in original_node.names]
        if any(m.startswith(GL_MODULES) for m in modules):
            return self._manim_star(original_node, f"import {', '.join(modules)}")
        return updated_node

    # scopes

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = node.params.params
        is_method = bool(params) and params[0].name.value == "self"
        self.self_scopes.append(is_method or self.sees_self)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.self_scopes.pop()
        return updated_node

    @property
    def sees_self(self) -> bool:
        """Inside a method (or a function nested in one), where `self` is the scene."""
        return bool(self.self_scopes) and self.self_scopes[-1]

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        graph_scene = any(source_of(b.value) == "GraphScene" for b in node.bases)
        self.class_stack.append({"self_calls": set(), "graph_scene": graph_scene})

    # names

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        name = original_node.value
        parent = self._parent(original_node)
        if isinstance(parent, cst.Attribute) and parent.attr is original_node:
            return updated_node
        if isinstance(parent, (cst.ImportAlias, cst.FunctionDef, cst.ClassDef, cst.Param)):
            return updated_node
        if isinstance(parent, cst.Arg) and parent.keyword is original_node:
            return updated_node
        if name in self.facts.defined:
            return updated_node
        if isinstance(parent, cst.Call) and parent.func is original_node:
            return updated_node  # calls are rewritten as a whole in leave_Call
        new = self._renamed(name)
        if new:
            self._note(name, original_node, f"{name} → {new}")
            return cst.Name(new)
        if name in FRAME_IN_METHOD:
            text = FRAME_IN_METHOD[name] if self.sees_self else FRAME_LITERAL[name]
            self._note("FRAME-constants", original_node, f"{name} → {text}")
            return expr(text)
        return updated_node

    def _renamed(self, name: str) -> str | None:
        if self.facts.gl and name in GL_RENAMES:
            return GL_RENAMES[name]
        if name in RENAMES:
            return RENAMES[name]
        if name == "TextMobject":
            return "Tex"
        return None

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        code = source_of(original_node)
        if code == "self.camera_frame":
            self._note("camera_frame", original_node, "self.camera_frame → self.camera.frame")
            return expr("self.camera.frame")
        if self.facts.gl and code == "self.frame":
            self._note("gl-frame", original_node, "self.frame → self.camera.frame")
            return expr("self.camera.frame")
        return updated_node

    # calls

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if isinstance(func, cst.Attribute):
            if isinstance(func.value, cst.Name) and func.value.value == "self" and self.class_stack:
                self.class_stack[-1]["self_calls"].add(func.attr.value)
            return self._method_call(original_node, updated_node)
        if not isinstance(func, cst.Name) or func.value in self.facts.defined:
            return updated_node
        name = func.value
        handler = CALL_HANDLERS.get(name)
        if handler is not None:
            return handler(self, original_node, updated_node)
        new = self._renamed(name)
        if name in ("TextMobject",) or (self.facts.gl and name == "TexText"):
            return self._text_mobject(original_node, updated_node, name)
        if new == "MathTex" or name == "MathTex":
            if new:
                self._note(name, original_node, f"{name}(…) → MathTex(…)")
            return self._latex_strings(
                original_node, updated_node.with_changes(func=cst.Name("MathTex")), math=True
            )
        if name == "Tex" and not self.facts.gl:
            return self._community_tex(original_node, updated_node)
        if new:
            self._note(name, original_node, f"{name}(…) → {new}(…)")
            updated_node = updated_node.with_changes(func=cst.Name(new))
            name = new
        return RANGE_HANDLERS.get(name, _no_change)(self, original_node, updated_node)

    def _method_call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        assert isinstance(updated.func, cst.Attribute)
        method = updated.func.attr.value
        receiver = updated.func.value
        in_graph_scene = bool(self.class_stack and self.class_stack[-1].get("graph_scene"))
        on_self = isinstance(receiver, cst.Name) and receiver.value == "self"
        if method == "play":
            return self._play(original, updated)
        if method in ("embed", "interact") and on_self and not updated.args:
            return updated  # removed with its statement in leave_SimpleStatementLine
        if on_self and in_graph_scene and method in GRAPH_SCENE_METHODS:
            return updated  # provided by the GraphScene shim
        positional, keywords, _ = split_args(updated)
        if method in KWARG_RENAMES:
            renames = KWARG_RENAMES[method]
            args = []
            for arg in updated.args:
                if arg.keyword is not None and arg.keyword.value in renames:
                    new = renames[arg.keyword.value]
                    self._note(method, original, f".{method}({arg.keyword.value}=…) → {new}=…")
                    arg = arg.with_changes(keyword=cst.Name(new))
                args.append(arg)
            updated = updated.with_changes(args=args)
        vertical_line = method == "get_vertical_line_to_graph" and len(positional) >= 2
        if vertical_line and is_simple_ref(receiver):
            point = make_call(
                cst.Attribute(value=receiver, attr=cst.Name("i2gp")),
                [pos_arg(positional[0].value), pos_arg(positional[1].value)],
            )
            rest = [a for a in updated.args if a.keyword is not None]
            self._note(
                method,
                original,
                ".get_vertical_line_to_graph(x, graph) → .get_vertical_line(.i2gp(x, graph))",
            )
            return make_call(
                cst.Attribute(value=receiver, attr=cst.Name("get_vertical_line")),
                [pos_arg(point), *rest],
            )
        if method == "scale_about_point" and len(positional) == 2:
            self._note(method, original, ".scale_about_point(f, p) → .scale(f, about_point=p)")
            return make_call(
                cst.Attribute(value=receiver, attr=cst.Name("scale")),
                [positional[0], kwarg("about_point", positional[1].value)],
            )
        if method in ("set_camera_orientation", "move_camera") and "distance" in keywords:
            self._note(method, original, f".{method}(distance=…) → removed (use zoom)")
            updated = updated.with_changes(
                args=tidy_args([a for a in updated.args if a is not keywords["distance"]])
            )
        if method in METHOD_RENAMES:
            new = METHOD_RENAMES[method]
            self._note(method, original, f".{method}(…) → .{new}(…)")
            updated = updated.with_changes(func=updated.func.with_changes(attr=cst.Name(new)))
            method = new
        if method == "plot":
            updated = self._ranges(original, updated, [("x_range", "x_min", "x_max")])
        if method in ("get_riemann_rectangles",):
            updated = self._ranges(original, updated, [("x_range", "x_min", "x_max")])
        if method == "get_area":
            updated = self._ranges(original, updated, [("x_range", "t_min", "t_max")])
        return updated

    # self.play(mob.method, args) → self.play(mob.animate.method(args))

    def _play(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        new_args: list[cst.Arg] = []
        group: tuple[cst.BaseExpression, str, list[cst.Arg]] | None = None
        built: list[tuple[str, cst.Call]] = []  # receiver code → animate chain
        changed = False

        def flush() -> None:
            nonlocal group
            if group is None:
                return
            receiver, method, method_args = group
            call = self._animate_call(receiver, method, method_args)
            key = source_of(receiver)
            if built and built[-1][0] == key and new_args and new_args[-1].value is built[-1][1]:
                chained = cst.Call(
                    func=cst.Attribute(value=built[-1][1], attr=call.func.attr),  # type: ignore[attr-defined]
                    args=call.args,
                )
                built[-1] = (key, chained)
                new_args[-1] = new_args[-1].with_changes(value=chained)
            else:
                built.append((key, call))
                new_args.append(pos_arg(call))
            group = None

        for arg in updated.args:
            value = arg.value
            if arg.keyword is None and not arg.star:
                if (
                    isinstance(value, cst.Attribute)
                    and value.attr.value in PLAYABLE_METHODS
                    and not (isinstance(value.value, cst.Name) and value.value.value[:1].isupper())
                ):
                    flush()
                    group = (value.value, value.attr.value, [])
                    changed = True
                    continue
                if group is not None and not is_animation(value):
                    group[2].append(pos_arg(value))
                    continue
            flush()
            new_args.append(arg)
        flush()
        if not changed:
            return updated
        self._note(
            "play-method",
            original,
            "self.play(mob.method, args) → self.play(mob.animate.method(args))",
        )
        return updated.with_changes(args=tidy_args(new_args))

    def _animate_call(
        self, receiver: cst.BaseExpression, method: str, args: list[cst.Arg]
    ) -> cst.Call:
        animate = cst.Attribute(value=receiver, attr=cst.Name("animate"))
        if method == "scale_about_point" and len(args) == 2:
            return make_call(
                cst.Attribute(value=animate, attr=cst.Name("scale")),
                [args[0], kwarg("about_point", args[1].value)],
            )
        method = METHOD_RENAMES.get(method, method)
        return make_call(cst.Attribute(value=animate, attr=cst.Name(method)), args)

    # animations that were removed

    def _fade_from(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        name = func_name(original) or ""
        positional, keywords, starred = split_args(updated)
        if not positional or starred:
            return updated
        mob = positional[0]
        rest = [
            a
            for a in updated.args
            if a.keyword is not None
            and a.keyword.value not in ("direction", "scale_factor", "point")
        ]
        extra: list[cst.Arg] = []
        second = positional[1].value if len(positional) > 1 else None
        if name == "FadeInFrom":
            direction = second or (keywords["direction"].value if "direction" in keywords else None)
            shift = negate(direction) if direction is not None else cst.Name("UP")
            target, extra = "FadeIn", [kwarg("shift", shift)]
        elif name == "FadeInFromDown":
            target, extra = "FadeIn", [kwarg("shift", cst.Name("UP"))]
        elif name == "FadeOutAndShift":
            direction = second or (keywords["direction"].value if "direction" in keywords else None)
            target, extra = "FadeOut", [kwarg("shift", direction or cst.Name("DOWN"))]
        elif name == "FadeOutAndShiftDown":
            target, extra = "FadeOut", [kwarg("shift", cst.Name("DOWN"))]
        elif name == "FadeInFromLarge":
            factor = second or (
                keywords["scale_factor"].value if "scale_factor" in keywords else cst.Integer("2")
            )
            target, extra = "FadeIn", [kwarg("scale", factor)]
        elif name in ("FadeInFromPoint", "FadeOutToPoint"):
            point = second or (keywords["point"].value if "point" in keywords else None)
            if point is None:
                return updated
            target = "FadeIn" if name == "FadeInFromPoint" else "FadeOut"
            extra = [kwarg("target_position", point)]
        else:
            return updated
        new = make_call(target, [mob.with_changes(comma=cst.MaybeSentinel.DEFAULT), *extra, *rest])
        self._note(name, original, f"{name}(…) → {source_of(new)}")
        return new

    def _fade(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        """ManimGL's FadeIn(mob, UP): the second positional argument is the shift."""
        positional, keywords, starred = split_args(updated)
        if len(positional) == 2 and not starred and "shift" not in keywords:
            direction = positional[1].value
            if is_direction(direction):
                name = func_name(original) or "FadeIn"
                args = [
                    positional[0].with_changes(comma=cst.MaybeSentinel.DEFAULT),
                    kwarg("shift", direction),
                    *[a for a in updated.args if a.keyword is not None],
                ]
                new = updated.with_changes(args=tidy_args(args))
                shift = source_of(direction)
                self._note(
                    "fade-direction", original, f"{name}(mob, {shift}) → {name}(mob, shift={shift})"
                )
                return new
        return updated

    def _flash(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        name = func_name(original) or ""
        positional, keywords, starred = split_args(updated)
        if not positional or starred:
            return updated
        mob = positional[0].value
        kept = [a for k, a in keywords.items() if k in CIRCUMSCRIBE_KWARGS]
        if name == "ShowCreationThenDestruction":
            if "time_width" not in keywords:
                kept.append(kwarg("time_width", expr("2.0")))
            new = make_call("ShowPassingFlash", [pos_arg(mob), *kept])
        elif name == "ShowCreationThenFadeOut":
            if is_simple_ref(mob):
                new = make_call(
                    "Succession",
                    [
                        pos_arg(make_call("Create", [pos_arg(mob)])),
                        pos_arg(make_call("FadeOut", [pos_arg(mob)])),
                        *kept,
                    ],
                )
            else:
                new = make_call(
                    "ShowPassingFlash", [pos_arg(mob), kwarg("time_width", expr("2.0"))]
                )
        elif name == "CircleIndicate":
            new = make_call("Circumscribe", [pos_arg(mob), pos_arg(cst.Name("Circle")), *kept])
        elif name == "ShowCreationThenFadeAround":
            new = make_call(
                "Circumscribe", [pos_arg(mob), kwarg("fade_out", cst.Name("True")), *kept]
            )
        else:
            new = make_call("Circumscribe", [pos_arg(mob), *kept])
        self._note(name, original, f"{name}(…) → {func_name(new)}(…)")
        return new

    def _lagged_start(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        positional, _, _ = split_args(updated)
        if len(positional) >= 2:
            first = positional[0].value
            if isinstance(first, cst.Name) and first.value in ANIMATIONS:
                self._note(
                    "LaggedStart-class",
                    original,
                    "LaggedStart(AnimationClass, group) → LaggedStartMap(AnimationClass, group)",
                )
                return updated.with_changes(func=cst.Name("LaggedStartMap"))
        return updated

    def _text(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        _, keywords, _ = split_args(updated)
        if "size" not in keywords:
            return updated
        size = keywords["size"].value
        if isinstance(size, (cst.Integer, cst.Float)):
            font = expr(repr(round(48 * float(size.evaluated_value), 3)))
        else:
            font = expr(f"48 * ({source_of(size)})")
        self._note("Text-size", original, "Text(size=…) → Text(font_size=48 × size)")
        args = [kwarg("font_size", font) if a is keywords["size"] else a for a in updated.args]
        return updated.with_changes(args=tidy_args(args))

    # text and LaTeX

    def _text_mobject(self, original: cst.Call, updated: cst.Call, name: str) -> cst.BaseExpression:
        positional, keywords, starred = split_args(updated)
        plain = (
            len(positional) == 1
            and not starred
            and not (set(keywords) & TEX_ONLY_KWARGS)
            and (value := string_value(positional[0].value)) is not None
            and "$" not in value
            and "\\" not in value
        )
        if plain:
            self._note(name, original, f"{name}(…) → Text(…) (plain text needs no LaTeX)")
            return updated.with_changes(func=cst.Name("Text"))
        self._note(name, original, f"{name}(…) → Tex(…)")
        return self._latex_strings(original, updated.with_changes(func=cst.Name("Tex")), math=False)

    def _community_tex(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        """Tex is text mode in Community: math without $…$ belongs in MathTex."""
        positional, _, _ = split_args(updated)
        values = [string_value(a.value) for a in positional]
        if values and all(v is not None for v in values):
            joined = "".join(v or "" for v in values)
            if "$" not in joined and "\\text" not in joined and MATH_ONLY.search(joined):
                self._note("Tex-math", original, "Tex(math without $…$) → MathTex(…)")
                return self._latex_strings(
                    original, updated.with_changes(func=cst.Name("MathTex")), math=True
                )
        return self._latex_strings(original, updated, math=False)

    def _latex_strings(self, original: cst.Call, updated: cst.Call, *, math: bool) -> cst.Call:
        args = []
        name = func_name(updated) or "Tex"
        for arg in updated.args:
            if arg.keyword is not None and self.facts.gl and arg.keyword.value in GL_TEX_KWARGS:
                new_kw = GL_TEX_KWARGS[arg.keyword.value]
                self._note("gl-tex-kwargs", original, f"{arg.keyword.value}= → {new_kw}=")
                arg = arg.with_changes(keyword=cst.Name(new_kw))
            if arg.keyword is None and isinstance(arg.value, cst.SimpleString):
                arg = arg.with_changes(value=self._latex_string(original, arg.value, name, math))
            args.append(arg)
        return updated.with_changes(args=args)

    def _latex_string(
        self, original: cst.Call, node: cst.SimpleString, name: str, math: bool
    ) -> cst.SimpleString:
        prefix = string_prefix(node)
        if "b" in prefix:
            return node
        body = node.value[len(node.prefix) :]
        quote = body[:3] if body[:3] in ('"""', "'''") else body[0]
        inner = body[len(quote) : -len(quote)]
        new_prefix = node.prefix
        raw = "r" in prefix
        if not raw and ESCAPED_COMMANDS.search(inner):
            # Only when every escape Python would read is the start of a LaTeX command.
            rest = ESCAPED_COMMANDS.sub("", inner)
            if not PY_ESCAPE.search(rest):
                self._note("latex-raw-string", original, f'{name}("\\…") → {name}(r"\\…")')
                new_prefix = node.prefix + "r"
                raw = True
        if math:
            stripped = inner.strip()
            for dollars in ("$$", "$"):
                if (
                    stripped.startswith(dollars)
                    and stripped.endswith(dollars)
                    and len(stripped) > 2 * len(dollars)
                    and "$" not in stripped[len(dollars) : -len(dollars)]
                ):
                    self._note("mathtex-dollars", original, f'{name}("$…$") → {name}("…")')
                    inner = stripped[len(dollars) : -len(dollars)]
                    break
        found = [ch for ch in UNICODE_MATH if ch in inner]
        for ch in found:
            command = UNICODE_MATH[ch] if math else f"${UNICODE_MATH[ch]}$"
            if not raw:
                command = command.replace("\\", "\\\\")
            # "2πr" → "2\pi r": a command needs a space before a following letter.
            spaced = command + " " if command[-1].isalpha() else command
            inner = re.sub(re.escape(ch) + r"(?=[A-Za-z])", spaced.replace("\\", "\\\\"), inner)
            inner = inner.replace(ch, command)
        if found:
            self._note("latex-unicode", original, f"{name}: {' '.join(found)} → LaTeX commands")
        if new_prefix == node.prefix and inner == body[len(quote) : -len(quote)]:
            return node
        return node.with_changes(value=f"{new_prefix}{quote}{inner}{quote}")

    # x_min / x_max → x_range

    def _ranges(
        self,
        original: cst.Call,
        updated: cst.Call,
        specs: Sequence[tuple[str, str, str]],
        defaults: dict[str, tuple[str, str]] | None = None,
        steps: dict[str, Sequence[str]] | None = None,
    ) -> cst.Call:
        _, keywords, _ = split_args(updated)
        drop: set[str] = set()
        add: list[cst.Arg] = []
        for target, low, high in specs:
            if low not in keywords and high not in keywords:
                continue
            if target in keywords:
                continue
            default_low, default_high = (defaults or {}).get(target, ("0", "1"))
            low_value = keywords[low].value if low in keywords else expr(default_low)
            high_value = keywords[high].value if high in keywords else expr(default_high)
            items = [low_value, high_value]
            for step_name in (steps or {}).get(target, ()):
                if step_name in keywords:
                    items.append(keywords[step_name].value)
                    drop.add(step_name)
                    break
            drop.update({low, high})
            add.append(
                kwarg(
                    target,
                    cst.List(
                        [
                            cst.Element(
                                value=v,
                                comma=cst.MaybeSentinel.DEFAULT,
                            )
                            for v in items
                        ]
                    ),
                )
            )
            self._note("x_min-range", original, f"{low}=…, {high}=… → {target}=[{low}, {high}…]")
        if "number_line_config" in keywords and func_name(updated) in AXES_CLASSES:
            self._note("number_line_config", original, "number_line_config= → axis_config=")
            keywords["number_line_config"] = keywords["number_line_config"].with_changes(
                keyword=cst.Name("axis_config")
            )
            drop.add("number_line_config")
            add.append(keywords["number_line_config"])
        if not add:
            return updated
        kept = [a for a in updated.args if not (a.keyword is not None and a.keyword.value in drop)]
        return updated.with_changes(args=tidy_args([*kept, *add]))

    # statements and classes

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        if len(updated_node.body) == 1 and isinstance(updated_node.body[0], cst.Expr):
            value = updated_node.body[0].value
            code = source_of(value)
            if code in ("self.embed()", "self.interact()", "embed()"):
                self._note("embed", original_node, f"{code} (interactive ManimGL shell) → removed")
                return cst.RemoveFromParent()
        return updated_node

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        if not updated_node.body:
            return updated_node.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
        return updated_node

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        info = self.class_stack.pop() if self.class_stack else {"self_calls": set()}
        updated_node = self._config_dict(original_node, updated_node)
        bases = [source_of(b.value) for b in updated_node.bases]
        if "GraphScene" in bases:
            updated_node = self._graph_scene(original_node, updated_node, info["self_calls"])
            bases = [source_of(b.value) for b in updated_node.bases]
        if "Scene" in bases and CAMERA_FRAME.search(source_of(updated_node)):
            self._note(
                "MovingCameraScene",
                original_node,
                "Scene that moves self.camera.frame → MovingCameraScene",
            )
            updated_node = updated_node.with_changes(
                bases=[
                    b.with_changes(value=cst.Name("MovingCameraScene"))
                    if source_of(b.value) == "Scene"
                    else b
                    for b in updated_node.bases
                ]
            )
        return updated_node

    def _config_dict(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        body = list(updated.body.body)
        for index, statement in enumerate(body):
            if not (
                isinstance(statement, cst.SimpleStatementLine)
                and len(statement.body) == 1
                and isinstance(statement.body[0], cst.Assign)
                and len(statement.body[0].targets) == 1
                and source_of(statement.body[0].targets[0].target) == "CONFIG"
                and isinstance(statement.body[0].value, cst.Dict)
            ):
                continue
            entries = statement.body[0].value.elements
            new_statements: list[cst.BaseStatement] = []
            background: cst.BaseExpression | None = None
            for entry in entries:
                if not isinstance(entry, cst.DictElement):
                    return updated
                key = string_value(entry.key)
                if key is None or not key.isidentifier() or keyword.iskeyword(key):
                    return updated
                if key == "camera_config" and isinstance(entry.value, cst.Dict):
                    for sub in entry.value.elements:
                        if (
                            isinstance(sub, cst.DictElement)
                            and string_value(sub.key) == "background_color"
                        ):
                            background = sub.value
                    continue
                new_statements.append(
                    cst.SimpleStatementLine(
                        [cst.Assign(targets=[cst.AssignTarget(cst.Name(key))], value=entry.value)]
                    )
                )
            self._note(
                "CONFIG-dict",
                original,
                "CONFIG = {…} → class attributes (Community ignores CONFIG)",
            )
            body[index : index + 1] = new_statements
            updated = updated.with_changes(body=updated.body.with_changes(body=body))
            if background is not None:
                updated = self._prepend_to_construct(
                    updated, f"self.camera.background_color = {source_of(background)}"
                )
            return updated
        return updated

    def _prepend_to_construct(self, cls: cst.ClassDef, statement: str) -> cst.ClassDef:
        body = list(cls.body.body)
        for index, item in enumerate(body):
            if isinstance(item, cst.FunctionDef) and item.name.value == "construct":
                block = item.body
                assert isinstance(block, cst.IndentedBlock)
                new_block = block.with_changes(
                    body=[cst.parse_statement(statement + "\n"), *block.body]
                )
                body[index] = item.with_changes(body=new_block)
                return cls.with_changes(body=cls.body.with_changes(body=body))
        return cls

    def _graph_scene(
        self, original: cst.ClassDef, updated: cst.ClassDef, self_calls: set[str]
    ) -> cst.ClassDef:
        self._note(
            "GraphScene",
            original,
            "GraphScene (removed) → Scene with Axes-based setup_axes/get_graph… methods",
        )
        body = list(updated.body.body)
        assigned = {
            source_of(t.target)
            for s in body
            if isinstance(s, cst.SimpleStatementLine)
            for small in s.body
            if isinstance(small, cst.Assign)
            for t in small.targets
        }
        defined = {s.name.value for s in body if isinstance(s, cst.FunctionDef)}
        attributes = [
            cst.parse_statement(f"{key} = {value}\n")
            for key, value in GRAPH_SCENE_DEFAULTS.items()
            if key not in assigned
        ]
        wanted = {"setup_axes"} | (self_calls & set(GRAPH_SCENE_METHODS))
        methods = [
            cst.parse_statement(GRAPH_SCENE_METHODS[name].lstrip("\n"))
            for name in GRAPH_SCENE_METHODS
            if name in wanted and name not in defined
        ]
        bases = [
            b.with_changes(value=cst.Name("Scene")) if source_of(b.value) == "GraphScene" else b
            for b in updated.bases
        ]
        return updated.with_changes(
            bases=bases,
            body=updated.body.with_changes(body=[*attributes, *body, *methods]),
        )


def _no_change(fixer: Fixer, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
    return updated


def _axes_ranges(fixer: Fixer, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
    specs = [
        ("x_range", "x_min", "x_max"),
        ("y_range", "y_min", "y_max"),
        ("z_range", "z_min", "z_max"),
    ]
    return fixer._ranges(
        original,
        updated,
        specs,
        defaults={"x_range": ("-7", "7"), "y_range": ("-4", "4"), "z_range": ("-4", "4")},
        steps={
            "x_range": ("x_tick_frequency", "x_step"),
            "y_range": ("y_tick_frequency", "y_step"),
            "z_range": ("z_tick_frequency", "z_step"),
        },
    )


def _number_line_range(fixer: Fixer, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
    return fixer._ranges(
        original,
        updated,
        [("x_range", "x_min", "x_max")],
        defaults={"x_range": ("-7", "7")},
        steps={"x_range": ("tick_frequency",)},
    )


def _function_graph_range(
    fixer: Fixer, original: cst.Call, updated: cst.Call
) -> cst.BaseExpression:
    return fixer._ranges(
        original, updated, [("x_range", "x_min", "x_max")], {"x_range": ("-7", "7")}
    )


def _parametric_range(fixer: Fixer, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
    return fixer._ranges(
        original, updated, [("t_range", "t_min", "t_max")], {"t_range": ("0", "1")}
    )


def _surface_range(fixer: Fixer, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
    return fixer._ranges(
        original,
        updated,
        [("u_range", "u_min", "u_max"), ("v_range", "v_min", "v_max")],
        {"u_range": ("0", "1"), "v_range": ("0", "1")},
    )


CALL_HANDLERS = {
    "FadeInFrom": Fixer._fade_from,
    "FadeInFromDown": Fixer._fade_from,
    "FadeOutAndShift": Fixer._fade_from,
    "FadeOutAndShiftDown": Fixer._fade_from,
    "FadeInFromLarge": Fixer._fade_from,
    "FadeInFromPoint": Fixer._fade_from,
    "FadeOutToPoint": Fixer._fade_from,
    "FadeIn": Fixer._fade,
    "FadeOut": Fixer._fade,
    "ShowCreationThenDestruction": Fixer._flash,
    "ShowCreationThenFadeOut": Fixer._flash,
    "CircleIndicate": Fixer._flash,
    "ShowPassingFlashAround": Fixer._flash,
    "ShowCreationThenDestructionAround": Fixer._flash,
    "ShowCreationThenFadeAround": Fixer._flash,
    "FlashAround": Fixer._flash,
    "LaggedStart": Fixer._lagged_start,
    "Text": Fixer._text,
}
RANGE_HANDLERS = {
    "Axes": _axes_ranges,
    "ThreeDAxes": _axes_ranges,
    "NumberPlane": _axes_ranges,
    "ComplexPlane": _axes_ranges,
    "NumberLine": _number_line_range,
    "FunctionGraph": _function_graph_range,
    "ParametricFunction": _parametric_range,
    "Surface": _surface_range,
}
