"""Render Manim source to a gated MP4 and thumbnail: policy → sandbox → output gate."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from app.core import code_hints, output, policy, sandbox, tex_format, warm
from app.disk import require_free_space
from app.errors import ChalkError, InfrastructureError
from app.frame import FrameSpec, frame_spec
from app.settings import Settings, get_settings

log = logging.getLogger(__name__)

ProgressCallback = Callable[[float], None]
_T = TypeVar("_T")
# A warm sandbox lost mid-render: the job is re-queued; if that keeps happening, this is said.
SANDBOX_LOST_MESSAGE = "The render sandbox stopped unexpectedly while rendering; please try again."


@dataclass
class RenderResult:
    video: Path
    thumbnail: Path
    scene: str
    codec: str
    width: int
    height: int
    fps: float
    frames: int
    duration_s: float
    size_bytes: int
    render_s: float
    sandbox_layers: list[str] = field(default_factory=list)
    log_tail: str = ""
    # `layout` messages from the sandbox (untrusted; app/core/layout.py checks them).
    layout: list[dict[str, object]] = field(default_factory=list)
    # The `frame_checks` message: flashes and text contrast (app/core/frame_checks.py).
    frame_checks: list[dict[str, object]] = field(default_factory=list)
    # `narration` messages of the drawing pass (untrusted): each narrate() call's text and
    # the time its step started (app/speech/narration.py places the speech there).
    narration: list[dict[str, object]] = field(default_factory=list)
    # Set by narration: the WebVTT captions beside the video, and whether it has audio.
    captions: Path | None = None
    audio: bool = False

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["video"] = str(self.video)
        data["thumbnail"] = str(self.thumbnail)
        data.pop("log_tail")
        data.pop("layout")
        data.pop("frame_checks")
        data.pop("narration")
        data["captions"] = str(self.captions) if self.captions else None
        return data

    def video_info(self) -> dict[str, object]:
        """What the video itself is (the `video_info` of a job's JSON)."""
        return {
            "codec": self.codec,
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "frames": self.frames,
            "duration_s": round(self.duration_s, 3),
            "size_bytes": self.size_bytes,
        }


def encoder_threads(settings: Settings, concurrent_renders: int = 1) -> int:
    """x264 threads for one render: the setting, or the CPUs shared among the renders.

    Left to PyAV's default (auto), every render's x264 slices each frame over all the CPUs;
    with a render per CPU already those threads only wait on each other, and the CPU they
    spend synchronising is lost to the other workers.
    """
    if settings.encoder_threads:
        return settings.encoder_threads
    return max(1, len(os.sched_getaffinity(0)) // max(1, concurrent_renders))


def sized_for_concurrent_renders(settings: Settings, concurrent_renders: int) -> Settings:
    """The settings renders run with when `concurrent_renders` share this machine: the
    encoder threads sized to them (a `chalk worker -n N` pool, the app's inline pool)."""
    threads = encoder_threads(settings, concurrent_renders)
    return settings.model_copy(update={"encoder_threads": threads})


def limits_for(spec: FrameSpec, settings: Settings) -> sandbox.Limits:
    return sandbox.Limits(
        wall_s=spec.timeout_s,
        memory_bytes=settings.sandbox_memory_mb << 20,
        cpu_s=int(spec.timeout_s) + 5,
        processes=settings.sandbox_max_processes,
        file_bytes=settings.sandbox_max_file_mb << 20,
        open_files=settings.sandbox_max_open_files,
        workdir_bytes=settings.sandbox_max_workdir_mb << 20,
        log_bytes=settings.sandbox_max_log_kb << 10,
        nice=settings.sandbox_nice,
    )


def render_code(
    code: str,
    *,
    quality: str = "preview",
    aspect: str = "16:9",
    scene: str | None = None,
    out: Path | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    check_policy: bool = True,
    settings: Settings | None = None,
    narration: list[float] | None = None,
    narration_words: Sequence[Sequence[tuple[str, float]]] | None = None,
) -> RenderResult:
    """Render `code` in the sandbox and return the gated video; raise ChalkError on failure.

    `check_policy=False` skips the static policy (the sandbox still applies); it exists so
    the hostile-code corpus can prove the sandbox holds on its own. `narration` (the spoken
    length of each narrate() sentence, in order) makes the scene wait for its speech; None
    renders silently (narrate() is a no-op). `narration_words` (each sentence's words and
    when each starts in its speech) lets wait_for_word() wait for a word.
    """
    settings = settings or get_settings()
    spec = frame_spec(quality, aspect, settings)
    if check_policy:
        scene_name = policy.choose_scene(
            policy.check_code(code, max_bytes=settings.max_code_bytes), scene
        )
    else:
        # The sandbox alone must also cope with code the policy would refuse to parse.
        scene_name = scene or next(iter(policy.scene_names(code)), "Main")

    require_free_space(settings)  # before the sandbox writes anything
    out = out or settings.data_dir / "renders" / f"{uuid.uuid4().hex}.mp4"
    out.parent.mkdir(parents=True, exist_ok=True)
    settings.work_root.mkdir(parents=True, exist_ok=True)

    def on_message(message: dict[str, object]) -> None:
        if on_progress and message.get("event") == "progress":
            fraction = message.get("fraction")
            if isinstance(fraction, (int, float)):
                on_progress(max(0.0, min(1.0, float(fraction))))

    job = _SandboxJob(
        code=code,
        spec=_entry_spec(scene_name, spec, settings, narration, narration_words),
        limits=limits_for(spec, settings),
        mode=settings.sandbox_mode,
        on_message=on_message,
        cancel=cancel,
    )
    started = time.monotonic()
    try:
        outcome = _run_job(job, settings, lambda ran: _finish(ran, spec, quality, out, settings))
    except ChalkError:
        _discard(out)
        raise
    info, thumbnail = outcome.info, out.with_suffix(".png")
    if on_progress:
        on_progress(1.0)
    return RenderResult(
        video=out,
        thumbnail=thumbnail,
        scene=scene_name,
        codec=info.codec,
        width=info.width,
        height=info.height,
        fps=info.fps,
        frames=info.frames,
        duration_s=info.duration_s,
        size_bytes=info.size_bytes,
        render_s=time.monotonic() - started,
        sandbox_layers=outcome.sandbox.layers,
        log_tail=outcome.sandbox.log_tail,
        layout=[m for m in outcome.sandbox.messages if m.get("event") == "layout"],
        frame_checks=[m for m in outcome.sandbox.messages if m.get("event") == "frame_checks"][:1],
        narration=_narration_messages(outcome.sandbox.messages, "render"),
    )


def _narration_messages(messages: list[dict[str, object]], stage: str) -> list[dict[str, object]]:
    """narrate() calls and wait_for_word() marks of one pass (untrusted, read as such)."""
    return [
        m
        for m in messages
        if m.get("event") in ("narration", "narration_mark") and m.get("pass") == stage
    ]


def _entry_spec(
    scene_name: str,
    spec: FrameSpec,
    settings: Settings,
    narration: list[float] | None = None,
    words: Sequence[Sequence[tuple[str, float]]] | None = None,
) -> dict[str, object]:
    """What the sandbox's entry needs to know of the frame, for a render or a measurement."""
    timings = {
        "durations": list(narration or []),
        "words": [list(map(list, w)) for w in words or []],
    }
    return {
        "narration": None if narration is None else timings,
        "scene": scene_name,
        "width": spec.width,
        "height": spec.height,
        "fps": spec.fps,
        "frame_width": spec.units_wide,
        "frame_height": spec.units_high,
        "encoder_threads": encoder_threads(settings),
        "encoder_preset": spec.encoder_preset,
        "max_seconds": settings.max_video_seconds,
    }


@dataclass
class Measurement:
    """What a render's first pass sees of a scene without drawing a frame."""

    scene: str
    duration_s: float
    sandbox_layers: list[str] = field(default_factory=list)
    log_tail: str = ""
    # `layout` messages from the sandbox (untrusted; app/core/layout.py checks them).
    layout: list[dict[str, object]] = field(default_factory=list)
    # `narration` messages (untrusted): the narrate() sentences, when measured for narration.
    narration: list[dict[str, object]] = field(default_factory=list)


def measure_code(
    code: str,
    *,
    quality: str = "preview",
    aspect: str = "16:9",
    scene: str | None = None,
    settings: Settings | None = None,
    narration: list[float] | None = None,
) -> Measurement:
    """Run `code` through the policy and only the sandbox's measuring pass: construct() runs
    with animations skipped, nothing is drawn or encoded. The length and the layout snapshots
    are those of a render (every render starts with this pass) in a fraction of its time: for
    checking a scene's layout before paying for the render. Raise ChalkError as render_code
    does for the same failures. With `narration` (durations, [] when unknown yet) the
    narrate() sentences are collected too."""
    settings = settings or get_settings()
    spec = frame_spec(quality, aspect, settings)
    report = policy.check_code(code, max_bytes=settings.max_code_bytes)
    scene_name = policy.choose_scene(report, scene)
    settings.work_root.mkdir(parents=True, exist_ok=True)
    job = _SandboxJob(
        code=code,
        spec={**_entry_spec(scene_name, spec, settings, narration), "measure_only": True},
        limits=limits_for(spec, settings),
        mode=settings.sandbox_mode,
        on_message=lambda message: None,
        cancel=None,
    )

    def judge(ran: tuple[Path, sandbox.Outcome]) -> sandbox.Outcome:
        _raise_for_outcome(ran[1], spec, quality, settings)
        return ran[1]

    outcome = _run_job(job, settings, judge)
    messages = outcome.messages
    seconds = next(m.get("seconds") for m in messages if m.get("event") == "measured")
    return Measurement(
        scene=scene_name,
        duration_s=float(seconds) if isinstance(seconds, (int, float)) else 0.0,
        sandbox_layers=outcome.layers,
        log_tail=outcome.log_tail,
        layout=[m for m in messages if m.get("event") == "layout"],
        narration=_narration_messages(messages, "measure"),
    )


def _run_job(
    job: _SandboxJob, settings: Settings, finish: Callable[[tuple[Path, sandbox.Outcome]], _T]
) -> _T:
    """Run `job` in a warm sandbox when this process has one, else in a fresh (cold) one, and
    `finish` it while its work dir still holds what it left."""
    with warm.POOL.lease(settings) as zygote:
        if zygote is not None:
            try:
                return finish(job.run(zygote.job_dir, zygote, zygote.tex_format))
            except warm.ZygoteError:
                log.warning("the warm sandbox failed before the job ran; rendering cold")
    work = settings.work_root / uuid.uuid4().hex
    work.mkdir(mode=0o700)
    try:
        return finish(job.run(work, None, tex_format.ensure(settings.data_dir)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


@dataclass
class _SandboxJob:
    """Everything one sandbox run needs, whichever sandbox (cold or warm) runs it."""

    code: str
    spec: dict[str, object]
    limits: sandbox.Limits
    mode: str
    on_message: Callable[[dict[str, object]], None]
    cancel: threading.Event | None

    def run(
        self,
        work: Path,
        launcher: sandbox.Launcher | None,
        preloaded: tex_format.TexFormat | None,
    ) -> tuple[Path, sandbox.Outcome]:
        (work / "scene.py").write_text(self.code, encoding="utf-8")
        outcome = _run_sandbox(
            work,
            spec=self.spec,
            limits=self.limits,
            mode=self.mode,
            on_message=self.on_message,
            cancel=self.cancel,
            launcher=launcher,
            tex_format=preloaded,
        )
        done = next((m for m in outcome.messages if m.get("event") == "done"), {})
        log.info(
            "sandbox finished rc=%s killed_for=%s elapsed=%.2fs layers=%s latex=%s",
            outcome.returncode,
            outcome.killed_for,
            outcome.elapsed_s,
            ",".join(outcome.layers),
            done.get("tex"),  # formulas typeset with the preloaded format and without
        )
        return work, outcome


@dataclass
class _Gated:
    sandbox: sandbox.Outcome
    info: output.VideoInfo


def _finish(
    ran: tuple[Path, sandbox.Outcome], spec: FrameSpec, quality: str, out: Path, settings: Settings
) -> _Gated:
    """Judge the sandbox's outcome, then copy the video out through the output gate."""
    work, outcome = ran
    _raise_for_outcome(outcome, spec, quality, settings)
    thumbnail = out.with_suffix(".png")
    output.copy_out(work, "out/video.mp4", out, settings.max_video_mb << 20)
    output.copy_out(work, "out/thumbnail.png", thumbnail, 16 << 20)
    output.check_thumbnail(thumbnail)
    info = output.probe_video(out)
    if (info.width, info.height) != (spec.width, spec.height):
        raise ChalkError(
            "render",
            "The video came out at the wrong size, so it was rejected.",
            detail=f"expected {spec.width}x{spec.height}, got {info.width}x{info.height}",
        )
    if info.duration_s > settings.max_video_seconds + 1:
        raise ChalkError("render", "The video is longer than allowed, so it was rejected.")
    return _Gated(outcome, info)


def _run_sandbox(work: Path, **kwargs: Any) -> sandbox.Outcome:
    try:
        return sandbox.run(work, **kwargs)
    except sandbox.SandboxUnavailable as exc:
        log.error("sandbox unavailable: %s", exc)
        raise ChalkError(
            "sandbox",
            "The render sandbox is not set up correctly on this server; please tell your "
            "administrator (run `chalk selftest`).",
            detail=str(exc),
        ) from None


def _discard(out: Path) -> None:
    out.unlink(missing_ok=True)
    out.with_suffix(".png").unlink(missing_ok=True)


def _signal_name(returncode: int | None) -> int | None:
    if returncode is None:
        return None
    if returncode < 0:
        return -returncode
    if returncode > 128:
        return returncode - 128
    return None


def _raise_for_outcome(
    outcome: sandbox.Outcome, spec: FrameSpec, quality: str, settings: Settings
) -> None:
    """Turn what happened in the sandbox into one sentence a teacher can act on."""
    detail = outcome.log_tail[-4000:]
    if outcome.killed_for == "timeout":
        raise ChalkError(
            "timeout",
            f"The animation took longer than {spec.timeout_s:.0f} s to render at {quality} "
            "quality; make it shorter or simpler, or render it at preview quality.",
            detail=detail,
        )
    if outcome.killed_for == "lost":
        raise InfrastructureError("sandbox", SANDBOX_LOST_MESSAGE, detail=detail)
    if outcome.killed_for == "cancelled":
        raise ChalkError("cancelled", "The render was cancelled.", detail=detail)
    if outcome.killed_for == "workdir":
        raise ChalkError(
            "sandbox",
            f"The animation wrote more than {settings.sandbox_max_workdir_mb} MB of files, so it "
            "was stopped; an animation should only draw, not write files.",
            detail=detail,
        )
    if outcome.killed_for == "memory":
        raise ChalkError(
            "render",
            f"The animation needed more than {settings.sandbox_memory_mb // 1024} GB of memory, "
            "so it was stopped; use fewer or simpler objects.",
            detail=detail,
        )
    if outcome.killed_for == "output":
        raise ChalkError(
            "sandbox",
            "The animation printed too much text, so it was stopped; remove print() calls "
            "from loops.",
            detail=detail,
        )
    events = {str(m.get("event")): m for m in outcome.messages}
    if "done" in events and outcome.returncode == 0:
        return
    if "too_long" in events:
        seconds = events["too_long"].get("seconds")
        length = f"{float(seconds):.0f} s" if isinstance(seconds, (int, float)) else "too long"
        raise ChalkError(
            "render",
            f"The animation would last {length}, over the {settings.max_video_seconds:.0f} s "
            "limit; shorten the waits and run_time values.",
            detail=detail,
        )
    if "error" in events:
        raise _scene_error(events["error"], detail, settings)
    sig = _signal_name(outcome.returncode)
    if sig == signal.SIGXCPU:
        raise ChalkError(
            "timeout",
            "The animation used too much computing time; make it shorter or simpler.",
            detail=detail,
        )
    if sig == signal.SIGXFSZ:
        raise ChalkError(
            "sandbox",
            f"The animation tried to write a file over {settings.sandbox_max_file_mb} MB, so it "
            "was stopped; make the animation shorter or use a lower quality.",
            detail=detail,
        )
    if "started" not in events:
        raise ChalkError(
            "sandbox",
            "The render sandbox could not start; please try again, and tell your administrator "
            "if it keeps happening.",
            detail=f"rc={outcome.returncode} {detail}",
        )
    raise ChalkError(
        "render",
        "The animation stopped unexpectedly before finishing; simplify it and try again.",
        detail=f"rc={outcome.returncode} {detail}",
    )


def _scene_error(event: dict[str, object], log_tail: str, settings: Settings) -> ChalkError:
    exc_type = str(event.get("type") or "Error")
    message = str(event.get("message") or "").strip()
    raw_line = event.get("line")
    line = raw_line if isinstance(raw_line, int) else None
    traceback_text = str(event.get("traceback") or "")
    detail = f"{traceback_text}\n--- log ---\n{log_tail}"
    where = f"Line {line}" if line else "The animation"
    first_line = message.splitlines()[0][:200] if message else ""
    if "latex" in message.lower() or "latex" in traceback_text.lower()[-2000:]:
        hint = code_hints.for_latex_error(log_tail)
        text = (
            f"{where}: {hint}."
            if hint
            else f"{where}: LaTeX could not typeset a formula; check the backslashes and braces "
            "in your MathTex/Tex text."
        )
        return ChalkError("render", text, detail=detail, line=line)
    if exc_type == "MemoryError":
        return ChalkError(
            "render",
            f"{where} needed more than {settings.sandbox_memory_mb // 1024} GB of memory; use "
            "fewer or simpler objects.",
            detail=detail,
            line=line,
        )
    if exc_type == "OverflowError" and "allowed maximum" in message:
        return ChalkError(
            "render",
            f"The animation runs longer than the {settings.max_video_seconds:.0f} s limit; "
            "shorten the waits and run_time values.",
            detail=detail,
        )
    if exc_type == "LookupError" and "not a Scene class" in message:
        return ChalkError(
            "validation",
            "The scene to render was not found in the code; define one class that inherits "
            "from Scene.",
            detail=detail,
        )
    if exc_type == "RuntimeError" and (
        "produced no video" in message or "no play calls" in message
    ):
        return ChalkError(
            "render",
            "The scene did not play any animation; add self.play(...) or self.wait() in "
            "construct().",
            detail=detail,
        )
    suggestion = event.get("suggestion")
    hint = code_hints.for_runtime_error(
        exc_type, message, traceback_text, suggestion if isinstance(suggestion, str) else None
    )
    if hint:
        return ChalkError("render", f"{where}: {hint}.", detail=detail, line=line)
    summary = f"{exc_type}: {first_line}" if first_line else exc_type
    return ChalkError(
        "render",
        f"{where} failed with {summary.rstrip('.')}; fix that line and try again.",
        detail=detail,
        line=line,
    )
