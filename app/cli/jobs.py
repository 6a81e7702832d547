"""`chalk submit`, `status`, `cancel` and `worker`: jobs through the queue."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from app.cli.common import EXIT_FAILED, EXIT_OK, UsageError, print_json, read_code
from app.errors import ChalkError
from app.generators import GENERATORS
from app.settings import ASPECTS, QUALITIES, Settings, get_settings


def _job_user_id(settings: Settings, username: str) -> int:
    from app.accounts.users import get_or_create_user
    from app.db.engine import session_scope

    if not username.strip():
        raise UsageError("--user must not be empty.")
    with session_scope(settings) as session:
        return get_or_create_user(session, username.strip()).id


def _print_job(view: Any, args: argparse.Namespace) -> None:
    if args.json:
        print_json(view.to_json())
        return
    print(view.job_id)
    line = f"{view.state}"
    if view.stage:
        line += f" ({view.stage}, {int(view.progress * 100)}%)"
    print(line, file=sys.stderr)
    if view.error:
        print(f"{view.state}: {view.error['message']}", file=sys.stderr)
    if view.video:
        print(f"video: {view.video_url or view.video}", file=sys.stderr)


def _wait_for_job(settings: Settings, job_id: str, *, show: bool) -> Any:
    """Poll the database until the job is final (any backend)."""
    from app.jobs.service import status

    seen = ""
    while True:
        view = status(settings=settings, job_id=job_id)
        if view.finished:
            return view
        now = f"{view.state} {view.stage or ''} {int(view.progress * 10)}"
        if show and now != seen:
            seen = now
            stage = f" {view.stage}" if view.stage else ""
            print(f"{view.state}{stage}… {int(view.progress * 100)}%", file=sys.stderr)
        time.sleep(0.3)


def cmd_submit(args: argparse.Namespace) -> int:
    """Queue a job; with the inline backend this process is the worker and waits for it."""
    from app.jobs import service
    from app.jobs.backends import InlineBackend, get_backend, shutdown_inline_pools

    if bool(args.code) == bool(args.prompt):
        raise UsageError("Give either a PROMPT or --code FILE.py, not both.")
    code = read_code(args.code) if args.code else None
    settings = get_settings()
    owner_id = _job_user_id(settings, args.user)
    # The CLI's inline pool runs only its own job; it must not adopt the app's jobs.
    backend = get_backend(settings, reconcile=False)
    inline = isinstance(backend, InlineBackend)
    try:
        view = service.submit(
            settings=settings,
            owner_id=owner_id,
            prompt=args.prompt,
            code=code,
            generator=args.generator,
            quality=args.quality,
            aspect=args.aspect,
            backend=backend,
            item_id=args.version_of,
            change=args.change,
        )
    except ChalkError as exc:
        if args.json:
            print_json({"job_id": None, "state": "rejected", "error": exc.to_json()})
        else:
            print(f"rejected: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    if inline or args.wait:
        try:
            view = _wait_for_job(settings, view.job_id, show=not args.json)
        except KeyboardInterrupt:
            service.cancel(settings=settings, job_id=view.job_id, backend=backend)
            print(f"cancelled job {view.job_id}", file=sys.stderr)
            if inline:
                shutdown_inline_pools(wait=True)
            raise
        if inline:
            shutdown_inline_pools(wait=True)
    _print_job(view, args)
    return EXIT_FAILED if view.state in ("failed", "cancelled") else EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from app.jobs.service import JobNotFound, status

    try:
        view = status(settings=get_settings(), job_id=args.job_id)
    except JobNotFound as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print_json(view.to_json())
        return EXIT_OK
    print(f"job:       {view.job_id}")
    waiting = " (waiting for a free slot)" if view.awaiting_slot else ""
    print(f"state:     {view.state}{waiting}")
    print(f"stage:     {view.stage or '-'}")
    print(f"progress:  {int(view.progress * 100)}%")
    if view.error:
        print(f"error:     {view.error['message']} ({view.error['kind']})")
    if view.video:
        print(f"video:     {view.video_url or view.video}")
        print(f"thumbnail: {view.thumbnail_url or view.thumbnail}")
    for name in ("created_at", "started_at", "finished_at"):
        moment = getattr(view, name)
        print(f"{name + ':':11}{moment.isoformat() if moment else '-'}")
    print(f"attempts:  {view.attempts}   cache hit: {'yes' if view.cache_hit else 'no'}")
    return EXIT_OK


def cmd_versions(args: argparse.Namespace) -> int:
    """The versions of one of the user's videos, newest first; with --delete, that version is
    deleted and the versions left are listed."""
    from app import versions

    settings = get_settings()
    owner_id = _job_user_id(settings, args.user)
    deleted = None
    try:
        found = versions.history(settings=settings, video_id=args.video_id, owner_id=owner_id)
        if args.delete:
            deleted = versions.delete_version(
                settings=settings, video_id=args.video_id, owner_id=owner_id
            )
            found = [version for version in found if version.video_id != args.video_id]
            if found:  # the current version and the link may have moved
                found = versions.history(
                    settings=settings, video_id=found[0].video_id, owner_id=owner_id
                )
    except versions.VersionNotFound as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        listed = {"versions": [versions.summary(version) for version in found]}
        print_json({**listed, "deleted": deleted} if args.delete else listed)
        return EXIT_OK
    if deleted is not None:
        print(f"Deleted version {deleted}." + ("" if found else " The video had no other."))
    for version in found:
        marks = "".join(
            (" current" if version.current else "", " shared" if version.shared else "")
        )
        print(f"v{version.version} {version.video_id} {version.quality} {version.aspect}{marks}")
        print(f"   {version.created_at:%Y-%m-%d %H:%M}  {version.change}")
    return EXIT_OK


def cmd_cancel(args: argparse.Namespace) -> int:
    from app.jobs.service import JobNotFound, cancel

    try:
        outcome = cancel(settings=get_settings(), job_id=args.job_id)
    except JobNotFound as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print_json(
            {
                "job_id": outcome.job_id,
                "state": outcome.state,
                "cancelled": outcome.accepted,
                "message": outcome.message,
            }
        )
    else:
        print(outcome.message, file=sys.stdout if outcome.accepted else sys.stderr)
    return EXIT_OK if outcome.accepted else EXIT_FAILED


def cmd_worker(args: argparse.Namespace) -> int:
    from jobs.worker import SelftestFailed, run

    settings = get_settings()
    if not settings.redis_url:
        raise UsageError(
            "workers need a queue: set CHALK_REDIS_URL (e.g. redis://localhost:6379/0). "
            "Without it the app runs jobs in its own inline pool."
        )
    if args.processes < 1:
        raise UsageError("-n must be at least 1.")
    from app.ops.sentry import set_component

    set_component("worker")
    if args.metrics_port is not None:
        from app.ops.metrics import MetricsPortInUse, serve_worker_metrics

        if not 0 < args.metrics_port < 65536:
            raise UsageError("--metrics-port must be between 1 and 65535.")
        try:
            serve_worker_metrics(settings, port=args.metrics_port, addr=args.metrics_addr)
        except MetricsPortInUse as exc:
            raise UsageError(f"{exc}; choose another --metrics-port.") from None
    try:
        return run(settings, processes=args.processes, burst=args.burst)
    except SelftestFailed as exc:
        print(f"chalk worker: not starting: {exc}; see `chalk selftest`.", file=sys.stderr)
        return EXIT_FAILED


def add_parsers(sub: Any) -> None:
    submit = sub.add_parser(
        "submit",
        help="queue a render job and print its id",
        description=(
            "Queue a render job and print its id. With CHALK_REDIS_URL set the job goes to "
            "the RQ queue for `chalk worker` (add --wait to wait for it). Without it there "
            "is no separate worker: this process runs the job in its inline pool, so submit "
            "waits until the job has finished and reports its final state."
        ),
    )
    submit.add_argument("prompt", nargs="?", help="what the animation should show")
    submit.add_argument("--code", metavar="FILE.py", help="render this Manim file instead")
    submit.add_argument(
        "--generator",
        choices=GENERATORS,
        default="auto",
        help="auto uses the LLM when CHALK_LLM_MODEL is set up, else the templates",
    )
    submit.add_argument("--quality", choices=QUALITIES, default="preview")
    submit.add_argument("--aspect", choices=ASPECTS, default="16:9")
    submit.add_argument("--user", default="local", help="submit as this user (default: local)")
    submit.add_argument(
        "--version-of",
        metavar="VIDEO_ID",
        help="make the video a new version of this video's gallery item (the user's own)",
    )
    submit.add_argument("--change", help="what the new version changes, in words")
    submit.add_argument("--wait", action="store_true", help="wait until the job has finished")
    submit.add_argument("--json", action="store_true", help="print one JSON object")
    submit.set_defaults(func=cmd_submit)

    listed = sub.add_parser("versions", help="the versions of a video's gallery item, newest first")
    listed.add_argument("video_id")
    listed.add_argument("--user", default="local", help="whose video (default: local)")
    listed.add_argument(
        "--delete",
        action="store_true",
        help="delete this version (VIDEO_ID) alone; the last one deletes the video",
    )
    listed.add_argument("--json", action="store_true", help="print one JSON object")
    listed.set_defaults(func=cmd_versions)

    status = sub.add_parser("status", help="a job's state, progress, error and video")
    status.add_argument("job_id")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.set_defaults(func=cmd_status)

    cancel = sub.add_parser(
        "cancel", help="cancel a job (a queued one never runs; a running one is stopped)"
    )
    cancel.add_argument("job_id")
    cancel.add_argument("--json", action="store_true", help="print one JSON object")
    cancel.set_defaults(func=cmd_cancel)

    worker = sub.add_parser(
        "worker",
        help="run RQ workers (needs CHALK_REDIS_URL)",
        description=(
            "Run N RQ worker processes, each with a reconciler. The sandbox canaries run "
            "first; the workers refuse to start if one fails. Needs CHALK_REDIS_URL."
        ),
    )
    worker.add_argument(
        "-n", dest="processes", type=int, default=1, metavar="N", help="worker processes"
    )
    worker.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    worker.add_argument(
        "--metrics-port",
        type=int,
        metavar="PORT",
        help="serve Prometheus metrics (chalk_*) on http://ADDR:PORT/metrics",
    )
    worker.add_argument(
        "--metrics-addr",
        metavar="ADDR",
        help="address for --metrics-port (default CHALK_METRICS_ADDR, else 127.0.0.1)",
    )
    worker.set_defaults(func=cmd_worker)
