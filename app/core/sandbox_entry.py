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
        }
    )


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


# --- layout probe ------------------------------------------------------------------------
# Chalk's layout check: bounding boxes of what is on screen after every play() (so also at
# the end: frames are only drawn by play/wait), sent as `layout` messages during the measuring
# pass; app/core/layout.py (outside the sandbox) turns them into warnings. It only reads
# positions and must never fail a render.

LAYOUT_MAX_SNAPSHOTS = 200
LAYOUT_MAX_CALLS = 2000
LAYOUT_MAX_ITEMS = 80


class LayoutProbe:
    def __init__(self, scene_class: type) -> None:
        self.scene_class = scene_class
        self.original_play = scene_class.play  # type: ignore[attr-defined]
        self.sent = self.calls = 0
        self.last: object = None
        probe = self

        def play(scene: object, *args: object, **kwargs: object) -> object:
            result = probe.original_play(scene, *args, **kwargs)
            probe.snapshot(scene, sys._getframe(1))
            return result

        scene_class.play = play  # type: ignore[attr-defined]

    def remove(self) -> None:
        self.scene_class.play = self.original_play  # type: ignore[attr-defined]

    def snapshot(self, scene: object, caller: object) -> None:
        self.calls += 1
        if self.sent >= LAYOUT_MAX_SNAPSHOTS or self.calls > LAYOUT_MAX_CALLS:
            return
        try:
            message = self._snapshot(scene, caller)
        except Exception:
            return
        if message is None or message["items"] == self.last:
            return
        self.last = message["items"]
        self.sent += 1
        send(message)

    def _snapshot(self, scene: object, caller: object) -> dict[str, object] | None:
        import numpy as np
        from manim import (
            DecimalNumber,
            Group,
            MarkupText,
            Mobject,
            Paragraph,
            SingleStringMathTex,
            Text,
            VGroup,
            VMobject,
        )
        from manim.camera.three_d_camera import ThreeDCamera

        camera = scene.renderer.camera  # type: ignore[attr-defined]
        if isinstance(camera, ThreeDCamera):
            return None  # a projection: 2D boxes would mislead
        text_types = (Text, MarkupText, Paragraph, SingleStringMathTex, DecimalNumber)
        scene_file = str(Path.cwd() / SCENE_FILE)
        frame = caller
        for _ in range(50):  # up to the user's play()/wait() call
            if frame is None or frame.f_code.co_filename == scene_file:  # type: ignore[attr-defined]
                break
            frame = frame.f_back  # type: ignore[attr-defined]
        names: dict[int, str] = {}
        if frame is not None:
            for name, value in list(frame.f_locals.items()):  # type: ignore[attr-defined]
                if isinstance(value, Mobject):
                    names.setdefault(id(value), str(name))

        def box(mob: object) -> list[float] | None:
            parts = []
            for m in mob.get_family():  # type: ignore[attr-defined]
                if not isinstance(m, VMobject) or len(m.points) == 0:
                    continue
                fill = float(np.max(m.get_fill_opacities(), initial=0))
                stroke = float(np.max(m.get_stroke_opacities(), initial=0))
                if fill > 0.01 or (stroke > 0.01 and m.get_stroke_width() > 0):
                    parts.append(m.points[:, :2])
            if not parts:
                return None
            points = np.concatenate(parts)
            low, high = points.min(axis=0), points.max(axis=0)
            return [round(float(v), 3) for v in (low[0], low[1], high[0], high[1])]

        def label(mob: object) -> str:
            for attribute in ("original_text", "tex_string", "number"):
                value = getattr(mob, attribute, None)
                if isinstance(value, str):
                    return " ".join(value.split())[:60]
                if isinstance(value, (int, float)):
                    return f"{value:g}"
            return ""

        def texts_inside(mob: object) -> list[object]:
            found: list[object] = []
            for sub in mob.submobjects:  # type: ignore[attr-defined]
                if isinstance(sub, text_types):
                    found.append(sub)
                elif type(sub) in (VGroup, Group) or type(sub).__module__ == "scene":
                    found.extend(texts_inside(sub))
            return found

        items: list[dict[str, object]] = []

        def add(mob: object, top: int | None) -> None:
            bounds = box(mob)
            if bounds is not None and len(items) < LAYOUT_MAX_ITEMS:
                is_text = isinstance(mob, text_types)
                items.append(
                    {
                        "id": id(mob),
                        "kind": type(mob).__name__[:40],
                        "name": names.get(id(mob), "")[:40],
                        "label": label(mob) if is_text else "",
                        "text": is_text,
                        "top": top,
                        "box": bounds,
                    }
                )

        on_screen = list(scene.mobjects) + list(scene.foreground_mobjects)  # type: ignore[attr-defined]
        for mob in on_screen:
            add(mob, None)
            if not isinstance(mob, text_types):
                for text in texts_inside(mob):
                    add(text, id(mob))
        center = camera.frame_center
        half_w, half_h = camera.frame_width / 2, camera.frame_height / 2
        return {
            "event": "layout",
            "t": round(float(scene.renderer.time), 3),  # type: ignore[attr-defined]
            "line": frame.f_lineno if frame is not None else None,  # type: ignore[attr-defined]
            "frame": [
                round(float(v), 3)
                for v in (
                    center[0] - half_w,
                    center[1] - half_h,
                    center[0] + half_w,
                    center[1] + half_h,
                )
            ],
            "items": items,
        }


def load_confine() -> object:
    # confine.py sits beside this file (`python -I` does not put this directory on sys.path).
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    import confine

    return confine


def confine_self(spec: dict, parent: int, go_fd: int | None = None) -> list[str]:
    """Drop to the job's uid and lock the process down; nothing of the scene has run yet."""
    confine = load_confine()
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
        return zygote(int(sys.argv[2]))
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


def zygote(control_fd: int) -> int:
    import socket

    control = socket.socket(fileno=control_fd)
    load_confine()
    preload()
    warm_up()
    control.send(json.dumps({"event": "ready"}).encode())
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
                os._exit(code)
        for fd in fds:
            os.close(fd)
        _, status = os.waitpid(pid, 0)
        returncode = os.waitstatus_to_exitcode(status)
        control.send(json.dumps({"event": "exit", "returncode": returncode}).encode())


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


def render(spec: dict) -> int:
    """Measure the scene, then render it to out/video.mp4 and out/thumbnail.png."""
    import importlib.util

    from manim import Scene, tempconfig
    from manim.renderer.cairo_renderer import CairoRenderer

    work = Path.cwd()
    settings = {
        "media_dir": str(work / "media"),
        "pixel_width": spec["width"],
        "pixel_height": spec["height"],
        "frame_rate": spec["fps"],
        # Keep the frame 8 units high, as Manim's default, and derive the width.
        "frame_height": 8.0,
        "frame_width": 8.0 * spec["width"] / spec["height"],
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
        "write_to_movie": True,
        "format": "mp4",
        "output_file": "video",
    }

    spec_loader = importlib.util.spec_from_file_location("scene", work / SCENE_FILE)
    assert spec_loader is not None and spec_loader.loader is not None

    def load_scene_class() -> type:
        module = importlib.util.module_from_spec(spec_loader)
        spec_loader.loader.exec_module(module)  # type: ignore[union-attr]
        scene_class = vars(module).get(spec["scene"])
        if not (isinstance(scene_class, type) and issubclass(scene_class, Scene)):
            raise LookupError(f"{spec['scene']} is not a Scene class")
        return scene_class

    # Pass 1: run construct() without drawing frames to learn the length; this refuses a
    # `self.wait(10**9)` in a fraction of a second and gives progress a denominator.
    stage = "measure"
    probe = LayoutProbe(Scene)
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
    send({"event": "measured", "seconds": total_seconds})
    if total_seconds > spec["max_seconds"]:
        send({"event": "too_long", "seconds": total_seconds})
        return 1

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
    send({"event": "done", "seconds": total_seconds, "frames": counted["frames"]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
