"""Every parse of Python in Chalk takes the one lock (app/core/syntax.py), and parses from
many threads at once give the trees one thread gives."""

from __future__ import annotations

import ast
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.core import syntax
from app.generators.offline import generate

ROOT = Path(__file__).resolve().parents[1]


def direct_parses(path: Path) -> list[int]:
    """Lines of `path` that call ast.parse (or compile to a tree) themselves."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and (node.func.value.id, node.func.attr) == ("ast", "parse")
    ]


def test_no_module_parses_python_without_the_lock():
    found = {
        str(path.relative_to(ROOT)): lines
        for folder in ("app", "jobs")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.name != "syntax.py" and (lines := direct_parses(path))
    }
    assert found == {}, "parse through app.core.syntax.parse (see its docstring)"


def test_the_check_finds_a_direct_parse(tmp_path: Path):
    module = tmp_path / "m.py"
    module.write_text("import ast\n\ntree = ast.parse('x = 1')\n")
    assert direct_parses(module) == [3]


def test_parses_from_many_threads_at_once_give_the_same_trees():
    code = generate("pythagoras theorem").code
    expected = ast.dump(ast.parse(code))
    with ThreadPoolExecutor(max_workers=8) as pool:
        dumps = list(pool.map(lambda _: ast.dump(syntax.parse(code)), range(64)))
    assert set(dumps) == {expected}
    assert ast.dump(syntax.parse("1 + x", mode="eval")) == ast.dump(ast.parse("1 + x", mode="eval"))


def test_a_parse_disturbed_by_another_thread_is_tried_again(monkeypatch):
    real = ast.parse
    failures = iter(
        [SystemError("AST constructor recursion depth mismatch (before=51, after=211)")]
    )

    def disturbed(*args, **kwargs):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real(*args, **kwargs)

    monkeypatch.setattr(ast, "parse", disturbed)
    assert ast.dump(syntax.parse("x = 1")) == ast.dump(real("x = 1"))


def test_another_system_error_and_a_syntax_error_are_not_hidden(monkeypatch):
    with pytest.raises(SyntaxError):
        syntax.parse("x = (")

    def broken(*args, **kwargs):
        raise SystemError("something else")

    monkeypatch.setattr(ast, "parse", broken)
    with pytest.raises(SystemError, match="something else"):
        syntax.parse("x = 1")
