"""`ast.parse` that survives CPython 3.11's shared AST depth counter.

CPython 3.11 counts the depth of the tree it is building in one counter per interpreter, not per
thread (python/cpython#106905). Anything else that builds a tree at the same moment in another
thread (a parse, or the traceback module underlining an error in a log line) can leave it
unbalanced, and a parse of valid code then fails with "AST constructor recursion depth
mismatch". That error says nothing about the code: the counter is reset at the start of every
parse, so the parse is tried again. Chalk's own parses also take turns under one lock, which
removes most of the chances to collide. Every parse in Chalk goes through here
(tests/test_syntax.py keeps it so).
"""

from __future__ import annotations

import ast
import threading
from typing import Literal, overload

_parsing = threading.Lock()
SPURIOUS = "AST constructor recursion depth mismatch"
ATTEMPTS = 5


@overload
def parse(source: str, filename: str = ..., mode: Literal["exec"] = ...) -> ast.Module: ...
@overload
def parse(source: str, filename: str = ..., *, mode: Literal["eval"]) -> ast.Expression: ...
def parse(source: str, filename: str = "<unknown>", mode: str = "exec") -> ast.AST:
    """ast.parse(source, filename, mode), one thread at a time, tried again when CPython's
    shared depth counter was disturbed."""
    with _parsing:
        for _ in range(ATTEMPTS - 1):
            try:
                return ast.parse(source, filename=filename, mode=mode)
            except SystemError as exc:
                if not str(exc).startswith(SPURIOUS):
                    raise
        return ast.parse(source, filename=filename, mode=mode)
