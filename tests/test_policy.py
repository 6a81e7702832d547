"""Static policy: clear, line-numbered refusals; good Manim code passes."""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
import types

import pytest

from app.core.policy import (
    ALLOWED_MODULES,
    BANNED_ATTRIBUTES,
    BANNED_MANIM_NAMES,
    check_code,
    choose_scene,
)
from app.errors import ChalkError
from tests.conftest import SCENES

HEADER = "from manim import *\nimport numpy as np\n\nclass S(Scene):\n    def construct(self):\n"


def body(*lines: str) -> str:
    return HEADER + "".join(f"        {line}\n" for line in lines)


def rejected(code: str) -> ChalkError:
    with pytest.raises(ChalkError) as err:
        check_code(code, max_bytes=64_000)
    assert err.value.kind == "validation"
    assert err.value.message.endswith(".")
    return err.value


@pytest.mark.parametrize("path", sorted(SCENES.glob("*.py")), ids=lambda p: p.stem)
def test_good_scenes_pass(path):
    report = check_code(path.read_text(), max_bytes=64_000)
    assert len(report.scenes) == 1


def test_public_submodules_and_rate_functions_pass():
    code = body(
        "from numpy import random as npr",
        "np.random.seed(1)",
        "a = np.linalg.norm(np.array([3.0, 4.0])) + npr.random()",
        "f = rate_functions.ease_in_sine",
        "c = manim_colors.BLUE",
        "self.play(FadeIn(Dot()), rate_func=rate_functions.smooth)",
    )
    assert check_code(code, max_bytes=64_000).scenes == ["S"]


def test_ordinary_manim_idioms_pass():
    code = body(
        "import math, random, itertools",
        "from functools import reduce",
        "values = np.linspace(0, 1, 5) * math.pi",
        "dots = VGroup(*[Dot(np.array([x, 0, 0])) for x in values])",
        "label = Text(f'{len(values)} points').to_edge(UP)",
        "t = ValueTracker(0)",
        "self.play(Create(dots), Write(label), t.animate.set_value(1))",
        "self._helper = 3",
        "self.wait(1)",
    )
    assert check_code(code, max_bytes=64_000).scenes == ["S"]


def test_syntax_error_reports_the_line():
    err = rejected(body("x = 1 +", "self.wait()"))
    assert err.line == 6
    assert err.message.startswith("Line 6 has a syntax error")


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("import os", "importing 'os'"),
        ("import subprocess", "importing 'subprocess'"),
        ("from pathlib import Path", "importing 'pathlib'"),
        ("import numpy.ctypeslib", "importing 'numpy.ctypeslib'"),
        ("import manim.utils.commands", "importing 'manim.utils.commands'"),
        ("from manim import capture", "'capture'"),
        ("from manim.utils.file_ops import open_file", "importing 'manim.utils.file_ops'"),
        ("from numpy import ctypeslib", "'numpy.ctypeslib'"),
        ("capture(['ls'])", "'capture'"),
        ("guarantee_existence('/tmp/x')", "'guarantee_existence'"),
        ("open_file('/etc/passwd')", "'open_file'"),
        ("config.media_dir = '/tmp'", "'config'"),
        ("tempconfig({})", "'tempconfig'"),
        ("utils.file_ops.os.system('id')", "'utils'"),
        ("x = np.ctypeslib.ctypes.CDLL(None)", "'np.ctypeslib'"),
        ("np.lib._datasource.DataSource().open('http://x')", "'np.lib'"),
        ("np.savetxt('/tmp/x', [1])", "'np.savetxt'"),
        ("np.zeros(3).tofile('/tmp/x')", "tofile"),
        ("np.fromfile('/etc/passwd')", "'np.fromfile'"),
        ("np.load('/tmp/x.npy')", "'np.load'"),
        ("SVGMobject('/etc/passwd')", "'SVGMobject'"),
        ("ImageMobject('/etc/shadow')", "'ImageMobject'"),
        ("Code(code_file='/etc/passwd')", "'Code'"),
        ("open('/etc/passwd')", "'open'"),
        ("eval('1+1')", "'eval'"),
        ("exec('x=1')", "'exec'"),
        ("compile('1', 'f', 'eval')", "'compile'"),
        ("__import__('os')", "'__import__'"),
        ("getattr(self, 'x')", "'getattr'"),
        ("vars(self)", "'vars'"),
        ("globals()", "'globals'"),
        ("locals()", "'locals'"),
        ("breakpoint()", "'breakpoint'"),
        ("x = ().__class__.__base__", "'.__class__'"),
        ("x = self.__dict__", "'.__dict__'"),
        ("x = __builtins__", "'__builtins__'"),
        ("x = 'a' + '__class__'", "double-underscore"),
        ("x = '{0.__class__}'.format(1)", "double-underscore"),
        ("x = '{0.real}'.format(1)", "format strings"),
        ("x = ('{0' + '.x}').format(1)", "computed text"),
        ("g = (i for i in [1]); f = g.gi_frame", "'g.gi_frame'"),
        ("x = type(self).mro()", "mro"),
        ("x = Square()._family", "private"),
        ("self.renderer.file_writer.x = 1", "file_writer"),
        ("logger.info('x')", "'logger'"),
        ("x = b'bytes'", "byte strings"),
        ("from random import _os", "private"),
        ("from dataclasses import inspect", "'dataclasses.inspect'"),
        ("import dataclasses; m = dataclasses.inspect", "'dataclasses.inspect'"),
        ("import statistics; r = statistics.random", "'statistics.random'"),
        ("import fractions as f; r = f.re", "'f.re'"),
        ("x = np.testing", "np.testing"),
        ("x = np.char", "'np.char'"),
        ("t = '{0.real}'; t.format(1)", "'.format'"),
        ("t = TexTemplate(tex_compiler='lualatex')", "tex_compiler"),
    ],
)
def test_unsafe_code_is_refused_with_its_line(line, needle):
    err = rejected(body(line, "self.wait()"))
    assert needle in err.message
    assert err.line == 6
    assert err.message.startswith("Line 6: ")


def test_dunder_method_definition_is_refused():
    code = HEADER + "        pass\n    def __init__(self):\n        pass\n"
    err = rejected(code)
    assert "__init__" in err.message


def test_metaclass_and_async_are_refused():
    rejected("from manim import *\nclass M(type): pass\nclass S(Scene, metaclass=M):\n    pass\n")
    rejected(body("pass") + "    async def f(self):\n        pass\n")


def test_size_cap():
    code = body("x = 1") + "# " + "x" * 70_000 + "\n"
    err = rejected(code)
    assert "KB" in err.message


def test_no_scene_and_several_scenes():
    err = rejected("from manim import *\nx = 1\n")
    assert "inherits from Scene" in err.message
    code = (
        body("self.wait()") + "\nclass T(MovingCameraScene):\n    def construct(self):\n"
        "        self.wait()\n"
    )
    report = check_code(code, max_bytes=64_000)
    assert report.scenes == ["S", "T"]
    with pytest.raises(ChalkError) as err2:
        choose_scene(report, None)
    assert "choose one" in err2.value.message
    assert choose_scene(report, "T") == "T"
    with pytest.raises(ChalkError):
        choose_scene(report, "Missing")


def test_scene_found_through_a_local_base_class():
    code = (
        "from manim import *\n\nclass Base(Scene):\n    def helper(self):\n        return 1\n\n"
        "class Lesson(Base):\n    def construct(self):\n        self.wait()\n"
    )
    assert check_code(code, max_bytes=64_000).scenes == ["Lesson"]


def test_every_risky_name_manim_exports_is_banned():
    """Cross-check against the installed Manim: its star-export must not hand out files,
    processes or whole modules (through which `os` is one attribute away)."""
    namespace: dict[str, object] = {}
    exec("from manim import *", namespace)  # test-only: inspect what scenes receive
    pure_modules = {"np", "typing", "rate_functions", "color", "manim_colors", "unit"}
    color_tables = {"AS2700", "BS381", "DVIPSNAMES", "SVGNAMES", "X11", "XKCD"}
    risky_origins = (
        "file_ops",
        "commands",
        "_config",
        "config_ops",
        "debug",
        "images",
        "sounds",
        "plugins",
    )
    missing = []
    for name, value in namespace.items():
        if name.startswith("__"):
            continue
        if isinstance(value, types.ModuleType):
            if name not in pure_modules | color_tables and name not in BANNED_MANIM_NAMES:
                missing.append(name)
        elif callable(value) and not inspect.isclass(value):
            origin = getattr(value, "__module__", "") or ""
            if any(part in origin for part in risky_origins) and name not in BANNED_MANIM_NAMES:
                missing.append(name)
    assert "config" in namespace and "capture" in namespace  # the check sees real exports
    assert missing == []


def test_numpy_file_and_ctypes_apis_are_banned_attributes():
    for name in ("ctypeslib", "lib", "save", "savetxt", "fromfile", "tofile", "load", "memmap"):
        assert name in BANNED_ATTRIBUTES


@pytest.mark.parametrize(
    "line",
    [
        # string's format machinery: get_field walks "{0.__globals__}" paths built from pieces
        "import string; f = string.Formatter()",
        "from string import Formatter",
        "from string import *; f = Formatter()",
        "import string as s; t = s.Template('$x')",
        "f = self.fmt.get_field('0.' + '_' * 2 + 'class' + '_' * 2, [1], {})",
        "f = self.fmt.vformat('{0}', [1], {})",
        # typing and functools evaluate string annotations
        "import typing; h = typing.get_type_hints(self.construct)",
        "from typing import ForwardRef",
        "import functools; d = functools.singledispatch(print)",
        "from functools import singledispatchmethod",
        # attributes copied by name
        "import functools; functools.update_wrapper(self, Square(), ('x',), ())",
        "from functools import wraps",
        # keyword names computed at run time (Mobject.set is setattr by keyword)
        "Square().set(**{'_' * 2 + 'class' + '_' * 2: Circle})",
        "names = dict(zip(['a'], [1])); Square().set(**names)",
        "Square().set(**{'color': RED, **dict(width=2)})",
        "t = TexTemplate(**{'tex_compiler': 'lualatex'})",
        # a class built from computed names can define any special method
        "K = type('K', (), {'_' * 2 + 'del' + '_' * 2: print})",
    ],
)
def test_lookups_by_computed_name_are_refused(line):
    err = rejected(body(line, "self.wait()"))
    assert err.line == 6


def test_keyword_splats_of_literal_names_and_own_kwargs_pass():
    code = body(
        "style = {'color': RED, 'stroke_width': 2}",
        "self.add(Square(**{'color': BLUE}), Circle(**{'radius': 1, **{'color': RED}}))",
        "self.add(self.make(color=GREEN))",
    ) + (
        "    def make(self, **options):\n"
        "        return Dot(**options)\n"
        "    def later(self):\n"
        "        return (lambda **kw: Dot(**kw))(color=RED)\n"
    )
    assert check_code(code, max_bytes=64_000).scenes == ["S"]


def test_only_the_own_kwargs_of_the_enclosing_function_may_be_forwarded():
    code = HEADER + (
        "        self.wait()\n"
        "    def outer(self, **options):\n"
        "        def inner():\n"
        "            return Dot(**options)\n"
        "        return inner\n"
    )
    # A closure over an outer **kwargs is still keys from checked calls, but a plain local
    # that happens to share a name with no **parameter is not.
    assert check_code(code, max_bytes=64_000).scenes == ["S"]
    rejected(body("options = {}", "self.add(Dot(**options))"))


# Standard-library callables whose source calls one of these with a name that is not a
# constant: the routes to getattr/eval the policy must close as a class.
REFLECTION_PRIMITIVES = frozenset(
    {"getattr", "setattr", "delattr", "eval", "exec", "__import__", "import_module", "_eval_type"}
)
# Callables that do reflect by a computed name, and why no animation can steer that name.
REVIEWED_REFLECTION = {
    "functools.total_ordering": "copies fixed method names chosen by functools",
    "functools.namedtuple": "field names are checked as identifiers without underscores",
    "statistics.namedtuple": "field names are checked as identifiers without underscores",
    "dataclasses.fields": "reads only the fields a dataclass declared",
    "dataclasses.replace": "reads only the fields a dataclass declared",
    "typing.NamedTupleMeta": "field names come from a class body",
    "typing.no_type_check": "reads fixed names of the decorated class",
}


def _reflects_by_computed_name(tree: ast.AST) -> bool:
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        callee = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if callee not in REFLECTION_PRIMITIVES:
            continue
        position = 0 if callee in ("eval", "exec", "__import__", "import_module") else 1
        if len(call.args) > position and not isinstance(call.args[position], ast.Constant):
            return True
    return False


def _reflective_callables(module_name: str) -> list[str]:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        return []  # not installed here, so not importable inside the sandbox either
    found = []
    for name in dir(module):
        value = getattr(module, name)
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        members = [value]
        if inspect.isclass(value):
            members += [m for k, m in vars(value).items() if callable(m) and not k.startswith("__")]
        for member in members:
            try:
                tree = ast.parse(textwrap.dedent(inspect.getsource(member)))
            except (OSError, TypeError, SyntaxError):
                continue  # written in C: no Python route to follow
            if _reflects_by_computed_name(tree):
                found.append(f"{module_name}.{name}")
                break
    return found


@pytest.mark.parametrize(
    "module_name", sorted(m for m in ALLOWED_MODULES if m not in {"manim", "numpy", "__future__"})
)
def test_every_stdlib_route_to_reflection_is_closed_or_reviewed(module_name):
    """New Python versions add callables: any that looks up by a computed name must be
    refused by the policy or reviewed above with a reason."""
    open_routes = []
    for route in _reflective_callables(module_name):
        if route in REVIEWED_REFLECTION:
            continue
        module = route.rpartition(".")[0]
        try:
            check_code(body(f"import {module}", f"x = {route}", "self.wait()"), max_bytes=64_000)
        except ChalkError:
            continue
        open_routes.append(route)
    assert open_routes == []
