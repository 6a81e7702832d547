"""Balancing a chemical equation: the atoms counted on each side, one equation per element
for the unknown coefficients, the smallest whole-number solution, and the tallies matching."""

from __future__ import annotations

import math
import re
from fractions import Fraction

from app.generators.offline import codegen, controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.extract import Prompt
from app.generators.offline.templates.common import Spoken
from app.generators.offline.templates.elements import SYMBOLS

ID = "balancing_chemical_equations"
TITLE = "Balancing chemical equations"
SUBJECT = "Chemistry"
EXAMPLE_PROMPT = "Balance the equation CH4 + O2 -> CO2 + H2O"
DEFAULTS = {"equation": "CH4 + O2 -> CO2 + H2O"}
VARIANTS = [
    {"equation": "H2 + O2 -> H2O"},
    {"equation": "Fe + O2 -> Fe2O3"},
    {"equation": "C3H8 + O2 -> CO2 + H2O"},
    {"equation": "Ca(OH)2 + HCl -> CaCl2 + H2O"},
]
TRIGGERS = {
    r"\bbalanc\w* (?:a |an |the |this |these |following )?(?:chemical |symbol |reaction )?"
    r"(?:equations?|reactions?)\b": 9,
    r"\bchemical equations?\b|\bstoichiometr\w*": 6,
    r"\bbalanc\w*": 2,
    r"\breactants?\b|\bproducts?\b|\bcoefficients?\b|\bcombustion\b|\bchemical reaction\b": 1,
    r"->|→|⟶|\byields\b": 1,
}
MAX_LENGTH = 80
MAX_FORMULAS = 6
MAX_COEFFICIENT = 60
CONTROLS = {
    "equation": controls.Text("Unbalanced equation (like CH4 + O2 -> CO2 + H2O)", MAX_LENGTH),
}
LETTERS = "abcdef"

_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_ARROW = r"\s*(?:-+>|→|⟶|=+>?|\byields\b|\bgives\b|\bproduces\b|\bforms\b)\s*"
_STATE = re.compile(r"\s*\((?:aq|s|l|g)\)")
_FORMULA = re.compile(r"^(?:[A-Z][a-z]?\d*|\((?:[A-Z][a-z]?\d*)+\)\d*)+$")
_TERM = r"\d*\s*[A-Z][A-Za-z0-9()₀-₉]*(?:\s*\((?:aq|s|l|g)\))?"
_SIDE = rf"{_TERM}(?:\s*\+\s*{_TERM})*"
_EQUATION = re.compile(rf"({_SIDE}){_ARROW}({_SIDE})")


def bonus(prompt: Prompt) -> int:
    """A written equation between formulae (capital letters, an arrow) is strong evidence."""
    found = _EQUATION.search(prompt.raw.translate(_SUBSCRIPTS))
    return 5 if found and re.search(r"[A-Za-z)]\d", found.group(0)) else 0


def extract(prompt: Prompt) -> dict:
    found = _EQUATION.search(prompt.raw.translate(_SUBSCRIPTS))
    if not found:
        return {}
    return {"equation": f"{found.group(1).strip()} -> {found.group(2).strip()}"}


def split_equation(equation: str) -> tuple[list[str], list[str]]:
    """The formulae on each side, as written (state symbols and coefficients dropped)."""
    text = _STATE.sub("", equation.translate(_SUBSCRIPTS))
    sides = re.split(_ARROW, text)
    if len(sides) != 2:
        raise _unreadable(equation)
    result = []
    for side in sides:
        formulas = [re.sub(r"^\d+\s*", "", f.strip()) for f in side.split("+")]
        if not all(formulas) or not all(_FORMULA.match(f) for f in formulas):
            raise _unreadable(equation)
        result.append(formulas)
    return result[0], result[1]


def _unreadable(equation: str) -> Exception:
    return checks.fail(
        f"'{equation[:40]}' is not an equation Chalk can read; write it with formulae and an "
        "arrow, like CH4 + O2 -> CO2 + H2O."
    )


def atom_counts(formula: str) -> dict[str, int]:
    """Atoms of each element in a formula: Ca(OH)2 → Ca 1, O 2, H 2 (in order of appearance)."""
    stack: list[dict[str, int]] = [{}]
    for token in re.finditer(r"\(|\)(\d*)|([A-Z][a-z]?)(\d*)", formula):
        if token.group(0) == "(":
            stack.append({})
        elif token.group(0).startswith(")"):
            group = stack.pop()
            times = int(token.group(1) or 1)
            for element, n in group.items():
                stack[-1][element] = stack[-1].get(element, 0) + n * times
        else:
            element = token.group(2)
            stack[-1][element] = stack[-1].get(element, 0) + int(token.group(3) or 1)
    return stack[0]


def solve(reactants: list[str], products: list[str]) -> list[int]:
    """The smallest positive whole-number coefficients, or a ChalkError saying why not.

    Gaussian elimination over fractions on "atoms in = atoms out" for each element; the
    balancing coefficients are the null space of that matrix, which must be one line.
    """
    formulas = reactants + products
    counts = [atom_counts(f) for f in formulas]
    elements = list(dict.fromkeys(e for c in counts for e in c))
    rows = [
        [Fraction(c.get(e, 0) * (1 if j < len(reactants) else -1)) for j, c in enumerate(counts)]
        for e in elements
    ]
    pivots = _row_reduce(rows, len(formulas))
    free = [j for j in range(len(formulas)) if j not in pivots]
    if len(free) != 1:
        raise checks.fail(
            "This equation cannot be balanced: no whole numbers make every element match."
            if not free
            else "This equation can be balanced in more than one way, so Chalk cannot pick one; "
            "split it into separate reactions."
        )
    solution = [Fraction(0)] * len(formulas)
    solution[free[0]] = Fraction(1)
    for row_index, column in enumerate(pivots):
        solution[column] = -rows[row_index][free[0]]
    scale = math.lcm(*(value.denominator for value in solution))
    whole = [int(value * scale) for value in solution]
    if all(value < 0 for value in whole):
        whole = [-value for value in whole]
    if any(value <= 0 for value in whole):
        raise checks.fail(
            "This equation cannot be balanced: no positive whole numbers make every element match."
        )
    divisor = math.gcd(*whole)
    return [value // divisor for value in whole]


def _row_reduce(rows: list[list[Fraction]], width: int) -> list[int]:
    """Reduce rows in place to reduced row echelon form; returns the pivot columns."""
    pivots: list[int] = []
    for column in range(width):
        pivot = next((r for r in range(len(pivots), len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        top = len(pivots)
        rows[top], rows[pivot] = rows[pivot], rows[top]
        lead = rows[top][column]
        rows[top] = [value / lead for value in rows[top]]
        for r in range(len(rows)):
            if r != top and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[top], strict=True)]
        pivots.append(column)
    return pivots


def validate(params: dict, notes: list[str]) -> dict:
    # Cleaned with room to spare, so a long equation is refused for its length rather than
    # read cut short (as an equation it no longer is).
    equation = checks.text(params["equation"], "equation", max_length=10 * MAX_LENGTH)
    if len(equation) > MAX_LENGTH:
        raise checks.fail(f"'equation' must be at most {MAX_LENGTH} characters.")
    reactants, products = split_equation(equation)
    formulas = reactants + products
    if len(formulas) > MAX_FORMULAS:
        raise checks.fail(f"Chalk balances equations of up to {MAX_FORMULAS} formulae.")
    unknown = [e for f in formulas for e in re.findall(r"[A-Z][a-z]?", f) if e not in SYMBOLS]
    if unknown:
        raise checks.fail(f"'{unknown[0]}' is not a chemical element; check the formulae.")
    left = {e for f in reactants for e in atom_counts(f)}
    right = {e for f in products for e in atom_counts(f)}
    if left != right:
        lonely = sorted(left ^ right)[0]
        raise checks.fail(f"This equation cannot be balanced: {lonely} appears on only one side.")
    coefficients = solve(reactants, products)
    if max(coefficients) > MAX_COEFFICIENT:
        raise checks.fail(
            f"Balancing this equation needs a coefficient above {MAX_COEFFICIENT}, too many "
            "to show."
        )
    params["equation"] = f"{' + '.join(reactants)} -> {' + '.join(products)}"
    if params["equation"] != equation:
        notes.append(f"The equation was read as {params['equation']}.")
    return params


SKELETON = r"""from manim import *
import math
from fractions import Fraction

equation = <<equation>>  # the unbalanced equation, as the teacher wrote it


def parse_formula(formula):
    # Atoms of each element in one formula: "Ca(OH)2" -> {"Ca": 1, "O": 2, "H": 2}
    stack, i = [{}], 0
    while i < len(formula):
        if formula[i] == "(":
            stack.append({})
            i += 1
            continue
        if formula[i] == ")":
            element, i = None, i + 1
        else:  # an element: a capital letter, maybe a small one
            start, i = i, i + 1
            if i < len(formula) and formula[i].islower():
                i += 1
            element = formula[start:i]
        start = i
        while i < len(formula) and formula[i].isdigit():
            i += 1
        times = int(formula[start:i] or 1)
        if element is None:  # a closing bracket multiplies the group inside it
            group = stack.pop()
            for name, n in group.items():
                stack[-1][name] = stack[-1].get(name, 0) + n * times
        else:
            stack[-1][element] = stack[-1].get(element, 0) + times
    return stack[0]


def balance(formulas, n_left):
    # One equation per element (atoms on the left = atoms on the right), solved for whole
    # numbers by Gaussian elimination with fractions: the coefficients are its null space.
    counts = [parse_formula(f) for f in formulas]
    elements = list(dict.fromkeys(e for c in counts for e in c))
    rows = [
        [Fraction(c.get(e, 0) * (1 if j < n_left else -1)) for j, c in enumerate(counts)]
        for e in elements
    ]
    pivots = []
    for column in range(len(formulas)):
        found = [r for r in range(len(pivots), len(rows)) if rows[r][column] != 0]
        if not found:
            continue
        top = len(pivots)
        rows[top], rows[found[0]] = rows[found[0]], rows[top]
        rows[top] = [value / rows[top][column] for value in rows[top]]
        for r in range(len(rows)):
            if r != top and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[top])]
        pivots.append(column)
    free = [j for j in range(len(formulas)) if j not in pivots][0]
    solution = [Fraction(1) if j == free else Fraction(0) for j in range(len(formulas))]
    for row, column in enumerate(pivots):
        solution[column] = -rows[row][free]
    scale = math.lcm(*(value.denominator for value in solution))
    whole = [abs(int(value * scale)) for value in solution]
    divisor = math.gcd(*whole)
    return counts, elements, [value // divisor for value in whole]


def tallies(counts, coefficients, n_left):
    # Atoms of each element on the left and on the right, with these coefficients
    left, right = {}, {}
    for j, (c, k) in enumerate(zip(counts, coefficients)):
        side = left if j < n_left else right
        for element, n in c.items():
            side[element] = side.get(element, 0) + k * n
    return left, right


def formula_tex(formula, coefficient=1):
    # CH4 -> \mathrm{CH_{4}}, with the coefficient in front when it is more than 1
    tex = ""
    for ch in formula:
        tex += f"_{{{ch}}}" if ch.isdigit() else ch
    tex = tex.replace("}_{", "")  # two-digit subscripts
    return (str(coefficient) if coefficient > 1 else "") + r"\mathrm{" + tex + "}"


def equation_tex(formulas, coefficients, n_left):
    terms = [formula_tex(f, k) for f, k in zip(formulas, coefficients)]
    return " + ".join(terms[:n_left]) + r" \rightarrow " + " + ".join(terms[n_left:])


reactants, products = [side.split(" + ") for side in equation.split(" -> ")]
formulas, n_left = reactants + products, len(reactants)
counts, elements, coefficients = balance(formulas, n_left)
letters = "abcdef"[: len(formulas)]  # one unknown coefficient per formula


def element_equation(element):
    # "H: 4a = 2d": atoms of the element on each side, in the unknowns
    sides = []
    for part in (range(n_left), range(n_left, len(formulas))):
        terms = [
            (str(counts[j][element]) if counts[j][element] > 1 else "") + letters[j]
            for j in part
            if element in counts[j]
        ]
        sides.append(" + ".join(terms))
    return rf"\mathrm{{{element}}}:\ {sides[0]} = {sides[1]}"


class BalancingChemicalEquations(Scene):
    def construct(self):
<<fit_frame>>
        # Title
        title = Text("Balancing a chemical equation", font_size=40).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The equation as written: one of each formula
        ones = [1] * len(formulas)
        written = MathTex(equation_tex(formulas, ones, n_left), font_size=44)
        written.next_to(title, DOWN, buff=0.45)
        if written.width > 12.5:
            written.scale_to_fit_width(12.5)
        self.play(Write(written), run_time=1.5)

        # Count the atoms of each element on each side
        spacing = min(0.55, 4.0 / len(elements))  # rows close up when there are many elements

        def tally_table(coefficients):
            left, right = tallies(counts, coefficients, n_left)
            table = VGroup()
            for row, element in enumerate(elements):
                same = left[element] == right[element]
                cells = [
                    Text(element, font_size=28),
                    Text(str(left[element]), font_size=28),
                    Text("=" if same else "≠", font_size=28, color=POSITIVE if same else NEGATIVE),
                    Text(str(right[element]), font_size=28),
                ]
                for column, cell in enumerate(cells):
                    cell.move_to([-5.6 + 1.1 * column, 0.65 - spacing * row, 0])
                table.add(VGroup(*cells))
            return table

        header = VGroup(
            Text("atom", font_size=24, color=MUTED).move_to([-5.6, 1.3, 0]),
            Text("left", font_size=24, color=MUTED).move_to([-4.5, 1.3, 0]),
            Text("right", font_size=24, color=MUTED).move_to([-2.3, 1.3, 0]),
        )
        table = tally_table(ones)
        self.play(FadeIn(header), LaggedStart(*[FadeIn(row) for row in table]), run_time=1.5)

        # One unknown per formula; each element gives an equation the unknowns must satisfy
        unknowns = MathTex(
            r"\text{coefficients: }" + ", ".join(letters), font_size=30, color=MUTED
        )
        system = VGroup(unknowns, *[MathTex(element_equation(e), font_size=32) for e in elements])
        system.arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        if system.height > 3.4:
            system.scale_to_fit_height(3.4)
        if system.width > 6.8:
            system.scale_to_fit_width(6.8)
        system.next_to([-0.6, 1.5, 0], DR, buff=0)
        self.play(LaggedStart(*[Write(line) for line in system]), run_time=2)

        # The smallest whole numbers that solve them
        answer = MathTex(
            ",\\ ".join(f"{x} = {k}" for x, k in zip(letters, coefficients)),
            font_size=34,
            color=HIGHLIGHT,
        ).next_to(system, DOWN, aligned_edge=LEFT, buff=0.35)
        self.play(Write(answer), run_time=1.2)

        # The balanced equation, and the tallies now match
        balanced = MathTex(equation_tex(formulas, coefficients, n_left), font_size=44)
        balanced.move_to(written)
        if balanced.width > 12.5:
            balanced.scale_to_fit_width(12.5)
        self.play(ReplacementTransform(written, balanced), run_time=1.5)
        self.play(Transform(table, tally_table(coefficients)), run_time=1.5)
        done = Text("Every element balances", font_size=28, color=POSITIVE)
        done.next_to(answer, DOWN, aligned_edge=LEFT, buff=0.35)
        self.play(FadeIn(done), run_time=0.8)
        self.wait(2)
"""


def plain(formulas: list[str], coefficients: list[int], n_left: int) -> str:
    """The equation in words a screen reader says: 2H2 + O2 → 2H2O."""
    terms = [(str(k) if k > 1 else "") + f for f, k in zip(formulas, coefficients, strict=True)]
    return " + ".join(terms[:n_left]) + " → " + " + ".join(terms[n_left:])


def describe(params: dict) -> list[str]:
    reactants, products = split_equation(params["equation"])
    formulas, n_left = reactants + products, len(reactants)
    coefficients = solve(reactants, products)
    counts = [atom_counts(f) for f in formulas]
    elements = list(dict.fromkeys(e for c in counts for e in c))

    def tally(ks: list[int]) -> tuple[dict[str, int], dict[str, int]]:
        left: dict[str, int] = {}
        right: dict[str, int] = {}
        for j, (c, k) in enumerate(zip(counts, ks, strict=True)):
            side = left if j < n_left else right
            for element, n in c.items():
                side[element] = side.get(element, 0) + k * n
        return left, right

    ones = [1] * len(formulas)
    left, right = tally(ones)
    before = ", ".join(f"{e} {left[e]} and {right[e]}" for e in elements)
    unequal = [e for e in elements if left[e] != right[e]]
    letters = LETTERS[: len(formulas)]

    def side_text(element: str, part: range) -> str:
        terms = [
            (str(counts[j][element]) if counts[j][element] > 1 else "") + letters[j]
            for j in part
            if element in counts[j]
        ]
        return " + ".join(terms)

    system = "; ".join(
        f"{e}: {side_text(e, range(n_left))} = {side_text(e, range(n_left, len(formulas)))}"
        for e in elements
    )
    left, right = tally(coefficients)
    after = ", ".join(f"{e} {left[e]} and {right[e]}" for e in elements)
    mismatch = (
        f"{_and(unequal)} {'does' if len(unequal) == 1 else 'do'} not match."
        if unequal
        else "they already match."
    )
    return [
        "The title reads: Balancing a chemical equation.",
        f"The equation appears as written: {plain(formulas, ones, n_left)}.",
        f"A table counts the atoms of each element on the left and on the right: {before}; "
        + mismatch,
        f"Each formula gets an unknown coefficient ({', '.join(letters)}), and each element "
        f"gives an equation: {system}.",
        "The smallest whole numbers that solve them are "
        + ", ".join(f"{x} = {k}" for x, k in zip(letters, coefficients, strict=True))
        + ".",
        f"The balanced equation replaces it: {plain(formulas, coefficients, n_left)}.",
        f"The table now matches on every row: {after}. Every element balances.",
    ]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def build(params: dict) -> str:
    return fill(
        SKELETON,
        fit_frame=codegen.fit_frame((-6.1, -2.3, 4.4, 3.7)),
        equation=literal(params["equation"]),
    )


def narration(params: dict) -> list[str | Spoken]:
    # The values are worked out in the scene from its input lines, like everything it shows
    return [
        "Balancing a chemical equation.",
        Spoken(("f\"Here is the equation as written: {equation.replace('->', 'gives')}.\"",)),
        "Count the atoms of each element on the left and on the right. They must match.",
        "Give each formula an unknown number in front. Each element gives an equation they "
        "must satisfy.",
        Spoken(
            (
                '"The smallest whole numbers that work are "',
                '+ ", ".join(f"{x} equals {n}" for x, n in zip(letters, coefficients)) + "."',
            )
        ),
        "Now every element balances.",
    ]
