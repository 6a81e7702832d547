"""The program that runs inside the sandbox and renders one scene.

It is started by app/core/sandbox.py as `python -I sandbox_entry.py SPEC_JSON`, with the job's
work directory as its current directory, and deliberately imports nothing from `app`: only
this file, the standard library and Manim are visible inside the sandbox.

Order matters: privileges are dropped and hard limits set *before* the untrusted scene is
imported, so nothing the scene does can undo them. Messages to the supervisor are JSON lines
on the file descriptor named in the spec; stdout/stderr are only logs.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import traceback
from pathlib import Path

SCENE_FILE = "scene.py"
OUT_DIR = "out"
VIDEO_NAME = "video.mp4"
THUMBNAIL_NAME = "thumbnail.png"
PROTOCOL = {"fd": -1}


def send(message: dict[str, object]) -> None:
    try:
        os.write(PROTOCOL["fd"], (json.dumps(message) + "\n").encode())
    except OSError:
        pass


def drop_privileges(uid: int | None, gid: int | None) -> None:
    """Become the per-job unprivileged user (only possible, and needed, when started as root)."""
    if os.getuid() != 0 or uid is None or gid is None:
        return
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if os.getuid() == 0 or os.geteuid() == 0:
        raise SystemExit("refusing to run as root")


def set_limits(limits: dict[str, int]) -> None:
    """Hard limits: soft == hard, so the scene cannot raise them again."""
    names = {
        "as": resource.RLIMIT_AS,
        "cpu": resource.RLIMIT_CPU,
        "nproc": resource.RLIMIT_NPROC,
        "fsize": resource.RLIMIT_FSIZE,
        "nofile": resource.RLIMIT_NOFILE,
        "core": resource.RLIMIT_CORE,
    }
    for name, value in limits.items():
        resource.setrlimit(names[name], (value, value))


def lower_priority(nice: int) -> None:
    """Run at niceness `nice` (never higher priority than now): an unprivileged scene cannot
    raise it again. Called before the uid changes: /proc/self then still belongs to us."""
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if nice > current:
        os.setpriority(os.PRIO_PROCESS, 0, nice)
    lower_session_priority(nice)


AUTOGROUP = Path("/proc/self/autogroup")


def lower_session_priority(nice: int) -> None:
    """Give this session's scheduling group niceness `nice` too. Where the kernel groups
    processes by session (sched_autogroup_enabled), a process's nice ranks it only inside its
    group, and the CPU is shared between groups as if each were one process at the group's
    nice. Every sandbox is a session of its own (bwrap --new-session; a warm job's setsid()),
    so without this a render at nice 10 took as much CPU as the pages and the API."""
    try:
        current = int(AUTOGROUP.read_text().split()[-1])  # "/autogroup-85 nice 0"
    except (OSError, ValueError, IndexError):
        # A kernel without autogroups, or init's session (an empty file: the root group, which
        # cannot be reweighted): the process nice above is what counts.
        return
    if nice <= current:
        return
    # An unprivileged change is allowed once per 100 ms machine-wide (EAGAIN meanwhile).
    for _ in range(30):
        try:
            AUTOGROUP.write_text(str(nice))
            return
        except BlockingIOError:
            time.sleep(0.02)
        except OSError as exc:
            print(f"the render's session keeps its CPU priority: {exc}", file=sys.stderr)
            return
    print("the render's session keeps its CPU priority: the kernel was busy", file=sys.stderr)


def scene_line(tb: traceback.StackSummary) -> int | None:
    """The deepest line of the user's scene file in a traceback."""
    line = None
    scene_path = str(Path.cwd() / SCENE_FILE)
    for frame in tb:
        if frame.filename == scene_path:
            line = frame.lineno
    return line


def report_exception(exc: BaseException, stage: str) -> None:
    summary = traceback.extract_tb(exc.__traceback__)
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    send(
        {
            "event": "error",
            "stage": stage,
            "type": type(exc).__name__,
            "message": str(exc)[:2000],
            "line": scene_line(summary),
            "traceback": text[-8000:],
            "suggestion": suggestion(exc),
        }
    )


def suggestion(exc: BaseException) -> str | None:
    """The name the scene most likely meant by a missing one (Python's own "Did you mean"
    gives up beyond 750 names, and `from manim import *` brings more); None also when the
    scene's own objects make the search fail (their __dir__ is theirs)."""
    try:
        return _closest_name(exc)
    except Exception:
        return None


def _closest_name(exc: BaseException) -> str | None:
    import builtins
    import difflib

    name = getattr(exc, "name", None)
    if not isinstance(name, str):
        return None
    if isinstance(exc, AttributeError):
        candidates = [n for n in dir(getattr(exc, "obj", None)) if not n.startswith("_")]
    elif isinstance(exc, NameError):
        tb, scene_path, frame = exc.__traceback__, str(Path.cwd() / SCENE_FILE), None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == scene_path:
                frame = tb.tb_frame
            tb = tb.tb_next
        if frame is None:
            return None
        candidates = [*frame.f_locals, *frame.f_globals, *vars(builtins)]
    else:
        return None
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.7)
    return close[0] if close else None


# Trusted modules imported before privileges are dropped: in "process" mode the per-job uid
# may not be able to read the Python install (e.g. one under /root), and scenes may import
# these. Nothing from the scene has run yet at that point.
PRELOAD = (
    "importlib.util",
    "ctypes",
    "socket",
    "math",
    "cmath",
    "random",
    "itertools",
    "functools",
    "typing",
    "dataclasses",
    "fractions",
    "statistics",
    "string",
    "colour",
    "numpy",
    "numpy.random",
    "numpy.linalg",
    "PIL.Image",
    "PIL.PngImagePlugin",
    "av",
    "manim",
    "pyseccomp",
    "encodings.ascii",
    "encodings.latin_1",
    "encodings.utf_8",
    "encodings.idna",
    "xml.etree.ElementTree",
    "json",
    "traceback",
    "subprocess",
    "tempfile",
    "shutil",
)


def preload() -> None:
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            continue


def load_confine() -> object:
    # confine.py and the probes (layout_probe.py, frame_probe.py, flash_meter.py) sit beside
    # this file (`python -I` does not put this directory on sys.path); they are imported from
    # there, not from `app`.
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    import confine

    return confine


def confine_self(spec: dict, parent: int, go_fd: int | None = None) -> list[str]:
    """Drop to the job's uid and lock the process down; nothing of the scene has run yet."""
    confine = load_confine()
    # Before the uid changes: a process whose uid changed can no longer write its /proc files.
    lower_priority(spec.get("nice", 0))
    drop_privileges(spec.get("uid"), spec.get("gid"))
    # Changing uid clears the parent-death signal; set it again so that this process dies
    # with its supervisor even without bubblewrap (which also does this for its own tree).
    confine.die_with_parent(parent)  # type: ignore[attr-defined]
    set_limits(spec["limits"])
    if go_fd is not None:
        wait_for_go(go_fd)
    paths = spec["confine"]
    layers = confine.apply_landlock(paths["read"], paths["write"], paths["write_files"])  # type: ignore[attr-defined]
    return layers + confine.apply_seccomp()  # type: ignore[attr-defined]


def wait_for_go(go_fd: int) -> None:
    """Warm path: the supervisor moves this process into the job's memory cgroup, then says go."""
    import select

    ready, _, _ = select.select([go_fd], [], [], 30)
    if not ready or os.read(go_fd, 1) != b"g":
        raise SystemExit("the supervisor never admitted this job")
    os.close(go_fd)


def main() -> int:
    if sys.argv[1] == "--zygote":
        return zygote(int(sys.argv[2]), json.loads(sys.argv[3]) if len(sys.argv) > 3 else None)
    spec = json.loads(sys.argv[1])
    PROTOCOL["fd"] = spec["protocol_fd"]
    load_confine()
    parent = os.getppid()
    preload()
    layers = confine_self(spec, parent)
    send({"event": "started", "uid": os.getuid(), "layers": layers})
    return render(spec)


# --- warm zygote ---------------------------------------------------------------------------
# The warm pool (app/core/warm.py) starts this program once per warm sandbox: it imports Manim
# as the cold path does, then forks one child per job. The zygote never runs scene code; each
# child becomes exactly what the cold path runs (per-job uid, limits, Landlock, seccomp) before
# it imports the scene, and dies with the zygote, which dies with its bubblewrap.


def zygote(control_fd: int, tex_format: dict | None = None) -> int:
    import socket

    control = socket.socket(fileno=control_fd)
    load_confine()
    preload()
    warm_up()
    kept = kept_glyphs(tex_format)
    typeset = {} if kept else typeset_glyphs(tex_format)
    TEX_GLYPHS.update(kept or typeset)
    # What this zygote typeset before any job existed goes to the supervisor, which keeps it
    # beside the format for the next warm sandbox (app/core/tex_format.py's keep_glyphs).
    glyphs = {name: svg.decode() for name, svg in typeset.items()}
    try:
        control.send(json.dumps({"event": "ready", "glyphs": glyphs}).encode())
    except OSError:  # more than the socket carries in one message: only speed is lost
        control.send(json.dumps({"event": "ready", "glyphs": {}}).encode())
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 1 << 16, 3)
        except OSError:
            return 0
        if not message:
            return 0  # the supervisor closed the pool
        if len(fds) != 3:
            for fd in fds:
                os.close(fd)
            return 1
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                code = job_child(json.loads(message), *fds)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                traceback.print_exc()
            finally:
                flush_output()  # os._exit skips it, and a job's last prints would be lost
                os._exit(code)
        for fd in fds:
            os.close(fd)
        _, status = os.waitpid(pid, 0)
        returncode = os.waitstatus_to_exitcode(status)
        control.send(json.dumps({"event": "exit", "returncode": returncode}).encode())


def flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def warm_up() -> None:
    """Render a tiny scene of Chalk's own once, so that what Manim, Pango, Cairo and the video
    encoder set up lazily on first use is already set up in every forked job.

    It writes only to a scratch folder under /tmp (the job's tmp/, empty before the first job)
    and removes it; no job exists yet.
    """
    import shutil
    import tempfile

    from manim import Circle, Create, Scene, Square, Text, tempconfig

    class WarmUp(Scene):
        def construct(self) -> None:
            label = Text("Chalk")
            self.play(Create(Circle()), run_time=0.2)
            self.play(Create(Square()), label.animate.shift((1.0, 0.0, 0.0)), run_time=0.2)

    scratch = tempfile.mkdtemp(prefix="warmup-")
    try:
        with tempconfig(
            {
                "media_dir": scratch,
                "pixel_width": 160,
                "pixel_height": 90,
                "frame_rate": 15,
                "disable_caching": True,
                "progress_bar": "none",
                "verbosity": "WARNING",
                "write_to_movie": True,
                "format": "mp4",
                "output_file": "warmup",
            }
        ):
            WarmUp().render()
    except Exception:
        traceback.print_exc()  # a failed warm-up only costs speed
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# Axis numbers and DecimalNumber typeset each digit, sign and point as its own formula: a
# dozen LaTeX runs (about 1.5 s) in every scene with numbers. The first zygote with a format
# typesets them, before any job exists, and the supervisor keeps them read-only beside the
# format, where later zygotes read them instead (about 0.9 s of CPU each), as do cold jobs
# under bubblewrap. Each job starts with the SVGs in its own Tex folder, where Manim finds them
# (what a job does to its copies stays in that job).
GLYPHS = tuple("0123456789-.xy")
TEX_GLYPHS: dict[str, bytes] = {}


def kept_glyphs(tex_format: dict | None) -> dict[str, bytes]:
    """The glyph SVGs the supervisor keeps beside the format, by file name ({} if none)."""
    if not tex_format or not tex_format.get("glyphs"):
        return {}
    folder = Path(tex_format["glyphs"])
    try:
        return {path.name: path.read_bytes() for path in folder.glob("*.svg")}
    except OSError:
        return {}


def typeset_glyphs(tex_format: dict | None) -> dict[str, bytes]:
    """The SVGs Manim makes for GLYPHS with its default template, by file name; {} if any
    fails (a job then typesets them itself)."""
    import shutil
    import tempfile

    from manim import MathTex, tempconfig
    from manim.utils import tex_file_writing as writing

    scratch = tempfile.mkdtemp(prefix="glyphs-")
    plain_compile, plain_convert = writing.compile_tex, writing.convert_to_svg
    # dvisvgm keeps a font cache in ~/.cache (/job/.cache): no job exists yet to own it.
    cache = Path.home() / ".cache"
    cache_existed = cache.exists()
    try:
        use_tex_format(tex_format)  # undone below: each job patches the plain functions
        convert_without_ghostscript()
        with tempconfig({"media_dir": scratch, "verbosity": "WARNING"}):
            for glyph in GLYPHS:
                MathTex(glyph)
        folder = Path(scratch) / "Tex"
        return {path.name: path.read_bytes() for path in folder.glob("*.svg")}
    except Exception:
        traceback.print_exc()  # only costs speed
        return {}
    finally:
        writing.compile_tex, writing.convert_to_svg = plain_compile, plain_convert
        shutil.rmtree(scratch, ignore_errors=True)
        if not cache_existed:
            shutil.rmtree(cache, ignore_errors=True)


def write_glyphs(tex_dir: Path, tex_format: dict | None) -> None:
    """Put the typeset glyphs where Manim looks before it runs LaTeX: the zygote's, or in a
    cold job those kept beside the format (none yet: the job typesets what it uses)."""
    glyphs = TEX_GLYPHS or kept_glyphs(tex_format)
    if not glyphs:
        return
    tex_dir.mkdir(parents=True, exist_ok=True)
    for name, svg in glyphs.items():
        (tex_dir / name).write_bytes(svg)


def job_child(spec: dict, protocol_fd: int, log_fd: int, go_fd: int) -> int:
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    # Only the job's own channels stay open: not the zygote's control socket.
    keep = {0, 1, 2, protocol_fd, go_fd}
    for name in os.listdir("/proc/self/fd"):
        if int(name) not in keep:
            try:
                os.close(int(name))
            except OSError:
                pass
    PROTOCOL["fd"] = protocol_fd
    # A fork copies the zygote's random state; give each job fresh seeds, as a new process has.
    import random

    import numpy

    random.seed()
    numpy.random.seed()
    layers = confine_self(spec, os.getppid(), go_fd)
    send({"event": "started", "uid": os.getuid(), "layers": layers})
    return render(spec)


def use_tex_format(tex_format: dict | None) -> dict[str, int]:
    """Typeset with the preloaded LaTeX format (app/core/tex_format.py) what it was made for:
    a `latex` run to DVI of a .tex file whose preamble is exactly Manim's default one. Any
    other file (a scene's own TexTemplate, xelatex, lualatex) takes Manim's plain run, as does
    every file when the format does not load. A formula that fails after the format loaded is
    reported from that run's log as Manim reports it (its plain run would fail the same way).

    Returns the counts of formulas typeset each way (all plain without a usable format), kept
    up to date for the `done` message.
    The scene could undo this patch; it would only make its own formulas slower.
    """
    import subprocess

    from manim import config
    from manim.utils import tex_file_writing as writing

    counts = {"format": 0, "plain": 0}
    usable = tex_format if tex_format and os.path.isfile(tex_format["path"]) else {}
    fmt_option = "-fmt=" + str(usable.get("path"))
    preamble = usable.get("preamble")
    format_name = Path(str(usable.get("path"))).stem  # the name TeX gives it in its logs
    plain_compile = writing.compile_tex

    def made_for(tex_file: Path) -> bool:
        if not usable:
            return False
        try:
            text = tex_file.read_text(encoding="utf-8")
        except (OSError, ValueError):
            return False
        before, begin, _ = text.partition("\\begin{document}")
        return bool(begin) and before == preamble

    def loaded_format(log_file: Path) -> bool:
        """Whether a run's log says it started from the format: TeX writes no log at all when
        a format does not load, and names the one it loaded on the log's first line."""
        try:
            with log_file.open(encoding="utf-8", errors="replace") as log:
                return f"(preloaded format={format_name} " in log.readline()
        except OSError:
            return False

    def compile_tex(tex_file: Path, tex_compiler: str | list[str], output_format: str) -> Path:
        result = tex_file.with_suffix(output_format)
        if tex_compiler == "latex" and output_format == ".dvi" and made_for(tex_file):
            if result.exists():
                return result
            command = writing.make_tex_compilation_command(
                "latex", output_format, tex_file, config.get_dir("tex_dir")
            )
            command.insert(1, fmt_option)
            log_file = tex_file.with_suffix(".log")
            log_file.unlink(missing_ok=True)  # judged below: this run's log alone
            typeset = subprocess.run(command, stdout=subprocess.DEVNULL).returncode == 0
            if typeset and result.exists():
                counts["format"] += 1
                return result
            result.unlink(missing_ok=True)  # half a DVI would pass for Manim's own
            if loaded_format(log_file):
                # The formula itself failed, after the format (this very preamble) loaded: plain
                # LaTeX fails the same way, so report it as Manim does without a second run.
                writing.print_all_tex_errors(log_file, tex_compiler, tex_file)
                raise ValueError(
                    f"{tex_compiler} error converting to {output_format[1:]}. See log output "
                    f"above or the log file: {log_file}"
                )
        counts["plain"] += 1
        return plain_compile(tex_file, tex_compiler, output_format)

    writing.compile_tex = compile_tex
    return counts


def convert_without_ghostscript() -> dict[str, int]:
    """Convert a DVI that draws no PostScript (app/core/dvi_specials.py) with Ghostscript out of
    reach: dvisvgm then skips starting it, a third of its time per formula, and draws the same.
    Under bubblewrap Ghostscript's files are moved (app/core/sandbox.py) and CHALK_GS_* say
    where; any other file gets them as GS_*. In process mode nothing changes.

    Returns the counts of files converted each way, kept up to date for the `done` message.
    """
    import subprocess

    from dvi_specials import needs_postscript  # beside this file
    from manim.utils import tex_file_writing as writing

    counts = {"without_ghostscript": 0, "with_ghostscript": 0}
    moved = {key: os.environ.get(f"CHALK_{key}", "") for key in ("GS_LIB", "GS_OPTIONS")}
    if not all(moved.values()):
        return counts
    plain_convert = writing.convert_to_svg

    def convert_to_svg(dvi_file: Path, extension: str, page: int = 1) -> Path:
        result = dvi_file.with_suffix(".svg")
        if extension == ".dvi" and not needs_postscript(dvi_file):
            # Manim's own command; Ghostscript's "can't find gs_init.ps" is expected here.
            command = ["dvisvgm", f"--page={page}", "--no-fonts", "--verbosity=0"]
            command += [f"--output={result.as_posix()}", dvi_file.as_posix()]
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if result.exists():
                counts["without_ghostscript"] += 1
                return result
        counts["with_ghostscript"] += 1
        os.environ.update(moved)
        try:
            return plain_convert(dvi_file, extension, page)
        finally:
            for key in moved:
                os.environ.pop(key, None)

    writing.convert_to_svg = convert_to_svg
    return counts


def share_parsed_svg_paths() -> None:
    """Copies of a glyph share the parsed SVG path it was built from instead of deep-copying it.

    Manim reads a VMobjectFromSVGPath's `path_obj` only to build its points and never changes
    it, yet Mobject.copy(), which every Transform, Write and FadeIn begins with, copied its
    hundreds of svgelements objects per glyph each time: about 40 % of a scene's construction
    (bench/svg_copies.py). The points and everything else are still copied.
    """
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    copy_everything = super(VMobjectFromSVGPath, VMobjectFromSVGPath).__deepcopy__

    def deepcopy_sharing_the_path(self: VMobjectFromSVGPath, memo: dict) -> VMobjectFromSVGPath:
        path = getattr(self, "path_obj", None)
        if path is not None:
            memo.setdefault(id(path), path)  # deepcopy returns what memo holds for an id
        return copy_everything(self, memo)

    VMobjectFromSVGPath.__deepcopy__ = deepcopy_sharing_the_path  # type: ignore[method-assign,assignment]


# --- narration ------------------------------------------------------------------------------
# Scenes call `narrate("...")` (a global, no import) right before each visual step. Without
# narration it does nothing. With narration the supervisor passes each sentence's spoken length
# (measured by the worker's speech engine on a first, measuring run): the scene then waits so
# that every step lasts at least as long as its sentence, and the time each sentence starts is
# reported, for the worker to place the speech and the captions there. Inside a step,
# `wait_for_word("radius")` waits until that word of the step's sentence is heard: the
# worker passes each word's start as the speech engine timed it (piper's phoneme alignments).

NARRATION_MAX_CALLS = 100
NARRATION_MAX_CHARS = 1200
NARRATION_GAP_S = 0.25  # a breath between two sentences


def narrate_silently(text: object = "", *args: object, **kwargs: object) -> None:
    """narrate() and wait_for_word() when the video is silent: no-ops, so silent renders are
    unchanged."""


def _word_key(word: object) -> str:
    """A word as wait_for_word() matches it: lower case, without the punctuation around it."""
    return str(word).strip(".,;:!?\"'()[]…—–-").casefold()


class Narrator:
    def __init__(self, durations: list[float], words: list[object] | None = None) -> None:
        self.durations = [float(d) for d in durations if isinstance(d, (int, float))]
        # Per sentence: [(word, start in its speech)], from the worker (trusted).
        self.words: list[list[tuple[str, float]]] = [
            [
                (_word_key(w[0]), float(w[1]))
                for w in sentence
                if isinstance(w, list) and len(w) == 2
            ]
            for sentence in (words or [])
            if isinstance(sentence, list)
        ]
        self.scene: object = None
        self.starts: list[float] = []
        self.heard = 0  # words of the current sentence already waited for
        self.stage = "measure"  # which pass the reported times belong to

    def bind(self, scene: object) -> None:
        self.scene, self.starts, self.heard = scene, [], 0

    def now(self) -> float:
        return float(self.scene.renderer.time)  # type: ignore[attr-defined]

    def wait_for_speech(self) -> None:
        """Let the previous sentence finish before the next step starts."""
        if self.scene is None or not self.starts:
            return
        index = len(self.starts) - 1
        spoken = self.durations[index] if index < len(self.durations) else 0.0
        remaining = self.starts[-1] + spoken + NARRATION_GAP_S - self.now()
        if spoken > 0 and remaining > 1e-3:
            self.scene.wait(remaining)  # type: ignore[attr-defined]

    def narrate(self, text: object = "", *args: object, **kwargs: object) -> None:
        if self.scene is None or len(self.starts) >= NARRATION_MAX_CALLS:
            return
        self.wait_for_speech()
        self.starts.append(self.now())
        self.heard = 0
        sentence = text if isinstance(text, str) else str(text)
        send(
            {
                "event": "narration",
                "index": len(self.starts) - 1,
                "text": sentence[:NARRATION_MAX_CHARS],
                "at": self.starts[-1],
                "pass": self.stage,
            }
        )

    def wait_for_word(self, word: object = "", *args: object, **kwargs: object) -> None:
        """Wait until `word` (its next use in the current sentence) is heard. Without word
        timings (the measuring pass, a word the sentence does not say) it does nothing."""
        if self.scene is None or not self.starts or len(self.starts) > len(self.words):
            return
        index = len(self.starts) - 1
        spoken = self.words[index]
        wanted = _word_key(word)
        for position in range(self.heard, len(spoken)):
            if spoken[position][0] == wanted:
                break
        else:
            return
        self.heard = position + 1
        heard_at = self.starts[-1] + spoken[position][1]
        if heard_at - self.now() > 1e-3:
            self.scene.wait(heard_at - self.now())  # type: ignore[attr-defined]
        send(
            {
                "event": "narration_mark",
                "index": index,
                "word": wanted[:100],
                "at": self.now(),
                "pass": self.stage,
            }
        )

    def finish(self) -> None:
        self.wait_for_speech()


def narrated(scene_class: type, narrator: Narrator | None) -> type:
    """`scene_class` whose construct() binds the narrator and waits out the last sentence."""
    if narrator is None:
        return scene_class
    construct = scene_class.construct  # type: ignore[attr-defined]

    def construct_with_narration(self: object) -> None:
        narrator.bind(self)
        construct(self)
        narrator.finish()

    scene_class.construct = construct_with_narration  # type: ignore[attr-defined]
    return scene_class


def render(spec: dict) -> int:
    """Measure the scene, then render it to out/video.mp4 and out/thumbnail.png."""
    import importlib.util

    from frame_probe import FrameProbe  # beside this file, as is layout_probe
    from layout_probe import LayoutProbe  # beside this file (load_confine put it on the path)
    from manim import Scene, tempconfig
    from manim.renderer.cairo_renderer import CairoRenderer

    work = Path.cwd()
    # How the formulas were typeset and converted, kept up to date for the `done` message.
    formulas = {"tex": use_tex_format(spec.get("tex_format")), "svg": convert_without_ghostscript()}
    share_parsed_svg_paths()
    write_glyphs(work / "media" / "Tex", spec.get("tex_format"))  # Manim's tex_dir
    settings = {
        "media_dir": str(work / "media"),
        "pixel_width": spec["width"],
        "pixel_height": spec["height"],
        "frame_rate": spec["fps"],
        "frame_height": spec["frame_height"],
        "frame_width": spec["frame_width"],
        # Sized by the supervisor to the renders running at once (x264 would use every CPU).
        # x264's speed preset comes from the quality (a preview trades file size for CPU).
        "video_encoder_options": {
            "threads": str(spec["encoder_threads"]),
            "preset": str(spec["encoder_preset"]),
        },
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
        "write_to_movie": True,
        "format": "mp4",
        "output_file": "video",
    }

    spec_loader = importlib.util.spec_from_file_location("scene", work / SCENE_FILE)
    assert spec_loader is not None and spec_loader.loader is not None

    narration = spec.get("narration")
    narrator = (
        Narrator(narration.get("durations") or [], narration.get("words"))
        if isinstance(narration, dict)
        else None
    )

    def load_scene_class() -> type:
        module = importlib.util.module_from_spec(spec_loader)
        # A scene global, as if built in: a no-op unless this render is narrated.
        module.narrate = narrator.narrate if narrator else narrate_silently  # type: ignore[attr-defined]
        module.wait_for_word = narrator.wait_for_word if narrator else narrate_silently  # type: ignore[attr-defined]
        spec_loader.loader.exec_module(module)  # type: ignore[union-attr]
        scene_class = vars(module).get(spec["scene"])
        if not (isinstance(scene_class, type) and issubclass(scene_class, Scene)):
            raise LookupError(f"{spec['scene']} is not a Scene class")
        return narrated(scene_class, narrator)

    # Pass 1: run construct() without drawing frames to learn the length; this refuses a
    # `self.wait(10**9)` in a fraction of a second and gives progress a denominator.
    # No frame of this pass is kept and the layout probe reads positions, not pixels, so it
    # draws nothing either (Manim still draws each play's static frame when skipping).
    stage = "measure"
    probe = LayoutProbe(Scene, str(work / SCENE_FILE), send)
    original_update_frame = CairoRenderer.update_frame
    CairoRenderer.update_frame = lambda self, *args, **kwargs: None  # type: ignore[method-assign]
    try:
        with tempconfig({**settings, "dry_run": True}):
            scene = load_scene_class()(skip_animations=True)
            scene.render()
            total_seconds = float(scene.renderer.time)
    except Exception as exc:
        report_exception(exc, stage)
        return 1
    finally:
        probe.remove()
        CairoRenderer.update_frame = original_update_frame  # type: ignore[method-assign]
    send({"event": "measured", "seconds": total_seconds})
    if total_seconds > spec["max_seconds"]:
        send({"event": "too_long", "seconds": total_seconds})
        return 1
    if spec.get("measure_only"):  # app/core/render.py's measure_code: no frame is drawn
        send({"event": "done", "seconds": total_seconds, "frames": 0, **formulas})
        return 0

    # Pass 2: the real render, counting frames for progress.
    total_frames = max(1, int(total_seconds * spec["fps"]))
    max_frames = int(spec["max_seconds"] * spec["fps"]) + spec["fps"]
    counted = {"frames": 0, "sent_at": 0.0}
    original_add_frame = CairoRenderer.add_frame

    def add_frame(self: CairoRenderer, frame: object, num_frames: int = 1) -> None:
        if not self.skip_animations:
            counted["frames"] += num_frames
            if counted["frames"] > max_frames:
                raise OverflowError("the animation is longer than the allowed maximum")
            now = time.monotonic()
            if now - counted["sent_at"] > 0.25:
                counted["sent_at"] = now
                send({"event": "progress", "fraction": min(1.0, counted["frames"] / total_frames)})
        original_add_frame(self, frame, num_frames)  # type: ignore[arg-type]

    CairoRenderer.add_frame = add_frame  # type: ignore[method-assign]
    if narrator is not None:
        narrator.stage = "render"
    # Flashes and text contrast are measured on the frames as they are written.
    frames = FrameProbe(
        Scene,
        CairoRenderer,
        str(work / SCENE_FILE),
        (spec["width"], spec["height"], spec["fps"]),
        send,
    )
    stage = "render"
    try:
        with tempconfig(settings):
            scene = load_scene_class()()
            scene.render()
            out = work / OUT_DIR
            out.mkdir(exist_ok=True)
            videos = sorted((work / "media" / "videos").rglob("video.mp4"))
            if not videos:
                raise RuntimeError("Manim produced no video (did the scene play any animation?)")
            videos[-1].replace(out / VIDEO_NAME)
            # Thumbnail: the last frame, as the viewer sees it at the end.
            from PIL import Image

            Image.fromarray(scene.renderer.get_frame()).convert("RGB").save(out / THUMBNAIL_NAME)
    except Exception as exc:
        report_exception(exc, stage)
        return 1
    finally:
        frames.remove()
    frames.finish()
    send({"event": "done", "seconds": total_seconds, "frames": counted["frames"], **formulas})
    return 0


if __name__ == "__main__":
    sys.exit(main())
