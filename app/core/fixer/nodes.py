"""Small libcst helpers for the fixer: build calls and arguments, read names and strings,
and tell what an expression is (a direction, a simple reference, an animation)."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from app.core.fixer.rules import ANIMATIONS, DIRECTIONS, OPPOSITE

NO_SPACE = cst.SimpleWhitespace("")


def source_of(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def expr(text: str) -> cst.BaseExpression:
    return cst.parse_expression(text)


def kwarg(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(whitespace_before=NO_SPACE, whitespace_after=NO_SPACE),
    )


def pos_arg(value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(value=value)


def make_call(func: str | cst.BaseExpression, args: Sequence[cst.Arg]) -> cst.Call:
    func_node = cst.Name(func) if isinstance(func, str) else func
    return cst.Call(func=func_node, args=tidy_args(args))


def tidy_args(args: Sequence[cst.Arg]) -> list[cst.Arg]:
    """Arguments in a new order: each keeps its own comma (and line break), the last has none."""
    tidy = []
    for index, arg in enumerate(args):
        last = index == len(args) - 1
        if last or not isinstance(arg.comma, cst.Comma):
            arg = arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        tidy.append(arg)
    return tidy


def func_name(call: cst.Call) -> str | None:
    func = call.func
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return None


def split_args(call: cst.Call) -> tuple[list[cst.Arg], dict[str, cst.Arg], list[cst.Arg]]:
    """Positional args, keyword args by name, and starred args (*x, **y) of a call."""
    positional: list[cst.Arg] = []
    keywords: dict[str, cst.Arg] = {}
    starred: list[cst.Arg] = []
    for arg in call.args:
        if arg.star:
            starred.append(arg)
        elif arg.keyword is not None:
            keywords[arg.keyword.value] = arg
        else:
            positional.append(arg)
    return positional, keywords, starred


def negate(value: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(value, cst.Name) and value.value in OPPOSITE:
        return cst.Name(OPPOSITE[value.value])
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        return value.expression
    if isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        return cst.UnaryOperation(operator=cst.Minus(), expression=value)
    return expr(f"-({source_of(value)})")


def is_direction(value: cst.BaseExpression) -> bool:
    """An expression made only of direction constants, numbers and arithmetic."""
    names: list[str] = []

    def walk(node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Name):
            names.append(node.value)
            return node.value in DIRECTIONS
        if isinstance(node, (cst.Integer, cst.Float)):
            return True
        if isinstance(node, cst.UnaryOperation):
            return walk(node.expression)
        if isinstance(node, cst.BinaryOperation):
            return walk(node.left) and walk(node.right)
        return False

    return walk(value) and bool(names)


def is_simple_ref(value: cst.BaseExpression) -> bool:
    """A name, attribute chain or constant subscript: safe to evaluate twice."""
    if isinstance(value, cst.Name):
        return True
    if isinstance(value, cst.Attribute):
        return is_simple_ref(value.value)
    if isinstance(value, cst.Subscript):
        return is_simple_ref(value.value) and all(
            isinstance(s.slice, cst.Index) and isinstance(s.slice.value, (cst.Integer, cst.Name))
            for s in value.slice
        )
    return False


def is_animation(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.Call):
        name = func_name(value)
        if name in ANIMATIONS:
            return True
        return ".animate" in source_of(value.func)
    return ".animate" in source_of(value)


def string_value(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def string_prefix(node: cst.SimpleString) -> str:
    return node.prefix.lower()
