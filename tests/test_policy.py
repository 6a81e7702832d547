"""Static policy: clear, line-numbered refusals; good Manim code passes."""

from __future__ import annotations

import inspect
import types

import pytest

from app.core.policy import (
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
    err = rejected(body("x = (1 +", "self.wait()"))
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
