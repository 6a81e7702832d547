"""The likely fix for the mistakes teachers make in Manim code, said in their words.

    syntax error (policy, on the host)      ─┐
    error raised in the sandbox (render)    ─┼─► one sentence: what to write instead
    LaTeX's complaint in the render log     ─┘

Pure: it reads the error, the code and the log, never runs anything. Each function returns
None when the error is not one of the common mistakes; the caller then keeps its general
sentence, and the technical detail always stays in ChalkError.detail.
"""

from __future__ import annotations

import ast
import difflib
import keyword
import math
import re

from app.core import syntax

# String literals, blanked out so that a ^ or a 2x inside MathTex("x^2") or a label is not
# taken for code.
_STRING = re.compile(r"""[rRbBfFuU]{0,2}("([^"\\\n]|\\.)*"?|'([^'\\\n]|\\.)*'?)""")
_NUMBER_NAME = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*([A-Za-z_]\w*|\()")
_DID_YOU_MEAN = re.compile(r"Did you mean:? '([\w.]+)'\?")
_UNDEFINED_NAME = re.compile(r"name '(\w+)' is not defined")
_CONTROL = re.compile(r"\\[A-Za-z]+")
_NAME = re.compile(r"[A-Za-z_][\w.]{0,60}")

SCENE_PATH = "/job/scene.py"  # where the sandbox mounts the scene (sandbox.SANDBOX_JOB_DIR)
POWER = "use ** for powers in Python: write x**2, not x^2"

# LaTeX math commands teachers use; an unknown one is matched against these for its spelling.
LATEX_COMMANDS = frozenset(
    r"""\frac \dfrac \tfrac \sqrt \cdot \times \div \pm \mp \le \leq \ge \geq \ne \neq \approx
    \equiv \sim \propto \infty \partial \nabla \int \iint \oint \sum \prod \lim \to \rightarrow
    \leftarrow \Rightarrow \Leftrightarrow \mapsto \in \notin \subset \subseteq \cup \cap
    \emptyset \forall \exists \alpha \beta \gamma \delta \epsilon \varepsilon \zeta \eta \theta
    \vartheta \iota \kappa \lambda \mu \nu \xi \pi \rho \sigma \tau \upsilon \phi \varphi \chi
    \psi \omega \Gamma \Delta \Theta \Lambda \Xi \Pi \Sigma \Phi \Psi \Omega \sin \cos \tan
    \sec \csc \cot \arcsin \arccos \arctan \sinh \cosh \tanh \log \ln \exp \min \max \det
    \left \right \big \Big \bigg \text \textbf \mathrm \mathbf \mathit \mathbb \mathcal \vec
    \hat \bar \overline \underline \dot \ddot \tilde \overrightarrow \binom \choose \over
    \quad \qquad \ldots \cdots \dots \vdots \ddots \circ \angle \triangle \perp \parallel
    \degree \prime \begin \end \matrix \pmatrix \bmatrix \cases \mid \lvert \rvert \lVert
    \rVert \langle \rangle \lfloor \rfloor \lceil \rceil \displaystyle \boxed \underbrace
    \overbrace \hbar \ell \Re \Im \aleph \neg \land \lor \oplus \otimes \implies \iff""".split()  # noqa: SIM905 - a word list reads best as words
)


def code_part(line: str) -> str:
    """The line with its string literals and comment blanked out."""
    return _STRING.sub('""', line).split("#", 1)[0]


def implicit_product(line: str) -> str | None:
    """'write 2*x, not 2x' for a number written against a name or a bracket."""
    for found in _NUMBER_NAME.finditer(code_part(line)):
        number, after = found.groups()
        if not _is_python(number, after):
            return _product(number, after)
    return None


def _is_python(number: str, after: str) -> bool:
    """Whether `number` then `after` is Python after all: 2 if, 1e5, 3j, 0x1F, 1_000."""
    if keyword.iskeyword(after) or re.fullmatch(r"[eE]\d*|[jJ]|_\w*", after):
        return True
    return number == "0" and after[:1] in ("x", "X", "o", "O", "b", "B")


def _product(number: str, after: str) -> str:
    if after == "(":
        return f"write {number}*( … ) to multiply: Python needs the * before a bracket"
    return f"write {number}*{after}, not {number}{after}: Python needs the * to multiply"


def for_syntax_error(message: str, line_text: str) -> str | None:
    """The fix for a syntax error `message` (Python's) on a line reading `line_text`."""
    text = message.lower()
    opened = re.match(r"'(.)' was never closed", message)
    if opened:
        return f"a bracket is never closed: add the {_closer(opened.group(1))} that ends it"
    unmatched = re.match(r"unmatched '(.)'", message)
    if unmatched:
        return f"there is a {unmatched.group(1)} with no opening bracket before it"
    crossed = re.match(
        r"closing parenthesis '(.)' does not match opening parenthesis '(.)'", message
    )
    if crossed:
        shut, opener = crossed.groups()
        return (
            f"the {opener} is closed by a {shut}: close brackets in the order they were "
            f"opened ({opener} … {_closer(opener)})"
        )
    if "decimal literal" in text or "invalid syntax" in text:
        product = implicit_product(line_text)
        if product:
            return product
    if "invalid character" in text and ("×" in line_text or "÷" in line_text):
        return "use * to multiply and / to divide (× and ÷ are not Python)"
    if "unterminated string" in text:
        return "a quotation mark is missing: end the text with the same quote it starts with"
    if "expected ':'" in text:
        return "the line that starts a block (def, class, for, if) must end with a colon"
    if "unindent" in text or "indent" in text:
        return "the spaces at the start of this line do not match the lines around it"
    return None


def scene_source_line(traceback_text: str) -> str:
    """The source of the deepest scene line in a formatted traceback ("" when none); Manim's
    own manim/scene/scene.py frames are not the scene."""
    frames = re.findall(
        rf'File "{re.escape(SCENE_PATH)}", line \d+, in [^\n]*\n([^\n]*)', traceback_text
    )
    return frames[-1].strip() if frames else ""


def for_runtime_error(
    exc_type: str, message: str, traceback_text: str, suggestion: str | None = None
) -> str | None:
    """The fix for an error raised while the scene ran, from its type, message and traceback;
    `suggestion` is the close name the sandbox found among those the scene could use."""
    line_text = scene_source_line(traceback_text)
    if exc_type == "TypeError" and "for ^" in message:
        return POWER
    if exc_type == "TypeError" and re.search(r"'(int|float)' object is not callable", message):
        return implicit_product(line_text) or "put a * between a number and a bracket"
    if exc_type in ("NameError", "AttributeError", "ImportError"):
        found = _DID_YOU_MEAN.search(traceback_text)
        meant = suggestion or (found.group(1) if found else None)
        if meant and not _NAME.fullmatch(meant):  # the sandbox's word is checked, not trusted
            meant = None
        missing = _UNDEFINED_NAME.search(message)
        wrong = missing.group(1) if missing else _wrong_attribute(message)
        if meant and wrong:
            return f"'{wrong}' is not a name Manim or your code knows; perhaps you meant '{meant}'"
    if exc_type == "ZeroDivisionError":
        return "something is divided by zero here; check the values that reach this line"
    return None


def for_latex_error(log_tail: str) -> str | None:
    """The offending symbol when LaTeX stopped on an unknown command or a broken brace."""
    flat = " ".join(log_tail.split())
    if "Undefined control sequence" in flat:
        context = flat.split("Context of error", 1)[-1]
        # \special is Manim's own wrapper around every formula, never the teacher's.
        unknown = [
            c for c in _CONTROL.findall(context) if c not in LATEX_COMMANDS and c != r"\special"
        ]
        if unknown:
            command = unknown[-1]
            close = difflib.get_close_matches(command, LATEX_COMMANDS, n=1, cutoff=0.7)
            guess = f"; perhaps you meant {close[0]}" if close else "; check its spelling"
            return f"LaTeX does not know {command}{guess}"
        return "LaTeX does not know one of the commands in the formula; check its spelling"
    if "Missing $ inserted" in flat:
        return "a maths symbol (such as ^ or _) is in plain text: put it in MathTex, not Tex"
    if "Extra }" in flat or "Missing } inserted" in flat or "Missing { inserted" in flat:
        return "the braces { } in the formula do not pair up"
    return None


def _closer(opener: str) -> str:
    return {"(": ")", "[": "]", "{": "}"}.get(opener, opener)


def _wrong_attribute(message: str) -> str | None:
    found = re.search(r"has no attribute '(\w+)'", message)
    return found.group(1) if found else None


def technical_detail(detail: str) -> str:
    """The part of an error's detail that is about the teacher's own code, for "technical
    detail" under the sentence: the traceback's frames in the scene and the exception line;
    frames inside Manim, the sandbox and the host's paths stay in the log."""
    text = detail.split("\n--- log ---", 1)[0].strip()
    if "Traceback (most recent call last):" not in text:
        return text[-1500:]
    lines = text.splitlines()
    kept = ["Traceback (most recent call last):"]
    index = 1
    while index < len(lines):
        line = lines[index]
        if line.startswith("  File "):
            frame = [line]
            while index + 1 < len(lines) and lines[index + 1].startswith("    "):
                index += 1
                frame.append(lines[index])
            if f'File "{SCENE_PATH}"' in line:
                kept.append(line.replace(SCENE_PATH, "scene.py", 1))
                kept.extend(frame[1:])
        elif not line.startswith(" ") and line.strip():
            kept.append(line)  # the exception itself (and any chained one)
        index += 1
    return "\n".join(kept)[-1500:]


# Manim angles are radians; a whole number of degrees written bare is the usual slip.
_ANGLE_KEYWORDS = frozenset({"angle", "start_angle", "radians"})
# Where a call takes its angle by position: Rotate(mobject, angle), mobject.rotate(angle).
_ANGLE_POSITION = {"Rotate": 1, "rotate": 0}
_TRIG = frozenset({"sin", "cos", "tan"})
FULL_TURN = 6.3  # just over 2π: a bigger bare angle is almost surely meant in degrees


def angle_hints(code: str) -> list[str]:
    """One sentence per angle written as a bare number of degrees (Rotate(sq, 90),
    angle=45, np.sin(30)) where Manim and numpy read radians."""
    try:
        tree = syntax.parse(code)
    except SyntaxError:
        return []
    hints = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
        candidates = [kw.value for kw in node.keywords if kw.arg in _ANGLE_KEYWORDS]
        if name in _ANGLE_POSITION:
            position = _ANGLE_POSITION[name]
            candidates += node.args[position : position + 1]
        if name in _TRIG:
            candidates += node.args[:1]
        for value in candidates:
            number = _bare_number(value)
            if number is not None and abs(number) > FULL_TURN:
                shown = f"{number:g}"
                where = f"np.{name}({shown}*DEGREES)" if name in _TRIG else f"{shown}*DEGREES"
                hints.append(
                    f"Line {value.lineno}: {shown} is read as radians (about "
                    f"{math.degrees(number):,.0f}°); for {shown}° write {where}."
                )
    return sorted(set(hints), key=lambda hint: int(hint.split(":")[0].split()[1]))


def _bare_number(node: ast.expr) -> float | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _bare_number(node.operand)
        return -inner if inner is not None else None
    value = node.value if isinstance(node, ast.Constant) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None
