"""The deterministic layout fix: what the layout check measured → code that lays out cleanly.

    measure (sandbox, no frames) ─► layout issues? ─► fix_layout ─► measure again ─► … ─► clean?
                                                                   keep only if the check passes

The layout check (app/core/layout.py) names each object it found off the frame, overlapping
other text or too small to read by the user's variable (where the probe knew one) and the line
of the play() after which it saw it. `fix_layout(code, issues)` rewrites arbitrary Manim code
with that verdict, without running it and without knowing the scene:

- off the frame: `_chalk_fit(name)` runs just before that play() — the object is scaled down to
  fit the safe area (never below a readable text size) and moved inside the frame;
- two texts on top of each other: `_chalk_apart(first, second)` moves the second beside the
  first (`next_to` with a buffer: below, above, right or left, the first way that stays in the
  frame);
- text too small to read: `_chalk_readable(name)` scales it up to the readable minimum.

Each call is put on the line of that play(), before it (`_chalk_fit(title); self.play(…)`), so
every line of the teacher's code keeps its number; the helpers are defined once at the end of
the file (construct() runs after the module is loaded). An object the probe could not name
(`self.play(Write(Text("…")))`) is fixed where it is created when its text is found in the
code: `_chalk_fit(Text("…"))`.

`fix_layout_measured(code, measure)` repeats measure → fix for a few rounds and returns the fixed
code only if the layout check then passes; otherwise the code as given (a fix that does not
clear the warnings is dropped, not kept half-done). A scene with no layout issue is never
changed. Code that does not parse comes back unchanged.
"""

from __future__ import annotations

import keyword
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import ParentNodeProvider, PositionProvider

from app.core.codeblock import parses
from app.core.fixer.nodes import func_name, string_value
from app.core.fixer.result import Fix, FixResult
from app.core.layout import LAYOUT_KINDS, MIN_TEXT_HEIGHT, LayoutIssue

log = logging.getLogger(__name__)

FIT = "layout-fit"
APART = "layout-apart"
READABLE = "layout-readable"
HELPERS_RULE = "layout-helpers"
ROUNDS = 3
MARGIN = 0.2  # scene units kept free at the frame's edges
BUFF = 0.25  # between two texts moved apart
DEFAULT_FRAME = (-7.111, -4.0, 7.111, 4.0)  # 16:9, for issues that carry no frame
TEXT_CALLS = frozenset(
    {"Text", "MarkupText", "Paragraph", "Tex", "MathTex", "Title", "BulletedList"}
)

HELPERS_MARK = "# --- Chalk's layout fix"
HELPERS = f'''

{HELPERS_MARK}: keeps objects inside the frame and texts apart (`chalk fix --layout`) ---
import numpy as _chalk_np

_CHALK_FRAME = {{frame}}  # as measured: left, bottom, right, top
_CHALK_MARGIN = {MARGIN}
_CHALK_MIN_TEXT = {MIN_TEXT_HEIGHT + 0.02:.2f}


def _chalk_frame():
    x0, y0, x1, y1 = _CHALK_FRAME
    return x0 + _CHALK_MARGIN, y0 + _CHALK_MARGIN, x1 - _CHALK_MARGIN, y1 - _CHALK_MARGIN


def _chalk_fit(mob):
    """Scale `mob` down to fit the frame (no text below a readable size) and move it inside."""
    x0, y0, x1, y1 = _chalk_frame()
    if mob.width > 0 and mob.height > 0:
        factor = min(1.0, (x1 - x0) / mob.width, (y1 - y0) / mob.height)
        texts = [m for m in mob.get_family() if hasattr(m, "font_size") and m.height > 0.05]
        if texts:
            smallest = min(m.height for m in texts)
            factor = max(factor, min(1.0, _CHALK_MIN_TEXT / smallest))
        if factor < 1.0:
            mob.scale(factor)
    dx = max(0.0, x0 - mob.get_left()[0]) - max(0.0, mob.get_right()[0] - x1)
    dy = max(0.0, y0 - mob.get_bottom()[1]) - max(0.0, mob.get_top()[1] - y1)
    mob.shift(_chalk_np.array([dx, dy, 0.0]))
    return mob


def _chalk_inside(mob):
    x0, y0, x1, y1 = _chalk_frame()
    left, right = mob.get_left()[0], mob.get_right()[0]
    bottom, top = mob.get_bottom()[1], mob.get_top()[1]
    return left >= x0 - 0.01 and right <= x1 + 0.01 and bottom >= y0 - 0.01 and top <= y1 + 0.01


def _chalk_overlap(first, second):
    width = min(first.get_right()[0], second.get_right()[0])
    width -= max(first.get_left()[0], second.get_left()[0])
    height = min(first.get_top()[1], second.get_top()[1])
    height -= max(first.get_bottom()[1], second.get_bottom()[1])
    return width > 0 and height > 0


def _chalk_apart(first, *others, buff={BUFF}):
    """Move each of `others` that overlaps one placed before it beside it (below, above,
    right, left: the first way inside the frame that overlaps none of them)."""
    placed = [first]
    for mob in others:
        if not any(_chalk_overlap(mob, done) for done in placed):
            placed.append(mob)
            continue
        start = mob.get_center()
        below = start[1] <= first.get_center()[1]
        ways = [(0, -1), (0, 1), (1, 0), (-1, 0)] if below else [(0, 1), (0, -1), (1, 0), (-1, 0)]
        for anchor, (dx, dy) in [(a, w) for a in reversed(placed) for w in ways]:
            mob.next_to(anchor, _chalk_np.array([dx, dy, 0.0]), buff=buff)
            if _chalk_inside(mob) and not any(_chalk_overlap(mob, done) for done in placed):
                break
        else:
            mob.move_to(start)
            mob.next_to(placed[-1], _chalk_np.array([0.0, -1.0 if below else 1.0, 0.0]), buff=buff)
            _chalk_fit(mob)
        placed.append(mob)
    return first


def _chalk_readable(mob):
    """Scale a text up to the readable minimum."""
    if 0 < mob.height < _CHALK_MIN_TEXT:
        mob.scale(_CHALK_MIN_TEXT / mob.height)
    return _chalk_fit(mob)
'''


@dataclass(frozen=True)
class _Call:
    """One helper call to put before the statement on `line`."""

    line: int
    text: str  # `_chalk_fit(title)`
    fix: Fix


@dataclass
class LayoutFix:
    """`fix_layout_measured`'s answer: the code to use and what the check said around it."""

    code: str
    fixes: list[Fix] = field(default_factory=list)
    warnings_before: list[str] = field(default_factory=list)
    warnings_after: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fixes)


def layout_issues(issues: list[LayoutIssue]) -> list[LayoutIssue]:
    return [issue for issue in issues if issue.kind in LAYOUT_KINDS]


def _valid_name(name: str) -> bool:
    """A name from the sandbox (untrusted) that is safe to write into a call."""
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and not name.startswith("_chalk")
        and "__" not in name
    )


def _calls_for(issue: LayoutIssue) -> list[_Call]:
    """The helper calls that answer one issue, where it names its objects."""
    if issue.line is None:
        return []
    names = issue.names
    if issue.kind == "off_frame" and names and _valid_name(names[0]):
        text = f"_chalk_fit({names[0]})"
        message = f"scaled {names[0]} to fit and moved it inside the frame"
        return [_Call(issue.line, text, Fix(FIT, issue.line, message))]
    if issue.kind == "small_text" and names and _valid_name(names[0]):
        text = f"_chalk_readable({names[0]})"
        message = f"enlarged {names[0]} to a readable size"
        return [_Call(issue.line, text, Fix(READABLE, issue.line, message))]
    return []


def _apart_calls(issues: list[LayoutIssue]) -> list[_Call]:
    """One `_chalk_apart(a, b, c)` per play() line for each set of named texts that overlap
    one another there, in the order the check saw them (the first stays, the rest move)."""
    calls: list[_Call] = []
    by_line: dict[int, list[tuple[str, str]]] = {}
    for issue in issues:
        names = issue.names
        if issue.kind != "overlap" or issue.line is None or len(names) != 2:
            continue
        if all(map(_valid_name, names)) and names[0] != names[1]:
            by_line.setdefault(issue.line, []).append((names[0], names[1]))
    for line, pairs in by_line.items():
        groups: list[list[str]] = []
        for pair in pairs:
            joined = [g for g in groups if set(pair) & set(g)]
            merged = [n for g in joined for n in g]
            merged += [n for n in pair if n not in merged]
            groups = [g for g in groups if g not in joined] + [merged]
        for group in groups:
            first, rest = group[0], group[1:]
            text = f"_chalk_apart({', '.join(group)})"
            message = f"moved {' and '.join(rest)} beside {first} so they no longer overlap"
            calls.append(_Call(line, text, Fix(APART, line, message)))
    return calls


def _label_of(message: str) -> str | None:
    """The text an issue quotes ("The Text 'Hello' leaves…" → "Hello"), if any."""
    start = message.find("'")
    end = message.find("'", start + 1)
    return message[start + 1 : end] if 0 <= start < end else None


class _Inserter(cst.CSTTransformer):
    """Puts the helper calls before the simple statement on their line, and wraps unnamed
    texts where they are created."""

    METADATA_DEPENDENCIES = (PositionProvider, ParentNodeProvider)

    def __init__(self, calls: list[_Call], labels: dict[str, Fix]) -> None:
        super().__init__()
        self.calls = calls
        self.labels = labels  # the text of an unnamed object off the frame → its fix
        self.done: list[Fix] = []
        self.wrapped: set[str] = set()

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        position = self.get_metadata(PositionProvider, original_node)
        here = [c for c in self.calls if position.start.line <= c.line <= position.end.line]
        if not here:
            return updated_node
        self.calls = [c for c in self.calls if c not in here]
        # A call already there (an earlier round's) did not help: it is not added again.
        there = {cst.Module([]).code_for_node(s).strip().rstrip(";") for s in updated_node.body}
        here = [c for c in here if c.text not in there]
        added: list[cst.BaseSmallStatement] = [
            cst.Expr(cst.parse_expression(text)) for text in dict.fromkeys(c.text for c in here)
        ]
        if not added:
            return updated_node
        self.done.extend(dict.fromkeys(c.fix for c in here))
        body = [*added, *updated_node.body]
        return updated_node.with_changes(
            body=[
                s.with_changes(semicolon=cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" ")))
                if i < len(body) - 1
                else s.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
                for i, s in enumerate(body)
            ]
        )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        """`Text("…").shift(DOWN * 4)` → `_chalk_fit(Text("…").shift(DOWN * 4))`: the whole
        chain of calls on a text the check quoted, so its placement is fitted too."""
        parent = self.get_metadata(ParentNodeProvider, original_node, None)
        if isinstance(parent, cst.Attribute) or not self.labels:
            return updated_node  # the chain goes on: wrap its outermost call
        root: cst.BaseExpression = original_node
        while isinstance(root, cst.Call) and isinstance(root.func, cst.Attribute):
            root = root.func.value
        if not isinstance(root, cst.Call) or func_name(root) not in TEXT_CALLS or not root.args:
            return updated_node
        value = string_value(root.args[0].value)
        if value is None:
            return updated_node
        said = " ".join(value.split()).replace("'", "’")
        for label, fix in self.labels.items():
            if label in self.wrapped:
                continue
            if said == label or (len(label) >= 40 and said.startswith(label)):
                self.wrapped.add(label)
                self.done.append(Fix(fix.rule, self._line(original_node), fix.description))
                return cst.Call(cst.Name("_chalk_fit"), [cst.Arg(updated_node)])
        return updated_node

    def _line(self, node: cst.CSTNode) -> int | None:
        try:
            return int(self.get_metadata(PositionProvider, node).start.line)
        except KeyError:
            return None


def fix_layout(code: str, issues: list[LayoutIssue]) -> FixResult:
    """One round: helper calls for the layout issues that name their objects; no layout issue,
    no change."""
    calls: list[_Call] = []
    labels: dict[str, Fix] = {}
    frame = DEFAULT_FRAME
    for issue in layout_issues(issues):
        if issue.frame is not None:
            box = issue.frame
            frame = (box.x0, box.y0, box.x1, box.y1)
        found = _calls_for(issue)
        calls.extend(found)
        label = _label_of(issue.message)
        if not found and issue.kind == "off_frame" and label and not any(issue.names):
            labels.setdefault(label, Fix(FIT, issue.line, f"scaled '{label}' to fit the frame"))
    calls.extend(_apart_calls(issues))
    if not calls and not labels:
        return FixResult(code=code)
    try:
        wrapper = cst.MetadataWrapper(cst.parse_module(code))
        inserter = _Inserter(calls, labels)
        fixed = wrapper.visit(inserter).code
    except Exception:  # a bug here must never cost the user their code
        log.exception("layout fix failed; code left as it was")
        return FixResult(code=code)
    if not inserter.done:
        return FixResult(code=code)
    fixes = list(dict.fromkeys(inserter.done))
    if HELPERS_MARK not in fixed:
        fixed = fixed.rstrip("\n") + "\n" + HELPERS.format(frame=tuple(round(v, 3) for v in frame))
        fixes.append(Fix(HELPERS_RULE, None, "Chalk's layout helpers defined at the end"))
    if not parses(fixed):
        log.error("layout fix produced code that does not parse; code left as it was")
        return FixResult(code=code)
    return FixResult(code=fixed, fixes=fixes)


def fix_layout_measured(
    code: str,
    measure: Callable[[str], list[LayoutIssue]],
    rounds: int = ROUNDS,
    before: list[LayoutIssue] | None = None,
) -> LayoutFix:
    """Measure, fix, measure again, up to `rounds` fixes; the fixed code only if the layout
    check then passes and nothing new broke, else `code` as given with its warnings.

    `measure(code)` returns the check's issues (it may raise: the fix is then dropped);
    `before`, when the caller has them, saves the first measurement.
    """
    issues = before if before is not None else measure(code)
    messages = [issue.message for issue in issues]
    if not layout_issues(issues):
        return LayoutFix(code, [], messages, messages)
    current, fixes = code, list[Fix]()
    others = {(i.kind, i.message) for i in issues if i.kind not in LAYOUT_KINDS}
    for _ in range(rounds):
        step = fix_layout(current, issues)
        if not step.changed:
            break
        current = step.code
        fixes.extend(f for f in step.fixes if f.rule != HELPERS_RULE or f not in fixes)
        try:
            issues = measure(current)
        except Exception as exc:  # the fixed code must not fail where the original ran
            log.info("the layout fix did not measure (%s); keeping the code as given", exc)
            return LayoutFix(code, [], messages, messages)
        new_others = {(i.kind, i.message) for i in issues if i.kind not in LAYOUT_KINDS}
        if not layout_issues(issues) and not new_others - others:
            return LayoutFix(current, fixes, messages, [i.message for i in issues])
    return LayoutFix(code, [], messages, messages)
