"""`chalk lesson`: several prompts rendered as jobs and joined into one video with chapters."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_FAILED, EXIT_OK, UsageError, out_path, print_json
from app.errors import ChalkError
from app.generators import GENERATORS
from app.settings import ASPECTS, QUALITIES, get_settings

POLL_S = 0.3
"""How often the CLI looks at the lesson's jobs while they render."""


def cmd_lesson(args: argparse.Namespace) -> int:
    from app.lessons import service  # deferred for start-up time (the job service)

    if not args.prompts or not all(p.strip() for p in args.prompts):
        raise UsageError('Give the lesson\'s scenes as prompts, e.g. chalk lesson "p1" "p2".')
    if len(args.prompts) > service.MAX_SCENES:
        raise UsageError(f"A lesson has at most {service.MAX_SCENES} scenes.")
    narration = {"enabled": True} if args.narrate else None
    return render_scenes(args.prompts, args, title=args.title or "", narration=narration)


def render_scenes(
    prompts: list[str],
    args: argparse.Namespace,
    *,
    title: str,
    narration: dict[str, Any] | None,
    extra: dict[str, Any] | None = None,
) -> int:
    """Render `prompts` as the scenes of one lesson and report it (`chalk lesson`, and
    `chalk render` for a prompt that asks for several things); `extra` joins the JSON."""
    # Deferred for start-up time: the job service pulls in the pipeline and the queue.
    from app.cli.jobs import _job_user_id
    from app.jobs import service as jobs
    from app.jobs.backends import get_backend, shutdown_inline_pools
    from app.lessons import service
    from app.storage import get_storage

    out = out_path(args)
    settings = get_settings()
    owner_id = _job_user_id(settings, getattr(args, "user", "local"))
    # The CLI's inline pool runs only its own jobs; it must not adopt the app's.
    backend = get_backend(settings, reconcile=False)
    scenes = [service.SceneSpec(text=p, generator=args.generator) for p in prompts]
    try:
        lesson = service.create_lesson(
            settings=settings,
            owner_id=owner_id,
            scenes=scenes,
            title=title,
            quality=args.quality,
            aspect=args.aspect,
            narration=narration,
        )
        lesson = service.render_lesson(
            settings=settings, lesson_id=lesson.id, owner_id=owner_id, backend=backend
        )
        shown = ""
        while not lesson.finished:
            time.sleep(POLL_S)
            lesson = service.refresh(
                settings=settings, lesson_id=lesson.id, owner_id=owner_id, backend=backend
            )
            done = sum(1 for s in lesson.scenes if s.state == "succeeded")
            now = f"{done}/{len(lesson.scenes)} scenes rendered"
            if not args.json and now != shown:
                shown = now
                print(now, file=sys.stderr)
    except ChalkError as exc:
        return _report({"status": "rejected", "error": exc.to_json(), **(extra or {})}, args)
    finally:
        shutdown_inline_pools(wait=True)
    made = {
        s.job_id: jobs.status(settings=settings, job_id=s.job_id) for s in lesson.scenes if s.job_id
    }
    data: dict[str, Any] = {
        "status": "succeeded" if lesson.state == "succeeded" else "failed",
        "error": None
        if lesson.state == "succeeded"
        else {"kind": "render", "message": lesson.error or "The lesson did not render."},
        "lesson_id": lesson.id,
        "video": None,
        "video_id": lesson.video_id,
        "duration": round(lesson.duration_s, 3) if lesson.video else None,
        "chapters": [c.to_json() for c in lesson.chapters],
        "subtitles": None,
        "note": lesson.note or None,
        "scenes": [
            {
                "title": s.title,
                "prompt": s.text if s.kind == "prompt" else None,
                "state": s.state,
                "job_id": s.job_id,
                "error": s.error,
                "template": made[s.job_id].template if s.job_id else None,
                "params": made[s.job_id].params if s.job_id else {},
            }
            for s in lesson.scenes
        ],
        **(extra or {}),
    }
    if lesson.video:
        storage = get_storage(settings)
        data["video"] = _deliver(storage, lesson.video, out)
        if lesson.captions:
            vtt = out.with_name(out.stem + ".captions.vtt") if out else None
            data["subtitles"] = _deliver(storage, lesson.captions, vtt)
    return _report(data, args)


def _deliver(storage: Any, key: str, dest: Path | None) -> str:
    """The file's path: copied to `dest` when given, else where the media store keeps it."""
    if dest is None:
        local = storage.local_path(key)
        return str(local) if local is not None else storage.url(key)
    dest.parent.mkdir(parents=True, exist_ok=True)
    local = storage.local_path(key)
    if local is not None:
        shutil.copyfile(local, dest)
    else:
        storage.get_file(key, dest)
    return str(dest)


def _report(data: dict[str, Any], args: argparse.Namespace) -> int:
    ok = data["status"] == "succeeded"
    if args.json:
        print_json(data)
    elif ok:
        print(data["video"])
        if data.get("note"):
            print(f"note: {data['note']}", file=sys.stderr)
    else:
        print(f"{data['status']}: {data['error']['message']}", file=sys.stderr)
    return EXIT_OK if ok else EXIT_FAILED


def add_parsers(sub: Any) -> None:
    lesson = sub.add_parser(
        "lesson", help="render several prompts as one video with a chapter per scene"
    )
    lesson.add_argument("prompts", nargs="+", metavar="PROMPT", help="one prompt per scene")
    lesson.add_argument("--title", help="the lesson's title (default: its first prompt)")
    lesson.add_argument(
        "--narrate", action="store_true", help="narrate every scene and join the captions"
    )
    lesson.add_argument("--quality", choices=QUALITIES, default="preview")
    lesson.add_argument("--aspect", choices=ASPECTS, default="16:9")
    lesson.add_argument("--generator", choices=GENERATORS, default="auto")
    lesson.add_argument("--out", metavar="FILE.mp4", help="where to write the lesson's video")
    lesson.add_argument("--user", default="local", help="render as this user (default: local)")
    lesson.add_argument("--json", action="store_true", help="print one JSON object")
    lesson.set_defaults(func=cmd_lesson)
