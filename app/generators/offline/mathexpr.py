"""Teacher math → a checked expression in x, without ever evaluating the text as Python.

`parse("3x^2 - 2x + 1")` accepts what teachers type ("x^2", "x²", "2x", "sin x", "e^x",
"sqrt(x)", "ln x", "|x|", "2pi") and returns an `Expr`: a Python syntax tree that holds only
numbers, x, pi, e, + - * / ** and a fixed list of one-argument functions. Anything else (names,
attributes, subscripts, keyword arguments, huge numbers or exponents, deep nesting) is refused
with a `MathError` whose message is one sentence a teacher can act on.

The tree is then printed three ways: `text` (the canonical parameter, "x**2 - 4*x + 3"),
`code` (NumPy code for emitted scenes, "np.sin(x)/x") and `latex` ("\\frac{\\sin(x)}{x}"),
and `values(xs)` evaluates it by walking the tree with NumPy.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from app.core import syntax

MAX_LENGTH = 200  # characters of teacher input
MAX_NODES = 150
MAX_DEPTH = 24
MAX_CONSTANT = 1e6  # largest number literal
MAX_EXPONENT = 12  # largest constant exponent (x**12, 2**10)


class MathError(ValueError):
    """The text is not maths Chalk can draw; the message says why in one sentence."""


@dataclass(frozen=True)
class Function:
    name: str  # canonical name used in parameters: "sin"
    code: str  # NumPy spelling for emitted code: "np.sin"
    latex: str  # LaTeX command: r"\sin"
    apply: Callable[[np.ndarray], np.ndarray]


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in [
        Function("sin", "np.sin", r"\sin", np.sin),
        Function("cos", "np.cos", r"\cos", np.cos),
        Function("tan", "np.tan", r"\tan", np.tan),
        Function("arcsin", "np.arcsin", r"\arcsin", np.arcsin),
        Function("arccos", "np.arccos", r"\arccos", np.arccos),
        Function("arctan", "np.arctan", r"\arctan", np.arctan),
        Function("sinh", "np.sinh", r"\sinh", np.sinh),
        Function("cosh", "np.cosh", r"\cosh", np.cosh),
        Function("tanh", "np.tanh", r"\tanh", np.tanh),
        Function("exp", "np.exp", "exp", np.exp),
        Function("log", "np.log", r"\ln", np.log),
        Function("log10", "np.log10", r"\log_{10}", np.log10),
        Function("log2", "np.log2", r"\log_{2}", np.log2),
        Function("sqrt", "np.sqrt", "sqrt", np.sqrt),
        Function("abs", "np.abs", "abs", np.abs),
    ]
}
ALIASES = {
    "ln": "log",
    "asin": "arcsin",
    "acos": "arccos",
    "atan": "arctan",
    "arsinh": "sinh",
    "root": "sqrt",
}
CONSTANTS = {"pi": math.pi, "e": math.e}
VARIABLE = "x"

# Words a letter run may be made of, longest first so "exp" is not read as "e", "x", "p".
_NAMES = sorted([*FUNCTIONS, *ALIASES, *CONSTANTS, VARIABLE], key=len, reverse=True)
_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*|\.\d+)|([a-z]+)|(\*\*|[-+*/^(),|]))")
_UNICODE = {
    "²": "^2",
    "³": "^3",
    "⁴": "^4",
    "π": "pi",
    "−": "-",
    "–": "-",
    "×": "*",
    "·": "*",
    "⋅": "*",
    "÷": "/",
    "√": "sqrt",
    "[": "(",
    "]": ")",
    "{": "(",
    "}": ")",
}


@dataclass(frozen=True)
class Expr:
    """A checked expression; `tree` holds only allowlisted nodes."""

    tree: ast.expr

    @property
    def text(self) -> str:
        """Canonical Python form, the `expression` parameter: "x**2 - 4*x + 3"."""
        return _python(self.tree, numpy=False)

    @property
    def code(self) -> str:
        """NumPy form for emitted scene code: "np.sin(x)/x"."""
        return _python(self.tree, numpy=True)

    @property
    def latex(self) -> str:
        return _latex(self.tree)

    @property
    def words(self) -> str:
        """How a description writes it, readable aloud and on screen: "3x² - 2x + 1", "√x/2"."""
        return _words(self.tree)

    @property
    def has_x(self) -> bool:
        return any(isinstance(n, ast.Name) and n.id == VARIABLE for n in ast.walk(self.tree))

    @property
    def functions(self) -> set[str]:
        return {n.func.id for n in ast.walk(self.tree) if isinstance(n, ast.Call)}  # type: ignore[attr-defined]

    def values(self, xs: np.ndarray | float) -> np.ndarray:
        """f at each x, as floats; NaN or inf where f is undefined."""
        with np.errstate(all="ignore"):
            return np.asarray(_evaluate(self.tree, np.asarray(xs, dtype=float)), dtype=float)

    def value(self, x: float = 0.0) -> float:
        return float(self.values(x))

    def polynomial(self, max_degree: int = 2) -> list[Fraction] | None:
        """Exact coefficients [c0, c1, ...] if this is a polynomial of degree ≤ max_degree."""
        if not _is_polynomial(self.tree):
            return None
        points = [Fraction(k) for k in range(max_degree + 3)]
        try:
            ys = [_evaluate_exact(self.tree, p) for p in points]
        except (ZeroDivisionError, ValueError, OverflowError):
            return None
        coefficients = _interpolate(points[: max_degree + 1], ys[: max_degree + 1])
        # The extra points must agree, or the degree is higher than max_degree.
        for p, y in zip(points[max_degree + 1 :], ys[max_degree + 1 :], strict=True):
            if sum(c * p**k for k, c in enumerate(coefficients)) != y:
                return None
        return coefficients


def parse(text: str) -> Expr:
    """Parse teacher math in x; raise MathError with a teacher-facing sentence."""
    if not isinstance(text, str):
        raise MathError("The expression must be text, like x^2 - 4x + 3.")
    if len(text) > MAX_LENGTH:
        raise MathError(f"The expression is longer than {MAX_LENGTH} characters; shorten it.")
    python = to_python_syntax(text)
    try:
        module = syntax.parse(python, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise MathError(f"'{text.strip()}' is not an expression Chalk can read.") from None
    tree = _check(module.body)
    return Expr(_canonical(tree))


def parse_number(text: str) -> float:
    """A constant such as "-2", "2pi", "pi/2", "3.5", "1/3"."""
    expr = parse(text)
    if expr.has_x:
        raise MathError(f"'{text.strip()}' should be a number, not an expression in x.")
    value = expr.value()
    if not math.isfinite(value):
        raise MathError(f"'{text.strip()}' is not a finite number.")
    return value


def to_python_syntax(text: str) -> str:
    """Rewrite teacher notation as Python syntax (not yet checked): "2x^2" → "2*x**2"."""
    source = text.strip().lower()
    for old, new in _UNICODE.items():
        source = source.replace(old, new)
    tokens = _tokens(source)
    tokens = _absolute_bars(tokens)
    tokens = _bare_function_arguments(tokens)
    tokens = _implicit_multiplication(tokens)
    return " ".join("**" if t == "^" else t for t in tokens)


# ---------------------------------------------------------------- tokens


def _tokens(source: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    source = source.rstrip()
    while position < len(source):
        match = _TOKEN.match(source, position)
        if not match:
            bad = source[position:].strip()[:1]
            raise MathError(f"The expression contains '{bad}', which Chalk cannot draw.")
        number, word, operator = match.groups()
        if number is not None:
            tokens.append(number)
        elif word is not None:
            tokens.extend(_split_word(word))
        else:
            tokens.append(operator)
        position = match.end()
    if not tokens:
        raise MathError("The expression is empty; type something like x^2 - 4x + 3.")
    if tokens.count("(") + tokens.count("|") > MAX_DEPTH:
        raise MathError("The expression is nested too deeply; simplify it.")
    return tokens


def _split_word(word: str) -> list[str]:
    """Split a letter run into known names: "sinx" → ["sin", "x"]; unknown letters fail."""
    parts: list[str] = []
    rest = word
    while rest:
        for name in _NAMES:
            if rest.startswith(name):
                parts.append(ALIASES.get(name, name))
                rest = rest[len(name) :]
                break
        else:
            raise MathError(
                f"'{word}' is not something Chalk can draw; use x as the variable and "
                "functions like sin, cos, exp, ln or sqrt."
            )
    return parts


def _is_value_end(token: str) -> bool:
    """A token after which a value has ended (so '|' closes and '(' means multiply)."""
    return token == ")" or token[0].isdigit() or token[0] == "." or token in (VARIABLE, *CONSTANTS)


def _absolute_bars(tokens: list[str]) -> list[str]:
    """|a| → abs(a): a bar opens unless it follows a complete value."""
    out: list[str] = []
    open_bars = 0
    for token in tokens:
        if token != "|":
            out.append(token)
        elif open_bars and out and _is_value_end(out[-1]):
            out.append(")")
            open_bars -= 1
        else:
            out.extend(["abs", "("])
            open_bars += 1
    if open_bars:
        raise MathError("An absolute-value bar | is not closed.")
    return out


def _bare_function_arguments(tokens: list[str]) -> list[str]:
    """sin x → sin(x); sin 2x → sin(2x); sin^2 x → (sin(x))^2; ln x + 1 → ln(x) + 1."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token not in FUNCTIONS:
            out.append(token)
            i += 1
            continue
        power: list[str] = []
        j = i + 1
        if j + 1 < len(tokens) and tokens[j] in ("^", "**") and tokens[j + 1][0].isdigit():
            power = ["**", tokens[j + 1]]
            j += 2
        if j < len(tokens) and tokens[j] == "(":
            depth = 0
            k = j
            while k < len(tokens):
                depth += tokens[k] == "("
                depth -= tokens[k] == ")"
                if depth == 0:
                    break
                k += 1
            argument = _bare_function_arguments(tokens[j + 1 : k])
            j = k + 1
        else:
            # The argument runs to the next + - * / or ) at this level, or the next function.
            k = j
            while k < len(tokens) and tokens[k] not in ("+", "-", "*", "/", ")", ","):
                if tokens[k] in FUNCTIONS and k > j:
                    break
                if tokens[k] == "(":
                    break
                k += 1
            if k == j and k < len(tokens) and tokens[k] == "-":
                k += 1  # sin -x
                while k < len(tokens) and tokens[k] not in ("+", "-", "*", "/", ")", ","):
                    k += 1
            argument = tokens[j:k]
            j = k
        if not argument:
            raise MathError(f"'{token}' needs something to act on, like {token}(x).")
        call = [token, "(", *argument, ")"]
        out.extend(["(", *call, ")", *power] if power else call)
        i = j
    return out


def _implicit_multiplication(tokens: list[str]) -> list[str]:
    """2x → 2*x; 2(x+1) → 2*(x+1); (x+1)(x-1); x sin(x) → x*sin(x)."""
    out: list[str] = []
    for token in tokens:
        if out:
            previous = out[-1]
            starts_value = token == "(" or token in FUNCTIONS or token in (VARIABLE, *CONSTANTS)
            starts_value = starts_value or token[0].isdigit() or token[0] == "."
            if _is_value_end(previous) and starts_value:
                if token[0].isdigit() or token[0] == ".":
                    if previous[0].isdigit():
                        raise MathError(
                            "Two numbers stand side by side; put an operator between them."
                        )
                    if previous != ")":
                        raise MathError(
                            f"'{previous}{token}' is ambiguous; write {previous}^{token} "
                            f"or {token}{previous}."
                        )
                out.append("*")
        out.append(token)
    return out


# ---------------------------------------------------------------- the allowlist


_BINARY_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)


def _check(tree: ast.expr) -> ast.expr:
    nodes = 0

    def visit(node: ast.AST, depth: int) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > MAX_NODES or depth > MAX_DEPTH:
            raise MathError("The expression is too long or nested too deeply; simplify it.")
        if isinstance(node, ast.BinOp) and isinstance(node.op, _BINARY_OPS):
            visit(node.left, depth + 1)
            visit(node.right, depth + 1)
            if isinstance(node.op, ast.Pow):
                _check_exponent(node)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            visit(node.operand, depth + 1)
        elif isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise MathError("Only numbers, x and functions like sin or sqrt are allowed.")
            if abs(value) > MAX_CONSTANT:
                raise MathError(f"The number {value} is too large to draw; keep numbers small.")
        elif isinstance(node, ast.Name):
            if node.id != VARIABLE and node.id not in CONSTANTS:
                raise MathError(f"'{node.id}' is not allowed; use x as the variable.")
        elif isinstance(node, ast.Call):
            if (
                not isinstance(node.func, ast.Name)
                or node.func.id not in FUNCTIONS
                or len(node.args) != 1
                or node.keywords
            ):
                raise MathError(
                    "Only one-argument functions like sin(x), sqrt(x) or ln(x) are allowed."
                )
            visit(node.args[0], depth + 1)
        else:
            raise MathError("Only numbers, x, + - * / ^ and functions like sin(x) are allowed.")

    visit(tree, 0)
    return tree


def _is_constant(node: ast.AST) -> bool:
    return not any(isinstance(n, ast.Name) and n.id == VARIABLE for n in ast.walk(node))


def _check_exponent(node: ast.BinOp) -> None:
    if not _is_constant(node.right):
        if _is_constant(node.left):
            return  # 2**x, e**x: the range of x keeps these finite
        raise MathError("x**x-style powers are not supported; use a number as the exponent.")
    exponent = _constant_value(node.right)
    if not math.isfinite(exponent) or abs(exponent) > MAX_EXPONENT:
        raise MathError(f"Exponents above {MAX_EXPONENT} are too large to draw; use a smaller one.")


def _constant_value(node: ast.AST) -> float:
    """A constant subtree's value, computed with bounded floats (exponents already checked)."""
    with np.errstate(all="ignore"):
        return float(_evaluate(node, np.asarray(0.0)))


def _canonical(node: ast.expr) -> ast.expr:
    """e**u → exp(u), so every printer sees one spelling."""
    for child in ast.walk(node):
        for name, value in ast.iter_fields(child):
            if isinstance(value, ast.expr):
                setattr(child, name, _rewrite(value))
            elif isinstance(value, list):
                setattr(child, name, [_rewrite(v) if isinstance(v, ast.expr) else v for v in value])
    return _rewrite(node)


def _rewrite(node: ast.expr) -> ast.expr:
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Pow)
        and isinstance(node.left, ast.Name)
        and node.left.id == "e"
    ):
        return ast.Call(func=ast.Name(id="exp", ctx=ast.Load()), args=[node.right], keywords=[])
    return node


# ---------------------------------------------------------------- evaluation


def _number(node: ast.Constant) -> int | float:
    """A checked constant's value (the allowlist admits only ints and floats)."""
    value = node.value
    assert isinstance(value, (int, float))
    return value


def _evaluate(node: ast.AST, xs: np.ndarray) -> np.ndarray:
    if isinstance(node, ast.Constant):
        return np.full_like(xs, float(_number(node)))
    if isinstance(node, ast.Name):
        return xs if node.id == VARIABLE else np.full_like(xs, CONSTANTS[node.id])
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, xs)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id].apply(_evaluate(node.args[0], xs))  # type: ignore[attr-defined]
    if isinstance(node, ast.BinOp):
        left = _evaluate(node.left, xs)
        right = _evaluate(node.right, xs)
        op = node.op
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, ast.Mult):
            return left * right
        if isinstance(op, ast.Div):
            return left / right
        return np.power(left, right)
    raise MathError("The expression contains something Chalk cannot evaluate.")


def _is_polynomial(node: ast.AST) -> bool:
    if isinstance(node, (ast.Constant, ast.Name)):
        return not (isinstance(node, ast.Name) and node.id in CONSTANTS)
    if isinstance(node, ast.UnaryOp):
        return _is_polynomial(node.operand)
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Pow):
            return (
                _is_polynomial(node.left)
                and isinstance(node.right, ast.Constant)
                and isinstance(node.right.value, int)
                and node.right.value >= 0
            )
        if isinstance(node.op, ast.Div):
            return (
                _is_polynomial(node.left)
                and _is_constant(node.right)
                and _is_polynomial(node.right)
            )
        return _is_polynomial(node.left) and _is_polynomial(node.right)
    return False


def _evaluate_exact(node: ast.AST, x: Fraction) -> Fraction:
    if isinstance(node, ast.Constant):
        number = _number(node)
        return Fraction(str(number)) if isinstance(number, float) else Fraction(number)
    if isinstance(node, ast.Name):
        return x
    if isinstance(node, ast.UnaryOp):
        value = _evaluate_exact(node.operand, x)
        return -value if isinstance(node.op, ast.USub) else value
    assert isinstance(node, ast.BinOp)
    left = _evaluate_exact(node.left, x)
    right = _evaluate_exact(node.right, x)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    if isinstance(node.op, ast.Div):
        return left / right
    return left ** int(right)


def _interpolate(points: list[Fraction], values: list[Fraction]) -> list[Fraction]:
    """Coefficients of the polynomial through the points (Lagrange, exact)."""
    n = len(points)
    coefficients = [Fraction(0)] * n
    for i, (xi, yi) in enumerate(zip(points, values, strict=True)):
        basis = [Fraction(1)]
        denominator = Fraction(1)
        for j, xj in enumerate(points):
            if j == i:
                continue
            basis = [Fraction(0), *basis]
            for k in range(len(basis) - 1):
                basis[k] -= xj * basis[k + 1]
            denominator *= xi - xj
        for k, b in enumerate(basis):
            coefficients[k] += yi * b / denominator
    return coefficients


# ---------------------------------------------------------------- printing


def format_number(value: float, digits: int = 6) -> str:
    """2.0 → "2", 0.5 → "0.5", 1/3 → "0.333333"."""
    if isinstance(value, int) or (math.isfinite(value) and float(value).is_integer()):
        return str(int(value))
    return f"{value:.{digits}g}"


_PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.Pow: 4}


def _precedence(node: ast.AST) -> int:
    if isinstance(node, ast.BinOp):
        return _PRECEDENCE[type(node.op)]
    if isinstance(node, ast.UnaryOp):
        return 3
    return 5


def _python(node: ast.AST, *, numpy: bool) -> str:
    if isinstance(node, ast.Constant):
        return format_number(_number(node))
    if isinstance(node, ast.Name):
        if numpy and node.id in CONSTANTS:
            return f"np.{node.id}"
        return node.id
    if isinstance(node, ast.Call):
        function = FUNCTIONS[node.func.id]  # type: ignore[attr-defined]
        name = function.code if numpy else function.name
        return f"{name}({_python(node.args[0], numpy=numpy)})"
    if isinstance(node, ast.UnaryOp):
        inner = _python(node.operand, numpy=numpy)
        if _precedence(node.operand) < 3:
            inner = f"({inner})"
        return ("-" if isinstance(node.op, ast.USub) else "+") + inner
    assert isinstance(node, ast.BinOp)
    mine = _precedence(node)
    left = _python(node.left, numpy=numpy)
    right = _python(node.right, numpy=numpy)
    if isinstance(node.op, ast.Pow):
        if _precedence(node.left) <= mine:
            left = f"({left})"
        if _precedence(node.right) < 5:
            right = f"({right})"
        return f"{left}**{right}"
    left, right = _operands_bracketed(node, left, right)
    symbol = {ast.Add: " + ", ast.Sub: " - ", ast.Mult: "*", ast.Div: "/"}[type(node.op)]
    return f"{left}{symbol}{right}"


def _operands_bracketed(node: ast.BinOp, left: str, right: str) -> tuple[str, str]:
    """Brackets for a +, -, * or / whose operands bind looser than it (or, on the right, as
    loosely, for - and /: a - (b - c))."""
    mine = _precedence(node)
    if _precedence(node.left) < mine:
        left = f"({left})"
    right_precedence = _precedence(node.right)
    if (
        right_precedence < mine
        or (right_precedence == mine and isinstance(node.op, (ast.Sub, ast.Div)))
        or isinstance(node.right, ast.UnaryOp)
    ):
        right = f"({right})"
    return left, right


def _latex(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return format_number(_number(node), 4)
    if isinstance(node, ast.Name):
        return r"\pi" if node.id == "pi" else node.id
    if isinstance(node, ast.Call):
        name = node.func.id  # type: ignore[attr-defined]
        inner = _latex(node.args[0])
        if name == "sqrt":
            return rf"\sqrt{{{inner}}}"
        if name == "abs":
            return rf"\left|{inner}\right|"
        if name == "exp":
            return rf"e^{{{inner}}}"
        return rf"{FUNCTIONS[name].latex}\left({inner}\right)"
    if isinstance(node, ast.UnaryOp):
        inner = _latex(node.operand)
        if _precedence(node.operand) < 2:
            inner = rf"\left({inner}\right)"
        return ("-" if isinstance(node.op, ast.USub) else "+") + inner
    assert isinstance(node, ast.BinOp)
    left, right = _latex(node.left), _latex(node.right)
    if isinstance(node.op, ast.Div):
        return rf"\frac{{{left}}}{{{right}}}"
    if isinstance(node.op, ast.Pow):
        if isinstance(node.left, ast.Call) and left.startswith("\\") and "\\left(" in left:
            # sin(x)^2 is written \sin^{2}(x)
            command, _, argument = left.partition("\\left(")
            return rf"{command}^{{{right}}}\left({argument}"
        if _precedence(node.left) < 5 or isinstance(node.left, ast.Call):
            left = rf"\left({left}\right)"
        return f"{left}^{{{right}}}"
    if isinstance(node.op, (ast.Add, ast.Sub)):
        if isinstance(node.op, ast.Sub) and _precedence(node.right) == 1:
            right = rf"\left({right}\right)"
        if isinstance(node.right, ast.UnaryOp):
            right = rf"\left({right}\right)"
        return f"{left} {'+' if isinstance(node.op, ast.Add) else '-'} {right}"
    # Multiplication: 4x, 2\sin(x), x \cdot 2
    if _precedence(node.left) < 2:
        left = rf"\left({left}\right)"
    if _precedence(node.right) < 2 or isinstance(node.right, ast.UnaryOp):
        right = rf"\left({right}\right)"
    if right[0].isdigit() or right.startswith(r"\frac"):
        return rf"{left} \cdot {right}"
    return f"{left}{right}" if left[0].isdigit() else f"{left} {right}"


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _words(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return format_number(_number(node), 4)
    if isinstance(node, ast.Name):
        return "π" if node.id == "pi" else node.id
    if isinstance(node, ast.Call):
        name = node.func.id  # type: ignore[attr-defined]
        inner = _words(node.args[0])
        if name == "sqrt":
            return f"√{inner}" if _precedence(node.args[0]) == 5 else f"√({inner})"
        if name == "abs":
            return f"|{inner}|"
        if name == "exp":
            return f"e^{inner}" if _precedence(node.args[0]) == 5 else f"e^({inner})"
        return f"{FUNCTIONS[name].name}({inner})"
    if isinstance(node, ast.UnaryOp):
        inner = _words(node.operand)
        if _precedence(node.operand) < 3:
            inner = f"({inner})"
        return ("-" if isinstance(node.op, ast.USub) else "+") + inner
    assert isinstance(node, ast.BinOp)
    mine = _precedence(node)
    left, right = _words(node.left), _words(node.right)
    if isinstance(node.op, ast.Pow):
        if _precedence(node.left) <= mine or isinstance(node.left, ast.UnaryOp):
            left = f"({left})"
        if isinstance(node.right, ast.Constant) and right.isdigit():
            return left + right.translate(_SUPERSCRIPTS)
        return f"{left}^({right})" if _precedence(node.right) < 5 else f"{left}^{right}"
    left, right = _operands_bracketed(node, left, right)
    if isinstance(node.op, ast.Mult):
        # 3x², 2sin(x); a product of two numbers keeps its sign: 2·3
        implicit = (
            (left[-1:].isdigit() or left == "π") and not right[:1].isdigit() and right[:1] != "("
        )
        return f"{left}{right}" if implicit else f"{left}·{right}"
    symbol = {ast.Add: " + ", ast.Sub: " - ", ast.Div: "/"}[type(node.op)]
    return f"{left}{symbol}{right}"
