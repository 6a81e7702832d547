"""`chalk`: the command line (contract in DESIGN.md).

`--json` prints exactly one JSON object on stdout; logs go to stderr. Exit codes: 0 success,
1 a failed or rejected job, 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import ChalkError
from app.settings import ASPECTS, QUALITIES, Settings, get_settings

if TYPE_CHECKING:
    from app.cache import RenderCache

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
GENERATORS = ("auto", "offline", "llm")


class UsageError(Exception):
    """Bad command-line input (exit code 2)."""


def _print_json(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, indent=None, default=str) + "\n")


def _read_code(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"The file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"The file {path} could not be read as text: {exc}.") from None


def _progress_printer(enabled: bool) -> Any:
    if not enabled:
        return None
    last = {"pct": -10}

    def show(fraction: float) -> None:
        pct = int(fraction * 100)
        if pct >= last["pct"] + 10 or pct == 100:
            last["pct"] = pct
            print(f"rendering… {pct}%", file=sys.stderr)

    return show


def _settings(args: argparse.Namespace) -> Settings:
    settings = get_settings()
    attempts = getattr(args, "max_attempts", None)
    if attempts is not None:
        if not 1 <= attempts <= 10:
            raise UsageError("--max-attempts must be between 1 and 10.")
        settings = settings.model_copy(update={"max_attempts": attempts})
    return settings


def _out_path(args: argparse.Namespace) -> Path | None:
    out = Path(args.out).resolve() if args.out else None
    if out is not None and out.suffix.lower() != ".mp4":
        raise UsageError("--out must name an .mp4 file.")
    return out


def _report(result: Any, args: argparse.Namespace) -> int:
    if args.json:
        _print_json(result.to_json())
    elif result.ok:
        print(result.video)
        for warning in result.layout_warnings:
            print(f"layout: {warning}", file=sys.stderr)
    else:
        assert result.error is not None
        print(f"{result.status}: {result.error.message}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_FAILED


def _render_cache(settings: Settings, args: argparse.Namespace) -> RenderCache | None:
    """The render cache for `chalk render`/`chalk fix`, unless --no-cache."""
    if args.no_cache:
        return None
    from app.cache import RenderCache
    from app.storage import get_storage

    return RenderCache(get_storage(settings), settings)


def _store_render(cache: RenderCache | None, result: Any) -> None:
    """Keep a new render in the cache; a store that fails only costs a later re-render."""
    if cache is None or not result.ok or result.cache_hit or not result.cache_key:
        return
    from app.storage import StorageError

    try:
        cache.store(result.cache_key, result.render)
    except StorageError as exc:
        logging.getLogger("chalk").warning("could not store the render in the cache: %s", exc)


def cmd_render(args: argparse.Namespace) -> int:
    from app.core.pipeline import run_job

    if bool(args.code) == bool(args.prompt):
        raise UsageError("Give either a PROMPT or --code FILE.py, not both.")
    code = _read_code(args.code) if args.code else None
    out = _out_path(args)
    settings = _settings(args)
    cache = _render_cache(settings, args)
    result = run_job(
        code=code,
        prompt=args.prompt,
        generator=args.generator,
        quality=args.quality,
        aspect=args.aspect,
        scene=args.scene,
        out=out,
        on_progress=_progress_printer(not args.json),
        settings=settings,
        cache=cache,
    )
    _store_render(cache, result)
    return _report(result, args)


def cmd_fix(args: argparse.Namespace) -> int:
    """Rewrite old Manim (ManimGL, pre-0.18 Community) for Manim Community, then render it."""
    code = _read_code(args.code)
    if args.no_render:
        from app.core.fixer import fix_code

        fixed = fix_code(code)
        if args.json:
            _print_json(
                {
                    "status": "succeeded",
                    "error": None,
                    "code": fixed.code,
                    "fixes": [fix.to_json() for fix in fixed.fixes],
                }
            )
        else:
            sys.stdout.write(fixed.code)
            for fix in fixed.fixes:
                print(f"fixed {fix}", file=sys.stderr)
        return EXIT_OK
    from app.core.pipeline import run_job

    out = _out_path(args)
    settings = get_settings()
    cache = _render_cache(settings, args)
    result = run_job(
        code=code,
        fix=True,
        quality=args.quality,
        aspect=args.aspect,
        scene=args.scene,
        out=out,
        on_progress=_progress_printer(not args.json),
        settings=settings,
        cache=cache,
    )
    _store_render(cache, result)
    if not args.json:
        for fix in result.fixes:
            print(f"fixed {fix}", file=sys.stderr)
    return _report(result, args)


def cmd_generate(args: argparse.Namespace) -> int:
    from app.generators.select import generate

    try:
        generation = generate(
            args.prompt, generator=args.generator, aspect=args.aspect, settings=_settings(args)
        )
    except ChalkError as exc:
        if args.json:
            _print_json(
                {
                    "status": "rejected",
                    "error": exc.to_json(),
                    "code": None,
                    "generator": None,
                    "template": None,
                    "params": {},
                }
            )
        else:
            print(f"rejected: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        _print_json(
            {
                "status": "succeeded",
                "error": None,
                "code": generation.code,
                "generator": generation.generator,
                "template": generation.template,
                "params": generation.params,
                "notes": generation.notes,
            }
        )
    else:
        print(generation.code)
    return EXIT_OK


def cmd_templates(args: argparse.Namespace) -> int:
    from app.generators.offline import list_templates

    templates = list_templates()
    if args.json:
        _print_json({"templates": [t.to_json() for t in templates]})
    else:
        for t in templates:
            params = ", ".join(f"{name}={value!r}" for name, value in t.params.items())
            print(f"{t.id:24} {t.subject:8} {t.title}")
            print(f'{"":33} e.g. "{t.example_prompt}"')
            print(f"{'':33} parameters: {params or 'none'}")
    return EXIT_OK


def cmd_selftest(args: argparse.Namespace) -> int:
    from app.core.selftest import run_selftest

    report = run_selftest()
    if args.json:
        _print_json(report.to_json())
    else:
        print(f"sandbox mode: {report.mode}; active layers: {', '.join(report.layers)}")
        for canary in report.canaries:
            print(f"  [{'ok' if canary.passed else 'FAIL'}] {canary.name}: {canary.detail}")
        print("selftest passed" if report.ok else "selftest FAILED")
    return EXIT_OK if report.ok else EXIT_FAILED


def _job_user_id(settings: Settings, username: str) -> int:
    from app.accounts.users import get_or_create_user
    from app.db.engine import session_scope

    if not username.strip():
        raise UsageError("--user must not be empty.")
    with session_scope(settings) as session:
        return get_or_create_user(session, username.strip()).id


def _print_job(view: Any, args: argparse.Namespace) -> None:
    if args.json:
        _print_json(view.to_json())
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
    import time

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
    from app.db.migrate import ensure_schema
    from app.jobs import service
    from app.jobs.backends import InlineBackend, get_backend, shutdown_inline_pools

    if bool(args.code) == bool(args.prompt):
        raise UsageError("Give either a PROMPT or --code FILE.py, not both.")
    code = _read_code(args.code) if args.code else None
    settings = get_settings()
    ensure_schema(settings)
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
        )
    except ChalkError as exc:
        if args.json:
            _print_json({"job_id": None, "state": "rejected", "error": exc.to_json()})
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
        _print_json(view.to_json())
        return EXIT_OK
    print(f"job:       {view.job_id}")
    print(f"state:     {view.state}")
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


def cmd_cancel(args: argparse.Namespace) -> int:
    from app.jobs.service import JobNotFound, cancel

    try:
        outcome = cancel(settings=get_settings(), job_id=args.job_id)
    except JobNotFound as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        _print_json(
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


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from sqlalchemy import make_url

    from app.db.migrate import current_revision, upgrade

    settings = get_settings()
    upgrade(settings)
    revision = current_revision(settings)
    database = make_url(settings.database).render_as_string(hide_password=True)
    if args.json:
        _print_json({"status": "succeeded", "revision": revision, "database": database})
    else:
        print(revision)
        print(f"database {database} is at revision {revision}", file=sys.stderr)
    return EXIT_OK


def cmd_health(args: argparse.Namespace) -> int:
    from app.ops.health import run_health

    report = run_health(get_settings(), deep=args.deep)
    if args.json:
        _print_json(report.to_json())
    else:
        print(report.status)
        for name, check in report.checks.items():
            print(f"  {name:<9} {'ok  ' if check.ok else 'FAIL'} {check.detail}")
    return EXIT_OK if report.status == "ok" else EXIT_FAILED


def _backup_path(value: str, *, must_exist: bool) -> Path:
    path = Path(value)
    if not path.name.endswith(".tar.gz"):
        raise UsageError("The backup file must end in .tar.gz.")
    if must_exist and not path.is_file():
        raise UsageError(f"There is no backup at {path}.")
    return path


def cmd_backup(args: argparse.Namespace) -> int:
    from app.ops.backup import BackupError, backup

    out = _backup_path(args.out, must_exist=False)
    try:
        summary = backup(get_settings(), out)
    except BackupError as exc:
        return _backup_failed(args, str(exc))
    if args.json:
        _print_json({"status": "succeeded", "error": None, **summary.to_json()})
    else:
        print(summary.path)
        print(
            f"backed up {sum(summary.tables.values())} rows and {summary.media_files} media files",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from app.ops.backup import BackupError, restore

    archive = _backup_path(args.archive, must_exist=True)
    try:
        summary = restore(get_settings(), archive, replace=args.replace)
    except BackupError as exc:
        return _backup_failed(args, str(exc))
    if args.json:
        _print_json({"status": "succeeded", "error": None, **summary.to_json()})
    else:
        print(
            f"restored {sum(summary.tables.values())} rows and {summary.media_files} media files"
            f" from {summary.path}"
        )
    return EXIT_OK


def _backup_failed(args: argparse.Namespace, message: str) -> int:
    if args.json:
        _print_json({"status": "failed", "error": {"kind": "backup", "message": message}})
    else:
        print(f"chalk {args.command}: {message}", file=sys.stderr)
    return EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chalk", description="Chalk: prompt-to-animation.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    def job_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--generator",
            choices=GENERATORS,
            default="auto",
            help="auto uses the LLM when CHALK_LLM_MODEL is set up, else the templates",
        )
        p.add_argument(
            "--max-attempts",
            type=int,
            metavar="N",
            help="LLM generate/repair attempts (default CHALK_MAX_ATTEMPTS)",
        )
        p.add_argument("--json", action="store_true", help="print one JSON object")

    def render_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--scene", help="the Scene class to render when the file has several")
        p.add_argument("--quality", choices=QUALITIES, default="preview")
        p.add_argument("--aspect", choices=ASPECTS, default="16:9")
        p.add_argument("--out", metavar="FILE.mp4", help="where to write the video")
        p.add_argument(
            "--no-cache",
            action="store_true",
            help="render even if the same code was rendered before, and do not store it",
        )

    render = sub.add_parser("render", help="render a prompt or a code file to MP4")
    render.add_argument("prompt", nargs="?", help="what the animation should show")
    render.add_argument("--code", metavar="FILE.py", help="render this Manim file instead")
    render_options(render)
    job_options(render)
    render.set_defaults(func=cmd_render)

    fix = sub.add_parser(
        "fix", help="rewrite old Manim code (ManimGL, pre-0.18) for Manim Community, then render"
    )
    fix.add_argument("--code", metavar="FILE.py", required=True, help="the Manim file to fix")
    render_options(fix)
    fix.add_argument("--no-render", action="store_true", help="print the fixed code only")
    fix.add_argument("--json", action="store_true", help="print one JSON object")
    fix.set_defaults(func=cmd_fix)

    generate = sub.add_parser("generate", help="write the Manim code for a prompt (no render)")
    generate.add_argument("prompt")
    generate.add_argument("--aspect", choices=ASPECTS, default="16:9")
    job_options(generate)
    generate.set_defaults(func=cmd_generate)

    templates = sub.add_parser("templates", help="list the offline templates")
    templates.add_argument("--json", action="store_true")
    templates.set_defaults(func=cmd_templates)

    selftest = sub.add_parser("selftest", help="run sandbox canaries and report active layers")
    selftest.add_argument("--json", action="store_true")
    selftest.set_defaults(func=cmd_selftest)

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
    submit.add_argument("--wait", action="store_true", help="wait until the job has finished")
    submit.add_argument("--json", action="store_true", help="print one JSON object")
    submit.set_defaults(func=cmd_submit)

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
        default="0.0.0.0",
        metavar="ADDR",
        help="address for --metrics-port (default 0.0.0.0)",
    )
    worker.set_defaults(func=cmd_worker)

    health = sub.add_parser(
        "health",
        help="check database, queue, storage, sandbox and disk (exit 0 only when all are ok)",
    )
    health.add_argument("--json", action="store_true", help="print one JSON object")
    health.add_argument(
        "--deep", action="store_true", help="run the sandbox selftest canaries too (slower)"
    )
    health.set_defaults(func=cmd_health)

    backup = sub.add_parser(
        "backup", help="back up the database and local media to a .tar.gz (safe while running)"
    )
    backup.add_argument("out", metavar="OUT.tar.gz")
    backup.add_argument("--json", action="store_true", help="print one JSON object")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser(
        "restore", help="restore a backup into an empty database (stop the app and workers first)"
    )
    restore.add_argument("archive", metavar="IN.tar.gz")
    restore.add_argument(
        "--replace", action="store_true", help="delete the rows already in the database first"
    )
    restore.add_argument("--json", action="store_true", help="print one JSON object")
    restore.set_defaults(func=cmd_restore)

    from app.accounts.cli import add_parser as add_users_parser

    add_users_parser(sub)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_upgrade = db_sub.add_parser("upgrade", help="migrate the database to the newest schema")
    db_upgrade.add_argument("--json", action="store_true", help="print one JSON object")
    db_upgrade.set_defaults(func=cmd_db_upgrade)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    from app.logs import configure_logging

    configure_logging(verbose=args.verbose)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"chalk {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception:
        logging.getLogger("chalk").exception("internal error")
        if getattr(args, "json", False):
            _print_json(
                {
                    "status": "failed",
                    "error": {
                        "kind": "internal",
                        "message": "Something went wrong inside Chalk; please try again.",
                    },
                }
            )
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
