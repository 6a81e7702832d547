"""What the fixer needs to know about a whole program before rewriting it: whether it is
ManimGL code, and which names it defines itself (so they are not renamed)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from app.core.fixer.rules import GL_MODULES, GL_ONLY_NAMES


@dataclass
class Facts:
    gl: bool = False
    defined: set[str] = field(default_factory=set)


def _is_gl_marker(node: ast.AST) -> bool:
    """An import of ManimGL or a name only ManimGL has."""
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").startswith(GL_MODULES)
    if isinstance(node, ast.Import):
        return any(a.name.startswith(GL_MODULES) for a in node.names)
    return isinstance(node, ast.Name) and node.id in GL_ONLY_NAMES


def facts_of(tree: ast.Module) -> Facts:
    facts = Facts()
    for node in ast.walk(tree):
        if _is_gl_marker(node):
            facts.gl = True
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            facts.defined.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    facts.defined.add(target.id)
    return facts
