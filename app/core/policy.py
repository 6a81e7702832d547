"""Static policy for animation code: a usability filter, not the security boundary.

It turns the common ways code goes wrong or reaches outside an animation (imports, file and
process helpers that `from manim import *` exports, NumPy's file and ctypes APIs, dunder
tricks) into one clear sentence with a line number before anything runs. Whatever slips past
it still runs only in the sandbox (app/core/sandbox.py).
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
import re
import types
import warnings
from dataclasses import dataclass, field
from functools import cache

from app.core import code_hints, syntax
from app.errors import ChalkError
from app.settings import get_settings

ALLOWED_MODULES = frozenset(
    {
        "manim",
        "math",
        "cmath",
        "numpy",
        "random",
        "itertools",
        "functools",
        "typing",
        "dataclasses",
        "colour",
        "fractions",
        "statistics",
        "string",
        "__future__",
    }
)
# Submodules that are pure computation.
ALLOWED_SUBMODULES = frozenset(
    {
        "numpy.random",
        "numpy.linalg",
        "numpy.fft",
        "numpy.polynomial",
        "numpy.emath",
        "manim.utils.rate_functions",
        *(
            f"manim.utils.color.{table}"
            for table in (
                "AS2700",
                "BS381",
                "DVIPSNAMES",
                "SVGNAMES",
                "X11",
                "XKCD",
                "manim_colors",
            )
        ),
    }
)
# Module objects that `from manim import *` binds and animations may use.
STAR_MODULES = {
    "np": "numpy",
    "typing": "manim.typing",
    "color": "manim.utils.color",
    "rate_functions": "manim.utils.rate_functions",
    "unit": "manim.utils.unit",
    "manim_colors": "manim.utils.color.manim_colors",
    **{
        table: f"manim.utils.color.{table}"
        for table in ("AS2700", "BS381", "DVIPSNAMES", "SVGNAMES", "X11", "XKCD")
    },
}

# Builtins that execute code, reach objects by name or touch files and the interpreter.
BANNED_BUILTINS = frozenset(
    {
        "exec",
        "eval",
        "compile",
        "open",
        "__import__",
        "getattr",
        "setattr",
        "delattr",
        "vars",
        "globals",
        "locals",
        "breakpoint",
        "input",
        "help",
        "exit",
        "quit",
        "memoryview",
    }
)

# Names that `from manim import *` exports which reach files, processes, the config that
# decides where output goes, or whole modules (and through them `os`).
BANNED_MANIM_NAMES = frozenset(
    {
        # config and files
        "config",
        "tempconfig",
        "capture",
        "get_video_metadata",
        "get_dir_layout",
        "guarantee_existence",
        "guarantee_empty_existence",
        "seek_full_path_from_defaults",
        "add_extension_if_not_present",
        "modify_atime",
        "open_file",
        "ensure_executable",
        "get_full_raster_image_path",
        "get_full_sound_file_path",
        "change_to_rgba_array",
        "drag_pixels",
        "invert_image",
        "get_plugins",
        "list_plugins",
        "merge_dicts_recursively",
        "update_dict_recursively",
        "print_family",
        "index_labels",
        "logger",
        "console",
        "error_console",
        # module objects
        "constants",
        "utils",
        "mobject",
        "animation",
        "data_structures",
        "renderer",
        "scene",
        "camera",
        "manager",
        "opengl",
        "core",
        "plugins",
        # mobjects that read files by path
        "SVGMobject",
        "ImageMobject",
        "ImageMobjectFromCamera",
        "Code",
        "SoundFile",
    }
)

# Attributes that lead to files, processes, ctypes, frames or the interpreter's internals.
BANNED_ATTRIBUTES = frozenset(
    {
        "ctypeslib",
        "ctypes",
        "lib",
        "os",
        "sys",
        "subprocess",
        "system",
        "popen",
        "load",
        "loads",
        "save",
        "savez",
        "savez_compressed",
        "savetxt",
        "loadtxt",
        "genfromtxt",
        "fromfile",
        "tofile",
        "fromregex",
        "memmap",
        "DataSource",
        "dump",
        "dumps",
        "f2py",
        "testing",
        "distutils",
        "config",
        "file_writer",
        "add_sound",
        "f_globals",
        "f_locals",
        "f_back",
        "f_builtins",
        "gi_frame",
        "gi_code",
        "cr_frame",
        "ag_frame",
        "tb_frame",
        "tb_next",
        "func_globals",
        "mro",
        "format_map",
        "tex_compiler",
    }
)

# Library callables that read or write attributes, or evaluate text, by a name known only at
# run time: the getattr/setattr/eval the policy bans by name, reached through the standard
# library. Formatter.get_field walks "{0.__globals__}" paths built from pieces, get_type_hints
# and singledispatch evaluate string annotations, update_wrapper/wraps copy attributes named
# by strings. Banned as names, attributes and imports alike, so no spelling reaches them.
REFLECTIVE_NAMES = frozenset(
    {
        # string's format machinery
        "Formatter",
        "Template",
        "get_field",
        "vformat",
        # typing and functools: string annotations are evaluated
        "get_type_hints",
        "ForwardRef",
        "singledispatch",
        "singledispatchmethod",
        # functools: attributes copied by name
        "update_wrapper",
        "wraps",
        # operator's by-name getters (operator is not importable; these close re-exports)
        "attrgetter",
        "methodcaller",
    }
)

# Keyword arguments that pick programs to run: LuaTeX's io library ignores TeX's file rules.
BANNED_KEYWORDS = frozenset({"tex_compiler"})

DUNDER = re.compile(r"__\w+__")
# A format field that reaches an attribute or an item: "{0.attr}", "{x[key]}".
FORMAT_FIELD_ACCESS = re.compile(r"\{[^{}]*[.\[][^{}]*\}")

SCENE_BASE = re.compile(r"(^|\.)\w*Scene$")


@dataclass(frozen=True)
class PolicyReport:
    """What the policy learnt about accepted code."""

    scenes: list[str] = field(default_factory=list)


def _reject(message: str, node: ast.AST | None = None, detail: str = "") -> ChalkError:
    line = getattr(node, "lineno", None)
    if line is not None:
        message = f"Line {line}: {message}"
    return ChalkError("validation", message, detail=detail or message, line=line)


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


@cache
def _module_attributes(module: str) -> frozenset[str]:
    """Names in an allowed module that are themselves modules (`dataclasses.inspect`,
    `random._os`): the way from a harmless module to `os` without any banned name."""
    if module == "manim":
        # Listing the package on disk is enough for `from manim import <subpackage>`, and
        # avoids importing Manim into the app just to check code.
        spec = importlib.util.find_spec("manim")
        locations = spec.submodule_search_locations if spec else None
        return frozenset(info.name for info in pkgutil.iter_modules(locations or []))
    # Only modules on Chalk's own allowlist get here; importing them is safe.
    loaded = importlib.import_module(module)
    names = {name for name, value in vars(loaded).items() if isinstance(value, types.ModuleType)}
    # Packages such as NumPy load submodules lazily; list them on disk too.
    names.update(info.name for info in pkgutil.iter_modules(getattr(loaded, "__path__", [])))
    return frozenset(names)


def _reflective_message(name: str) -> str:
    return (
        f"'{name}' looks things up by a name computed while the animation runs, so it is not "
        "allowed; refer to what you need directly."
    )


class _Checker(ast.NodeVisitor):
    def __init__(self) -> None:
        # Names bound to module objects in this file, and which module each one is.
        self.modules: dict[str, str] = {}
        # The `**kwargs` parameters of the functions being visited, innermost last: their
        # keys come only from calls this checker also checks, so forwarding them is safe.
        self.keyword_parameters: list[str | None] = []

    def _module_of(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return self.modules.get(node.id)
        if isinstance(node, ast.Attribute):
            parent = self._module_of(node.value)
            if parent is not None and f"{parent}.{node.attr}" in ALLOWED_SUBMODULES:
                return f"{parent}.{node.attr}"
        return None

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            _check_module(alias.name, node)
            _check_binding(alias.asname, node)
            if alias.asname:
                self.modules[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                self.modules[top] = top
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level:
            raise _reject("relative imports are not available; import from manim instead.", node)
        _check_module(module, node)
        for alias in node.names:
            if alias.name == "*":
                if module == "manim":
                    self.modules.update(STAR_MODULES)
                continue
            if alias.name.startswith("_") and module != "__future__":
                raise _reject(
                    f"'{alias.name}' is private to {module}; import public names only.", node
                )
            child = f"{module}.{alias.name}"
            if module != "__future__" and alias.name in _module_attributes(module):
                if child not in ALLOWED_SUBMODULES:
                    raise _reject(f"the module '{child}' is not available in animations.", node)
                self.modules[alias.asname or alias.name] = child
            if alias.name in REFLECTIVE_NAMES:
                raise _reject(_reflective_message(alias.name), node)
            if alias.name in BANNED_MANIM_NAMES or alias.name in BANNED_BUILTINS:
                raise _reject(
                    f"'{alias.name}' reaches files or settings outside the animation, "
                    "so it cannot be imported.",
                    node,
                )
            risky = alias.name in BANNED_ATTRIBUTES or DUNDER.fullmatch(alias.name)
            if risky and module != "__future__":
                raise _reject(f"'{module}.{alias.name}' is not available in animations.", node)
            _check_binding(alias.asname, node)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        name = node.id
        if DUNDER.fullmatch(name):
            raise _reject(f"the special name '{name}' is not allowed in animations.", node)
        if name in BANNED_BUILTINS:
            raise _reject(
                f"'{name}' is not allowed in animations; "
                "write the animation with manim, math and numpy only.",
                node,
            )
        if name in REFLECTIVE_NAMES:
            raise _reject(_reflective_message(name), node)
        if name in BANNED_MANIM_NAMES:
            raise _reject(
                f"'{name}' reaches files, settings or programs outside the animation, "
                "so it is not allowed; Chalk sets quality and output for you.",
                node,
            )
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        # Innermost first, so `utils.file_ops.os.system` is reported at `utils`.
        self.generic_visit(node)
        attr = node.attr
        if attr.startswith("__"):
            raise _reject(f"the special attribute '.{attr}' is not allowed in animations.", node)
        if attr.startswith("_") and not (
            isinstance(node.value, ast.Name) and node.value.id == "self"
        ):
            raise _reject(
                f"'.{attr}' is a private attribute; use the object's public methods instead.", node
            )
        parent = self._module_of(node.value)
        if (
            parent is not None
            and attr in _module_attributes(parent)
            and f"{parent}.{attr}" not in ALLOWED_SUBMODULES
        ):
            raise _reject(f"'{_dotted(node)}' is a module that animations cannot use.", node)
        if attr in REFLECTIVE_NAMES:
            raise _reject(_reflective_message(_dotted(node) or attr), node)
        if attr in BANNED_ATTRIBUTES:
            target = _dotted(node) or f".{attr}"
            raise _reject(
                f"'{target}' reaches files, programs or memory outside the animation, "
                "so it is not allowed.",
                node,
            )

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and DUNDER.search(node.value):
            raise _reject(
                "text containing a double-underscore name like '__class__' is not allowed; "
                "rename it.",
                node,
            )
        if isinstance(node.value, bytes):
            raise _reject("byte strings are not needed in animations; use normal text.", node)

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        func = node.func
        for keyword in node.keywords:
            if keyword.arg is None:
                self._check_keyword_splat(keyword.value, node)
        if isinstance(func, ast.Name) and func.id == "type" and len(node.args) == 3:
            raise _reject(
                "type() with three arguments builds a class from computed names; "
                "write the class with a class statement instead.",
                node,
            )
        if isinstance(func, ast.Attribute) and func.attr == "format":
            receiver = func.value
            if isinstance(receiver, ast.Constant) and isinstance(receiver.value, str):
                if FORMAT_FIELD_ACCESS.search(receiver.value):
                    raise _reject(
                        "format strings may not read attributes or items (like '{0.x}'); "
                        "use an f-string with a plain variable.",
                        node,
                    )
            # .format on a computed or stored string can smuggle '{0.__class__}' past the
            # constant check; an f-string does the same job safely.
            elif not isinstance(receiver, ast.Constant):
                raise _reject(
                    "'.format' on computed text is not allowed; use an f-string instead.", node
                )

    def _check_keyword_splat(self, value: ast.expr, call: ast.Call) -> None:
        """`f(**mapping)` sets keyword names at run time (Mobject.set turns them into
        setattr): allow a dict literal with plain text keys, or forwarding the enclosing
        function's own `**kwargs`."""
        if isinstance(value, ast.Name) and value.id in self.keyword_parameters:
            return
        if isinstance(value, ast.Dict):
            for key, item in zip(value.keys, value.values, strict=True):
                if key is None:  # {**other}
                    self._check_keyword_splat(item, call)
                elif not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                    break
                elif key.value in BANNED_KEYWORDS:
                    raise _reject(f"'{key.value}=' is not available in animations.", call)
            else:
                return
        raise _reject(
            "'**' may only pass a {...} of plain keyword names or your function's own "
            "**kwargs; write the keyword arguments out instead.",
            call,
        )

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg in BANNED_KEYWORDS:
            raise _reject(
                f"'{node.arg}=' is not available; Chalk typesets formulas with its own LaTeX "
                "setup.",
                node.value,
            )
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global) -> None:
        for name in node.names:
            _check_binding(name, node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        _check_definition(node.name, node)
        self._visit_function(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_function(node)

    def _visit_function(self, node: ast.FunctionDef | ast.Lambda) -> None:
        self.keyword_parameters.append(node.args.kwarg.arg if node.args.kwarg else None)
        try:
            self.generic_visit(node)
        finally:
            self.keyword_parameters.pop()

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        raise _reject("async functions are not used in animations; use a normal def.", node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        _check_definition(node.name, node)
        for keyword in node.keywords:
            if keyword.arg == "metaclass":
                raise _reject("metaclasses are not allowed in animations.", node)
        self.generic_visit(node)

    def visit_arg(self, node: ast.arg) -> None:
        _check_binding(node.arg, node)
        self.generic_visit(node)


def _check_definition(name: str, node: ast.AST) -> None:
    # Methods like __init__ are normal Python, but they are also how escapes start; Manim
    # scenes need none of them (construct() is the entry point).
    if DUNDER.fullmatch(name):
        raise _reject(
            f"defining '{name}' is not allowed; put the animation in construct() "
            "and helpers in normal methods.",
            node,
        )
    _check_binding(name, node)


def _check_binding(name: str | None, node: ast.AST) -> None:
    if name and (name in BANNED_BUILTINS or DUNDER.fullmatch(name)):
        raise _reject(f"the name '{name}' is reserved; choose another name.", node)


def _check_module(module: str, node: ast.AST) -> None:
    top = module.split(".")[0]
    if module in ALLOWED_SUBMODULES or (module == top and top in ALLOWED_MODULES):
        return
    allowed = ", ".join(sorted(m for m in ALLOWED_MODULES if m != "__future__"))
    raise _reject(
        f"importing '{module}' is not allowed; animations may import only {allowed}.", node
    )


def scene_names(code: str) -> list[str]:
    """The Scene classes in `code` without judging it (empty when it does not parse)."""
    try:
        return _scene_classes(syntax.parse(code))
    except (SyntaxError, ValueError, RecursionError):
        return []


def _scene_classes(tree: ast.Module) -> list[str]:
    """Classes that derive (directly or through another class here) from a Manim Scene."""
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    scenes: list[str] = []

    def is_scene(cls: ast.ClassDef, seen: frozenset[str]) -> bool:
        for base in cls.bases:
            name = _dotted(base)
            if name in classes and name not in seen:
                if is_scene(classes[name], seen | {name}):
                    return True
            elif SCENE_BASE.search(name):
                return True
        return False

    for name, cls in classes.items():
        if is_scene(cls, frozenset({name})):
            scenes.append(name)
    # A base class that other scenes in the file extend is a helper, not the one to render.
    extended = {_dotted(b) for c in classes.values() for b in c.bases}
    leaves = [s for s in scenes if s not in extended]
    return leaves or scenes


def check_code(code: str, *, max_bytes: int | None = None) -> PolicyReport:
    """Accept the code or raise ChalkError(kind="validation") with one clear sentence."""
    if max_bytes is None:
        max_bytes = get_settings().max_code_bytes
    size = len(code.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise ChalkError(
            "validation",
            f"The code is {size // 1024} KB, over the {max_bytes // 1024} KB limit; "
            "shorten it or split it into several animations.",
        )
    if "\x00" in code:
        raise ChalkError(
            "validation", "The code contains a null character; paste it as plain text."
        )
    try:
        with warnings.catch_warnings():
            # "perhaps you missed a comma?" and the like belong to the author, not our log.
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = syntax.parse(code, filename="scene.py")
    except SyntaxError as exc:
        line = exc.lineno or 0
        hint = code_hints.for_syntax_error(exc.msg, exc.text or "")
        raise ChalkError(
            "validation",
            f"Line {line}: {hint}."
            if hint
            else f"Line {line} has a syntax error ({exc.msg}); fix that line and try again.",
            detail=f"SyntaxError: {exc.msg} at line {line}, column {exc.offset}: {exc.text!r}",
            line=line,
        ) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ChalkError(
            "validation",
            "The code could not be read as Python; simplify it and try again.",
            detail=repr(exc),
        ) from None
    try:
        _Checker().visit(tree)
    except RecursionError:
        raise ChalkError(
            "validation", "The code is nested too deeply to check; simplify it and try again."
        ) from None
    scenes = _scene_classes(tree)
    if not scenes:
        raise ChalkError(
            "validation",
            "No animation found: define a class that inherits from Scene "
            "with a construct(self) method.",
        )
    return PolicyReport(scenes=scenes)


def choose_scene(report: PolicyReport, requested: str | None) -> str:
    """The scene to render: the one asked for, or the only one there is."""
    if requested:
        if requested not in report.scenes:
            raise ChalkError(
                "validation",
                f"There is no scene named '{requested}'; the code defines "
                f"{', '.join(report.scenes)}.",
            )
        return requested
    if len(report.scenes) > 1:
        raise ChalkError(
            "validation",
            f"The code defines {len(report.scenes)} scenes ({', '.join(report.scenes)}); "
            "choose one to render.",
        )
    return report.scenes[0]
