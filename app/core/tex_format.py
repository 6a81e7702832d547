"""A LaTeX format with Manim's default preamble already read, for the sandbox's Tex/MathTex.

Every Tex/MathTex string is a `latex` run inside the sandbox, and with Manim's default
TexTemplate most of that run is inflating LaTeX's own gzipped format and then loading the
preamble's packages (babel, amsmath, amssymb). This module dumps, once, a format
(mylatexformat, from texlive-latex-extra) that holds that preamble, stored uncompressed:
`latex -fmt=<it>` then skips both and typesets the formula in about a third of the time
(0.04 s against 0.14 s here), to the same DVI. Jobs never share a writable TeX cache: the
format is made here, by trusted code from Manim's own default template, never from anything
a job wrote.

It lives in the data dir under texfmt/<key>, where the key hashes everything the dump depends
on (the preamble, the TeX engine's version, the files the dump reads, Manim's version), so an
upgrade of any of them builds a new one. A build goes to a scratch folder that is renamed into
place when complete (concurrent builders: the first rename wins); the format is read-only
(file 0444, folder 0755). app/core/sandbox.py gives it to the job read-only, and
app/core/sandbox_entry.py uses it only for a .tex file whose preamble is exactly this one.
Where it cannot be built (no etex, no mylatexformat), renders go on without it, slower.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import importlib.util
import logging
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)

FOLDER = "texfmt"  # under the data dir
NAME = "chalkpre"
FILE = f"{NAME}.fmt"
# Beside the format: the SVGs of the digits and signs that jobs under bubblewrap start with,
# as the first warm sandbox with this format typeset them before any job (see keep_glyphs).
GLYPHS_FOLDER = "glyphs"
_GLYPH_NAME = re.compile(r"[0-9a-f]{16}\.svg")  # Manim's name for a formula's SVG
MAX_GLYPH_BYTES = 1 << 14
BEGIN_DOCUMENT = r"\begin{document}"
# INITEX that dumps the format: pdfTeX, the engine behind Manim's `latex`.
ETEX = "etex"
LATEX = "latex"
KPSEWHICH = "kpsewhich"
MYLATEXFORMAT = "mylatexformat.ltx"
TEX_TIMEOUT_S = 60
RECIPE = "mylatexformat, stored uncompressed"  # how a format is made: part of its key
BATCH = ["-interaction=batchmode", "-halt-on-error"]
# What the preamble loads: its class and packages, whose files go into the key.
_LOADS = re.compile(r"\\(documentclass|usepackage)\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}")


class BuildError(RuntimeError):
    """The format could not be made here; renders go on without it."""


@dataclass(frozen=True)
class TexFormat:
    """A built format: its folder (read-only) and the preamble it stands for."""

    folder: Path
    # The text of a .tex file before its first \begin{document} that this format replaces.
    preamble: str

    @property
    def file(self) -> Path:
        return self.folder / FILE

    @property
    def glyphs(self) -> Path:
        return self.folder / GLYPHS_FOLDER


_lock = threading.Lock()
_LOADING = threading.Lock()  # around loading Manim's tex module (see _manim_tex_module)
# Per key: a folder of this process holding that format, linked or copied rather than dumped
# again for another data dir (each test has its own data dir; a worker has one).
_built: dict[str, Path] = {}
_failed: set[str] = set()  # keys whose build failed, and UNREADABLE
UNREADABLE = "inputs"


def ensure(data_dir: Path) -> TexFormat | None:
    """The format for renders under `data_dir`, built first if needed; None when it cannot be
    built here (said once in the log per process)."""
    if UNREADABLE in _failed:
        return None
    try:
        preamble, key = identity()
    except (OSError, subprocess.SubprocessError, ImportError, ValueError) as exc:
        _fail_once(UNREADABLE, f"its inputs could not be read: {exc}")
        return None
    found = TexFormat(data_dir / FOLDER / key, preamble)
    if found.file.is_file():
        _built.setdefault(key, found.folder)
        return found
    with _lock:
        if key in _failed:
            return None
        if not found.file.is_file():
            try:
                _build(found, _built.get(key))
            except (BuildError, OSError, subprocess.SubprocessError) as exc:
                _fail_once(key, str(exc))
                return None
        _built[key] = found.folder
    return found


def keep_glyphs(target: TexFormat, glyphs: object) -> int:
    """Keep `glyphs` (SVG text by Manim's file name), which a warm sandbox typeset with this
    format before its first job, read-only beside the format: every later warm sandbox with it
    starts without typesetting them, and every job under bubblewrap starts with them. A folder
    already there stays (the first one kept wins). Returns how many were kept.

    Only a sandbox that has run no job yet sends them (app/core/warm.py), so no job's output
    ever gets here; names and sizes are checked all the same.
    """
    if not isinstance(glyphs, dict) or target.glyphs.exists():
        return 0
    valid = {
        name: svg
        for name, svg in glyphs.items()
        if isinstance(name, str)
        and _GLYPH_NAME.fullmatch(name)
        and isinstance(svg, str)
        and len(svg.encode()) <= MAX_GLYPH_BYTES
    }
    if not valid:
        return 0
    try:
        scratch = Path(tempfile.mkdtemp(prefix=f".{GLYPHS_FOLDER}-", dir=target.folder))
    except OSError:
        log.warning("could not keep the typeset glyphs beside %s", target.folder, exc_info=True)
        return 0
    try:
        for name, svg in valid.items():
            (scratch / name).write_text(svg, encoding="utf-8")
            (scratch / name).chmod(0o444)
        scratch.chmod(0o755)
        scratch.rename(target.glyphs)
    except OSError:
        if not target.glyphs.is_dir():  # not another sandbox's glyphs that got there first
            log.warning("could not keep the typeset glyphs beside %s", target.folder, exc_info=True)
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return len(valid)


def forget() -> None:
    """Drop what this process remembers (the key's inputs, built folders, failures)."""
    identity.cache_clear()
    _built.clear()
    _failed.clear()


def _fail_once(key: str, reason: str) -> None:
    if key not in _failed:
        _failed.add(key)
        log.warning("no preloaded LaTeX format (formulas render, more slowly): %s", reason)


@lru_cache(maxsize=1)
def identity() -> tuple[str, str]:
    """Manim's default preamble and the key of the format made from it (once per process)."""
    preamble = default_preamble()
    names = [f"{LATEX}.fmt", MYLATEXFORMAT]
    for command, listed in _LOADS.findall(preamble):
        suffix = ".cls" if command == "documentclass" else ".sty"
        names += [name.strip() + suffix for name in listed.split(",") if name.strip()]
    with tempfile.TemporaryDirectory(prefix="chalk-texfmt-") as scratch:
        sources = _tex([KPSEWHICH, "-engine=pdftex", *names], Path(scratch)).stdout.split()
        version = _tex([LATEX, "--version"], Path(scratch)).stdout.splitlines()[:1]
    parts = [RECIPE, preamble, *version, importlib.metadata.version("manim")]
    for source in sources:
        stat = Path(source).stat()
        parts.append(f"{source}:{stat.st_size}:{stat.st_mtime_ns}")
    return preamble, hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def default_preamble() -> str:
    """Manim's default TexTemplate up to its \\begin{document}."""
    body = str(_manim_tex_module().TexTemplate().body)
    if BEGIN_DOCUMENT not in body:
        raise ValueError("Manim's default TeX template has no \\begin{document}")
    return body.split(BEGIN_DOCUMENT, 1)[0]


def _manim_tex_module() -> ModuleType:
    # manim/utils/tex.py is loaded from its file alone: it needs only the standard library,
    # while importing the `manim` package costs ~1.5 s that the supervisor never pays.
    manim = importlib.util.find_spec("manim")
    if manim is None or manim.origin is None:
        raise ImportError("Manim is not installed")
    name = "_chalk_manim_tex_template"
    spec = importlib.util.spec_from_file_location(
        name, Path(manim.origin).with_name("utils") / "tex.py"
    )
    if spec is None or spec.loader is None:
        raise ImportError("Manim's TeX template module was not found")
    module = importlib.util.module_from_spec(spec)
    # Under a lock: the selftest's canaries start their sandboxes from several threads.
    with _LOADING:
        sys.modules[name] = module  # dataclasses looks its module up while building the class
        try:
            spec.loader.exec_module(module)
        finally:
            del sys.modules[name]
    return module


def _build(target: TexFormat, copy_from: Path | None) -> None:
    """Make `target` in a scratch folder beside it, check it, and rename it into place."""
    target.folder.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=target.folder.parent))
    try:
        if copy_from is not None and (copy_from / FILE).is_file():
            _link_or_copy(copy_from / FILE, scratch / FILE)  # checked when it was dumped
            if (copy_from / GLYPHS_FOLDER).is_dir():
                (scratch / GLYPHS_FOLDER).mkdir(mode=0o755)
                for glyph in (copy_from / GLYPHS_FOLDER).iterdir():
                    _link_or_copy(glyph, scratch / GLYPHS_FOLDER / glyph.name)
                    (scratch / GLYPHS_FOLDER / glyph.name).chmod(0o444)
        else:
            _dump(scratch, target.preamble)
            _inflate_checked(scratch, target.preamble)
        for leftover in scratch.iterdir():
            if leftover.name not in (FILE, GLYPHS_FOLDER):
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        (scratch / FILE).chmod(0o444)
        scratch.chmod(0o755)
        try:
            scratch.rename(target.folder)
        except OSError:
            if not target.file.is_file():  # not another process that got there first
                raise
        else:
            log.info("built the preloaded LaTeX format %s", target.folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _link_or_copy(source: Path, target: Path) -> None:
    """One read-only file in both places where the file system allows (18 MB each else)."""
    try:
        target.hardlink_to(source)
    except OSError:
        shutil.copyfile(source, target)


def _dump(scratch: Path, preamble: str) -> None:
    (scratch / "preamble.tex").write_text(
        f"{preamble}{BEGIN_DOCUMENT}\n\\end{{document}}\n", encoding="utf-8"
    )
    # `&latex` starts from LaTeX's own format; mylatexformat reads the preamble and dumps.
    command = [ETEX, "-ini", *BATCH, f"-jobname={NAME}", f"&{LATEX}", MYLATEXFORMAT]
    result = _tex([*command, "preamble.tex"], scratch)
    if result.returncode != 0 or not (scratch / FILE).is_file():
        raise BuildError(f"{ETEX} could not dump the format: {_log_tail(scratch / NAME)}")


def _inflate_checked(scratch: Path, preamble: str) -> None:
    """Store the format uncompressed, if TeX reads it so: TeX dumps formats gzipped and
    inflating 18 MB is most of a run with one (0.10 s against 0.04 s here), while zlib reads
    a file that is not gzipped as it is. Else keep it as dumped."""
    dumped = (scratch / FILE).read_bytes()
    if dumped[:2] != b"\x1f\x8b":  # not gzipped: nothing to inflate
        _check(scratch, preamble)
        return
    (scratch / FILE).write_bytes(gzip.decompress(dumped))
    try:
        _check(scratch, preamble)
    except BuildError:
        log.warning("TeX does not read an uncompressed format here; keeping it compressed")
        (scratch / FILE).write_bytes(dumped)
        _check(scratch, preamble)


def _check(scratch: Path, preamble: str) -> None:
    """Typeset one formula with the format, as the sandbox will, before anyone relies on it."""
    (scratch / "check.tex").write_text(
        f"{preamble}{BEGIN_DOCUMENT}\n$x^2$\n\\end{{document}}\n", encoding="utf-8"
    )
    (scratch / "check.dvi").unlink(missing_ok=True)
    result = _tex([LATEX, *BATCH, f"-fmt={scratch / FILE}", "check.tex"], scratch)
    if result.returncode != 0 or not (scratch / "check.dvi").is_file():
        raise BuildError(f"the new format does not typeset: {_log_tail(scratch / 'check')}")


def _tex(command: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    """A TeX program run in `folder` with an environment like the sandbox's: no shell escape,
    no writes outside the folder, no user's own TeX tree."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(folder),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "shell_escape": "f",
        "openout_any": "p",
        "TEXMFVAR": f"{folder}/.texmf-var",
        "TEXMFCONFIG": f"{folder}/.texmf-config",
    }
    return subprocess.run(
        command,
        cwd=folder,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TEX_TIMEOUT_S,
        check=False,
    )


def _log_tail(stem: Path) -> str:
    try:
        return stem.with_suffix(".log").read_text(errors="replace")[-600:]
    except OSError:
        return "no log"
