"""`ast.parse` for code that threads may parse at the same time.

CPython 3.11 counts the depth of the tree it is building in one counter per interpreter, not per
thread (python/cpython#106905): two threads parsing at once (the inline pool's jobs, the app's
sessions) can leave it unbalanced, and a parse of valid code then fails with "AST constructor
recursion depth mismatch". One lock makes the parses take turns; each takes milliseconds.
Every parse in Chalk goes through here (tests/test_syntax.py keeps it so).
"""

from __future__ import annotations

import ast
import threading
from typing import Literal, overload

_parsing = threading.Lock()


@overload
def parse(source: str, filename: str = ..., mode: Literal["exec"] = ...) -> ast.Module: ...
@overload
def parse(source: str, filename: str = ..., *, mode: Literal["eval"]) -> ast.Expression: ...
def parse(source: str, filename: str = "<unknown>", mode: str = "exec") -> ast.AST:
    """ast.parse(source, filename, mode), one thread at a time."""
    with _parsing:
        return ast.parse(source, filename=filename, mode=mode)
